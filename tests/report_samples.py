"""Fixed assessments the report tests share: mini rules, fixed answers, a fixed clock."""

from __future__ import annotations

from pathlib import Path

from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score
from gutcheck.rulebook.loading import load_rules

DATA = Path(__file__).parent / "data"
WHEN = "2026-01-31T09:00:00+00:00"

# A red flag, a multi answer, a number, a client id and every suggestion of the mini rules.
FLAGGED_ANSWERS: dict[str, object] = {
    "blood": "yes",
    "weight_loss": "no",
    "drink_freq": "daily",
    "drink_amount": 4,
    "drink_binge": "yes",
    "food_fibre": ["sweets", "fried"],
    "food_stress": "s2",
}
# No red flag, a declined answer (so a factor is not scored), a protective (negative) answer,
# no suggestion.
CLEAR_ANSWERS: dict[str, object] = {
    "blood": "no",
    "drink_freq": "Prefer not to say",
    "food_fibre": "Vegetables; Beans",
    "food_stress": "s1",
}


def flagged() -> Assessment:
    """An assessment with a red flag and suggestions, for client 'client-7'."""
    return score(load_rules(DATA / "mini.yaml"), FLAGGED_ANSWERS, taken_at=WHEN, client="client-7")


def clear() -> Assessment:
    """A calm assessment: no red flag, one factor not scored, nothing suggested."""
    return score(load_rules(DATA / "mini.yaml"), CLEAR_ANSWERS, taken_at=WHEN)


SAMPLES = {"flagged": flagged, "clear": clear}
