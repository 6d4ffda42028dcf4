"""The condition language of ``show_if`` and ``when``, directly: every operator, what an
unanswered question satisfies, the combinators, and the located mistakes an author sees."""

from __future__ import annotations

from typing import Any

import pytest

from gutcheck.rulebook.conditions import Subject, compile_condition, condition_keys

SUBJECTS = {
    "freq": Subject("freq", "choice", frozenset({"never", "weekly", "daily"})),
    "amount": Subject("amount", "number", minimum=0, maximum=40),
    "kinds": Subject("kinds", "multi", frozenset({"beer", "spirits", "none"})),
    "binge": Subject("binge", "yesno"),
    "level": Subject("level", "level", frozenset({"low", "high"}), from_facts=True),
    "percent": Subject("percent", "number", minimum=0, maximum=100, from_facts=True),
}


def locate(path: tuple[str | int, ...]) -> str:
    """The place of a condition part, as the rule base loader would name it."""
    return "rules.yaml:" + "/".join(str(part) for part in path)


def holds(raw: Any, answers: dict[str, Any], facts: dict[str, Any] | None = None) -> bool:
    """Compile ``raw`` (which must be free of mistakes) and test it on ``answers``."""
    predicate, problems = compile_condition(raw, SUBJECTS, locate, ("show_if",))
    assert problems == []
    return predicate(answers, facts or {})


def problems_of(raw: Any) -> list[tuple[str, str]]:
    """The located problems an author sees for ``raw``."""
    _, problems = compile_condition(raw, SUBJECTS, locate, ("show_if",))
    return [(problem.where, problem.message) for problem in problems]


@pytest.mark.parametrize(
    ("raw", "answers", "expected"),
    [
        ({"freq": "weekly"}, {"freq": "weekly"}, True),
        ({"freq": "weekly"}, {"freq": "daily"}, False),
        ({"freq": {"equals": "daily"}}, {"freq": "daily"}, True),
        ({"freq": ["weekly", "daily"]}, {"freq": "daily"}, True),
        ({"freq": {"in": ["weekly", "daily"]}}, {"freq": "never"}, False),
        ({"freq": {"not_in": ["never"]}}, {"freq": "weekly"}, True),
        ({"freq": {"not_in": ["never"]}}, {"freq": "never"}, False),
        ({"kinds": {"contains": "spirits"}}, {"kinds": ("beer", "spirits")}, True),
        ({"kinds": {"contains": "spirits"}}, {"kinds": ("beer",)}, False),
        ({"amount": {"gt": 3}}, {"amount": 3.0}, False),
        ({"amount": {"gte": 3}}, {"amount": 3.0}, True),
        ({"amount": {"lt": 3}}, {"amount": 2.5}, True),
        ({"amount": {"lte": 3}}, {"amount": 3.5}, False),
        ({"amount": {"gte": 1, "lt": 6}}, {"amount": 6.0}, False),
        ({"binge": "yes"}, {"binge": True}, True),
        ({"binge": True}, {"binge": False}, False),
        ({"binge": {"equals": "no"}}, {"binge": False}, True),
        ({"freq": {"answered": True}}, {"freq": "never"}, True),
        ({"freq": {"answered": False}}, {"freq": "never"}, False),
    ],
)
def test_every_operator_on_an_answered_question(raw: Any, answers: dict[str, Any], expected: bool) -> None:
    assert holds(raw, answers) is expected


@pytest.mark.parametrize(
    "raw",
    [
        {"freq": "weekly"},
        {"freq": {"in": ["weekly"]}},
        {"freq": {"not_in": ["never"]}},  # not 'never', but not answered either: does not hold
        {"kinds": {"contains": "beer"}},
        {"amount": {"gte": 0}},
        {"amount": {"lte": 40}},
        {"binge": "no"},
        {"freq": {"answered": True}},
    ],
)
def test_an_unanswered_question_satisfies_no_operator(raw: Any) -> None:
    assert holds(raw, {}) is False


def test_an_unanswered_question_satisfies_answered_false_and_its_negations() -> None:
    assert holds({"freq": {"answered": False}}, {}) is True
    assert holds({"not": {"freq": {"not_in": ["never"]}}}, {}) is True


def test_combinators_and_several_keys() -> None:
    answers = {"freq": "weekly", "amount": 4.0}
    assert holds({"all": [{"freq": "weekly"}, {"amount": {"gte": 4}}]}, answers) is True
    assert holds({"all": [{"freq": "weekly"}, {"amount": {"gt": 4}}]}, answers) is False
    assert holds({"any": [{"freq": "daily"}, {"amount": {"gt": 3}}]}, answers) is True
    assert holds({"any": [{"freq": "daily"}, {"amount": {"gt": 4}}]}, answers) is False
    assert holds({"not": {"freq": "daily"}}, answers) is True
    assert holds({"freq": "weekly", "amount": {"lt": 4}}, answers) is False  # several keys: all hold
    assert holds({"freq": "weekly", "amount": {"lte": 4}}, answers) is True


def test_factor_facts_are_read_from_the_facts_not_the_answers() -> None:
    raw = {"level": ["high"], "percent": {"gte": 50}}
    assert holds(raw, {"level": "high", "percent": 90}, {"level": "high", "percent": 50.0}) is True
    assert holds(raw, {"level": "high", "percent": 90}, {"level": "low", "percent": 90.0}) is False


def test_condition_keys_lists_every_subject_read() -> None:
    raw = {"all": [{"freq": "weekly"}, {"not": {"kinds": {"contains": "beer"}}}], "level": ["high"]}
    assert condition_keys(raw) == {"freq", "kinds", "level"}
    assert condition_keys({"any": [{"amount": {"gt": 1}}, {"binge": "yes"}]}) == {"amount", "binge"}


def test_an_unknown_id_is_located_with_a_suggestion() -> None:
    assert problems_of({"all": [{"freq": "weekly"}, {"amout": {"gt": 1}}]}) == [
        ("rules.yaml:show_if/all/1/amout", "'amout' is not a question asked before this point "
         "(did you mean 'amount'?)")
    ]


@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        ({"amount": {"gt": 40}}, "show_if/amount/gt", "amount gt 40 can never hold (amount runs from 0 to 40)"),
        ({"amount": {"lt": 0}}, "show_if/amount/lt", "amount lt 0 can never hold (amount runs from 0 to 40)"),
        ({"freq": {"gt": 1}}, "show_if/freq/gt", "'gt' compares numbers, but 'freq' is a choice"),
        ({"amount": {"gte": "three"}}, "show_if/amount/gte", "'gte' needs a number, not 'three'"),
        ({"freq": "sometimes"}, "show_if/freq/equals/0",
         "'sometimes' is not an option of 'freq' (options: daily, never, weekly)"),
        ({"kinds": "beer"}, "show_if/kinds/equals", "use 'contains' for the multi question 'kinds'"),
        ({"freq": {"contains": "weekly"}}, "show_if/freq/contains",
         "'contains' is for multi questions, but 'freq' is a choice"),
        ({"binge": "maybe"}, "show_if/binge/equals/0", "'binge' takes yes or no"),
        ({"freq": {"answered": "yes"}}, "show_if/freq/answered", "'answered' takes true or false"),
        ({"freq": {"is": "weekly"}}, "show_if/freq/is",
         "unknown operator 'is'; use one of: equals, in, not_in, contains, answered, gt, gte, lt, lte"),
        ({"freq": {"in": []}}, "show_if/freq/in", "'in' needs a non-empty list"),
        ({"freq": {}}, "show_if/freq", "no operator given for 'freq'"),
        ({"any": []}, "show_if/any", "'any' needs a non-empty list of conditions"),
        ({}, "show_if", "a condition must be a non-empty mapping"),
    ],
)
def test_impossible_or_malformed_comparisons_are_located(raw: Any, where: str, message: str) -> None:
    assert problems_of(raw) == [(f"rules.yaml:{where}", message)]


def test_every_mistake_in_one_condition_is_reported_and_the_condition_never_holds() -> None:
    raw = {"all": [{"nope": "x"}, {"amount": {"gt": 99}}, {"freq": "sometimes"}]}
    assert [where for where, _ in problems_of(raw)] == [
        "rules.yaml:show_if/all/0/nope",
        "rules.yaml:show_if/all/1/amount/gt",
        "rules.yaml:show_if/all/2/freq/equals/0",  # the loader places it on the line of 'freq'

    ]
    predicate, _ = compile_condition({"nope": "x"}, SUBJECTS, locate, ("show_if",))
    assert predicate({"nope": "x"}, {}) is False
