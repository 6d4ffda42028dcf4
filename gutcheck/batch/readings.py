"""How often a batch run reads its input: once, or again when a client appears on several rows.

A run that only summarises (a table, CSV or JSON records) reads the input once, holding what it
writes; if some client turns out to be on more than one row, and their earlier rows must be
left out or rejected, it reads the input again with that plan, and only the second reading is
written. A run that builds each client's full assessment (``--save``, ``--reports``, FHIR) or
reads JSON first reads only the clients (and, for JSON, the keys), which is cheap beside it.

What a reading writes, and how it is held or let go, is the command's (:class:`Reading`); this
module only decides how many readings there are and with which plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gutcheck.batch.duplicates import ClientKeys, Plan
    from gutcheck.batch.opened import Batch
    from gutcheck.errors import GutcheckError
    from gutcheck.rulebook.model import RuleBase


@dataclass(frozen=True)
class ReadSettings:
    """How a run reads its input: the client and time columns, whether a missing question is an
    error, a check on each client id (``--save``: it must name a profile), the input format,
    what to do with a client's several rows, and whether every row needs a full assessment."""

    id_column: str | None = None
    time_column: str | None = None
    strict_columns: bool = False
    client_check: Callable[[str], str | None] | None = None
    input_format: str = "auto"
    duplicates: str = "latest"
    full: bool = False


class Reading(Protocol):
    """One reading of the input, scored (the command makes it, with its sinks)."""

    stopped: GutcheckError | None

    @property
    def keys(self) -> ClientKeys | None:
        """Every client read, when the reading was held (to find those who appear twice)."""

    def publish(self) -> None:
        """Write out what the reading holds."""

    def discard(self) -> None:
        """Drop what the reading holds: the input is about to be read again."""


# (the input opened, the plan for clients' several rows, whether to hold, rows in all if known)
ReadingMaker = Callable[["Batch", "Plan | None", bool, "int | None"], Reading]


class InputPath:
    """The input as a file that can be read more than once: the file itself, or for stdin a
    temporary copy (``display`` is still ``<stdin>``)."""

    def __init__(self, path: str, display: str) -> None:
        self.path = path
        self.display = display


def input_path(source: str) -> AbstractContextManager[InputPath]:
    """``source`` as an :class:`InputPath`; stdin is copied to a temporary file first, which
    is removed at the end."""
    from contextlib import contextmanager

    @contextmanager
    def opened() -> Iterator[InputPath]:
        if source != "-":
            yield InputPath(source, source)
            return
        import os

        from gutcheck.batch.sniff import copy_stdin

        path = copy_stdin()
        try:
            yield InputPath(path, "<stdin>")
        finally:
            os.unlink(path)

    return opened()


class Readings:
    """The input of one run, opened as often as the run needs, with what it found so far."""

    def __init__(
        self, rules: RuleBase, settings: ReadSettings, source: InputPath, make_reading: ReadingMaker, *,
        note: Callable[[str], None], warn: Callable[[str], None],
    ) -> None:
        self.rules, self.settings, self.source = rules, settings, source
        self.make_reading, self.note, self.warn = make_reading, note, warn
        self.plan: Plan | None = None

    def open(self, plan: Plan | None = None, *, quiet: bool = False) -> AbstractContextManager[Batch]:
        """The input, opened and its header read (``quiet``: without a word on stderr)."""
        from gutcheck.batch.rows import ReadOptions
        from gutcheck.batch.sources import open_batch

        settings = self.settings
        read = ReadOptions(
            id_column=settings.id_column, time_column=settings.time_column, roles=True,
            strict_columns=settings.strict_columns and not quiet, client_check=settings.client_check,
        )
        return open_batch(self.rules, self.source.path, options=read, input_format=settings.input_format,
                          warn=None if quiet else self.warn, say=None if quiet else self.note,
                          plan=plan.rows if plan else None, display=self.source.display)

    def score(self) -> Reading:
        """Every row scored and written, each client once unless asked otherwise."""
        with self.open() as first:
            if first.format.kind == "csv" and not self.settings.full:
                return self._held(first)
            total = self._survey(first)
            named = first.header_match
        with self.open(self.plan) as batch:
            batch.header_match = batch.header_match or named  # JSON keys were named by the survey
            return self._reading(batch, total_rows=total)

    def _reading(self, batch: Batch, *, held: bool = False, total_rows: int | None = None) -> Reading:
        done = self.make_reading(batch, self.plan, held, total_rows)
        if not held:
            done.publish()
        return done

    def _held(self, first: Batch) -> Reading:
        """Read once, holding the outputs; read again only if a client's rows must change."""
        done = self._reading(first, held=True)
        keys = done.keys
        try:
            if done.stopped is None and keys is not None:
                self.plan = self._plan(keys.candidates())
        except BaseException:  # Ctrl-C while clients are checked: what the reading holds is dropped
            done.discard()
            raise
        if self.plan is None or not self.plan.rows:
            done.publish()
            return done
        done.discard()
        with self.open(self.plan) as batch:
            return self._reading(batch)

    def _survey(self, first: Batch) -> int | None:
        """Read every row's client (and JSON keys) before scoring; the number of rows for a
        JSON array or FHIR responses (their progress is counted in rows)."""
        from gutcheck.batch.columns import KeyCounts
        from gutcheck.batch.duplicates import ClientKeys

        keys, fields, rows = ClientKeys(), KeyCounts(), 0
        for cells in first.cells():
            rows += 1
            keys.add(cells.client)
            fields.add(cells.keys)
        if not rows:  # nothing to read, or the input breaks off at once: scoring says which
            return None
        if first.format.kind != "csv":
            first.announce_keys(list(fields.counts))
        self.plan = self._plan(keys.candidates())
        return rows if first.format.kind in ("json", "fhir") else None

    def _plan(self, candidates: set[int]) -> Plan | None:
        """What becomes of the rows of clients who appear more than once (None: nobody does)."""
        from gutcheck.batch.duplicates import Plan, find_duplicates

        if not candidates:
            return None
        with self.open(quiet=True) as batch:
            found = find_duplicates(batch.cells(), candidates, lambda: batch.dates)
            time_name = batch.dates.column if batch.dates is not None else None
        if not found:
            return None
        plan = Plan.of(found, self.settings.duplicates)
        warning = plan.warning(self.source.display, time_name)
        if warning is not None:
            self.warn(warning)
        return plan
