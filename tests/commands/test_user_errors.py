"""Bad input from real use gets one clear sentence and a documented exit code, never a crash:
regression tests for the defects found by trying gutcheck the way people will."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from unittest import mock

import pytest
from helpers import run

from gutcheck.errors import ExitCode
from gutcheck.history.store import History

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")
EXAMPLE = str(ROOT / "docs" / "example-answers.yaml")


def write(path: Path, text: str) -> str:
    """Write ``text`` to ``path`` and return the path as a command-line argument."""
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- YAML that would recurse for ever -----------------------------------------------------------


def test_an_alias_that_refers_to_itself_is_one_located_sentence(tmp_path: Path) -> None:
    answers = write(tmp_path / "answers.yaml", "drink_freq: &loop [*loop]\n")
    result = run("score", answers, "--rules", MINI)
    assert result.code == ExitCode.INVALID_INPUT
    assert f"{answers}:1:13: an alias refers to itself; remove it" in result.err
    assert "Unexpected error" not in result.err


def test_a_self_referring_alias_in_a_rule_base_is_a_rules_error(tmp_path: Path) -> None:
    rules = write(tmp_path / "rules.yaml", "id: x\nfactors: &f {a: *f}\n")
    result = run("rules", "validate", rules)
    assert result.code == ExitCode.INVALID_RULES
    assert f"{rules}:2:10: an alias refers to itself; remove it" in result.err


def test_deeply_nested_answers_are_refused_not_a_recursion_crash(tmp_path: Path) -> None:
    answers = write(tmp_path / "deep.yaml", "drink_freq: " + "[" * 500 + "]" * 500 + "\n")
    result = run("score", answers, "--rules", MINI)
    assert result.code == ExitCode.INVALID_INPUT
    assert "nested more than 100 levels deep; flatten it" in result.err
    assert "Unexpected error" not in result.err


def test_an_alias_used_twice_side_by_side_is_still_fine(tmp_path: Path) -> None:
    answers = write(
        tmp_path / "answers.yaml",
        "food_fibre: &picks [veg, beans]\nblood: no\nweight_loss: no\ndrink_freq: never\n"
        "food_stress: s1\n",
    )
    result = run("score", answers, "--rules", MINI, "--format", "json")
    assert result.code == 0, result.err


# --- rule-base messages in plain words ------------------------------------------------------------


def test_rule_base_type_mistakes_are_said_plainly(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mini", "id: Mini Rules").replace('version: "1.0.0"', "version: 1.0")
    text = text.replace("title: Mini test rules", 'title: ""')
    text = text.replace("references: [src-a]\n        caution", "references: []\n        caution", 1)
    rules = write(tmp_path / "rules.yaml", text)
    result = run("rules", "validate", rules)
    assert result.code == ExitCode.INVALID_RULES
    assert (
        "id should be an id: a lower-case letter, then lower-case letters, digits, '_' or '-' "
        "(got 'Mini Rules')" in result.err
    )
    assert "version should be text; put it in quotes (got 1.0)" in result.err
    assert "title should be text that is not empty (got '')" in result.err
    assert "references should be a list of at least 1 item(s) (got [])" in result.err
    assert "pattern" not in result.err and "after validation" not in result.err


# --- quiz options before another command --------------------------------------------------------


def test_one_misplaced_quiz_option_is_named_in_a_grammatical_sentence() -> None:
    result = run("--plain", "score", EXAMPLE)
    assert result.code == ExitCode.USAGE
    assert "--plain before 'score' only applies to the quiz;" in result.err


# --- the quiz's 'not saved' line -----------------------------------------------------------------


def test_not_saved_notice_after_a_quiz_ends_with_one_full_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "home-is-a-file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("GUTCHECK_HOME", str(not_a_folder))
    typed = ["y", "2", "2", "2", "4", "1", "1, 2", "3"]
    result = run("--rules", MINI, "--plain", "--format", "json",
                 stdin="".join(line + "\n" for line in typed))
    assert result.code == 0, result.err
    notice = result.err[result.err.index("Not saved: "):].replace("\n", " ").strip()
    assert notice.endswith("set GUTCHECK_HOME to a folder.")


# --- report -o onto links, pipes and devices ----------------------------------------------------


@pytest.fixture()
def saved_json(tmp_path: Path) -> str:
    """A saved assessment JSON file for the mini rules."""
    answers = write(tmp_path / "answers.yaml", "blood: no\ndrink_freq: never\nfood_stress: s1\n")
    result = run("score", answers, "--rules", MINI, "--format", "json")
    assert result.code == 0, result.err
    return write(tmp_path / "me.json", result.out)


def test_report_onto_a_symbolic_link_writes_the_file_it_points_to(
    tmp_path: Path, saved_json: str
) -> None:
    target = tmp_path / "shared" / "report.md"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    result = run("report", saved_json, "-o", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink(), "the link was replaced by a file"
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_report_onto_a_named_pipe_writes_into_it_and_leaves_the_pipe(
    tmp_path: Path, saved_json: str
) -> None:
    pipe = tmp_path / "report.fifo"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so opening to write works
    try:
        result = run("report", saved_json, "-o", str(pipe), "--format", "md")
        received = os.read(reader, 1 << 16).decode("utf-8")
    finally:
        os.close(reader)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.stat(pipe).st_mode), "the pipe was replaced by a file"
    assert received.startswith("# ")


# --- profiles and history -----------------------------------------------------------------------


def test_an_empty_profile_is_refused_before_scoring_instead_of_saving_as_default() -> None:
    result = run("score", EXAMPLE, "--profile", "")
    assert (result.code, result.out) == (ExitCode.USAGE, "")
    assert result.err.strip() == "A profile name cannot be empty; give one such as --profile anna."
    assert run("profiles").out.count("default") == 0


def test_an_unreadable_history_file_is_called_unreadable_not_read_only(tmp_path: Path) -> None:
    from gutcheck.history.sqlite_file import explain as _explain

    database = tmp_path / "history.sqlite3"
    database.write_bytes(b"")
    error = sqlite3.OperationalError("unable to open database file")
    with mock.patch("gutcheck.history.sqlite_file.os.access", return_value=False):
        message = _explain(error, database)
    assert message == (
        f"Cannot read the history database {database} (permission denied); make it readable and "
        "writable by you, or set GUTCHECK_HOME to another folder."
    )


def test_end_of_input_at_the_forget_question_deletes_nothing() -> None:
    assert run("score", EXAMPLE, "--profile", "anna").code == 0
    result = run("forget", "--profile", "anna", stdin="", tty=True)
    assert result.code == ExitCode.INTERRUPTED
    assert result.err.strip().splitlines()[-1] == "Nothing was deleted."
    assert "Aborted" not in result.err
    with History.open() as store:
        assert len(store.list("anna")) == 1


# --- Ctrl-C in any command ----------------------------------------------------------------------


def test_ctrl_c_in_a_command_says_interrupted_with_exit_code_130() -> None:
    with mock.patch("gutcheck.commands.options.load", side_effect=KeyboardInterrupt):
        result = run("score", EXAMPLE)
    assert (result.code, result.err.strip()) == (ExitCode.INTERRUPTED, "Interrupted.")


def test_a_cell_longer_than_the_csv_limit_names_its_row(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("client,alcohol_frequency\na," + "x" * 200_000 + "\n")
    result = run("batch", str(source))
    assert result.code == ExitCode.INVALID_INPUT
    reasons = [line for line in result.err.strip().splitlines() if line.startswith("row ")]
    assert reasons[0] == (
        "row 2, column 'alcohol_frequency': the cell holds 200,000 characters, more than any "
        "answer (10,000 at most); a quote may be missing its closing quote, or text was pasted "
        "into the wrong cell"
    )
    assert "field limit" not in result.err


def test_batch_errors_file_onto_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    target, link = tmp_path / "rejected.csv", tmp_path / "link.csv"
    target.write_text("old\n")
    link.symlink_to(target)
    source = tmp_path / "export.csv"
    source.write_text("client,alcohol_frequency\na,sometimes\nb,never\n")
    result = run("batch", str(source), "--errors", str(link), "--format", "jsonl")
    assert result.code == ExitCode.INVALID_INPUT
    assert link.is_symlink()
    assert "'sometimes' is not one of" in target.read_text()


def test_batch_reports_into_a_folder_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    source = tmp_path / "export.csv"
    source.write_text("client,alcohol_frequency\na,never\n")
    with mock.patch("tempfile.mkstemp", side_effect=PermissionError(13, "Permission denied")):
        result = run("batch", str(source), "--reports", str(reports), "--format", "jsonl")
    assert result.code == ExitCode.USAGE
    assert result.err.strip().splitlines()[-1] == (
        f"{reports / 'a.md'}: cannot write the report (Permission denied); choose a folder you can write to."
    )


def test_a_folder_given_as_the_rule_base_is_a_rules_error_not_a_usage_screen(tmp_path: Path) -> None:
    for args in (("rules", "validate", str(tmp_path)), ("score", "-", "--rules", str(tmp_path))):
        result = run(*args)
        assert result.code == ExitCode.INVALID_RULES
        assert result.err.strip() == f"{tmp_path}: is a folder; give the path of a rule base .yaml file (or leave it out for the bundled rules)"


def test_a_report_written_onto_a_folder_is_one_sentence(tmp_path: Path, saved_json: str) -> None:
    result = run("report", saved_json, "-o", str(tmp_path), "--format", "md")
    assert result.code == ExitCode.USAGE
    assert result.err.strip() == f"{tmp_path}: is a folder; give a file name for the report"


def test_a_saved_report_with_a_made_up_date_is_refused(tmp_path: Path, saved_json: str) -> None:
    document = json.loads(Path(saved_json).read_text())
    document["taken_at"] = "yesterday"
    damaged = write(tmp_path / "damaged.json", json.dumps(document))
    result = run("report", damaged, "--format", "md")
    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.strip() == f"{damaged}: taken_at 'yesterday' is not an ISO 8601 time; save it again with --format json"
