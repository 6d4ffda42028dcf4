"""Issue 12, reproduction 5: a JSON answers file is read as carefully as a YAML one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from gutcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")


def score(tmp_path: Path, text: str, name: str = "answers.json") -> tuple[int, str]:
    """Exit code and stderr of ``gutcheck score`` on an answers file holding ``text``."""
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    result = run("score", str(file), "--rules", MINI, "--format", "json")
    assert "Traceback" not in result.err
    return result.code, result.err.replace(str(file), "FILE")


def test_duplicate_keys_in_json_are_refused_like_in_yaml(tmp_path: Path) -> None:
    code, err = score(tmp_path, '{\n  "drink_freq": "never",\n  "drink_freq": "daily"\n}\n')
    yaml_code, yaml_err = score(tmp_path, "drink_freq: never\ndrink_freq: daily\n", "answers.yaml")

    assert code == yaml_code == ExitCode.INVALID_INPUT
    assert err.splitlines() == ["FILE: not a valid answers file", "  FILE:3:3: duplicate key 'drink_freq'"]
    assert yaml_err.splitlines() == ["FILE: not a valid answers file", "  FILE:2:1: duplicate key 'drink_freq'"]


def test_every_duplicate_is_listed_with_its_place(tmp_path: Path) -> None:
    code, err = score(tmp_path, '{"answers": {"a": 1, "a": 2},\n "b": 1, "b": 2}')

    assert code == ExitCode.INVALID_INPUT
    assert err.splitlines()[1:] == ["  FILE:1:22: duplicate key 'a'", "  FILE:2:10: duplicate key 'b'"]


def test_a_json_answer_that_does_not_fit_is_located_by_line_and_column(tmp_path: Path) -> None:
    code, err = score(tmp_path, '{\n\t"drink_freq": "sometimes"\n}\n')

    assert code == ExitCode.INVALID_INPUT
    assert "FILE:2:2:" in err and "'sometimes'" in err


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('{"drink_freq": "never",}', "FILE:1:24", "expected a key in double quotes"),
        ('{\n  "drink_freq": "never"', "FILE:2:24", "expected ',' or '}'"),
        ('{"drink_freq": "nev\ter"}', "FILE:1:20", "Invalid control character"),
        ("[" * 150 + "]" * 150, "FILE:1:101", "nested more than 100 levels deep; flatten it"),
        ('{"drink_amount": ' + "9" * 5000 + "}", "FILE:1:18", "a number with too many digits"),
    ],
)
def test_json_syntax_errors_are_one_located_sentence(tmp_path: Path, text: str, where: str, what: str) -> None:
    code, err = score(tmp_path, text)

    assert code == ExitCode.INVALID_INPUT
    assert err.strip() == f"{where}: not valid JSON ({what}); fix the file and try again"


def test_json_escapes_and_a_byte_order_mark_are_fine(tmp_path: Path) -> None:
    text = '\ufeff{\r\n\t"note": "a\\/b",\r\n\t"answers": {"drink\\u005ffreq": "\\u006eever"}\r\n}\r\n'
    code, err = score(tmp_path, text)

    assert code == 0, err
