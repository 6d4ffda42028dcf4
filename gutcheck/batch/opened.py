"""An opened batch input (:class:`Batch`): what every kind of input's rows are read into,
and what each kind's reader (:class:`RowSource`) provides.

The readers of each kind (CSV, JSON, FHIR) sit above this module and the module that chooses
among them (:mod:`gutcheck.batch.sources`) above them, so nothing here names a kind's reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from gutcheck.batch.columns import client_note, missing_warning, strict_columns_error, time_note
from gutcheck.batch.dates import FormDates
from gutcheck.batch.header import HeaderMatch, HeaderMatcher
from gutcheck.batch.rows import BatchRow, InputFormat, ReadOptions, RowCells, Warn
from gutcheck.batch.sniff import TextInput
from gutcheck.batch.summary import Summaries
from gutcheck.errors import InputError
from gutcheck.rulebook.model import RuleBase


class RowSource:
    """Where a batch's rows come from: one kind of input (CSV, JSON)."""

    def rows(self, summaries: bool = False) -> Iterator[BatchRow | Summaries]:
        """Every data row of the input, in order."""
        raise NotImplementedError

    def cells(self) -> Iterator[RowCells]:
        """The client and time cell of every data row, numbered as :meth:`rows` numbers them."""
        raise NotImplementedError

    def key_match(self, keys: list[str]) -> HeaderMatch:
        """For records without a header (JSON, FHIR): what the keys of every record mean."""
        raise NotImplementedError


class Batch:
    """An opened batch input: its format, matched header and rows, read lazily one at a time.

    ``error_columns`` are the columns of the errors file (the original columns for CSV, the
    id and every question id for JSON); each :class:`RejectedRow` has its cells in that order.
    ``rows_read`` counts the data rows seen so far (blank rows and notes rows are not data).
    ``options.client_check``, when given, says why a client id cannot be used (for ``--save``),
    or None; rows it objects to are rejected. ``plan`` maps the rows of clients who appear more
    than once to what becomes of them: None leaves the row out, a text rejects it with that
    reason (see :mod:`gutcheck.batch.duplicates`). ``source`` makes the reader of its kind of
    input (:func:`gutcheck.batch.sources.new_batch` chooses it).
    """

    def __init__(
        self,
        rules: RuleBase,
        text_input: TextInput,
        fmt: InputFormat,
        sample: str,
        *,
        source: Callable[[Batch, str], RowSource],
        options: ReadOptions | None = None,
        warn: Warn | None = None,
        say: Warn | None = None,
        plan: Mapping[int, str | None] | None = None,
    ) -> None:
        self.rules = rules
        self.options = options or ReadOptions()
        self.client_check = self.options.client_check
        self.id_column = self.options.id_column
        self.input = text_input
        self.format = fmt
        self.matcher = HeaderMatcher(rules)
        self.warn: Warn = warn or (lambda message: None)
        self.say: Warn = say or (lambda message: None)
        self.plan: Mapping[int, str | None] = plan or {}
        self.rows_read = 0
        self.error_columns: tuple[str, ...] = ()
        self.header_match: HeaderMatch | None = None  # CSV: known once open; JSON: after a survey
        self.dates: FormDates | None = None
        self.undated = Undated()
        self._source = source(self, sample)  # last: the source reads the header into the batch

    @property
    def display(self) -> str:
        """The input's name for messages."""
        return self.input.display

    def rows(self) -> Iterator[BatchRow]:
        """Every data row, parsed or rejected, in input order."""
        return self._source.rows()  # type: ignore[return-value]  # without summaries: rows only

    def summaries_or_rows(self) -> Iterator[BatchRow | Summaries]:
        """Like :meth:`rows`, but rows the generated scorer takes come as their summaries, a
        run of consecutive ones at a time."""
        return self._source.rows(summaries=True)

    def cells(self) -> Iterator[RowCells]:
        """The client, time cell (and keys) of every data row, numbered as :meth:`rows` numbers
        them, without parsing any answer: what the duplicate check reads. An input that breaks
        off ends the cells there (scoring stops at the same place, and says so)."""
        try:
            yield from self._source.cells()
        except InputError:
            return

    def announce(self, match: HeaderMatch, *, unit: str = "column") -> None:
        """Say what the header means: columns ignored, the client and time columns, and the
        questions without a column (with ``strict_columns``, refuse the input for them)."""
        if match.unknown:
            self.warn(unknown_columns_warning(self.display, match.unknown, self.rules.id, unit))
        if not self.options.roles:
            return
        if match.missing and self.options.strict_columns:
            raise strict_columns_error(self.display, self.rules.id, match.missing, unit)
        names = match.names
        if match.client is not None:  # FHIR responses name their client themselves
            self.say(client_note(names, match.client, chosen=self.options.id_column is None, unit=unit))
            note = time_note(names, match.time_index, chosen=self.options.time_column is None, unit=unit)
            if note is not None:
                self.say(note)
        warning = missing_warning(self.display, self.rules.id, match.missing, unit,
                                  f"gutcheck batch {shell_word(self.display)} --check")
        if warning is not None:
            self.warn(warning)

    def announce_keys(self, keys: list[str]) -> HeaderMatch:
        """For JSON and FHIR, once every record's keys are known (in the order first seen): what
        they mean, said as :meth:`announce` says it for a header; the match is kept."""
        match: HeaderMatch = self._source.key_match(keys)
        self.header_match = match
        self.announce(match, unit="item" if self.format.kind == "fhir" else "key")
        return match


class Undated:
    """Rows whose time cell is empty (dated by the run instead): counted, the first few kept."""

    def __init__(self) -> None:
        self.count = 0
        self.rows: list[int] = []

    def add(self, row: int) -> None:
        """Count row ``row``."""
        self.count += 1
        if len(self.rows) < SHOWN_UNDATED:
            self.rows.append(row)


SHOWN_UNDATED = 10


def shell_word(display: str) -> str:
    """The input's name as a shell word, for a command line shown to the user."""
    import shlex

    return "-" if display == "<stdin>" else shlex.quote(display)


def unknown_columns_warning(display: str, unknown: Sequence[str], rules_id: str, unit: str = "column") -> str:
    """The warning naming the columns (or keys) that no question, client or time uses."""
    names = ", ".join(repr(name) for name in unknown[:8]) + (", ..." if len(unknown) > 8 else "")
    columns = f"1 {unit} that names" if len(unknown) == 1 else f"{len(unknown)} {unit}s that name"
    return f"{display}: ignoring {columns} no question of {rules_id}: {names}"
