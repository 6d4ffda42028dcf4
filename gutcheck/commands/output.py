"""Where output goes, in one place: the two consoles, and the one way to emit a report.

Results and machine output go to ``out`` (stdout); prompts, notices and progress to ``err``
(stderr). The quiz, ``score`` and ``report`` all show an assessment through :func:`emit_report`,
so a report reads the same whichever command made it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from gutcheck.engine.assessment import Assessment
    from gutcheck.render import ReportFormat, ReportStyle


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


def emit_report(
    assessment: Assessment,
    fmt: ReportFormat,
    consoles: Consoles | None = None,
    *,
    saved_to: str | None = None,
    not_saved: str | None = None,
    closing: Sequence[str] = (),
    style: ReportStyle | None = None,
) -> None:
    """Show ``assessment`` on stdout in ``fmt`` (and ``style``, for md and html); where it was
    saved (or why not) goes with it.

    The results screen says it itself, ends with the ``closing`` lines (the exact commands for
    the full report and the history), and goes through a pager when taller than the terminal;
    any other format keeps stdout pure and says where it was saved on stderr.
    """
    from gutcheck.render import ReportFormat, render

    consoles = consoles or make_consoles()
    if fmt is ReportFormat.TEXT:
        from gutcheck.render.terminal import results_view

        view = results_view(assessment, saved_to=saved_to, not_saved=not_saved, closing=closing)
        print_paged(view, consoles)
        return
    consoles.out.file.write(render(assessment, fmt) if style is None else render(assessment, fmt, style=style))
    consoles.out.file.flush()
    if saved_to:
        notice(f"Saved to {saved_to}.", consoles)
    elif not_saved:
        notice(not_saved[0].upper() + not_saved[1:].rstrip(".") + ".", consoles)


def print_paged(renderable: object, consoles: Consoles) -> None:
    """Print ``renderable`` on stdout, through the pager when it is taller than the terminal."""
    from gutcheck.commands import pager

    out = consoles.out
    if not pager.wanted():
        out.print(renderable, crop=False)  # a long command line stays whole, to copy
        return
    with out.capture() as captured:
        out.print(renderable, crop=False)  # a long command line stays whole, to copy
    text = captured.get()
    if not (text.count("\n") >= out.size.height and pager.page(text)):
        out.file.write(text)
        out.file.flush()


def exact_stdout() -> None:
    """Make stdout write UTF-8 and its line ends exactly as given (for an Excel CSV: its byte-order
    mark and CRLF must reach the file as they are, whatever the console's encoding, and Windows
    must not turn CRLF into CR CR LF)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", newline="")


def emit_text(text: str) -> None:
    """Machine output (JSON, CSV, a schema) on stdout, exactly as given."""
    sys.stdout.write(text)
    sys.stdout.flush()


def show(renderable: object, consoles: Consoles | None = None) -> None:
    """A rich view (a table, a screen) on stdout."""
    (consoles or make_consoles()).out.print(renderable)


def notice(message: str, consoles: Consoles | None = None) -> None:
    """One line for the person on stderr (never mixed into machine output)."""
    (consoles or make_consoles()).err.print(message, markup=False, highlight=False, soft_wrap=True)
