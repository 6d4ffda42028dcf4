"""One error family for gutcheck: every error carries its exit code and a plain message.

The CLI catches :class:`GutcheckError` once, prints the message and exits with the code.
Nothing below the CLI prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every gutcheck command."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    INVALID_INPUT = 3
    INVALID_RULES = 4
    RED_FLAG = 5
    STORAGE = 6
    DECLINED = 7
    INTERRUPTED = 130


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.INTERNAL: "unexpected internal error (a bug: please report it), or output closed early (| head)",
    ExitCode.USAGE: "bad usage: unknown option, missing argument, or no terminal for the quiz",
    ExitCode.INVALID_INPUT: "invalid answers or input file (the messages name the place)",
    ExitCode.INVALID_RULES: "invalid rule base (the messages give file:line:column)",
    ExitCode.RED_FLAG: "a red flag was reported and --fail-on-red-flag was given",
    ExitCode.STORAGE: "the history database could not be read or written",
    ExitCode.DECLINED: "you answered no when asked to confirm; nothing was changed",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); quiz answers so far are kept",
}


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and optionally a line and column (1-based)."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One located problem: a place and a plain sentence saying what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def closest_name(key: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``key`` (as :func:`did_you_mean` picks it), or None when none is close."""
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    return close[0] if close else None


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' naming the known name closest to ``key``, or '' when none is close."""
    close = closest_name(key, known)
    return f" (did you mean {close!r}?)" if close is not None else ""


class GutcheckError(Exception):
    """Base of every error gutcheck reports to a person; carries an exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems

    def lines(self) -> list[str]:
        """The message followed by one line per located problem."""
        return [self.message, *(f"  {problem}" for problem in self.problems)]


class UsageError(GutcheckError):
    """The command was called in a way that cannot work (options, missing terminal)."""

    exit_code = ExitCode.USAGE


class InputError(GutcheckError):
    """Answers or an input file could not be read or are not valid for the rule base."""

    exit_code = ExitCode.INVALID_INPUT


class RulesError(GutcheckError):
    """The rule base could not be loaded or failed its checks."""

    exit_code = ExitCode.INVALID_RULES


class StorageError(GutcheckError):
    """The local history database could not be used."""

    exit_code = ExitCode.STORAGE


class Interrupted(GutcheckError):
    """The person pressed Ctrl-C; the message says what was kept."""

    exit_code = ExitCode.INTERRUPTED


class Declined(GutcheckError):
    """The person answered no to a confirmation; nothing was changed."""

    exit_code = ExitCode.DECLINED


class RedFlagReported(GutcheckError):
    """A red flag was reported and the caller asked for a distinct exit code (--fail-on-red-flag)."""

    exit_code = ExitCode.RED_FLAG


class OutputClosed(GutcheckError):
    """The reader of stdout went away (``| head``): stop quietly, as other command-line tools do."""

    def __init__(self) -> None:
        super().__init__("")
