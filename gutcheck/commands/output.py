"""The two consoles (results to stdout, chatter to stderr), made in one place and passed down."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Consoles:
    """Where output goes: ``out`` for results and machine output, ``err`` for everything else."""

    out: Console
    err: Console


def make_consoles(*, plain: bool = False) -> Consoles:
    """Consoles that honour NO_COLOR, TERM=dumb and non-terminal streams."""
    from rich.console import Console

    no_color = plain or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"
    return Consoles(
        out=Console(file=sys.stdout, no_color=no_color, highlight=False, soft_wrap=False),
        err=Console(file=sys.stderr, no_color=no_color, highlight=False, stderr=True),
    )
