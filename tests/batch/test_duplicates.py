"""A client on more than one row of one input, and answers to questions that did not apply."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, records, run, write_export

from gutcheck.batch.duplicates import ClientKeys, Plan, find_duplicates
from gutcheck.batch.rows import RowCells
from gutcheck.errors import ExitCode
from gutcheck.history.store import History

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
HEADER = "Timestamp,Name,How often do you drink?,How stressed do you feel about food?\n"
TWICE = (HEADER + "2026/03/20 10:00:00 AM GMT,Ann,Daily,A lot\n2026/03/02 10:00:00 AM GMT,Bob,Never,A little\n"
         "2026/03/05 10:00:00 AM GMT,Ann,Never,Not at all\n")


def batch(source: Path | str, *args: str, stdin: str = "") -> Result:
    return run("batch", str(source), "--rules", str(MINI), *args, stdin=stdin)




def test_the_latest_by_the_form_s_date_is_kept_even_when_it_comes_first(tmp_path: Path) -> None:
    result = batch(write_export(tmp_path, TWICE), "--format", "jsonl")

    assert result.code == 0, result.err
    assert [(r["client"], r["row"]) for r in records(result)] == [("Ann", 2), ("Bob", 3)]
    assert "'Ann' (rows 2 and 4; the latest is row 2)" in result.err
    assert "2 scored, 0 rejected, 1 left out" in result.err and "3 rows read" in result.err


def test_without_a_date_the_last_row_is_the_latest(tmp_path: Path) -> None:
    source = write_export(tmp_path, "id,drink_freq\nann,daily\nann,never\nbob,never\n")

    result = batch(source, "--format", "jsonl")

    assert [(r["client"], r["row"]) for r in records(result)] == [("ann", 3), ("bob", 4)]
    assert "only the latest row of each is scored (the last in the file)" in result.err


def test_all_keeps_every_row_and_names_them(tmp_path: Path) -> None:
    result = batch(write_export(tmp_path, TWICE), "--format", "jsonl", "--duplicates", "all")

    assert result.code == 0, result.err
    assert [r["row"] for r in records(result)] == [2, 3, 4]
    assert "every row is scored (--duplicates all), but --save keeps only the latest of each" in result.err
    assert "left out" not in result.err


def test_reject_rejects_every_row_of_the_client_into_the_errors_file(tmp_path: Path) -> None:
    errors = tmp_path / "rejected.csv"

    result = batch(write_export(tmp_path, TWICE), "--format", "jsonl", "--duplicates", "reject", "--errors", str(errors))

    assert result.code == ExitCode.INVALID_INPUT
    assert [r["client"] for r in records(result)] == ["Bob"]
    rows = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert [(r["gutcheck row"], r["Name"]) for r in rows] == [("2", "Ann"), ("4", "Ann")]
    assert all("the client 'Ann' is on 2 rows (2, 4) and --duplicates reject was given" in r["gutcheck errors"]
               for r in rows)
    assert "1 scored, 2 rejected, 3 rows read" in result.err


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_stdin_is_read_again_from_a_copy_and_gives_what_the_file_gives(tmp_path: Path, fmt: str) -> None:
    from_file = batch(write_export(tmp_path, TWICE), "--format", fmt)
    from_stdin = batch("-", "--format", fmt, stdin=TWICE)

    assert from_stdin.out == from_file.out and from_stdin.code == from_file.code == 0
    assert "'Ann' (rows 2 and 4; the latest is row 2)" in from_stdin.err


def test_json_lines_are_read_for_their_clients_before_scoring(tmp_path: Path) -> None:
    lines = ['{"id": "ann", "submitted_at": "2026-03-02T10:00:00Z", "drink_freq": "daily"}',
             '{"id": "bob", "drink_freq": "never"}',
             '{"id": "ann", "submitted_at": "2026-03-09T10:00:00Z", "drink_freq": "never"}']
    source = write_export(tmp_path, "\n".join(lines) + "\n", "export.jsonl")

    result = batch(source, "--format", "jsonl")

    assert [(r["client"], r["row"]) for r in records(result)] == [("bob", 2), ("ann", 3)]
    assert "'ann' (rows 1 and 3; the latest is row 3)" in result.err


def test_a_file_on_stdout_is_cut_back_when_the_input_is_read_again(tmp_path: Path) -> None:
    source, out = write_export(tmp_path, TWICE), tmp_path / "summary.jsonl"
    out.write_text("kept line\n", encoding="utf-8")
    env = {**os.environ, "GUTCHECK_HOME": str(tmp_path / "home")}
    with out.open("a", encoding="utf-8") as stdout:  # appended to, as `>>` would
        done = subprocess.run([sys.executable, "-m", "gutcheck", "batch", str(source), "--rules", str(MINI),
                               "--format", "jsonl"], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env,
                              check=False)

    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kept line"
    assert [(json.loads(line)["client"], json.loads(line)["row"]) for line in lines[1:]] == [("Ann", 2), ("Bob", 3)]


def test_saving_never_makes_a_trend_from_one_file_and_never_says_already_saved(tmp_path: Path) -> None:
    result = batch(write_export(tmp_path, TWICE), "--save", "--format", "csv")

    assert result.code == 0, result.err
    with History.open() as store:
        ann = store.list("Ann")
    assert [(a.assessment.taken_at, a.assessment.answers[0].value) for a in ann] == [("2026-03-20T10:00:00+00:00", "daily")]
    assert "Saved 2 assessments" in result.err and "already" not in result.err


def test_client_keys_find_repeated_clients_exactly_in_large_inputs() -> None:
    keys = ClientKeys()
    keys.add_all(f"client-{n}" for n in range(250_000))  # past the size checked in one set
    keys.add("client-17")
    keys.add("")  # nobody

    candidates = keys.candidates()
    found = find_duplicates(iter([RowCells(2, "client-17"), RowCells(3, "client-18"), RowCells(9, "client-17"),
                                  RowCells(10, "")]), candidates, lambda: None)

    assert hash("client-17") in candidates and len(candidates) == 1
    assert [(d.client, [o.row for o in d.rows], d.kept) for d in found] == [("client-17", [2, 9], 9)]
    plan = Plan.of(found, "latest")
    assert plan.rows == {2: None} and plan.unsaved == frozenset()
    assert Plan.of(found, "all").unsaved == frozenset({2}) and Plan.of(found, "all").rows == {}


# --------------------------------------------------------------------------- answers that do not apply


def test_many_contradictions_are_one_counted_warning_not_a_line_each(tmp_path: Path) -> None:
    rows = "".join(f"c{n},Never,{n % 5 + 1},Not at all\n" for n in range(60))
    source = write_export(tmp_path, "id,How often do you drink?,How many drinks on a typical day?,"
                             "How stressed do you feel about food?\n" + rows)

    result = batch(source, "--format", "jsonl")

    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "follow-up questions" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("Warning: 60 clients answered follow-up questions that an earlier answer of "
                                  "theirs skips; those answers were not scored")
    assert "'c0' (row 2: drink_amount, skipped after the answer to drink_freq)" in warnings[0]
    assert "; and 40 more. By question: drink_amount 60 clients." in warnings[0]
    assert {tuple(r["ignored_answers"]) for r in records(result)} == {("drink_amount",)}


def test_declining_a_hidden_question_is_not_a_contradiction(tmp_path: Path) -> None:
    source = write_export(tmp_path, "id,drink_freq,drink_amount,food_stress\na,never,,s1\nb,Prefer not to say,4,s1\n")

    result = batch(source, "--format", "jsonl")

    assert [r["ignored_answers"] for r in records(result)] == [[], ["drink_amount"]]


def test_score_notes_answers_that_did_not_apply_in_one_line(tmp_path: Path) -> None:
    answers = write_export(tmp_path, "drink_freq: never\ndrink_amount: 7\ndrink_binge: yes\nfood_stress: s2\n", "a.yaml")

    result = run("score", str(answers), "--rules", str(MINI), "--format", "json")

    assert result.code == 0
    assert result.err.strip() == ("Note: drink_amount and drink_binge were answered, but the answer to drink_freq "
                                  "means they do not apply, so they were not scored.")
    assert {a["question"] for a in json.loads(result.out)["answers"]} == {"drink_freq", "food_stress"}


def response(client: str, drinks: str) -> str:
    return json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed", "identifier": {"value": client},
                       "item": [{"linkId": "drink_freq", "answer": [{"valueCoding": {"code": drinks}}]}]})


def test_fhir_responses_of_one_client_keep_the_last_and_check_lists_their_items(tmp_path: Path) -> None:
    source = write_export(tmp_path, "\n".join([response("ann", "daily"), response("bob", "never"), response("ann", "never")])
                   + "\n", "responses.ndjson")

    scored = batch(source, "--format", "jsonl")
    checked = batch(source, "--check")

    assert [(r["client"], r["row"]) for r in records(scored)] == [("bob", 2), ("ann", 3)]
    assert "'ann' (rows 1 and 3; the latest is row 3)" in scored.err
    assert "Clients are named" not in scored.err  # a response names its client itself
    assert "FHIR items are matched by linkId: answer the Questionnaire from `gutcheck rules export`" in scored.err
    assert "item 1  'drink_freq': question drink_freq" in checked.out
    assert "1 of 7 questions have an item (2 follow-up questions that no record holds not listed" in checked.out
    assert checked.code == ExitCode.INVALID_INPUT


def test_ctrl_c_while_clients_are_checked_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gutcheck.batch import duplicates

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(duplicates, "find_duplicates", interrupted)
    errors = tmp_path / "rejected.csv"

    result = batch(write_export(tmp_path, TWICE), "--format", "jsonl", "--errors", str(errors))

    assert result.code == ExitCode.INTERRUPTED
    assert result.out == "" and not errors.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
    assert result.err.strip().splitlines()[-1] == "Interrupted before anything was written."
