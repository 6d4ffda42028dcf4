"""The quiz in a real terminal (tmux) that narrows mid-question: the question is drawn once,
wrapped again at spaces to the new width, with nothing left over from before."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "gutcheck"
LONG_ASK = ("Have you seen blood in your stool, or had black stools, or stools that look like tar, "
            "at any time in the last few weeks, even once?")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None or not SCRIPT.exists(),
                                reason="needs tmux and the installed script")


def tmux(socket: str, *args: str) -> str:
    """Run a tmux command on our own server; its output."""
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=10, check=True)
    return done.stdout


def wait_for(socket: str, text: str, seconds: float = 20) -> str:
    """The screen once ``text`` is on it."""
    deadline = time.monotonic() + seconds
    while True:
        screen = tmux(socket, "capture-pane", "-p", "-t", "quiz")
        if text in screen or time.monotonic() > deadline:
            assert text in screen, screen
            return screen
        time.sleep(0.1)


def test_narrowing_the_terminal_redraws_the_question_once_wrapped_at_spaces(tmp_path: Path,
                                                                            gutcheck_home: Path) -> None:
    rules = tmp_path / "long.yaml"
    mini = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    rules.write_text(mini.replace("ask: Have you seen blood in your stool?", f'ask: "{LONG_ASK}"'), encoding="utf-8")
    socket = f"gutcheck-resize-{os.getpid()}"
    env = [f"GUTCHECK_HOME={gutcheck_home}", "NO_COLOR=1", "TERM=xterm-256color"]
    command = shlex.join([str(SCRIPT), "--rules", str(rules), "--no-save"])
    tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "quiz", "-x", "80", "-y", "24",
         "env", *env, "sh", "-c", command + "; sleep 30")
    try:
        wait_for(socket, "Continue?")
        tmux(socket, "send-keys", "-t", "quiz", "y")
        wait_for(socket, "(↑/↓ or y/n to ")
        tmux(socket, "resize-window", "-t", "quiz", "-x", "50", "-y", "24")
        time.sleep(1.5)
        screen = wait_for(socket, "   No")
        assert screen.count("? Have you seen blood") == 1, screen  # drawn once, not twice
        start = screen.index("? Have you seen blood")
        prompt = screen[start:screen.index("(↑/↓")].splitlines()
        assert len(prompt) >= 3 and all(len(line.rstrip()) <= 50 for line in prompt), prompt
        assert " ".join(" ".join(prompt).lstrip("? ").split()) == LONG_ASK  # every word whole
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False, timeout=10)
