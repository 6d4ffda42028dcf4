"""Long results go through a pager on a terminal, the way git and gh do it, and never into a pipe.

The installed ``gutcheck`` script runs under a pseudo-terminal (pexpect) with a recording pager
(a small script that keeps what it was given), and once at 80x24 in tmux with the real default
(``less -FRX``), where what counts is what the first screen shows.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from gutcheck.commands import pager
from tests.helpers import run
from tests.report_samples import FLAGGED_ANSWERS

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")
SCRIPT = Path(sys.executable).parent / "gutcheck"
RECORDER = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.stdin.read())"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the gutcheck script is not installed")


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """A flagged person's answers for the mini rules."""
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(FLAGGED_ANSWERS), encoding="utf-8")
    return path


@pytest.fixture
def env(gutcheck_home: Path) -> dict[str, str]:
    """A colourless 80x24 terminal; no PAGER from the person running the tests."""
    base = {k: v for k, v in os.environ.items() if k not in {"PAGER", "GUTCHECK_PAGER", "LESS"}}
    return {**base, "GUTCHECK_HOME": str(gutcheck_home), "TERM": "xterm-256color", "NO_COLOR": "1",
            "COLUMNS": "80", "LINES": "24"}


def recording_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager command that writes what it is given to a file, and that file."""
    kept = tmp_path / "paged.txt"
    command = shlex.join([sys.executable, "-c", RECORDER, str(kept)])
    return command, kept


def in_terminal(env: dict[str, str], *args: str, rows: int = 24) -> tuple[int, str]:
    """Run ``gutcheck ARGS`` in an 80-column pseudo-terminal: exit status and transcript."""
    child = pexpect.spawn(str(SCRIPT), list(args), env=env, encoding="utf-8", dimensions=(rows, 80),
                          timeout=20)
    transcript = child.read()
    child.close()
    assert child.exitstatus is not None
    return int(child.exitstatus), transcript


def test_long_results_on_a_terminal_go_through_gutcheck_pager(env: dict[str, str], answers: Path,
                                                                tmp_path: Path) -> None:
    command, kept = recording_pager(tmp_path)
    env |= {"GUTCHECK_PAGER": command, "PAGER": "false-pager-that-must-not-run"}
    status, transcript = in_terminal(env, "score", str(answers), "--rules", MINI)
    assert status == 0
    paged = kept.read_text(encoding="utf-8")
    assert paged.index("SEE A CLINICIAN") < paged.index("Overall risk-factor load") < paged.index("Reminder")
    assert "Overall risk-factor load" not in transcript  # it went to the pager, not around it


def test_pager_falls_back_to_pager_then_to_plain_printing(env: dict[str, str], answers: Path,
                                                           tmp_path: Path) -> None:
    command, kept = recording_pager(tmp_path)
    status, _ = in_terminal(env | {"PAGER": command}, "score", str(answers), "--rules", MINI)
    assert status == 0 and "Overall risk-factor load" in kept.read_text(encoding="utf-8")
    missing = str(tmp_path / "no-such-pager")
    status, transcript = in_terminal(env | {"GUTCHECK_PAGER": missing}, "score", str(answers), "--rules", MINI)
    assert status == 0
    assert "Overall risk-factor load" in transcript and "Reminder" in transcript


@pytest.mark.parametrize("where", [["score", "--no-pager"], ["--no-pager", "score"]])
def test_no_pager_prints_straight_to_the_terminal(env: dict[str, str], answers: Path, tmp_path: Path,
                                                  where: list[str]) -> None:
    command, kept = recording_pager(tmp_path)
    args = [*where, str(answers), "--rules", MINI]
    status, transcript = in_terminal(env | {"GUTCHECK_PAGER": command}, *args)
    assert status == 0 and "Overall risk-factor load" in transcript
    assert not kept.exists()


def test_results_that_fit_the_window_are_not_paged(env: dict[str, str], answers: Path, tmp_path: Path) -> None:
    command, kept = recording_pager(tmp_path)
    status, transcript = in_terminal(env | {"GUTCHECK_PAGER": command, "LINES": "200"}, "score",
                                     str(answers), "--rules", MINI, rows=200)
    assert status == 0 and "Reminder" in transcript
    assert not kept.exists()


def test_never_a_pager_when_stdout_is_a_pipe(env: dict[str, str], answers: Path, tmp_path: Path) -> None:
    command, kept = recording_pager(tmp_path)
    done = subprocess.run([str(SCRIPT), "score", str(answers), "--rules", MINI],
                          env=env | {"GUTCHECK_PAGER": command}, capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0 and "Overall risk-factor load" in done.stdout
    assert not kept.exists()


def test_pager_choice_follows_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUTCHECK_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    assert pager.pager_argv() == ["less", "-FRX"]
    monkeypatch.setenv("PAGER", "most -s")
    assert pager.pager_argv() == ["most", "-s"]
    monkeypatch.setenv("GUTCHECK_PAGER", "less -R")
    assert pager.pager_argv() == ["less", "-R"]
    for off in ("", "cat", "  "):
        monkeypatch.setenv("GUTCHECK_PAGER", off)
        assert pager.pager_argv() is None


def test_closing_lines_name_the_exact_commands(answers: Path) -> None:
    result = run("score", str(answers), "--rules", MINI, "--profile", "sam")
    assert result.code == 0
    assert "gutcheck report last -p sam -o report.html" in result.out
    assert "gutcheck history -p sam" in result.out
    assert "--format md or html" not in result.out
    unsaved = run("score", str(answers), "--rules", MINI)
    assert f"gutcheck score {answers} -f html > report.html" in unsaved.out
    assert "gutcheck history" not in unsaved.out
    again = run("report", "last", "-p", "sam")
    assert "gutcheck report last -p sam -o report.html" in again.out


@pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("less") is None, reason="needs tmux and less")
def test_first_screen_at_80x24_holds_the_notice_first_steps_level_and_bars(env: dict[str, str], answers: Path,
                                                                        tmp_path: Path) -> None:
    session = f"gutcheck-pager-{os.getpid()}"
    socket = ["-L", session]
    command = shlex.join([str(SCRIPT), "score", str(answers), "--rules", MINI])
    subprocess.run(["tmux", *socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "80",
                    "-y", "24", "env", "-u", "COLUMNS", "-u", "LINES",  # the window's own size
                    *(f"{k}={v}" for k, v in env.items() if k not in {"COLUMNS", "LINES"}),
                    "sh", "-c", command + "; echo EXIT=$?; sleep 30"], check=True, timeout=10)
    try:
        shown = _wait_for(lambda: _tmux_screen(socket, session), "Score per factor")
        assert "SEE A CLINICIAN" in shown and "Overall risk-factor load (habits only): HIGH" in shown
        assert "Your first steps" in shown and "1. Within days: see a doctor" in shown and "2. Drink less." in shown
        assert "Drinking" in shown and "Food" in shown and "█" in shown
        assert "EXIT=" not in shown  # less is holding the rest
        subprocess.run(["tmux", *socket, "send-keys", "-t", session, "q"], check=True, timeout=10)
        assert "EXIT=0" in _wait_for(lambda: _tmux_screen(socket, session), "EXIT=")
    finally:
        subprocess.run(["tmux", *socket, "kill-server"], check=False, timeout=10)


def _tmux_screen(socket: list[str], session: str) -> str:
    return subprocess.run(["tmux", *socket, "capture-pane", "-p", "-t", session], capture_output=True,
                          text=True, check=True, timeout=10).stdout


def _wait_for(read: Any, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    shown = read()
    while text not in shown and time.monotonic() < deadline:
        time.sleep(0.1)
        shown = read()
    assert text in shown, shown
    return shown
