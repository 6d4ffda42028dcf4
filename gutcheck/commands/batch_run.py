"""One ``batch`` run: open the input and outputs, feed every row to the scorer, then the closing lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from gutcheck.render import ReportFormat, ReportStyle
from gutcheck.render.reportparts import plural

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from gutcheck.batch.rows import BatchRow, ParsedRow, RejectedRow
    from gutcheck.batch.sources import Batch
    from gutcheck.batch.summary import ClientSummary, Summaries
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import GutcheckError
    from gutcheck.history.store import History
    from gutcheck.rulebook.model import RuleBase

from gutcheck.commands.batch_sinks import (
    PROGRESS_EVERY,
    ErrorsFile,
    Notices,
    ReportWriter,
    RowProgress,
    SummaryOutput,
    Tally,
    errors_file,
    progress,
    summary_output,
)


class BatchOptions:
    """The options of one ``batch`` run, checked by the command."""

    def __init__(
        self, *, source: str, output: str, reports: Path | None, report_format: ReportFormat,
        errors: Path | None, id_column: str | None, fail_on_red_flag: bool, save: bool,
        input_format: str, rules_path: Path | None = None,
        report_style: ReportStyle = ReportStyle.FULL, clean_reports: bool = False, excel: bool = False,
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
        self.report_style = report_style
        self.clean_reports = clean_reports
        self.excel = excel  # CSV outputs start with a byte-order mark and end lines with CRLF

    @property
    def needs_assessment(self) -> bool:
        """True when each client's full assessment is needed, not only its summary."""
        return self.reports is not None or self.save or self.output == "fhir"


def run_batch(rules: RuleBase, options: BatchOptions) -> None:
    """Read, score and write every row of ``options.source``; end with the documented exit code."""
    from contextlib import ExitStack

    from gutcheck.commands.output import make_consoles

    consoles = make_consoles()
    notices = Notices()
    _refuse_overlaps(options)
    _prepare_outputs(options)
    tally = Tally()
    with ExitStack() as stack:
        batch = stack.enter_context(_open_input(rules, options, notices))  # may refuse the file
        store = stack.enter_context(_open_history()) if options.save else None
        sinks = Sinks(
            summary=summary_output(options.output, rules, excel=options.excel),
            errors=stack.enter_context(errors_file(options.errors, batch.error_columns, excel=options.excel)),
            reports=ReportWriter(options.reports, options.report_format, options.report_style)
            if options.reports else None,
            store=store,
            notices=notices,
            progress=stack.enter_context(progress(consoles.err, batch.input)),
        )
        try:
            stopped = _score_rows(batch, options.needs_assessment, sinks, tally)
            sinks.summary.finish(consoles.out)
        except BrokenPipeError:
            _stdout_closed()
    if sinks.errors is not None and sinks.errors.failure is not None:
        tally.errors_lost = True
        stopped = stopped or sinks.errors.failure
    _conclude(batch, options, tally, notices, store=store, stopped=stopped, reports=sinks.reports)


def _older_reports(reports: ReportWriter | None, options: BatchOptions, tally: Tally,
                   stopped: GutcheckError | None) -> list[str]:
    """What to say about reports in the folder that this run did not write (removed with
    --clean-reports once every row was read and scored)."""
    if reports is None:
        return []
    from gutcheck.commands.batch_stale import RunEnd, stale_lines

    end = RunEnd(read_all=stopped is None, rejected=tally.rejected)
    return stale_lines(reports.folder, reports.fmt, reports.written_names, clean=options.clean_reports, end=end)


def _stdout_closed() -> NoReturn:
    """The reader of stdout went away (``| head``): stop quietly, as other command-line tools do."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    from gutcheck.errors import OutputClosed

    raise OutputClosed


class Sinks:
    """Everything a row's result goes to."""

    def __init__(
        self, *, summary: SummaryOutput, errors: ErrorsFile | None, reports: ReportWriter | None,
        store: History | None, notices: Notices, progress: RowProgress,
    ) -> None:
        self.summary = summary
        self.errors = errors
        self.reports = reports
        self.store = store
        self.notices = notices
        self.progress = progress


def _score_rows(batch: Batch, full: bool, sinks: Sinks, tally: Tally) -> GutcheckError | None:
    """Feed every row to its sinks; the error that stopped reading early, if any (the rows
    before it are counted, scored and written as usual)."""
    from gutcheck.errors import GutcheckError, Interrupted

    try:
        _feed(batch.rows() if full else batch.summaries_or_rows(), _scorer(batch.rules, full), sinks, tally)
    except GutcheckError as stop:
        batch.rows_read = tally.scored_count + tally.rejected  # a row cut short is not counted
        return stop
    except KeyboardInterrupt:  # Ctrl-C: what was read so far is still counted and written
        batch.rows_read = tally.scored_count + tally.rejected
        return Interrupted("Interrupted; the rows counted above were read, the rest were not.")
    return None


def _feed(
    items: Iterator[BatchRow | Summaries], score: Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]],
    sinks: Sinks, tally: Tally,
) -> None:
    """Each row to its sinks, counted in ``tally`` as it goes (so also when reading stops with
    an exception); the progress bar is asked to redraw every :data:`PROGRESS_EVERY` rows."""
    from operator import attrgetter

    from gutcheck.batch.rows import ParsedRow, RejectedRow
    from gutcheck.batch.summary import Summaries

    output, flagged, has_red_flags = sinks.summary, tally.flagged, attrgetter("red_flags")
    seen, next_tick = 0, PROGRESS_EVERY
    for item in items:
        if item.__class__ is Summaries:  # a run of rows the generated row scorer took
            output.add_all(item)  # first: rows are counted once written (Ctrl-C may come between)
            seen += len(item)
            tally.scored_count += len(item)
            for summary in filter(has_red_flags, item):
                flagged(summary)
        elif isinstance(item, ParsedRow):
            seen += 1
            summary, assessment = score(item)
            tally.scored_count += 1
            if summary.red_flags:
                flagged(summary)
            output.add(summary)
            if assessment is not None:
                output.assessment(assessment)
                _keep(assessment, summary, sinks, tally)
        elif isinstance(item, RejectedRow):
            seen += 1
            _reject(item, sinks, tally)
        if seen >= next_tick:
            sinks.progress.tick(seen)
            next_tick = seen + PROGRESS_EVERY


def _reject(item: RejectedRow, sinks: Sinks, tally: Tally) -> None:
    tally.rejected += 1
    sinks.notices.row_error(item)
    if sinks.errors is not None:
        sinks.errors.add(item)


def _scorer(
    rules: RuleBase, full: bool
) -> Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]]:
    """The per-row scoring function: the summary, and the full assessment when it is needed."""
    from gutcheck.batch.summary import SummaryScorer, summarise
    from gutcheck.commands.options import now
    from gutcheck.engine.scoring import Scorer

    taken_at = now().isoformat()
    if not full:
        summary_only = SummaryScorer(rules, taken_at=taken_at)
        return lambda row: (summary_only(row), None)
    scorer = Scorer(rules)

    def score(row: ParsedRow) -> tuple[ClientSummary, Assessment | None]:
        """The summary and the full assessment of one row."""
        assessment = scorer(row.answers, taken_at=row.taken_at or taken_at, client=row.client)
        return summarise(assessment, row.row), assessment

    return score


def _keep(assessment: Assessment, summary: ClientSummary, sinks: Sinks, tally: Tally) -> None:
    reports, store = sinks.reports, sinks.store
    if reports is not None:
        reports.write(summary.client, assessment)
    if store is not None and store.save_once(assessment, profile=summary.client) is None:
        tally.already_saved += 1


# --------------------------------------------------------------------------- inputs and outputs


def _prepare_outputs(options: BatchOptions) -> None:
    """Check the output places before any row is read, so a typo costs nothing."""
    from gutcheck.errors import UsageError

    if options.reports is not None:
        try:
            options.reports.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{options.reports}: cannot create the reports folder ({exc.strerror}); "
                             "choose another --reports folder") from None
    if options.errors is not None and not options.errors.parent.is_dir():
        raise UsageError(f"{options.errors}: its folder does not exist; choose another --errors file")
    if options.errors is not None and options.errors.is_dir():
        raise UsageError(f"{options.errors}: is a folder; give --errors a file name")


def _refuse_overlaps(options: BatchOptions) -> None:
    """No output may be a file the run reads, whatever its name: checked before reading starts."""
    from gutcheck.errors import UsageError
    from gutcheck.files.overlap import holds, refuse_overlaps
    from gutcheck.files.paths import bundled_rules_path, history_database_path

    source = None if options.source == "-" else Path(options.source)
    inputs = [("the input file", source)] if source is not None else []
    inputs.append(("the rule base", options.rules_path or bundled_rules_path()))
    database = ("the history database", history_database_path())
    outputs = [("--errors", options.errors)] if options.errors is not None else []
    refuse_overlaps(outputs, [*inputs, database])
    if options.save:
        refuse_overlaps([database], inputs)
    suffix = f".{options.report_format.value}"
    reports = options.reports
    for what, path in inputs if reports is not None else []:
        if reports is not None and holds(reports, path, suffix):
            raise UsageError(f"{options.reports}: the reports folder holds {what} {path}, which a "
                             "report could replace; choose another --reports folder.")


def _open_history() -> History:
    from gutcheck.history.store import History

    return History.open()


def _open_input(
    rules: RuleBase, options: BatchOptions, notices: Notices
) -> AbstractContextManager[Batch]:
    from gutcheck.batch.sources import open_batch

    check = _profile_problem if options.save else None
    return open_batch(
        rules, options.source, id_column=options.id_column, input_format=options.input_format,
        client_check=check, warn=notices.warn,
    )


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


# --------------------------------------------------------------------------- the end


def _conclude(batch: Batch, options: BatchOptions, tally: Tally, notices: Notices, *,
              store: History | None, stopped: GutcheckError | None, reports: ReportWriter | None) -> None:
    """Closing notices on stderr, then the exit code: 5 for red flags if asked, then the error
    that stopped reading early, then 3 for rejected rows."""
    from gutcheck.errors import InputError, RedFlagReported

    if batch.rows_read == 0 and stopped is not None:
        raise stopped  # nothing was read: the file is refused as a whole
    if batch.rows_read == 0:
        raise InputError(f"{batch.display}: has a header but no rows to score; add a row per client")
    older = _older_reports(reports, options, tally, stopped)
    for line in _closing_lines(batch, options, tally, notices, store=store, stopped=stopped, older=older):
        notices.say(line)
    if options.fail_on_red_flag and tally.red_flag_count:
        if stopped is not None:
            notices.say(stopped.message)
        raise RedFlagReported(f"Exit code 5: {plural(tally.red_flag_count, 'client')} reported a red flag "
                              "(--fail-on-red-flag).")
    if stopped is not None:
        raise stopped
    if tally.rejected:
        where = f"see {options.errors}" if options.errors else "use --errors FILE to get them as CSV"
        raise InputError(f"{tally.rejected} of {batch.rows_read} rows were rejected ({where}); "
                         "fix them and run again")


def _closing_lines(batch: Batch, options: BatchOptions, tally: Tally, notices: Notices, *,
                   store: History | None, stopped: GutcheckError | None, older: list[str]) -> Iterator[str]:
    if notices.hidden_errors:
        yield f"... and {notices.hidden_errors} more rejected rows not shown here."
    yield (f"{tally.scored_count} scored, {tally.rejected} rejected, {batch.rows_read} rows read "
           f"from {batch.display} ({batch.format.describe()})"
           + ("; reading stopped early, see below." if stopped is not None else "."))
    if options.errors is not None and not tally.errors_lost:
        yield f"Rejected rows written to {options.errors}."
    if options.reports is not None:
        yield f"{plural(tally.scored_count, 'report')} written to {options.reports}."
        yield from older  # reports in that folder this run did not write
    if store is not None:
        yield _saved_line(tally, store)
    if tally.red_flag_count:
        names = ", ".join(tally.red_flag_names)
        more = f" and {tally.red_flag_count - len(tally.red_flag_names)} more" if (
            tally.red_flag_count > len(tally.red_flag_names)) else ""
        yield (f"RED FLAG: {plural(tally.red_flag_count, 'client')} answered yes to a red-flag question "
               f"(an alarm symptom that needs a clinician, or a reason to mention to a doctor; each "
               f"report says which): {names}{more}.")


def _saved_line(tally: Tally, store: History) -> str:
    """How many assessments were saved, and how many were already in the history."""
    known = f" ({tally.already_saved} already saved before, not saved again)" if tally.already_saved else ""
    return f"Saved {plural(tally.scored_count - tally.already_saved, 'assessment')} in {store.location}{known}."
