"""Reading one person's answers from a YAML or JSON file (or stdin) into a raw mapping.

The mapping goes through :meth:`RuleBase.parse_answers`, the same path the quiz and batch use.
Any other kind of input (a table of one row, a FHIR response) is told apart and read by
:mod:`gutcheck.batch.person`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gutcheck.errors import InputError
from gutcheck.files.access import read_user_text
from gutcheck.files.yaml_located import SourceMap, YamlProblems, load_yaml


@dataclass(frozen=True)
class AnswersFile:
    """Raw answers read from a file, and how to name the place of each answer."""

    answers: dict[str, Any]
    where: Callable[[str], str]


def read_answers(source: str) -> AnswersFile:
    """Read answers from a path, or from stdin when ``source`` is ``-``."""
    display = "<stdin>" if source == "-" else source
    return answers_from_text(read_source(source, display), display)


def answers_from_text(text: str, display: str) -> AnswersFile:
    """The mapping of answers in YAML or JSON ``text`` (an ``answers:`` mapping inside it is taken)."""
    data, where = _parse(text, display)
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
        where = _prefixed(where, "answers")
    if not isinstance(data, dict):
        raise InputError(f"{display}: expected a mapping of question id to answer, e.g. alcohol_frequency: never")
    return AnswersFile(data, where)


def _prefixed(where: Callable[[str], str], prefix: str) -> Callable[[str], str]:
    return lambda key: where(f"{prefix}\0{key}")


def read_source(source: str, display: str) -> str:
    """The text of ``source`` (a path, or ``-`` for stdin), refused with one located sentence."""
    if source == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("<stdin>: no answers piped in; give a file path or pipe answers to '-'")
        return sys.stdin.read()
    hint = "give the path of an answers file, or - for stdin"
    return read_user_text(Path(source), display, error=InputError, hint=hint)


def _parse(text: str, display: str) -> tuple[Any, Callable[[str], str]]:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        data, source = _load_json(text.removeprefix("\ufeff"), display)
    else:
        try:
            data, source = load_yaml(text, display)
        except YamlProblems as exc:
            raise InputError(f"{display}: not a valid answers file", tuple(exc.problems)) from None
    return data, lambda key: str(source.locate(tuple(key.split(chr(0))), key=True))


def _load_json(text: str, display: str) -> tuple[Any, SourceMap]:
    """A JSON answers file, read as a YAML one is: duplicate keys refused, problems located."""
    from gutcheck.files.json_located import JsonProblems, load_json

    try:
        return load_json(text, display)
    except JsonProblems as exc:
        first = exc.problems[0]
        if len(exc.problems) == 1 and first.message.startswith("not valid JSON"):
            raise InputError(f"{first}; fix the file and try again") from None
        raise InputError(f"{display}: not a valid answers file", tuple(exc.problems)) from None
