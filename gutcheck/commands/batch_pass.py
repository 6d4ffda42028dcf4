"""One pass of ``batch`` over its input: every row to the scorer and on to its sinks.

A pass writes at once, or holds what it writes (``held``) so that the run can still decide to
read the input again: records are held (see :class:`~gutcheck.commands.batch_held.HeldOutput`),
the errors file waits uncommitted, row errors wait in memory. :meth:`Pass.publish` writes them
out; :meth:`Pass.discard` drops them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.console import Console

    from gutcheck.batch.duplicates import ClientKeys, Plan
    from gutcheck.batch.overview import OverviewBuilder
    from gutcheck.batch.rows import BatchRow, ParsedRow, RejectedRow
    from gutcheck.batch.sources import Batch
    from gutcheck.batch.summary import ClientSummary, Summaries
    from gutcheck.commands.batch_run import BatchOptions
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import GutcheckError
    from gutcheck.history.store import History
    from gutcheck.rulebook.model import RuleBase

from gutcheck.commands.batch_held import HeldOutput
from gutcheck.commands.batch_notices import PROGRESS_EVERY, Notices, RowErrors, RowProgress, Tally
from gutcheck.commands.batch_sinks import ErrorsFile, ReportWriter, SummaryOutput, summary_output

RECORD_FORMATS = ("csv", "json", "jsonl", "fhir")


class Sinks:
    """Everything a row's result goes to."""

    def __init__(
        self, *, summary: SummaryOutput, errors: ErrorsFile | None, reports: ReportWriter | None,
        store: History | None, row_errors: RowErrors, progress: RowProgress,
        keys: ClientKeys | None = None, unsaved: frozenset[int] = frozenset(),
        overview: OverviewBuilder | None = None,
    ) -> None:
        self.summary = summary
        self.errors = errors
        self.reports = reports
        self.store = store
        self.row_errors = row_errors
        self.progress = progress
        self.keys = keys  # a held pass: every client, to find those who appear twice
        self.unsaved = unsaved  # rows scored but not saved (--duplicates all)
        self.overview = overview  # --overview: what the group overview page shows


class Pass:
    """One reading of the input, scored and counted; written at once, or held (see module)."""

    def __init__(
        self, options: BatchOptions, rules: RuleBase, batch: Batch, notices: Notices, console: Console,
        *, plan: Plan | None = None, held: bool = False, total_rows: int | None = None,
    ) -> None:
        from contextlib import ExitStack

        self.options, self.batch, self.tally, self.held = options, batch, Tally(), held
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
            progress=RowProgress(console, batch.input, total_rows),
            keys=_client_keys() if held else None, unsaved=plan.unsaved if plan else frozenset(),
            overview=_overview(options, rules, self.store),
        )

    def run(self) -> Pass:
        """Score every row; a stop (an error in the input, Ctrl-C) is kept in ``stopped``."""
        try:
            self.stopped = _score_rows(self.batch, self.options.needs_assessment, self.sinks, self.tally)
        except BaseException:
            self.close(commit=False)
            raise
        finally:
            self.sinks.progress.close()
        return self

    def publish(self, console: Console) -> None:
        """Write out what the pass holds, then commit the errors file."""
        self.sinks.row_errors.show()  # first, as a pass written at once says them as it reads
        try:
            self.sinks.summary.finish(console)
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


# --------------------------------------------------------------------------- the rows


def _score_rows(batch: Batch, full: bool, sinks: Sinks, tally: Tally) -> GutcheckError | None:
    """Feed every row to its sinks; the error that stopped reading early, if any (the rows
    before it are counted, scored and written as usual)."""
    from gutcheck.errors import GutcheckError, Interrupted

    try:
        _feed(batch.rows() if full else batch.summaries_or_rows(), _scorer(batch.rules, full), sinks, tally)
    except GutcheckError as stop:
        batch.rows_read = tally.scored_count + tally.rejected + tally.left_out  # a row cut short is not counted
        return stop
    except KeyboardInterrupt:  # Ctrl-C: what was read so far is still counted and written
        batch.rows_read = tally.scored_count + tally.rejected + tally.left_out
        return Interrupted("Interrupted; the rows counted above were read, the rest were not.")
    return None


def _feed(
    items: Iterator[BatchRow | Summaries], score: Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]],
    sinks: Sinks, tally: Tally,
) -> None:
    """Each row to its sinks, counted in ``tally`` as it goes (so also when reading stops with
    an exception); the progress bar is asked to redraw every :data:`PROGRESS_EVERY` rows."""
    from operator import itemgetter

    from gutcheck.batch.rows import LeftOutRow, ParsedRow, RejectedRow
    from gutcheck.batch.summary import Summaries

    output, triaged, needs_triage = sinks.summary, tally.triaged, _needs_triage
    ignored, keys, client = tally.ignored.add_all, sinks.keys, itemgetter(1)
    seen, next_tick = 0, PROGRESS_EVERY
    for item in items:
        if item.__class__ is Summaries:  # a run of rows the generated row scorer took
            output.add_all(item)  # first: rows are counted once written (Ctrl-C may come between)
            seen += len(item)
            tally.scored_count += len(item)
            for summary in filter(needs_triage, item):
                triaged(summary)
            ignored(item)
            if keys is not None:
                keys.add_all(map(client, item))
            if sinks.overview is not None:
                sinks.overview.add_all(item)
        elif isinstance(item, ParsedRow):
            seen += 1
            _parsed(item, score, sinks, tally)
        elif isinstance(item, RejectedRow):
            seen += 1
            _reject(item, sinks, tally)
        elif isinstance(item, LeftOutRow):
            seen += 1
            tally.leave_out(item)
        if seen >= next_tick:
            sinks.progress.tick(seen)
            next_tick = seen + PROGRESS_EVERY


def _needs_triage(summary: ClientSummary) -> bool:
    """True for a client with a red flag or a safety question left blank."""
    return bool(summary.red_flags or summary.safety_blank)


def _parsed(
    item: ParsedRow, score: Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]],
    sinks: Sinks, tally: Tally,
) -> None:
    summary, assessment = score(item)
    tally.scored_count += 1
    if summary.red_flags or summary.safety_blank:
        tally.triaged(summary)
    tally.ignored.add(summary)
    if sinks.keys is not None:
        sinks.keys.add(summary.client)
    sinks.summary.add(summary)
    report = None
    if assessment is not None:
        sinks.summary.assessment(assessment)
        report = _keep(assessment, summary, sinks, tally, dated=item.taken_at is not None)
    if sinks.overview is not None:
        sinks.overview.add(summary, report)


def _reject(item: RejectedRow, sinks: Sinks, tally: Tally) -> None:
    tally.rejected += 1
    sinks.row_errors.add(item)
    if sinks.overview is not None:
        sinks.overview.reject(item)
    if sinks.keys is not None:
        sinks.keys.add(item.client)
    if sinks.errors is not None:
        sinks.errors.add(item)


def _scorer(
    rules: RuleBase, full: bool
) -> Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]]:
    """The per-row scoring function: the summary, and the full assessment when it is needed.

    An assessment is dated by its row's time column when it has one, else by this run."""
    from gutcheck.batch.summary import (
        SummaryScorer,
        conditional_questions,
        hidden_answers,
        safety_questions,
        summarise,
    )
    from gutcheck.commands.options import now
    from gutcheck.engine.scoring import Scorer

    taken_at = now().isoformat()
    if not full:
        summary_only = SummaryScorer(rules, taken_at=taken_at)
        return lambda row: (summary_only(row), None)
    scorer, conditional, safety = Scorer(rules), conditional_questions(rules), safety_questions(rules)

    def score(row: ParsedRow) -> tuple[ClientSummary, Assessment | None]:
        """The summary and the full assessment of one row."""
        assessment = scorer(row.answers, taken_at=row.taken_at or taken_at, client=row.client)
        shown = {answer.question for answer in assessment.answers}
        ignored = hidden_answers(conditional, row.answers, shown)
        return summarise(assessment, row.row, ignored, safety), assessment

    return score


def _keep(
    assessment: Assessment, summary: ClientSummary, sinks: Sinks, tally: Tally, *, dated: bool
) -> str | None:
    """Write the client's report and save the assessment (not a client's earlier row with
    ``--duplicates all``: one input never makes a trend); the report's file name, if one was
    written. An assessment dated by the form is the same as a saved one only when its date is
    the same too."""
    reports, store = sinks.reports, sinks.store
    report = reports.write(summary.client, assessment).name if reports is not None else None
    if store is None:
        return report
    if summary.row in sinks.unsaved:
        tally.not_saved += 1
    elif store.save_once(assessment, profile=summary.client, same_time=dated) is None:
        tally.already_saved += 1
    return report
