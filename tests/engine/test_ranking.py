"""The one ranking of suggestions: safety, evidence, the factor's weight for the person, variety."""

from __future__ import annotations

from typing import Any

from answer_strategies import answer_sets
from hypothesis import given, settings

from gutcheck.engine.assessment import SuggestionResult
from gutcheck.engine.ranking import EVIDENCE_ORDER, PRIORITY_ORDER, first_steps, rank_suggestions
from gutcheck.engine.scoring import score_parsed
from gutcheck.rulebook.loading import load_rules

BUNDLED = load_rules(None)


def s(sid: str, factor: str, evidence: str, priority: str = "standard") -> SuggestionResult:
    return SuggestionResult(sid, factor, f"{sid}.", "why", evidence, None, ("ref",), priority, sid)


def ids(items: tuple[SuggestionResult, ...]) -> list[str]:
    return [item.id for item in items]


def test_safety_then_evidence_then_the_factors_weight() -> None:
    ranked = rank_suggestions([
        (50.0, [s("a-rct", "a", "rct"), s("a-safe", "a", "human", "safety")]),
        (90.0, [s("b-human", "b", "human"), s("b-guide", "b", "guideline")]),
    ])
    assert ids(ranked) == ["a-safe", "b-guide", "a-rct", "b-human"]


def test_a_factor_waits_its_turn_and_never_has_more_than_two_of_the_first_five() -> None:
    diet = [s(f"diet-{i}", "diet", "human") for i in range(4)]
    ranked = rank_suggestions([
        (100.0, diet),
        (10.0, [s("sleep", "sleep", "review"), s("drink", "drink", "review")]),
        (5.0, [s("gluten", "gluten", "lab")]),
    ])
    assert ids(ranked)[:5] == ["diet-0", "sleep", "drink", "diet-1", "gluten"]
    assert ids(ranked)[5:] == ["diet-2", "diet-3"]
    assert ids(first_steps(ranked)) == ["diet-0", "sleep", "drink", "diet-1"]  # never the lab-only one


def test_two_safety_steps_of_one_factor_both_come_first() -> None:
    ranked = rank_suggestions([
        (10.0, [s("test", "gluten", "guideline", "safety"), s("tell", "gluten", "guideline", "safety")]),
        (90.0, [s("sleep", "sleep", "guideline"), s("more-sleep", "sleep", "guideline")]),
    ])
    assert ids(ranked) == ["test", "tell", "sleep", "more-sleep"]


def test_lab_only_steps_appear_only_when_nothing_else_applies() -> None:
    only_lab = rank_suggestions([(10.0, [s("fibre", "diet", "lab"), s("beans", "diet", "lab")])])
    assert ids(first_steps(only_lab)) == ["fibre", "beans"]
    assert first_steps(()) == ()


@settings(max_examples=200, deadline=None)
@given(answers=answer_sets(BUNDLED))
def test_any_answers_get_a_ranking_that_keeps_its_promises(answers: dict[str, Any]) -> None:
    from collections import Counter

    ranked = score_parsed(BUNDLED, answers, taken_at="2026-01-31T09:00:00+00:00").suggestions
    top = ranked[:5]
    keys = [(PRIORITY_ORDER[s.priority], EVIDENCE_ORDER[s.evidence]) for s in ranked]
    safety = [s for s in ranked if s.priority == "safety"]
    assert all(s in top for s in safety[:2])  # safety first, whatever the factor
    counts = Counter(s.factor for s in top)
    if max(counts.values(), default=0) > 2:  # only when every other suggestion would crowd the top too
        assert all(counts[s.factor] >= 2 for s in ranked[5:])
    steps = first_steps(ranked)
    if any(s.evidence != "lab" for s in ranked):
        assert steps and all(s.evidence != "lab" for s in steps)
    assert keys[5:] == sorted(keys[5:])  # after the first five, the plain order
