"""The one rule for spreadsheet formulas in CSV cells, both ways.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel, LibreOffice or Google Sheets; such cells get a leading apostrophe, which
spreadsheets show as text. Plain numbers (``-3``, ``+1.5``) are left alone, everywhere. When
gutcheck reads a file back, the apostrophe it added is removed again, so an errors file or an
export can be fixed and re-run.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would run ``text`` as a formula (plain numbers never are)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: formula-like text gets a leading apostrophe."""
    return "'" + text if is_formula_like(text) else text


def unneutralise(text: str) -> str:
    """The inverse of :func:`neutralise`: the apostrophe it added is removed, nothing else."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text
