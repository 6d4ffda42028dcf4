"""Paging long results the way git and gh do.

On a terminal, a results screen longer than the window goes through ``$GUTCHECK_PAGER``, then
``$PAGER``, else ``less -FRX`` (quit at once if it fits, keep colours, leave the text on screen).
An empty value or ``cat`` turns paging off, as with git. ``--no-pager`` (on the quiz, ``score``,
``report``, or before any command) turns it off too; it is never used when stdout is not a
terminal. A pager that cannot start is not an error: the text is printed as it is.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

DEFAULT_PAGER = "less -FRX"
PAGER_ENVS = ("GUTCHECK_PAGER", "PAGER")


_disabled = False


def disable(off: bool = True) -> None:
    """Turn paging off (or, with ``off=False``, back on) for the rest of this run."""
    global _disabled  # noqa: PLW0603 - one switch per run, set by --no-pager, read when printing
    _disabled = off


def enabled() -> bool:
    """Whether paging was left on for this run."""
    return not _disabled


def pager_argv() -> list[str] | None:
    """The pager to run as an argument list, or None when the environment turns paging off."""
    for name in PAGER_ENVS:
        value = os.environ.get(name)
        if value is not None:
            return _split(value)
    return _split(DEFAULT_PAGER)


def _split(command: str) -> list[str] | None:
    import shlex

    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    if not argv or argv == ["cat"]:
        return None
    return argv


def wanted() -> bool:
    """Paging is left on and stdout is a terminal (never page into a pipe or a file)."""
    stdout = sys.stdout
    return enabled() and stdout is not None and stdout.isatty()


def page(text: str) -> bool:
    """Show ``text`` through the pager; False (nothing shown) if no pager could be started."""
    argv = pager_argv()
    if argv is None:
        return False
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8", errors="replace"))
        process.stdin.close()
    except BrokenPipeError:  # the person quit the pager before the end: that is fine
        pass
    _wait(process)
    return True


def _wait(process: subprocess.Popen[bytes]) -> None:
    """Wait for the pager; Ctrl-C belongs to the pager (less uses it), so keep waiting."""
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:
            continue
