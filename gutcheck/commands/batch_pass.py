"""One pass of ``batch`` over its input: every row to the scorer and on to its sinks.

A pass writes at once, or holds what it writes (``held``) so that the run can still decide to
read the input again: records are held (see :class:`~gutcheck.commands.batch_held.HeldOutput`),
the errors file waits uncommitted, row errors wait in memory. :meth:`Pass.publish` writes them
out; :meth:`Pass.discard` drops them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:

    from rich.console import Console

    from gutcheck.batch.duplicates import ClientKeys, Plan
    from gutcheck.batch.opened import Batch
    from gutcheck.batch.overview import OverviewBuilder
    from gutcheck.batch.rows import ParsedRow, RejectedRow
    from gutcheck.batch.summary import ClientSummary, Summaries
    from gutcheck.commands.batch_options import BatchOptions
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import GutcheckError
    from gutcheck.history.store import History
    from gutcheck.rulebook.model import RuleBase

from gutcheck.batch.loop import CLIENT, Tally, row_scorer, score_rows
from gutcheck.commands.batch_held import HeldOutput
from gutcheck.commands.batch_notices import Notices, RowErrors, RowProgress
from gutcheck.commands.batch_sinks import ErrorsFile, ReportWriter, SummaryOutput, summary_output

RECORD_FORMATS = ("csv", "json", "jsonl", "fhir")


class Sinks:
    """Everything a row's result goes to (the :class:`~gutcheck.batch.loop.RowSinks` of a pass):
    records on stdout, the errors file, reports, the history, the overview, row errors, the
    progress bar, and (for a held pass) every client, to find those who appear twice."""

    def __init__(
        self, *, summary: SummaryOutput, errors: ErrorsFile | None, reports: ReportWriter | None,
        store: History | None, row_errors: RowErrors, progress: RowProgress, tally: Tally,
        keys: ClientKeys | None = None, unsaved: frozenset[int] = frozenset(),
        overview: OverviewBuilder | None = None,
    ) -> None:
        self.summary = summary
        self.errors = errors
        self.reports = reports
        self.store = store
        self.row_errors = row_errors
        self.progress = progress
        self.tally = tally  # what saving counts: already saved, not saved
        self.keys = keys  # a held pass: every client, to find those who appear twice
        self.unsaved = unsaved  # rows scored but not saved (--duplicates all)
        self.overview = overview  # --overview: what the group overview page shows

    def scored(self, row: ParsedRow, summary: ClientSummary, assessment: Assessment | None) -> None:
        """Write one client's record (and report, and saved assessment), and note the client."""
        if self.keys is not None:
            self.keys.add(summary.client)
        self.summary.add(summary)
        report = None
        if assessment is not None:
            self.summary.assessment(assessment)
            report = self._keep(assessment, summary, dated=row.taken_at is not None)
        if self.overview is not None:
            self.overview.add(summary, report)

    def scored_run(self, summaries: Summaries) -> None:
        """Write the records of a run of clients, in one write, and note the clients."""
        self.summary.add_all(summaries)
        if self.keys is not None:
            self.keys.add_all(map(CLIENT, summaries))
        if self.overview is not None:
            self.overview.add_all(summaries)

    def rejected(self, row: RejectedRow) -> None:
        """Say why a row was rejected, and copy it to the errors file."""
        self.row_errors.add(row)
        if self.overview is not None:
            self.overview.reject(row)
        if self.keys is not None:
            self.keys.add(row.client)
        if self.errors is not None:
            self.errors.add(row)

    def tick(self, rows: int) -> None:
        """Redraw the progress bar."""
        self.progress.tick(rows)

    def _keep(self, assessment: Assessment, summary: ClientSummary, *, dated: bool) -> str | None:
        """Write the client's report and save the assessment (not a client's earlier row with
        ``--duplicates all``: one input never makes a trend); the report's file name, if one was
        written. An assessment dated by the form is the same as a saved one only when its date
        is the same too."""
        reports, store, tally = self.reports, self.store, self.tally
        report = reports.write(summary.client, assessment).name if reports is not None else None
        if store is None:
            return report
        if summary.row in self.unsaved:
            tally.not_saved += 1
        elif store.save_once(assessment, profile=summary.client, same_time=dated) is None:
            tally.already_saved += 1
        return report


class Pass:
    """One reading of the input, scored and counted; written at once, or held (see module)."""

    def __init__(
        self, options: BatchOptions, rules: RuleBase, batch: Batch, notices: Notices, console: Console,
        *, plan: Plan | None = None, held: bool = False, total_rows: int | None = None,
    ) -> None:
        from contextlib import ExitStack

        self.options, self.batch, self.tally, self.held, self.console = options, batch, Tally(), held, console
        self.stopped: GutcheckError | None = None
        self.stack = ExitStack()
        self.out = self.stack.enter_context(HeldOutput()) if held and options.output in RECORD_FORMATS else None
        self.store = self.stack.enter_context(_open_history()) if options.save else None
        self.sinks = Sinks(
            summary=summary_output(options.output, rules, self.out.stream if self.out else None,
                                   excel=options.excel),
            errors=ErrorsFile(options.errors, batch.error_columns, excel=options.excel) if options.errors else None,
            reports=ReportWriter(options.reports, options.report_format, options.report_style)
            if options.reports else None,
            store=self.store, row_errors=RowErrors(notices, held=held),
            progress=RowProgress(console, batch.input, total_rows), tally=self.tally,
            keys=_client_keys() if held else None, unsaved=plan.unsaved if plan else frozenset(),
            overview=_overview(options, rules, self.store),
        )

    def run(self) -> Pass:
        """Score every row; a stop (an error in the input, Ctrl-C) is kept in ``stopped``."""
        try:
            from gutcheck.commands.options import now

            full = self.options.needs_assessment
            score = row_scorer(self.batch.rules, full=full, taken_at=now().isoformat())
            self.stopped = score_rows(self.batch, score, self.sinks, self.tally, full=full)
        except BaseException:
            self.close(commit=False)
            raise
        finally:
            self.sinks.progress.close()
        return self

    @property
    def keys(self) -> ClientKeys | None:
        """Every client read, when the pass was held (to find those who appear twice)."""
        return self.sinks.keys

    def publish(self) -> None:
        """Write out what the pass holds, then commit the errors file."""
        self.sinks.row_errors.show()  # first, as a pass written at once says them as it reads
        try:
            self.sinks.summary.finish(self.console)
            if self.out is not None:
                self.out.publish()
        except BrokenPipeError:
            self.close(commit=False)
            _stdout_closed()
        self.close(commit=True)

    def discard(self) -> None:
        """Drop what the pass holds: the input is about to be read again."""
        if self.out is not None:
            self.out.discard()
        self.close(commit=False)

    def close(self, *, commit: bool) -> None:
        """Close the pass's files; commit the errors file or drop it."""
        errors = self.sinks.errors
        if errors is not None and errors.failure is None and errors.file is not None:
            _finish_errors(errors, commit)
        if errors is not None and errors.failure is not None:
            self.tally.errors_lost = True
            self.stopped = self.stopped or errors.failure
        self.stack.close()


def _finish_errors(errors: ErrorsFile, commit: bool) -> None:
    from gutcheck.errors import GutcheckError

    if not commit:
        errors.file.discard()
        return
    try:
        errors.file.commit()
    except GutcheckError as exc:
        errors.failure = exc


def _overview(options: BatchOptions, rules: RuleBase, store: History | None) -> OverviewBuilder | None:
    """What collects the group overview (--overview), with each client's last saved level
    before this run when it saves (--save)."""
    if options.overview is None:
        return None
    from gutcheck.batch.overview import OverviewBuilder
    from gutcheck.commands.options import now

    display = "<stdin>" if options.source == "-" else options.source
    builder = OverviewBuilder(rules, source=display, made_at=now().isoformat())
    if store is not None:
        builder.compare_with(store.profile_summaries())
    return builder


def _client_keys() -> ClientKeys:
    from gutcheck.batch.duplicates import ClientKeys

    return ClientKeys()


def _stdout_closed() -> NoReturn:
    """The reader of stdout went away (``| head``): stop quietly, as other command-line tools do."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    from gutcheck.errors import OutputClosed

    raise OutputClosed


def _open_history() -> History:
    from gutcheck.history.store import History

    return History.open()
