"""One ``batch`` run: check the outputs, read the input (once, or again when a client appears
twice), then the closing lines and the exit code.

A run that only summarises (a table, CSV or JSON records) reads the input once, holding what it
writes; if some client turns out to be on more than one row, and their earlier rows must be
left out or rejected, it reads the input again with that plan, and only the second reading is
written. A run that builds each client's full assessment (``--save``, ``--reports``, FHIR) or
reads JSON first reads only the clients (and, for JSON, the keys), which is cheap beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

    from rich.console import Console

    from gutcheck.batch.duplicates import Plan
    from gutcheck.batch.sources import Batch
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_pass import Pass
    from gutcheck.rulebook.model import RuleBase


class BatchOptions:
    """The options of one ``batch`` run, checked by the command."""

    def __init__(
        self, *, source: str, output: str, reports: Path | None, report_format: ReportFormat,
        errors: Path | None, id_column: str | None, fail_on_red_flag: bool, save: bool,
        input_format: str, rules_path: Path | None = None, time_column: str | None = None,
        duplicates: str = "latest", strict_columns: bool = False, check: bool = False,
        report_style: ReportStyle = ReportStyle.FULL, clean_reports: bool = False, excel: bool = False,
        overview: Path | None = None,
    ) -> None:
        self.source = source
        self.output = output
        self.reports = reports
        self.report_format = report_format
        self.errors = errors
        self.id_column = id_column
        self.fail_on_red_flag = fail_on_red_flag
        self.save = save
        self.input_format = input_format
        self.rules_path = rules_path
        self.time_column = time_column
        self.duplicates = duplicates
        self.strict_columns = strict_columns
        self.check = check
        self.report_style = report_style
        self.clean_reports = clean_reports
        self.excel = excel  # CSV outputs start with a byte-order mark and end lines with CRLF
        self.overview = overview  # the group overview page (.html or .md)

    @property
    def needs_assessment(self) -> bool:
        """True when each client's full assessment is needed, not only its summary."""
        return self.reports is not None or self.save or self.output == "fhir"


def run_batch(rules: RuleBase, options: BatchOptions) -> None:
    """Read, score and write every row of ``options.source``; end with the documented exit code."""
    from gutcheck.commands.batch_close import conclude, show_columns
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_outputs import prepare_outputs, refuse_overlaps
    from gutcheck.commands.output import make_consoles

    consoles, notices = make_consoles(), Notices()
    refuse_overlaps(options)
    with input_path(options.source) as source:
        run = Run(rules, options, source, notices, consoles.out)
        if options.check:
            show_columns(run)
            return
        prepare_outputs(options)
        try:
            result = run.score()
        except KeyboardInterrupt:
            from gutcheck.errors import Interrupted

            raise Interrupted("Interrupted before anything was written.") from None
    conclude(result, options, notices)


class Run:
    """The input of one run, opened as often as the run needs, with what it found so far."""

    def __init__(self, rules: RuleBase, options: BatchOptions, source: InputPath, notices: Notices,
                 console: Console) -> None:
        self.rules, self.options, self.source = rules, options, source
        self.notices, self.console = notices, console
        self.plan: Plan | None = None

    def open(self, plan: Plan | None = None, *, quiet: bool = False) -> AbstractContextManager[Batch]:
        """The input, opened and its header read (``quiet``: without a word on stderr)."""
        from gutcheck.batch.rows import ReadOptions
        from gutcheck.batch.sources import open_batch

        options = self.options
        read = ReadOptions(
            id_column=options.id_column, time_column=options.time_column, roles=True,
            strict_columns=options.strict_columns and not quiet,
            client_check=_profile_problem if options.save else None,
        )
        say = None if quiet else self.notices.note
        return open_batch(self.rules, self.source.path, options=read, input_format=options.input_format,
                          warn=None if quiet else self.notices.warn, say=say,
                          plan=plan.rows if plan else None, display=self.source.display)

    def score(self) -> Pass:
        """Every row scored and written, each client once unless asked otherwise."""
        with self.open() as first:
            if first.format.kind == "csv" and not self.options.needs_assessment:
                return self._held(first)
            total = self._survey(first)
            named = first.header_match
        with self.open(self.plan) as batch:
            batch.header_match = batch.header_match or named  # JSON keys were named by the survey
            return self._pass(batch, total_rows=total)

    def _pass(self, batch: Batch, *, held: bool = False, total_rows: int | None = None) -> Pass:
        from gutcheck.commands.batch_pass import Pass

        done = Pass(self.options, self.rules, batch, self.notices, self.console, plan=self.plan,
                    held=held, total_rows=total_rows).run()
        if not held:
            done.publish(self.console)
        return done

    def _held(self, first: Batch) -> Pass:
        """Read once, holding the outputs; read again only if a client's rows must change."""
        done = self._pass(first, held=True)
        keys = done.sinks.keys
        try:
            if done.stopped is None and keys is not None:
                self.plan = self._plan(keys.candidates())
        except BaseException:  # Ctrl-C while clients are checked: what the pass holds is dropped
            done.discard()
            raise
        if self.plan is None or not self.plan.rows:
            done.publish(self.console)
            return done
        done.discard()
        with self.open(self.plan) as batch:
            return self._pass(batch)

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
        plan = Plan.of(found, self.options.duplicates)
        warning = plan.warning(self.source.display, time_name)
        if warning is not None:
            self.notices.warn(warning)
        return plan


# --------------------------------------------------------------------------- the input


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


def _profile_problem(client: str) -> str | None:
    """Why ``client`` cannot name a history profile, or None when it can."""
    from gutcheck.history.records import MAX_PROFILE_LENGTH

    if not client:
        return "no client id to save the assessment under; fill it in, or leave out --save"
    if len(client) > MAX_PROFILE_LENGTH:
        return f"the client id is longer than {MAX_PROFILE_LENGTH} characters, too long to save under"
    if not client.isprintable():
        return "the client id holds control characters; use plain text to save under it"
    return None
