"""Issue 12: nothing is lost, whatever the batch file holds (each reproduction of the issue)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode
from gutcheck.history.store import History

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"


def batch(*args: str) -> Result:
    """Run ``gutcheck batch`` against the mini rule base."""
    return run("batch", *args, "--rules", str(MINI))


def clients(result: Result) -> list[str]:
    """The clients of the JSON Lines records a run printed."""
    return [json.loads(line)["client"] for line in result.out.splitlines() if line.strip()]


# -- 1. an oversized cell is one rejected row, and reading goes on ------------------------------


def test_a_million_character_cell_rejects_its_row_and_the_rest_is_scored(tmp_path: Path) -> None:
    source, errors = tmp_path / "in.csv", tmp_path / "err.csv"
    huge = "x" * 1_000_000
    source.write_text(f"id,drink_freq\na,never\nb,{huge}\nc,never\nd,never\n", encoding="utf-8")

    result = batch(str(source), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert clients(result) == ["a", "c", "d"]
    assert "row 3, column 'drink_freq': the cell holds 1,000,000 characters" in result.err
    assert "field limit" not in result.err and "131072" not in result.err
    assert "3 scored, 1 rejected, 4 rows read" in result.err
    assert errors.read_text(encoding="utf-8").splitlines()[1].endswith(f",b,{huge}")


def test_a_200_kb_cell_in_row_11_of_50_loses_no_other_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    rows = [f"c{n},{'y' * 200_000 if n == 11 else 'never'}" for n in range(2, 52)]
    source.write_text("id,drink_freq\n" + "\n".join(rows) + "\n", encoding="utf-8")

    result = batch(str(source), "--format", "jsonl")

    assert len(clients(result)) == 49 and "c11" not in clients(result)
    assert "49 scored, 1 rejected, 50 rows read" in result.err


def test_a_row_beyond_the_record_limit_is_skipped_to_its_end(tmp_path: Path) -> None:
    source, errors = tmp_path / "in.csv", tmp_path / "err.csv"
    runaway = '"' + "z\n" * 2_200_000 + '"'  # one quoted cell of over 4 MiB, across many lines
    source.write_text(f"id,drink_freq\na,never\nb,{runaway}\nc,never\n", encoding="utf-8")

    result = batch(str(source), "--format", "jsonl", "--errors", str(errors))

    assert clients(result) == ["a", "c"]
    assert "row 3: is longer than 4194304 characters" in result.err
    assert "2 scored, 1 rejected, 3 rows read" in result.err
    assert errors.read_text(encoding="utf-8").splitlines()[1].startswith("3,")


# -- 2. no output can be a file the run reads --------------------------------------------------


def _input(tmp_path: Path) -> Path:
    source = tmp_path / "in.csv"
    source.write_text("id,drink_freq\na,never\nb,sometimes\n", encoding="utf-8")
    return source


@pytest.mark.parametrize("how", ["same path", "other spelling", "symbolic link", "hard link"])
def test_errors_can_never_overwrite_the_input(tmp_path: Path, how: str) -> None:
    source = _input(tmp_path)
    before = source.read_bytes()
    target = {"same path": source, "other spelling": tmp_path / "." / ".." / tmp_path.name / "in.csv"}.get(how)
    if target is None:
        target = tmp_path / "alias.csv"
        (target.symlink_to if how == "symbolic link" else target.hardlink_to)(source)

    result = batch(str(source), "--errors", str(target))

    assert result.code == ExitCode.USAGE
    assert result.err.strip() == (
        f"{target}: --errors would overwrite the input file {source}; give --errors another file name."
    )
    assert source.read_bytes() == before and result.out == ""


def test_errors_can_never_overwrite_the_rule_base_or_the_history(tmp_path: Path, gutcheck_home: Path) -> None:
    source, rules = _input(tmp_path), tmp_path / "rules.yaml"
    rules.write_bytes(MINI.read_bytes())
    database = gutcheck_home / "history.sqlite3"

    on_rules = run("batch", str(source), "--rules", str(rules), "--errors", str(rules))
    on_history = batch(str(source), "--errors", str(database))

    assert (on_rules.code, on_history.code) == (ExitCode.USAGE, ExitCode.USAGE)
    assert "--errors would overwrite the rule base" in on_rules.err
    assert "--errors would overwrite the history database" in on_history.err
    assert rules.read_bytes() == MINI.read_bytes() and not database.exists()


def test_save_refuses_an_input_that_is_the_history_database(gutcheck_home: Path) -> None:
    database = gutcheck_home / "history.sqlite3"
    database.write_text("id,drink_freq\na,never\n", encoding="utf-8")

    result = batch(str(database), "--save")

    assert result.code == ExitCode.USAGE
    assert "the history database would overwrite the input file" in result.err
    assert database.read_text(encoding="utf-8") == "id,drink_freq\na,never\n"


def test_reports_folder_holding_an_input_a_report_could_replace_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.json"
    source.write_text('[{"id": "a", "drink_freq": "never"}]', encoding="utf-8")

    result = batch(str(source), "--reports", str(tmp_path), "--report-format", "json")

    assert result.code == ExitCode.USAGE
    assert "the reports folder holds the input file" in result.err
    assert json.loads(source.read_text(encoding="utf-8")) == [{"id": "a", "drink_freq": "never"}]


# -- 3. a bad byte late in a big file; --save is idempotent ------------------------------------


def _latin1_late(tmp_path: Path, rows: int = 1000, bad_row: int = 992) -> Path:
    """A file whose one Latin-1 byte lies well past the first 64 KiB (the sample)."""
    source = tmp_path / "big.csv"
    lines = [b"id,drink_freq"]
    for n in range(2, rows + 2):
        lines.append(b"caf\xe9,never" if n == bad_row else b"client-%d-%s,never" % (n, b"p" * 60))
    source.write_bytes(b"\n".join(lines) + b"\n")
    return source


def test_a_bad_byte_late_in_a_big_file_rejects_that_row_only_and_saving_is_idempotent(
    tmp_path: Path,
) -> None:
    source = _latin1_late(tmp_path)

    first = batch(str(source), "--format", "jsonl", "--save")

    assert first.code == ExitCode.INVALID_INPUT
    assert len(clients(first)) == 999
    assert "row 992, column 'id': holds bytes that are not UTF-8 text" in first.err
    assert "999 scored, 1 rejected, 1000 rows read" in first.err
    with History.open() as store:
        assert store.count(None) == 999
    source.write_bytes(source.read_bytes().replace(b"caf\xe9", "café".encode()))

    again = batch(str(source), "--format", "jsonl", "--save")

    assert again.code == 0, again.err
    assert "Saved 1 assessment in" in again.err and "(999 already saved before, not saved again)" in again.err
    with History.open() as store:
        assert store.count(None) == 1000
        assert len(store.list("café")) == 1


def test_a_file_not_utf8_from_its_start_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    source, errors = tmp_path / "legacy.csv", tmp_path / "err.csv"
    source.write_bytes("id,drink_freq\nRen\u00e9e,never\nb,never\n".encode("latin-1"))

    result = batch(str(source), "--format", "jsonl", "--save", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert result.out == "" and not errors.exists()
    assert result.err.strip().startswith(f"{source}: is not UTF-8 text")
    assert not (Path(os.environ["GUTCHECK_HOME"]) / "history.sqlite3").exists()


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_bad_byte_late_in_a_json_file_rejects_that_record_only(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"big.{fmt}"
    records = [b'{"id": "c%d-%s", "drink_freq": "never"}' % (n, b"p" * 60) for n in range(1200)]
    records.append(b'{"id": "Ren\xe9e", "drink_freq": "never"}')
    body = b",\n".join(records) if fmt == "json" else b"\n".join(records)
    source.write_bytes(b"[" + body + b"]" if fmt == "json" else body)

    result = batch(str(source), "--format", "jsonl")

    assert result.code == ExitCode.INVALID_INPUT
    place = "item 1201" if fmt == "json" else "line 1201"
    assert f"{place}: holds bytes that are not UTF-8 text" in result.err
    assert "1200 scored, 1 rejected, 1201 rows read" in result.err


def test_saving_one_client_on_several_rows_saves_only_the_latest(tmp_path: Path) -> None:
    source = tmp_path / "twice.csv"
    source.write_text("id,drink_freq\na,never\na,never\na,daily\n", encoding="utf-8")

    result = batch(str(source), "--save")

    assert result.code == 0, result.err  # one file never makes a trend (it did before: never, daily)
    with History.open() as store:
        assert [s.assessment.answers[0].value for s in store.list("a")] == ["daily"]
    assert "1 scored, 0 rejected, 2 left out" in result.err
    assert "already saved" not in result.err


def test_keeping_every_row_still_saves_only_the_latest(tmp_path: Path) -> None:
    source = tmp_path / "twice.csv"
    source.write_text("id,drink_freq\na,daily\na,never\n", encoding="utf-8")

    result = batch(str(source), "--save", "--duplicates", "all", "--format", "jsonl")

    assert result.code == 0, result.err
    assert clients(result) == ["a", "a"]
    with History.open() as store:
        assert [s.assessment.answers[0].value for s in store.list("a")] == ["never"]
    assert "Saved 1 assessment" in result.err and "1 earlier row of a client" in result.err
    assert "already saved" not in result.err


# -- 6. the errors file reproduces rejected rows -----------------------------------------------


def test_a_short_row_is_written_back_unpadded_and_stays_rejected(tmp_path: Path) -> None:
    source, errors = tmp_path / "in.csv", tmp_path / "err.csv"
    source.write_text("id,drink_freq,drink_amount\na,never,0\nb,Never\n", encoding="utf-8")

    first = batch(str(source), "--errors", str(errors), "--format", "jsonl")
    again = batch(str(errors), "--format", "jsonl")

    assert first.code == again.code == ExitCode.INVALID_INPUT
    assert errors.read_text(encoding="utf-8").splitlines()[1].endswith(",b,Never")
    assert clients(again) == [] and "0 scored, 1 rejected, 1 rows read" in again.err


def test_rejected_cells_come_back_as_they_were(tmp_path: Path) -> None:
    source, errors = tmp_path / "in.csv", tmp_path / "err.csv"
    cells = ['"  spaced  "', '"multi\nline"', '"quote "" inside"', "=1+1", "x" * 50, "sometimes"]
    source.write_text("id,drink_freq\n" + "".join(f"{c},sometimes\n" for c in cells), encoding="utf-8")

    batch(str(source), "--errors", str(errors))

    import csv

    with errors.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [row[2] for row in rows] == ["  spaced  ", "multi\nline", 'quote " inside', "'=1+1", "x" * 50, "sometimes"]
    assert all(row[3] == "sometimes" and len(row) == 4 for row in rows)


# -- 5. a JSON batch record with a key given twice is rejected, not "last one wins" -------------


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_a_json_record_with_a_key_given_twice_is_rejected_alone(tmp_path: Path, suffix: str) -> None:
    records = ['{"id": "a", "drink_freq": "never"}', '{"id": "b", "drink_freq": "daily", "drink_freq": "never"}',
               '{"id": "c", "answers": {"drink_freq": "never", "drink_freq": "weekly"}}', '{"id": "d", "drink_freq": "never"}']
    source = tmp_path / f"in.{suffix}"
    source.write_text("[" + ",\n".join(records) + "]" if suffix == "json" else "\n".join(records), encoding="utf-8")

    result = batch(str(source), "--format", "jsonl")

    assert result.code == ExitCode.INVALID_INPUT
    assert clients(result) == ["a", "d"]
    place = "item" if suffix == "json" else "line"
    assert f"{place} 2: key 'drink_freq' is given twice; keep one of them" in result.err
    assert f"{place} 3: key 'drink_freq' is given twice" in result.err
    assert "2 scored, 2 rejected, 4 rows read" in result.err


def test_a_crlf_split_at_the_end_of_the_sample_does_not_shift_row_numbers(tmp_path: Path) -> None:
    text = "id,drink_freq\r\n" + "".join(f"c{n},never\r\n" for n in range(5000))
    text += "p" * (65535 - len(text) - len(",never")) + ",never\r\n"  # a '\r' is the 65,536th character
    assert text[65535] == "\r"
    source = tmp_path / "crlf.csv"
    source.write_bytes((text + "last,never\r\n").encode())

    result = batch(str(source), "--format", "jsonl")

    last = json.loads(result.out.splitlines()[-1])
    assert (last["client"], last["row"]) == ("last", len(result.out.splitlines()) + 1)
    assert result.code == 0, result.err


def test_ctrl_c_mid_batch_still_closes_with_the_counts_and_writes_the_errors_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gutcheck.batch import csv_source

    source, errors = tmp_path / "in.csv", tmp_path / "err.csv"
    source.write_text("id,drink_freq\na,never\nb,sometimes\nc,never\nd,never\n", encoding="utf-8")
    real = csv_source._summaries_first
    seen: list[str] = []

    def interrupted_at_c(*args: Any) -> Any:
        score_row = real(*args)

        def score_or_stop(number: int, record: list[str]) -> Any:
            seen.append(record[0])
            if record[0] == "c":
                raise KeyboardInterrupt
            return score_row(number, record)

        return score_or_stop

    monkeypatch.setattr(csv_source, "_summaries_first", interrupted_at_c)

    result = batch(str(source), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INTERRUPTED
    assert clients(result) == ["a"] and seen == ["a", "b", "c"]  # d is never read
    lines = [line for line in result.err.strip().splitlines() if not line.startswith(("Warning", "  ", "Clients"))]
    assert lines[0].startswith("row 3, column 'drink_freq': 'sometimes'")  # b's reason, then the counts
    assert "1 scored, 1 rejected, 2 rows read" in lines[1] and "stopped early" in lines[1]
    assert lines[2] == "Reading stopped early, so clients on more than one row were not looked for."
    assert lines[-1].startswith("Interrupted;")
    assert errors.read_text(encoding="utf-8").splitlines()[1].endswith(",b,sometimes")
