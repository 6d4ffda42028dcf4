"""The loader: every kind of mistake in a rule base is reported with file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, MINI_RULES
from helpers import run

from gutcheck.errors import ExitCode, RulesError
from gutcheck.files.yaml_located import MAX_FILE_BYTES
from gutcheck.rulebook.loading import load_rules, load_rules_text

MINI_TEXT = MINI_RULES.read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    """Load rules text that must fail and return its problem lines."""
    with pytest.raises(RulesError) as caught:
        load_rules_text(text, "r.yaml")
    return [str(p) for p in caught.value.problems]


def mutated(old: str, new: str) -> str:
    """The mini rule base with one exact text replaced (the text must be present once)."""
    assert MINI_TEXT.count(old) == 1, old
    return MINI_TEXT.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based line number where ``needle`` (which may span lines) first starts."""
    assert needle in text, needle
    return text[: text.index(needle)].count("\n") + 1


def test_the_mini_rule_base_loads() -> None:
    rules = load_rules(MINI_RULES)
    assert [f.id for f in rules.factors] == ["drink", "food"]
    assert [q.id for q in rules.questions][:2] == ["blood", "weight_loss"]


def test_many_mistakes_are_all_listed_with_their_places() -> None:
    result = run("rules", "validate", str(DATA / "many-mistakes.yaml"))
    assert result.code == ExitCode.INVALID_RULES
    lines = [line.strip() for line in result.err.splitlines()[1:]]
    expected = [
        ("6:1", "unknown key 'colour'"),
        ("12:5", "unknown key 'weigth' (did you mean 'weight'?)"),
        ("13:13", "weight should be greater than 0"),
        ("15:18", "unknown reference 'src-z'"),
        ("22:21", "duplicate option value 'never'"),
        ("22:50", "points should be a valid integer"),
        ("28:37", "'weekly' is not an option of 'drink_freq'"),
        ("28:60", "'drink_freqq' is not a question asked before this point (did you mean 'drink_freq'?)"),
        ("34:15", "question type must be one of"),
        ("37:15", "gap: points from 3 to 4 fall in no band"),
        ("45:23", "'extreme' is not an option of 'level'"),
        ("49:13", "overlap: this band starts at 40"),
    ]
    assert len(lines) == len(expected)
    for line, (where, message) in zip(lines, expected, strict=True):
        assert line.startswith(f"{DATA / 'many-mistakes.yaml'}:{where}: "), line
        assert message in line


def test_yaml_syntax_error_points_at_the_line() -> None:
    text = mutated("title: Mini test rules", "title: [Mini test rules")
    (problem,) = problems_of(text)
    assert "YAML syntax error" in problem
    assert problem.startswith("r.yaml:")


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("    weight: 2\n", "    weigth: 2\n", "weigth", "unknown key 'weigth' (did you mean 'weight'?)"),
        ("    weight: 2\n", "    weight: heavy\n", "heavy", "weight should be a valid number"),
        ("    weight: 2\n", "    weight: -1\n", "weight: -1", "weight should be greater than 0"),
        ("        type: scale", "        type: slider", "slider", "question type must be one of"),
        ("    title: Drinking\n", "", "- id: drink", "missing required key 'title'"),
    ],
)
def test_model_mistakes_are_located(old: str, new: str, needle: str, message: str) -> None:
    text = mutated(old, new)
    problems = problems_of(text)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert matching[0].startswith(f"r.yaml:{line_of(text, needle)}:")


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("  - id: food\n", "  - id: drink\n", "- id: drink\n    title: Food", "duplicate factor id 'drink'"),
        ("      - id: food_stress", "      - id: drink_freq", "- id: drink_freq\n        ask: How stressed", "duplicate question id 'drink_freq'"),
        ("      - id: eat-veg", "      - id: drink-less", "- id: drink-less\n        text: Eat", "duplicate suggestion id 'drink-less'"),
        ("{drink_freq: {not_in: [never]}}", "{drink_frek: {not_in: [never]}}", "drink_frek", "'drink_frek' is not a question asked before this point (did you mean 'drink_freq'?)"),
        ("{drink_freq: {not_in: [never]}}", "{drink_freq: {not_in: [nevr]}}", "nevr", "'nevr' is not an option of 'drink_freq'"),
        ("{drink_freq: {not_in: [never]}}", "{drink_binge: yes}", "{drink_binge: yes}", "'drink_binge' is not a question asked before this point"),
        ("{drink_amount: {gte: 1}}", "{drink_amount: {gt: 40}}", "gt: 40", "drink_amount gt 40 can never hold"),
        ("{drink_amount: {gte: 1}}", "{drink_amount: {contains: x}}", "contains: x", "'contains' is for multi questions"),
        ("{level: [moderate, high]}", "{level: [moderate, severe]}", "severe", "'severe' is not an option of 'level'"),
        ("{percent: {gte: 50}}", "{percent: {gte: 150}}", "gte: 150", "percent gte 150 can never hold"),
        ("{percent: {gte: 50}}", "{percent: {around: 50}}", "around", "unknown operator 'around'"),
        ("    references: [src-b]\n    questions:", "    references: [src-x]\n    questions:", "src-x", "unknown reference 'src-x'"),
    ],
)
def test_cross_check_mistakes_are_located(old: str, new: str, needle: str, message: str) -> None:
    text = mutated(old, new)
    problems = problems_of(text)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert matching[0].startswith(f"r.yaml:{line_of(text, needle)}:")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{below: 3, level: low, summary: Low drinking load.}", "{below: 4, level: low, summary: Low drinking load.}\n      - {min: 3, below: 5, level: mid, summary: Mid.}", "overlap"),
        ("{below: 7, level: moderate, summary: Moderate drinking load.}", "{min: 4, below: 7, level: moderate, summary: Moderate drinking load.}", "gap: points from 3 to 4 fall in no band"),
        ("{level: high, summary: High drinking load.}", "{below: 8, level: high, summary: High drinking load.}", "points from 8 to 10 fall in no band"),
        ("{below: 3, level: low, summary: Low drinking load.}", "{min: 1, below: 3, level: low, summary: Low drinking load.}", "points from 0 fall in no band"),
        ("{below: 3, level: low, summary: Low drinking load.}", "{level: low, summary: Low drinking load.}", "only the last band may leave out 'below'"),
    ],
)
def test_band_mistakes_are_found(old: str, new: str, message: str) -> None:
    problems = problems_of(mutated(old, new))
    assert any(message in p for p in problems), problems


def test_unsafe_yaml_tag_is_refused() -> None:
    (problem,) = problems_of("format: !!python/object/apply:os.system ['echo hacked']\n")
    assert "is not allowed; use plain YAML values" in problem
    assert problem.startswith("r.yaml:1:9:")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    problems = problems_of("\n".join(lines) + "\n")
    assert any("too many values (alias bomb?)" in p for p in problems)


def test_duplicate_yaml_keys_are_refused() -> None:
    problems = problems_of(mutated("id: mini\n", "id: mini\nid: other\n"))
    assert any("duplicate key 'id'" in p for p in problems)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(RulesError) as caught:
        load_rules(big)
    assert "the limit is" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"- 1\n- 2\n", "a rule base is a mapping"), (b"\xff\xfe\x00x", "not UTF-8")],
)
def test_files_that_are_not_rule_bases(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(content)
    result = run("rules", "validate", str(path))
    assert result.code == ExitCode.INVALID_RULES
    assert message in result.err
    assert "Traceback" not in result.err


def test_missing_rules_file_is_one_sentence() -> None:
    result = run("score", "x.yaml", "--rules", "no/such/rules.yaml")
    assert result.code == ExitCode.INVALID_RULES
    assert result.err.strip() == (
        "no/such/rules.yaml: no such file; give the path of a rule base .yaml file (or leave it out for the bundled rules)"
    )


def test_validate_reports_counts_for_a_good_file() -> None:
    result = run("rules", "validate", str(MINI_RULES))
    assert result.code == 0
    assert "valid rule base mini 1.0.0: 2 factors, 5 questions, 2 red flags" in result.out


def test_a_duplicate_key_is_listed_with_the_other_mistakes() -> None:
    text = mutated("id: mini\n", "id: mini\nid: other\n").replace("    weight: 2\n", "    weigth: 2\n")
    problems = problems_of(text)
    assert any("duplicate key 'id'" in p for p in problems)
    assert any("unknown key 'weigth'" in p for p in problems)
