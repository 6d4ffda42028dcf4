"""CSV records scored straight to summaries by the generated row scorer.

Each question's column has a dictionary from raw cell text to parsed value, filled from the
general parser (:class:`~gutcheck.batch.cells.CellParser`) the first time a text is seen; the
generated scorer does the rest. A record the fast path does not take (ragged, a cell that does
not fit, no answers) is parsed the general way, so every message is the one it always was.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from gutcheck.batch.cells import EMPTY, BadCell, CellParser
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.rows import CELL_CACHE_LIMIT, BatchRow
from gutcheck.batch.summary import ClientSummary
from gutcheck.engine.compiled import Helpers, NotScored, compiled
from gutcheck.files.formulas import unneutralise
from gutcheck.rulebook.model import RuleBase

Fallback = Callable[[int, list[str]], BatchRow]
RecordScorer = Callable[[int, list[str]], "ClientSummary | BatchRow"]


def record_scorer(rules: RuleBase, match: HeaderMatch, width: int, fallback: Fallback) -> RecordScorer | None:
    """A function from (row number, record) to the client's summary, or to what ``fallback``
    (the general path) makes of the record when the generated scorer does not take it.

    None (no function) when the rule base has no generated scorer.
    """
    module = compiled(rules)
    if module is None:
        return None
    present = {parser.question.id: (index, parser) for index, parser in match.columns}
    indices: list[int] = []
    cells: list[dict[str, Any]] = []
    for question in rules.questions:
        index, parser = present.get(question.id, (0, None))
        indices.append(index)
        cells.append(_Cells(parser) if parser is not None else _Absent())
    pick = itemgetter(*indices) if len(indices) > 1 else (lambda record: (record[indices[0]],))
    row = module["make_row"](Helpers(rules), pick, tuple(cells))
    return _summaries(row, width, match.id_index, fallback)


def _summaries(
    row: Callable[[list[str]], Any], width: int, id_index: int | None, fallback: Fallback
) -> RecordScorer:
    def summary_or_row(number: int, record: list[str]) -> ClientSummary | BatchRow:
        """The summary of one record, or the general path's parsed or rejected row."""
        if len(record) == width:
            scored = row(record)
            if scored is not None:
                factors, overall, flags, top, suggestions = scored
                client = unneutralise(record[id_index].strip()) if id_index is not None else ""
                return ClientSummary(number, client or f"row {number}", overall.percent, overall.level,
                                     factors, tuple(flags), top, suggestions)
        return fallback(number, record)

    return summary_or_row


class _Cells(dict[str, Any]):
    """A column's parsed answers by cell text (None: blank), each learnt from the general parser
    the first time it is seen; a text that does not fit raises :class:`NotScored`."""

    __slots__ = ("parser",)

    def __init__(self, parser: CellParser) -> None:
        super().__init__()
        self.parser = parser

    def __missing__(self, text: str) -> Any:
        value = self.parser(text)
        if value.__class__ is BadCell:
            raise NotScored
        value = None if value is EMPTY else value
        if len(self) < CELL_CACHE_LIMIT:
            self[text] = value
        return value


class _Absent(dict[str, Any]):
    """A question without a column: never answered."""

    def __missing__(self, text: str) -> None:
        return None
