"""Scoring: the numbers, levels, 'why', red flags and suggestions a person relies on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from answer_strategies import answer_for, answer_sets
from conftest import MINI_RULES
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gutcheck.answers.parse import SKIP
from gutcheck.engine.assessment import ASSESSMENT_SCHEMA, Assessment
from gutcheck.engine.scoring import score, score_parsed
from gutcheck.errors import ExitCode, InputError
from gutcheck.rulebook.loading import load_rules, load_rules_detailed

RULES = load_rules(MINI_RULES)
WHEN = "2026-01-31T09:00:00+00:00"
HEAVY = {
    "blood": "no", "weight_loss": "no", "drink_freq": "daily", "drink_amount": 8,
    "drink_binge": "yes", "food_fibre": ["sweets", "fried"], "food_stress": "s3",
}


def factor(assessment: Assessment, factor_id: str) -> Any:
    return next(f for f in assessment.factors if f.id == factor_id)


def test_points_percent_and_level_follow_the_answers() -> None:
    result = score(RULES, HEAVY, taken_at=WHEN)
    drink = factor(result, "drink")
    assert (drink.raw, drink.max, drink.percent, drink.level) == (10, 10, 100.0, "high")
    food = factor(result, "food")
    assert (food.raw, food.max, food.level) == (6, 6, "high")
    assert result.overall.percent == 100.0
    assert result.overall.level == "high"


def test_contributions_explain_each_factor() -> None:
    drink = factor(score(RULES, HEAVY, taken_at=WHEN), "drink")
    assert [(c.question, c.answer, c.points) for c in drink.contributions] == [
        ("drink_freq", "Daily", 4), ("drink_amount", "8 drinks", 4), ("drink_binge", "Yes", 2),
    ]
    assert drink.top_contributions(1)[0].question == "drink_freq"


def test_hidden_questions_do_not_count() -> None:
    answers = {**HEAVY, "drink_freq": "never"}
    drink = factor(score(RULES, answers, taken_at=WHEN), "drink")
    assert drink.raw == 0
    assert [c.question for c in drink.contributions] == ["drink_freq"]
    assert drink.level == "low"


def test_declined_questions_are_left_out_of_the_maximum_and_reported() -> None:
    answers = {"drink_freq": "Prefer not to say", "food_fibre": "veg", "food_stress": "s1"}
    result = score(RULES, answers, taken_at=WHEN)
    drink = factor(result, "drink")
    assert drink.percent is None and drink.level is None
    assert "drink_freq" in result.unanswered
    assert result.overall.percent == 0.0  # only food could be scored


def test_a_factor_with_too_few_answers_is_not_scored() -> None:
    result = score(RULES, {"food_stress": "s3", "drink_freq": "never"}, taken_at=WHEN)
    food = factor(result, "food")
    assert (food.percent, food.level, food.summary) == (None, None, "Not enough answers to score this.")
    assert food.unanswered == ("food_fibre",)
    assert result.overall.percent == factor(result, "drink").percent == 0.0


def test_missing_answers_prorate_the_points_so_level_and_percent_agree() -> None:
    drink = factor(score(RULES, {"drink_freq": "weekly"}, taken_at=WHEN), "drink")
    # 2 points of the 6 reachable (the amount was left blank; the binge question stays hidden)
    assert (drink.raw, drink.max, drink.percent) == (2, 6, 33.3)
    assert drink.level == "moderate"  # 2/6 of the full 10 points is 3.3: the moderate band


def test_labels_values_and_loose_spellings_score_the_same() -> None:
    loose = {**HEAVY, "drink_freq": " DAILY ", "drink_amount": "8,0", "drink_binge": "Y",
             "food_fibre": "Sweets, Fried food", "food_stress": "a lot"}
    assert score(RULES, loose, taken_at=WHEN).to_dict() == score(RULES, HEAVY, taken_at=WHEN).to_dict()


def test_red_flags_are_reported_and_never_scored() -> None:
    calm = {"blood": "no", "weight_loss": "no", "drink_freq": "never", "food_fibre": "veg", "food_stress": "s1"}
    alarmed = {**calm, "blood": "yes"}
    before, after = score(RULES, calm, taken_at=WHEN), score(RULES, alarmed, taken_at=WHEN)
    assert [r.id for r in after.red_flags] == ["blood"]
    assert after.red_flags[0].advice == "See a clinician within days."
    assert (before.overall.percent, before.overall.level) == (after.overall.percent, after.overall.level)
    # under the notice, the level says it counts habits only instead of its band's reassurance
    assert after.overall.summary.startswith("This level counts habits and exposures only")
    assert after.first_steps[0] == "blood"
    assert not before.red_flags


def test_suggestions_follow_their_conditions_and_rank_by_evidence() -> None:
    result = score(RULES, HEAVY, taken_at=WHEN)
    ids = [s.id for s in result.suggestions]
    # trial in people, studies in people, review, then the lab-only one last
    assert ids == ["drink-less", "eat-veg", "food-percent", "drink-binge"]
    assert result.first_steps == ("drink-less", "eat-veg", "food-percent")
    assert result.suggestions[0].evidence_words == "trial in people"
    low = score(RULES, {"drink_freq": "never", "food_fibre": "veg", "food_stress": "s1"}, taken_at=WHEN)
    assert [s.id for s in low.suggestions] == []


def test_invalid_answers_are_all_listed() -> None:
    with pytest.raises(InputError) as caught:
        score(RULES, {"drink_freq": "sometimes", "drink_amount": 99, "food_fibre": "veg, none",
                      "nonsense": 1, "drink_binge": "maybe"}, taken_at=WHEN)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "drink_freq: 'sometimes' is not one of: Never | Weekly | Daily | Prefer not to say" in text
    assert "drink_amount: 99 is not a whole number from 0 to 40 drinks" in text
    assert "food_fibre: 'None of these' cannot be combined with other choices" in text
    assert "'nonsense' is not a question of mini" in text
    assert "drink_binge: 'maybe' is not yes or no" in text


def test_too_many_picks_and_fractions_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        score(RULES, {"food_fibre": ["veg", "beans", "sweets", "fried"], "drink_amount": "2.5"}, taken_at=WHEN)
    text = " ".join(str(p) for p in caught.value.problems)
    assert "pick at most 3" in text
    assert "2.5 is not a whole number" in text


def test_json_document_is_versioned_and_round_trips() -> None:
    result = score(RULES, HEAVY, taken_at=WHEN, client="c-1")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == ASSESSMENT_SCHEMA
    assert data["rules"]["id"] == "mini" and data["rules"]["hash"].startswith("sha256:")
    assert data["references"]["src-a"]["links"] == ["https://doi.org/10.1000/abc.1", "https://pubmed.ncbi.nlm.nih.gov/123456/"]
    assert Assessment.from_dict(data) == result


def test_from_dict_refuses_other_documents() -> None:
    with pytest.raises(ValueError, match=r"not a gutcheck\.assessment/1 document"):
        Assessment.from_dict({"schema": "other/1"})


def test_score_command_prints_json(tmp_path: Any) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("drink_freq: Weekly\ndrink_amount: 4\nfood_fibre: [veg]\nfood_stress: s2\n")
    result = run("score", str(answers), "--rules", str(MINI_RULES), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema"] == "gutcheck.assessment/1"
    assert data["taken_at"] == WHEN
    assert {f["id"]: f["level"] for f in data["factors"]} == {"drink": "moderate", "food": "low"}
    for key in ("raw", "max", "percent", "level", "contributions"):
        assert key in data["factors"][0]


def test_score_command_locates_invalid_answers(tmp_path: Any) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("drink_freq: Weekly\ndrink_amount: lots\nfood_fibre: [veg]\n")
    result = run("score", str(answers), "--rules", str(MINI_RULES))
    assert result.code == ExitCode.INVALID_INPUT
    assert f"{answers}:2:1: drink_amount: 'lots' is not a number" in result.err
    assert result.out == ""


def test_score_command_reads_stdin() -> None:
    result = run("score", "-", "--rules", str(MINI_RULES), "-f", "json", stdin='{"drink_freq": "never"}')
    assert result.code == 0, result.err
    assert json.loads(result.out)["factors"][0]["level"] == "low"


def test_score_command_rejects_a_list_document(tmp_path: Any) -> None:
    answers = tmp_path / "a.json"
    answers.write_text("[1, 2]")
    result = run("score", str(answers), "--rules", str(MINI_RULES))
    assert result.code == ExitCode.INVALID_INPUT
    assert "expected a mapping of question id to answer" in result.err


# --- properties ---------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(answer_sets(RULES))
def test_any_valid_answer_set_scores_within_bounds(answers: dict[str, Any]) -> None:
    result = score_parsed(RULES, answers, taken_at=WHEN)
    for item in result.factors:
        assert item.percent is None or 0.0 <= item.percent <= 100.0
    assert result.overall.percent is None or 0.0 <= result.overall.percent <= 100.0


def _condition_keys(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        return set(condition) | {k for v in condition.values() for k in _condition_keys(v)}
    if isinstance(condition, list):
        return {k for item in condition for k in _condition_keys(item)}
    return set()


def _independent_questions() -> list[str]:
    """Scored choice questions that no show_if depends on."""
    model = load_rules_detailed(MINI_RULES).model
    used = {k for f in model.factors for q in f.questions for k in _condition_keys(q.show_if)}
    return [q.id for q in RULES.questions if q.factor and q.kind in ("choice", "scale") and q.id not in used]


@PROPERTY_SETTINGS
@given(answer_sets(RULES, complete=True), st.sampled_from(_independent_questions()), st.data())
def test_more_risk_points_never_lower_a_factor(answers: dict[str, Any], qid: str, data: st.DataObject) -> None:
    question = RULES.by_id[qid]
    other = data.draw(answer_for(question))
    if SKIP in (answers[qid], other):
        return
    low, high = sorted([answers[qid], other], key=question.points)
    before = score_parsed(RULES, {**answers, qid: low}, taken_at=WHEN)
    after = score_parsed(RULES, {**answers, qid: high}, taken_at=WHEN)
    index = next(i for i, f in enumerate(RULES.factors) if f.id == question.factor)
    assert after.factors[index].raw >= before.factors[index].raw
    assert (after.factors[index].percent or 0) >= (before.factors[index].percent or 0)


@PROPERTY_SETTINGS
@given(answer_sets(RULES, complete=True), st.data())
def test_hidden_questions_never_count(answers: dict[str, Any], data: st.DataObject) -> None:
    answers = {**answers, "drink_freq": "never"}
    changed = {**answers, "drink_amount": data.draw(answer_for(RULES.by_id["drink_amount"])),
               "drink_binge": data.draw(st.booleans())}
    first = score_parsed(RULES, answers, taken_at=WHEN)
    second = score_parsed(RULES, changed, taken_at=WHEN)
    assert first.factors == second.factors
    assert first.overall == second.overall
