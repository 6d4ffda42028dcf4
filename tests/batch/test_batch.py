"""``gutcheck batch`` as a coach uses it: real exports in, summaries, reports and errors out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, records, run

from gutcheck.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
BATCH = ROOT / "tests" / "data" / "batch"


def batch(*args: str, stdin: str = "") -> Result:
    """Run ``gutcheck batch`` against the mini rule base."""
    return run("batch", *args, "--rules", str(MINI), stdin=stdin)



def score_alone(tmp_path: Path, answers: str) -> dict[str, Any]:
    """What ``gutcheck score`` says about one person's YAML answers."""
    file = tmp_path / "one.yaml"
    file.write_text(answers, encoding="utf-8")
    result = run("score", str(file), "--rules", str(MINI), "--format", "json")
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def agrees_with_score(record: dict[str, Any], document: dict[str, Any]) -> None:
    """A batch record says what ``gutcheck score`` says for the same answers."""
    assert record["overall"] == {"percent": document["overall"]["percent"], "level": document["overall"]["level"]}
    assert record["factors"] == {
        f["id"]: {"percent": f["percent"], "level": f["level"]} for f in document["factors"]
    }
    assert record["red_flags"] == [flag["id"] for flag in document["red_flags"]]
    # the red flags answered yes lead the first three things to do, then the ranked suggestions
    firsts = [flag["id"] for flag in document["red_flags"]] + [s["id"] for s in document["suggestions"]]
    assert record["top_suggestions"] == firsts[:3]


# --------------------------------------------------------------------------- exports as they come


def test_google_forms_export_is_scored_as_score_would(tmp_path: Path) -> None:
    result = batch(str(BATCH / "google_forms.csv"), "--format", "jsonl")

    assert result.code == 0, result.err
    got = {r["client"]: r for r in records(result)}
    assert list(got) == ["ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com"]
    agrees_with_score(got["ann@example.com"], score_alone(
        tmp_path, "blood: no\nweight_loss: no\ndrink_freq: weekly\ndrink_amount: 4\n"
                  "drink_binge: 'yes'\nfood_fibre: [veg, beans]\nfood_stress: s2\n"))
    agrees_with_score(got["cat@example.com"], score_alone(
        tmp_path, "blood: 'yes'\nweight_loss: no\ndrink_freq: daily\ndrink_amount: 8\n"
                  "drink_binge: 'yes'\nfood_fibre: [none]\nfood_stress: s1\n"))
    assert got["dan@example.com"]["factors"]["drink"] == {"percent": None, "level": None}
    assert result.err.count("Timestamp") == 1  # the form's time column dates each assessment
    assert "Each assessment is dated by the column 'Timestamp'" in result.err
    assert "Clients are named by the column 'Email Address'." in result.err
    assert "ignoring" not in result.err  # no column is left unexplained


def test_google_forms_rows_are_numbered_as_in_the_spreadsheet() -> None:
    result = batch(str(BATCH / "google_forms.csv"), "--format", "jsonl")

    assert [r["row"] for r in records(result)] == [2, 3, 4, 5]


def test_bom_crlf_semicolon_file_with_quoted_newline_and_blank_lines() -> None:
    result = batch(str(BATCH / "semicolon_bom_crlf.csv"), "--format", "jsonl")

    assert result.code == 0, result.err
    got = records(result)
    assert [(r["client"], r["row"]) for r in got] == [("s1", 3), ("s2", 4), ("s3", 6)]
    assert "3 scored, 0 rejected, 3 rows read" in result.err
    assert "semicolon-separated" in result.err
    assert "'Notes'" in result.err


def test_bom_semicolon_file_means_the_same_as_plain_ids(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text(
        "id,drink_freq,food_fibre,food_stress\ns1,weekly,veg;beans,s2\n"
        "s2,daily,sweets,s3\ns3,never,beans;fried,s1\n", encoding="utf-8")

    messy = records(batch(str(BATCH / "semicolon_bom_crlf.csv"), "--format", "jsonl"))
    clean = records(batch(str(plain), "--format", "jsonl"))

    assert [(r["overall"], r["factors"]) for r in messy] == [(r["overall"], r["factors"]) for r in clean]


def test_tsv_json_and_jsonl_inputs(tmp_path: Path) -> None:
    tsv = records(batch(str(BATCH / "clients.tsv"), "--format", "jsonl"))
    array = records(batch(str(BATCH / "clients.json"), "--format", "jsonl"))
    lines = records(batch(str(BATCH / "clients.jsonl"), "--format", "jsonl"))

    assert [r["client"] for r in tsv] == ["t1", "t2"]
    assert [r["client"] for r in array] == ["j1", "j2"]
    assert [(r["client"], r["row"]) for r in lines] == [("l1", 1), ("l2", 3)]
    agrees_with_score(array[0], score_alone(
        tmp_path, "blood: no\nweight_loss: no\ndrink_freq: weekly\ndrink_amount: 3\n"
                  "drink_binge: 'yes'\nfood_fibre: [veg, sweets]\nfood_stress: s2\n"))
    agrees_with_score(lines[1], score_alone(
        tmp_path, "blood: 'yes'\ndrink_freq: daily\ndrink_amount: 12\ndrink_binge: no\n"
                  "food_fibre: [fried]\nfood_stress: s3\n"))
    assert array[1]["red_flags"] == ["blood"]


@pytest.mark.parametrize("name", ["google_forms.csv", "clients.jsonl"])
def test_stdin_reads_the_same_as_the_file(name: str) -> None:
    text = (BATCH / name).read_text(encoding="utf-8")

    from_file = batch(str(BATCH / name), "--format", "jsonl")
    from_stdin = batch("-", "--format", "jsonl", stdin=text)

    assert from_stdin.code == 0, from_stdin.err
    assert records(from_stdin) == records(from_file)
    assert "<stdin>" in from_stdin.err


def test_stdin_from_a_terminal_is_refused_in_one_sentence() -> None:
    result = run("batch", "-", "--rules", str(MINI), tty=True)

    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.strip().splitlines() == [
        "<stdin>: nothing was piped in; give a file path, or pipe the export to '-'"
    ]


# --------------------------------------------------------------------------- good and bad rows


def test_mixed_rows_keep_counts_and_report_every_reason(tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"

    result = batch(str(BATCH / "mixed.csv"), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert [r["client"] for r in records(result)] == ["good-1", "good-2", "good-3"]
    assert "3 scored, 6 rejected, 9 rows read" in result.err
    assert ("row 3, column 'How often do you drink?': 'sometimes' is not one of: "
            "Never | Weekly | Daily | Prefer not to say") in result.err
    assert "row 9, column 'How stressed do you feel about food?': 'very'" in result.err
    assert "row 8: has 4 cells but the header has 6 columns" in result.err
    rows = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert [r["client"] for r in rows] == ["bad-choice", "bad-number", "bad-multi", "ragged", "bad-two", "no-answers"]
    assert [r["gutcheck row"] for r in rows] == ["3", "6", "7", "8", "9", "10"]
    assert "99 is not a whole number from" in rows[1]["gutcheck errors"]
    assert "2.5 is not a whole number" in rows[4]["gutcheck errors"] and "'very'" in rows[4]["gutcheck errors"]
    assert rows[0]["How often do you drink?"] == "sometimes"


def test_errors_file_can_be_fixed_and_run_again(tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"
    batch(str(BATCH / "mixed.csv"), "--errors", str(errors))
    fixes = {
        "bad-choice": {"How often do you drink?": "Weekly"},
        "bad-number": {"How many drinks on a typical day?": "9"},
        "bad-multi": {"Which of these do you eat most days?": "Beans"},
        "ragged": {"How stressed do you feel about food?": "A lot", "Have you seen blood in your stool?": "no"},
        "bad-two": {"How many drinks on a typical day?": "2", "How stressed do you feel about food?": "A lot"},
        "no-answers": {"How often do you drink?": "Never", "Which of these do you eat most days?": "Vegetables"},
    }
    reader = csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8")))
    rows = [{**row, **fixes[row["client"]]} for row in reader]
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    again = batch(str(fixed), "--format", "jsonl", "--errors", str(errors))

    assert again.code == 0, again.err
    assert [r["client"] for r in records(again)] == list(fixes)
    assert "ignoring" not in again.err  # the errors file's own columns are not 'unknown'
    missing = [line.split(":")[0].strip() for line in again.err.splitlines()
               if line.startswith("  ") and "no column" in line]
    assert missing == ["SAFETY weight_loss", "drink_binge"]  # what mixed.csv never had
    assert errors.read_text(encoding="utf-8").count("\n") == 1  # only the header is left


def test_errors_file_is_replaced_not_appended(tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"
    errors.write_text("stale content from an earlier run\n", encoding="utf-8")

    batch(str(BATCH / "google_forms.csv"), "--errors", str(errors))

    assert errors.read_text(encoding="utf-8").splitlines() == [
        "gutcheck row,gutcheck errors,Timestamp,Email Address,Have you seen blood in your stool?,"
        "Have you lost weight without trying?,how often do you DRINK?,How many drinks on a typical day?,"
        "Do you sometimes have six or more?,Which of these do you eat most days?,"
        "How stressed do you feel about food?"
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_row_errors_on_the_terminal_are_capped_but_all_are_in_the_errors_file(tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    source.write_text("id,drink_freq\n" + "".join(f"c{i},often\n" for i in range(45)), encoding="utf-8")
    errors = tmp_path / "errors.csv"

    result = batch(str(source), "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.count("'often' is not one of") == 20
    assert "... and 25 more rejected rows" in result.err
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 46


# --------------------------------------------------------------------------- outputs


def test_csv_output_has_a_stable_header_and_one_line_per_client() -> None:
    result = batch(str(BATCH / "google_forms.csv"), "--format", "csv")

    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == [
        "client", "row", "rules.id", "rules.version", "red_flag.status", "red_flag.id", "red_flag.urgency",
        "red_flag.time_frame", "red_flags", "unanswered_safety", "overall.percent",
        "overall.level", "top_factor", "top_suggestions", "factors.drink.percent",
        "factors.drink.level", "factors.food.percent", "factors.food.level", "ignored_answers",
    ]
    assert [r[0] for r in rows[1:]] == ["ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com"]
    cat = dict(zip(rows[0], rows[3], strict=True))
    assert (cat["red_flag.status"], cat["red_flag.urgency"], cat["red_flags"]) == ("alarm", "urgent", "blood")
    assert cat["top_suggestions"] == "blood; drink-less; eat-veg"  # the red flag leads


def test_json_output_is_one_array_of_the_jsonl_records() -> None:
    as_json = batch(str(BATCH / "google_forms.csv"), "--format", "json")
    as_lines = batch(str(BATCH / "google_forms.csv"), "--format", "jsonl")

    document = json.loads(as_json.out)
    assert document == records(as_lines)
    assert all(r["schema"] == "gutcheck.batch-record/2" for r in document)
    assert list(document[0]) == [
        "schema", "client", "row", "rules", "red_flag", "red_flags", "unanswered_safety", "overall", "top_factor",
        "top_suggestions", "factors", "ignored_answers",
    ]


def test_json_output_of_no_scored_rows_is_an_empty_array(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("id,drink_freq\na,often\n", encoding="utf-8")

    result = batch(str(source), "--format", "json")

    assert result.code == ExitCode.INVALID_INPUT
    assert json.loads(result.out) == []


def test_table_lists_red_flag_clients_first() -> None:
    result = batch(str(BATCH / "google_forms.csv"))

    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if "@example.com" in line]
    assert [line.split()[1] for line in lines] == [
        "cat@example.com", "ann@example.com", "bob@example.com", "dan@example.com"
    ]
    assert "ALARM" in lines[0] and "Drinking" in lines[0]
    assert "RED FLAG: 1 client answered yes to a red-flag question" in result.err and "cat@example.com (row 4)" in result.err


def test_fail_on_red_flag_sets_exit_code_5() -> None:
    flagged = batch(str(BATCH / "google_forms.csv"), "--format", "csv", "--fail-on-red-flag")
    plain = batch(str(BATCH / "google_forms.csv"), "--format", "csv")

    assert flagged.code == ExitCode.RED_FLAG
    assert plain.code == 0
    assert flagged.out == plain.out


def test_fail_on_red_flag_wins_over_rejected_rows() -> None:
    result = batch(str(BATCH / "mixed.csv"), "--format", "csv", "--fail-on-red-flag")

    assert result.code == ExitCode.RED_FLAG
    assert "6 rejected" in result.err


def test_no_red_flag_means_exit_0_even_with_the_option(tmp_path: Path) -> None:
    source = tmp_path / "calm.csv"
    source.write_text("id,blood,drink_freq\na,no,never\n", encoding="utf-8")

    assert batch(str(source), "--fail-on-red-flag").code == 0


def test_id_column_option_and_row_number_fallback(tmp_path: Path) -> None:
    source = tmp_path / "named.csv"
    source.write_text("nickname,drink_freq\nbee,weekly\n,daily\n", encoding="utf-8")

    named = records(batch(str(source), "--format", "jsonl", "--id-column", " NICKNAME "))
    unnamed = records(batch(str(source), "--format", "jsonl"))

    assert [r["client"] for r in named] == ["bee", "row 3"]
    assert [r["client"] for r in unnamed] == ["row 2", "row 3"]


def test_unknown_id_column_is_one_sentence(tmp_path: Path) -> None:
    result = batch(str(BATCH / "clients.tsv"), "--id-column", "patient")

    assert result.code == ExitCode.INVALID_INPUT
    assert len(result.err.strip().splitlines()) == 1
    assert "no column named 'patient'" in result.err


# --------------------------------------------------------------------------- messy input


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "is empty"),
        (b"id,drink_freq\r\n", "has a header but no rows to score"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa5\xc9\xff\xfe", "is not UTF-8 text"),
        (b"\x00\x01\x02binary\x00garbage", "is not UTF-8 text"),
        (b"Name,Age,Town\nann,33,Leeds\n", "no column names a question of the rule base mini"),
        (b"id,drink_freq,How often do you drink?\na,never,never\n", "both answer question 'drink_freq'"),
        (b"[{\"id\": 1, \"drink_freq\": \"never\"", "line 1: the file ends in the middle of a record"),
    ],
)
def test_messy_input_gives_one_clear_sentence(tmp_path: Path, content: bytes, expected: str) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(content)

    result = batch(str(source))

    assert result.code == ExitCode.INVALID_INPUT
    lines = result.err.strip().splitlines()
    # notes on how the header was read, and warnings (their lines indented), may come before it
    notes = ("Warning", "  ", "Clients are named by", "No column names the clients", "Each assessment is dated")
    assert len([line for line in lines if not line.startswith(notes)]) == 1, result.err
    assert expected in result.err
    assert str(source) in lines[-1]
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[{\"id\": \"c1\", \"drink_freq\": \"never\"}\n", "line 2: the array is not closed with ']'"),
        (b"[{\"id\": \"c1\", \"drink_freq\": \"never\"} {}]", "line 1: expected ',' or ']' after an item"),
    ],
)
def test_a_file_that_breaks_off_after_some_rows_still_closes_with_its_counts(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    source = tmp_path / "export.json"
    source.write_bytes(content)
    errors = tmp_path / "rejected.csv"

    result = batch(str(source), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert [r["client"] for r in records(result)] == ["c1"]
    lines = result.err.strip().splitlines()
    closing = [line for line in lines if " scored, " in line]
    assert closing[0].startswith("1 scored, 0 rejected, 1 rows read from") and "stopped early" in closing[0]
    assert expected in lines[-1] and str(source) in lines[-1]
    assert errors.read_text(encoding="utf-8").startswith("gutcheck row,gutcheck errors,")
    assert "Traceback" not in result.err


def test_missing_file_and_folder_are_one_sentence(tmp_path: Path) -> None:
    missing = batch(str(tmp_path / "nope.csv"))
    folder = batch(str(tmp_path))

    assert missing.code == folder.code == ExitCode.INVALID_INPUT
    hint = "give the path of a CSV, TSV, JSON or JSON Lines file, or - for stdin"
    assert missing.err.strip() == f"{tmp_path / 'nope.csv'}: no such file; {hint}"
    assert folder.err.strip() == f"{tmp_path}: is a folder; {hint}"


def test_non_utf8_text_in_the_middle_names_the_row(tmp_path: Path) -> None:
    source = tmp_path / "latin1.csv"
    good = b"id,drink_freq\n" + b"".join(b"c%d,never\n" % i for i in range(20000))
    source.write_bytes(good + "caf\u00e9,never\n".encode("latin-1"))

    errors = tmp_path / "rejected.csv"

    result = batch(str(source), "--format", "csv", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert len(result.out.splitlines()) == 20001  # the header and every good row
    assert "row 20002, column 'id': holds bytes that are not UTF-8 text" in result.err
    assert "20000 scored, 1 rejected, 20001 rows read" in result.err
    rejected = errors.read_bytes().splitlines()
    assert len(rejected) == 2
    assert rejected[1].startswith(b"20002,") and rejected[1].endswith(b",caf\xe9,never")  # as it was


# --------------------------------------------------------------------------- CSV safety


def test_formula_looking_text_is_neutralised_in_csv_output(tmp_path: Path) -> None:
    source = tmp_path / "evil.csv"
    source.write_text(
        'id,drink_freq\n"=HYPERLINK(""http://x"")",never\n+1+2,never\n-cmd,never\n@SUM(A1),never\n'
        '"\tx",never\n-12,never\n', encoding="utf-8")

    result = batch(str(source), "--format", "csv")

    clients = [row[0] for row in list(csv.reader(io.StringIO(result.out)))[1:]]
    assert clients == ["'=HYPERLINK(\"http://x\")", "'+1+2", "'-cmd", "'@SUM(A1)", "x", "-12"]
    json_clients = [r["client"] for r in records(batch(str(source), "--format", "jsonl"))]
    assert json_clients[0] == '=HYPERLINK("http://x")'


def test_formula_looking_cells_are_neutralised_in_the_errors_file_and_read_back(tmp_path: Path) -> None:
    source = tmp_path / "evil.csv"
    source.write_text("id,drink_freq\n=1+2,=cmd|' /C calc'!A0\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"

    batch(str(source), "--errors", str(errors))

    row = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8"))))[1]
    assert row[2:] == ["'=1+2", "'=cmd|' /C calc'!A0"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    again = batch(str(errors), "--format", "jsonl")
    assert '"=cmd|\' /C calc\'!A0" is not one of' in again.err  # the apostrophe is gone again


# --------------------------------------------------------------------------- the bundled rules


def test_bundled_rules_form_export_agrees_with_score(tmp_path: Path) -> None:
    from gutcheck.rulebook.loading import load_rules

    rules = load_rules(None)
    heavy = {q.id: q.options[-1] for q in rules.questions if q.kind in ("choice", "scale")}
    light = {q.id: q.options[0] for q in rules.questions if q.kind in ("choice", "scale")}
    source = tmp_path / "form.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Timestamp", "Name", *(rules.by_id[qid].ask for qid in heavy)])
        for name, picks in (("heavy", heavy), ("light", light)):
            writer.writerow(["2026-01-01", name, *(option.label for option in picks.values())])

    result = run("batch", str(source), "--format", "jsonl")

    assert result.code == 0, result.err
    got = {r["client"]: r for r in records(result)}
    for name, picks in (("heavy", heavy), ("light", light)):
        answers = tmp_path / f"{name}.yaml"
        answers.write_text("".join(f"{qid}: {json.dumps(o.value)}\n" for qid, o in picks.items()), encoding="utf-8")
        alone = run("score", str(answers), "--format", "json")
        assert alone.code == 0, alone.err
        agrees_with_score(got[name], json.loads(alone.out))
    assert got["heavy"]["overall"]["percent"] > got["light"]["overall"]["percent"]


def test_a_bad_json_lines_line_is_rejected_alone(tmp_path: Path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text('{"id": "a", "drink_freq": "never"}\n{"id": 1, "drink_freq": }\n{"id": "c", "drink_freq": "daily"}\n')
    errors = tmp_path / "errors.csv"

    result = batch(str(source), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert [json.loads(line)["client"] for line in result.out.splitlines()] == ["a", "c"]
    assert "line 2: not valid JSON" in result.err
    assert "2 scored, 1 rejected, 3 rows read" in result.err
    assert "line 2: not valid JSON" in errors.read_text()
