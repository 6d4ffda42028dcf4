"""Matching an export's header to the rule base's questions, and finding the client id column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gutcheck.answers.parse import normalise_text
from gutcheck.batch.cells import CellParser
from gutcheck.batch.columns import (
    ClientColumn,
    ColumnRoles,
    Missing,
    choose_client_column,
    loose,
    missing_questions,
)
from gutcheck.batch.dates import find_time_column
from gutcheck.batch.rows import IGNORED_COLUMNS
from gutcheck.errors import InputError
from gutcheck.files.formulas import unneutralise
from gutcheck.rulebook.model import Question, RuleBase

# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class HeaderMatch:
    """What the header names: question columns, the id column and columns left unused.

    With the roles of a batch (:meth:`HeaderMatcher.match` with ``roles``), also the column
    that dates each response, the client column chosen and the questions no column answers.
    """

    columns: tuple[tuple[int, CellParser], ...]
    id_index: int | None
    unknown: tuple[str, ...]
    time_index: int | None = None
    client: ClientColumn | None = None
    missing: tuple[Missing, ...] = ()
    names: tuple[str, ...] = ()

    def roles(self, rules: RuleBase) -> ColumnRoles:
        """What every column is for, for ``batch --check``."""
        return ColumnRoles(
            names=self.names, questions={index: parser.question for index, parser in self.columns},
            client=self.client or ClientColumn(self.id_index), time_index=self.time_index,
            missing=self.missing, safety_ids=frozenset(rf.question.id for rf in rules.red_flags),
            total=len(rules.questions),
        )


Values = Callable[[int], Sequence[str]]


class HeaderMatcher:
    """Matches column names (question id or text, any case or spacing) to questions."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.parsers = {q.id: CellParser(q) for q in rules.questions}
        self._names: dict[str, Question] = {}
        for question in rules.questions:
            for name in (question.id, question.ask):
                self._names.setdefault(normalise_text(name), question)
                self._names.setdefault(loose(name), question)

    def question_for(self, name: str) -> Question | None:
        """The question a column name names, if any."""
        key = normalise_text(unneutralise(name))
        return self._names.get(key) or self._names.get(loose(key))

    def match(
        self, header: Sequence[str], id_column: str | None, display: str, *,
        time_column: str | None = None, values: Values | None = None, roles: bool = False,
    ) -> HeaderMatch:
        """Match a whole header; raise InputError when it names no question or one twice.

        ``values`` gives sampled cells of a column (to tell a response number from a client
        id). With ``roles`` (a batch), the time column is found and the questions without a
        column are named.
        """
        columns: list[tuple[int, CellParser]] = []
        seen: dict[str, int] = {}
        for index, name in enumerate(header):
            question = self.question_for(name)
            if question is None:
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
        names = [unneutralise(name) for name in header]
        client = choose_client_column(names, id_column, display, values or (lambda index: ()))
        used = set(seen.values()) | {client.index}
        time_index = _time_column(names, used, time_column, display) if roles else None
        unknown = _reportable(header, used | {time_index})
        missing = missing_questions(self.rules, set(seen), unknown) if roles else ()
        return HeaderMatch(tuple(columns), client.index, unknown, time_index, client, missing, tuple(header))


def _time_column(names: Sequence[str], used: set[int | None], wanted: str | None, display: str) -> int | None:
    """The column that dates each response: ``wanted`` (--time-column) or a usual name."""
    free = [name if index not in used else "" for index, name in enumerate(names)]
    index = find_time_column(free, wanted)
    if index is None and wanted is not None:
        shown = ", ".join(repr(name.strip()) for name in names[:8])
        raise InputError(f"{display}: no column named {wanted!r} for --time-column (the time each "
                         f"form was sent); the header has {shown}")
    return index


def _reportable(header: Sequence[str], used: set[int | None]) -> tuple[str, ...]:
    """Names of the columns no question, client or time uses (gutcheck's own columns aside)."""
    return tuple(
        name.strip() for index, name in enumerate(header)
        if index not in used and name.strip() and normalise_text(name) not in IGNORED_COLUMNS
    )


def _no_questions_message(display: str, header: Sequence[str], rules_id: str) -> str:
    shown = ", ".join(repr(name.strip()) for name in list(header)[:5]) or "nothing"
    more = ", ..." if len(header) > 5 else ""
    return (
        f"{display}: no column names a question of the rule base {rules_id} (the header is "
        f"{shown}{more}); use question ids or texts as headers, as `gutcheck template` shows"
    )


def find_id_column(header: Sequence[str], id_column: str | None, display: str,
                   values: Values | None = None) -> int | None:
    """The index of the id column: ``id_column`` if given, else the best client column
    (see :func:`~gutcheck.batch.columns.choose_client_column`)."""
    names = [unneutralise(name) for name in header]
    return choose_client_column(names, id_column, display, values or (lambda index: ())).index
