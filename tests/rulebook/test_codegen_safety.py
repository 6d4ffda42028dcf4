"""Nothing from a rule file ever runs as code: hostile ids and texts stay data in the generated scorer.

The rule base here skips the format's checks (its ids could never pass them) and goes straight
to the compiler, so the generator itself is what is tested: every id, option value, level and
text carries quotes, newlines, backslashes, ``__import__``, look-alike and invisible characters,
and one id is very long.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import Any

import pytest
from engine import reference  # the reference scorer of tests/engine

from gutcheck.engine.compiled import compiled
from gutcheck.engine.scoring import Scorer
from gutcheck.errors import RulesError
from gutcheck.rulebook.codegen import CodegenError, generate, literal
from gutcheck.rulebook.compiler import FileLocator, compile_rules, content_hash
from gutcheck.rulebook.loading import load_rules, load_rules_text
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
# Every name, call and method of the generated module: each made by the generator from a position.
OWN_NAMES = re.compile(
    r"^(q\d+(_shown|_points)?|[cC]\d+|f\d+(_points|_reachable|_answered)?|i\d+_(total|answered|cutoff|screen)"
    r"|Q\d+_POINTS|R\d+(_\d+)?|S\d+|F\d+_SEEN|SAFETY_SEEN|factor_\d+|safety_questions|make_scorer|make_rows"
    r"|key|found|flags|unanswered|hidden|ignored|alarm|safety|picked|H|score|cells|pick|learn|summarise|number"
    r"|record|row|remember|factor_score|factor_part|safety_part|overall_of|overall|Scored|Functions|Unseen)$"
)
OWN_CALLS = re.compile(r"^(factor_\d+|safety_questions|remember|factor_score|factor_part|safety_part|overall_of|Scored"
                       r"|Functions|score|summarise|pick|learn|row)$")
OWN_METHODS = re.compile(r"^((F\d+|SAFETY)_SEEN\.get|found\.append|flags\.append|H\.red_flag|H\.suggestion)$")
# A header line names a position and gives, as a literal, the id it stands for; the rest of it
# is the generator's own words and position names.
HEADER_LINE = re.compile(r"^# ([a-zA-Z]+\d+) = (?P<rest>.*)$")
HEADER_TAIL = re.compile(r"^(: (questions|items) [a-z]\d+(, [a-z]\d+)*(; suggestions S\d+(, S\d+)*)?)?$")


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
    assert question_ids <= strings  # each question's id, as a literal
    for node in ast.walk(tree):
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda, ast.Global, ast.Nonlocal, ast.Pass))
        assert not isinstance(node, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.Invert))
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
                assert OWN_METHODS.match(f"{func.value.id}.{func.attr}"), ast.unparse(func)
        if isinstance(node, (ast.If, ast.IfExp)):
            assert not (isinstance(node.test, ast.Constant) and node.test.value is True)  # no 'elif True:'


def test_the_header_gives_each_id_only_as_a_literal(hostile: tuple[RuleBase, dict[str, str]]) -> None:
    rules, names = hostile
    comments = [token.string for token in tokenize.generate_tokens(io.StringIO(generate(rules)).readline)
                if token.type == tokenize.COMMENT]
    header = [comment for comment in comments if HEADER_LINE.match(comment)]
    named: set[str] = set()
    for comment in header:
        rest = HEADER_LINE.match(comment)["rest"]  # type: ignore[index]
        first = next(tokenize.generate_tokens(io.StringIO(rest).readline))
        assert first.type == tokenize.STRING, comment
        named.add(ast.literal_eval(first.string))
        assert HEADER_TAIL.match(rest[first.end[1]:]), comment
    ids = {q.id for q in rules.questions} | {f.id for f in rules.factors}
    ids |= {s.id for f in rules.factors for s in f.suggestions} | {f.instrument.id for f in rules.factors if f.instrument}
    assert named == ids
    hostile_names = set(names.values())
    for comment in comments:  # nothing from the rule file in a comment but those literals
        text = comment if not HEADER_LINE.match(comment) else comment.split(" = ", 1)[0]
        assert not any(name in text for name in hostile_names), comment
        assert "\\" not in text and '"' not in text


def test_the_bundled_rules_read_plainly_in_the_generated_module() -> None:
    source = generate(load_rules(None))
    tree = ast.parse(source)
    numbers = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
               and isinstance(node.value, int) and not isinstance(node.value, bool)]
    assert numbers and max(numbers) <= 2**20
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift,
                                                                    ast.RShift, ast.Invert))]
    subscripts = [node for node in ast.walk(tree) if isinstance(node, ast.Subscript)]
    # the only lookups are plain dictionaries by answer: no positional tuple is read by index
    assert subscripts and all(isinstance(node.slice, ast.Name) for node in subscripts)
    assert "Q17_POINTS = {'never': 0, 'monthly_or_less': 1, 'two_to_four_a_month': 2," in source
    assert "        f0_points = 0\n        f0_reachable = 0\n        f0_answered = 0\n" in source


def test_hostile_texts_come_back_unchanged_from_the_generated_scorer(
    hostile: tuple[RuleBase, dict[str, str]],
) -> None:
    rules, _ = hostile
    assert compiled(rules)
    factor = rules.factors[0]
    answers = {q.id: q.parse(q.options[-1].value) if q.options else None for q in factor.questions}
    answers = {k: v for k, v in answers.items() if v is not None}
    answers[rules.red_flags[0].question.id] = True
    got = Scorer(rules)(answers, taken_at=WHEN)
    assert [(f.id, f.raw, f.max, f.percent, f.level) for f in got.factors] == reference.score(rules, answers)["factors"]
    assert [s.id for s in got.suggestions] == reference.score(rules, answers)["suggestions"]
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


def test_a_condition_nested_too_deep_to_compile_is_refused_where_it_is_written() -> None:
    text = MINI.read_text(encoding="utf-8")
    deep = "{drink_freq: {in: [weekly]}}"
    for _ in range(60):  # deeper than gutcheck compiles (50), still within what YAML and pydantic read
        deep = "{not: " + deep + "}"
    marker = "show_if: {drink_freq: {not_in: [never]}}"
    assert marker in text
    with pytest.raises(RulesError) as refused:
        load_rules_text(text.replace(marker, "show_if: " + deep, 1), "deep.yaml")
    where = [problem.where for problem in refused.value.problems]
    assert refused.value.exit_code == 4 and where and all(w.startswith("deep.yaml:") for w in where)
    assert "conditions may nest at most 50 levels deep" in str(refused.value.problems[0])


def test_a_rule_base_the_compiler_cannot_take_is_refused_not_scored_another_way() -> None:
    normal, _, _, _ = validate_text(MINI.read_text(encoding="utf-8"), "mini.yaml")
    deep: dict[str, Any] = {"drink_freq": {"in": ["weekly"]}}
    for _ in range(206):  # deeper than Python's parser nests parentheses (200), past the format's checks
        deep = {"not": deep}
    normal["factors"][0]["questions"][1]["show_if"] = deep
    rules, _ = compile_rules(normal, FileLocator("deep.yaml"), content_hash(normal))
    with pytest.raises(RulesError) as refused:
        Scorer(rules)
    assert refused.value.exit_code == 4
    assert refused.value.message.startswith("deep.yaml: gutcheck cannot compile this rule base into its scorer: ")
    assert "nested too deep" in refused.value.message
