"""One ``batch`` run: check the outputs, read and score the input as often as it needs
(:mod:`gutcheck.batch.readings` decides), each reading written through its sinks
(:mod:`gutcheck.commands.batch_pass`), then the closing lines and the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from rich.console import Console

    from gutcheck.batch.duplicates import Plan
    from gutcheck.batch.readings import InputPath, Readings
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
    from gutcheck.batch.readings import input_path
    from gutcheck.commands.batch_close import conclude, show_columns
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_outputs import prepare_outputs, refuse_overlaps
    from gutcheck.commands.output import make_consoles

    consoles, notices = make_consoles(), Notices()
    refuse_overlaps(options)
    with input_path(options.source) as source:
        readings = _readings(rules, options, source, notices, consoles.out)
        if options.check:
            show_columns(readings)
            return
        prepare_outputs(options)
        try:
            result: Pass = readings.score()  # type: ignore[assignment]  # our readings are passes
        except KeyboardInterrupt:
            from gutcheck.errors import Interrupted

            raise Interrupted("Interrupted before anything was written.") from None
    conclude(result, options, notices)


def _readings(rules: RuleBase, options: BatchOptions, source: InputPath, notices: Notices,
              console: Console) -> Readings:
    """The run's readings of ``source``, each one a :class:`~gutcheck.commands.batch_pass.Pass`."""
    from gutcheck.batch.readings import Readings, ReadSettings
    from gutcheck.commands.batch_pass import Pass
    from gutcheck.history.records import profile_problem

    settings = ReadSettings(
        id_column=options.id_column, time_column=options.time_column, strict_columns=options.strict_columns,
        client_check=profile_problem if options.save else None, input_format=options.input_format,
        duplicates=options.duplicates, full=options.needs_assessment,
    )

    def make(batch: Batch, plan: Plan | None, held: bool, total_rows: int | None) -> Pass:
        return Pass(options, rules, batch, notices, console, plan=plan, held=held, total_rows=total_rows).run()

    return Readings(rules, settings, source, make, note=notices.note, warn=notices.warn)
