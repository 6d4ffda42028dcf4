"""End to end in a real terminal: the installed ``gutcheck`` script run under a pseudo-terminal
(pexpect), answered key by key as a person would, checked by what the screen shows, the exit
code and what was stored. Every wait has a timeout, so a stuck prompt fails instead of hanging.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gutcheck.engine.scoring import score
from gutcheck.errors import ExitCode
from gutcheck.files.paths import bundled_rules_path
from gutcheck.history.store import History
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import Question

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")
SCRIPT = Path(sys.executable).parent / "gutcheck"
ROWS, COLUMNS = 50, 250  # wide enough that no question wraps
WAIT = 20  # seconds for any one screen to appear
DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"
# "? <question> (<instruction>": the question text, then how the prompt is answered
PROMPT = re.compile(r"\?(?:\x1b\[[0-9;]*m)* (?P<ask>[^\x1b\r\n]+?) (?:\x1b\[[0-9;]*m)*"
                    r" ?\((?P<how>↑/↓|Space|Type)")

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the gutcheck script is not installed")


@pytest.fixture
def terminal_env(gutcheck_home: Path) -> dict[str, str]:
    """A fixed, colourless terminal with its own data folder."""
    return {
        **os.environ,
        "GUTCHECK_HOME": str(gutcheck_home),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": str(COLUMNS),
        "LINES": str(ROWS),
    }


@pytest.fixture
def spawn(terminal_env: dict[str, str]) -> Iterator[Any]:
    """Start ``gutcheck ARGS`` in a pseudo-terminal; every child is closed after the test."""
    children: list[Any] = []

    def start(*args: str) -> Any:
        child = pexpect.spawn(str(SCRIPT), list(args), env=terminal_env, encoding="utf-8",
                              dimensions=(ROWS, COLUMNS), timeout=WAIT)
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def finish(child: Any) -> int:
    """Wait for the program to end; its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return int(child.exitstatus)


def colours_in(transcript: str) -> set[str]:
    """The colour codes (SGR 30-49, 90-107) a terminal transcript sets, if any."""
    found: set[str] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", transcript):
        found.update(p for p in params.split(";") if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107))
    return found


def keys_for(question: Question) -> tuple[str, Any]:
    """The keys that give a valid answer, and the answer they give: the first option(s),
    Yes, or the smallest number allowed."""
    if question.kind == "number":
        return f"{question.minimum:g}" + ENTER, question.minimum
    if question.kind == "multi":
        picks = max(question.min_picks, 1)
        return (SPACE + DOWN) * picks + ENTER, [o.value for o in question.options[:picks]]
    if question.kind == "yesno":
        # A safety question (a red flag) starts on a neutral entry: Yes is one step down.
        return (DOWN + ENTER if question.factor is None else ENTER), "yes"
    return ENTER, question.options[0].value


def test_a_whole_quiz_on_the_bundled_rules_in_a_real_terminal(spawn: Any) -> None:
    rules = load_rules(bundled_rules_path())
    by_ask = {question.ask: question for question in rules.questions}
    child = spawn()
    child.expect_exact(rules.disclaimer.split("\n")[0][:60])
    child.expect_exact("Continue?")
    child.send("y")
    given: dict[str, Any] = {}
    while child.expect([r"Question (\d+) of (\d+) · ", "Overall risk-factor load"]) == 0:
        number, total = int(child.match.group(1)), int(child.match.group(2))
        assert number == len(given) + 1 and number <= total
        child.expect(PROMPT)
        question = by_ask[child.match.group("ask")]
        keys, given[question.id] = keys_for(question)
        child.send(keys)
    child.expect_exact("What moved each score")
    child.expect("Saved to (\\S+) as assessment #1 in profile 'default'")
    assert finish(child) == ExitCode.OK
    assert given, "no question was asked"
    expected = score(rules, given, taken_at=os.environ["GUTCHECK_NOW"])
    with History.open() as store:
        assert store.get("last").to_dict() == expected.to_dict()
        assert store.load_draft(f"default:{rules.id}") is None


def test_ctrl_c_in_a_real_terminal_keeps_answers_and_the_next_run_resumes(spawn: Any) -> None:
    child = spawn("--rules", MINI)
    child.expect_exact("Continue?")
    child.send("y")
    child.expect_exact("Have you seen blood in your stool?")
    child.send(DOWN + ENTER)  # Yes (a safety question starts on a neutral entry)
    child.expect_exact("Have you lost weight without trying?")
    child.send(DOWN + DOWN + ENTER)  # No
    child.expect_exact("How often do you drink?")
    child.send(DOWN + ENTER)  # Weekly
    child.expect_exact("How many drinks on a typical day?")
    child.send("4")
    child.send(CTRL_C)
    child.expect_exact(
        f"Stopped; your 3 answers so far are kept: run 'gutcheck --rules {MINI}' "
        "to pick up where you left off.")
    assert finish(child) == ExitCode.INTERRUPTED

    child = spawn("--rules", MINI)
    screen = io.StringIO()
    child.logfile_read = screen
    child.expect_exact("Continue?")
    child.send("y")
    child.expect("You have an unfinished check from .* \\(3 answers\\)")
    child.expect_exact("Resume where I left off")
    child.send(ENTER)
    child.expect_exact("Question 4 of 6 · Drinking")  # straight back to the drinks question
    child.expect_exact("How many drinks on a typical day?")
    child.send("4" + ENTER)
    child.expect_exact("Do you sometimes have six or more?")
    child.send(ENTER)  # Yes
    child.expect_exact("Which of these do you eat most days?")
    child.send(SPACE + ENTER)  # Vegetables
    child.expect_exact("How stressed do you feel about food?")
    child.send(ENTER)  # Not at all
    child.expect_exact("SEE A CLINICIAN")  # the Yes given before Ctrl-C still counts
    child.expect_exact("Have you seen blood in your stool?")
    child.expect_exact("Overall risk-factor load")
    assert finish(child) == ExitCode.OK
    assert colours_in(screen.getvalue()) == set()  # NO_COLOR: bold and cursor moves, no colour
    with History.open() as store:
        answers = {a.question: a.value for a in store.get("last").answers}
    assert answers == {"blood": True, "weight_loss": False, "drink_freq": "weekly",
                       "drink_amount": 4.0, "drink_binge": True, "food_fibre": ["veg"],
                       "food_stress": "s1"}


def test_plain_mode_in_a_real_terminal(spawn: Any) -> None:
    child = spawn("--rules", MINI, "--plain", "--no-save")
    child.expect_exact("Continue? [Y/n]")
    child.sendline("")  # Enter takes the default: yes
    for reply in ("2", "2", "1", "1", "3"):  # No, No, Never, Vegetables, A lot
        child.expect_exact("\n> ")
        child.sendline(reply)
    child.expect_exact("Overall risk-factor load")
    child.expect_exact("Not saved (--no-save)")
    assert finish(child) == ExitCode.OK
