"""Matching an export's header to the rule base's questions, and finding the client id column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gutcheck.answers.parse import normalise_text
from gutcheck.batch.cells import CellParser
from gutcheck.batch.rows import ID_COLUMN_NAMES, IGNORED_COLUMNS
from gutcheck.errors import InputError
from gutcheck.files.formulas import unneutralise
from gutcheck.rulebook.model import Question, RuleBase

# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class HeaderMatch:
    """What the header names: question columns, the id column and columns left unused."""

    columns: tuple[tuple[int, CellParser], ...]
    id_index: int | None
    unknown: tuple[str, ...]


class HeaderMatcher:
    """Matches column names (question id or text, any case or spacing) to questions."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.parsers = {q.id: CellParser(q) for q in rules.questions}
        self._names: dict[str, Question] = {}
        for question in rules.questions:
            for name in (question.id, question.ask):
                self._names.setdefault(normalise_text(name), question)
                self._names.setdefault(_loose(name), question)

    def question_for(self, name: str) -> Question | None:
        """The question a column name names, if any."""
        key = normalise_text(unneutralise(name))
        return self._names.get(key) or self._names.get(_loose(key))

    def match(self, header: Sequence[str], id_column: str | None, display: str) -> HeaderMatch:
        """Match a whole header; raise InputError when it names no question or one twice."""
        columns: list[tuple[int, CellParser]] = []
        seen: dict[str, int] = {}
        unknown: list[str] = []
        for index, name in enumerate(header):
            question = self.question_for(name)
            if question is None:
                unknown.append(name.strip())
                continue
            if question.id in seen:
                raise InputError(
                    f"{display}: columns {seen[question.id] + 1} and {index + 1} both answer "
                    f"question {question.id!r}; keep one of them and try again"
                )
            seen[question.id] = index
            columns.append((index, self.parsers[question.id]))
        if not columns:
            raise InputError(_no_questions_message(display, header, self.rules.id))
        id_index = find_id_column(header, id_column, display)
        return HeaderMatch(tuple(columns), id_index, _reportable(unknown, header, id_index))


def _loose(name: str) -> str:
    """A looser key: no trailing punctuation or required-field asterisk, as forms add them."""
    return normalise_text(name).rstrip(" ?:.*").lstrip("* ")


def _reportable(unknown: list[str], header: Sequence[str], id_index: int | None) -> tuple[str, ...]:
    id_name = header[id_index].strip() if id_index is not None else None
    return tuple(
        name for name in unknown
        if name and name != id_name and normalise_text(name) not in IGNORED_COLUMNS
    )


def _no_questions_message(display: str, header: Sequence[str], rules_id: str) -> str:
    shown = ", ".join(repr(name.strip()) for name in list(header)[:5]) or "nothing"
    more = ", ..." if len(header) > 5 else ""
    return (
        f"{display}: no column names a question of the rule base {rules_id} (the header is "
        f"{shown}{more}); use question ids or texts as headers, as `gutcheck template` shows"
    )


def find_id_column(header: Sequence[str], id_column: str | None, display: str) -> int | None:
    """The index of the id column: ``id_column`` if given, else the first of id/client/name/email."""
    names = [normalise_text(unneutralise(name)) for name in header]
    if id_column is not None:
        wanted = normalise_text(id_column)
        if wanted not in names:
            raise InputError(
                f"{display}: no column named {id_column!r} for --id-column; "
                f"the header has {', '.join(repr(n.strip()) for n in header[:8])}"
            )
        return names.index(wanted)
    for group in ID_COLUMN_NAMES:
        for index, name in enumerate(names):
            if name in group:
                return index
    return None
