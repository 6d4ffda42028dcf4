"""The history commands as a person or a script uses them: score --save/--profile, history with
its trend, compare, export, forget and profiles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import Result, run

from gutcheck.history.store import History, database_path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"

HEAVY = "drink_freq: daily\ndrink_amount: 8\ndrink_binge: 'yes'\nfood_fibre: [sweets, fried]\nfood_stress: s3\n"
MIDDLE = "drink_freq: weekly\ndrink_amount: 4\ndrink_binge: 'yes'\nfood_fibre: [veg, sweets]\nfood_stress: s2\n"
LIGHT = "drink_freq: never\nfood_fibre: [veg, beans]\nfood_stress: s1\n"


def score_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: str, when: str,
                *options: str, rules: Path = MINI) -> Result:
    """Run ``gutcheck score`` at time ``when`` with the given options; assert it worked."""
    monkeypatch.setenv("GUTCHECK_NOW", when)
    file = tmp_path / f"answers-{when[:10]}.yaml"
    file.write_text(answers, encoding="utf-8")
    result = run("score", str(file), "--rules", str(rules), "--format", "json", *options)
    assert result.code == 0, result.err
    return result


@pytest.fixture
def three(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Profile 'anna' with three assessments a month apart: heavy, middle, light."""
    for month, answers in ((1, HEAVY), (2, MIDDLE), (3, LIGHT)):
        score_saved(tmp_path, monkeypatch, answers, f"2026-0{month}-01T09:00:00+00:00",
                    "--profile", "anna")


# -- score --save / --profile ------------------------------------------------------------------


def test_score_saves_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     gutcheck_home: Path) -> None:
    plain = score_saved(tmp_path, monkeypatch, LIGHT, "2026-01-01T09:00:00+00:00")
    assert not database_path(gutcheck_home).exists()
    assert "Saved" not in plain.err
    saved = score_saved(tmp_path, monkeypatch, LIGHT, "2026-01-01T09:00:00+00:00", "--save")
    assert saved.err.strip() == (
        f"Saved as assessment #1 in profile 'default' ({database_path(gutcheck_home)})."
    )
    assert json.loads(saved.out)["schema"] == "gutcheck.assessment/1"  # stdout stays pure JSON
    score_saved(tmp_path, monkeypatch, LIGHT, "2026-01-01T09:00:00+00:00", "--profile", "bob")
    score_saved(tmp_path, monkeypatch, LIGHT, "2026-01-01T09:00:00+00:00", "--profile", "carl",
                "--no-save")
    with History.open() as store:
        assert store.profiles() == ["bob", "default"]


def test_score_reports_a_storage_problem_after_the_result(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          gutcheck_home: Path) -> None:
    database_path(gutcheck_home).write_bytes(b"garbage, not a database " * 50)
    monkeypatch.setenv("GUTCHECK_NOW", "2026-01-01T09:00:00+00:00")
    file = tmp_path / "a.yaml"
    file.write_text(LIGHT, encoding="utf-8")
    result = run("score", str(file), "--rules", str(MINI), "-f", "json", "--save")
    assert result.code == 6
    assert json.loads(result.out)["overall"]["level"] == "low"  # the result was still shown
    assert str(database_path(gutcheck_home)) in result.err
    assert len(result.err.strip().splitlines()) == 1


# -- history -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_history_shows_a_table_and_a_trend_read_at_a_glance() -> None:
    result = run("history", "--profile", "anna")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    rows = [line for line in lines if line.strip().startswith(("1 ", "2 ", "3 "))]
    assert len(rows) == 3
    assert "1 Jan 2026" in rows[0] and "100% high" in rows[0]  # local time in words, never cut
    assert "today at 09:00" in rows[2] and "0% low" in rows[2]  # GUTCHECK_NOW is the last one
    assert "Trend over the last 3 assessments" in result.out
    overall = next(line for line in lines if line.strip().startswith("Overall") and "→" in line)
    assert "█▅▁" in overall
    assert "100% → 0%" in overall
    assert "↓ 100 points (less load, better)" in overall
    food = next(line for line in lines if line.strip().startswith("Food") and "→" in line)
    assert "█▃▁" in food and "100% → 0%" in food


@pytest.mark.usefixtures("three")
def test_history_json_has_every_assessment_and_the_trend() -> None:
    result = run("history", "--profile", "anna", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema"] == "gutcheck.history/1"
    assert [a["overall"]["level"] for a in data["assessments"]] == ["high", "moderate", "low"]
    assert data["assessments"][0]["factors"]["drink"] == {"percent": 100.0, "level": "high"}
    drink = next(line for line in data["trend"]["lines"] if line["id"] == "drink")
    assert drink["values"] == [100.0, 60.0, 0.0] and drink["change"] == -100.0


def test_history_of_an_unknown_profile_says_how_to_start(gutcheck_home: Path) -> None:
    result = run("history", "--profile", "nobody")
    assert result.code == 0
    assert "No assessments are saved for profile 'nobody' yet." in result.out
    assert not database_path(gutcheck_home).exists()  # reading never creates the database


def test_history_with_one_assessment_explains_the_trend_comes_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_saved(tmp_path, monkeypatch, HEAVY, "2026-01-01T09:00:00+00:00", "--save")
    result = run("history")
    assert "One assessment so far" in result.out
    assert "Trend over" not in result.out


def test_history_and_compare_do_not_pretend_across_rule_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer_rules = tmp_path / "mini-1.1.yaml"
    newer_rules.write_text(MINI.read_text(encoding="utf-8").replace('version: "1.0.0"',
                                                                     'version: "1.1.0"'))
    score_saved(tmp_path, monkeypatch, HEAVY, "2026-01-01T09:00:00+00:00", "--save")
    score_saved(tmp_path, monkeypatch, MIDDLE, "2026-02-01T09:00:00+00:00", "--save",
                rules=newer_rules)
    score_saved(tmp_path, monkeypatch, LIGHT, "2026-03-01T09:00:00+00:00", "--save",
                rules=newer_rules)
    history = " ".join(run("history").out.split())
    assert "Trend over the last 2 assessments" in history
    assert "1 earlier assessment was scored by a different rule base" in history
    assert "60% → 0%" in history  # the trend starts at the first 1.1.0 assessment
    result = run("compare", "1", "2")
    text = " ".join(result.out.split())
    assert result.code == 0, result.err
    assert ("Not comparable: These two were scored by different versions of the rule base "
            "(1.0.0 and 1.1.0), so their numbers are not comparable") in text
    assert "↓" not in text and "points" not in text
    assert "How often do you drink? Daily → Weekly" in text
    data = json.loads(run("compare", "1", "2", "--format", "json").out)
    assert data["comparable"] is False
    assert all(score["change"] is None for score in data["scores"])


# -- compare -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_compare_defaults_to_the_last_two_and_names_the_changed_answers() -> None:
    result = run("compare", "--profile", "anna")
    assert result.code == 0, result.err
    text = " ".join(result.out.replace("│", " ").split())
    assert "Comparing #2 (1 Feb 2026, profile 'anna') → #3 (today at 09:00" in text
    assert "Answers that changed (5):" in text
    assert "How often do you drink? Weekly → Never" in text
    assert "Which of these do you eat most days? Vegetables; Sweets → Vegetables; Beans" in text
    assert "How stressed do you feel about food? A little → Not at all" in text
    assert "How many drinks on a typical day? 4 drinks → (not asked)" in text
    assert "Do you sometimes have six or more? Yes → (not asked)" in text
    assert "Drinking 60% moderate 0% low ↓ 60 points (less load, better)" in text
    assert "Not comparable" not in text


@pytest.mark.usefixtures("three")
def test_compare_takes_ids_and_last_offsets() -> None:
    by_offset = run("compare", "last~2", "last", "--profile", "anna")
    by_id = run("compare", "1", "3")
    assert by_offset.code == 0 and by_id.code == 0, by_offset.err + by_id.err
    assert by_offset.out == by_id.out
    assert "Daily → Never" in by_id.out
    same = run("compare", "2", "2")
    assert "Answers: every answer is the same." in same.out
    assert "Scores: no factor score moved." in same.out


@pytest.mark.usefixtures("three")
def test_compare_json_lists_moves_and_answers() -> None:
    data = json.loads(run("compare", "-p", "anna", "-f", "json").out)
    assert data["schema"] == "gutcheck.compare/1" and data["comparable"] is True
    overall = next(s for s in data["scores"] if s["id"] == "overall")
    assert overall["change"] == pytest.approx(-51.1)
    assert {a["question"] for a in data["answers"]} == {
        "drink_freq", "drink_amount", "drink_binge", "food_fibre", "food_stress"}


@pytest.mark.usefixtures("three")
def test_compare_errors_are_one_sentence_with_exit_2() -> None:
    for args, expected in (
        (("compare",), "Nothing is saved under the default profile, but 1 other profile holds assessments: "
                       "'anna'. See one with: gutcheck compare -p anna"),
        (("compare", "last~5", "last", "-p", "anna"), "has only 3 saved assessments"),
        (("compare", "42", "1"), "There is no saved assessment with id 42"),
        (("compare", "first", "last"), "'first' does not name an assessment"),
    ):
        result = run(*args)
        assert result.code == 2, args
        assert expected in result.err
        assert len(result.err.strip().splitlines()) == 1


# -- export ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("three")
def test_export_json_and_jsonl_hold_every_whole_assessment(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    score_saved(tmp_path, monkeypatch, LIGHT, "2026-04-01T09:00:00+00:00", "--profile", "bob")
    document = json.loads(run("export").out)
    assert document["schema"] == "gutcheck.export/1"
    assert document["profiles"] == ["anna", "bob"]
    assert [(a["id"], a["profile"]) for a in document["assessments"]] == [
        (1, "anna"), (2, "anna"), (3, "anna"), (4, "bob")]
    assert document["assessments"][0]["assessment"]["schema"] == "gutcheck.assessment/1"
    lines = run("export", "--format", "jsonl", "--profile", "bob").out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["profile"] == "bob"
    with History.open() as store:
        assert json.loads(lines[0])["assessment"] == json.loads(
            json.dumps(store.get("last", "bob").to_dict()))


@pytest.mark.usefixtures("three")
def test_export_csv_is_one_row_per_assessment() -> None:
    result = run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [row["overall.level"] for row in rows] == ["high", "moderate", "low"]
    assert rows[0]["factors.drink.percent"] == "100.0"
    assert rows[0]["answer:food_fibre"] == "Sweets; Fried food"
    assert rows[0]["answer:drink_amount (drinks)"] == "8"  # a number, its unit in the header
    assert rows[1]["answer:drink_amount (drinks)"] == "4"
    assert rows[2]["answer:drink_amount (drinks)"] == ""  # not asked that time
    assert "answer:drink_amount" not in rows[0]
    jsonl = [json.loads(line) for line in run("export", "-f", "jsonl").out.splitlines()]
    amounts = [a["value"] for a in jsonl[0]["assessment"]["answers"] if a["question"] == "drink_amount"]
    assert amounts == [8.0]


def test_export_csv_neutralises_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dangerous = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"]
    for profile in dangerous:
        score_saved(tmp_path, monkeypatch, LIGHT, "2026-01-01T09:00:00+00:00", "--profile", profile)
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").out)))
    assert sorted(row["profile"] for row in rows) == sorted("'" + p for p in dangerous)
    assert all(row["overall.percent"] == "0.0" for row in rows)  # numbers stay numbers


def test_export_with_nothing_saved_is_empty_and_valid(gutcheck_home: Path) -> None:
    assert json.loads(run("export").out)["assessments"] == []
    assert run("export", "-f", "jsonl").out == ""
    assert not database_path(gutcheck_home).exists()


# -- forget ------------------------------------------------------------------------------------


@pytest.fixture
def two_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, three: None) -> None:
    score_saved(tmp_path, monkeypatch, LIGHT, "2026-04-01T09:00:00+00:00", "--profile", "bob")


def counts() -> dict[str, int]:
    with History.open() as store:
        return {name: store.count(name) for name in store.profiles()}


@pytest.mark.usefixtures("two_profiles")
def test_forget_without_a_terminal_and_without_yes_refuses() -> None:
    result = run("forget", "--profile", "anna")
    assert result.code == 2
    assert result.err.strip() == (
        "Nothing was deleted: there is no terminal to confirm on, so add --yes.")
    assert counts() == {"anna": 3, "bob": 1}


@pytest.mark.usefixtures("two_profiles")
def test_forget_asks_on_a_terminal_and_no_keeps_everything() -> None:
    result = run("forget", "--profile", "anna", stdin="n\n", tty=True)
    assert "Delete 3 saved assessments and any quiz draft of profile 'anna' for good?" in result.err
    assert result.code == 7  # declined: its own outcome, not an interruption
    assert "Nothing was deleted." in result.err
    assert counts() == {"anna": 3, "bob": 1}


@pytest.mark.usefixtures("two_profiles")
def test_forget_yes_on_a_terminal_deletes_one_profile_only() -> None:
    result = run("forget", "--profile", "anna", stdin="y\n", tty=True)
    assert result.code == 0, result.err
    assert "Forgot profile 'anna': 3 assessments deleted and the database compacted." in result.err
    assert counts() == {"bob": 1}


@pytest.mark.usefixtures("two_profiles")
def test_forget_all_with_yes_for_scripts(gutcheck_home: Path) -> None:
    result = run("forget", "--all", "--yes")
    assert result.code == 0, result.err
    assert counts() == {}
    assert b"Vegetables" not in database_path(gutcheck_home).read_bytes()


@pytest.mark.usefixtures("two_profiles")
def test_forget_needs_exactly_one_target() -> None:
    for args in (("forget",), ("forget", "--all", "--profile", "anna", "--yes")):
        result = run(*args)
        assert result.code == 2
        assert "Say what to forget: either --profile NAME or --all" in result.err
    unknown = run("forget", "--profile", "anne", "--yes")
    assert unknown.code == 0
    assert "There is no profile 'anne' (did you mean 'anna'?); nothing was deleted." in unknown.err
    assert counts() == {"anna": 3, "bob": 1}


# -- profiles and storage errors -----------------------------------------------------------------


@pytest.mark.usefixtures("two_profiles")
def test_profiles_lists_counts_and_dates() -> None:
    text = run("profiles").out
    anna = next(line for line in text.splitlines() if "anna" in line)
    assert anna.split("│")[1].strip() == "3"
    assert "1 Jan 2026" in anna and "1 Mar 2026" in anna  # in words, never cut
    data = json.loads(run("profiles", "--format", "json").out)
    assert [(p["profile"], p["assessments"]) for p in data["profiles"]] == [("anna", 3), ("bob", 1)]


def test_profiles_with_nothing_saved() -> None:
    assert "No profiles yet" in run("profiles").out


def test_a_corrupt_database_gives_exit_6_and_one_sentence(gutcheck_home: Path) -> None:
    path = database_path(gutcheck_home)
    path.write_bytes(b"\x00\x01 definitely not sqlite" * 200)
    before = path.read_bytes()
    for args in (("history",), ("profiles",), ("export",), ("forget", "--all", "--yes")):
        result = run(*args)
        assert result.code == 6, args
        assert result.err.startswith(f"{path} is not a readable gutcheck history database")
        assert len(result.err.strip().splitlines()) == 1
    assert path.read_bytes() == before


@pytest.mark.usefixtures("three")
def test_history_compare_and_profiles_speak_the_local_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST+5")  # five hours behind UTC: 09:00 UTC is 04:00 here
    assert "today at 04:00" in run("history", "--profile", "anna").out
    assert "→ #3 (today at 04:00" in " ".join(run("compare", "--profile", "anna").out.split())
    monkeypatch.setenv("GUTCHECK_NOW", "2026-03-02T08:00:00+00:00")  # 03:00 on 2 March here
    assert "yesterday at 04:00" in run("profiles").out
    exported = json.loads(run("history", "--profile", "anna", "--format", "json").out)
    assert exported["assessments"][2]["taken_at"] == "2026-03-01T09:00:00Z"  # files keep ISO 8601


def test_export_csv_keeps_decimal_answers_as_numbers() -> None:
    from gutcheck.engine.assessment import AnswerRecord
    from gutcheck.render.history_export import answer_cell

    sleep = AnswerRecord("sleep_hours", "How many hours do you sleep?", 5.5, "5.5 hours")
    assert answer_cell(sleep) == ("answer:sleep_hours (hours)", 5.5)
    assert answer_cell(AnswerRecord("n", "?", 3.0, "3")) == ("answer:n", 3)
    assert answer_cell(AnswerRecord("t", "?", -2.0, "-2 °C")) == ("answer:t (°C)", -2)  # not a formula
    assert answer_cell(AnswerRecord("b", "?", True, "Yes")) == ("answer:b", "Yes")
    assert answer_cell(AnswerRecord("s", "?", "skip", "Prefer not to say")) == ("answer:s", "Prefer not to say")
