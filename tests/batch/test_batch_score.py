"""``gutcheck score`` reads one person's row in every format ``batch`` reads, and still reads YAML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"

YAML = "drink_freq: weekly\ndrink_amount: 4\ndrink_binge: 'yes'\nfood_fibre: [veg, beans]\nfood_stress: s2\n"
ONE_PERSON = {
    "one.csv": "id,How often do you drink?,drink_amount,drink_binge,Which of these do you eat most days?,"
               "food_stress\nann,Weekly,4,Yes,\"Vegetables, Beans\",A little\n",
    "one.tsv": "id\tdrink_freq\tdrink_amount\tdrink_binge\tfood_fibre\tfood_stress\n"
               "ann\tweekly\t4\tyes\tveg; beans\ts2\n",
    "one.json": '[{"id": "ann", "drink_freq": "weekly", "drink_amount": 4, "drink_binge": true, '
                '"food_fibre": ["veg", "beans"], "food_stress": "s2"}]',
    "one.jsonl": '{"id": "ann", "drink_freq": "Weekly", "drink_amount": "4", "drink_binge": "y", '
                 '"food_fibre": "Vegetables; Beans", "food_stress": "A little"}\n',
    "semicolon.txt": "\ufeffid;drink_freq;drink_amount;drink_binge;food_fibre;food_stress\r\n"
                     "ann;weekly;4;yes;Vegetables, Beans;s2\r\n",
}


def score(path: Path, *args: str, stdin: str = "") -> Result:
    """Run ``gutcheck score`` on the mini rule base, as JSON."""
    return run("score", str(path), "--rules", str(MINI), "--format", "json", *args, stdin=stdin)


def scores(document: dict[str, Any]) -> tuple[Any, ...]:
    """The parts of an assessment that must not depend on the file format."""
    return (document["overall"], document["factors"], document["suggestions"], document["answers"])


@pytest.mark.parametrize("name", sorted(ONE_PERSON))
def test_one_row_in_any_format_scores_like_the_yaml_mapping(tmp_path: Path, name: str) -> None:
    mapping, table = tmp_path / "answers.yaml", tmp_path / name
    mapping.write_text(YAML, encoding="utf-8")
    table.write_text(ONE_PERSON[name], encoding="utf-8", newline="")

    expected, got = score(mapping), score(table)

    assert got.code == 0, got.err
    assert scores(json.loads(got.out)) == scores(json.loads(expected.out))
    assert json.loads(got.out)["client"] == "ann"


def test_one_row_from_stdin(tmp_path: Path) -> None:
    got = score(Path("-"), stdin=ONE_PERSON["one.csv"])

    assert got.code == 0, got.err
    assert json.loads(got.out)["client"] == "ann"


def test_yaml_and_json_mappings_still_work_from_stdin() -> None:
    yaml_result = score(Path("-"), stdin=YAML)
    json_result = score(Path("-"), stdin=json.dumps({"answers": {"drink_freq": "never"}}))

    assert yaml_result.code == json_result.code == 0
    assert json.loads(json_result.out)["factors"][0]["percent"] == 0.0


def test_yaml_mapping_errors_keep_their_line_and_column(tmp_path: Path) -> None:
    mapping = tmp_path / "answers.yaml"
    mapping.write_text("drink_freq: weekly\nfood_stress: lots\n", encoding="utf-8")

    result = score(mapping)

    assert result.code == ExitCode.INVALID_INPUT
    assert f"{mapping}:2:1: food_stress: 'lots' is not one of" in result.err


def test_a_bad_cell_names_row_and_column(tmp_path: Path) -> None:
    table = tmp_path / "one.csv"
    table.write_text("id,How often do you drink?\nann,sometimes\n", encoding="utf-8")

    result = score(table)

    assert result.code == ExitCode.INVALID_INPUT
    assert result.out == ""
    assert "row 2, column 'How often do you drink?': 'sometimes' is not one of" in result.err


def test_more_than_one_person_points_to_batch(tmp_path: Path) -> None:
    table = tmp_path / "two.csv"
    table.write_text("id,drink_freq\nann,never\nbob,daily\n", encoding="utf-8")

    result = score(table)

    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.strip() == f"{table}: holds more than one person's answers; use `gutcheck batch` to score many people"


def test_header_without_a_row(tmp_path: Path) -> None:
    table = tmp_path / "none.csv"
    table.write_text("id,drink_freq\n", encoding="utf-8")

    result = score(table)

    assert result.code == ExitCode.INVALID_INPUT
    assert "has a header but no row of answers" in result.err


def test_unknown_columns_are_a_warning_for_one_row_too(tmp_path: Path) -> None:
    table = tmp_path / "one.csv"
    table.write_text("Timestamp,drink_freq\n2026-01-01,never\n", encoding="utf-8")

    result = score(table)

    assert result.code == 0
    assert "Warning:" in result.err and "'Timestamp'" in result.err
    assert json.loads(result.out)["client"] is None
