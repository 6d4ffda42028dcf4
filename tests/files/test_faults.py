"""Fault injection: every reader and every writer of gutcheck against hostile files (issue 12).

Readers: the rule base, an answers file, a batch input, a saved assessment, the history
database. Writers: ``batch --errors``, ``batch --reports``, ``report -o`` and the history.
Each case asserts one clear message (no traceback), the documented exit code, and that
nothing was lost or changed that should not be: inputs keep their bytes, an output that
could not be written keeps its old content, and no temporary file is left behind.

Permission and disk-full failures are simulated by patching the write (the tests may run as
root, for whom permissions do not apply); kill -9 is real, in a subprocess.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
ANSWERS = "drink_freq: weekly\ndrink_amount: 2\n"
CSV = "id,drink_freq\na,never\nb,weekly\n"


def clear(result: Result) -> None:
    """The message is plain words: no traceback, no internal error, something said."""
    assert "Traceback" not in result.err and "Unexpected error" not in result.err, result.err
    assert result.err.strip(), "a failure must say what went wrong"


@pytest.fixture(scope="module")
def saved_text() -> str:
    """A saved assessment document."""
    result = run("score", "-", "--rules", str(MINI), "--format", "json", stdin=ANSWERS)
    assert result.code == 0, result.err
    return result.out


# --------------------------------------------------------------------------- readers


@dataclass(frozen=True)
class Reader:
    """A file gutcheck reads: a valid content, how to run gutcheck on a path, the exit code."""

    name: str
    args: Callable[[str], tuple[str, ...]]
    code: ExitCode
    nested: bytes
    duplicate: Callable[[bytes], bytes]


READERS = {
    "rule base": Reader(
        "rule base", lambda p: ("score", "-", "--rules", p), ExitCode.INVALID_RULES,
        b"id: x\nfactors: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        lambda valid: valid.replace(b"id: mini", b"id: mini\nid: mini", 1),
    ),
    "answers file": Reader(
        "answers file", lambda p: ("score", p, "--rules", str(MINI)), ExitCode.INVALID_INPUT,
        b"[" * 100_000, lambda valid: valid + b"drink_freq: never\n",
    ),
    "batch input": Reader(
        "batch input", lambda p: ("batch", p, "--rules", str(MINI)), ExitCode.INVALID_INPUT,
        b'[{"id": "a", "drink_freq": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]",
        lambda valid: b"id,drink_freq,drink_freq\na,never,never\n",
    ),
    "saved assessment": Reader(
        "saved assessment", lambda p: ("report", p), ExitCode.INVALID_INPUT,
        b"[" * 100_000, lambda valid: valid.replace(b'"schema"', b'"schema": "x",\n  "schema"', 1),
    ),
}


@pytest.fixture(scope="module")
def valid_files(saved_text: str) -> dict[str, bytes]:
    """A valid file for each reader."""
    return {
        "rule base": MINI.read_bytes(),
        "answers file": ANSWERS.encode(),
        "batch input": CSV.encode(),
        "saved assessment": saved_text.encode(),
    }


def faulty(fault: str, reader: Reader, valid: bytes) -> bytes:
    """The content of ``fault`` for ``reader``."""
    if fault == "huge":  # past every whole-file limit; for a batch, one cell of 5 MB
        return valid + (b"c," + b"x" * 5_000_000 + b"\n" if reader.name == "batch input" else b" " * 3_000_000)
    return {
        "empty": b"",
        "binary": bytes(range(256)) * 8,
        "nested": reader.nested,
        "encoding at the start": "\u00e9".encode("latin-1") + valid,
        "encoding near the end": valid[:-3] + b"\xe9" + valid[-3:],
        "utf-16": valid.decode().encode("utf-16"),
        "truncated": valid[: len(valid) // 2],
        "duplicate keys": reader.duplicate(valid),
    }[fault]


# What each reader says for each fault (with the reader's own exit code); "*" is every reader.
# A small batch file is refused whole when it is not UTF-8: the first 64 KiB are checked so.
EXPECTED: dict[str, dict[str, str]] = {
    "empty": {"rule base": "the file is empty", "answers file": "expected a mapping",
              "batch input": "is empty", "saved assessment": "expected a value"},
    "binary": {"*": "not UTF-8 text"},
    "huge": {"rule base": "the limit is 2000000", "answers file": "the limit is 2000000",
             "batch input": "row 4: is longer than 4194304 characters",
             "saved assessment": "the limit is 2000000"},
    "nested": {"rule base": "nesting depth", "answers file": "nested more than 100 levels",
               "batch input": "nested too deeply", "saved assessment": "nested more than 100"},
    "encoding at the start": {"*": "not UTF-8 text"},
    "encoding near the end": {"*": "not UTF-8 text"},
    "utf-16": {"*": "not UTF-8 text"},
    "truncated": {"rule base": "missing required key", "answers file": "'weekl' is not one of",
                  "batch input": "row 2: has 1 cells but the header has 2 columns",
                  "saved assessment": "not valid JSON"},
    "duplicate keys": {"rule base": "duplicate key 'id'",
                       "answers file": "duplicate key 'drink_freq'",
                       "batch input": "both answer question 'drink_freq'",
                       "saved assessment": "duplicate key 'schema'"},
}


@pytest.mark.parametrize("fault", list(EXPECTED))
@pytest.mark.parametrize("which", list(READERS))
def test_a_hostile_file_is_one_clear_refusal(
    tmp_path: Path, valid_files: dict[str, bytes], which: str, fault: str
) -> None:
    reader = READERS[which]
    path = tmp_path / "input"
    content = faulty(fault, reader, valid_files[which])
    path.write_bytes(content)
    phrase = EXPECTED[fault].get(which) or EXPECTED[fault]["*"]

    result = run(*reader.args(str(path)), stdin=ANSWERS)

    clear(result)
    assert result.code == reader.code, result.err
    assert phrase in result.err
    assert path.read_bytes() == content  # the input is never changed


def test_a_batch_with_a_bad_byte_past_the_start_rejects_that_row_only(tmp_path: Path) -> None:
    path, errors = tmp_path / "big.csv", tmp_path / "errors.csv"
    rows = b"".join(b"client-%05d-%s,never\n" % (n, b"p" * 60) for n in range(1200))
    content = b"id,drink_freq\n" + rows + b"Ren\xe9e,never\n"
    path.write_bytes(content)

    result = run("batch", str(path), "--rules", str(MINI), "--errors", str(errors), "--format", "csv")

    clear(result)
    assert result.code == ExitCode.INVALID_INPUT
    assert "1200 scored, 1 rejected, 1201 rows read" in result.err
    assert errors.read_bytes().endswith(b",Ren\xe9e,never\n") and path.read_bytes() == content


@pytest.mark.parametrize("which", list(READERS))
def test_a_folder_or_a_missing_file_is_one_sentence(tmp_path: Path, which: str) -> None:
    reader = READERS[which]
    folder = run(*reader.args(str(tmp_path)), stdin=ANSWERS)
    missing = run(*reader.args(str(tmp_path / "nope")), stdin=ANSWERS)

    for result, phrase in ((folder, "is a folder"), (missing, "no such file")):
        clear(result)
        assert result.code == reader.code
        assert len(result.err.strip().splitlines()) == 1 and phrase in result.err


@contextmanager
def fifo_with_writer(path: Path, content: bytes) -> Iterator[None]:
    """A named pipe at ``path`` that a thread fills with ``content`` once it is opened."""
    os.mkfifo(path)

    def feed() -> None:
        with suppress(BrokenPipeError), path.open("wb") as pipe:  # the reader may stop early
            pipe.write(content)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        yield
    finally:
        if writer.is_alive():  # nobody read it: drain it so the writer can finish
            drain = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            deadline = time.monotonic() + 5
            while writer.is_alive() and time.monotonic() < deadline:
                with suppress(BlockingIOError):
                    os.read(drain, 1 << 16)
            os.close(drain)


@pytest.mark.parametrize("which", list(READERS))
def test_a_named_pipe_with_a_writer_is_read_like_a_file(
    tmp_path: Path, valid_files: dict[str, bytes], which: str
) -> None:
    pipe = tmp_path / "pipe"
    with fifo_with_writer(pipe, valid_files[which]):
        result = run(*READERS[which].args(str(pipe)), stdin=ANSWERS)

    assert result.code == 0, result.err
    assert result.out.strip()


@pytest.mark.parametrize("which", ["rule base", "answers file", "saved assessment"])
def test_an_endless_named_pipe_is_read_no_further_than_the_limit(tmp_path: Path, which: str) -> None:
    pipe = tmp_path / "pipe"
    with fifo_with_writer(pipe, b"#" * 3_000_000):
        result = run(*READERS[which].args(str(pipe)), stdin=ANSWERS)

    clear(result)
    assert result.code == READERS[which].code
    assert "file is more than 2000000 bytes; the limit is 2000000: split it or trim it" in result.err


# --------------------------------------------------------------------------- the history database


def database(home: Path) -> Path:
    """The history database in ``home``."""
    return home / "history.sqlite3"


def saved_database(tmp_path: Path) -> bytes:
    """The bytes of a real history database holding one assessment."""
    home = tmp_path / "donor"
    env = {**os.environ, "GUTCHECK_HOME": str(home)}
    with patched_env(env):
        assert run("score", "-", "--rules", str(MINI), "--save", stdin=ANSWERS).code == 0
    connection = sqlite3.connect(database(home))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    return database(home).read_bytes()


@contextmanager
def patched_env(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` replaced for the duration."""
    before = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)


def _database_content(fault: str, tmp_path: Path) -> bytes:
    if fault == "empty":
        return b""
    if fault == "binary":
        return bytes(range(256)) * 64
    if fault == "another program's":
        other = tmp_path / "other.db"
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE notes (text)")
        return other.read_bytes()
    whole = saved_database(tmp_path)
    if fault == "truncated":
        return whole[: len(whole) // 2]
    assert fault == "newer"
    newer = tmp_path / "newer.db"
    newer.write_bytes(whole)
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 99")
    return newer.read_bytes()


@pytest.mark.parametrize(
    ("fault", "code", "phrase"),
    [
        ("empty", 0, ""),
        ("binary", ExitCode.STORAGE, "gutcheck has left it untouched"),
        ("truncated", ExitCode.STORAGE, "gutcheck has left it untouched"),
        ("another program's", ExitCode.STORAGE, "is not a gutcheck history database"),
        ("newer", ExitCode.STORAGE, "was written by a newer gutcheck"),
    ],
)
@pytest.mark.parametrize("command", [("history",), ("export",), ("score", "-", "--save")])
def test_a_hostile_history_database_is_left_untouched(
    tmp_path: Path, gutcheck_home: Path, fault: str, code: int, phrase: str, command: tuple[str, ...]
) -> None:
    content = _database_content(fault, tmp_path)
    path = database(gutcheck_home)
    path.write_bytes(content)
    saving = command[0] == "score"
    if saving:
        code = 0 if fault == "empty" else ExitCode.STORAGE

    result = run(*command, "--rules", str(MINI), stdin=ANSWERS) if saving else run(*command)

    assert result.code == code, result.err
    if code:
        clear(result)
        assert phrase in result.err and str(path) in result.err
        assert path.read_bytes() == content  # never written to, never replaced
    elif not saving:  # an empty file is left as it is by commands that only read
        assert path.read_bytes() == b""
        assert result.out.startswith(("No assessments are saved", "{")), result.out
    if saving:
        assert result.out.strip(), "the result is still shown"


@pytest.mark.parametrize("shape", ["folder", "pipe"])
def test_a_history_database_that_is_not_a_file_is_one_sentence(gutcheck_home: Path, shape: str) -> None:
    path = database(gutcheck_home)
    path.mkdir() if shape == "folder" else os.mkfifo(path)

    result = run("score", "-", "--rules", str(MINI), "--save", stdin=ANSWERS)

    clear(result)
    assert result.code == ExitCode.STORAGE
    assert f"{path} is not a file" in result.err
    assert result.out.strip(), "the result is still shown"


# --------------------------------------------------------------------------- writers


BAD_CSV = "id,drink_freq\na,never\nb,sometimes\n"


@dataclass(frozen=True)
class Writer:
    """An output gutcheck writes: how to run it, given the input and the target."""

    name: str
    folder: bool  # the target is a folder (reports) rather than a file

    def args(self, source: Path, target: Path, saved: Path) -> tuple[str, ...]:
        """The command line writing to ``target``."""
        if self.name == "report -o":
            return ("report", str(saved), "-o", str(target))
        option = "--errors" if self.name == "--errors" else "--reports"
        return ("batch", str(source), "--rules", str(MINI), option, str(target), "--format", "jsonl")

    def existing(self, target: Path) -> Path:
        """Give the target old content; the file that must keep it."""
        if self.folder:
            target.mkdir(exist_ok=True)
            target = target / "a.md"
        target.write_text("old content\n", encoding="utf-8")
        return target


WRITERS = [Writer("--errors", False), Writer("--reports", True), Writer("report -o", False)]


@pytest.fixture
def places(tmp_path: Path, saved_text: str) -> tuple[Path, Path]:
    """A batch input with one bad row, and a saved assessment."""
    source, saved = tmp_path / "in.csv", tmp_path / "saved.json"
    source.write_text(BAD_CSV, encoding="utf-8")
    saved.write_text(saved_text, encoding="utf-8")
    return source, saved


def leftovers(folder: Path) -> list[str]:
    """Temporary files an atomic write left behind."""
    return sorted(p.name for p in folder.rglob("*.tmp"))


class FullDisk:
    """A stream that takes ``room`` writes, then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def write(self, text: str) -> int:
        """Write, or raise ENOSPC once the room is used."""
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= 1
        return int(self.real.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def full_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Every atomic output takes ``room`` writes, then finds the disk full."""
    from gutcheck.files.access import AtomicTextFile

    real_open = AtomicTextFile._open
    monkeypatch.setattr(AtomicTextFile, "_open", lambda self: FullDisk(real_open(self), room))


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.name)
@pytest.mark.parametrize("fault", ["disk full", "read-only", "wrong kind of target", "the input"])
def test_a_writer_that_cannot_write_changes_nothing(
    tmp_path: Path, places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, writer: Writer, fault: str
) -> None:
    source, saved = places
    target = tmp_path / ("reports" if writer.folder else "out.md")
    kept = writer.existing(target)
    from gutcheck.files import access

    if fault == "disk full":
        full_after(monkeypatch, 1 if writer.name == "--errors" else 0)  # the errors header fits
        phrase = "No space left on device"
    elif fault == "read-only":
        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise PermissionError(errno.EACCES, "Permission denied")
        monkeypatch.setattr(access.tempfile, "mkstemp", refuse)
        phrase = "Permission denied"
    elif fault == "wrong kind of target":  # a folder where a file goes, or a file for a folder
        shutil.rmtree(target) if writer.folder else target.unlink()
        target.write_text("old content\n") if writer.folder else target.mkdir()
        kept = target
        phrase = "is a file" if writer.folder else "is a folder"
    elif writer.name == "--errors":
        target, phrase = source, "--errors would overwrite the input file"
    elif writer.name == "report -o":
        target, phrase = saved, "-o would overwrite the saved assessment"
    else:
        source = target / "in.md"  # a report of client "in" would replace it
        source.write_text(BAD_CSV, encoding="utf-8")
        phrase = "the reports folder holds the input file"
    before = {p: p.read_bytes() for p in (source, saved, kept) if p.is_file()}

    result = run(*writer.args(source, target, saved))

    clear(result)
    assert result.code == ExitCode.USAGE, result.err
    assert phrase in result.err
    assert {p: p.read_bytes() for p in before} == before
    assert leftovers(tmp_path) == []


def test_an_errors_file_that_fills_the_disk_still_closes_with_the_counts(
    tmp_path: Path, places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:

    full_after(monkeypatch, 1)
    errors = tmp_path / "errors.csv"

    result = run("batch", str(places[0]), "--rules", str(MINI), "--errors", str(errors), "--format", "jsonl")

    assert result.code == ExitCode.USAGE
    assert "1 scored, 1 rejected, 2 rows read" in result.err and "Rejected rows written" not in result.err
    assert result.err.strip().splitlines()[-1].startswith(f"{errors}: cannot write the errors file")
    assert not errors.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("fault", ["disk full", "read-only"])
def test_a_history_that_cannot_be_written_loses_nothing(
    tmp_path: Path, gutcheck_home: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    from gutcheck.history import sqlite_file, store

    assert run("score", "-", "--rules", str(MINI), "--save", stdin=ANSWERS).code == 0
    source = tmp_path / "in.csv"
    source.write_text(CSV, encoding="utf-8")

    def fail(*args: Any, **kwargs: Any) -> Any:
        full = "database or disk is full"
        raise sqlite3.OperationalError(full if fault == "disk full" else "attempt to write a readonly database")

    with monkeypatch.context() as patch:
        if fault == "disk full":
            patch.setattr(store.History, "_insert", fail)
        else:
            patch.setattr(sqlite_file.sqlite3, "connect", fail)
        single = run("score", "-", "--rules", str(MINI), "--save", stdin=ANSWERS)
        many = run("batch", str(source), "--rules", str(MINI), "--save", "--format", "jsonl")

    for result in (single, many):
        clear(result)
        assert result.code == ExitCode.STORAGE, result.err
        assert ("is full" if fault == "disk full" else "read-only") in result.err
    assert single.out.strip(), "the result is still shown"
    with store.History.open() as history:
        assert history.count(None) == 1


# --------------------------------------------------------------------------- kill -9


SLOW_COMMIT = """
import pathlib, sys, time
from gutcheck.files import access
marker = pathlib.Path(sys.argv[1])
def stalled(self):
    self.stream.flush()
    marker.touch()
    time.sleep(60)
access.AtomicTextFile.commit = stalled
sys.argv = ["gutcheck", *sys.argv[2:]]
from gutcheck.cli import main
main()
"""


def killed(args: list[str], ready: Callable[[], bool], home: Path) -> None:
    """Run gutcheck with ``args`` in a subprocess and kill -9 it once ``ready()`` is true."""
    env = {**os.environ, "GUTCHECK_HOME": str(home)}
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not ready() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.name)
def test_kill_9_mid_write_leaves_the_old_output_whole(
    tmp_path: Path, places: tuple[Path, Path], gutcheck_home: Path, writer: Writer
) -> None:
    source, saved = places
    target = tmp_path / ("reports" if writer.folder else "out.md")
    kept = writer.existing(target)
    marker = tmp_path / "writing"

    killed([sys.executable, "-c", SLOW_COMMIT, str(marker), *writer.args(source, target, saved)],
           marker.exists, gutcheck_home)

    assert kept.read_text(encoding="utf-8") == "old content\n"
    assert source.read_text(encoding="utf-8") == BAD_CSV


def test_kill_9_mid_save_leaves_a_sound_history_that_a_rerun_completes(tmp_path: Path, gutcheck_home: Path) -> None:
    source = tmp_path / "many.csv"
    source.write_text("id,drink_freq\n" + "".join(f"c{n},never\n" for n in range(400)), encoding="utf-8")
    args = [sys.executable, "-m", "gutcheck", "batch", str(source), "--rules", str(MINI), "--save",
            "--format", "jsonl"]

    def some_saved() -> bool:
        try:
            with sqlite3.connect(database(gutcheck_home), timeout=0.1) as connection:
                return int(connection.execute("SELECT count(*) FROM assessments").fetchone()[0]) > 5
        except sqlite3.Error:
            return False

    killed(args, some_saved, gutcheck_home)
    with sqlite3.connect(database(gutcheck_home)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        partial = int(connection.execute("SELECT count(*) FROM assessments").fetchone()[0])
    assert 5 < partial < 400

    again = run("batch", str(source), "--rules", str(MINI), "--save", "--format", "jsonl")

    assert again.code == 0, again.err
    assert f"({partial} already saved before, not saved again)" in again.err
    with sqlite3.connect(database(gutcheck_home)) as connection:
        rows = connection.execute("SELECT profile, count(*) FROM assessments GROUP BY profile").fetchall()
    assert len(rows) == 400 and {count for _, count in rows} == {1}
