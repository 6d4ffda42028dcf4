"""The one ranking: red flags most urgent first, then suggestions by safety, how well the guideline
fits the person's situation, evidence, the factor's weight for the person, and variety."""

from __future__ import annotations

from typing import Any

from answer_strategies import answer_sets
from hypothesis import given, settings

from gutcheck.engine.assessment import RedFlagResult, SuggestionResult
from gutcheck.engine.ranking import (
    EVIDENCE_ORDER,
    PRIORITY_ORDER,
    first_steps,
    order_red_flags,
    rank_suggestions,
    suggestion_steps,
)
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
    assert ids(suggestion_steps(ranked)) == ["diet-0", "sleep", "drink", "diet-1"]  # never the lab-only one


def test_two_safety_steps_of_one_factor_both_come_first() -> None:
    ranked = rank_suggestions([
        (10.0, [s("test", "gluten", "guideline", "safety"), s("tell", "gluten", "guideline", "safety")]),
        (90.0, [s("sleep", "sleep", "guideline"), s("more-sleep", "sleep", "guideline")]),
    ])
    assert ids(ranked) == ["test", "tell", "sleep", "more-sleep"]


def test_lab_only_steps_appear_only_when_nothing_else_applies() -> None:
    only_lab = rank_suggestions([(10.0, [s("fibre", "diet", "lab"), s("beans", "diet", "lab")])])
    assert ids(suggestion_steps(only_lab)) == ["fibre", "beans"]
    assert suggestion_steps(()) == ()


def test_a_guideline_made_for_the_situation_ranks_above_a_general_one_and_does_not_wait() -> None:
    # Brief advice after a positive alcohol screen (targeted) before a general sleep guideline,
    # even from a factor that already has a step, while the sleep guideline still ranks by
    # evidence and load like any other standard suggestion.
    ranked = rank_suggestions([
        (60.0, [s("get-help", "alcohol", "human", "safety"), s("drink-less", "alcohol", "guideline", "targeted")]),
        (90.0, [s("sleep", "sleep", "guideline"), s("yogurt", "diet", "human")]),
    ])
    assert ids(ranked) == ["get-help", "drink-less", "sleep", "yogurt"]
    assert PRIORITY_ORDER["safety"] < PRIORITY_ORDER["targeted"] < PRIORITY_ORDER["standard"]


def flag(fid: str, urgency: str, kind: str = "alarm") -> RedFlagResult:
    return RedFlagResult(fid, f"{fid}?", "advice", urgency, ("ref",), kind)


def test_red_flags_come_first_most_urgent_first_each_once_then_five_steps_in_all() -> None:
    flags = order_red_flags([flag("family", "routine", "risk"), flag("bleeding", "soon"), flag("black", "same_day"),
                             flag("marker", "soon", "risk"), flag("vomiting-blood", "emergency")])
    assert [f.id for f in flags] == ["vomiting-blood", "black", "bleeding", "marker", "family"]
    ranked = rank_suggestions([(50.0, [s(f"tip-{i}", f"f{i}", "human") for i in range(5)])])
    assert first_steps(flags[:2], ranked) == ("vomiting-blood", "black", "tip-0", "tip-1", "tip-2")
    assert first_steps(flags, ranked) == ("vomiting-blood", "black", "bleeding", "marker", "family")
    assert first_steps((), ranked) == tuple(f"tip-{i}" for i in range(5))


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
    steps = suggestion_steps(ranked)
    if any(s.evidence != "lab" for s in ranked):
        assert steps and all(s.evidence != "lab" for s in steps)
    assert keys[5:] == sorted(keys[5:])  # after the first five, the plain order
