"""The cross checks a per-field model cannot make, each located at the line an author fixes."""

from __future__ import annotations

import pytest
from conftest import MINI_RULES

from gutcheck.errors import RulesError
from gutcheck.rulebook import spec
from gutcheck.rulebook.checks import check_bands
from gutcheck.rulebook.loading import load_rules_text

MINI_TEXT = MINI_RULES.read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    """The located problems of rules text that must fail its checks."""
    with pytest.raises(RulesError) as caught:
        load_rules_text(text, "r.yaml")
    return [str(problem) for problem in caught.value.problems]


def mutated(*changes: tuple[str, str]) -> str:
    """The mini rule base with exact texts replaced (each present once)."""
    text = MINI_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` first stands."""
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("  - id: food\n", "  - id: drink\n", "  - id: drink\n    title: Food",
         "duplicate factor id 'drink' (first used at an earlier entry)"),
        ("      - id: food_stress\n", "      - id: blood\n", "      - id: blood",
         "duplicate question id 'blood' (first used at an earlier entry)"),
        ("      - id: food_stress\n", "      - id: level\n", "      - id: level",
         "'level' is a reserved word in conditions; choose another id"),
        ("      - id: food-percent\n", "      - id: eat-veg\n", "      - id: eat-veg\n        text: Look",
         "duplicate suggestion id 'eat-veg' (first used at an earlier entry)"),
        ("{value: daily, label: Daily", "{value: weekly, label: Daily", "{value: weekly, label: Daily",
         "duplicate option value 'weekly' (first used at an earlier entry)"),
        ("label: Daily,", "label: WEEKLY,", "label: WEEKLY", "duplicate option label in this question"),
        ("{value: daily, label: Daily", "{value: prefer-not-to-say, label: Daily", "value: prefer-not",
         "'prefer-not-to-say' is reserved; use allow_skip instead"),
        ("references: [src-c]\n  - id: weight_loss", "references: [src-x]\n  - id: weight_loss", "src-x",
         "unknown reference 'src-x'; add it under 'references'"),
        ("        max: 40\n", "        max: 0\n", "        max: 0", "max (0) must be greater than min (0)"),
        ("          - {points: 4}\n", "          - {below: 9, points: 4}\n", "{below: 9",
         "the last range must have no 'below' (it takes the rest)"),
        ("          - {below: 3, points: 0}\n", "          - {points: 0}\n", "{points: 0}\n          - {below: 6",
         "only the last range may leave out 'below'"),
        ("          - {below: 6, points: 2}", "          - {below: 2, points: 2}", "2, points: 2",
         "range bounds must increase"),
        ("        max_picks: 3\n", "        max_picks: 9\n", "max_picks: 9", "max_picks (9) exceeds the 5 options"),
        ("        min_picks: 1\n        max_picks: 3\n", "        min_picks: 3\n        max_picks: 2\n",
         "min_picks: 3", "min_picks is greater than max_picks"),
        ("{value: never, label: Never, points: 0}", "{value: never, label: Never, points: 0, exclusive: true}",
         "exclusive: true", "'exclusive' only applies to multi questions"),
    ],
)
def test_each_cross_check_is_located(old: str, new: str, needle: str, message: str) -> None:
    text = mutated((old, new))
    problems = problems_of(text)
    (problem,) = [p for p in problems if p.endswith(f": {message}")] or problems
    assert problem.startswith(f"r.yaml:{line_of(text, needle)}:"), problem
    assert problem.endswith(f": {message}"), problem


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("{below: 3, level: low, summary: Low drinking", "{min: 1, below: 3, level: low, summary: Low drinking",
         "min: 1, below: 3", "the first band starts at 1, so points from 0 fall in no band"),
        ("{below: 7, level: moderate", "{min: 4, below: 7, level: moderate", "min: 4",
         "gap: points from 3 to 4 fall in no band"),
        ("{below: 7, level: moderate", "{min: 2, below: 7, level: moderate", "min: 2",
         "overlap: this band starts at 2, before the previous ends at 3"),
        ("{below: 7, level: moderate", "{level: moderate", "{level: moderate",
         "only the last band may leave out 'below'"),
        ("{below: 7, level: moderate", "{below: 3, level: moderate", "{below: 3, level: moderate",
         "empty band: 'below' (3) must be above 3"),
        ("      - {level: high, summary: High drinking", "      - {below: 10, level: high, summary: High drinking",
         "below: 10", "points from 10 to 10 fall in no band; drop 'below' on the last band"),
        ("{below: 7, level: moderate", "{below: 7, level: low", "{below: 7, level: low",
         "duplicate level name in these bands"),
        ("    - {below: 60, level: moderate", "    - {below: 60, level: low", "{below: 60, level: low",
         "duplicate level name in these bands"),
    ],
)
def test_bands_must_cover_every_reachable_score_once(old: str, new: str, needle: str, message: str) -> None:
    text = mutated((old, new))
    problems = problems_of(text)
    (problem,) = [p for p in problems if p.endswith(f": {message}")] or problems
    assert problem.startswith(f"r.yaml:{line_of(text, needle)}:"), problem
    assert problem.endswith(f": {message}"), problem


def test_every_cross_check_problem_is_reported_in_one_run() -> None:
    text = mutated(
        ("  - id: food\n", "  - id: drink\n"),
        ("        max_picks: 3\n", "        max_picks: 9\n"),
        ("references: [src-c]\n  - id: weight_loss", "references: [src-x]\n  - id: weight_loss"),
        ("{below: 7, level: moderate", "{min: 4, below: 7, level: moderate"),
    )
    problems = problems_of(text)
    assert len(problems) == 4
    assert [int(p.split(":")[1]) for p in problems] == sorted(int(p.split(":")[1]) for p in problems)


def band(level: str, below: float | None = None, minimum: float | None = None) -> spec.BandSpec:
    """One band as an author writes it."""
    return spec.BandSpec(level=level, summary="s", below=below, min=minimum)


def test_check_bands_accepts_bands_that_cover_the_range() -> None:
    assert list(check_bands([band("low", 3), band("high")], 10, ("bands",), "points")) == []
    assert list(check_bands([band("low", 50), band("high", 101)], 100, ("bands",), "percent")) == []


def test_check_bands_names_the_unit_and_the_path() -> None:
    found = list(check_bands([band("low", 50), band("high", 90)], 100, ("overall", "bands"), "percent"))
    assert found == [(("overall", "bands", 1, "below"),
                      "percent from 90 to 100 fall in no band; drop 'below' on the last band")]
