"""An honest question count, over many answer paths drawn by hypothesis.

A scripted person answers every question with a random valid answer (any raw form, "Prefer not
to say" where allowed), sometimes after an answers file has prefilled some of them. Whatever
the path: the welcome's range contains the number of questions really asked, the counter never
shows a question as the last one ("N of N") when another follows, and never promises fewer
questions than are asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import raw_answer_for, valid_answers

from gutcheck.files.paths import bundled_rules_path
from gutcheck.quiz.flow import expect_words, greet, run_quiz
from gutcheck.quiz.steps import Choice, Step
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import RuleBase

BUNDLED = load_rules(bundled_rules_path())
RANGE = re.compile(r"^(?:(\d+)|Up)(?: to (\d+))? questions?, about ")
EVERYTHING_GIVEN = "Your answers file already answers every question."


class Scripted:
    """A person who answers each question as hypothesis draws, and notes what was shown."""

    back_hint = "press ←"

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.steps: list[Step] = []
        self.said: list[str] = []

    def heading(self, title: str, note: str | None = None) -> None:
        """Headings do not matter here."""

    def say(self, text: str) -> None:
        self.said.append(text)

    def warn(self, text: str) -> None:
        raise AssertionError(f"a drawn answer was refused: {text}")

    def confirm(self, message: str, *, default: bool = True) -> bool:
        return True

    def choose(self, message: str, choices: Sequence[Choice]) -> str:
        return choices[0].value

    def ask(self, step: Step) -> object:
        self.steps.append(step)
        return self.data.draw(raw_answer_for(step.question), label=step.question.id)


def welcome_range(said: list[str]) -> tuple[int, int]:
    """(fewest, most) from the welcome's 'N to M questions, about ...' line."""
    if EVERYTHING_GIVEN in said:
        return 0, 0
    match = next(RANGE.match(line) for line in said if RANGE.match(line))
    return int(match.group(1) or 0), int(match.group(2) or match.group(1))


def walk(rules: RuleBase, data: st.DataObject, prefill: dict[str, Any]) -> Scripted:
    person = Scripted(data)
    assert greet(rules, person, prefill)
    run_quiz(rules, person, answers=prefill, fixed=frozenset(prefill))
    return person


def check_honest(person: Scripted) -> None:
    fewest, most = welcome_range(person.said)
    asked = len(person.steps)
    assert fewest <= asked <= most, f"welcome said {fewest} to {most}, {asked} were asked"
    for number, step in enumerate(person.steps, start=1):
        assert step.number == number and step.number <= step.total <= max(step.most, step.total)
        assert asked <= max(step.most, step.total), f"{step.progress}, yet {asked} were asked"
        assert step.total <= asked, f"{step.progress}, yet only {asked} were asked"
        says_last = step.progress.startswith(f"Question {number} of {number} ·")
        assert not says_last or number == asked, f"{step.progress} was followed by another question"


@pytest.mark.parametrize("rules", [BUNDLED], ids=["bundled"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_count_is_honest_on_every_path(rules: RuleBase, data: st.DataObject) -> None:
    check_honest(walk(rules, data, {}))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_count_is_honest_after_a_prefill(mini_rules: RuleBase, data: st.DataObject) -> None:
    for rules in (mini_rules, BUNDLED):
        raw = data.draw(valid_answers(rules), label="prefill")
        prefill = {q.id: q.parse(raw[q.id]) for q in rules.questions if q.id in raw}
        check_honest(walk(rules, data, prefill))


def test_the_welcome_gives_a_range_of_questions_and_minutes(mini_rules: RuleBase) -> None:
    said: list[str] = []
    person = Scripted(st.data())  # type: ignore[arg-type]
    person.say = said.append  # type: ignore[method-assign]
    assert greet(mini_rules, person, {})
    assert "5 to 7 questions, about 1 to 2 minutes." in said
    assert expect_words(25, 34) == "25 to 34 questions, about 6 to 8 minutes."
    assert expect_words(4, 4) == "4 questions, about 1 minute."
    assert expect_words(0, 2) == "Up to 2 questions, about 1 minute."
