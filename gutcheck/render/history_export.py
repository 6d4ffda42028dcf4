"""History exports as strings: JSON, JSON Lines and CSV (formula-like cells neutralised).

Numbers stay numbers: percents and numeric answers are written as numbers, with a unit, if any,
in the column name, so that a spreadsheet can sum and chart them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from gutcheck.engine.assessment import AnswerRecord
from gutcheck.files.formulas import neutralise
from gutcheck.history.records import StoredAssessment

EXPORT_SCHEMA = "gutcheck.export/1"


# -- export ------------------------------------------------------------------------------------


def export_record(item: StoredAssessment) -> dict[str, Any]:
    """One saved assessment for export: where it sits in the store, and the whole document."""
    return {"id": item.id, "profile": item.profile, "taken_at": item.taken_at,
            "saved_at": item.saved_at, "assessment": item.assessment.to_dict()}


def export_json(items: Iterable[StoredAssessment], exported_at: str) -> str:
    """Everything as one JSON document (``gutcheck.export/1``), for backup."""
    records = [export_record(item) for item in items]
    document = {"schema": EXPORT_SCHEMA, "exported_at": exported_at,
                "profiles": sorted({r["profile"] for r in records}), "assessments": records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_jsonl(items: Iterable[StoredAssessment]) -> str:
    """One JSON object per line per saved assessment."""
    return "".join(
        json.dumps(export_record(item), ensure_ascii=False, separators=(",", ":")) + "\n"
        for item in items
    )


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe so it is never run as a formula."""
    return neutralise(value) if isinstance(value, str) else value


def export_csv(items: Iterable[StoredAssessment], *, excel: bool = False) -> str:
    """One row per assessment: store fields, rule base, overall, each factor, each answer; for
    Excel, a UTF-8 byte-order mark first and CRLF line ends."""
    import csv

    from gutcheck.render.csv_cells import excel_start, line_end

    rows = [_csv_row(item) for item in items]
    header = _csv_header(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", lineterminator=line_end(excel))
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return excel_start(excel) + buffer.getvalue()


# One naming scheme with the batch CSV: a nested field is named by its path, dotted
# (``overall.percent``, ``factors.alcohol.level``), as in the JSON documents.
_CSV_FIXED = ("id", "profile", "taken_at", "rules.id", "rules.version", "rules.hash",
              "overall.percent", "overall.level", "red_flags")


def _csv_header(rows: Sequence[dict[str, object]]) -> list[str]:
    header = list(_CSV_FIXED)
    seen = set(header)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                header.append(key)
    return header


def _csv_row(item: StoredAssessment) -> dict[str, object]:
    assessment = item.assessment
    row: dict[str, object] = {
        "id": item.id, "profile": item.profile, "taken_at": item.taken_at,
        "rules.id": assessment.rules.id, "rules.version": assessment.rules.version,
        "rules.hash": assessment.rules.hash, "overall.percent": _number(assessment.overall.percent),
        "overall.level": assessment.overall.level or "",
        "red_flags": "; ".join(flag.id for flag in assessment.red_flags),
    }
    for factor in assessment.factors:
        row[f"factors.{factor.id}.percent"] = _number(factor.percent)
        row[f"factors.{factor.id}.level"] = factor.level or ""
    for answer in assessment.answers:
        key, cell = answer_cell(answer)
        row[key] = cell
    return row


def answer_cell(answer: AnswerRecord) -> tuple[str, object]:
    """The column and cell of one answer: a number stays a number (``5.5``, not ``5.5 hours``)
    with its unit in the column name (``answer:sleep_hours (hours)``); anything else is its label."""
    value = answer.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"answer:{answer.question}", answer.label
    shown = f"{value:g}"
    unit = answer.label[len(shown):].strip() if answer.label.startswith(shown) else ""
    key = f"answer:{answer.question} ({unit})" if unit else f"answer:{answer.question}"
    return key, int(value) if float(value).is_integer() else value


def _number(value: float | None) -> object:
    return "" if value is None else value
