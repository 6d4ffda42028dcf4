"""FHIR QuestionnaireResponses as batch rows: a Bundle, a JSON array, or NDJSON (one resource a line).

Each response is one row: its answers are read by linkId (:mod:`gutcheck.interop.response`) and
parsed through the one answer path, so it scores as the same answers in any other file would.
A response that cannot be scored is rejected alone, with its place (``entry 3``, ``response 2``,
``line 5``) and every reason; resources other than responses (a Patient, Observations) are
skipped with one warning. NDJSON is read a line at a time; a Bundle or an array is read whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from gutcheck.batch.columns import missing_questions
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.opened import RowSource
from gutcheck.batch.rows import NOT_UTF8, BatchRow, LeftOutRow, ParsedRow, RejectedRow, RowCells
from gutcheck.errors import InputError
from gutcheck.schema import json_type

if TYPE_CHECKING:
    from gutcheck.batch.opened import Batch

Found = tuple[int, str, Any]
"""A resource found in the input: its row number, its place in words, and the resource."""


class FhirSource(RowSource):
    """QuestionnaireResponses from a Bundle, a JSON array or NDJSON."""

    def __init__(self, batch: Batch, sample: str) -> None:
        self.batch = batch
        self.sample = sample
        self.skipped: dict[str, int] = {}
        batch.error_columns = ("client", *(q.id for q in batch.rules.questions))

    def rows(self, summaries: bool = False) -> Iterator[BatchRow]:
        """Every response, scored or rejected, in input order."""
        for number, place, resource in self._found():
            self.batch.rows_read += 1
            yield self._row(number, place, resource)
        self._skipped()

    def cells(self) -> Iterator[RowCells]:
        """The client and answered questions of every response, numbered as :meth:`rows` numbers them."""
        from gutcheck.interop.response import is_response, read_response

        for number, _, resource in self._found():
            if is_response(resource):
                found = read_response(self.batch.rules, resource)
                yield RowCells(number, found.client, "", tuple(found.answers))
            else:
                yield RowCells(number, "")
        self._skipped()

    def key_match(self, keys: list[str]) -> HeaderMatch:
        """The questions the responses answer (their items, by linkId) and those no response
        answers (follow-up questions aside: they may be hidden for everyone); no client or time
        item, as each response names its client itself."""
        rules, parsers = self.batch.rules, self.batch.matcher.parsers
        missing = tuple(m for m in missing_questions(rules, set(keys), ()) if m.question.show_if is None)
        columns = tuple((index, parsers[key]) for index, key in enumerate(keys) if key in parsers)
        return HeaderMatch(columns, None, (), missing=missing, names=tuple(keys))

    def _found(self) -> Iterator[Found]:
        head = self.sample.lstrip()
        if head.startswith("["):
            return self._array()
        if _whole_line(head):
            return self._lines()
        return self._document()

    def _skipped(self) -> None:
        if self.skipped:
            kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.skipped.items()))
            self.batch.warn(f"{self.batch.display}: skipped resources that are not QuestionnaireResponses ({kinds})")

    # -- finding the responses

    def _document(self) -> Iterator[Found]:
        data = self._load_whole()
        if isinstance(data, Mapping) and data.get("resourceType") == "Bundle":
            yield from self._entries(data, 0, "")
        else:
            yield from self._resource(1, "the response", data)

    def _array(self) -> Iterator[Found]:
        data = self._load_whole()
        for index, item in enumerate(data if isinstance(data, list) else [data], start=1):
            yield from self._resource(index, f"response {index}", item)

    def _lines(self) -> Iterator[Found]:
        for number, line in enumerate(self._text_lines(), start=1):
            if not line.strip():
                continue
            try:
                resource = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"line {number}", _BadJson(exc.msg)
                continue
            yield from self._resource(number, f"line {number}", resource)

    def _resource(self, number: int, place: str, resource: Any) -> Iterator[Found]:
        if isinstance(resource, Mapping) and resource.get("resourceType") == "Bundle":
            yield from self._entries(resource, number, f"{place}, ")
        elif isinstance(resource, Mapping) and resource.get("resourceType") not in (None, "QuestionnaireResponse"):
            kind = str(resource.get("resourceType"))
            self.skipped[kind] = self.skipped.get(kind, 0) + 1
        else:
            yield number, place, resource

    def _entries(self, bundle: Mapping[str, Any], number: int, prefix: str) -> Iterator[Found]:
        entries = bundle.get("entry") or []
        for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            inner = entry.get("resource") if isinstance(entry, Mapping) else None
            yield from self._resource(number or index, f"{prefix}entry {index}", inner)

    def _load_whole(self) -> Any:
        text = "".join(self._text_lines())
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{self.batch.display}, line {exc.lineno}: not valid JSON ({exc.msg}); "
                             "fix the file and try again") from None

    def _text_lines(self) -> Iterator[str]:
        yield from self.sample.splitlines(keepends=True)
        try:
            yield from self.batch.input.stream
        except UnicodeDecodeError:
            raise InputError(f"{self.batch.display}: {NOT_UTF8}") from None

    # -- one response

    def _row(self, number: int, place: str, resource: Any) -> BatchRow:
        from gutcheck.interop.response import is_response, located, parse_response, read_response

        empty = ("",) * len(self.batch.error_columns)
        if isinstance(resource, _BadJson):
            reason = f"{place}: not valid JSON ({resource.reason}); fix that line"
            return RejectedRow(number, f"row {number}", (reason,), empty)
        if not is_response(resource):
            reason = f"{place}: expected a QuestionnaireResponse, not {_kind(resource)}"
            return RejectedRow(number, f"row {number}", (reason,), empty)
        rules = self.batch.rules
        found = read_response(rules, resource)
        parsed, problems = parse_response(rules, found)
        reasons = [located(place, problem) for problem in problems]
        if not reasons and not parsed:
            reasons.append(f"{place}: no answers to score; fill in at least one question")
        if not reasons and self.batch.client_check is not None:
            problem = self.batch.client_check(found.client)
            if problem:
                reasons.append(f"{place}: {problem}")
        client = found.client or f"row {number}"
        if reasons or number in self.batch.plan:
            cells = (found.client, *(found.texts.get(q.id, "") for q in rules.questions))
            flags = tuple(rf.question.id for rf in rules.red_flags if parsed.get(rf.question.id) is True)
            return _planned(number, place, client, self.batch.plan[number], cells, flags=flags) if not reasons else (
                RejectedRow(number, client, tuple(reasons), cells))
        return ParsedRow(number, client, parsed, bool(found.client), taken_at=found.authored)


def _planned(
    number: int, place: str, client: str, reason: str | None, cells: tuple[str, ...], *, flags: tuple[str, ...]
) -> BatchRow:
    """A response of a client who appears more than once: left out, or rejected, as planned."""
    if reason is None:
        return LeftOutRow(number, client, flags)
    return RejectedRow(number, client, (f"{place}: {reason}",), cells)


class _BadJson:
    """An NDJSON line that is not valid JSON."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _whole_line(head: str) -> bool:
    """True when the first line is a whole JSON value (NDJSON), not the start of a longer document."""
    first = head.split("\n", 1)[0]
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return "\n" in head.strip()


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a resource without resourceType"
    return f"a JSON {json_type(value)}"
