"""Nothing from a rule file ever runs as code: hostile ids and texts stay data in the generated scorer.

The rule base here skips the format's checks (its ids could never pass them) and goes straight
to the compiler, so the generator itself is what is tested: every id, option value, level and
text carries quotes, newlines, backslashes, ``__import__``, look-alike and invisible characters,
and one id is very long.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from gutcheck.engine.compiled import compiled
from gutcheck.engine.scoring import Scorer
from gutcheck.rulebook.codegen import CodegenError, generate, literal
from gutcheck.rulebook.compiler import FileLocator, compile_rules, content_hash
from gutcheck.rulebook.model import RuleBase
from gutcheck.rulebook.validation import validate_text

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
WHEN = "2026-01-31T09:00:00+00:00"
EVIL = (
    "'\"\\\n''')\n__import__('os').system('touch /tmp/pwned')#\\x00\r"
    "\u2028\u202e\u200d\uff49\uff4d\u0440\u043e\u0440t \x00{}"
)
TEXT_KEYS = {"ask", "advice", "label", "summary", "text", "why", "caution", "title", "explanation", "cite",
             "disclaimer", "name", "positive", "negative", "short", "help", "unit"}
OWN_CALLS = re.compile(r"^(g|m|M|F|X)\d+$|^(pick|bisect|top_ids|overall|flagged|Trace|get|learn|row|new|strip|unneutralise|append)$")
OWN_METHODS = {("flags", "append"), ("found", "append"), ("found", "sort"), ("FIRSTS", "get"), ("blank", "append"), ("answers", "get"),
               ("H", "factor_entry"), ("H", "multi_deltas"), ("H", "counts"), ("OV", "get")}
OWN_NAMES = re.compile(r"^([a-zA-Z]{1,7}\d*|[A-Z]+_?[A-Z]*|make_row|make_trace|top_ids|unneutralise|OutOfRange)$")


def _names(data: Any, found: set[str]) -> set[str]:
    """Every id, option value, level and reference key of normalised rule-base data."""
    if isinstance(data, dict):
        for key in ("id", "value", "level"):
            if isinstance(data.get(key), str):
                found.add(data[key])
        for value in data.values():
            _names(value, found)
    elif isinstance(data, list):
        for item in data:
            _names(item, found)
    return found


def _hostile(data: Any, names: dict[str, str], key: str = "") -> Any:
    """The data with every name made hostile (consistently) and every text given hostile marks."""
    if isinstance(data, dict):
        return {names.get(k, k): _hostile(v, names, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_hostile(item, names, key) for item in data]
    if isinstance(data, str):
        if data in names:
            return names[data]
        return data + EVIL if key in TEXT_KEYS else data
    return data


@pytest.fixture(scope="module")
def hostile() -> tuple[RuleBase, dict[str, str]]:
    normal, _, _, _ = validate_text(MINI.read_text(encoding="utf-8"), "mini.yaml")
    names = {name: f"{name}{EVIL}{i}" for i, name in enumerate(sorted(_names(normal, set())))}
    first = sorted(names)[0]
    names[first] = first + "A" * 100_000 + EVIL
    normal["references"] = {names.get(k, k): v for k, v in normal["references"].items()}
    data = _hostile(normal, names)
    rules, problems = compile_rules(data, FileLocator("hostile"), content_hash(data))
    assert problems == []
    return rules, names


def test_the_generated_source_is_ascii_and_holds_every_name_only_as_a_string_literal(
    hostile: tuple[RuleBase, dict[str, str]],
) -> None:
    rules, _ = hostile
    source = generate(rules)
    assert source.isascii()
    tree = ast.parse(source)
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    question_ids = {q.id for q in rules.questions}
    assert question_ids <= strings  # the keys of the answers mapping, as literals
    for node in ast.walk(tree):
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda, ast.Global, ast.Nonlocal))
        if isinstance(node, ast.Name):
            assert OWN_NAMES.match(node.id), node.id
        if isinstance(node, ast.Attribute):
            assert isinstance(node.value, ast.Name) and not node.attr.startswith("_")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert OWN_CALLS.match(func.id), func.id
            else:
                assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                assert (func.value.id, func.attr) in OWN_METHODS or re.match(r"^E\d+$", func.value.id)


def test_hostile_texts_come_back_unchanged_from_the_generated_scorer(
    hostile: tuple[RuleBase, dict[str, str]],
) -> None:
    rules, _ = hostile
    assert compiled(rules) is not None
    factor = rules.factors[0]
    answers = {q.id: q.parse(q.options[-1].value) if q.options else None for q in factor.questions}
    answers = {k: v for k, v in answers.items() if v is not None}
    answers[rules.red_flags[0].question.id] = True
    scorer = Scorer(rules)
    assert scorer.tracer is not None
    got = scorer(answers, taken_at=WHEN)
    walking = Scorer(rules)
    walking.tracer = None
    assert got == walking(answers, taken_at=WHEN)
    assert got.factors[0].id == factor.id and got.factors[0].title == factor.title
    assert got.red_flags[0].id == rules.red_flags[0].question.id and EVIL in got.red_flags[0].advice
    assert {s.id for s in got.suggestions} <= {s.id for f in rules.factors for s in f.suggestions}
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object(), b"bytes", ["list"], 1j])
def test_only_checked_plain_values_become_literals(value: object) -> None:
    with pytest.raises(CodegenError):
        literal(value)


def test_literals_read_back_as_the_same_value() -> None:
    for value in (EVIL, "A" * 10_000, True, False, None, -3, 2.5, 1e-300):
        assert ast.literal_eval(literal(value)) == value


def test_a_condition_too_deep_to_compile_leaves_scoring_to_the_engine() -> None:
    normal, _, _, _ = validate_text(MINI.read_text(encoding="utf-8"), "mini.yaml")
    deep: dict[str, Any] = {"drink_freq": {"in": ["weekly"]}}
    for _ in range(206):  # deeper than Python's parser nests parentheses (200)
        deep = {"not": deep}
    normal["factors"][0]["questions"][1]["show_if"] = deep
    rules, problems = compile_rules(normal, FileLocator("deep"), content_hash(normal))
    assert problems == []
    assert compiled(rules) is None
    scorer = Scorer(rules)
    assert scorer.tracer is None
    got = scorer({"drink_freq": "weekly", "drink_amount": 5.0}, taken_at=WHEN)
    assert [c.question for c in got.factors[0].contributions] == ["drink_freq", "drink_amount"]
