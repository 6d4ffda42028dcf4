"""The options of one ``gutcheck batch`` run, as the command checked them."""

from __future__ import annotations

from pathlib import Path

from gutcheck.render import ReportFormat, ReportStyle


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
