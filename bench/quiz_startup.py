"""Time from start to the quiz's first prompt, against importing the libraries the quiz needs.

Runs, alternately and under the same pseudo-terminal setup (pexpect), ``gutcheck`` until its
welcome prompt ("Continue?") is on screen, and ``python -c "import typer, questionary, yaml,
pydantic"`` until it exits. Prints both medians and their ratio. Target: ratio <= 1.3.

Usage: python bench/quiz_startup.py [--runs N] [--rules PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect  # type: ignore[import-untyped]

BASELINE = "import typer, questionary, yaml, pydantic"
SCRIPT = Path(sys.executable).parent / "gutcheck"


def terminal_env(home: str, bytecode: bool) -> dict[str, str]:
    """A fixed terminal and a private data folder; compiled modules cached under ``home``
    (as an installed package has them), unless ``bytecode`` is False."""
    env = {**os.environ, "GUTCHECK_HOME": home, "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1",
           "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
    return env


def time_to_prompt(args: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning gutcheck to its welcome prompt; the quiz is then stopped."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "gutcheck"]
    start = time.perf_counter()
    child = pexpect.spawn(command[0], [*command[1:], *args], env=env, encoding="utf-8",
                          dimensions=(40, 120), timeout=60)
    child.expect_exact("Continue?")
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def time_baseline(env: dict[str, str]) -> float:
    """Seconds for the interpreter to import the quiz's libraries and exit."""
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-c", BASELINE], env=env, encoding="utf-8",
                          timeout=60)
    child.expect(pexpect.EOF)
    elapsed = time.perf_counter() - start
    child.close()
    return elapsed


def main() -> None:
    """Measure side by side and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rules", help="rule base to start the quiz on (default: bundled)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module on every run (as PYTHONDONTWRITEBYTECODE does)")
    options = parser.parse_args()
    args = ["--rules", options.rules] if options.rules else []
    with tempfile.TemporaryDirectory() as home:
        env = terminal_env(home, bytecode=not options.no_bytecode)
        time_to_prompt(args, env)  # warm-up: compiled-rules cache, history database
        time_baseline(env)
        ours, theirs = [], []
        for _ in range(options.runs):
            ours.append(time_to_prompt(args, env))
            theirs.append(time_baseline(env))
    quiz, base = statistics.median(ours), statistics.median(theirs)
    cached = "no bytecode cache" if options.no_bytecode else "bytecode cached, as installed"
    print(f"start to welcome prompt          {quiz * 1000:7.1f} ms  (median of {options.runs}, "
          f"{cached})")
    print(f"import typer, questionary, yaml, pydantic  {base * 1000:7.1f} ms")
    print(f"ratio {quiz / base:.2f}  (target <= 1.3: {'met' if quiz / base <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
