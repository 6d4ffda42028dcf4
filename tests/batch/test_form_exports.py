"""Exports of the usual form tools: which column names the client, which one dates the
assessment, how their dates read, and which questions have no column (``--check``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import Result, records, run, write_export

from gutcheck.batch.dates import BadDate, FormDates, find_time_column
from gutcheck.errors import ExitCode
from gutcheck.history.store import History

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
QUESTIONS = "Have you seen blood in your stool?,How often do you drink?,How stressed do you feel about food?"


def batch(source: Path, *args: str) -> Result:
    return run("batch", str(source), "--rules", str(MINI), *args)




# --------------------------------------------------------------------------- the client column


def test_microsoft_forms_names_clients_by_name_not_by_the_response_number(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"ID,Start time,Completion time,Email,Name,{QUESTIONS}\n"
                             "1,3/14/2026 14:01:00,3/14/2026 14:05:09,ann@x.org,Ann Lee,No,Weekly,A lot\n"
                             "2,3/15/2026 9:00:00,3/15/2026 9:03:30,bob@x.org,Bob Roy,No,Never,A little\n")

    result = batch(source, "--format", "jsonl", "--save")

    assert result.code == 0, result.err
    assert [r["client"] for r in records(result)] == ["Ann Lee", "Bob Roy"]
    assert ("Clients are named by the column 'Name'; the column 'ID' holds response numbers (1, 2, 3 ...), "
            "which change with every export, so it does not name anyone.") in result.err
    assert "Each assessment is dated by the column 'Completion time'" in result.err  # not Start time
    with History.open() as store:
        assert store.list("Ann Lee")[0].assessment.taken_at.startswith("2026-03-14T14:05:09")


def test_surveymonkey_names_clients_by_email_and_dates_by_end_date(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"Respondent ID,Collector ID,Start Date,End Date,Email Address,{QUESTIONS}\n"
                             "114053658890,4321,03/14/2026 02:01:00 PM,03/14/2026 02:05:09 PM,ann@x.org,No,Daily,A lot\n")

    result = batch(source, "--check")

    assert result.code == ExitCode.INVALID_INPUT  # weight_loss, drink_amount ... have no column
    assert "column 1  'Respondent ID': ignored: the form's response number, not a client" in result.out
    assert "column 3  'Start Date': ignored: another time of the form (--time-column chooses)" in result.out
    assert "column 4  'End Date': the date of each assessment" in result.out
    assert "column 5  'Email Address': the client's name or id" in result.out


def test_a_bare_id_of_response_numbers_alone_leaves_the_row_numbers(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"#,Submit Date (UTC),{QUESTIONS}\n1,2026-03-14 14:05:09,No,Weekly,A lot\n")

    result = batch(source, "--format", "jsonl")

    assert [r["client"] for r in records(result)] == ["row 2"]
    assert "No column names the clients (client, id, name or email), so each is named by its row number" in result.err


def test_a_coach_s_own_id_codes_still_name_the_clients(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"id,Name,{QUESTIONS}\nc-104,Ann Lee,No,Weekly,A lot\nc-211,Bob Roy,No,Never,A little\n")

    assert [r["client"] for r in records(batch(source, "--format", "jsonl"))] == ["c-104", "c-211"]


def test_id_column_can_still_choose_the_response_number(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"ID,Name,{QUESTIONS}\n7,Ann Lee,No,Weekly,A lot\n")

    result = batch(source, "--format", "jsonl", "--id-column", "ID")

    assert [r["client"] for r in records(result)] == ["7"]
    assert "Clients are named by the column 'ID' (--id-column)." in result.err


# --------------------------------------------------------------------------- the form's date


@pytest.mark.parametrize(
    ("column", "cell", "iso"),
    [
        ("Timestamp", "2026/01/12 9:14:03 AM GMT", "2026-01-12T09:14:03+00:00"),  # Google Forms
        ("Timestamp", "2026/01/12 9:14:03 PM GMT+1", "2026-01-12T21:14:03+01:00"),
        ("Timestamp", "1/12/2026 9:14:03", "2026-01-12T09:14:03"),  # Google Sheets, month first
        ("Completion time", "3/14/2026 14:05:09", "2026-03-14T14:05:09"),  # Microsoft Forms
        ("Submit Date (UTC)", "2026-03-14 14:05:09", "2026-03-14T14:05:09+00:00"),  # Typeform
        ("Submitted at", "2026-03-14T14:05:09.120Z", "2026-03-14T14:05:09+00:00"),  # Tally, ISO 8601
        ("Submitted at", "2026-03-14T14:05:09+05:30", "2026-03-14T14:05:09+05:30"),
        ("Submission Date", "Mar 14, 2026 2:05 PM", "2026-03-14T14:05:00"),  # JotForm
        ("End Date", "03/14/2026 02:05:09 PM", "2026-03-14T14:05:09"),  # SurveyMonkey
        ("Timestamp", "14/03/2026 14:05", "2026-03-14T14:05:00"),  # day first: 14 is no month
        ("Timestamp", "14.03.2026 08:00", "2026-03-14T08:00:00"),  # dotted dates are day first
        ("Timestamp", "14 March 2026", "2026-03-14T00:00:00"),
    ],
)
def test_the_usual_form_dates_are_read(column: str, cell: str, iso: str) -> None:
    stamp = FormDates(column)(cell)

    assert stamp is not None and stamp.startswith(iso)


def test_a_column_that_shows_the_day_first_reads_every_cell_day_first() -> None:
    dates = FormDates("Timestamp", ["25/03/2026 10:00", "03/04/2026 10:00"])

    assert (dates("03/04/2026 10:00") or "").startswith("2026-04-03T10:00")


@pytest.mark.parametrize("cell", ["yesterday", "2026-02-30 10:00", "13/13/2026", "2026/01/12 13:00 PM", "Smarch 3, 2026"])
def test_a_cell_that_is_not_a_date_is_refused_with_examples(cell: str) -> None:
    with pytest.raises(BadDate, match="such as 2026-03-14 14:05"):
        FormDates("Timestamp")(cell)


def test_completion_is_preferred_to_start_and_the_choice_is_case_blind() -> None:
    assert find_time_column(["ID", "Start time", "Completion time"], None) == 2
    assert find_time_column(["timestamp", "Name"], None) == 0
    assert find_time_column(["When", "Name"], "when") == 0
    assert find_time_column(["Name"], None) is None


def test_a_cell_that_is_not_a_date_rejects_its_row_and_an_empty_one_is_dated_by_the_run(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"Timestamp,Name,{QUESTIONS}\n2026/03/02 9:14:03 AM GMT,Ann,No,Weekly,A lot\n"
                             "last tuesday,Bob,No,Never,A little\n,Cy,No,Daily,A lot\n")
    errors = tmp_path / "rejected.csv"

    result = batch(source, "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert [r["client"] for r in records(result)] == ["Ann", "Cy"]
    assert ("row 3, column 'Timestamp': 'last tuesday' is not a date and time gutcheck can read (such as "
            "2026-03-14 14:05, 3/14/2026 14:05:09 or 2026/03/14 2:05:09 PM GMT); correct it, or empty the cell "
            "to date the row by this run") in result.err
    assert "Warning: 1 row has no date in 'Timestamp' (rows 4); it is dated by this run instead." in result.err
    assert "last tuesday" in errors.read_text(encoding="utf-8")


def test_an_unknown_time_column_is_one_sentence(tmp_path: Path) -> None:
    source = write_export(tmp_path, f"Name,{QUESTIONS}\nAnn,No,Weekly,A lot\n")

    result = batch(source, "--time-column", "Sent")

    assert result.code == ExitCode.INVALID_INPUT
    assert "no column named 'Sent' for --time-column (the time each form was sent)" in result.err


def month(tmp_path: Path, name: str, stamps: tuple[str, str], drinks: tuple[str, str]) -> Path:
    return write_export(tmp_path, f"Timestamp,Email Address,{QUESTIONS}\n"
                           f"{stamps[0]},ann@x.org,No,{drinks[0]},A lot\n{stamps[1]},bob@x.org,No,{drinks[1]},A lot\n",
                 name)


def test_two_months_saved_are_dated_and_compared_by_the_form(tmp_path: Path) -> None:
    march = month(tmp_path, "march.csv", ("2026/03/02 9:14:03 AM GMT", "2026/03/03 10:00:00 AM GMT"), ("Daily", "Never"))
    april = month(tmp_path, "april.csv", ("2026/04/06 9:14:03 AM GMT", "2026/04/07 10:00:00 AM GMT"), ("Weekly", "Never"))

    for source in (march, april, march):  # March again: nothing new to save
        result = batch(source, "--save", "--time-column", "Timestamp", "--format", "csv")
        assert result.code == 0, result.err
    compare = run("compare", "--profile", "ann@x.org")
    history = run("history", "--profile", "bob@x.org", "--format", "json")

    assert "Saved 0 assessments" in result.err and "2 already saved before" in result.err
    assert "2 Mar 2026" in compare.out and "6 Apr 2026" in compare.out and "Daily → Weekly" in compare.out
    taken = [entry["taken_at"] for entry in json.loads(history.out)["assessments"]]
    assert taken == ["2026-03-03T10:00:00Z", "2026-04-07T10:00:00Z"]  # the same answers in two months


# --------------------------------------------------------------------------- --check


def test_check_exits_0_when_every_question_has_a_column(tmp_path: Path) -> None:
    template = write_export(tmp_path, run("template", "--rules", str(MINI)).out, "template.csv")

    result = batch(template, "--check")

    assert result.code == 0, result.err
    assert "7 of 7 questions have a column." in result.out
    assert "column 1  'client': the client's name or id" in result.out


def test_check_of_json_lists_its_keys(tmp_path: Path) -> None:
    source = write_export(tmp_path, '{"email": "a@x.org", "submitted_at": "2026-03-01T10:00:00Z", "drink_freq": "never",'
                             ' "drinks": 3}\n', "export.jsonl")

    result = batch(source, "--check")

    assert result.code == ExitCode.INVALID_INPUT
    assert "key 1  'email': the client's name or id" in result.out
    assert "key 2  'submitted_at': the date of each assessment" in result.out
    assert "key 4  'drinks': ignored: names no question" in result.out
    assert "SAFETY blood: no key" in result.out
    assert "drink_amount" not in result.out.split("Questions without")[1]  # a follow-up may be hidden for all
