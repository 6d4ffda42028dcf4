"""The command line as a whole: help, README coverage, exit codes, lean start-up, code shape."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from helpers import run

from gutcheck import __version__
from gutcheck.cli import app
from gutcheck.errors import EXIT_CODE_MEANINGS, ExitCode

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
def command_paths() -> Iterator[tuple[str, ...]]:
    """Every command of the app as its words, e.g. ('rules', 'validate')."""
    root = typer.main.get_command(app)

    def walk(command: object, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        subcommands = getattr(command, "commands", {})
        for name, sub in subcommands.items():
            yield (*prefix, name)
            yield from walk(sub, (*prefix, name))

    yield from walk(root, ())


ALL_COMMANDS = sorted(command_paths())


def test_there_are_commands_to_check() -> None:
    assert ("rules", "validate") in ALL_COMMANDS
    assert ("score",) in ALL_COMMANDS


@pytest.mark.parametrize("words", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.code == 0, result.err
    assert "Usage:" in result.out
    summary = [line for line in result.out.splitlines()[1:] if line.strip()]
    assert summary and not summary[0].strip().startswith(("Options", "Arguments")), result.out
    assert f"gutcheck {' '.join(words)}" in README, f"README does not show 'gutcheck {' '.join(words)}'"


def test_exit_codes_are_documented_in_help_and_readme() -> None:
    help_text = " ".join(run("--help").out.split())
    for code in ExitCode:
        assert f"{int(code)} {EXIT_CODE_MEANINGS[code]}" in help_text
        assert f"| {int(code)} |" in README


def test_version() -> None:
    result = run("--version")
    assert (result.code, result.out.strip()) == (0, f"gutcheck {__version__}")


def test_unknown_option_is_a_usage_error() -> None:
    result = run("score", "--bogus")
    assert result.code == ExitCode.USAGE
    assert "No such option" in result.err


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\nfrom gutcheck.cli import main\n"
        f"sys.argv = ['gutcheck', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "GUTCHECK_HOME": os.environ["GUTCHECK_HOME"]}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=False)
    return set(done.stderr.splitlines())


@pytest.mark.parametrize("args", [("--version",), ("rules", "validate", str(ROOT / "tests/data/mini.yaml")), ("--help",)])
def test_start_up_does_not_import_the_prompt_stack(args: tuple[str, ...]) -> None:
    modules = _modules_after(*args)
    assert "gutcheck.cli" in modules  # the probe really ran the CLI
    for heavy in ("questionary", "prompt_toolkit", "jinja2", "sqlite3", "gutcheck.interop"):
        assert heavy not in modules, f"{heavy} imported by gutcheck {' '.join(args)}"


def test_the_quiz_reaches_its_first_question_without_the_fhir_code(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    listing = tmp_path / "modules.txt"
    code = (
        "import sys\nfrom gutcheck.cli import main\n"
        f"sys.argv = ['gutcheck', '--rules', {str(ROOT / 'tests/data/mini.yaml')!r}, '--no-save']\n"
        "try:\n    main()\nexcept BaseException:\n    pass\n"
        f"open({str(listing)!r}, 'w').write('\\n'.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1"}
    child = pexpect.spawn(sys.executable, ["-c", code], env=env, encoding="utf-8", dimensions=(50, 200), timeout=20)
    try:
        child.expect_exact("Continue?")
        child.send("y")
        child.expect(r"Question 1 of \d+")
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    modules = set(listing.read_text().splitlines())
    assert "questionary" in modules  # the probe really reached a question
    assert not {m for m in modules if m.startswith("gutcheck.interop")}


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "gutcheck", "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip() == f"gutcheck {__version__}"


def test_the_library_core_knows_nothing_of_the_terminal() -> None:
    code = (
        "import sys\nimport gutcheck\n"
        f"rules = gutcheck.load_rules({str(ROOT / 'tests/data/mini.yaml')!r})\n"
        "gutcheck.score(rules, {'drink_freq': 'daily'}, taken_at='2026-01-31T09:00:00+00:00')\n"
        "print(' '.join(m for m in ('typer', 'rich', 'questionary', 'prompt_toolkit', 'jinja2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert (done.stdout.strip(), done.stderr) == ("", "")
