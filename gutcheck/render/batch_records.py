"""The batch output record, written as JSON, JSON Lines or CSV cells from pieces encoded once."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from gutcheck.batch.summary import NONE, RECORD_SCHEMA, UNANSWERED, ClientSummary
from gutcheck.engine.urgency import tier
from gutcheck.rulebook.model import RuleBase

JSON_PIECES_LIMIT = 4096


# One encoder for every line: json.dumps with options would build a new one per call.
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
# What that encoder does with a string, without its checks of the value's type: a JSON string
_encode_text: Callable[[str], str] = json.encoder.encode_basestring


class RecordMaker:
    """The one definition of a batch output record, shared by the JSON, JSON Lines and CSV outputs.

    Fields, in this order: schema, client, row, rules (id, version), red_flag (the client's
    triage: status ``alarm``, ``risk``, ``unanswered`` or ``none``, and the most urgent red
    flag's id, urgency and time frame in words), red_flags (ids, most urgent first),
    unanswered_safety (safety questions left blank), overall (percent, level), top_factor,
    top_suggestions, factors (id -> percent, level), ignored_answers (ids of questions answered
    although an earlier answer hides them).
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
            "red_flag": triage_fields(summary.red_flags, summary.safety_blank),
            "red_flags": list(summary.flag_ids),
            "unanswered_safety": list(summary.safety_blank),
            "overall": {"percent": summary.overall_percent, "level": summary.overall_level},
            "top_factor": summary.top_factor,
            "top_suggestions": list(summary.top_suggestions),
            "factors": {fid: {"percent": pct, "level": lvl} for fid, pct, lvl in summary.factors},
            "ignored_answers": list(summary.ignored_answers),
        }

    def json_line(self, summary: ClientSummary) -> str:
        """The record as one line of JSON (JSON Lines), with its newline.

        One line is written per client, so each piece is one plain dictionary lookup of what was
        encoded before. A summary holding a piece not remembered yet, or a number only remembered
        in its usual form (a whole row number and a non-zero float percent, as the scorer gives
        them), is written piece by piece instead, remembering what it can.
        """
        row, client, percent, level, factors, flags, top, tops, ignored, blank = summary
        pieces = self.pieces
        if row.__class__ is int and percent.__class__ is float and percent:
            try:
                return (f'{self._head}{_encode_text(client)},"row":{row}{self._rules}'
                        f'{pieces.safety_pieces[flags, blank]},"overall":{pieces.overalls[percent, level]},'
                        f'"top_factor":{pieces.texts_by_value[top]},"top_suggestions":{pieces.lists[tops]},'
                        f'"factors":{{{pieces.factors(factors)}}},"ignored_answers":{pieces.lists[ignored]}}}\n')
            except KeyError:  # a piece not remembered yet
                pass
        return (
            f"{self._head}{_encode_text(client)},\"row\":{pieces.number(row)}{self._rules}"
            f"{pieces.safety(flags, blank)},\"overall\":{pieces.overall(percent, level)},"
            f"\"top_factor\":{pieces.text(top)},\"top_suggestions\":{pieces.texts(tops)},"
            f"\"factors\":{{{pieces.factors(factors)}}},\"ignored_answers\":{pieces.texts(ignored)}}}\n"
        )

    # What writes many lines calls this name.
    line = json_line

    def empty_summary(self) -> ClientSummary:
        """A summary with every field empty: its record has every column of the output."""
        return ClientSummary(0, "", None, None, tuple((f, None, None) for f in self.factor_ids), (), None, (), (), ())

    def columns(self) -> tuple[str, ...]:
        """The CSV column names: the record's fields flattened, without the schema."""
        return tuple(name for name, _ in flatten(self.record(self.empty_summary())))

    def cells(self, summary: ClientSummary) -> list[object]:
        """The CSV cells of one client, in the order of :meth:`columns`."""
        cells: list[object] = [
            summary.client, summary.row, self.rules_info["id"], self.rules_info["version"],
            *triage_fields(summary.red_flags, summary.safety_blank).values(), list(summary.flag_ids),
            list(summary.safety_blank), summary.overall_percent, summary.overall_level, summary.top_factor,
            list(summary.top_suggestions),
        ]
        for _, percent, level in summary.factors:
            cells.append(percent)
            cells.append(level)
        cells.append(list(summary.ignored_answers))
        return cells


Triple = tuple[str, float | None, str | None]


class JsonPieces:
    """JSON text of the values of batch records, each piece encoded once and then remembered.

    Every piece is exactly what the record encoder writes for that value. The memories are
    bounded, and a percent's piece is only remembered when no value that encodes differently
    can equal it (see :func:`_rememberable`).
    """

    def __init__(self) -> None:
        self.texts_by_value: dict[str | None, str] = {None: "null"}
        self.lists: dict[tuple[str, ...], str] = {(): "[]"}
        self.safety_pieces: dict[tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]], str] = {}
        self.overalls: dict[tuple[float | None, str | None], str] = {}
        self._factors: dict[Triple, tuple[Triple, str]] = {}  # a factor's triple: that triple, and its piece

    def text(self, value: str | None) -> str:
        """A string (an id or a level: few distinct ones) or null."""
        found = self.texts_by_value.get(value)
        if found is None:
            found = _LINE_ENCODER.encode(value)
            _remember(self.texts_by_value, value, found)
        return found

    def number(self, value: float | None) -> str:
        """A number or null, as the encoder writes it (a finite float or an int is its ``repr``)."""
        kind = value.__class__
        if kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
            return repr(value)
        return _LINE_ENCODER.encode(value)

    def texts(self, values: tuple[str, ...]) -> str:
        """A list of strings (ids)."""
        found = self.lists.get(values)
        if found is None:
            found = _LINE_ENCODER.encode(list(values))
            _remember(self.lists, values, found)
        return found

    def safety(self, flags: tuple[tuple[str, str, str], ...], blank: tuple[str, ...]) -> str:
        """The ``red_flag``, ``red_flags`` and ``unanswered_safety`` members (after ``"red_flag":``)."""
        key = (flags, blank)
        found = self.safety_pieces.get(key)
        if found is None:
            found = (f'{_LINE_ENCODER.encode(triage_fields(flags, blank))},"red_flags":'
                     f'{self.texts(tuple(flag_id for flag_id, _, _ in flags))},"unanswered_safety":{self.texts(blank)}')
            _remember(self.safety_pieces, key, found)
        return found

    def overall(self, percent: float | None, level: str | None) -> str:
        """The ``overall`` object."""
        key = (percent, level)
        found = self.overalls.get(key) if _rememberable(percent) else None
        if found is None:
            found = f'{{"percent":{self.number(percent)},"level":{self.text(level)}}}'
            if _rememberable(percent):
                _remember(self.overalls, key, found)
        return found

    def factors(self, factors: tuple[Triple, ...]) -> str:
        """The members of the ``factors`` object (without braces): id -> percent and level.

        The ids are distinct, as a rule base's factor ids are. A factor's piece is found by its
        (id, percent, level), and used as it is when the triple found is the very one given (the
        scorer hands out one triple per factor result), which proves it is written alike
        (``0.0 == -0.0`` and ``50 == 50.0``, but each is written its own way); else it is made.
        """
        known, pieces = self._factors, []
        for item in factors:
            found = known.get(item)
            pieces.append(found[1] if found is not None and found[0] is item else self._factor(item))
        return ",".join(pieces)

    def _factor(self, item: Triple) -> str:
        fid, percent, level = item
        piece = f'{self.text(fid)}:{{"percent":{self.number(percent)},"level":{self.text(level)}}}'
        if _rememberable(percent) and len(self._factors) < JSON_PIECES_LIMIT:
            self._factors[item] = (item, piece)
        return piece


def triage_fields(flags: tuple[tuple[str, str, str], ...], blank: tuple[str, ...]) -> dict[str, str | None]:
    """A client's triage as record fields: status (the most urgent red flag's kind,
    ``unanswered`` for a safety question left blank, else ``none``: never "no" for a blank),
    and the most urgent flag's id, urgency and time frame in words."""
    if not flags:
        return {"status": UNANSWERED if blank else NONE, "id": None, "urgency": None, "time_frame": None}
    flag_id, kind, urgency = flags[0]
    return {"status": kind, "id": flag_id, "urgency": urgency, "time_frame": tier(urgency).time_frame}


def _rememberable(percent: object) -> bool:
    """True for a percent no value of another encoding equals: None, or a float other than -0.0
    (``0.0 == -0.0`` and ``50 == 50.0``, but each is written its own way)."""
    if percent.__class__ is float:
        return bool(percent) or math.copysign(1.0, percent) > 0.0
    return percent is None


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
