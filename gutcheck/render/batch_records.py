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
        # json_line, written out for this rule base: what writes many lines calls it directly
        self.line: Callable[[ClientSummary], str] = self._quick_line()

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
        """The record as one line of JSON (JSON Lines), with its newline."""
        return self.line(summary)

    def _general_line(self, summary: ClientSummary) -> str:
        """:meth:`json_line` for any summary, from pieces remembered or encoded here."""
        row, client, percent, level, factors, flags, top, suggestions, ignored, blank = summary
        pieces = self.pieces
        return (
            f"{self._head}{_encode_text(client)},\"row\":{pieces.number(row)}{self._rules}"
            f"{pieces.safety(flags, blank)},\"overall\":{pieces.overall(percent, level)},"
            f"\"top_factor\":{pieces.text(top)},\"top_suggestions\":{pieces.texts(suggestions)},"
            f"\"factors\":{{{pieces.factors(factors)}}},\"ignored_answers\":{pieces.texts(ignored)}}}\n"
        )

    def _quick_line(self) -> Callable[[ClientSummary], str]:
        """:meth:`json_line` written out for this rule base's number of factors.

        One line is written per client: every piece is one plain dictionary lookup (the
        factors' by the identity of their result tuples, see :meth:`JsonPieces.factors`), and
        a summary with anything not remembered yet takes :meth:`_general_line`. The source
        holds no value from the rule base, only names made here from the factor count.
        """
        names = [f"t{k}" for k in range(len(self.factor_ids))]
        members = ",".join(f"{{P[id({name})]}}" for name in names)
        text = ("f'{HEAD}{encode(client)},\"row\":{row}{RULES}{SAFETY[flags, blank]},"
                "\"overall\":{OVERALL[percent, level]},"
                "\"top_factor\":{TEXTS[top]},\"top_suggestions\":{LISTS[tops]},\"factors\":{{" + members
                + "}},\"ignored_answers\":{LISTS[hid]}}}\\n'")
        source = (
            "def line(summary):\n"
            f"    row, client, percent, level, ({''.join(name + ', ' for name in names)}), flags, top, tops, hid,"
            " blank = summary\n"
            "    if row.__class__ is not int or percent.__class__ is not float or not percent:\n"
            "        return general(summary)\n"  # a number not remembered in this form
            "    try:\n"
            f"        return {text}\n"
            "    except KeyError:\n"  # a piece not remembered yet
            "        return general(summary)\n"
        )
        pieces = self.pieces
        namespace: dict[str, Any] = {
            "__builtins__": {"id": id, "int": int, "float": float, "KeyError": KeyError},
            "HEAD": self._head, "RULES": self._rules, "encode": _encode_text, "general": self._general_line,
            "P": pieces.by_identity, "SAFETY": pieces.safety_pieces, "OVERALL": pieces.overalls,
            "TEXTS": pieces.texts_by_value, "LISTS": pieces.lists,
        }
        exec(compile(source, "<gutcheck json line>", "exec"), namespace)  # noqa: S102 - source made above
        line: Callable[[ClientSummary], str] = namespace["line"]
        return line

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


class JsonPieces:
    """JSON text of the values of batch records, each piece encoded once and then remembered.

    Every piece is exactly what the record encoder writes for that value. The memories are
    bounded, and a percent's piece is only remembered, and only looked up, when no value that
    encodes differently can equal it (see :func:`_rememberable`).
    """

    def __init__(self) -> None:
        self.texts_by_value: dict[str | None, str] = {None: "null"}
        self.lists: dict[tuple[str, ...], str] = {(): "[]"}
        self.safety_pieces: dict[tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]], str] = {}
        self.overalls: dict[tuple[float | None, str | None], str] = {}
        self._factors: dict[tuple[str, float | None, str | None], str] = {}
        self.by_identity: dict[int, str] = {}  # by id() of a tuple in _kept
        self._kept: list[tuple[str, float | None, str | None]] = []

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

    def factors(self, factors: tuple[tuple[str, float | None, str | None], ...]) -> str:
        """The members of the ``factors`` object (without braces): id -> percent and level.

        The ids are distinct, as a rule base's factor ids are. The generated scorer hands out
        the same tuple object for the same factor result, so pieces are first looked up by the
        tuple's identity: hashing six tuples of floats would cost more than the rest of the
        line. A tuple whose piece is remembered so is kept alive, so its id is never reused.
        """
        by_identity = self.by_identity
        try:
            return ",".join([by_identity[id(item)] for item in factors])
        except KeyError:
            return ",".join([self._factor(item) for item in factors])

    def _factor(self, item: tuple[str, float | None, str | None]) -> str:
        percent = item[1]
        piece = self._factors.get(item) if _rememberable(percent) else None
        if piece is None:
            fid, _, level = item
            piece = f'{self.text(fid)}:{{"percent":{self.number(percent)},"level":{self.text(level)}}}'
            if _rememberable(percent):
                _remember(self._factors, item, piece)
        if id(item) not in self.by_identity and len(self._kept) < JSON_PIECES_LIMIT:
            self._kept.append(item)
            self.by_identity[id(item)] = piece
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
