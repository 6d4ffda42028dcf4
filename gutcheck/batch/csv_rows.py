"""One CSV record into a parsed or rejected row: the general path, where every message is made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutcheck.batch.cells import EMPTY, BadCell
from gutcheck.batch.dates import BadDate
from gutcheck.batch.lines import has_bad_bytes
from gutcheck.batch.rows import (
    MAX_CELL_CHARS,
    NOT_UTF8_CELL,
    BatchRow,
    ClientCheck,
    LeftOutRow,
    ParsedRow,
    RejectedRow,
)
from gutcheck.files.formulas import unneutralise

if TYPE_CHECKING:
    from gutcheck.batch.header import HeaderMatch
    from gutcheck.batch.opened import Batch


def cell_text(record: list[str], index: int | None) -> str:
    """A cell as a client or time text: stripped, the export's formula apostrophe removed."""
    if index is None or index >= len(record) or len(record[index]) > MAX_CELL_CHARS:
        return ""
    return unneutralise(record[index].strip())



class CsvRowParser:
    """Turns one CSV record into a ParsedRow, or a RejectedRow with every reason."""

    def __init__(self, header: list[str], match: HeaderMatch, batch: Batch) -> None:
        self.header = header
        self.width = len(header)
        # (column, question id, the parser's cache lookup, the parser): a hit costs one dict.get
        self.columns = tuple((index, p.question.id, p.cache.get, p) for index, p in match.columns)
        self.id_index = match.id_index
        self.client_check: ClientCheck | None = batch.client_check
        self.time_index = match.time_index
        self.dates = batch.dates
        self.undated = batch.undated
        self.plan = batch.plan
        self.flag_ids = frozenset(rf.question.id for rf in batch.rules.red_flags)

    def __call__(self, row: int, record: list[str]) -> BatchRow:
        """Parse ``record``, the spreadsheet row number ``row``."""
        width = self.width
        if len(record) != width and (len(record) < width or any(c.strip() for c in record[width:])):
            return self._reject(row, record, (_ragged_reason(row, len(record), width),))
        answers: dict[str, Any] = {}
        reasons: list[str] = []
        for index, question_id, cached, parser in self.columns:
            text = record[index]
            value = cached(text)
            if value is None:
                value = parser(text)
            if value is EMPTY:
                continue
            if value.__class__ is BadCell:
                reasons.append(f"row {row}, column {self.header[index]!r}: {value.reason}")
            else:
                answers[question_id] = value
        client = unneutralise(record[self.id_index].strip()) if self.id_index is not None else ""
        taken_at = self._date(row, record, reasons)
        if not reasons and not answers:
            reasons.append(f"row {row}: no answers to score; fill in at least one question")
        if not reasons and self.client_check is not None:
            problem = self.client_check(client)
            if problem:
                column = self.header[self.id_index] if self.id_index is not None else "id"
                reasons.append(f"row {row}, column {column!r}: {problem}")
        if reasons:
            return self._reject(row, record, tuple(reasons))
        if taken_at is None and self.dates is not None:
            self.undated.add(row)
        return ParsedRow(row, client or f"row {row}", answers, bool(client), taken_at)

    def _date(self, row: int, record: list[str], reasons: list[str]) -> str | None:
        """When the form was sent, from the time column (None: no column, or an empty cell)."""
        if self.dates is None or self.time_index is None:
            return None
        try:
            return self.dates(record[self.time_index])
        except BadDate as exc:
            reasons.append(f"row {row}, column {self.header[self.time_index]!r}: {exc}; correct it, or empty "
                           "the cell to date the row by this run")
            return None

    def planned(self, row: int, record: list[str]) -> BatchRow:
        """A row of a client who appears more than once: left out, or rejected, as planned."""
        reason = self.plan[row]
        if reason is None:
            flags = tuple(qid for index, qid, _, parser in self.columns
                          if qid in self.flag_ids and index < len(record) and parser(record[index]) is True)
            return LeftOutRow(row, cell_text(record, self.id_index) or f"row {row}", flags)
        return self._reject(row, record, (f"row {row}: {reason}",))

    def checked(self, row: int, record: list[str], *, bad_bytes: bool) -> BatchRow:
        """Parse ``record`` after checking the cells that are used: no bytes that were not
        UTF-8, none longer than any answer can be."""
        used = [index for index, *_ in self.columns if index < len(record)]
        if self.id_index is not None and self.id_index < len(record):
            used.insert(0, self.id_index)
        if bad_bytes:  # every cell counts here: the whole row may have been decoded wrongly
            used = list(range(len(record)))
        for index in used:
            problem = _cell_problem(record[index], bad_bytes)
            if problem:
                name = self.header[index] if index < self.width else f"number {index + 1}"
                return self._reject(row, record, (f"row {row}, column {name!r}: {problem}",))
        return self(row, record)

    def _reject(self, row: int, record: list[str], reasons: tuple[str, ...]) -> RejectedRow:
        text = record[self.id_index] if self.id_index is not None and self.id_index < len(record) else ""
        client = unneutralise(text.strip()) if len(text) <= MAX_CELL_CHARS else ""
        if has_bad_bytes(client):
            client = ""
        return RejectedRow(row, client or f"row {row}", reasons, tuple(record))


def _cell_problem(cell: str, bad_bytes: bool) -> str | None:
    """Why a cell cannot be used before it is even parsed, or None."""
    if bad_bytes and has_bad_bytes(cell):
        return NOT_UTF8_CELL
    if len(cell) > MAX_CELL_CHARS:
        return (f"the cell holds {len(cell):,} characters, more than any answer ({MAX_CELL_CHARS:,} "
                "at most); a quote may be missing its closing quote, or text was pasted into "
                "the wrong cell")
    return None


def _ragged_reason(row: int, cells: int, width: int) -> str:
    if cells > width:
        return (
            f"row {row}: has {cells} cells but the header has {width} columns; "
            "a cell may hold an unquoted delimiter"
        )
    return (
        f"row {row}: has {cells} cells but the header has {width} columns; "
        "the row may have been cut by a line break"
    )
