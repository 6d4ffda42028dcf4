"""The interactive quiz (``gutcheck`` with no command, or ``gutcheck quiz``)."""

from __future__ import annotations

import typer

from gutcheck.commands.common import RulesOption


def register(app: typer.Typer) -> None:
    """Add the ``quiz`` command to ``app``."""
    app.command("quiz")(quiz)


def quiz(rules: RulesOption = None) -> None:
    """Take the gut-barrier self-check in the terminal."""
    from gutcheck.errors import UsageError

    raise UsageError("the interactive quiz is being built; use 'gutcheck score ANSWERS' meanwhile")
