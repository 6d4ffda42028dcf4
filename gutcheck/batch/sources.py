"""Opening a batch input: its format told, the reader of that kind chosen, its header and rows
read lazily (:class:`~gutcheck.batch.opened.Batch`); and one person's row for ``score``."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from gutcheck.batch.opened import Batch, RowSource
from gutcheck.batch.rows import InputFormat, ParsedRow, ReadOptions, RejectedRow, Warn
from gutcheck.batch.sniff import TextInput, open_text, read_sample, sniff_format
from gutcheck.errors import InputError
from gutcheck.rulebook.model import RuleBase

# --------------------------------------------------------------------------- opening


@contextmanager
def open_batch(
    rules: RuleBase,
    source: str,
    *,
    options: ReadOptions | None = None,
    input_format: str = "auto",
    warn: Warn | None = None,
    say: Warn | None = None,
    plan: Mapping[int, str | None] | None = None,
    display: str | None = None,
) -> Iterator[Batch]:
    """Open ``source`` (a path or ``-``), learn its format and header, and yield the batch
    (``display`` names it in messages, if not its path)."""
    with open_text(source, display) as text_input:
        sample = read_sample(text_input)
        fmt = sniff_format(sample, text_input.display, input_format)
        yield new_batch(rules, text_input, fmt, sample, options=options, warn=warn, say=say, plan=plan)


def new_batch(
    rules: RuleBase, text_input: TextInput, fmt: InputFormat, sample: str, *,
    options: ReadOptions | None = None, warn: Warn | None = None, say: Warn | None = None,
    plan: Mapping[int, str | None] | None = None,
) -> Batch:
    """The batch of an opened input whose format is known, read by the reader of its kind."""
    return Batch(rules, text_input, fmt, sample, source=_reader(fmt), options=options, warn=warn,
                 say=say, plan=plan)


def _reader(fmt: InputFormat) -> Callable[[Batch, str], RowSource]:
    """The reader of ``fmt``'s kind of input."""
    if fmt.kind == "csv":
        from gutcheck.batch.csv_source import CsvSource

        return CsvSource
    if fmt.kind == "fhir":
        from gutcheck.batch.fhir_source import FhirSource

        return FhirSource
    from gutcheck.batch.json_source import JsonSource

    return JsonSource


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
    batch = new_batch(rules, text_input, sniff_format(sample, display), sample, warn=warn)
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
    if not isinstance(first, ParsedRow):  # rows are left out only by a batch's plan, never here
        raise AssertionError(f"unexpected row {first!r}")
    return first.answers, first.client if first.named else None
