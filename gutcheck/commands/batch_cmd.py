"""``gutcheck batch`` (score many clients from one export) and ``gutcheck template``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import ExcelOption, RulesOption
from gutcheck.render import ReportFormat, ReportStyle


class OutputFormat(str, Enum):
    """What ``batch`` writes to stdout."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    FHIR = "fhir"


class InputFormatChoice(str, Enum):
    """How to read the input; ``auto`` tells the formats apart by their content."""

    AUTO = "auto"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    FHIR = "fhir"


class DuplicatesChoice(str, Enum):
    """What becomes of a client who appears on more than one row."""

    LATEST = "latest"
    ALL = "all"
    REJECT = "reject"


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


BATCH_HELP = """Score many clients from one CSV, TSV, JSON or JSON Lines export (or - for stdin),
or from FHIR QuestionnaireResponses (a Bundle, a JSON array or NDJSON; each dated by its
authored time).

Columns may be named by question id or question text (any case), cells may hold option values
or labels, multi-select cells are split on ';' or ', '. A client, id, name or email column
names each client (a bare ID of response numbers 1, 2, 3 ... never does; or --id-column);
otherwise the row number does. The form's own time column (Timestamp, Completion time,
Submitted at ...; or --time-column) dates each assessment. Before scoring, one warning names
every question without a column and what that costs (--check shows the whole mapping).

Every output says who to contact first: the table lists clients by their most urgent red flag
(its kind, time frame and name), then those who left a safety question blank (never read as
"no"), and the closing lines name them; --overview FILE.html (or .md) writes one page for the
whole group: contacts by urgency, blank safety answers, level counts, rejected rows.

A client on more than one row is scored once, from their latest row by the form's date (or
the last row), and the others are left out and named; --duplicates all keeps every row,
--duplicates reject rejects them. Answers to follow-up questions that an earlier answer skips
are not scored, and are named. Rows that cannot be scored are listed with row, column and
reason, and all the others are still scored: scored + rejected + left out always equals the
rows read. --errors FILE writes the rejected rows as CSV to fix and re-run, their cells exactly
as read; --excel writes the CSV outputs for Excel (a UTF-8 byte-order mark, CRLF). No output
may be the input, the rule base or the history database (refused before reading, exit code 2).

--reports DIR writes one report per client to hand out (--report-style short: one or two
printed pages). Reports in DIR from an earlier run that this run did not write are listed;
--clean-reports removes them (only gutcheck reports, only when every row was scored).

Exit codes: 0 every row scored; 3 the input could not be read, some rows were rejected
(everything for the good rows is still written), or a question has no column with --check or
--strict-columns; 5 with --fail-on-red-flag, some client reported a red flag (this wins over
3); 2 bad usage; 4 invalid rule base; 6 history not writable (--save).
"""


InputArgument = Annotated[
    str,
    typer.Argument(metavar="INPUT", show_default=False,
                   help="Export to score: a CSV, TSV, JSON or JSON Lines file, FHIR "
                   "QuestionnaireResponses, or - for stdin."),
]


OutputOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Summary on stdout: a table, one record per client, or "
                 "(fhir) one FHIR Bundle per client as NDJSON.",
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


ReportStyleOption = Annotated[
    ReportStyle,
    typer.Option("--report-style", help="full: the whole report; short: one or two printed pages "
                 "(md and html only).", case_sensitive=False),
]


CleanReportsOption = Annotated[
    bool,
    typer.Option("--clean-reports", help="Remove the gutcheck reports in the --reports folder that "
                 "this run did not write (only once every row was read and scored; other files "
                 "are never touched). Without it they are only listed."),
]


OverviewOption = Annotated[
    Path | None,
    typer.Option("--overview", help="Write one page for the whole group: who to contact first (most "
                 "urgent red flag first), blank safety answers, levels and factors, rejected rows. "
                 "FILE.html (self-contained, printable) or FILE.md.", show_default=False,
                 dir_okay=False),
]


ErrorsOption = Annotated[
    Path | None,
    typer.Option("--errors", help="CSV file for the rejected rows and their reasons.",
                 show_default=False),
]


IdColumnOption = Annotated[
    str | None,
    typer.Option("--id-column", show_default=False,
                 help="Column that names each client (default: the first of client, id, name, email; "
                 "never a column of response numbers)."),
]


TimeColumnOption = Annotated[
    str | None,
    typer.Option("--time-column", show_default=False,
                 help="Column holding when each form was sent, which dates the assessment (default: "
                 "Completion time, Submitted at, Submit Date, Submission Date, Timestamp, End Date, "
                 "Start time ...; without one, the time of the run)."),
]


DuplicatesOption = Annotated[
    DuplicatesChoice,
    typer.Option("--duplicates", case_sensitive=False,
                 help="A client on more than one row: latest scores only their latest row by the form's "
                 "date (else the last) and leaves out the others; all scores every row (--save still "
                 "keeps only the latest); reject rejects all their rows."),
]


CheckOption = Annotated[
    bool,
    typer.Option("--check", help="Print which column feeds which question (and which are ignored, "
                 "and why) and stop without scoring: exit code 0 when every question has a column, "
                 "3 when some have none."),
]


StrictColumnsOption = Annotated[
    bool,
    typer.Option("--strict-columns", help="Refuse the input (exit code 3) before scoring when a "
                 "question of the rule base has no column, instead of warning."),
]


FailOnRedFlagOption = Annotated[
    bool,
    typer.Option("--fail-on-red-flag", help="Exit with code 5 when any client reported a red flag."),
]


SaveOption = Annotated[
    bool,
    typer.Option("--save", help="Save each client's assessment in the local history, under a "
                 "profile named by the client id and dated by the form's time column; one already "
                 "saved (same rule base and answers, and the same form date) is not saved again, "
                 "so a run can be repeated."),
]


InputFormatOption = Annotated[
    InputFormatChoice,
    typer.Option("--input-format", help="Read the input as this format instead of detecting it.",
                 case_sensitive=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``batch`` and ``template`` commands to ``app``."""
    app.command("batch", help=BATCH_HELP, **command_help("batch"))(batch)
    app.command("template", **command_help("template"))(template)


def batch(
    *,
    source: InputArgument,
    rules: RulesOption = None,
    fmt: OutputOption = OutputFormat.TABLE,
    reports: ReportsOption = None,
    report_format: ReportFormatOption = ReportFileFormat.MD,
    report_style: ReportStyleOption = ReportStyle.FULL,
    clean_reports: CleanReportsOption = False,
    errors: ErrorsOption = None,
    overview: OverviewOption = None,
    id_column: IdColumnOption = None,
    fail_on_red_flag: FailOnRedFlagOption = False,
    save: SaveOption = False,
    input_format: InputFormatOption = InputFormatChoice.AUTO,
    excel: ExcelOption = False,
    time_column: TimeColumnOption = None,
    duplicates: DuplicatesOption = DuplicatesChoice.LATEST,
    check: CheckOption = False,
    strict_columns: StrictColumnsOption = False,
) -> None:
    """Score many clients from one export."""
    from gutcheck.commands.batch_options import BatchOptions
    from gutcheck.commands.batch_run import run_batch
    from gutcheck.commands.options import check_excel, check_style, load

    check_style(report_style, ReportFormat(report_format.value), "--report-style", "--report-format")
    _needs_reports(reports, report_style=report_style, clean_reports=clean_reports)
    check_excel(excel, fmt is OutputFormat.CSV or errors is not None, "add --format csv or --errors FILE")

    options = BatchOptions(
        source=source, output=fmt.value, reports=reports, report_format=ReportFormat(report_format.value),
        errors=errors, id_column=id_column, fail_on_red_flag=fail_on_red_flag, save=save,
        input_format=input_format.value, rules_path=rules, report_style=report_style, clean_reports=clean_reports,
        excel=excel, time_column=time_column, duplicates=duplicates.value, check=check,
        strict_columns=strict_columns, overview=overview,
    )
    run_batch(load(rules), options)


def _needs_reports(reports: Path | None, *, report_style: ReportStyle, clean_reports: bool) -> None:
    """Refuse report options given without --reports, where they would do nothing."""
    given = [name for name, on in (("--report-style short", report_style is ReportStyle.SHORT),
                                   ("--clean-reports", clean_reports)) if on]
    if given and reports is None:
        from gutcheck.errors import UsageError

        verb = "applies" if len(given) == 1 else "apply"
        raise UsageError(f"{' and '.join(given)} only {verb} with --reports DIR; add it, or leave them out")


def template(
    *,
    rules: RulesOption = None,
    fmt: Annotated[
        TemplateFormat,
        typer.Option("--format", "-f", help="csv: a header row and two notes rows for a "
                     "spreadsheet; yaml: an answers file with comments; json: an answers object.",
                     case_sensitive=False),
    ] = TemplateFormat.CSV,
    excel: ExcelOption = False,
) -> None:
    """Print a fill-in template with every question and its allowed answers."""
    from gutcheck.commands.options import check_excel, load
    from gutcheck.commands.output import emit_text, exact_stdout
    from gutcheck.render.template import render_template

    check_excel(excel, fmt is TemplateFormat.CSV, "it goes with the csv template (--format csv)")
    text = render_template(load(rules), fmt.value, excel=excel)
    if excel:
        exact_stdout()
    emit_text(text)
