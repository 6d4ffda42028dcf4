"""The generated scorer gives exactly what the engine's own Python walk gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from answer_strategies import answer_sets
from hypothesis import given, settings
from hypothesis import strategies as st

from gutcheck.engine.compiled import compiled
from gutcheck.engine.scoring import Scorer
from gutcheck.rulebook.loading import load_rules

DATA = Path(__file__).resolve().parents[1] / "data"
RULE_BASES = {"mini": load_rules(DATA / "mini.yaml"), "bundled": load_rules(None)}
WHEN = "2026-01-31T09:00:00+00:00"


def _walking(rules: object, *, detail: bool = True) -> Scorer:
    """A scorer that walks the rule base in Python, without the generated module."""
    scorer = Scorer(rules, detail=detail)  # type: ignore[arg-type]
    scorer.tracer = None
    return scorer


@pytest.mark.parametrize("name", sorted(RULE_BASES))
def test_every_bundled_and_test_rule_base_compiles(name: str) -> None:
    assert compiled(RULE_BASES[name]) is not None
    assert Scorer(RULE_BASES[name]).tracer is not None


@pytest.mark.parametrize("name", sorted(RULE_BASES))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_generated_and_walked_assessments_are_equal(name: str, data: st.DataObject) -> None:
    rules = RULE_BASES[name]
    generated, walked = Scorer(rules), _walking(rules)
    lean, walked_lean = Scorer(rules, detail=False), _walking(rules, detail=False)
    for _ in range(3):
        answers = data.draw(answer_sets(rules))
        assert generated(answers, taken_at=WHEN) == walked(answers, taken_at=WHEN)
        assert lean(answers, taken_at=WHEN) == walked_lean(answers, taken_at=WHEN)
