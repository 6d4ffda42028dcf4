"""A coach's real form export, problems and all: every problem is said in a coach's words, and
no row is dropped without a word.

``tests/data/batch/coach_export.csv`` is 41 responses to an online form with the bundled rules'
question texts as headers: a byte-order mark and CRLF line ends, a Timestamp column, names as
ids (accented, Chinese, and one a spreadsheet formula), a blank row, a misspelt option, a decimal
comma, the sleep question reworded by the form tool, a client who sent the form twice, a
contradiction (no alcohol, and yet drinks on a typical day), blank safety answers, and the
follow-up safety questions left blank where the form skipped them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode
from gutcheck.history.store import History

EXPORT = Path(__file__).resolve().parents[1] / "data" / "batch" / "coach_export.csv"
SLEEP_HEADER = "How many hours of sleep do you get on a typical night?"
ANAEMIA_HEADER = "Have you been told you have anaemia (a low blood count) or low iron, without a clear cause?"


def data_rows() -> dict[int, list[str]]:
    """The export's data rows by spreadsheet row number (header = 1), blank rows left out."""
    text = EXPORT.read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    return {number: record for number, record in enumerate(records[1:], start=2) if any(c.strip() for c in record)}


def column(name: str) -> int:
    header = next(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"), newline="")))
    return header.index(name)


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, list[dict[str, Any]], list[dict[str, str]]]:
    """The export run as a coach would script it: JSON Lines, rejected rows into a file."""
    errors = tmp_path_factory.mktemp("coach") / "rejected.csv"
    result = run("batch", str(EXPORT), "--format", "jsonl", "--errors", str(errors))
    records = [json.loads(line) for line in result.out.splitlines()]
    rejected = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"))))
    return result, records, rejected


def test_the_file_is_what_the_issue_describes() -> None:
    raw = EXPORT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = data_rows()
    assert len(rows) == 41
    names = [record[column("Name")] for record in rows.values()]
    assert "José Núñez" in names and "王芳" in names and names.count("Priya Raman") == 2
    assert any(name.startswith("=HYPERLINK(") for name in names)
    assert "6,5" in {record[column(SLEEP_HEADER)] for record in rows.values()}


def test_every_row_is_scored_rejected_or_left_out_and_said_so(jsonl: Any) -> None:
    result, records, rejected = jsonl
    assert result.code == ExitCode.INVALID_INPUT  # one row was rejected; all the others are written
    closing = "39 scored, 1 rejected, 1 left out (a client's earlier rows, see above), 41 rows read from"
    assert closing in result.err
    left_out = [int(n) for n in re.findall(r"rows (\d+) and \d+; the latest is row \d+", result.err)]
    accounted = [r["row"] for r in records] + [int(r["gutcheck row"]) for r in rejected] + left_out
    assert sorted(accounted) == sorted(data_rows())  # every data row once, none silently dropped


def test_questions_without_a_column_are_named_with_what_they_cost(jsonl: Any) -> None:
    result, _, _ = jsonl
    err = result.err
    assert err.count("questions of gut-barrier have no column") == 1  # one warning
    assert "2 questions of gut-barrier have no column:" in err
    assert ("sleep_hours: no column; every client is assessed without it ('On a typical night, how many hours "
            f"do you actually sleep?'); did you mean the column '{SLEEP_HEADER}'?") in err
    assert "coeliac_family: no column; every client is assessed without it" in err
    lines = err.splitlines()
    first_row_error = next(i for i, line in enumerate(lines) if line.startswith("row "))
    assert lines.index(next(line for line in lines if "have no column" in line)) < first_row_error


def test_a_safety_question_without_a_column_is_named_first_and_most_strongly(tmp_path: Path) -> None:
    header = next(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"), newline="")))
    records = list(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"), newline="")))
    drop = header.index(ANAEMIA_HEADER)
    export = tmp_path / "no-anaemia.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(record[:drop] + record[drop + 1:] for record in records)
    err = run("batch", str(export), "--format", "jsonl").err
    assert "3 questions of gut-barrier have no column:" in err
    assert ("SAFETY anaemia: no column, so every client's answer to this safety question is unknown "
            "and nobody is checked for it") in err
    assert err.index("SAFETY anaemia") < err.index("sleep_hours: no column")


def test_the_form_columns_are_used_and_said(jsonl: Any) -> None:
    result, records, _ = jsonl
    assert "Clients are named by the column 'Name'." in result.err
    assert "Each assessment is dated by the column 'Timestamp'" in result.err
    clients = {r["client"] for r in records}
    assert {"José Núñez", "王芳", "Zoë Müller", "Chloé Martin"} <= clients
    assert '=HYPERLINK("https://example.com","Sam Okafor")' in clients  # the name as written


def test_the_client_who_sent_the_form_twice_is_scored_once_from_the_latest(jsonl: Any) -> None:
    result, records, _ = jsonl
    assert [r["row"] for r in records if r["client"] == "Priya Raman"] == [34]
    assert ("1 client appears on more than one row; only the latest row of each is scored (the latest by the "
            "form's date in 'Timestamp', then by row order)") in result.err
    assert "'Priya Raman' (rows 9 and 34; the latest is row 34)" in result.err
    # her first answers reported blood; her latest do not: the coach is told to ask
    assert ("an earlier row left out for a client's later one answered yes to a red-flag question; only the "
            "later row is scored, so ask the client about it: 'Priya Raman' (row 9: blood_in_stool).") in result.err


def test_the_contradiction_is_named_in_the_summary_and_the_record(jsonl: Any) -> None:
    result, records, _ = jsonl
    tom = next(r for r in records if r["client"] == "Tom Becker")
    assert tom["ignored_answers"] == ["alcohol_typical_drinks", "alcohol_six_or_more"]
    assert ("1 client answered follow-up questions that an earlier answer of theirs skips; those answers were "
            "not scored") in result.err
    assert ("'Tom Becker' (row 14: alcohol_typical_drinks and alcohol_six_or_more, skipped after the answer to "
            "alcohol_frequency)") in result.err
    assert all(r["ignored_answers"] == [] for r in records if r["client"] != "Tom Becker")


def test_the_misspelt_option_rejects_its_row_with_the_choices(jsonl: Any) -> None:
    result, _, rejected = jsonl
    assert ("row 25, column 'Over the past month, how stressed have you felt on most days?': 'Moderatly' is "
            "not one of: Not at all | A little | Moderately | Very | Extremely | Prefer not to say") in result.err
    assert [(r["gutcheck row"], r["Name"]) for r in rejected] == [("25", "Marek Nowak")]


def test_the_blank_safety_answer_is_kept_unanswered_not_dropped(jsonl: Any) -> None:
    _, records, _ = jsonl
    assert "Ines Duarte" in {r["client"] for r in records}


def test_the_formula_name_is_neutralised_in_the_csv_output() -> None:
    result = run("batch", str(EXPORT), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert "'=HYPERLINK(\"https://example.com\",\"Sam Okafor\")" in {r["client"] for r in rows}
    assert len(rows) == 39


def test_check_prints_the_mapping_and_scores_nothing() -> None:
    result = run("batch", str(EXPORT), "--check")

    assert result.code == ExitCode.INVALID_INPUT  # some questions have no column
    out = result.out
    assert "column  1  'Timestamp': the date of each assessment" in out
    assert "column  2  'Name': the client's name or id" in out
    assert "'Have you seen blood in or on your stool, or bleeding from your back passage?': question blood_in_stool (safety)" in out
    assert f"'{SLEEP_HEADER}': ignored: names no question; probably meant sleep_hours" in out
    assert "42 of 44 questions have a column." in out
    assert "scored" not in result.err and "ignoring" not in result.err
    assert "2 questions of gut-barrier have no column (listed above)" in result.err


def test_strict_columns_refuses_before_any_row_is_scored(tmp_path: Path) -> None:
    errors = tmp_path / "rejected.csv"
    result = run("batch", str(EXPORT), "--strict-columns", "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert result.out == "" and not errors.exists()
    assert "2 questions of gut-barrier have no column (--strict-columns); nothing was scored" in result.err
    assert "sleep_hours: no column" in result.err


def renamed_sleep_header(tmp_path: Path) -> Path:
    """The export with its sleep header named by the question's id, as the warning suggests."""
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(EXPORT.read_bytes().replace(SLEEP_HEADER.encode(), b"sleep_hours"))
    return fixed


def test_naming_the_sleep_column_as_suggested_scores_sleep_with_its_decimal_comma(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = run("batch", str(renamed_sleep_header(tmp_path)), "--reports", str(reports), "--report-format", "json")

    assert "sleep_hours" not in result.err  # no longer missing
    sleeper = next(r for n, r in data_rows().items() if r[column(SLEEP_HEADER)] == "6,5" and n not in (9, 25))
    report = json.loads((reports / f"{sleeper[column('Name')].replace(' ', '-')}.json").read_text(encoding="utf-8"))
    assert {"question": "sleep_hours", "value": 6.5} in [{k: a[k] for k in ("question", "value")} for a in report["answers"]]


def test_saving_dates_each_assessment_by_the_form_and_keeps_one_per_client(tmp_path: Path) -> None:
    result = run("batch", str(EXPORT), "--save", "--format", "csv")

    assert "Saved 39 assessments" in result.err and "already saved" not in result.err
    with History.open() as store:
        priya = store.list("Priya Raman")
        tom = store.list("Tom Becker")
    assert [p.assessment.taken_at for p in priya] == ["2026-03-17T09:37:43+00:00"]  # row 34's Timestamp
    assert data_rows()[14][:2] == ["2026/03/08 10:24:36 AM GMT", "Tom Becker"]
    assert [(t.assessment.taken_at, t.taken_at) for t in tom] == [("2026-03-08T10:24:36+00:00", "2026-03-08T10:24:36Z")]
