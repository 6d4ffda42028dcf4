"""``gutcheck rules scorer``: an author reads the very scorer gutcheck uses for their rules."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import run

from gutcheck.engine.compiled import Helpers, scorer
from gutcheck.rulebook.loading import load_rules

ROOT = Path(__file__).resolve().parents[2]


def test_it_prints_a_module_that_scores_as_gutcheck_does() -> None:
    result = run("rules", "scorer")
    assert result.code == 0, result.err
    rules = load_rules(None)
    namespace: dict[str, object] = {"__builtins__": {}}
    exec(compile(result.out, "<printed scorer>", "exec"), namespace)  # the module gutcheck printed
    printed = namespace["make_scorer"](Helpers(rules))  # type: ignore[operator]
    given = {"alcohol_frequency": "two_to_four_a_month", "blood_in_stool": True, "sleep_hours": 5}
    answers = [given.get(q.id) for q in rules.questions]
    found = printed.score(*answers)
    assert found == scorer(rules)[1].score(*answers)
    assert [flag.id for flag in found.safety.flags] == ["blood_in_stool"]


def test_the_header_names_every_question_and_factor_by_its_id() -> None:
    out = run("rules", "scorer").out
    rules = load_rules(None)
    for i, question in enumerate(rules.questions):
        assert f"# q{i} = {question.id!r}\n" in out
    for k, factor in enumerate(rules.factors):
        assert f"# f{k} = {factor.id!r}: questions " in out
    ast.parse(out)


def test_another_rule_base_can_be_printed() -> None:
    result = run("rules", "scorer", str(ROOT / "tests" / "data" / "mini.yaml"))
    assert result.code == 0, result.err
    assert "def make_scorer(H):" in result.out and "age_band" not in result.out


def test_a_broken_rule_base_is_named_with_exit_code_4(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: [unclosed\n", encoding="utf-8")
    result = run("rules", "scorer", str(broken))
    assert result.code == 4 and result.out == ""
    assert "broken.yaml" in result.err and "Traceback" not in result.err
