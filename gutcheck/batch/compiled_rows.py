"""CSV records scored straight to summaries by the generated row scorer.

Each question's column has a plain dictionary from raw cell text to parsed value (None for a
blank), which the generated scorer reads; a text it has not seen makes it call :class:`Learner`,
which parses that record's new texts with the general parser
(:class:`~gutcheck.batch.cells.CellParser`) and adds them. A record the fast path does not take
(ragged, a cell that does not fit, no answers) is parsed the general way, so every message is
the one it always was.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.batch.cells import EMPTY, BadCell, CellParser
from gutcheck.batch.header import HeaderMatch
from gutcheck.batch.rows import CELL_CACHE_LIMIT
from gutcheck.batch.summary import ClientSummary
from gutcheck.engine.compiled import Helpers, compiled
from gutcheck.files.formulas import unneutralise
from gutcheck.rulebook.model import RuleBase

RecordSummary = Callable[[int, list[str]], "ClientSummary | None"]


def record_scorer(rules: RuleBase, match: HeaderMatch) -> RecordSummary | None:
    """A function from (row number, record of the header's width) to the client's summary, or
    to None when the generated scorer does not take the record (the general path then makes
    the row).

    None (no function) when the rule base has no generated scorer.
    """
    module = compiled(rules)
    if module is None:
        return None
    present = {parser.question.id: (index, parser) for index, parser in match.columns}
    columns: list[tuple[int, CellParser | None]] = [present.get(q.id, (0, None)) for q in rules.questions]
    indices = [index for index, _ in columns]
    helpers = Helpers(rules)
    learner = Learner(columns, module["make_deltas"](helpers))
    pick = itemgetter(*indices) if len(indices) > 1 else (lambda record: (record[indices[0]],))
    row: RecordSummary = module["make_row"](helpers, pick, tuple(learner.cells), learner,
                                            SummaryMaking(match.id_index, rules))
    return row


class SummaryMaking:
    """How the row scorer makes a client's summary: the id column (None: none), the summary
    class and its maker, how an id the export neutralised is read back, and the ids of
    questions answered although hidden (:class:`HiddenIds`)."""

    Summary = ClientSummary
    new = tuple.__new__  # makes the named tuple without the Python-level __new__ of its class
    strip = staticmethod(str.strip)
    unneutralise = staticmethod(unneutralise)

    def __init__(self, id_index: int | None, rules: RuleBase) -> None:
        self.id_index = id_index
        self.hidden = HiddenIds(rules)


class HiddenIds(dict[int, tuple[str, ...]]):
    """The ids of the questions answered although hidden, by a bit per question that has a
    ``show_if`` (bit ``k`` for the ``k``-th of them): the row scorer sets bits, which is
    cheaper than growing a tuple, and each distinct set of bits is turned into ids once."""

    def __init__(self, rules: RuleBase) -> None:
        super().__init__({0: ()})
        self.ids = tuple(q.id for q in rules.questions if q.show_if_data is not None)

    def __missing__(self, bits: int) -> tuple[str, ...]:
        found = tuple(qid for i, qid in enumerate(self.ids) if bits >> i & 1)
        if len(self) < HIDDEN_LIMIT:
            self[bits] = found
        return found


HIDDEN_LIMIT = 4096


class Learner:
    """Fills the row scorer's dictionaries: each question's cell texts to parsed values (for a
    question in a factor, the value and what it adds to the factor's packed sum).

    Plain dictionaries are the quickest to read; one that reaches the size limit is emptied
    and fills again, so a column of many different texts cannot take memory without bound.
    """

    def __init__(
        self, columns: list[tuple[int, CellParser | None]], deltas: tuple[Callable[[Any], int] | None, ...]
    ) -> None:
        self.columns = columns  # per question: its column in the record, and its parser (None: no column)
        self.deltas = deltas
        self.cells: list[dict[str, Any]] = [{} for _ in columns]

    def __call__(self, record: list[str]) -> bool:
        """Add the texts of ``record`` not seen before; False when one does not fit its question."""
        for (index, parser), delta, cells in zip(self.columns, self.deltas, self.cells, strict=True):
            text = record[index]
            if text in cells:
                continue
            value = parser(text) if parser is not None else EMPTY  # no column: never answered
            if value.__class__ is BadCell:
                return False
            if len(cells) >= CELL_CACHE_LIMIT:
                cells.clear()
            value = None if value is EMPTY else value
            answer = None if _declined(parser, value) else value
            cells[text] = answer if delta is None else (answer, delta(value))
        return True


def _declined(parser: CellParser | None, value: Any) -> bool:
    """True for "prefer not to say": the row scorer reads it as no answer, which it is in every
    sum and condition (a row of nothing else is left to the general path, which scores it)."""
    return parser is not None and parser.question.allow_skip and value == SKIP
