"""Batch input: many clients' answers from a CSV, TSV, JSON or JSON Lines export, one row at a time.

A coach's export arrives as it comes: question texts or ids as headers, option labels or values
as cells, an Excel byte-order mark, CRLF line ends, a semicolon as delimiter, a timestamp column
the rule base knows nothing about. :func:`open_batch` reads the start of the input to learn its
format, matches the header to the questions once, and then yields one :class:`ParsedRow` or
:class:`RejectedRow` per data row, never holding more than one row. Rejected rows carry every
reason with the row number and column, so the coach can fix them and run again.

Nothing here prints or exits; problems that stop the whole input raise
:class:`gutcheck.errors.InputError` with one sentence naming the place and what to do.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gutcheck.assessment import Assessment
from gutcheck.errors import InputError
from gutcheck.rulebase import SKIP, SKIP_LABEL, AnswerError, Question, RuleBase, normalise_text

ID_COLUMN_NAMES = (
    ("id", "client id", "client_id", "client-id"),
    ("client", "client name"),
    ("name", "full name"),
    ("email", "email address", "e-mail"),
)
ERRORS_ROW_COLUMN = "gutcheck row"
ERRORS_REASON_COLUMN = "gutcheck errors"
IGNORED_COLUMNS = frozenset({ERRORS_ROW_COLUMN, ERRORS_REASON_COLUMN})
FORMULA_STARTS = "=+-@\t\r"
NOTES_MARK = "# "  # a row right under the header whose first cell starts so is a note, not a client
SAMPLE_CHARS = 64 * 1024
JSON_CHUNK_CHARS = 64 * 1024
MAX_JSON_RECORD_CHARS = 4 * 1024 * 1024
CELL_CACHE_LIMIT = 512
KEY_CACHE_LIMIT = 1000
NOT_UTF8 = (
    "is not UTF-8 text; if it is a spreadsheet (.xlsx, .ods) or a legacy export, "
    "save it as 'CSV UTF-8' and try again"
)
Warn = Callable[[str], None]
ClientCheck = Callable[[str], "str | None"]


@dataclass(frozen=True)
class InputFormat:
    """What kind of input this is: ``csv`` (with its delimiter), ``json`` (array) or ``jsonl``."""

    kind: str
    delimiter: str = ","

    def describe(self) -> str:
        """The format in words, for notices."""
        if self.kind == "json":
            return "JSON array"
        if self.kind == "jsonl":
            return "JSON Lines"
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
        return f"{names.get(self.delimiter, repr(self.delimiter))}-separated CSV"


@dataclass(frozen=True)
class ParsedRow:
    """A row whose answers all fit: its place, the client it names and the parsed answers."""

    row: int
    client: str
    answers: dict[str, Any]
    named: bool = True


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be scored, every reason, and its cells for the errors file."""

    row: int
    client: str
    reasons: tuple[str, ...]
    cells: tuple[str, ...]


BatchRow = ParsedRow | RejectedRow


def unneutralise(text: str) -> str:
    """Undo the apostrophe gutcheck puts before formula-like cells, so its files can be re-read."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


# --------------------------------------------------------------------------- cells


class _Bad:
    """A cell text that did not fit its question, with the reason (cached like a good value)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


_EMPTY = object()
_SPLIT_ITEMS = re.compile(r"\s*[;\n]\s*")
_SPLIT_COMMA = re.compile(r",\s+")


def multi_items(question: Question, text: str) -> list[str]:
    """Split a multi-select cell into option texts.

    Items are separated by ``;`` or by ``, `` as Google Forms joins them; a label that itself
    contains ``, `` is kept whole when the pieces, joined again, name one of the options.
    """
    if question.option_for(text) is not None:
        return [text]
    items: list[str] = []
    for chunk in _SPLIT_ITEMS.split(text):
        if not chunk:
            continue
        if question.option_for(chunk) is not None:
            items.append(chunk)
        else:
            items.extend(_rejoin_labels(question, [p for p in _SPLIT_COMMA.split(chunk) if p]))
    return items


def _rejoin_labels(question: Question, pieces: list[str]) -> list[str]:
    """Greedily join adjacent comma pieces into the longest runs that name an option.

    A run is never longer than the option with the most commas, so a hostile cell of thousands
    of pieces costs time in proportion to its length, not its square.
    """
    widest = 1 + max((o.label.count(",") for o in question.options), default=0)
    items: list[str] = []
    start = 0
    while start < len(pieces):
        end = min(len(pieces), start + widest)
        while end > start + 1 and question.option_for(", ".join(pieces[start:end])) is None:
            end -= 1
        items.append(", ".join(pieces[start:end]))
        start = end
    return items


def parse_cell(question: Question, text: str) -> Any:
    """The parsed value of one cell text, :data:`_EMPTY` for a blank, or a :class:`_Bad`."""
    text = unneutralise(text.strip())
    if not text:
        return _EMPTY
    try:
        if question.kind == "multi" and not (question.allow_skip and _is_skip_text(text)):
            return question.parse(multi_items(question, text))
        return question.parse(text)
    except AnswerError as exc:
        return _Bad(str(exc))


def _is_skip_text(text: str) -> bool:
    return normalise_text(text) in _SKIP_TEXTS


_SKIP_TEXTS = frozenset({SKIP, normalise_text(SKIP_LABEL), "skip"})


class CellParser:
    """Parses the cells of one question, remembering the result for texts seen before.

    A column of an export holds few distinct texts, so most cells are one dictionary lookup.
    The memory is capped, so free-text or numeric columns cannot make it grow without bound.
    """

    __slots__ = ("cache", "question")

    def __init__(self, question: Question) -> None:
        self.question = question
        self.cache: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        """The parsed value, :data:`_EMPTY` or a :class:`_Bad` for ``text``."""
        hit = self.cache.get(text)
        if hit is None:
            hit = parse_cell(self.question, text)
            if len(self.cache) < CELL_CACHE_LIMIT:
                self.cache[text] = hit
        return hit

    def parse_value(self, value: object) -> Any:
        """Like calling it, for a JSON value that may also be a number, bool or list."""
        if isinstance(value, str):
            return self(value)
        if value is None:
            return _EMPTY
        try:
            return self.question.parse(value)
        except AnswerError as exc:
            return _Bad(str(exc))


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


# --------------------------------------------------------------------------- input


@dataclass
class TextInput:
    """An open text input with its display name and, for a regular file, its size in bytes."""

    stream: IO[str]
    display: str
    size: int | None = None

    def position(self) -> int | None:
        """Roughly how many bytes have been read, for a progress bar (None if unknown)."""
        raw = getattr(self.stream, "buffer", None)
        if raw is None or self.size is None:
            return None
        try:
            return int(raw.tell())
        except (OSError, ValueError):
            return None


@contextmanager
def open_text(source: str) -> Iterator[TextInput]:
    """Open a path, or stdin for ``-``, as UTF-8 text (an Excel BOM is dropped), newlines kept."""
    if source == "-":
        text_input = _stdin_input()
        try:
            yield text_input
        finally:
            if text_input.stream is not sys.stdin:
                text_input.stream.detach()  # type: ignore[attr-defined]  # leave stdin open
        return
    from gutcheck.files import open_user_text

    display = source
    hint = "give the path of a CSV, TSV, JSON or JSON Lines file, or - for stdin"
    with open_user_text(Path(source), display, error=InputError, hint=hint) as stream:
        yield TextInput(stream, display, _regular_size(source))


def _regular_size(source: str) -> int | None:
    try:
        stat = os.stat(source)
    except OSError:
        return None
    return stat.st_size if Path(source).is_file() else None


def _stdin_input() -> TextInput:
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise InputError("<stdin>: nothing was piped in; give a file path, or pipe the export to '-'")
    raw = getattr(stdin, "buffer", None)
    if raw is not None:
        stdin = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    return TextInput(stdin, "<stdin>")


def read_sample(text_input: TextInput) -> str:
    """The first ~64 KiB of the input, completed to the end of its last line."""
    stream, display = text_input.stream, text_input.display
    try:
        sample = stream.read(SAMPLE_CHARS)
        if len(sample) == SAMPLE_CHARS and not sample.endswith(("\n", "\r")):
            sample += stream.readline()
    except UnicodeDecodeError:
        raise InputError(f"{display}: {NOT_UTF8}") from None
    sample = sample.removeprefix("\ufeff")
    if "\x00" in sample:
        raise InputError(f"{display}: {NOT_UTF8}")
    return sample


def sniff_format(sample: str, display: str, hint: str = "auto") -> InputFormat:
    """Tell CSV (and its delimiter), JSON array and JSON Lines apart from the start of the input."""
    head = sample.lstrip()
    if not head:
        raise InputError(f"{display}: is empty; expected a header row of question ids or texts")
    if hint in ("json", "jsonl"):
        return InputFormat(hint)
    if hint == "tsv":
        return InputFormat("csv", "\t")
    if hint == "auto" and head[0] in "[{":
        return InputFormat("json" if head[0] == "[" else "jsonl")
    return InputFormat("csv", sniff_delimiter(sample))


_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"sep=(.)\r?\n?$")


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sampled rows most consistently into the most columns."""
    first_line = sample.split("\n", 1)[0]
    declared = _SEP_LINE.match(first_line)
    if declared:
        return declared.group(1)
    best, best_score = ",", (-1.0, 0)
    for delimiter in _DELIMITERS:
        score = _split_score(sample, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_score(sample: str, delimiter: str) -> tuple[float, int]:
    import csv

    widths: list[int] = []
    records = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, skipinitialspace=True)
    try:
        for record in records:
            if any(cell.strip() for cell in record):
                widths.append(len(record))
            if len(widths) >= 50:
                break
    except csv.Error:
        pass  # judged on the rows before; the reader reports the bad row with its number
    if not widths or widths[0] < 2:
        return (0.0, 1)
    body = widths[1:-1] if len(widths) > 2 else widths[1:]  # the last sampled row may be cut
    consistent = sum(1 for width in body if width == widths[0]) / len(body) if body else 1.0
    return (consistent, widths[0])


# --------------------------------------------------------------------------- batches


class Batch:
    """An opened batch input: its format, matched header and rows, read lazily one at a time.

    ``error_columns`` are the columns of the errors file (the original columns for CSV, the
    id and every question id for JSON); each :class:`RejectedRow` has its cells in that order.
    ``rows_read`` counts the data rows seen so far (blank rows and notes rows are not data).
    ``client_check``, when given, says why a client id cannot be used (for ``--save``), or None;
    rows it objects to are rejected.
    """

    def __init__(
        self,
        rules: RuleBase,
        text_input: TextInput,
        fmt: InputFormat,
        sample: str,
        *,
        id_column: str | None = None,
        client_check: ClientCheck | None = None,
        warn: Warn | None = None,
    ) -> None:
        self.rules = rules
        self.client_check = client_check
        self.input = text_input
        self.format = fmt
        self.matcher = HeaderMatcher(rules)
        self.id_column = id_column
        self.warn: Warn = warn or (lambda message: None)
        self.rows_read = 0
        self.error_columns: tuple[str, ...] = ()
        if fmt.kind == "csv":
            self._source: _RowSource = _CsvSource(self, sample)
        else:
            self._source = _JsonSource(self, sample)

    @property
    def display(self) -> str:
        """The input's name for messages."""
        return self.input.display

    def rows(self) -> Iterator[BatchRow]:
        """Every data row, parsed or rejected, in input order."""
        return self._source.rows()


class _RowSource:
    def rows(self) -> Iterator[BatchRow]:
        """Every data row of the input, in order."""
        raise NotImplementedError


class _CsvSource(_RowSource):
    """CSV/TSV rows: the header is matched once, then each row is a list lookup per question."""

    def __init__(self, batch: Batch, sample: str) -> None:
        import csv

        self.batch = batch
        lines = _chain_lines(sample, batch.input.stream)
        if _SEP_LINE.match(sample.split("\n", 1)[0]):
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
            batch.warn(_unknown_columns_warning(batch.display, self.match.unknown, batch.rules.id))

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

    def rows(self) -> Iterator[BatchRow]:
        """Every data row after the header (and any notes rows right under it)."""
        import csv

        batch = self.batch
        parse = _CsvRowParser(self.header, self.match, batch.client_check)
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
            if value is _EMPTY:
                continue
            if value.__class__ is _Bad:
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




def _unknown_columns_warning(display: str, unknown: Sequence[str], rules_id: str) -> str:
    names = ", ".join(repr(name) for name in unknown[:8]) + (", ..." if len(unknown) > 8 else "")
    return (
        f"{display}: ignoring {len(unknown)} column(s) that name no question of {rules_id}: {names}"
    )


def _chain_lines(sample: str, stream: IO[str]) -> Iterator[str]:
    """The sampled lines, then the rest of the stream, as one line iterator."""
    return itertools.chain(io.StringIO(sample, newline=""), stream)


# --------------------------------------------------------------------------- JSON


class _JsonSource(_RowSource):
    """JSON array or JSON Lines records, decoded one object at a time from a bounded buffer."""

    def __init__(self, batch: Batch, sample: str) -> None:
        self.batch = batch
        self.decoder = json.JSONDecoder()
        self.buffer = sample
        self.pos = 0
        self.line = 1
        self.eof = False
        self.unknown: set[str] = set()
        self.known: dict[str, Question | None] = {}
        self.id_key_name = batch.id_column
        batch.error_columns = ("client", *(q.id for q in batch.rules.questions))

    def rows(self) -> Iterator[BatchRow]:
        """Every record, decoded one at a time."""
        in_array = self.batch.format.kind == "json"
        if in_array:
            self._expect("[")
        number = 0
        while (value := self._next_value(in_array, number)) is not _END:
            number += 1
            place = f"item {number}" if in_array else f"line {self.value_line}"
            self.batch.rows_read += 1
            if isinstance(value, _BadLine):
                yield self._bad_line_row(value)
                continue
            yield self._row(number if in_array else self.value_line, place, value)
        self._expect_end()

    def _bad_line_row(self, bad: _BadLine) -> RejectedRow:
        """A JSON Lines line that is not valid JSON: rejected alone, the other lines still count."""
        reason = f"line {bad.line}: not valid JSON ({bad.reason}); fix that line"
        return RejectedRow(bad.line, f"row {bad.line}", (reason,), ("",) * (len(self.batch.rules.questions) + 1))

    # -- decoding

    def _fill(self) -> bool:
        """Read more input into the buffer; False at the end of the input."""
        if self.eof:
            return False
        try:
            chunk = self.batch.input.stream.read(JSON_CHUNK_CHARS)
        except UnicodeDecodeError:
            raise InputError(f"{self.batch.display}, near line {self.line}: {NOT_UTF8}") from None
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos:] + chunk
        self.pos = 0
        return True

    def _skip_space(self) -> str:
        """Skip whitespace (counting lines); the next character, or '' at the end."""
        while True:
            match = _SPACE.match(self.buffer, self.pos)
            end = match.end() if match else self.pos
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def _expect(self, char: str) -> None:
        found = self._skip_space()
        if found != char:
            raise self._syntax(f"expected {char!r}")
        self.pos += 1

    def _next_value(self, in_array: bool, count: int) -> Any:
        found = self._skip_space()
        if in_array and found == "":
            raise self._syntax("the array is not closed with ']'")
        if in_array:
            if found == "]":
                self.pos += 1
                return _END
            if count:
                if found != ",":
                    raise self._syntax("expected ',' or ']' after an item")
                self.pos += 1
                found = self._skip_space()
        if found == "":
            if in_array:
                raise self._syntax("the array is not closed with ']'")
            return _END
        return self._decode()

    def _decode(self) -> Any:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._can_grow():
                    continue
                if self.batch.format.kind != "json":
                    return self._skip_line(exc.msg)
                if not self.buffer[exc.pos:].strip():
                    raise self._syntax("the file ends in the middle of a record; is it cut short?") from None
                raise self._syntax(f"not valid JSON ({exc.msg})", exc.pos) from None
            self.value_line = self.line
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end
            return value

    def _skip_line(self, reason: str) -> _BadLine:
        """Step over the rest of a JSON Lines line that does not decode."""
        while self.buffer.find("\n", self.pos) < 0 and self._can_grow():
            pass
        end = self.buffer.find("\n", self.pos)
        self.value_line = self.line
        self.pos = len(self.buffer) if end < 0 else end
        return _BadLine(self.value_line, reason)

    def _can_grow(self) -> bool:
        if len(self.buffer) - self.pos > MAX_JSON_RECORD_CHARS:
            raise self._syntax(f"a record is longer than {MAX_JSON_RECORD_CHARS} characters")
        return self._fill()

    def _expect_end(self) -> None:
        if self._skip_space() != "":
            raise self._syntax("unexpected text after the end of the data")

    def _syntax(self, what: str, at: int | None = None) -> InputError:
        line = self.line + (self.buffer.count("\n", self.pos, at) if at is not None else 0)
        return InputError(f"{self.batch.display}, line {line}: {what}; fix the file and try again")

    # -- records

    def _row(self, row: int, place: str, value: Any) -> BatchRow:
        questions = self.batch.rules.questions
        if not isinstance(value, dict):
            reason = f"{place}: expected an object of question and answer, not {type(value).__name__}"
            return RejectedRow(row, f"row {row}", (reason,), ("",) * (len(questions) + 1))
        record = _flatten_answers(value)
        client = self._client(record)
        answers, reasons, cells = self._parse_record(record, place)
        if not reasons and not answers:
            reasons.append(f"{place}: no answers to score; fill in at least one question")
        if not reasons and self.batch.client_check is not None:
            problem = self.batch.client_check(client)
            if problem:
                reasons.append(f"{place}, key {self.id_key_name or 'id'!r}: {problem}")
        if reasons:
            row_cells = (client, *(cells.get(q.id, "") for q in questions))
            return RejectedRow(row, client or f"row {row}", tuple(reasons), row_cells)
        return ParsedRow(row, client or f"row {row}", answers, bool(client))

    def _parse_record(
        self, record: Mapping[str, Any], place: str
    ) -> tuple[dict[str, Any], list[str], dict[str, str]]:
        answers: dict[str, Any] = {}
        reasons: list[str] = []
        cells: dict[str, str] = {}
        for key, raw in record.items():
            question = self._question(key)
            if question is None:
                continue
            cells[question.id] = _cell_text(raw)
            parsed = self.batch.matcher.parsers[question.id].parse_value(raw)
            if parsed.__class__ is _Bad:
                reasons.append(f"{place}, key {key!r}: {parsed.reason}")
            elif parsed is not _EMPTY:
                answers[question.id] = parsed
        return answers, reasons, cells

    def _question(self, key: str) -> Question | None:
        if key in self.known:
            return self.known[key]
        question = self.batch.matcher.question_for(key)
        if len(self.known) < KEY_CACHE_LIMIT:
            self.known[key] = question
        if question is None and key not in self.unknown and key != self.id_key_name:
            self._warn_unknown(key)
        return question

    def _warn_unknown(self, key: str) -> None:
        if len(self.unknown) < KEY_CACHE_LIMIT:
            self.unknown.add(key)
        if len(self.unknown) <= 20 and normalise_text(key) not in IGNORED_COLUMNS:
            self.batch.warn(_unknown_columns_warning(self.batch.display, [key], self.batch.rules.id))

    def _client(self, record: Mapping[str, Any]) -> str:
        if self.id_key_name is None or self.id_key_name not in record:
            self.id_key_name = _json_id_key(record, self.batch.id_column)
        raw = record.get(self.id_key_name) if self.id_key_name is not None else None
        return unneutralise(_cell_text(raw).strip())


_END = object()


@dataclass(frozen=True)
class _BadLine:
    """A JSON Lines line that could not be decoded."""

    line: int
    reason: str
_SPACE = re.compile(r"[ \t\r\n]+")


def _flatten_answers(record: dict[str, Any]) -> dict[str, Any]:
    """Allow ``{"client": ..., "answers": {...}}`` records as well as flat ones."""
    nested = record.get("answers")
    if isinstance(nested, dict):
        return {**{k: v for k, v in record.items() if k != "answers"}, **nested}
    return record


def _json_id_key(record: Mapping[str, Any], id_column: str | None) -> str | None:
    keys = list(record)
    if id_column is not None:
        wanted = normalise_text(id_column)
        return next((k for k in keys if normalise_text(k) == wanted), id_column)
    index = find_id_column(keys, None, "")
    return keys[index] if index is not None else None


def _cell_text(raw: object) -> str:
    """A JSON value as the text of a spreadsheet cell (for ids and the errors file)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, (list, tuple)):
        return "; ".join(_cell_text(item) for item in raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


# --------------------------------------------------------------------------- opening


@contextmanager
def open_batch(
    rules: RuleBase,
    source: str,
    *,
    id_column: str | None = None,
    input_format: str = "auto",
    client_check: ClientCheck | None = None,
    warn: Warn | None = None,
) -> Iterator[Batch]:
    """Open ``source`` (a path or ``-``), learn its format and header, and yield the batch."""
    with open_text(source) as text_input:
        sample = read_sample(text_input)
        fmt = sniff_format(sample, text_input.display, input_format)
        yield Batch(rules, text_input, fmt, sample, id_column=id_column, client_check=client_check, warn=warn)


# --------------------------------------------------------------------------- results


RECORD_SCHEMA = "gutcheck.batch-record/1"
TOP_SUGGESTIONS = 3
JSON_PIECES_LIMIT = 4096
# One encoder for every line: json.dumps with options would build a new one per call.
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


@dataclass(frozen=True)
class ClientSummary:
    """One client's line of a batch: the overall and factor levels, red flags, what to do first.

    ``factors`` holds ``(factor id, percent, level)`` in the rule base's factor order.
    """

    row: int
    client: str
    overall_percent: float | None
    overall_level: str | None
    factors: tuple[tuple[str, float | None, str | None], ...]
    red_flags: tuple[str, ...]
    top_factor: str | None
    top_suggestions: tuple[str, ...]

    @property
    def has_red_flags(self) -> bool:
        """True when the client reported an alarm symptom."""
        return bool(self.red_flags)


def summarise(assessment: Assessment, row: int) -> ClientSummary:
    """The summary line of a scored client."""
    top = assessment.top_factor()
    return ClientSummary(
        row=row,
        client=assessment.client or f"row {row}",
        overall_percent=assessment.overall.percent,
        overall_level=assessment.overall.level,
        factors=tuple((f.id, f.percent, f.level) for f in assessment.factors),
        red_flags=tuple(flag.id for flag in assessment.red_flags),
        top_factor=top.id if top is not None else None,
        top_suggestions=tuple(s.id for s in assessment.suggestions[:TOP_SUGGESTIONS]),
    )


class SummaryScorer:
    """Scores parsed rows straight to summaries with the engine's :class:`~gutcheck.engine.Scorer`.

    The scorer is made once per batch and only outlines each client's scores (no report is
    built), so the per-row path stays short; its factor results are remembered between clients.
    """

    def __init__(self, rules: RuleBase, *, taken_at: str) -> None:
        from gutcheck.engine import Scorer

        self.outline = Scorer(rules, detail=False).outline
        self.taken_at = taken_at

    def __call__(self, row: ParsedRow) -> ClientSummary:
        """The summary of one parsed row."""
        outline = self.outline(row.answers)
        overall = outline.overall
        top = outline.top_factor()
        return ClientSummary(
            row=row.row,
            client=row.client or f"row {row.row}",
            overall_percent=overall.percent,
            overall_level=overall.level,
            factors=tuple([(o.result.id, o.result.percent, o.result.level) for o in outline.factors]),
            red_flags=tuple([flag.id for flag in outline.red_flags]),
            top_factor=top.id if top is not None else None,
            top_suggestions=tuple([s.id for s in outline.suggestions(TOP_SUGGESTIONS)]),
        )


class RecordMaker:
    """The one definition of a batch output record, shared by the JSON, JSON Lines and CSV outputs.

    Fields, in this order: schema, client, row, rules (id, version), red_flag, red_flags,
    overall (percent, level), top_factor, top_suggestions, factors (id -> percent, level).
    CSV flattens nested fields into dotted column names and drops the schema.
    :meth:`json_line` and :meth:`cells` write the same record without building it, from
    pieces encoded once; they give exactly what :meth:`record` encoded or flattened gives.
    """

    def __init__(self, rules: RuleBase) -> None:
        self.rules_info = {"id": rules.id, "version": rules.version}
        self.factor_ids = tuple(f.id for f in rules.factors)
        self.pieces = JsonPieces()
        self._head = f'{{"schema":{self.pieces.text(RECORD_SCHEMA)},"client":'
        self._rules = f',"rules":{_LINE_ENCODER.encode(self.rules_info)},"red_flag":'

    def record(self, summary: ClientSummary) -> dict[str, Any]:
        """The record of one client, as plain JSON-ready data."""
        return {
            "schema": RECORD_SCHEMA,
            "client": summary.client,
            "row": summary.row,
            "rules": self.rules_info,
            "red_flag": summary.has_red_flags,
            "red_flags": list(summary.red_flags),
            "overall": {"percent": summary.overall_percent, "level": summary.overall_level},
            "top_factor": summary.top_factor,
            "top_suggestions": list(summary.top_suggestions),
            "factors": {fid: {"percent": pct, "level": lvl} for fid, pct, lvl in summary.factors},
        }

    def json_line(self, summary: ClientSummary) -> str:
        """The record as one line of JSON (JSON Lines), with its newline."""
        pieces = self.pieces
        return (
            f"{self._head}{_LINE_ENCODER.encode(summary.client)},\"row\":{pieces.number(summary.row)}"
            f"{self._rules}{'true' if summary.red_flags else 'false'},"
            f"\"red_flags\":{pieces.texts(summary.red_flags)},"
            f"\"overall\":{{\"percent\":{pieces.number(summary.overall_percent)},"
            f"\"level\":{pieces.text(summary.overall_level)}}},"
            f"\"top_factor\":{pieces.text(summary.top_factor)},"
            f"\"top_suggestions\":{pieces.texts(summary.top_suggestions)},"
            f"\"factors\":{{{pieces.factors(summary.factors)}}}}}\n"
        )

    def empty_summary(self) -> ClientSummary:
        """A summary with every field empty: its record has every column of the output."""
        return ClientSummary(0, "", None, None, tuple((f, None, None) for f in self.factor_ids), (), None, ())

    def columns(self) -> tuple[str, ...]:
        """The CSV column names: the record's fields flattened, without the schema."""
        return tuple(name for name, _ in flatten(self.record(self.empty_summary())))

    def cells(self, summary: ClientSummary) -> list[object]:
        """The CSV cells of one client, in the order of :meth:`columns`."""
        cells: list[object] = [
            summary.client, summary.row, self.rules_info["id"], self.rules_info["version"],
            summary.has_red_flags, list(summary.red_flags), summary.overall_percent,
            summary.overall_level, summary.top_factor, list(summary.top_suggestions),
        ]
        for _, percent, level in summary.factors:
            cells.append(percent)
            cells.append(level)
        return cells


class JsonPieces:
    """JSON text of the values of batch records, each piece encoded once and then remembered.

    Every piece is exactly what the record encoder writes for that value; the memories are
    bounded, and values that equal others but encode differently (``0.0`` and ``-0.0``, ``1``
    and ``1.0``) are never taken from them.
    """

    def __init__(self) -> None:
        self._texts: dict[str | None, str] = {None: "null"}
        self._lists: dict[tuple[str, ...], str] = {(): "[]"}
        self._factors: dict[tuple[str, float | None, str | None], str] = {}

    def text(self, value: str | None) -> str:
        """A string (an id or a level: few distinct ones) or null."""
        found = self._texts.get(value)
        if found is None:
            found = _LINE_ENCODER.encode(value)
            _remember(self._texts, value, found)
        return found

    def number(self, value: float | None) -> str:
        """A number or null, as the encoder writes it (a finite float or an int is its ``repr``)."""
        kind = value.__class__
        if kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
            return repr(value)
        return _LINE_ENCODER.encode(value)

    def texts(self, values: tuple[str, ...]) -> str:
        """A list of strings (ids)."""
        found = self._lists.get(values)
        if found is None:
            found = _LINE_ENCODER.encode(list(values))
            _remember(self._lists, values, found)
        return found

    def factors(self, factors: tuple[tuple[str, float | None, str | None], ...]) -> str:
        """The members of the ``factors`` object (without braces): id -> percent and level.

        The ids are distinct, as a rule base's factor ids are.
        """
        remembered, copysign = self._factors, math.copysign
        return ",".join([
            remembered.get(item) or self._factor(item)
            if item[1] is None or (item[1].__class__ is float and copysign(1.0, item[1]) > 0.0)
            else self._factor(item)
            for item in factors
        ])

    def _factor(self, item: tuple[str, float | None, str | None]) -> str:
        fid, percent, level = item
        piece = f'{self.text(fid)}:{{"percent":{self.number(percent)},"level":{self.text(level)}}}'
        if percent is None or (percent.__class__ is float and math.copysign(1.0, percent) > 0.0):
            _remember(self._factors, item, piece)
        return piece


def _remember(memory: dict[Any, str], key: Any, piece: str) -> None:
    if len(memory) < JSON_PIECES_LIMIT:
        memory[key] = piece


def flatten(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested fields as ``(dotted.name, value)`` pairs in record order, the schema left out."""
    for key, value in record.items():
        if key == "schema":
            continue
        if isinstance(value, dict):
            yield from flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


# --------------------------------------------------------------------------- one person


def read_one_row(
    rules: RuleBase, text: str, display: str, *, warn: Warn | None = None
) -> tuple[dict[str, Any], str | None]:
    """The parsed answers (and client id, if any) of a table holding exactly one person.

    For ``gutcheck score`` given a one-row CSV/TSV, a one-item JSON array or one JSON line.
    """
    from gutcheck.errors import Problem

    text_input = TextInput(io.StringIO(text, newline=""), display)
    sample = read_sample(text_input)
    batch = Batch(rules, text_input, sniff_format(sample, display), sample, warn=warn)
    rows = batch.rows()
    first = next(rows, None)
    if first is None:
        raise InputError(f"{display}: has a header but no row of answers; add one row")
    if next(rows, None) is not None:
        raise InputError(f"{display}: holds more than one person's answers; "
                         "use `gutcheck batch` to score many people")
    if isinstance(first, RejectedRow):
        problems = tuple(Problem("", reason) for reason in first.reasons)
        raise InputError(f"{display}: the answers do not fit the rule base {rules.id}", problems)
    return first.answers, first.client if first.named else None
