"""The one answer path, directly: what every route accepts, and the words of its refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gutcheck.answers.parse import (
    SKIP,
    AnswerError,
    is_skip_text,
    multi_items,
    normalise_text,
    number_hint,
    parse_answer,
)
from gutcheck.files.formulas import neutralise
from gutcheck.rulebook.loading import load_rules, load_rules_text

DATA = Path(__file__).resolve().parents[1] / "data"
COACH = load_rules(DATA / "coach.yaml")
MINI = load_rules(DATA / "mini.yaml")
SIGNED = load_rules_text(
    """format: 1
id: signed
version: "1"
title: Labels a spreadsheet reads as formulas
disclaimer: For testing only.
references: {a: {cite: "A.", kind: rct}}
factors:
  - id: change
    title: Change
    weight: 1
    explanation: x
    references: [a]
    questions:
      - id: trend
        ask: How did it change?
        type: choice
        options:
          - {value: up, label: "+1 or more a day", points: 1}
          - {value: same, label: "=", points: 0}
          - {value: down, label: "-1 or fewer a day", points: 0}
      - id: sure
        ask: Are you sure?
        type: choice
        options:
          - {value: "yes", label: Sure, points: 0}
          - {value: "no", label: Not sure, points: 1}
          - {value: unsure, label: Cannot say, points: 1}
    bands: [{below: 1, level: low, summary: Low.}, {level: high, summary: High.}]
overall: {bands: [{below: 50, level: low, summary: Few.}, {level: high, summary: Many.}]}
""",
    "signed.yaml",
)


def parsed(question_id: str, raw: object, rules: Any = COACH) -> object:
    """The parsed answer of one question of ``rules``."""
    return parse_answer(rules.by_id[question_id], raw)


def refusal(question_id: str, raw: object, rules: Any = COACH) -> str:
    """The message of the refusal of ``raw``."""
    with pytest.raises(AnswerError) as caught:
        parse_answer(rules.by_id[question_id], raw)
    return str(caught.value)


@pytest.mark.parametrize("text", ["Prefer not to say", "PREFER  NOT TO SAY", " prefer-not-to-say ", "skip", "Skip"])
@pytest.mark.parametrize("question_id", ["drink_freq", "drink_kinds", "food_stress", "food_fibre"])
def test_skip_words_decline_a_question_that_allows_it(question_id: str, text: str) -> None:
    assert is_skip_text(text)
    assert parsed(question_id, text) == SKIP


def test_skip_words_are_refused_where_a_question_does_not_allow_them() -> None:
    assert refusal("food_veg", "skip") == "'skip' is not yes or no"
    assert refusal("food_fibre", "Prefer not to say", MINI) == (
        "'Prefer not to say' is not one of: Vegetables | Beans | Sweets | Fried food | None of these")
    assert refusal("drink_kinds", ["spirits", "Prefer not to say"]) == (
        "'Prefer not to say' cannot be combined with other choices")


@pytest.mark.parametrize("raw", ["weekly", "Weekly", "WEEKLY", "  weekly ", "We ekly".replace(" ", "")])
def test_options_are_named_by_value_or_label_in_any_case(raw: str) -> None:
    assert parsed("drink_freq", raw) == "weekly"


def test_labels_match_in_any_case_and_spacing() -> None:
    assert parsed("drink_freq", "daily,  OR nearly") == "daily"
    assert parsed("food_stress", "a little, NOW and then") == "s2"
    assert normalise_text("  A   Little\tNOW ") == "a little now"


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("Beer, cider or wine; Spirits", ("beer", "spirits")),
        ("Beer, cider or wine, Spirits", ("beer", "spirits")),           # Google Forms joins with ', '
        ("Spirits, Beer, cider or wine", ("beer", "spirits")),           # in option order, whatever the text
        ("Alcopops, mixers, or cocktails, Beer, cider or wine", ("beer", "mixers")),
        ("beer;spirits", ("beer", "spirits")),
        ("Spirits\nBEER, CIDER OR WINE", ("beer", "spirits")),
        ("Spirits; Spirits", ("spirits",)),
        (["Beer, cider or wine", "spirits"], ("beer", "spirits")),
        (("spirits",), ("spirits",)),
        ("None of these", ("none",)),
        ([], ()),
    ],
)
def test_multi_select_text_is_split_keeping_labels_with_commas_whole(raw: object, values: tuple[str, ...]) -> None:
    assert parsed("drink_kinds", raw) == values


def test_multi_items_keeps_a_whole_label_and_splits_the_rest() -> None:
    question = COACH.by_id["drink_kinds"]
    assert multi_items(question, "Beer, cider or wine") == ["Beer, cider or wine"]
    assert multi_items(question, "Spirits, Beer, cider or wine;; Wine, Gin") == [
        "Spirits", "Beer, cider or wine", "Wine", "Gin"]


def test_multi_select_refusals_say_what_would_fit() -> None:
    assert refusal("drink_kinds", "Wine; Spirits") == (
        "'Wine' is not one of: Beer, cider or wine | Spirits | Alcopops, mixers, or cocktails | "
        "None of these | Prefer not to say")
    assert refusal("drink_kinds", "None of these; Spirits") == "'None of these' cannot be combined with other choices"
    assert refusal("drink_kinds", 42) == "42 is not a list of options"
    assert refusal("food_fibre", "veg; beans; sweets; fried", MINI) == "pick at most 3"
    assert refusal("food_fibre", [], MINI) == "pick at least 1"


@pytest.mark.parametrize("raw", [True, "yes", "Y", "true", "1", 1, "ja", "Oui", "sí"])
def test_yes_words(raw: object) -> None:
    assert parsed("food_veg", raw) is True


@pytest.mark.parametrize("raw", [False, "no", "N", "FALSE", "0", 0, "nein", "non"])
def test_no_words(raw: object) -> None:
    assert parsed("food_veg", raw) is False


def test_yaml_yes_and_no_read_as_words_for_a_choice() -> None:
    assert (parsed("sure", True, SIGNED), parsed("sure", False, SIGNED)) == ("yes", "no")
    assert refusal("drink_freq", True) == (
        "'yes' is not one of: Never | Weekly | Daily, or nearly | Prefer not to say")


@pytest.mark.parametrize(
    ("raw", "number"),
    [("3", 3.0), (3, 3.0), (3.0, 3.0), (" 12 ", 12.0), ("12,0", 12.0)],
)
def test_whole_numbers(raw: object, number: float) -> None:
    assert parsed("drink_amount", raw) == number


@pytest.mark.parametrize(
    ("raw", "number"),
    [("25,5", 25.5), ("25.5", 25.5), ("\u22120", 0.0), ("1e1", 10.0), (0.25, 0.25)],
)
def test_numbers_take_a_decimal_comma_and_a_typographic_minus(raw: object, number: float) -> None:
    assert parsed("food_fibre", raw) == number


@pytest.mark.parametrize(
    ("question_id", "raw", "message"),
    [
        ("drink_amount", "3.5", "3.5 is not a whole number"),
        ("drink_amount", "41", "41 is not a whole number from 0 to 40"),
        ("drink_amount", "forty", "'forty' is not a number"),
        ("drink_amount", "nan", "'nan' is not a finite number"),
        ("drink_amount", True, "True is not a number"),
        ("drink_amount", [1], "[1] is not a number"),
        ("food_fibre", "\u22121", "-1 is not a number from 0 to 80.5, or Prefer not to say"),
        ("food_veg", "maybe", "'maybe' is not yes or no"),
        ("drink_freq", "sometimes", "'sometimes' is not one of: Never | Weekly | Daily, or nearly | Prefer not to say"),
        ("drink_freq", "x" * 100, "'" + "x" * 56 + "...' is not one of: Never | Weekly | Daily, or nearly | "
         "Prefer not to say"),
    ],
)
def test_refusals_are_worded_for_a_person(question_id: str, raw: object, message: str) -> None:
    assert refusal(question_id, raw) == message


def test_number_hint_names_the_range_and_unit() -> None:
    assert number_hint(MINI.by_id["drink_amount"]) == "a whole number from 0 to 40 drinks"
    assert number_hint(COACH.by_id["food_fibre"]) == "a number from 0 to 80.5"


@pytest.mark.parametrize("value", ["up", "same", "down"])
def test_the_apostrophe_put_before_a_formula_like_label_is_taken_off(value: str) -> None:
    question = SIGNED.by_id["trend"]
    label = next(o.label for o in question.options if o.value == value)
    assert neutralise(label) == "'" + label
    assert parse_answer(question, neutralise(label)) == value
    assert parse_answer(question, f"  {neutralise(label)} ") == value


def test_an_apostrophe_before_a_plain_number_is_kept_as_typed() -> None:
    assert refusal("food_fibre", "'-3") == "\"'-3\" is not a number"  # quoted so the apostrophe shows


@given(st.sampled_from(COACH.questions), st.data())
def test_every_option_label_and_value_names_its_option(question: Any, data: st.DataObject) -> None:
    if not question.options:
        return
    option = data.draw(st.sampled_from(question.options))
    case = data.draw(st.sampled_from([str.upper, str.lower, str.title, str.strip]))
    expected = (option.value,) if question.kind == "multi" else option.value
    assert parse_answer(question, case(option.label)) == expected
    assert parse_answer(question, option.value) == expected


# ------------------------------------------------------------------------------- labels with commas

FOODS = load_rules_text(
    """format: 1
id: commas
version: "1"
title: Commas
disclaimer: Test only.
references: {r: {cite: "R. 2020.", kind: human}}
factors:
  - id: f
    title: F
    weight: 1
    explanation: x
    references: [r]
    questions:
      - id: foods
        ask: Which foods?
        type: multi
        options:
          - {value: fv, label: "Fruit, vegetables", points: 0}
          - {value: nuts, label: Nuts, points: 1}
          - {value: oil, label: "Oil, olive, extra virgin", points: 1}
          - {value: other, label: Other, points: 1}
          - {value: veg, label: Vegetables, points: 1}
    bands:
      - {level: low, summary: ok}
    suggestions: []
overall:
  bands:
    - {level: low, summary: ok}
"""
).by_id["foods"]


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("Fruit, vegetables, Nuts", ["Fruit, vegetables", "Nuts"]),
        ("Nuts, Oil, olive, extra virgin, Other", ["Nuts", "Oil, olive, extra virgin", "Other"]),
        ("nuts; fruit, vegetables", ["nuts", "fruit, vegetables"]),
        ("Fruit, vegetables", ["Fruit, vegetables"]),
        ("Fruit, Vegetables", ["Fruit, Vegetables"]),  # the label, in another case
        ("Nuts, Pie", ["Nuts", "Pie"]),
    ],
)
def test_multi_cells_keep_labels_that_contain_commas(cell: str, items: list[str]) -> None:
    assert multi_items(FOODS, cell) == items


@given(
    st.sampled_from([FOODS, COACH.by_id["drink_kinds"]]).flatmap(
        lambda question: st.tuples(
            st.just(question),
            st.lists(st.sampled_from([o for o in question.options if not o.exclusive]), min_size=1, unique=True),
            st.sampled_from([", ", "; ", ";", "\n"]),
        )
    )
)
def test_any_picks_joined_as_forms_and_spreadsheets_join_them_read_back_whole(drawn: Any) -> None:
    question, picked, separator = drawn
    text = separator.join(option.label for option in picked)
    expected = tuple(o.value for o in question.options if o in picked)
    assert parse_answer(question, text) == expected
    assert parse_answer(question, text.upper()) == expected


class CountingQuestion:
    """Stands in for a question and counts how often a text is looked up among its options."""

    def __init__(self, question: Any) -> None:
        self.question = question
        self.options = question.options
        self.lookups = 0

    def option_for(self, text: str) -> str | None:
        """The option a text names, counting the lookup."""
        self.lookups += 1
        result: str | None = self.question.option_for(text)
        return result


def test_a_huge_multi_cell_costs_lookups_in_proportion_to_its_length() -> None:
    counting = CountingQuestion(FOODS)
    pieces = 40_000
    items = multi_items(counting, ", ".join(["Nuts", "Pie"] * (pieces // 2)))  # type: ignore[arg-type]
    assert len(items) == pieces
    assert counting.lookups <= 4 * pieces  # a quadratic search would need about 800 million
