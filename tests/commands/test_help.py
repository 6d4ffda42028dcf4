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


# What each --format writes, as the file name of a `> FILE` example should say it.
SUFFIXES = {"csv": {".csv"}, "yaml": {".yaml", ".yml"}, "json": {".json"}, "jsonl": {".jsonl"},
            "md": {".md"}, "html": {".html"}, "text": {".txt"}, "fhir": {".json", ".ndjson"}}


def format_default(name: str) -> str | None:
    """The default of the --format option of command ``name`` (None when it has none)."""
    import typer

    from gutcheck.cli import app

    command = typer.main.get_command(app)
    for word in name.split():
        command = command.commands[word]  # type: ignore[attr-defined]  # a group
    for param in command.params:
        if "--format" in getattr(param, "opts", ()):
            default = param.default
            return str(getattr(default, "value", default))
    return None


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_an_example_that_writes_a_file_writes_the_format_its_name_says(name: str) -> None:
    for example in EXAMPLES[name]:
        found = re.search(r"(?<!>)> (\S+)$", example)
        words = example.split()
        explicit = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-f", "--format")), None)
        fmt = explicit or format_default(name)
        if found is None or fmt is None:
            continue
        suffix = "." + found.group(1).rsplit(".", 1)[-1]
        assert suffix in SUFFIXES[fmt], f"{example!r} writes {fmt} into a {suffix} file"


def test_the_template_examples_name_each_format_they_write() -> None:
    writes = {re.search(r"> \S+\.(\w+)$", e).group(1) for e in EXAMPLES["template"]}  # type: ignore[union-attr]
    assert writes == {"csv", "yaml", "json"}
