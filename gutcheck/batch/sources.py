"""Opening a batch input: its format, header and rows read lazily; and one person's row for ``score``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gutcheck.batch.csv_source import CsvSource, RowSource
from gutcheck.batch.header import HeaderMatcher
from gutcheck.batch.json_source import JsonSource
from gutcheck.batch.rows import BatchRow, ClientCheck, InputFormat, RejectedRow, Warn
from gutcheck.batch.sniff import TextInput, open_text, read_sample, sniff_format
from gutcheck.batch.summary import Summaries
from gutcheck.errors import InputError
from gutcheck.rulebook.model import RuleBase

# --------------------------------------------------------------------------- batches


class Batch:
    """An opened batch input: its format, matched header and rows, read lazily one at a time.

    ``error_columns`` are the columns of the errors file (the original columns for CSV, the
    id and every question id for JSON); each :class:`RejectedRow` has its cells in that order.
    ``rows_read`` counts the data rows seen so far (blank rows and notes rows are not data).
    ``client_check``, when given, says why a client id cannot be used (for ``--save``), or None;
    rows it objects to are rejected.
    """

    def __init__(
        self,
        rules: RuleBase,
        text_input: TextInput,
        fmt: InputFormat,
        sample: str,
        *,
        id_column: str | None = None,
        client_check: ClientCheck | None = None,
        warn: Warn | None = None,
    ) -> None:
        self.rules = rules
        self.client_check = client_check
        self.input = text_input
        self.format = fmt
        self.matcher = HeaderMatcher(rules)
        self.id_column = id_column
        self.warn: Warn = warn or (lambda message: None)
        self.rows_read = 0
        self.error_columns: tuple[str, ...] = ()
        if fmt.kind == "csv":
            self._source: RowSource = CsvSource(self, sample)
        elif fmt.kind == "fhir":
            from gutcheck.batch.fhir_source import FhirSource

            self._source = FhirSource(self, sample)
        else:
            self._source = JsonSource(self, sample)

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


# --------------------------------------------------------------------------- opening


@contextmanager
def open_batch(
    rules: RuleBase,
    source: str,
    *,
    id_column: str | None = None,
    input_format: str = "auto",
    client_check: ClientCheck | None = None,
    warn: Warn | None = None,
) -> Iterator[Batch]:
    """Open ``source`` (a path or ``-``), learn its format and header, and yield the batch."""
    with open_text(source) as text_input:
        sample = read_sample(text_input)
        fmt = sniff_format(sample, text_input.display, input_format)
        yield Batch(rules, text_input, fmt, sample, id_column=id_column, client_check=client_check, warn=warn)


# --------------------------------------------------------------------------- one person


def read_one_row(
    rules: RuleBase, text: str, display: str, *, warn: Warn | None = None
) -> tuple[dict[str, Any], str | None]:
    """The parsed answers (and client id, if any) of a table holding exactly one person.

    For ``gutcheck score`` given a one-row CSV/TSV, a one-item JSON array or one JSON line.
    """
    from gutcheck.errors import Problem

    text_input = TextInput(io.StringIO(text, newline=""), display)
    sample = read_sample(text_input)
    batch = Batch(rules, text_input, sniff_format(sample, display), sample, warn=warn)
    rows = batch.rows()
    first = next(rows, None)
    if first is None:
        raise InputError(f"{display}: has a header but no row of answers; add one row")
    if next(rows, None) is not None:
        raise InputError(f"{display}: holds more than one person's answers; "
                         "use `gutcheck batch` to score many people")
    if isinstance(first, RejectedRow):
        problems = tuple(Problem("", reason) for reason in first.reasons)
        raise InputError(f"{display}: the answers do not fit the rule base {rules.id}", problems)
    return first.answers, first.client if first.named else None
