"""Reading one person's answers from a YAML or JSON file (or stdin) into a raw mapping.

The mapping goes through :meth:`RuleBase.parse_answers`, the same path the quiz and batch use.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gutcheck.errors import InputError
from gutcheck.files.access import read_user_text
from gutcheck.rulebook.yamlsource import SourceMap, YamlProblems, load_yaml

if TYPE_CHECKING:
    from gutcheck.rulebook.model import RuleBase


@dataclass(frozen=True)
class AnswersFile:
    """Raw answers read from a file, and how to name the place of each answer."""

    answers: dict[str, Any]
    where: Callable[[str], str]


def read_answers(source: str) -> AnswersFile:
    """Read answers from a path, or from stdin when ``source`` is ``-``."""
    display = "<stdin>" if source == "-" else source
    return _answers_from_text(_read_source(source, display), display)


class OnePerson(NamedTuple):
    """One person's parsed answers, the client id the input names, and when the answers were
    given where the input says so (a FHIR response's ``authored``)."""

    answers: dict[str, Any]
    client: str | None
    taken_at: str | None = None


def read_parsed_answers(
    rules: RuleBase, source: str, *, warn: Callable[[str], None] | None = None
) -> OnePerson:
    """Parsed answers of one person, and the client id a table names, from a path or ``-``.

    Besides a YAML or JSON mapping, this takes what ``gutcheck batch`` reads, for one person:
    a CSV/TSV with a header and one row, a JSON array of one object, or one JSON line; and a
    FHIR QuestionnaireResponse (alone, or the one in a Bundle), with its ``authored`` time.
    """
    display = "<stdin>" if source == "-" else source
    text = _read_source(source, display)
    from gutcheck.interop.reading import looks_like_fhir

    if looks_like_fhir(text, any_resource=True):
        from gutcheck.interop.reading import read_one_response

        return OnePerson(*read_one_response(rules, text, display))
    if _is_table(source, text):
        from gutcheck.batch.sources import read_one_row

        return OnePerson(*read_one_row(rules, text, display, warn=warn))
    answers_file = _answers_from_text(text, display)
    return OnePerson(rules.parse_answers(answers_file.answers, answers_file.where), None)


_TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
_MAPPING_SUFFIXES = (".yaml", ".yml")
_YAML_KEY = re.compile(r"""^(?:"[^"]*"|'[^']*'|[\w.-]+)\s*:(?:\s|$)""")


def _is_table(source: str, text: str) -> bool:
    """True when ``text`` is a CSV/TSV table, a JSON array or JSON Lines rather than a mapping."""
    suffix = Path(source).suffix.casefold() if source != "-" else ""
    if suffix in _TABLE_SUFFIXES or suffix in _MAPPING_SUFFIXES:
        return suffix in _TABLE_SUFFIXES
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return head[1:].lstrip().startswith("{")  # an array of records; other arrays are mistakes
    if head.startswith("{"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return exc.msg == "Extra data"
        except ValueError:  # a number too long to convert: a mapping, refused when it is read
            return False
        return False
    lines = (line for line in head.splitlines() if line.strip() and not line.startswith(("#", "---")))
    first = next(lines, "")
    return _YAML_KEY.match(first) is None and any(mark in first for mark in ",;\t|")


def _answers_from_text(text: str, display: str) -> AnswersFile:
    data, where = _parse(text, display)
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
        where = _prefixed(where, "answers")
    if not isinstance(data, dict):
        raise InputError(f"{display}: expected a mapping of question id to answer, e.g. alcohol_frequency: never")
    return AnswersFile(data, where)


def _prefixed(where: Callable[[str], str], prefix: str) -> Callable[[str], str]:
    return lambda key: where(f"{prefix}\0{key}")


def _read_source(source: str, display: str) -> str:
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
