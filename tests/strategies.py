"""Hypothesis strategies for valid answers written the way people and files write them.

``valid_answers(rules)`` draws a raw answers mapping for any RuleBase: for each question
(or a random subset of them) a random valid answer, in one of the forms ``Question.parse``
accepts: the option value or its label in any case, a multi answer as a list or as text
joined with '; ', yes/no as a boolean or a word, a number as a number or as text with a
decimal comma, and 'Prefer not to say' where the rule base allows it. The values come from
``answer_strategies.answer_for`` (parsed answers), so both modules agree on what is valid.
Every drawn mapping is JSON-serialisable, like an answers file.
"""

from __future__ import annotations

from typing import Any

from answer_strategies import answer_for
from hypothesis import strategies as st

from gutcheck.answers.parse import SKIP, SKIP_LABEL
from gutcheck.rulebook.model import Question, RuleBase

_SPLITTERS = (";", "\n")  # a label with a comma is read whole (gutcheck.answers.parse)


def raw_answer_for(question: Question) -> st.SearchStrategy[object]:
    """One valid answer to ``question`` in a randomly chosen raw form."""
    return answer_for(question).flatmap(lambda value: _raw_forms(question, value))


@st.composite
def valid_answers(draw: st.DrawFn, rules: RuleBase, *, complete: bool = False) -> dict[str, object]:
    """A raw answers mapping: every question answered when ``complete``, else a random subset."""
    answers: dict[str, object] = {}
    for question in rules.questions:
        if complete or draw(st.booleans()):
            answers[question.id] = draw(raw_answer_for(question))
    return answers


def _raw_forms(question: Question, value: Any) -> st.SearchStrategy[object]:
    if value == SKIP:
        return st.sampled_from([SKIP_LABEL, SKIP_LABEL.upper(), SKIP])
    if question.kind == "yesno":
        words = ["yes", "Yes", "y", "true"] if value else ["no", "No", "n", "false"]
        return st.sampled_from([value, *words])
    if question.kind == "number":
        return st.sampled_from(_number_forms(question, value))
    labels = {o.value: o.label for o in question.options}
    if question.kind == "multi":
        return st.sampled_from(_multi_forms(list(value), labels))
    return st.sampled_from([value, labels[value], labels[value].upper()])


def _number_forms(question: Question, value: float) -> list[object]:
    forms: list[object] = [value, str(value).replace(".", ",")]
    if question.integer:
        forms.append(int(value))
    return forms


def _multi_forms(values: list[str], labels: dict[str, str]) -> list[object]:
    named = [labels[v] for v in values]
    forms: list[object] = [values, named]
    if named and not any(mark in label for label in named for mark in _SPLITTERS):
        forms.append("; ".join(named))
    return forms
