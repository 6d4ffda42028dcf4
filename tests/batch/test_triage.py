"""A coach's first question, "who do I call first, and about what?", answered by every batch output.

The coach's export (tests/data/batch/coach_export.csv) has, among its 41 responses: vomiting
blood at 60 or over (an emergency), black stools (same day), bleeding with belly pain (within
days), weight loss at 60 or over (within days), a family history (a risk marker, routine), and
two clients who left a safety question blank. The table, CSV, JSON Lines and the closing lines
grade them the same way, and never show "no" for a question left blank.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run

from gutcheck.batch.summary import ClientSummary, triage_rank
from gutcheck.render.batch_records import RecordMaker
from gutcheck.rulebook.loading import load_rules

EXPORT = Path(__file__).resolve().parents[1] / "data" / "batch" / "coach_export.csv"
README = Path(__file__).resolve().parents[2] / "README.md"
MOST_URGENT_FIRST = ["Uma Iyer", "Grace Liu", "Ben Carter", "Noah Brown", "Ines Duarte", "Theo Dubois", "Sven Larsen"]


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    result = run("batch", str(EXPORT), "--format", "jsonl")
    return {record["client"]: record for record in map(json.loads, result.out.splitlines())}


def test_each_record_carries_the_most_urgent_flag_its_kind_and_time_frame(records: dict[str, Any]) -> None:
    assert records["Uma Iyer"]["red_flag"] == {
        "status": "alarm", "id": "vomiting_blood", "urgency": "emergency", "time_frame": "now"}
    assert records["Grace Liu"]["red_flag"]["urgency"] == "same_day"
    assert records["Sven Larsen"]["red_flag"] == {
        "status": "risk", "id": "family_history", "urgency": "routine", "time_frame": "at your next appointment"}
    assert records["Ben Carter"]["top_suggestions"][0] == "blood_in_stool"  # the flag leads what to do
    assert {r["schema"] for r in records.values()} == {"gutcheck.batch-record/2"}


def test_a_blank_safety_answer_is_unanswered_never_no(records: dict[str, Any]) -> None:
    ines = records["Ines Duarte"]
    assert ines["red_flag"]["status"] == "unanswered" and ines["unanswered_safety"] == ["blood_in_stool"]
    assert records["Theo Dubois"]["unanswered_safety"] == ["night_symptoms"]
    assert records["Anna Schmidt"]["red_flag"]["status"] == "none"  # every safety question answered no
    assert all(r["red_flag"]["status"] != "no" for r in records.values())


def test_the_csv_grades_the_same_and_never_says_no_for_a_blank() -> None:
    rows = list(csv.DictReader(io.StringIO(run("batch", str(EXPORT), "--format", "csv").out)))
    by_client = {row["client"]: row for row in rows}
    assert (by_client["Ines Duarte"]["red_flag.status"], by_client["Ines Duarte"]["unanswered_safety"]) == (
        "unanswered", "blood_in_stool")
    uma = by_client["Uma Iyer"]
    assert (uma["red_flag.status"], uma["red_flag.urgency"], uma["red_flag.time_frame"]) == ("alarm", "emergency", "now")
    assert {row["red_flag.status"] for row in rows} == {"alarm", "risk", "unanswered", "none"}


def test_the_table_lists_clients_by_urgency_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    table = run("batch", str(EXPORT)).out
    lines = [line for line in table.splitlines() if line.startswith("│")]
    order = [next(name for name in MOST_URGENT_FIRST if name in line) for line in lines
             if any(name in line for name in MOST_URGENT_FIRST)]
    assert order == MOST_URGENT_FIRST
    assert "ALARM · now · Vomiting blood" in table and "unanswered: 1 safety question" in table
    assert "risk · at your next appointment" in table
    assert "│ no " not in table  # nobody's red flag reads "no"


def test_the_closing_lines_name_who_to_call_first_and_who_left_a_safety_question_blank() -> None:
    err = run("batch", str(EXPORT), "--format", "jsonl").err
    red = next(line for line in err.splitlines() if line.startswith("RED FLAG:"))
    assert red.index("Uma Iyer (row 41): Vomiting blood, now") < red.index("Grace Liu (row 8): Black, tar-like stools, today")
    assert red.index("Noah Brown") < red.index("Sven Larsen (row 24)")
    assert "(a risk marker, not a symptom)" in red
    blank = next(line for line in err.splitlines() if line.startswith("SAFETY UNANSWERED:"))
    assert "Ines Duarte (row 17: Bleeding from the back passage)" in blank and "not a no" in blank


def test_the_ranking_of_clients_follows_urgency_then_blank_then_routine() -> None:
    def summary(flags: tuple[tuple[str, str, str], ...] = (), blank: tuple[str, ...] = ()) -> ClientSummary:
        return ClientSummary(2, "c", None, None, (), flags, None, (), (), blank)

    ranks = [triage_rank(s) for s in (
        summary((("a", "alarm", "emergency"),)), summary((("a", "alarm", "same_day"),)),
        summary((("a", "alarm", "soon"),)), summary((("r", "risk", "soon"),)), summary(blank=("a",)),
        summary((("r", "risk", "routine"),)), summary())]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_readme_lists_the_batch_csv_columns_the_output_has() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- columns:batch-csv -->", 1)[1].split("```", 2)[1].strip()
    maker = RecordMaker(load_rules(None))
    first = maker.factor_ids[0]
    generated = ",".join(maker.columns())
    assert block.replace("<factor>", first).split(",factors.")[0] == generated.split(",factors.")[0]
    assert generated.endswith(",ignored_answers") and block.endswith(",ignored_answers")
