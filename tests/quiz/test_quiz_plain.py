"""The quiz from the command line: plain mode (numbered answers on lines), the options that
reach it without the 'quiz' word, and what happens without a terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode
from gutcheck.history.store import History, database_path
from gutcheck.quiz.steps import INPUT_ENDED, NO_TERMINAL

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")

# continue; blood No; weight loss No; Weekly; 4 drinks; binge Yes; Vegetables + Beans; A lot
TYPED = ["y", "2", "2", "2", "4", "1", "1, 2", "3"]
SAME_AS_A_FILE = (
    "blood: no\nweight_loss: no\ndrink_freq: weekly\ndrink_amount: 4\ndrink_binge: 'yes'\n"
    "food_fibre: [veg, beans]\nfood_stress: s3\n"
)


def plain(*typed: str, options: tuple[str, ...] = ("--plain",)) -> Result:
    """The quiz on the mini rules in plain mode with ``typed`` lines on stdin."""
    return run("--rules", MINI, *options, stdin="".join(line + "\n" for line in typed))


def test_plain_mode_scores_exactly_like_score(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(SAME_AS_A_FILE, encoding="utf-8")
    quiz = plain(*TYPED, options=("--plain", "--format", "json", "--no-save"))
    assert quiz.code == 0, quiz.err
    scored = run("score", str(answers), "--rules", MINI, "--format", "json")
    assert json.loads(quiz.out) == json.loads(scored.out)


def test_plain_mode_shows_numbered_options_on_stderr_and_results_on_stdout(
    gutcheck_home: Path,
) -> None:
    result = plain(*TYPED)
    assert result.code == 0, result.err
    assert "Question 3 of 5 · Drinking\nHow often do you drink?\n  1) Never\n  2) Weekly\n" in result.err
    assert "  4) Prefer not to say\n" in result.err
    assert "Type a number from 1 to 4; b goes back." in result.err
    assert "Type a whole number from 0 to 40 drinks; b goes back." in result.err
    assert "Type the numbers of all that apply, separated by commas (pick 1 to 3)" in result.err
    assert "\x1b" not in result.err  # no cursor movement, no colour
    assert "Overall risk-factor load:" in result.out and "Question" not in result.out
    assert f"Saved to {database_path(gutcheck_home)} as assessment #1" in result.out
    with History.open() as store:
        assert store.get("last").answers[-1].value == "s3"


def test_plain_mode_refuses_bad_answers_and_asks_again() -> None:
    result = plain("y", "7", "no", "2", "2", "forty", "41", "4,0", "1", "1 2 3 4", "5 1", "5", "3")
    assert result.code == 0, result.err
    assert "Note: 7 is not a number from 1 to 2. Please try again." in result.err
    assert "Note: 'forty' is not a number. Please try again." in result.err
    assert "Note: Pick at most 3. Please try again." in result.err
    assert "Note: 'None of these' cannot be combined with other choices. Please try again." in (
        result.err)
    assert result.err.count("Question 4 of 6 · Drinking") == 3  # asked until a number fitted


def test_plain_mode_goes_back_and_keeps_answers_on_enter() -> None:
    # b on the first question has nowhere to go; later b steps back, Enter keeps the answer
    typed = ["y", "b", "1", "2", "2", "2", "b", "b", "", "", "", "1", "1", "1"]
    result = plain(*typed, options=("--plain", "--format", "json", "--no-save"))
    assert result.code == 0, result.err
    assert "Note: This is the first question; there is nothing before it." in result.err
    assert "  2) Weekly  (current answer)" in result.err
    assert "Enter keeps the current answer" in result.err
    assert "Note: Nothing was typed. Please try again." in result.err  # binge had no answer yet
    answers = {a["question"]: a["value"] for a in json.loads(result.out)["answers"]}
    assert (answers["drink_freq"], answers["drink_amount"], answers["drink_binge"]) == (
        "weekly", 2.0, True)


def test_term_dumb_means_plain_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    result = plain(*TYPED, options=("--no-save",))
    assert result.code == 0, result.err
    assert "  1) Never\n" in result.err


def test_quiz_command_takes_the_same_options() -> None:
    stdin = "".join(line + "\n" for line in TYPED)
    result = run("quiz", "--rules", MINI, "--plain", "--no-save", "-f", "md", stdin=stdin)
    assert result.code == 0, result.err
    assert result.out.startswith("#")


def test_end_of_input_in_plain_mode_is_one_sentence_and_keeps_answers(
    gutcheck_home: Path,
) -> None:
    result = plain("y", "1")
    assert result.code == ExitCode.USAGE
    last = result.err.splitlines()[-1]
    assert last.startswith("Stopped; your 1 answer so far is kept: run 'gutcheck --rules ")
    assert last.endswith(f"to pick up where you left off. {INPUT_ENDED}")
    with History.open() as store:
        kept = store.load_draft("default:mini")
    assert kept is not None and kept.answers == {"blood": True}
    resumed = plain("y", "1", "2", "3", "1", "1", "1", "1", options=("--plain", "--format", "json"))
    assert resumed.code == 0, resumed.err
    assert json.loads(resumed.out)["red_flags"][0]["id"] == "blood"


def test_without_a_terminal_the_quiz_points_to_score_and_batch() -> None:
    result = run("--rules", MINI, stdin="", tty=False)
    assert (result.code, result.err.strip()) == (ExitCode.USAGE, NO_TERMINAL)
    assert result.out == ""


def test_gutcheck_with_stdin_from_dev_null_exits_at_once_with_one_sentence(
    gutcheck_home: Path,
) -> None:
    script = Path(sys.executable).parent / "gutcheck"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gutcheck"]
    started = time.monotonic()
    with open(os.devnull, encoding="utf-8") as devnull:
        done = subprocess.run(command, stdin=devnull, capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == ExitCode.USAGE
    assert done.stderr.strip() == NO_TERMINAL and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert time.monotonic() - started < 30  # no waiting for input that never comes
    assert list(gutcheck_home.iterdir()) == []


def test_quiz_options_before_another_command_are_refused(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(SAME_AS_A_FILE, encoding="utf-8")
    result = run("--rules", MINI, "--plain", "score", str(answers))
    assert result.code == ExitCode.USAGE
    assert result.err.strip() == (
        "--rules, --plain before 'score' only apply to the quiz; put options after the command "
        "name, e.g. 'gutcheck score --help'"
    )


def test_a_bad_answers_file_is_reported_before_any_question(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("drink_freq: hourly\n", encoding="utf-8")
    result = plain(options=("--plain", "--answers", str(answers)))
    assert result.code == ExitCode.INVALID_INPUT
    assert re.search(r"answers\.yaml:1:\d+: drink_freq: 'hourly' is not one of", result.err)
    assert "Question" not in result.err


def test_an_empty_line_does_not_answer_a_safety_question() -> None:
    result = plain("y", "", "2", "2", "2", "4", "1", "1, 2", "3", options=("--plain", "--no-save"))
    assert result.code == 0, result.err
    assert "A safety question needs an answer: type 1 for Yes or 2 for No. Please try again." in result.err
    assert result.err.count("Have you seen blood in your stool?") == 2
    assert "SEE A CLINICIAN" not in result.out
