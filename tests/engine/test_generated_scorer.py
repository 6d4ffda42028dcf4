"""The generated scorer is the only scorer: every bundled and test rule base compiles, its
assessments agree with the reference scorer, and a lean assessment leaves out only report detail."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import reference
from answer_strategies import answer_sets
from hypothesis import given, settings
from hypothesis import strategies as st
from test_generated_property import _seen

from gutcheck.engine.compiled import compiled
from gutcheck.engine.scoring import Scorer
from gutcheck.rulebook.loading import load_rules

DATA = Path(__file__).resolve().parents[1] / "data"
RULE_BASES = {"mini": load_rules(DATA / "mini.yaml"), "bundled": load_rules(None)}
WHEN = "2026-01-31T09:00:00+00:00"


@pytest.mark.parametrize("name", sorted(RULE_BASES))
def test_every_bundled_and_test_rule_base_compiles(name: str) -> None:
    assert {"make_scorer", "make_rows"} <= set(compiled(RULE_BASES[name]))


@pytest.mark.parametrize("name", sorted(RULE_BASES))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_assessments_agree_with_the_reference_and_lean_ones_leave_out_only_detail(name: str, data: st.DataObject) -> None:
    rules = RULE_BASES[name]
    full, lean = Scorer(rules), Scorer(rules, detail=False)
    for _ in range(3):  # several answer sets through the same scorers, so remembered parts are reused
        answers = data.draw(answer_sets(rules))
        got = full(answers, taken_at=WHEN)
        assert _seen(got) == reference.score(rules, answers)
        without_detail = replace(got, answers=(), references={}, about=(), learn=(),
                                 factors=tuple(replace(f, contributions=()) for f in got.factors))
        assert lean(answers, taken_at=WHEN) == without_detail
