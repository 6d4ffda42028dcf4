"""Answers to the 'about you' questions go through the one answer path and are never scored."""

from __future__ import annotations

from gutcheck.answers.parse import SKIP
from gutcheck.engine.scoring import score
from gutcheck.rulebook.loading import load_rules

RULES = load_rules(None)
WHEN = "2026-01-31T09:00:00+00:00"


def test_about_answers_parse_by_label_value_or_prefer_not_to_say() -> None:
    age = RULES.by_id["age_band"]
    assert age.parse("60 or over") == "age_60_plus"
    assert age.parse(" AGE_18_39 ") == "age_18_39"
    assert age.parse("Prefer not to say") == SKIP
    assert RULES.by_id["sex"].parse("female") == "female"


def test_about_answers_change_no_score_and_are_reported_as_about_answers() -> None:
    base = {"alcohol_frequency": "four_or_more_a_week", "stress_level": "very"}
    plain = score(RULES, base, taken_at=WHEN)
    told = score(RULES, {**base, "age_band": "60 or over", "sex": "male"}, taken_at=WHEN)
    assert [(f.raw, f.max, f.percent) for f in told.factors] == [(f.raw, f.max, f.percent) for f in plain.factors]
    assert told.overall == plain.overall
    assert [(a.question, a.label) for a in told.about] == [("age_band", "60 or over"), ("sex", "Male")]
    assert not any(c.question in {"age_band", "sex"} for f in told.factors for c in f.contributions)
