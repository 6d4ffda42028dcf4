"""The engine's outline: the scores of an answer set without a report, as batch summaries use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from answer_strategies import answer_sets
from hypothesis import given, settings
from hypothesis import strategies as st

from gutcheck.engine import compiled
from gutcheck.engine.scoring import Scorer, score_parsed
from gutcheck.rulebook.loading import load_rules

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
RULE_BASES = {"mini": load_rules(MINI), "bundled": load_rules(None)}
WHEN = "2026-01-31T09:00:00+00:00"


@pytest.mark.parametrize("name", sorted(RULE_BASES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_outline_holds_what_the_full_assessment_says(name: str, data: st.DataObject) -> None:
    rules = RULE_BASES[name]
    detailed, lean = Scorer(rules), Scorer(rules, detail=False)
    for _ in range(3):  # several answer sets through the same scorers, so remembered results are reused
        answers = data.draw(answer_sets(rules))
        full = score_parsed(rules, answers, taken_at=WHEN)
        outline = detailed.outline(answers)

        assert tuple(outcome.result for outcome in outline.factors) == full.factors
        assert (outline.overall, outline.red_flags, outline.unanswered) == (
            full.overall, full.red_flags, full.unanswered)
        assert outline.suggestions() == full.suggestions
        assert outline.suggestions(2) == full.suggestions[:2]
        assert outline.top_factor() == full.top_factor()
        brief = lean.outline(answers)
        assert [(o.result.id, o.result.percent, o.result.level, o.suggestions) for o in brief.factors] == [
            (f.id, f.percent, f.level, o.suggestions) for f, o in zip(full.factors, outline.factors, strict=True)
        ]
        assert all(not outcome.result.contributions for outcome in brief.factors)


def test_factors_rank_by_weight_times_percent() -> None:
    rules = RULE_BASES["mini"]
    # drink (weight 2) at 40% weighs 80; food (weight 1) at 100% weighs 100, so food comes first.
    outline = Scorer(rules).outline({"drink_freq": "daily", "drink_amount": 1.0, "drink_binge": False,
                                     "food_fibre": ("sweets", "fried"), "food_stress": "s3"})

    ranked = outline.ranked()

    assert [(o.result.id, o.weighted) for o in ranked] == [("food", 100.0), ("drink", 80.0)]
    top = outline.top_factor()
    assert top is not None and top.id == "food"
    # Suggestions rank by evidence before the factor's weight: drink-less is a trial in people.
    assert [s.id for s in outline.suggestions()] == ["drink-less", "eat-veg", "food-percent"]
    assert [s.id for s in outline.suggestions(1)] == ["drink-less"]


def test_nothing_to_score_gives_no_top_factor_and_no_overall() -> None:
    outline = Scorer(RULE_BASES["mini"]).outline({"blood": True})

    assert outline.top_factor() is None
    assert (outline.overall.percent, outline.overall.level) == (None, None)
    assert [flag.id for flag in outline.red_flags] == ["blood"]


def test_remembered_results_are_bounded_and_do_not_change_the_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = RULE_BASES["mini"]
    monkeypatch.setattr(compiled, "MEMO_LIMIT", 3)
    scorer = Scorer(rules, detail=False)
    answer_sets_seen = [{"drink_freq": "weekly", "drink_amount": float(n), "food_stress": "s1"} for n in range(12)]

    outlines = [scorer.outline(answers) for answers in answer_sets_seen * 2]

    score = scorer.functions.score  # the generated scorer keeps what its parts found in its closure
    memories = {name: cell.cell_contents for name, cell in zip(score.__code__.co_freevars, score.__closure__ or (), strict=True)
                if name.endswith("_SEEN")}
    assert memories and all(len(memory) <= 3 for memory in memories.values())
    assert len(scorer.helpers._scores) <= 3 and len(scorer.helpers._parts) <= 3
    # overall results are kept one per percent (at most 1,001 of them), whatever the memory limit
    assert len(scorer.helpers._overalls) == len({outline.overall.percent for outline in outlines})
    for answers, outline in zip(answer_sets_seen * 2, outlines, strict=True):
        assert outline.overall == score_parsed(rules, answers, taken_at=WHEN).overall


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_batch_top_suggestions_are_the_first_of_the_assessments_ranked_suggestions(data: st.DataObject) -> None:
    from gutcheck.batch.rows import ParsedRow
    from gutcheck.batch.summary import TOP_SUGGESTIONS, SummaryScorer, summarise

    rules = RULE_BASES["bundled"]
    summaries = SummaryScorer(rules, taken_at=WHEN)
    for _ in range(3):
        answers = data.draw(answer_sets(rules))
        full = score_parsed(rules, answers, taken_at=WHEN)
        # the red flags answered yes lead, most urgent first, then the ranked suggestions
        expected = (*(f.id for f in full.red_flags), *(s.id for s in full.suggestions))[:TOP_SUGGESTIONS]
        assert summaries(ParsedRow(1, "c", answers)).top_suggestions == expected
        assert summarise(full, 1).top_suggestions == expected
        assert full.first_steps == tuple(s.id for s in full.steps()) or not full.suggestions
        assert full.first_steps[: len(full.red_flags)] == tuple(f.id for f in full.red_flags)


def test_a_document_saved_before_kinds_and_first_steps_still_reads() -> None:
    from gutcheck.engine.assessment import Assessment

    rules = RULE_BASES["bundled"]
    answers = rules.parse_answers({"family_history": "yes", "alcohol_frequency": "four_or_more_a_week",
                                   "sex": "male"})
    data = score_parsed(rules, answers, taken_at=WHEN).to_dict()
    for key in ("instruments", "first_steps", "about", "learn"):
        data.pop(key)
    for flag in data["red_flags"]:
        for key in ("kind", "title", "step", "time_frame"):
            flag.pop(key)
    for factor in data["factors"]:
        factor.pop("learn")
    for item in data["suggestions"]:
        for key in ("priority", "short", "learn"):
            item.pop(key)
    old = Assessment.from_dict(data)
    assert old.red_flags[0].kind == "alarm" and old.first_steps == () and old.instruments == ()
    steps = old.steps()
    # a red flag saved before flags were steps still comes first, with its time frame in words
    assert steps[0].red_flag is not None and steps[0].text == "At your next appointment: see a doctor about what you reported."
    assert steps[1:] and all(s.suggestion is not None and s.suggestion.evidence != "lab" for s in steps[1:])
    assert old.suggestions[0].step == old.suggestions[0].text
