"""CSV and TSV rows: the header is matched once, then each row is a list lookup per question."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from gutcheck.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from gutcheck.batch.sources import Batch
    from gutcheck.batch.summary import ClientSummary
from gutcheck.batch.cells import EMPTY, BadCell
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.rows import NOT_UTF8, NOTES_MARK, BatchRow, ClientCheck, ParsedRow, RejectedRow
from gutcheck.batch.sniff import SEP_LINE
from gutcheck.files.formulas import unneutralise


class RowSource:
    def rows(self, summaries: bool = False) -> Iterator[BatchRow | ClientSummary]:
        """Every data row of the input, in order."""
        raise NotImplementedError


class CsvSource(RowSource):
    """CSV/TSV rows: the header is matched once, then each row is a list lookup per question."""

    def __init__(self, batch: Batch, sample: str) -> None:
        import csv

        self.batch = batch
        lines = _chain_lines(sample, batch.input.stream)
        if SEP_LINE.match(sample.split("\n", 1)[0]):
            next(lines)
        self.records = csv.reader(lines, delimiter=batch.format.delimiter, skipinitialspace=True)
        self.row_number = 0
        self.header, self.match = self._read_header()
        batch.error_columns = tuple(self.header)
        if batch.client_check is not None and self.match.id_index is None:
            raise InputError(
                f"{batch.display}: no id column (id, client, name or email) to name each client; "
                "add one, or name it with --id-column"
            )
        if self.match.unknown:
            batch.warn(unknown_columns_warning(batch.display, self.match.unknown, batch.rules.id))

    def _next_record(self) -> list[str] | None:
        import csv

        try:
            record = next(self.records, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._unreadable(exc, self.row_number) from None
        if record is not None:
            self.row_number += 1
        return record

    def _unreadable(self, exc: Exception, rows_so_far: int) -> InputError:
        """The error for input that cannot be decoded or parsed after ``rows_so_far`` records."""
        if isinstance(exc, UnicodeDecodeError):
            return InputError(f"{self.batch.display}, after row {rows_so_far}: {NOT_UTF8}")
        return InputError(
            f"{self.batch.display}, row {rows_so_far + 1}: cannot be read as CSV ({exc}); "
            "check the quoting of that row"
        )

    def _read_header(self) -> tuple[list[str], HeaderMatch]:
        record = self._next_record()
        while record is not None and not any(cell.strip() for cell in record):
            record = self._next_record()
        if record is None:
            raise InputError(f"{self.batch.display}: is empty; expected a header row of question ids or texts")
        header = [cell.strip() for cell in record]
        return header, self.batch.matcher.match(header, self.batch.id_column, self.batch.display)

    def rows(self, summaries: bool = False) -> Iterator[BatchRow | ClientSummary]:
        """Every data row after the header (and any notes rows right under it).

        With ``summaries``, rows the generated scorer takes come as their summaries.
        """
        import csv

        batch = self.batch
        parse: Callable[[int, list[str]], BatchRow | ClientSummary]
        parse = _CsvRowParser(self.header, self.match, batch.client_check)
        if summaries and batch.client_check is None:
            parse = _summaries_first(batch, self.match, len(self.header), parse)
        notes_allowed = True
        number = self.row_number
        try:
            for record in self.records:
                number += 1
                if notes_allowed:
                    if record and record[0].lstrip().startswith(NOTES_MARK):
                        continue  # the notes rows `gutcheck template` puts under the header
                    notes_allowed = False
                if not any(map(str.strip, record)):
                    continue
                batch.rows_read += 1
                yield parse(number, record)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._unreadable(exc, number) from None


def _summaries_first(
    batch: Batch, match: HeaderMatch, width: int, parse: Callable[[int, list[str]], BatchRow]
) -> Callable[[int, list[str]], BatchRow | ClientSummary]:
    """The generated row scorer's summary of a record, else the general parse of it."""
    from gutcheck.batch.compiled_rows import record_scorer

    return record_scorer(batch.rules, match, width, parse) or parse


class _CsvRowParser:
    """Turns one CSV record into a ParsedRow, or a RejectedRow with every reason."""

    def __init__(self, header: list[str], match: HeaderMatch, client_check: ClientCheck | None) -> None:
        self.header = header
        self.width = len(header)
        # (column, question id, the parser's cache lookup, the parser): a hit costs one dict.get
        self.columns = tuple((index, p.question.id, p.cache.get, p) for index, p in match.columns)
        self.id_index = match.id_index
        self.client_check = client_check

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
        if not reasons and not answers:
            reasons.append(f"row {row}: no answers to score; fill in at least one question")
        if not reasons and self.client_check is not None:
            problem = self.client_check(client)
            if problem:
                column = self.header[self.id_index] if self.id_index is not None else "id"
                reasons.append(f"row {row}, column {column!r}: {problem}")
        if reasons:
            return self._reject(row, record, tuple(reasons))
        return ParsedRow(row, client or f"row {row}", answers, bool(client))

    def _reject(self, row: int, record: list[str], reasons: tuple[str, ...]) -> RejectedRow:
        text = record[self.id_index] if self.id_index is not None and self.id_index < len(record) else ""
        client = unneutralise(text.strip()) or f"row {row}"
        return RejectedRow(row, client, reasons, _fit(record, self.width))


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


def _fit(record: list[str], width: int) -> tuple[str, ...]:
    """The record's cells padded or extended to line up under the header of the errors file."""
    return tuple(record) + ("",) * (width - len(record)) if len(record) < width else tuple(record)


def unknown_columns_warning(display: str, unknown: Sequence[str], rules_id: str) -> str:
    names = ", ".join(repr(name) for name in unknown[:8]) + (", ..." if len(unknown) > 8 else "")
    return (
        f"{display}: ignoring {len(unknown)} column(s) that name no question of {rules_id}: {names}"
    )


def _chain_lines(sample: str, stream: IO[str]) -> Iterator[str]:
    """The sampled lines, then the rest of the stream, as one line iterator."""
    return itertools.chain(io.StringIO(sample, newline=""), stream)
