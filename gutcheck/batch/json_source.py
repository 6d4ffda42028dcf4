"""JSON arrays and JSON Lines read one record at a time; a bad line is rejected alone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gutcheck.answers.parse import normalise_text
from gutcheck.errors import InputError
from gutcheck.rulebook.model import Question

if TYPE_CHECKING:
    from gutcheck.batch.opened import Batch
from gutcheck.batch.cells import EMPTY, BadCell
from gutcheck.batch.columns import ClientColumn, missing_questions
from gutcheck.batch.dates import BadDate, FormDates, find_time_column
from gutcheck.batch.header import HeaderMatch, find_id_column
from gutcheck.batch.lines import has_bad_bytes
from gutcheck.batch.opened import RowSource, unknown_columns_warning
from gutcheck.batch.rows import (
    IGNORED_COLUMNS,
    JSON_CHUNK_CHARS,
    KEY_CACHE_LIMIT,
    MAX_JSON_RECORD_CHARS,
    NOT_UTF8,
    NOT_UTF8_CELL,
    BatchRow,
    LeftOutRow,
    ParsedRow,
    RejectedRow,
    RowCells,
)
from gutcheck.files.formulas import unneutralise

# --------------------------------------------------------------------------- JSON


_END = object()
_SPACE = re.compile(r"[ \t\r\n]+")


class JsonSource(RowSource):
    """JSON array or JSON Lines records, decoded one object at a time from a bounded buffer."""

    def __init__(self, batch: Batch, sample: str) -> None:
        self.batch = batch
        self.decoder = json.JSONDecoder(object_pairs_hook=self._object)
        self.duplicate: str | None = None  # a key given twice in the record being decoded
        self.buffer = sample
        self.pos = 0
        self.line = 1
        self.eof = False
        self.unknown: set[str] = set()
        self.known: dict[str, Question | None] = {}
        self.id_key_name = batch.id_column
        self.time_key_name: str | None = None
        batch.error_columns = ("client", *(q.id for q in batch.rules.questions))

    def rows(self, summaries: bool = False) -> Iterator[BatchRow]:
        """Every record, decoded one at a time."""
        for row, place, value in self._records():
            self.batch.rows_read += 1
            if isinstance(value, _BadLine):
                yield RejectedRow(row, f"row {row}", (f"{place}: {value.reason}",), ())
            elif row in self.batch.plan and isinstance(value, dict):
                yield self._planned(row, place, _flatten_answers(value))
            else:
                yield self._row(row, place, value)

    def cells(self) -> Iterator[RowCells]:
        """The client, time and keys of every record, numbered as :meth:`rows` numbers them."""
        for row, _, value in self._records():
            if isinstance(value, dict):
                record = _flatten_answers(value)
                yield RowCells(row, self._client(record), self._time_text(record), tuple(map(str, record)))
            else:
                yield RowCells(row, "")

    def _records(self) -> Iterator[tuple[int, str, Any]]:
        """Each record's row number, place in words, and decoded value (or :class:`_BadLine`)."""
        in_array = self.batch.format.kind == "json"
        if in_array:
            self._expect("[")
        number = 0
        while (value := self._next_value(in_array, number)) is not _END:
            number += 1
            place = f"item {number}" if in_array else f"line {self.value_line}"
            yield (number if in_array else self.value_line), place, value
        self._expect_end()

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

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """A decoded JSON object; a key given twice is remembered, so the record is rejected."""
        result = dict(pairs)
        if len(result) != len(pairs) and self.duplicate is None:
            self.duplicate = _first_repeated(key for key, _ in pairs)
        return result

    def _decode(self) -> Any:
        while True:
            self.duplicate = None
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                if self.batch.format.kind != "json":
                    return self._skip_line("is nested too deeply to be a record")
                raise self._syntax("a record is nested too deeply to be read") from None
            except json.JSONDecodeError as exc:
                if self._can_grow():
                    continue
                if self.batch.format.kind != "json":
                    return self._skip_line(self._line_problem(exc.msg))
                if not self.buffer[exc.pos:].strip():
                    raise self._syntax("the file ends in the middle of a record; is it cut short?") from None
                raise self._syntax(f"not valid JSON ({exc.msg})", exc.pos) from None
            self.value_line = self.line
            bad_bytes = has_bad_bytes(self.buffer[self.pos:end])
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end
            if self.duplicate is not None:
                return _BadLine(self.value_line, f"key {self.duplicate!r} is given twice; keep one of them")
            return _BadLine(self.value_line, NOT_UTF8_CELL) if bad_bytes else value

    def _skip_line(self, reason: str) -> _BadLine:
        """Step over the rest of a JSON Lines line that does not decode (never holding more
        than a chunk of it), so that line alone is rejected."""
        self.value_line = self.line
        while (end := self.buffer.find("\n", self.pos)) < 0:
            self.pos = len(self.buffer)
            if not self._fill():
                break
        self.pos = len(self.buffer) if end < 0 else end
        return _BadLine(self.value_line, f"{reason}; fix that line")

    def _can_grow(self) -> bool:
        if len(self.buffer) - self.pos > MAX_JSON_RECORD_CHARS:
            if self.batch.format.kind != "json":
                return False  # a JSON Lines line this long is rejected alone
            raise self._syntax(f"a record is longer than {MAX_JSON_RECORD_CHARS} characters")
        return self._fill()

    def _line_problem(self, message: str) -> str:
        if len(self.buffer) - self.pos > MAX_JSON_RECORD_CHARS:
            return f"is longer than {MAX_JSON_RECORD_CHARS} characters, too long for one record"
        return f"not valid JSON ({message})"

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
        taken_at = self._date(record, place, reasons)
        if not reasons and not answers:
            reasons.append(f"{place}: no answers to score; fill in at least one question")
        if not reasons and self.batch.client_check is not None:
            problem = self.batch.client_check(client)
            if problem:
                reasons.append(f"{place}, key {self.id_key_name or 'id'!r}: {problem}")
        if reasons:
            row_cells = (client, *(cells.get(q.id, "") for q in questions))
            return RejectedRow(row, client or f"row {row}", tuple(reasons), row_cells)
        if taken_at is None and self.batch.dates is not None:
            self.batch.undated.add(row)
        return ParsedRow(row, client or f"row {row}", answers, bool(client), taken_at)

    def _planned(self, row: int, place: str, record: Mapping[str, Any]) -> BatchRow:
        """A record of a client who appears more than once: left out, or rejected, as planned."""
        client, reason = self._client(record), self.batch.plan[row]
        if reason is None:
            return LeftOutRow(row, client or f"row {row}", self._flags(record))
        cells = (client, *(_cell_text(record.get(q.id, "")) for q in self.batch.rules.questions))
        return RejectedRow(row, client or f"row {row}", (f"{place}: {reason}",), cells)

    def _flags(self, record: Mapping[str, Any]) -> tuple[str, ...]:
        """The red flags a record answers yes to."""
        flags = {rf.question.id for rf in self.batch.rules.red_flags}
        found = []
        for key, raw in record.items():
            question = self._question(key, warn=False)
            parse = self.batch.matcher.parsers[question.id].parse_value if question is not None else None
            if question is not None and question.id in flags and parse is not None and parse(raw) is True:
                found.append(question.id)
        return tuple(found)

    def key_match(self, keys: list[str]) -> HeaderMatch:
        """What the keys of every record mean, as a header match: questions, the client and
        time keys, keys no question uses, and the questions no record answers (a follow-up
        question only when a key seems to be meant for it: it may be hidden for everyone)."""
        matcher, questions = self.batch.matcher, dict[int, Question]()
        for index, key in enumerate(keys):
            question = matcher.question_for(key)
            if question is not None and question.id not in {q.id for q in questions.values()}:
                questions[index] = question
        id_index = keys.index(self.id_key_name) if self.id_key_name in keys else None
        time_index = keys.index(self.time_key_name) if self.time_key_name in keys else None
        used = set(questions) | {id_index, time_index}
        unknown = tuple(key for index, key in enumerate(keys)
                        if index not in used and normalise_text(key) not in IGNORED_COLUMNS)
        answered = {q.id for q in questions.values()}
        missing = tuple(m for m in missing_questions(self.batch.rules, answered, unknown)
                        if m.question.show_if is None or m.guess is not None)
        columns = tuple((index, matcher.parsers[q.id]) for index, q in questions.items())
        return HeaderMatch(columns, id_index, unknown, time_index, ClientColumn(id_index), missing, tuple(keys))

    def _time_text(self, record: Mapping[str, Any]) -> str:
        """The text of the record's time key ('' when it has none)."""
        if not self.batch.options.roles:
            return ""
        if self.time_key_name is None or self.time_key_name not in record:
            keys = [key if self._question(key, warn=False) is None else "" for key in record]
            index = find_time_column(keys, self.batch.options.time_column)
            self.time_key_name = list(record)[index] if index is not None else None
        if self.time_key_name is None:
            return ""
        if self.batch.dates is None:
            self.batch.dates = FormDates(self.time_key_name)
        return _cell_text(record.get(self.time_key_name)).strip()

    def _date(self, record: Mapping[str, Any], place: str, reasons: list[str]) -> str | None:
        """When the form was sent, from the record's time key (None: no such key, or empty)."""
        text = self._time_text(record)
        if not text or self.batch.dates is None:
            return None
        try:
            return self.batch.dates(text)
        except BadDate as exc:
            reasons.append(f"{place}, key {self.time_key_name!r}: {exc}; correct it, or leave it empty to "
                           "date the record by this run")
            return None

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
            if parsed.__class__ is BadCell:
                reasons.append(f"{place}, key {key!r}: {parsed.reason}")
            elif parsed is not EMPTY:
                answers[question.id] = parsed
        return answers, reasons, cells

    def _question(self, key: str, warn: bool = True) -> Question | None:
        if key in self.known:
            return self.known[key]
        question = self.batch.matcher.question_for(key)
        if len(self.known) < KEY_CACHE_LIMIT:
            self.known[key] = question
        quiet = not warn or self.batch.header_match is not None  # a survey named the keys already
        if question is None and key not in self.unknown and key != self.id_key_name and not quiet:
            self._warn_unknown(key)
        return question

    def _warn_unknown(self, key: str) -> None:
        if len(self.unknown) < KEY_CACHE_LIMIT:
            self.unknown.add(key)
        if len(self.unknown) <= 20 and normalise_text(key) not in IGNORED_COLUMNS:
            self.batch.warn(unknown_columns_warning(self.batch.display, [key], self.batch.rules.id))

    def _client(self, record: Mapping[str, Any]) -> str:
        if self.id_key_name is None or self.id_key_name not in record:
            self.id_key_name = _json_id_key(record, self.batch.id_column)
        raw = record.get(self.id_key_name) if self.id_key_name is not None else None
        return unneutralise(_cell_text(raw).strip())


@dataclass(frozen=True)
class _BadLine:
    """A JSON Lines line that could not be decoded."""

    line: int
    reason: str  # what is wrong, after "line N: " or "item N: "


def _first_repeated(keys: Iterator[str]) -> str | None:
    """The first key that comes a second time."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return None


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
    index = find_id_column(keys, None, "", lambda i: [_cell_text(record[keys[i]])])
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
