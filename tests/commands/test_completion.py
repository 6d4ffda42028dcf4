"""Shell completion: the scripts print, and bash's completion function, run as bash runs it,
completes command names and --format values."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

SCRIPT = Path(sys.executable).parent / "gutcheck"


def complete_bash(monkeypatch: pytest.MonkeyPatch, line: str) -> list[str]:
    """What gutcheck answers bash for the command line ``line`` (the cursor at its end)."""
    words = line.split(" ")
    monkeypatch.setenv("_GUTCHECK_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    result = run()
    assert result.code == 0, result.err
    return result.out.split()


def test_bash_completes_command_names_and_format_values(monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete_bash(monkeypatch, "gutcheck sc") == ["score", "schema"]
    assert {"history", "compare", "completion", "rules"} <= set(complete_bash(monkeypatch, "gutcheck "))
    assert complete_bash(monkeypatch, "gutcheck score a.yaml --format ") == ["text", "json", "md", "html", "fhir"]
    assert complete_bash(monkeypatch, "gutcheck batch x.csv -f j") == ["json", "jsonl"]
    assert complete_bash(monkeypatch, "gutcheck rules s") == ["show", "scorer", "schema"]
    assert "--no-pager" in complete_bash(monkeypatch, "gutcheck report last --no")


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F _gutcheck_completion gutcheck"),
                                               ("zsh", "compdef _gutcheck_completion gutcheck"),
                                               ("fish", "complete --command gutcheck")])
def test_completion_prints_the_script_for_each_shell(shell: str, marker: str) -> None:
    result = run("completion", shell)
    assert result.code == 0 and marker in result.out and "_GUTCHECK_COMPLETE=complete_" + shell in result.out
    assert run("completion", "tcsh").code == 2


@pytest.mark.skipif(shutil.which("bash") is None or not SCRIPT.exists(), reason="needs bash and the script")
def test_the_bash_function_completes_in_bash(tmp_path: Path) -> None:
    script = tmp_path / "gutcheck.bash"
    script.write_text(run("completion", "bash").out, encoding="utf-8")
    probe = (f"source {script}\n"
             "COMP_WORDS=(gutcheck hi); COMP_CWORD=1; _gutcheck_completion gutcheck; echo \"${COMPREPLY[*]}\"\n"
             "COMP_WORDS=(gutcheck report last --format ''); COMP_CWORD=4; _gutcheck_completion gutcheck;"
             " echo \"${COMPREPLY[*]}\"\n")
    env = {**os.environ, "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["history", "text json md html fhir"]
