"""``gutcheck report``: a saved assessment (file, stdin or history) to any format, safely."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import MINI_RULES
from helpers import run
from report_samples import FLAGGED_ANSWERS, clear, flagged

from gutcheck.errors import ExitCode
from gutcheck.history.store import History, database_path
from gutcheck.render import ReportFormat, render
from gutcheck.render.jsonout import render_json


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "assessment.json"
    path.write_text(render_json(flagged()), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", [ReportFormat.MARKDOWN, ReportFormat.HTML, ReportFormat.JSON])
def test_report_renders_a_saved_file_exactly_like_the_renderer(saved: Path, fmt: ReportFormat) -> None:
    result = run("report", str(saved), "--format", fmt.value)
    assert result.code == 0, result.err
    assert result.out == render(flagged(), fmt)
    assert result.err == ""


def test_report_defaults_to_the_results_screen(saved: Path) -> None:
    result = run("report", str(saved))
    assert result.code == 0, result.err
    assert "SEE A CLINICIAN" in result.out and "Overall risk-factor load" in result.out


def test_score_json_then_report_json_round_trips(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FLAGGED_ANSWERS), encoding="utf-8")
    scored = run("score", str(answers), "--rules", str(MINI_RULES), "--format", "json")
    assert scored.code == 0, scored.err
    again = run("report", "-", "--format", "json", stdin=scored.out)
    assert again.code == 0, again.err
    assert again.out == scored.out


def test_report_reads_stdin(saved: Path) -> None:
    result = run("report", "-", "-f", "md", stdin=saved.read_text(encoding="utf-8"))
    assert result.code == 0, result.err
    assert result.out == render(flagged(), ReportFormat.MARKDOWN)


def test_stdin_from_a_terminal_is_refused_with_a_hint() -> None:
    result = run("report", "-", tty=True)
    assert result.code == ExitCode.INVALID_INPUT
    assert "pipe a saved assessment" in result.err


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("r.md", "md"), ("r.HTML", "html"), ("r.htm", "html"), ("r.json", "json"), ("r.txt", "text")],
)
def test_output_format_follows_the_file_extension(saved: Path, tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    result = run("report", str(saved), "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err == f"Wrote {target} ({fmt}).\n"
    expected = render(flagged(), ReportFormat(fmt))
    assert target.read_text(encoding="utf-8") == expected


def test_format_option_wins_over_the_extension(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    assert run("report", str(saved), "-f", "md", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("# Gut-barrier self-check report")


def test_unknown_extension_without_format_is_a_usage_error(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = run("report", str(saved), "-o", str(target))
    assert result.code == ExitCode.USAGE
    assert "add --format md, html, json or text" in result.err
    assert not target.exists()


def test_a_new_report_file_is_private_and_leaves_no_temporary_file(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    assert run("report", str(saved), "-o", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_replacing_a_report_keeps_its_permissions(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    assert run("report", str(saved), "-o", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8") != "old"


def test_a_failed_write_leaves_the_old_file_whole(
    saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("the old report", encoding="utf-8")

    def refuse(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("report", str(saved), "-o", str(target))
    assert result.code == ExitCode.USAGE
    assert result.err == f"{target}: cannot write the report (No space left on device); choose a folder you can write to.\n"
    assert target.read_text(encoding="utf-8") == "the old report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_an_unwritable_folder_is_one_clear_sentence(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.md"
    result = run("report", str(saved), "-o", str(target))
    assert result.code == ExitCode.USAGE
    assert result.err.count("\n") == 1 and "cannot write the report" in result.err


def test_missing_file_names_the_file_and_the_alternatives(tmp_path: Path) -> None:
    result = run("report", str(tmp_path / "nope.json"))
    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.startswith(f"{tmp_path / 'nope.json'}: no such file;")
    assert "'gutcheck history'" in result.err


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "schema": ,\n}', encoding="utf-8")
    result = run("report", str(broken))
    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.startswith(f"{broken}:2:13: not valid JSON")


def test_a_json_file_that_is_not_an_assessment_is_refused(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FLAGGED_ANSWERS), encoding="utf-8")
    result = run("report", str(answers))
    assert result.code == ExitCode.INVALID_INPUT
    assert "not a saved assessment" in result.err and "gutcheck score ANSWERS --format json" in result.err


def test_a_damaged_assessment_names_the_broken_fields(saved: Path) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["factors"][1]["percent"] = "high"
    del document["overall"]["summary"]
    saved.write_text(json.dumps(document), encoding="utf-8")
    result = run("report", str(saved), "-f", "html")
    assert result.code == ExitCode.INVALID_INPUT
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == f"{saved}: the assessment document is damaged; save it again with --format json"
    assert f"  {saved}: overall: missing field 'summary'" in lines
    assert f"  {saved}: factors[1].percent: expected number or null, found \"high\"" in lines


def test_history_references_render_saved_assessments() -> None:
    with History.open() as store:
        first = store.save(clear())
        store.save(flagged())
        store.save(clear(), profile="anna")
    last = run("report", "last", "-f", "md")
    assert last.code == 0, last.err
    assert last.out == render(flagged(), ReportFormat.MARKDOWN)
    assert run("report", "last~1", "-f", "md").out == render(clear(), ReportFormat.MARKDOWN)
    assert run("report", str(first), "-f", "json").out == render_json(clear())
    assert run("report", "last", "-p", "anna", "-f", "md").out == render(clear(), ReportFormat.MARKDOWN)


def test_a_file_named_like_a_history_reference_is_read_as_a_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(saved.parent)
    saved.rename(saved.parent / "last")
    result = run("report", "last", "-f", "md")
    assert result.code == 0, result.err
    assert result.out == render(flagged(), ReportFormat.MARKDOWN)


def test_history_reference_without_any_history_does_not_create_one() -> None:
    result = run("report", "last")
    assert result.code == ExitCode.USAGE
    assert result.err == (
        "No assessments are saved yet, so there is no 'last'; "
        "take the quiz or give a saved assessment JSON file.\n"
    )
    assert not database_path().exists()


def test_unknown_history_id_says_where_to_look() -> None:
    with History.open() as store:
        store.save(clear())
    result = run("report", "99")
    assert result.code == ExitCode.USAGE
    assert "no saved assessment with id 99" in result.err
