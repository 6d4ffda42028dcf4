"""CSV and TSV rows: the header is matched once, then each row is a list lookup per question."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from gutcheck.errors import InputError

if TYPE_CHECKING:

    from gutcheck.batch.compiled_rows import RecordSummary
    from gutcheck.batch.opened import Batch
    from gutcheck.batch.summary import ClientSummary
from gutcheck.batch.csv_rows import CsvRowParser, cell_text
from gutcheck.batch.dates import BadDate, FormDates
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.lines import RecordLines, RecordTooLong
from gutcheck.batch.opened import RowSource
from gutcheck.batch.rows import (
    MAX_CELL_CHARS,
    MAX_RECORD_CHARS,
    NOT_UTF8,
    NOTES_MARK,
    BatchRow,
    RejectedRow,
    RowCells,
)
from gutcheck.batch.summary import RUN_LENGTH, Summaries
from gutcheck.files.sniff import SEP_LINE


class CsvSource(RowSource):
    """CSV/TSV rows: the header is matched once, then each row is a list lookup per question.

    A row that cannot be used (too long, bytes that are not UTF-8, unreadable as CSV) is a
    rejected row like any other, and reading goes on with the next one.
    """

    def __init__(self, batch: Batch, sample: str) -> None:
        self.batch = batch
        if csv.field_size_limit() <= MAX_RECORD_CHARS:
            csv.field_size_limit(MAX_RECORD_CHARS + 1)  # RecordLines bounds every record itself
        self.lines = RecordLines(sample, batch.input.stream)
        if SEP_LINE.match(sample.split("\n", 1)[0]):
            next(self.lines)
        self.records = csv.reader(self.lines, delimiter=batch.format.delimiter, skipinitialspace=True)
        self.row_number = 0
        self.header, self.match = self._read_header(sample)
        batch.error_columns = tuple(self.header)
        batch.header_match = self.match
        if batch.client_check is not None and self.match.id_index is None:
            raise InputError(
                f"{batch.display}: no id column (client, id, name or email) to name each client; "
                "add one, or name it with --id-column"
            )
        batch.announce(self.match)
        time_index = self.match.time_index
        if time_index is not None:
            samples = _sampled(sample, self.row_number, batch.format.delimiter)
            batch.dates = FormDates(self.header[time_index], (r[time_index] for r in samples if time_index < len(r)))

    def _next_record(self) -> list[str] | None:
        """The next record before the data rows (the header); any problem refuses the file."""
        self.lines.start_record()
        try:
            record = next(self.records, None)
        except RecordTooLong:
            raise InputError(f"{self.batch.display}, row {self.row_number + 1}: is longer than "
                             f"{MAX_RECORD_CHARS} characters; is this a CSV export?") from None
        except csv.Error as exc:
            raise InputError(f"{self.batch.display}, row {self.row_number + 1}: cannot be read as "
                             f"CSV ({exc}); check the quoting of that row") from None
        if record is not None:
            self.row_number += 1
        if self.lines.bad_bytes:
            raise InputError(f"{self.batch.display}: {NOT_UTF8}")
        return record

    def _read_header(self, sample: str) -> tuple[list[str], HeaderMatch]:
        record = self._next_record()
        while record is not None and not any(cell.strip() for cell in record):
            record = self._next_record()
        if record is None:
            raise InputError(f"{self.batch.display}: is empty; expected a header row of question ids or texts")
        header = [cell.strip() for cell in record]
        self.lines.start_record()  # the data rows start here
        options = self.batch.options
        samples = _sampled(sample, self.row_number, self.batch.format.delimiter)
        return header, self.batch.matcher.match(
            header, options.id_column, self.batch.display, time_column=options.time_column,
            values=lambda index: [r[index] for r in samples if index < len(r)], roles=options.roles,
        )

    def rows(self, summaries: bool = False) -> Iterator[BatchRow | Summaries]:
        """Every data row after the header (and any notes rows right under it); with
        ``summaries``, rows the generated scorer takes come as their summaries, a run of
        consecutive ones at a time. Kept flat, in one frame: it runs once per row."""
        batch, lines, width = self.batch, self.lines, len(self.header)
        parse = CsvRowParser(self.header, self.match, batch)
        fast = _summaries_first(batch, self.match) if summaries else None
        number, notes_allowed, run, longest, run_length = self.row_number, True, Summaries(), MAX_CELL_CHARS, RUN_LENGTH
        while True:
            try:
                for record in self.records:
                    size, bad_bytes = lines.size, lines.bad_bytes
                    lines.size = 0  # the next line starts a new record (see RecordLines.start_record)
                    number += 1
                    if notes_allowed and _is_note(record):
                        continue  # the notes rows `gutcheck template` puts under the header
                    notes_allowed = False
                    summary = fast(number, record) if (
                        fast is not None and len(record) == width and not bad_bytes and size <= longest
                    ) else None
                    if summary is not None:
                        run.append(summary)
                        if len(run) < run_length:
                            continue
                    row = None if summary is not None else self._general(number, record, parse, size, bad_bytes)
                    if run and (summary is not None or row is not None):
                        yield self._counted(run)
                        run = Summaries()
                    if row is not None:
                        yield row
                break
            except (RecordTooLong, csv.Error) as exc:
                number += 1
                yield from self._unreadable(run, number, exc)
                run = Summaries()
            except (UnicodeDecodeError, KeyboardInterrupt) as exc:  # hand on the rows before, then stop
                yield from self._flushed(run)  # UnicodeDecodeError: only without surrogateescape
                raise exc if isinstance(exc, KeyboardInterrupt) else InputError(
                    f"{batch.display}, after row {self.row_number}: {NOT_UTF8}") from None
        yield from self._flushed(run)

    def _counted(self, run: Summaries) -> Summaries:
        """``run``, its rows counted as read."""
        self.batch.rows_read += len(run)
        return run

    def _flushed(self, run: Summaries) -> Iterator[Summaries]:
        """``run``, counted, unless it is empty."""
        if run:
            yield self._counted(run)

    def _unreadable(self, run: Summaries, number: int, exc: Exception) -> Iterator[BatchRow | Summaries]:
        """After ``run``, the rejected row of record ``number``, which could not be read."""
        self.lines.start_record()
        yield from self._flushed(run)
        self.batch.rows_read += 1
        yield RejectedRow(number, f"row {number}", (f"row {number}: {_unread(exc)}",), ())

    def _general(
        self, number: int, record: list[str], parse: CsvRowParser, size: int, bad_bytes: bool
    ) -> BatchRow | None:
        """A record the generated scorer did not take: a parsed or rejected row, or None for a
        blank row (not data)."""
        if not any(map(str.strip, record)):
            return None
        self.batch.rows_read += 1
        if bad_bytes or size > MAX_CELL_CHARS:
            return parse.checked(number, record, bad_bytes=bad_bytes)
        if number in self.batch.plan:
            return parse.planned(number, record)
        return parse(number, record)

    def cells(self) -> Iterator[RowCells]:
        """The client and time cell of every data row, numbered as :meth:`rows` numbers them."""
        lines, number, notes_allowed = self.lines, self.row_number, True
        id_index, time_index = self.match.id_index, self.match.time_index
        while True:
            try:
                for record in self.records:
                    bad_bytes, lines.size = lines.bad_bytes, 0
                    number += 1
                    if notes_allowed and _is_note(record):
                        continue
                    notes_allowed = False
                    if any(map(str.strip, record)):
                        yield RowCells(number, "" if bad_bytes else cell_text(record, id_index),
                                       cell_text(record, time_index))
                return
            except (RecordTooLong, csv.Error):
                number += 1
                self.lines.start_record()
            except UnicodeDecodeError:
                raise InputError(f"{self.batch.display}, after row {number}: {NOT_UTF8}") from None


def _is_note(record: list[str]) -> bool:
    """True for a notes row (only looked for right under the header)."""
    return bool(record) and record[0].lstrip().startswith(NOTES_MARK)


def _unread(exc: Exception) -> str:
    """Why a record could not be read, for its rejected row."""
    if isinstance(exc, RecordTooLong):
        return (f"is longer than {MAX_RECORD_CHARS} characters (a quote may be missing its "
                "closing quote); it is not copied to the errors file, fix it in the input")
    return f"cannot be read as CSV ({exc}); check the quoting of that row"


def _sampled(sample: str, header_row: int, delimiter: str) -> list[list[str]]:
    """The first records after the header in the sample (to tell what a column holds)."""
    text = sample.split("\n", 1)[1] if SEP_LINE.match(sample.split("\n", 1)[0]) else sample
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    records: list[list[str]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if number > header_row and record and not _is_note(record):
                records.append(record)
            if len(records) >= SAMPLED_RECORDS:
                break
    except csv.Error:
        pass  # the rows before are sample enough; the reader reports that row with its number
    return records


SAMPLED_RECORDS = 50


def _summaries_first(batch: Batch, match: HeaderMatch) -> RecordSummary | None:
    """The generated row scorer: a record's summary, or None when the general path must take it
    (also for every row when client ids are checked, or the rule base has no generated scorer).

    With a time column, a record whose time cell is not a date goes the general way (which
    rejects it with the reason); rows of clients named in ``batch.plan`` always do.
    """
    if batch.client_check is not None:
        return None
    from gutcheck.batch.compiled_rows import record_scorer

    fast = record_scorer(batch.rules, match)
    if fast is not None and batch.dates is not None and match.time_index is not None:
        fast = _dated(fast, batch.dates, match.time_index, batch.undated.add)
    if fast is not None and batch.plan:
        fast = _unplanned(fast, batch.plan)
    return fast


def _dated(fast: RecordSummary, dates: FormDates, index: int, undated: Callable[[int], None]) -> RecordSummary:
    """``fast``, for records whose time cell is a date (or empty: counted, dated by the run)."""
    def summary(number: int, record: list[str]) -> ClientSummary | None:
        found = fast(number, record)
        if found is None:
            return None
        try:
            if not dates.check(record[index]):
                undated(number)
        except BadDate:
            return None
        return found

    return summary


def _unplanned(fast: RecordSummary, plan: Mapping[int, str | None]) -> RecordSummary:
    """``fast``, for records of rows the duplicate plan leaves alone."""
    return lambda number, record: None if number in plan else fast(number, record)
