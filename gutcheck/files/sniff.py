"""Telling what kind of text an input holds, from its start: a FHIR resource, a table (CSV or
TSV and its delimiter, a JSON array of records, JSON Lines) or one mapping of answers.

Only text is looked at; reading each kind is left to the layers above (answers, batch, interop).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

_RESOURCE = re.compile(r'"resourceType"\s*:\s*"(QuestionnaireResponse|Bundle)"')
_ANY_RESOURCE = re.compile(r'"resourceType"\s*:\s*"([A-Za-z]+)"')
SNIFF_CHARS = 4096


def looks_like_fhir(sample: str, *, any_resource: bool = False) -> bool:
    """True when JSON text starts like a QuestionnaireResponse or a Bundle (or a list or lines of them).

    With ``any_resource``, any FHIR resource counts (so that ``score`` can say what it was given).
    """
    head = sample.lstrip("\ufeff \t\r\n")
    pattern = _ANY_RESOURCE if any_resource else _RESOURCE
    return head[:1] in ("{", "[") and pattern.search(head[:SNIFF_CHARS]) is not None


_TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
_MAPPING_SUFFIXES = (".yaml", ".yml")
_YAML_KEY = re.compile(r"""^(?:"[^"]*"|'[^']*'|[\w.-]+)\s*:(?:\s|$)""")


def looks_like_table(source: str, text: str) -> bool:
    """True when ``text`` (read from ``source``, ``-`` for stdin) is a CSV/TSV table, a JSON
    array of records or JSON Lines rather than one mapping of answers."""
    suffix = Path(source).suffix.casefold() if source != "-" else ""
    if suffix in _TABLE_SUFFIXES or suffix in _MAPPING_SUFFIXES:
        return suffix in _TABLE_SUFFIXES
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return head[1:].lstrip().startswith("{")  # an array of records; other arrays are mistakes
    if head.startswith("{"):
        return _several_json_values(text)
    lines = (line for line in head.splitlines() if line.strip() and not line.startswith(("#", "---")))
    first = next(lines, "")
    return _YAML_KEY.match(first) is None and any(mark in first for mark in ",;\t|")


def _several_json_values(text: str) -> bool:
    """True when ``text`` holds JSON values one after another (JSON Lines), not one object."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg == "Extra data"
    except ValueError:  # a number too long to convert: a mapping, refused when it is read
        return False
    return False


_DELIMITERS = (",", ";", "\t", "|")


SEP_LINE = re.compile(r"sep=(.)\r?\n?$")


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sampled rows most consistently into the most columns."""
    first_line = sample.split("\n", 1)[0]
    declared = SEP_LINE.match(first_line)
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
