"""Cells of one column parsed once: a column of an export holds few distinct texts."""

from __future__ import annotations

from typing import Any

from gutcheck.answers.parse import AnswerError
from gutcheck.batch.rows import CELL_CACHE_LIMIT
from gutcheck.rulebook.model import Question


class BadCell:
    """A cell text that did not fit its question, with the reason (cached like a good value)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


EMPTY = object()


def parse_cell(question: Question, text: str) -> Any:
    """The parsed value of one cell text, :data:`EMPTY` for a blank, or a :class:`BadCell`."""
    if not text.strip():
        return EMPTY
    try:
        return question.parse(text)
    except AnswerError as exc:
        return BadCell(str(exc))


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
        """The parsed value, :data:`EMPTY` or a :class:`BadCell` for ``text``."""
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
            return EMPTY
        try:
            return self.question.parse(value)
        except AnswerError as exc:
            return BadCell(str(exc))
