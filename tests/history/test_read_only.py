"""Issue 12, reproduction 4: commands that only read never create the database or its folder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
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


# -- a data folder (or database file) the user made read-only -----------------------------------
# The tests run as root here, and root may write anywhere: so they check gutcheck's own
# decision (the mode bits say read-only, so nothing is changed or written), not the system's
# refusal. The last test drops privileges, where setpriv can, to see the same as a real user.

ANSWERS = "drink_freq: weekly\ndrink_amount: 4\nfood_fibre: [veg]\nfood_stress: s2\n"
ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")


def answers_file(tmp_path: Path) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return str(path)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry of ``folder`` with its mode and size, the folder itself included."""
    entries = {".": (folder.stat().st_mode, 0)}
    entries.update({p.name: (p.stat().st_mode, p.stat().st_size) for p in folder.iterdir()})
    return entries


def test_the_decision_follows_the_mode_bits_whoever_runs_it(tmp_path: Path) -> None:
    from gutcheck.files.paths import is_read_only

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    assert not is_read_only(folder)
    folder.chmod(0o555)
    assert is_read_only(folder)  # also as root, whom the system would let write
    folder.chmod(0o755)
    assert not is_read_only(folder)
    assert not is_read_only(tmp_path / "missing")


def test_saving_into_a_read_only_data_folder_is_refused_and_the_folder_left_alone(
    tmp_path: Path, gutcheck_home: Path
) -> None:
    gutcheck_home.chmod(0o555)
    before = snapshot(gutcheck_home)
    try:
        result = run("score", answers_file(tmp_path), "--rules", MINI, "--save", "-f", "json")
        after = snapshot(gutcheck_home)
    finally:
        gutcheck_home.chmod(0o700)
    assert result.code == ExitCode.STORAGE
    assert result.out.startswith("{")  # the result is still printed
    assert after == before  # never made 0700, nothing written into it (no database, no cache)
    message = result.err.strip()
    assert message == (
        f"Cannot write the history database {gutcheck_home}/history.sqlite3: the data folder "
        f"{gutcheck_home} is read-only (mode 0555), and gutcheck leaves it so. Make it writable "
        f"(chmod u+w {gutcheck_home}), set GUTCHECK_HOME to a writable folder, or run without saving "
        "(--no-save for the quiz, without --save or --profile elsewhere)."
    )


def test_batch_save_and_forget_are_refused_with_exit_6(tmp_path: Path, gutcheck_home: Path) -> None:
    table = tmp_path / "clients.csv"
    table.write_text("client,drink_freq\nanna,weekly\n", encoding="utf-8")
    saved = run("score", answers_file(tmp_path), "--rules", MINI, "--profile", "anna", "-f", "json")
    assert saved.code == 0, saved.err
    gutcheck_home.chmod(0o555)
    before = snapshot(gutcheck_home)
    try:
        batch = run("batch", str(table), "--rules", MINI, "--save")
        forget = run("forget", "--all", "--yes")
        after = snapshot(gutcheck_home)
    finally:
        gutcheck_home.chmod(0o700)
    assert (batch.code, forget.code) == (ExitCode.STORAGE, ExitCode.STORAGE)
    assert "is read-only (mode 0555)" in batch.err and "is read-only (mode 0555)" in forget.err
    assert after == before


def test_a_read_only_history_can_still_be_read(tmp_path: Path, gutcheck_home: Path) -> None:
    for profile in ("anna", "bob"):
        saved = run("score", answers_file(tmp_path), "--rules", MINI, "--profile", profile, "-f", "json")
        assert saved.code == 0, saved.err
    gutcheck_home.chmod(0o555)
    before = snapshot(gutcheck_home)
    try:
        history = run("history", "-p", "anna", "-f", "json")
        profiles = run("profiles", "-f", "json")
        report = run("report", "last", "-p", "bob", "-f", "json")
        export = run("export", "-f", "csv")
        after = snapshot(gutcheck_home)
    finally:
        gutcheck_home.chmod(0o700)
    assert [r.code for r in (history, profiles, report, export)] == [0, 0, 0, 0], history.err + report.err
    assert len(json.loads(history.out)["assessments"]) == 1
    assert [p["profile"] for p in json.loads(profiles.out)["profiles"]] == ["anna", "bob"]
    assert json.loads(report.out)["overall"]["level"]
    assert len(export.out.splitlines()) == 3
    assert after == before  # read without a journal, a shared-memory file or a chmod


def test_a_read_only_database_file_is_read_but_never_written(tmp_path: Path, gutcheck_home: Path) -> None:
    assert run("score", answers_file(tmp_path), "--rules", MINI, "--save", "-f", "json").code == 0
    database = gutcheck_home / "history.sqlite3"
    database.chmod(0o400)
    content = database.read_bytes()
    saved = run("score", answers_file(tmp_path), "--rules", MINI, "--save", "-f", "json")
    history = run("history", "-f", "json")
    assert saved.code == ExitCode.STORAGE
    assert f"Cannot write the history database {database} (the file is read-only)" in saved.err
    assert history.code == 0 and len(json.loads(history.out)["assessments"]) == 1
    assert database.read_bytes() == content and stat.S_IMODE(database.stat().st_mode) == 0o400


def test_the_quiz_still_shows_the_result_and_says_it_was_not_saved(gutcheck_home: Path) -> None:
    typed = ["y", "2", "2", "2", "4", "1", "1, 2", "3"]  # the mini rules' questions, in plain mode
    gutcheck_home.chmod(0o555)
    try:
        result = run("--rules", MINI, "--plain", stdin="".join(line + "\n" for line in typed))
        entries = list(gutcheck_home.iterdir())
        mode = stat.S_IMODE(gutcheck_home.stat().st_mode)
    finally:
        gutcheck_home.chmod(0o700)
    assert result.code == 0, result.err
    assert "Overall risk-factor load:" in result.out
    flat = " ".join(result.out.split())
    assert "Not saved: Cannot write the history database" in flat and "is read-only (mode 0555)" in flat
    assert (entries, mode) == ([], 0o555)


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                    reason="as root, a read-only folder of another user needs setpriv")
def test_as_its_owner_a_read_only_folder_is_refused_and_left_read_only() -> None:
    """As a real user: the folder is theirs, made 0555; gutcheck used to make it 0700 and write."""
    folder = Path(tempfile.mkdtemp(prefix="gutcheck-ro-own-"))
    probe = ("from gutcheck.errors import StorageError\nfrom gutcheck.history.store import History\n"
             "try:\n    History.open()\nexcept StorageError as error:\n    print(error.message)\n"
             "else:\n    print('OPENED')\n")
    command = [sys.executable, "-c", probe]
    try:
        if os.geteuid() == 0:
            os.chown(folder, 65534, 65534)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        folder.chmod(0o555)
        env = {**os.environ, "GUTCHECK_HOME": str(folder), "PYTHONPATH": str(ROOT)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
        mode = stat.S_IMODE(folder.stat().st_mode)
        entries = list(folder.iterdir())
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)
    assert done.returncode == 0, done.stderr
    assert "is read-only (mode 0555)" in done.stdout, done.stdout
    assert (mode, entries) == (0o555, [])
