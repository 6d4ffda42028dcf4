"""Run the gutcheck command line in-process and capture what a user would see."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from gutcheck.cli import main


@dataclass(frozen=True)
class Result:
    """Exit code and the two output streams of one command."""

    code: int
    out: str
    err: str


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def run(*args: str, stdin: str = "", tty: bool = False) -> Result:
    """Run ``gutcheck ARGS`` in this process, as the console script would."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with mock.patch.object(sys, "argv", ["gutcheck", *args]), mock.patch.object(
        sys, "stdin", _Stdin(stdin, tty)
    ), redirect_stdout(out), redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def records(result: Result) -> list[dict[str, Any]]:
    """The JSON Lines records a command printed."""
    return [json.loads(line) for line in result.out.splitlines() if line.strip()]


def write_export(folder: Path, text: str, name: str = "export.csv") -> Path:
    """``text`` written to ``folder/name`` (UTF-8), as a form tool's export would be saved."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
