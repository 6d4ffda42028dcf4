"""Red flags answered yes, as results: urgency, advice and first step resolved for this person.

A red flag's result depends only on which of its urgency rules holds (age, other answers), so
every result a flag can give is made once per rule base and looked up by that rule's index.
While an alarm symptom stands, the overall level says plainly that it counts habits only:
it must not read as reassurance under a "see a clinician" notice.
"""

from __future__ import annotations

from collections.abc import Mapping

from gutcheck.engine.assessment import ALARM_OVERALL, OverallResult, RedFlagResult
from gutcheck.engine.urgency import step_line
from gutcheck.rulebook.model import RedFlag, RuleBase

FlagResults = Mapping[str, tuple[RedFlagResult, ...]]


def flag_results(rules: RuleBase) -> dict[str, tuple[RedFlagResult, ...]]:
    """Each red flag's possible results by question id: index 0 its own urgency and advice,
    index ``i + 1`` those of its urgency rule ``i``."""
    return {
        flag.question.id: tuple(_result(flag, rule) for rule in range(-1, len(flag.urgency_if)))
        for flag in rules.red_flags
    }


def _result(flag: RedFlag, rule: int) -> RedFlagResult:
    urgency, advice, action = flag.at(rule)
    question = flag.question
    return RedFlagResult(
        question.id, question.ask, advice, urgency, flag.references, flag.kind,
        title=flag.title, step=step_line(urgency, action),
    )


def habits_only(overall: OverallResult) -> OverallResult:
    """The overall result as shown while an alarm symptom stands: the level kept, the band's
    summary replaced by what the level does and does not say."""
    return OverallResult(overall.percent, overall.level, ALARM_OVERALL)
