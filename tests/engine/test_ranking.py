"""The one ranking of suggestions: safety, evidence, the factor's weight for the person, variety."""

from __future__ import annotations

from gutcheck.engine.assessment import SuggestionResult
from gutcheck.engine.ranking import first_steps, rank_suggestions


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
