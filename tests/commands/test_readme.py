"""README examples run as written: the library example and the example answers file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import run

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    """The fenced code blocks of README in ``language``."""
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_library_example_runs() -> None:
    (code,) = [block for block in blocks("python") if "gutcheck.score(" in block]
    done = subprocess.run(
        [sys.executable, "-"], input=code, capture_output=True, text=True, timeout=60,
        cwd=ROOT, env={**os.environ}, check=False,
    )
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.split()[0] in {"low", "moderate", "high"}


def test_the_example_answers_file_scores(tmp_path: Path) -> None:
    (example,) = [block for block in blocks("yaml") if block.startswith("# answers.yaml")]
    answers = tmp_path / "answers.yaml"
    answers.write_text(example, encoding="utf-8")
    result = run("score", str(answers), "--format", "json")
    assert result.code == 0, result.err
    assert '"alcohol"' in result.out


def test_the_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in blocks("sh") if block.strip() and block in section]
    assert commands == [
        "python3 -m pip install . && gutcheck",
        "python3 -m pip install '.[test]' && python3 -m pytest",
    ]
