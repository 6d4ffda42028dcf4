"""``gutcheck batch`` (score many clients from one export) and ``gutcheck template``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from gutcheck.commands.common import RulesOption
from gutcheck.render import ReportFormat

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from rich.console import Console
    from rich.progress import Progress

    from gutcheck.batch.rows import ParsedRow, RejectedRow
    from gutcheck.batch.sniff import TextInput
    from gutcheck.batch.sources import Batch
    from gutcheck.batch.summary import ClientSummary
    from gutcheck.engine.assessment import Assessment
    from gutcheck.history.store import History
    from gutcheck.render.batch_records import RecordMaker
    from gutcheck.rulebook.model import RuleBase


class OutputFormat(str, Enum):
    """What ``batch`` writes to stdout."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


class InputFormatChoice(str, Enum):
    """How to read the input; ``auto`` tells the formats apart by their content."""

    AUTO = "auto"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"


class ReportFileFormat(str, Enum):
    """Formats of the per-client report files."""

    MD = "md"
    HTML = "html"
    JSON = "json"


class TemplateFormat(str, Enum):
    """Formats of the fill-in template."""

    CSV = "csv"
    YAML = "yaml"
    JSON = "json"


BATCH_HELP = """Score many clients from one CSV, TSV, JSON or JSON Lines export (or - for stdin).

Columns may be named by question id or question text (any case), cells may hold option values
or labels, multi-select cells are split on ';' or ', '. An id, client, name or email column
names each client (or --id-column); otherwise the row number does. Columns that name no
question are ignored with a warning.

Rows that cannot be scored are listed with row, column and reason, and all the others are
still scored: scored + rejected always equals the rows read. --errors FILE writes the rejected
rows as CSV to fix and re-run.

Exit codes: 0 every row scored; 3 the input could not be read, or some rows were rejected
(everything for the good rows is still written); 5 with --fail-on-red-flag, some client
reported a red flag (this wins over 3); 2 bad usage; 4 invalid rule base; 6 history not
writable (--save).
"""


InputArgument = Annotated[
    str,
    typer.Argument(metavar="INPUT", show_default=False,
                   help="Export to score: a CSV, TSV, JSON or JSON Lines file, or - for stdin."),
]
OutputOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Summary on stdout: a table, or one record per client.",
                 case_sensitive=False),
]
ReportsOption = Annotated[
    Path | None,
    typer.Option("--reports", help="Folder to write one report file per client into.",
                 show_default=False, file_okay=False),
]
ReportFormatOption = Annotated[
    ReportFileFormat,
    typer.Option("--report-format", help="Format of the --reports files.", case_sensitive=False),
]
ErrorsOption = Annotated[
    Path | None,
    typer.Option("--errors", help="CSV file for the rejected rows and their reasons.",
                 show_default=False),
]
IdColumnOption = Annotated[
    str | None,
    typer.Option("--id-column", show_default=False,
                 help="Column that names each client (default: the first of id, client, name, email)."),
]
FailOnRedFlagOption = Annotated[
    bool,
    typer.Option("--fail-on-red-flag", help="Exit with code 5 when any client reported a red flag."),
]
SaveOption = Annotated[
    bool,
    typer.Option("--save", help="Save each client's assessment in the local history, under a "
                 "profile named by the client id."),
]
InputFormatOption = Annotated[
    InputFormatChoice,
    typer.Option("--input-format", help="Read the input as this format instead of detecting it.",
                 case_sensitive=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``batch`` and ``template`` commands to ``app``."""
    app.command("batch", help=BATCH_HELP)(batch)
    app.command("template")(template)


def batch(
    *,
    source: InputArgument,
    rules: RulesOption = None,
    fmt: OutputOption = OutputFormat.TABLE,
    reports: ReportsOption = None,
    report_format: ReportFormatOption = ReportFileFormat.MD,
    errors: ErrorsOption = None,
    id_column: IdColumnOption = None,
    fail_on_red_flag: FailOnRedFlagOption = False,
    save: SaveOption = False,
    input_format: InputFormatOption = InputFormatChoice.AUTO,
) -> None:
    """Score many clients from one export."""
    from gutcheck.commands.common import load

    options = BatchOptions(
        source=source,
        output=fmt.value,
        reports=reports,
        report_format=ReportFormat(report_format.value),
        errors=errors,
        id_column=id_column,
        fail_on_red_flag=fail_on_red_flag,
        save=save,
        input_format=input_format.value,
    )
    run_batch(load(rules), options)


def template(
    *,
    rules: RulesOption = None,
    fmt: Annotated[
        TemplateFormat,
        typer.Option("--format", "-f", help="csv: a header row and two notes rows for a "
                     "spreadsheet; yaml: an answers file with comments; json: an answers object.",
                     case_sensitive=False),
    ] = TemplateFormat.CSV,
) -> None:
    """Print a fill-in template with every question and its allowed answers."""
    from gutcheck.commands.common import load
    from gutcheck.render.template import render_template

    typer.echo(render_template(load(rules), fmt.value), nl=False)


# --------------------------------------------------------------------------- running a batch
# Everything below runs only when ``batch`` is called, so its imports stay inside functions.

TABLE_LIMIT = 1000
SHOWN_ROW_ERRORS = 20
SHOWN_RED_FLAGS = 20
PROGRESS_AFTER_ROWS = 2000
PROGRESS_EVERY = 512


class BatchOptions:
    """The options of one ``batch`` run, checked by the command."""

    def __init__(
        self, *, source: str, output: str, reports: Path | None, report_format: ReportFormat,
        errors: Path | None, id_column: str | None, fail_on_red_flag: bool, save: bool,
        input_format: str,
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

    @property
    def needs_assessment(self) -> bool:
        """True when each client's full assessment is needed, not only its summary."""
        return self.reports is not None or self.save


def run_batch(rules: RuleBase, options: BatchOptions) -> None:
    """Read, score and write every row of ``options.source``; end with the documented exit code."""
    from contextlib import ExitStack

    from gutcheck.commands.output import make_consoles

    consoles = make_consoles()
    notices = Notices()
    _prepare_outputs(options)
    with ExitStack() as stack:
        store = stack.enter_context(_open_history()) if options.save else None
        batch = stack.enter_context(_open_input(rules, options, notices))
        sinks = Sinks(
            summary=_summary_output(options.output, rules),
            errors=stack.enter_context(_errors_file(options.errors, batch.error_columns)),
            reports=ReportWriter(options.reports, options.report_format) if options.reports else None,
            store=store,
            notices=notices,
            progress=stack.enter_context(_progress(consoles.err, batch.input)),
        )
        try:
            tally = _score_rows(batch, options.needs_assessment, sinks)
            sinks.summary.finish(consoles.out)
        except BrokenPipeError:
            _stdout_closed()
    _conclude(batch, options, tally, notices, store)


def _stdout_closed() -> NoReturn:
    """The reader of stdout went away (``| head``): stop quietly, as other command-line tools do."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(1)


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


def _score_rows(batch: Batch, full: bool, sinks: Sinks) -> Tally:
    from gutcheck.batch.rows import ParsedRow

    tally = Tally()
    score = _scorer(batch.rules, full)
    add, count, tick = sinks.summary.add, tally.scored, sinks.progress.tick
    for item in batch.rows():
        if isinstance(item, ParsedRow):
            summary, assessment = score(item)
            add(summary)
            count(summary)
            if assessment is not None:
                _keep(assessment, summary, sinks.reports, sinks.store)
        else:
            tally.rejected += 1
            sinks.notices.row_error(item)
            if sinks.errors is not None:
                sinks.errors.add(item)
        tick()
    return tally


def _scorer(
    rules: RuleBase, full: bool
) -> Callable[[ParsedRow], tuple[ClientSummary, Assessment | None]]:
    """The per-row scoring function: the summary, and the full assessment when it is needed."""
    from gutcheck.batch.summary import SummaryScorer, summarise
    from gutcheck.commands.common import now
    from gutcheck.engine.scoring import Scorer

    taken_at = now().isoformat()
    if not full:
        summary_only = SummaryScorer(rules, taken_at=taken_at)
        return lambda row: (summary_only(row), None)
    scorer = Scorer(rules)

    def score(row: ParsedRow) -> tuple[ClientSummary, Assessment | None]:
        """The summary and the full assessment of one row."""
        assessment = scorer(row.answers, taken_at=taken_at, client=row.client)
        return summarise(assessment, row.row), assessment

    return score


def _keep(assessment: Assessment, summary: ClientSummary, reports: ReportWriter | None,
          store: History | None) -> None:
    if reports is not None:
        reports.write(summary.client, assessment)
    if store is not None:
        store.save(assessment, profile=summary.client)


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


class ErrorsFile:
    """The --errors CSV: a header, then one line per rejected row, moved into place at the end."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        from gutcheck.render.csv_cells import ErrorsCsv

        self.path = path
        from gutcheck.files.access import AtomicTextFile

        self.file = AtomicTextFile(path, "the errors file")
        self.csv = ErrorsCsv(columns)
        self.file.write(self.csv.header())

    def add(self, rejected: RejectedRow) -> None:
        """Write one rejected row."""
        self.file.write(self.csv.row(rejected))


def _errors_file(
    path: Path | None, columns: tuple[str, ...]
) -> AbstractContextManager[ErrorsFile | None]:
    from contextlib import contextmanager

    @contextmanager
    def managed() -> Iterator[ErrorsFile | None]:
        """The errors file, moved into place only when the run gets to its end."""
        if path is None:
            yield None
            return
        errors = ErrorsFile(path, columns)
        try:
            yield errors
        except BaseException:
            errors.file.discard()
            raise
        errors.file.commit()

    return managed()


class ReportWriter:
    """Writes one report per client into the reports folder, under safe, distinct names."""

    def __init__(self, folder: Path, fmt: ReportFormat) -> None:
        from gutcheck.files.safe_names import ReportNames

        self.folder = folder
        self.fmt = fmt
        self.names = ReportNames(fmt.value)
        self.written = 0

    def write(self, client: str, assessment: Assessment) -> Path:
        """Render and write ``assessment``; the path written."""
        from gutcheck.render import render

        path = self.folder / self.names.name_for(client)
        if path.parent != self.folder:  # the names never hold separators; keep it that way
            raise AssertionError(f"report name escaped its folder: {path}")
        from gutcheck.files.access import write_text_atomic

        write_text_atomic(path, render(assessment, self.fmt), "the report")
        self.written += 1
        return path


# --------------------------------------------------------------------------- summary on stdout


class SummaryOutput:
    """Where the per-client summary goes: a table at the end, or one record per client."""

    def add(self, summary: ClientSummary) -> None:
        """Take one client's summary."""
        raise NotImplementedError

    def finish(self, console: Console) -> None:
        """Write whatever is left once every row has been read."""


class RecordLines(SummaryOutput):
    """CSV, JSON array or JSON Lines records, written to stdout as each client is scored."""

    def __init__(self, fmt: str, maker: RecordMaker) -> None:
        import sys

        self.out = sys.stdout
        self.fmt = fmt
        self.maker = maker
        self.count = 0
        self.text: Callable[[ClientSummary], str] = maker.json_line
        if fmt == "csv":
            from gutcheck.render.csv_cells import SummaryCsv

            self.csv = SummaryCsv(maker)
            self.out.write(self.csv.header())
            self.text = self.csv.row
        elif fmt == "json":
            self.text = self._array_item

    def add(self, summary: ClientSummary) -> None:
        """Write one client's record."""
        self.out.write(self.text(summary))
        self.count += 1

    def _array_item(self, summary: ClientSummary) -> str:
        """The record as an item of the JSON array, after the opening bracket or a comma."""
        return ("[\n" if self.count == 0 else ",\n") + self.maker.json_line(summary)[:-1]

    def finish(self, console: Console) -> None:
        """Close the JSON array."""
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "[]\n")
        self.out.flush()


class SummaryTable(SummaryOutput):
    """The terminal table: clients with red flags first, then the others in input order.

    Every red-flag client is kept; of the others, only the first ``TABLE_LIMIT`` are shown and
    the rest counted, so a huge input cannot exhaust memory (the CSV/JSON outputs show all).
    """

    def __init__(self, rules: RuleBase) -> None:
        self.titles = {f.id: f.title for f in rules.factors}
        self.flagged: list[tuple[str, ...]] = []
        self.others: list[tuple[str, ...]] = []
        self.hidden = 0

    def add(self, summary: ClientSummary) -> None:
        """Keep one client's line."""
        from gutcheck.render.terminal import level_word

        if not summary.has_red_flags and len(self.others) >= TABLE_LIMIT:
            self.hidden += 1
            return
        overall = (f"{level_word(summary.overall_level)} ({summary.overall_percent:g}%)"
                   if summary.overall_percent is not None else "not scored")
        top = self.titles.get(summary.top_factor or "", "–")
        line = (summary.client, "YES" if summary.has_red_flags else "no", overall, top, str(summary.row))
        (self.flagged if summary.has_red_flags else self.others).append(line)

    def finish(self, console: Console) -> None:
        """Print the table (nothing when no row was scored)."""
        from rich.table import Table
        from rich.text import Text

        if not self.flagged and not self.others:
            return
        table = Table(title="Batch summary (red flags first)", title_justify="left")
        for name in ("Client", "Red flag", "Overall", "Top factor", "Row"):
            table.add_column(name, justify="right" if name == "Row" else "left", overflow="fold")
        for line in self.flagged:
            table.add_row(Text(line[0]), Text(line[1], style="bold red"), *map(Text, line[2:]))
        for line in self.others:
            table.add_row(*map(Text, line))
        console.print(table)
        if self.hidden:
            console.print(Text(f"... and {self.hidden} more clients without red flags; "
                               "use --format csv to see every client."))


def _summary_output(fmt: str, rules: RuleBase) -> SummaryOutput:
    if fmt == "table":
        return SummaryTable(rules)
    from gutcheck.render.batch_records import RecordMaker

    return RecordLines(fmt, RecordMaker(rules))


# --------------------------------------------------------------------------- notices and progress


class Notices:
    """Warnings, row errors and closing notices on stderr, capped so a bad file cannot flood it."""

    def __init__(self) -> None:
        self.shown_errors = 0
        self.hidden_errors = 0

    def say(self, message: str) -> None:
        """One line on stderr."""
        typer.echo(message, err=True)

    def warn(self, message: str) -> None:
        """A warning that does not stop the batch."""
        self.say(f"Warning: {message}")

    def row_error(self, rejected: RejectedRow) -> None:
        """The reasons of a rejected row (the first few rows only)."""
        if self.shown_errors >= SHOWN_ROW_ERRORS:
            self.hidden_errors += 1
            return
        self.shown_errors += 1
        for reason in rejected.reasons:
            self.say(reason)


class Tally:
    """Counts of the run and the clients who reported red flags (the first few, by name)."""

    def __init__(self) -> None:
        self.scored_count = 0
        self.rejected = 0
        self.red_flag_count = 0
        self.red_flag_names: list[str] = []

    def scored(self, summary: ClientSummary) -> None:
        """Count one scored client."""
        self.scored_count += 1
        if summary.has_red_flags:
            self.red_flag_count += 1
            if len(self.red_flag_names) < SHOWN_RED_FLAGS:
                self.red_flag_names.append(f"{summary.client} (row {summary.row})")


class RowProgress:
    """A progress bar on stderr for long inputs, only when stderr is a terminal."""

    def __init__(self, console: Console, text_input: TextInput) -> None:
        self.console = console
        self.input = text_input
        self.enabled = console.is_terminal
        self.rows = 0
        self.bar: Progress | None = None

    def tick(self) -> None:
        """Count one row; now and then, redraw."""
        self.rows += 1
        if self.enabled and self.rows % PROGRESS_EVERY == 0 and self.rows >= PROGRESS_AFTER_ROWS:
            self._draw()

    def _draw(self) -> None:
        from rich.progress import BarColumn, Progress, TextColumn

        if self.bar is None:
            self.bar = Progress(TextColumn("Scoring"), BarColumn(), TextColumn("{task.fields[rows]} rows"),
                                console=self.console, transient=True)
            self.bar.add_task("batch", total=self.input.size, rows=0)
            self.bar.start()
        self.bar.update(self.bar.task_ids[0], completed=self.input.position() or 0, rows=self.rows)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.stop()


def _progress(console: Console, text_input: TextInput) -> AbstractContextManager[RowProgress]:
    from contextlib import closing

    return closing(RowProgress(console, text_input))


# --------------------------------------------------------------------------- the end


def _conclude(batch: Batch, options: BatchOptions, tally: Tally, notices: Notices,
              store: History | None) -> None:
    """Closing notices on stderr, then the exit code: 5 for red flags if asked, 3 for rejects."""
    from gutcheck.errors import ExitCode, InputError

    if batch.rows_read == 0:
        raise InputError(f"{batch.display}: has a header but no rows to score; add a row per client")
    for line in _closing_lines(batch, options, tally, notices, store):
        notices.say(line)
    if options.fail_on_red_flag and tally.red_flag_count:
        raise typer.Exit(int(ExitCode.RED_FLAG))
    if tally.rejected:
        where = f"see {options.errors}" if options.errors else "use --errors FILE to get them as CSV"
        raise InputError(f"{tally.rejected} of {batch.rows_read} rows were rejected ({where}); "
                         "fix them and run again")


def _closing_lines(batch: Batch, options: BatchOptions, tally: Tally, notices: Notices,
                   store: History | None) -> Iterator[str]:
    if notices.hidden_errors:
        yield f"... and {notices.hidden_errors} more rejected rows not shown here."
    yield (f"Scored {tally.scored_count} of {batch.rows_read} rows from {batch.display} "
           f"({batch.format.describe()}); {tally.rejected} rejected.")
    if options.errors is not None:
        yield f"Rejected rows written to {options.errors}."
    if options.reports is not None:
        yield f"{tally.scored_count} report(s) written to {options.reports}."
    if store is not None:
        yield f"Saved {tally.scored_count} assessment(s) in {store.location}."
    if tally.red_flag_count:
        names = ", ".join(tally.red_flag_names)
        more = f" and {tally.red_flag_count - len(tally.red_flag_names)} more" if (
            tally.red_flag_count > len(tally.red_flag_names)) else ""
        yield (f"RED FLAG: {tally.red_flag_count} client(s) reported a symptom that needs a "
               f"clinician's attention: {names}{more}.")
