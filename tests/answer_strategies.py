"""Hypothesis strategies that draw valid answer sets for any rule base."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from gutcheck.answers.parse import SKIP
from gutcheck.rulebook.model import Question, RuleBase


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    """A valid parsed answer for one question (or SKIP where allowed)."""
    base = _kind_strategy(question)
    return st.one_of(base, st.just(SKIP)) if question.allow_skip else base


def _kind_strategy(question: Question) -> st.SearchStrategy[Any]:
    if question.kind == "yesno":
        return st.booleans()
    if question.kind == "number":
        if question.integer:
            return st.integers(int(question.minimum), int(question.maximum)).map(float)
        return st.floats(question.minimum, question.maximum, allow_nan=False)
    if question.kind == "multi":
        return _multi(question)
    return st.sampled_from([o.value for o in question.options])


def _multi(question: Question) -> st.SearchStrategy[tuple[str, ...]]:
    plain = [o.value for o in question.options if not o.exclusive]
    exclusive = [(o.value,) for o in question.options if o.exclusive]
    upper = question.max_picks or len(plain)
    picks = st.lists(st.sampled_from(plain), min_size=max(question.min_picks, 0), max_size=upper, unique=True)
    ordered = picks.map(lambda chosen: tuple(v for v in plain if v in chosen))
    valid = ordered.filter(lambda chosen: len(chosen) >= question.min_picks)
    return st.one_of(valid, st.sampled_from(exclusive)) if exclusive and question.min_picks <= 1 else valid


@st.composite
def answer_sets(draw: st.DrawFn, rules: RuleBase, *, complete: bool = False) -> dict[str, Any]:
    """A parsed answer set: each question answered (always when ``complete``) or left out."""
    answers: dict[str, Any] = {}
    for question in rules.questions:
        if complete or draw(st.booleans()):
            answers[question.id] = draw(answer_for(question))
    return answers
