"""CSV records scored straight to summaries by the generated scorer.

Each question's column has a plain dictionary from raw cell text to parsed answer (None for a
blank, and for "prefer not to say", which is no answer in every sum and condition), which the
generated row scorer reads (:mod:`gutcheck.rulebook.codegen`); a text it has not seen makes it
call :class:`Learner`, which parses that record's new texts with the general parser
(:class:`~gutcheck.batch.cells.CellParser`) and adds them. A record the row scorer does not take
(ragged, a cell that does not fit, no answers: a row of only "prefer not to say" too) is parsed
the general way, so every message is the one it always was.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.batch.cells import EMPTY, BadCell, CellParser
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.rows import CELL_CACHE_LIMIT
from gutcheck.batch.summary import ClientSummary, Summarising
from gutcheck.engine.compiled import Scored, compiled, scorer
from gutcheck.files.formulas import unneutralise
from gutcheck.rulebook.model import RuleBase

RecordSummary = Callable[[int, list[str]], "ClientSummary | None"]


def record_scorer(rules: RuleBase, match: HeaderMatch) -> RecordSummary:
    """A function from (row number, record of the header's width) to the client's summary, or
    to None when the generated scorer does not take the record (the general path then makes
    the row)."""
    helpers, functions = scorer(rules)
    present = {parser.question.id: (index, parser) for index, parser in match.columns}
    columns: list[tuple[int, CellParser | None]] = [present.get(q.id, (0, None)) for q in rules.questions]
    indices = [index for index, _ in columns]
    learner = Learner(columns)
    pick = itemgetter(*indices) if len(indices) > 1 else (lambda record: (record[indices[0]],))
    row: RecordSummary = compiled(rules)["make_rows"](
        helpers, functions.score, tuple(learner.cells), pick, learner, _summarise(Summarising(), match.id_index),
    )
    return row


def _summarise(summaries: Summarising, id_index: int | None) -> Callable[[int, list[str], Scored], ClientSummary]:
    """The client's summary of a record and what the scorer found; the client named by the id
    column (an id the export neutralised read back), else by the row."""
    strip = str.strip

    def summarise(number: int, record: list[str], scored: Scored) -> ClientSummary:
        client = strip(record[id_index]) if id_index is not None else ""
        if client and client[0] == "'":  # a formula-like id the export neutralised
            client = unneutralise(client)
        return summaries(scored, number, client or f"row {number}")

    return summarise


class Learner:
    """Fills the row scorer's dictionaries: each question's cell texts to parsed answers.

    Plain dictionaries are the quickest to read; one that reaches the size limit is emptied
    and fills again, so a column of many different texts cannot take memory without bound.
    """

    def __init__(self, columns: list[tuple[int, CellParser | None]]) -> None:
        self.columns = columns  # per question: its column in the record, and its parser (None: no column)
        self.cells: list[dict[str, Any]] = [{} for _ in columns]

    def __call__(self, record: list[str]) -> bool:
        """Add the texts of ``record`` not seen before; False when one does not fit its question."""
        for (index, parser), cells in zip(self.columns, self.cells, strict=True):
            text = record[index]
            if text in cells:
                continue
            value = parser(text) if parser is not None else EMPTY  # no column: never answered
            if value.__class__ is BadCell:
                return False
            if len(cells) >= CELL_CACHE_LIMIT:
                cells.clear()
            cells[text] = None if value is EMPTY or value == SKIP else value
        return True
