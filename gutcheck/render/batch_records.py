"""The batch output record, written as JSON, JSON Lines or CSV cells from pieces encoded once."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from gutcheck.batch.summary import RECORD_SCHEMA, ClientSummary
from gutcheck.rulebook.model import RuleBase

JSON_PIECES_LIMIT = 4096


# One encoder for every line: json.dumps with options would build a new one per call.
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


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
