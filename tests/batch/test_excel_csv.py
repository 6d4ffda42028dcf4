"""`--excel`: CSV that Excel on Windows opens as UTF-8 (a byte-order mark first, CRLF line ends),
checked as bytes on disk, and read back by gutcheck itself."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

from gutcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")
BOM = b"\xef\xbb\xbf"
NAMES = ("José Núñez", "王秀英")
CLIENTS = (
    "client,drink_freq,food_stress\n"
    f"{NAMES[0]},weekly,s2\n"
    f"{NAMES[1]},never,s1\n"
    "Zoë Faure,sometimes,s1\n"  # not an option: rejected, so the errors file has a row
)


def gutcheck_to_file(args: list[str], target: Path, home: Path,
                     encoding: str = "latin-1") -> subprocess.CompletedProcess[bytes]:
    """Run gutcheck as a separate process with stdout going to ``target``, as a shell's ``>`` does,
    by default with an output encoding that cannot write Chinese (as on Windows, where output to
    a file is in the ANSI code page)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "GUTCHECK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    with target.open("wb") as out:
        return subprocess.run([sys.executable, "-m", "gutcheck", *args], stdout=out, stderr=subprocess.PIPE,
                              env=env, timeout=120, check=False)


def assert_excel_bytes(data: bytes) -> str:
    """``data`` starts with the UTF-8 byte-order mark, ends every line with CRLF; the text."""
    assert data.startswith(BOM) and not data.startswith(BOM * 2)
    assert data.endswith(b"\r\n") and b"\r\r\n" not in data
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF line end
    return data[len(BOM):].decode("utf-8")


@pytest.fixture
def clients(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS, encoding="utf-8")
    return path


def test_batch_csv_for_excel_is_utf8_with_a_bom_and_crlf_on_disk(clients: Path, tmp_path: Path) -> None:
    summary, errors = tmp_path / "summary.csv", tmp_path / "rejected.csv"
    done = gutcheck_to_file(["batch", str(clients), "--rules", MINI, "-f", "csv", "--excel",
                             "--errors", str(errors)], summary, tmp_path / "home")
    assert done.returncode == ExitCode.INVALID_INPUT, done.stderr  # one row was rejected
    rows = list(csv.DictReader(io.StringIO(assert_excel_bytes(summary.read_bytes()))))
    assert [row["client"] for row in rows] == list(NAMES)
    assert list(rows[0])[:2] == ["client", "row"]  # the mark is not part of the first column's name
    rejected = list(csv.reader(io.StringIO(assert_excel_bytes(errors.read_bytes()))))
    assert rejected[0][:3] == ["gutcheck row", "gutcheck errors", "client"]
    assert rejected[1][2] == "Zoë Faure"


def test_without_excel_the_csv_stays_plain(clients: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.csv"
    done = gutcheck_to_file(["batch", str(clients), "--rules", MINI, "-f", "csv",
                             "--errors", str(tmp_path / "e.csv")], summary, tmp_path / "home", "utf-8")
    assert done.returncode == ExitCode.INVALID_INPUT
    for data in (summary.read_bytes(), (tmp_path / "e.csv").read_bytes()):
        assert not data.startswith(BOM) and b"\r\n" not in data
        assert "José Núñez".encode() in data or "Zoë Faure".encode() in data


def test_gutcheck_reads_its_excel_errors_file_back(clients: Path, tmp_path: Path) -> None:
    errors = tmp_path / "rejected.csv"
    first = run("batch", str(clients), "--rules", MINI, "--excel", "--errors", str(errors))
    assert first.code == ExitCode.INVALID_INPUT
    fixed = errors.read_bytes().replace(b",sometimes,", b",weekly,")
    errors.write_bytes(fixed)
    again = run("batch", str(errors), "--rules", MINI, "-f", "jsonl")
    assert again.code == 0, again.err
    assert "1 scored, 0 rejected, 1 rows read" in again.err
    assert '"client":"Zoë Faure"' in again.out


def test_the_excel_template_is_filled_in_and_scored(tmp_path: Path) -> None:
    template = tmp_path / "clients.csv"
    done = gutcheck_to_file(["template", "--rules", MINI, "--excel"], template, tmp_path / "home")
    assert done.returncode == 0, done.stderr
    text = assert_excel_bytes(template.read_bytes())
    header = next(csv.reader(io.StringIO(text)))
    row = {"client": NAMES[1], "drink_freq": "Weekly", "food_stress": "s2"}
    line = ",".join(row.get(column, "") for column in header)
    template.write_bytes(template.read_bytes() + line.encode("utf-8") + b"\r\n")  # as Excel saves it
    scored = run("batch", str(template), "--rules", MINI, "-f", "jsonl")
    assert scored.code == 0, scored.err
    assert f'"client":"{NAMES[1]}"' in scored.out


def test_export_for_excel_on_disk(tmp_path: Path, clients: Path) -> None:
    home = tmp_path / "home"
    saved = subprocess.run([sys.executable, "-m", "gutcheck", "batch", str(clients), "--rules", MINI, "--save"],
                           env={**os.environ, "GUTCHECK_HOME": str(home), "PYTHONPATH": str(ROOT)},
                           capture_output=True, timeout=120, check=False)
    assert saved.returncode == ExitCode.INVALID_INPUT, saved.stderr  # two saved, one rejected
    target = tmp_path / "history.csv"
    done = gutcheck_to_file(["export", "-f", "csv", "--excel"], target, home)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(assert_excel_bytes(target.read_bytes()))))
    assert sorted(row["profile"] for row in rows) == sorted(NAMES)


@pytest.mark.parametrize(("args", "hint"), [
    (("batch", "x.csv"), "add --format csv or --errors FILE"),
    (("batch", "x.csv", "-f", "jsonl"), "add --format csv or --errors FILE"),
    (("export", "-f", "json"), "it goes with --format csv"),
    (("template", "-f", "yaml"), "it goes with the csv template (--format csv)"),
])
def test_excel_without_a_csv_output_is_bad_usage(args: tuple[str, ...], hint: str) -> None:
    result = run(*args, "--excel")
    assert result.code == ExitCode.USAGE
    assert result.err.strip() == f"--excel only changes CSV output; {hint}"
