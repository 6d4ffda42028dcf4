"""One line per scored client: overall and factor levels, red flags, what to do first."""

from __future__ import annotations

from collections.abc import Container, Mapping
from operator import attrgetter
from typing import Any, NamedTuple

from gutcheck.answers.parse import SKIP
from gutcheck.batch.rows import ParsedRow
from gutcheck.engine.assessment import Assessment
from gutcheck.engine.compiled import FactorPart, SafetyPart, Scored, top_factor
from gutcheck.engine.ranking import first_chosen, top_ids
from gutcheck.engine.urgency import URGENCY_ORDER
from gutcheck.rulebook.model import RuleBase

# --------------------------------------------------------------------------- results


RECORD_SCHEMA = "gutcheck.batch-record/2"
# A client's triage, most urgent first: a red flag (its kind), a safety question left blank, none.
UNANSWERED = "unanswered"
NONE = "none"


TOP_SUGGESTIONS = 3


class ClientSummary(NamedTuple):
    """One client's line of a batch: the overall and factor levels, red flags, what to do first.

    ``red_flags`` are the red flags answered yes as ``(id, kind, urgency)``, most urgent first
    (``kind`` is ``alarm`` or ``risk``; ``urgency`` as resolved for this client's answers);
    their ids lead ``top_suggestions``, the first three things to do. ``factors`` holds
    ``(factor id, percent, level)`` in the rule base's factor order. ``ignored_answers`` names
    the questions answered although an earlier answer hides them (alcohol "Never" and yet a
    number of drinks): those answers are not scored, and are reported. ``safety_blank`` names
    the safety questions this client was asked and left blank: never read as "no". A named
    tuple: one is made per client, and it is the quickest immutable record to make.
    """

    row: int
    client: str
    overall_percent: float | None
    overall_level: str | None
    factors: tuple[tuple[str, float | None, str | None], ...]
    red_flags: tuple[tuple[str, str, str], ...]
    top_factor: str | None
    top_suggestions: tuple[str, ...]
    ignored_answers: tuple[str, ...] = ()
    safety_blank: tuple[str, ...] = ()

    @property
    def has_red_flags(self) -> bool:
        """True when the client answered yes to any red flag (alarm symptom or risk marker)."""
        return bool(self.red_flags)

    @property
    def flag_ids(self) -> tuple[str, ...]:
        """The ids of the red flags answered yes, most urgent first."""
        return tuple(flag_id for flag_id, _, _ in self.red_flags)

    @property
    def triage(self) -> str:
        """``alarm`` or ``risk`` (the kind of the most urgent red flag), ``unanswered`` when no
        flag was answered yes but a safety question was left blank, else ``none``."""
        if self.red_flags:
            return self.red_flags[0][1]
        return UNANSWERED if self.safety_blank else NONE


def triage_rank(summary: ClientSummary) -> float:
    """Who to contact first: the most urgent red flag's urgency (an alarm before a risk marker
    of the same urgency), a safety question left blank just before a routine risk marker (a
    blank may hide anything), then everyone else."""
    if summary.red_flags:
        _, kind, urgency = summary.red_flags[0]
        return URGENCY_ORDER.get(urgency, len(URGENCY_ORDER)) + (0.2 if kind == "risk" else 0.0)
    return URGENCY_ORDER["routine"] - 0.5 if summary.safety_blank else len(URGENCY_ORDER) + 1.0


RUN_LENGTH = 128  # summaries handed on together


class Summaries(list[ClientSummary]):
    """Summaries of consecutive rows, in order: rows the generated scorer takes are handed on
    a run at a time, so the loop that writes them has less to do per row."""

    __slots__ = ()


def summarise(
    assessment: Assessment, row: int, ignored: tuple[str, ...] = (), safety: tuple[str, ...] = ()
) -> ClientSummary:
    """The summary line of a scored client; ``ignored`` names the answers to hidden questions
    (see :func:`hidden_answers`), ``safety`` the rule base's safety questions (see
    :func:`safety_questions`), of which those left blank are named."""
    top = assessment.top_factor()
    return ClientSummary(
        row=row,
        client=assessment.client or f"row {row}",
        overall_percent=assessment.overall.percent,
        overall_level=assessment.overall.level,
        factors=tuple((f.id, f.percent, f.level) for f in assessment.factors),
        red_flags=tuple((flag.id, flag.kind, flag.urgency) for flag in assessment.red_flags),
        top_factor=top.id if top is not None else None,
        top_suggestions=top_ids(
            [flag.id for flag in assessment.red_flags], [s.id for s in assessment.suggestions], TOP_SUGGESTIONS
        ),
        ignored_answers=ignored,
        safety_blank=safety_blank(safety, assessment.unanswered),
    )


def safety_questions(rules: RuleBase) -> tuple[str, ...]:
    """The ids of the rule base's safety (red-flag) questions, in order."""
    return tuple(flag.question.id for flag in rules.red_flags)


def safety_blank(safety: tuple[str, ...], unanswered: Container[str]) -> tuple[str, ...]:
    """The safety questions among those shown and left blank, in the rule base's order."""
    return tuple([qid for qid in safety if qid in unanswered])


def conditional_questions(rules: RuleBase) -> tuple[str, ...]:
    """Ids of the questions an earlier answer can hide (those with ``show_if``), in order."""
    return tuple(q.id for q in rules.questions if q.show_if is not None)


def hidden_answers(
    conditional: tuple[str, ...], answers: Mapping[str, Any], shown: Container[str]
) -> tuple[str, ...]:
    """Ids of the questions answered although hidden by an earlier answer: not scored, reported.

    ``shown`` holds the shown questions that were answered (as :meth:`RuleBase.walk` gives
    them); "prefer not to say" on a hidden question declines nothing and is not counted.
    """
    return tuple([qid for qid in conditional if qid in answers and qid not in shown and answers[qid] != SKIP])


def hidden_by(rules: RuleBase, ignored: tuple[str, ...]) -> str:
    """The ignored answers in words: 'a and b, skipped after the answer to c'."""
    triggers = _triggers(rules, ignored)
    return _words(list(ignored)) + (f", skipped after the answer to {_words(triggers)}" if triggers else "")


def ignored_note(rules: RuleBase, ignored: tuple[str, ...]) -> str:
    """One sentence for ``gutcheck score``: which answers were not scored, and why."""
    one = len(ignored) == 1
    triggers = _triggers(rules, ignored)
    because = f"the answer to {_words(triggers)}" if triggers else "an earlier answer"
    return (f"Note: {_words(list(ignored))} {'was' if one else 'were'} answered, but {because} means "
            f"{'it does' if one else 'they do'} not apply, so {'it was' if one else 'they were'} not scored.")


def _triggers(rules: RuleBase, ignored: tuple[str, ...]) -> list[str]:
    """The questions whose answers hide ``ignored``, in the rule base's order (not those that
    are hidden themselves: a follow-up of a follow-up is hidden by the first question)."""
    from gutcheck.rulebook.conditions import condition_keys

    keys: set[str] = set()
    for qid in ignored:
        question = rules.by_id.get(qid)
        keys |= condition_keys(question.show_if_data if question is not None else None)
    return [q.id for q in rules.questions if q.id in keys and q.id not in ignored]


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


_TRIPLE = attrgetter("triple")
_RANKED = attrgetter("ranked")
_FIRST_PASS = attrgetter("first_pass")


class Summarising:
    """Client summaries from what the generated scorer found (:class:`~gutcheck.engine.compiled.Scored`):
    the one way a batch summary is made from scores, for rows the row scorer takes and for the rest."""

    def __call__(self, scored: Scored, row: int, client: str) -> ClientSummary:
        """The summary of one client."""
        safety, factors, overall = scored.safety, scored.factors, scored.overall
        top = top_factor(factors)
        # made without the Python-level __new__ of the named tuple: one is made per client
        return tuple.__new__(ClientSummary, (
            row, client, overall.percent, overall.level, tuple(map(_TRIPLE, factors)), safety.summary,
            top.triple[0] if top is not None else None, first_things(safety, factors), scored.ignored,
            safety.safety_blank,
        ))


def first_things(safety: SafetyPart, factors: tuple[FactorPart, ...]) -> tuple[str, ...]:
    """The ids of the first three things to do: the red flags answered yes (most urgent first),
    then the first suggestions in the one order of :mod:`gutcheck.engine.ranking`."""
    flags = tuple([flag_id for flag_id, _, _ in safety.summary]) if safety.summary else ()
    room = TOP_SUGGESTIONS - len(flags)
    if room <= 0:
        return flags[:TOP_SUGGESTIONS]
    first = first_chosen(map(_FIRST_PASS, factors), map(_RANKED, factors), room)
    return top_ids(flags, [suggestion.id for suggestion in first], TOP_SUGGESTIONS)


class SummaryScorer:
    """Scores parsed rows straight to summaries with the engine's :class:`~gutcheck.engine.scoring.Scorer`.

    The scorer is made once per batch and no report is built, so the per-row path stays short;
    what its parts found is remembered between clients.
    """

    def __init__(self, rules: RuleBase, *, taken_at: str) -> None:
        from gutcheck.engine.scoring import Scorer

        scorer = Scorer(rules, detail=False)
        self.scored = scorer.scored
        self.summaries = Summarising()
        self.taken_at = taken_at

    def __call__(self, row: ParsedRow) -> ClientSummary:
        """The summary of one parsed row."""
        return self.summaries(self.scored(row.answers), row.row, row.client or f"row {row.row}")
