"""``gutcheck completion SHELL``: print the shell completion script for bash, zsh or fish.

The script calls ``gutcheck`` back with ``_GUTCHECK_COMPLETE`` set; :func:`gutcheck.cli.main`
sees it and answers with the completions (command names, options, their values) instead of
running anything. Nothing is imported for completion until a shell asks.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from gutcheck.commands.helptext import command_help

COMPLETE_VAR = "_GUTCHECK_COMPLETE"


class Shell(str, Enum):
    """The shells gutcheck completes in."""

    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


def register(app: typer.Typer) -> None:
    """Add the ``completion`` command to ``app``."""
    app.command("completion", **command_help("completion"))(completion)


def completion(
    shell: Annotated[Shell, typer.Argument(help="Which shell: bash, zsh or fish.", case_sensitive=False)],
) -> None:
    """Print the shell completion script for bash, zsh or fish: command names, options and
    their values complete on Tab. Add it to your shell's start-up (see the examples)."""
    from typer._completion_shared import get_completion_script

    from gutcheck.commands.output import emit_text

    emit_text(get_completion_script(prog_name="gutcheck", complete_var=COMPLETE_VAR, shell=shell.value) + "\n")
