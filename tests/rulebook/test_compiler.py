"""Compiling checked rule-base data into the frozen model the scorer reads, directly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml
from conftest import MINI_RULES

from gutcheck.errors import RulesError
from gutcheck.rulebook import spec
from gutcheck.rulebook.compiler import FileLocator, compile_rules, content_hash
from gutcheck.rulebook.loading import load_rules_text

MINI_TEXT = MINI_RULES.read_text(encoding="utf-8")


def normalised(text: str = MINI_TEXT) -> dict[str, Any]:
    """The normalised data of a rule base that passes the format model (what the cache keeps)."""
    return spec.RuleBaseSpec.model_validate(yaml.safe_load(text)).model_dump(mode="json")


def compiled(text: str = MINI_TEXT) -> Any:
    """The rule base compiled from normalised data, as the loader does from its cache."""
    data = normalised(text)
    rules, problems = compile_rules(data, FileLocator("r.yaml"), content_hash(data))
    assert problems == []
    return rules


def problems_of(text: str) -> list[str]:
    """The located problems of a rule base that must fail its checks."""
    with pytest.raises(RulesError) as caught:
        load_rules_text(text, "r.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_the_compiled_model_keeps_the_order_and_shape_of_the_file() -> None:
    rules = compiled()
    assert (rules.id, rules.version, rules.source) == ("mini", "1.0.0", "r.yaml")
    assert [q.id for q in rules.questions] == [
        "blood", "weight_loss", "drink_freq", "drink_amount", "drink_binge", "food_fibre", "food_stress"]
    blood = rules.by_id["blood"]
    assert (blood.kind, blood.factor, blood.yes_points, rules.red_flags[0].urgency) == ("yesno", None, 0, "urgent")
    amount = rules.by_id["drink_amount"]
    assert (amount.minimum, amount.maximum, amount.unit, amount.integer) == (0, 40, "drinks", True)
    assert (amount.bounds, amount.range_points) == ((3, 6), (0, 2, 4))
    fibre = rules.by_id["food_fibre"]
    assert (fibre.min_picks, fibre.max_picks) == (1, 3)
    assert [o.value for o in fibre.options if o.exclusive] == ["none"]
    assert rules.references["src-c"].url == "https://example.org/guideline-c"


def test_bands_start_where_the_previous_band_ends() -> None:
    drink = compiled().factors[0]
    assert [(b.minimum, b.below, b.level) for b in drink.bands.bands] == [
        (0, 3, "low"), (3, 7, "moderate"), (7, None, "high")]
    assert [drink.bands.find(score).level for score in (0, 2.99, 3, 6.5, 7, 100)] == [
        "low", "low", "moderate", "moderate", "high", "high"]


def test_the_largest_points_follow_the_question_kinds() -> None:
    rules = compiled()
    # drink: daily 4 + more than 6 drinks 4 + binge yes 2; food: sweets + fried (max 3 picks) 4 + a lot 2
    assert [factor.max_points for factor in rules.factors] == [10, 6]
    assert rules.by_id["food_fibre"].max_points == 4


def test_conditions_become_predicates_over_earlier_answers() -> None:
    rules = compiled()
    binge = rules.by_id["drink_binge"]
    assert binge.show_if is not None
    assert binge.show_if({"drink_freq": "daily", "drink_amount": 2.0}, {}) is True
    assert binge.show_if({"drink_freq": "daily", "drink_amount": 0.0}, {}) is False
    assert binge.show_if({"drink_amount": 5.0}, {}) is False  # drink_freq unanswered
    suggestions = {s.id: s for s in rules.factors[0].suggestions}
    assert suggestions["drink-binge"].reads == {"drink_binge"}
    assert suggestions["drink-less"].reads == {"level"}


def test_red_flags_can_be_read_by_later_conditions() -> None:
    rules = compiled(MINI_TEXT.replace(
        "show_if: {all: [{drink_freq: {in: [weekly, daily]}}, {drink_amount: {gte: 1}}]}",
        "show_if: {blood: 'yes'}"))
    show_if = rules.by_id["drink_binge"].show_if
    assert show_if is not None
    assert (show_if({"blood": True}, {}), show_if({"blood": False}, {})) == (True, False)


def test_a_condition_may_only_read_questions_asked_before_it() -> None:
    text = MINI_TEXT.replace("        show_if: {drink_freq: {not_in: [never]}}", "        show_if: {drink_binge: 'yes'}")
    assert problems_of(text) == [
        "r.yaml:43:32: 'drink_binge' is not a question asked before this point (did you mean 'drink_freq'?)"]


def test_factor_facts_are_bounded_by_what_the_factor_can_reach() -> None:
    text = MINI_TEXT.replace("when: {percent: {gte: 50}}", "when: {points: {gt: 99}}")
    assert problems_of(text) == ["r.yaml:110:29: points gt 99 can never hold (points runs from 0 to 6)"]
    text = MINI_TEXT.replace("when: {level: [moderate, high]}", "when: {level: [severe]}")
    (problem,) = problems_of(text)
    assert problem.startswith("r.yaml:64:23: ") and "'severe' is not an option of 'level'" in problem


def test_the_content_hash_ignores_formatting_and_key_order_but_not_content() -> None:
    data = normalised()
    reordered = dict(reversed(list(data.items())))
    assert content_hash(reordered) == content_hash(data)
    assert content_hash(normalised(MINI_TEXT.replace("title: Mini test rules", "title:   'Mini test rules'"))) == (
        content_hash(data))
    assert content_hash(normalised(MINI_TEXT.replace("Drink less.", "Drink much less."))) != content_hash(data)
    assert content_hash(data).startswith("sha256:")


def test_compiling_from_the_cache_gives_the_same_rule_base_as_a_full_check() -> None:
    full = load_rules_text(MINI_TEXT, "r.yaml")
    from_cache = compiled()
    assert from_cache.content_hash == full.content_hash
    assert [replace(q, show_if=None) for q in from_cache.questions] == [
        replace(q, show_if=None) for q in full.questions]
    answers = {"drink_freq": "weekly", "drink_amount": 2.0}
    assert [q.show_if is None or q.show_if(answers, {}) for q in from_cache.questions] == [
        q.show_if is None or q.show_if(answers, {}) for q in full.questions]
    assert [f.bands for f in from_cache.factors] == [f.bands for f in full.factors]
