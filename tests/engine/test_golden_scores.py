"""The same rule base and answers give bit-identical scores on every supported Python.

``.ci/run`` runs this module on every other Python 3.10-3.13 installed on the machine.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from golden import GOLDEN, expected, rule_bases

from gutcheck.rulebook.model import RuleBase

CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


@cache
def _rule_bases() -> dict[str, RuleBase]:
    return rule_bases()


def test_the_golden_file_covers_both_rule_bases_with_mixed_answers() -> None:
    assert {case["rules"] for case in CASES} == {"bundled", "mini"}
    overall = {case["scores"]["overall"]["percent"] for case in CASES}
    assert len(overall) > 30  # many distinct weighted means, not one repeated score
    assert any(case["scores"]["unanswered"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['rules']}-{c['row']}" for c in CASES])
def test_scores_match_the_golden_file(case: dict[str, object]) -> None:
    got = expected(_rule_bases()[str(case["rules"])], case["answers"], int(str(case["row"])))  # type: ignore[arg-type]
    assert json.dumps(got, sort_keys=True, ensure_ascii=False) == json.dumps(
        {"scores": case["scores"], "record": case["record"]}, sort_keys=True, ensure_ascii=False)
