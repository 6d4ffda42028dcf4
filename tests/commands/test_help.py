"""Help that reads at 80 columns: every summary whole, every command with examples that use
options it really has."""

from __future__ import annotations

import re

import pytest
from helpers import run

from gutcheck.commands.helptext import EXAMPLES


def command_lines(help_text: str) -> list[str]:
    """The lines of the 'Commands:' section of a help page."""
    section = help_text.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return [line for line in section.splitlines() if line.strip()]


@pytest.mark.parametrize("group", [(), ("rules",)], ids=["gutcheck", "rules"])
def test_every_summary_fits_80_columns_whole(group: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*group, "--help")
    assert result.code == 0
    lines = command_lines(result.out)
    assert len(lines) >= (12 if not group else 4)
    for line in lines:
        assert "..." not in line and len(line) <= 80, line
        assert re.match(r"^  [a-z]+ +\S.*\.$", line) or line.strip().endswith("rule bases."), line


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_command_help_ends_with_examples_that_exist(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*name.split(), "--help")
    assert result.code == 0, result.err
    examples = result.out.split("Examples:", 1)[1].strip().splitlines()
    assert [line.strip() for line in examples] == list(EXAMPLES[name])  # kept as written, one a line
    for example in EXAMPLES[name]:
        words = example.split("|")[-1].split()
        assert words[0] == "gutcheck"
        for option in (w for w in words if w.startswith("-") and w != "-"):
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.out), f"{example}: {option}?"
