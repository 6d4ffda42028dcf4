"""Issue 12, reproduction 4: commands that only read never create the database or its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from gutcheck.errors import ExitCode


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("history",), 0),
        (("history", "--format", "json"), 0),
        (("compare",), ExitCode.USAGE),
        (("compare", "1", "2", "--format", "json"), ExitCode.USAGE),
        (("export", "--format", "csv"), 0),
        (("profiles",), 0),
        (("report", "last"), ExitCode.USAGE),
        (("report", "last", "-o", "x.md"), ExitCode.USAGE),
        (("forget", "--all", "--yes"), 0),
        (("forget", "--profile", "anna", "--yes"), 0),
    ],
)
def test_read_only_commands_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], code: int
) -> None:
    home = tmp_path / "not-yet"
    monkeypatch.setenv("GUTCHECK_HOME", str(home))

    result = run(*args)

    assert result.code == code, result.err
    assert not home.exists()
    assert "Traceback" not in result.err


def test_compare_on_an_empty_data_folder_says_nothing_is_saved(tmp_path: Path, gutcheck_home: Path) -> None:
    result = run("compare")

    assert result.code == ExitCode.USAGE
    assert result.err.strip() == "No assessments are saved for profile 'default' yet."
    assert list(gutcheck_home.iterdir()) == []


@pytest.mark.parametrize("args", [("history",), ("compare",), ("export",), ("profiles",), ("report", "last")])
def test_an_empty_database_file_is_left_as_it_is(gutcheck_home: Path, args: tuple[str, ...]) -> None:
    database = gutcheck_home / "history.sqlite3"
    database.touch()

    result = run(*args)

    assert result.code in (0, ExitCode.USAGE) and "Traceback" not in result.err
    assert database.stat().st_size == 0 and sorted(p.name for p in gutcheck_home.iterdir()) == ["history.sqlite3"]
