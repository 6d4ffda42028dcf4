"""Where a batch's rows go: the summary on stdout, the errors file and per-client reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO

    from rich.console import Console

    from gutcheck.batch.rows import RejectedRow
    from gutcheck.batch.summary import ClientSummary
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import GutcheckError
    from gutcheck.render.batch_records import RecordMaker
    from gutcheck.rulebook.model import RuleBase


CHUNK_LINES = 256  # records per write when stdout is unbuffered

# --------------------------------------------------------------------------- running a batch
# Everything below runs only when ``batch`` is called, so its imports stay inside functions.

TABLE_LIMIT = 1000


class ErrorsFile:
    """The --errors CSV: a header, then one line per rejected row, moved into place at the end."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, excel: bool = False) -> None:
        from gutcheck.render.csv_cells import ErrorsCsv

        self.path = path
        from gutcheck.files.access import AtomicTextFile

        self.file = AtomicTextFile(path, "the errors file")
        self.csv = ErrorsCsv(columns, excel=excel)
        self.failure: GutcheckError | None = None  # why it could not be written, if so
        self._write(self.csv.header())

    def add(self, rejected: RejectedRow) -> None:
        """Write one rejected row."""
        self._write(self.csv.row(rejected))

    def _write(self, text: str) -> None:
        from gutcheck.errors import GutcheckError

        try:
            self.file.write(text)
        except GutcheckError as exc:
            self.failure = exc  # the temporary file is gone; the target is left as it was
            raise


class ReportWriter:
    """Writes one report per client into the reports folder, under safe, distinct names."""

    def __init__(self, folder: Path, fmt: ReportFormat, style: ReportStyle = ReportStyle.FULL) -> None:
        from gutcheck.files.safe_names import ReportNames

        self.folder = folder
        self.fmt = fmt
        self.style = style
        self.names = ReportNames(fmt.value)
        self.written = 0
        self.written_names: set[str] = set()  # to tell older reports in the folder apart

    def write(self, client: str, assessment: Assessment) -> Path:
        """Render and write ``assessment``; the path written."""
        from gutcheck.render import render

        path = self.folder / self.names.name_for(client)
        if path.parent != self.folder:  # the names never hold separators; keep it that way
            raise AssertionError(f"report name escaped its folder: {path}")
        from gutcheck.files.access import write_text_atomic

        write_text_atomic(path, render(assessment, self.fmt, style=self.style), "the report")
        self.written += 1
        self.written_names.add(path.name)
        return path


# --------------------------------------------------------------------------- summary on stdout


class SummaryOutput:
    """Where the per-client summary goes: a table at the end, or one record per client."""

    def add(self, summary: ClientSummary) -> None:
        """Take one client's summary."""
        raise NotImplementedError

    def add_all(self, summaries: list[ClientSummary]) -> None:
        """Take the summaries of consecutive clients."""
        for summary in summaries:
            self.add(summary)

    def finish(self, console: Console) -> None:
        """Write whatever is left once every row has been read."""

    def assessment(self, assessment: Assessment) -> None:
        """Take one client's full assessment (only outputs that need it do anything)."""


class FhirLines(SummaryOutput):
    """One FHIR Bundle per client, a line each (NDJSON), written as each client is scored."""

    def __init__(self, rules: RuleBase, out: IO[str] | None = None) -> None:
        import sys

        self.out = out or sys.stdout
        self.rules = rules

    def add(self, summary: ClientSummary) -> None:
        """The summary is not needed: the bundle comes from the full assessment."""

    def assessment(self, assessment: Assessment) -> None:
        """Write the client's Bundle as one JSON line."""
        import json

        from gutcheck.interop.bundle import assessment_bundle

        self.out.write(json.dumps(assessment_bundle(assessment, self.rules), ensure_ascii=False) + "\n")

    def finish(self, console: Console) -> None:
        """Flush the lines."""
        self.out.flush()


class RecordLines(SummaryOutput):
    """CSV, JSON array or JSON Lines records, written to stdout as each client is scored.

    When stdout writes straight through to the system (``PYTHONUNBUFFERED``, ``python -u``, as
    in many containers), a system call per record would cost more than scoring it, so records
    are then written :data:`CHUNK_LINES` at a time (and whatever is left at the end).
    """

    def __init__(self, fmt: str, maker: RecordMaker, out: IO[str] | None = None, *, excel: bool = False) -> None:
        import sys

        if excel:  # the records end on stdout, held or not
            from gutcheck.commands.output import exact_stdout

            exact_stdout()
        self.out = out or sys.stdout
        self.fmt = fmt
        self.maker = maker
        self.count = 0
        self.pending: list[str] | None = [] if getattr(self.out, "write_through", False) else None
        self.text: Callable[[ClientSummary], str] = maker.line
        if fmt == "csv":
            from gutcheck.render.csv_cells import SummaryCsv

            self.csv = SummaryCsv(maker, excel=excel)
            self.out.write(self.csv.header())
            self.text = self.csv.row
        elif fmt == "json":
            self.text = self._array_item

    def add(self, summary: ClientSummary) -> None:
        """Write one client's record."""
        pending = self.pending
        if pending is None:
            self.out.write(self.text(summary))
            return
        pending.append(self.text(summary))
        if len(pending) >= CHUNK_LINES:
            self._write_pending()

    def add_all(self, summaries: list[ClientSummary]) -> None:
        """Write the records of consecutive clients, in one write."""
        self._write_pending()
        self.out.write("".join(map(self.text, summaries)))

    def _write_pending(self) -> None:
        if self.pending:
            self.out.write("".join(self.pending))
            self.pending.clear()

    def _array_item(self, summary: ClientSummary) -> str:
        """The record as an item of the JSON array, after the opening bracket or a comma."""
        self.count += 1
        return ("[\n" if self.count == 1 else ",\n") + self.maker.line(summary)[:-1]

    def finish(self, console: Console) -> None:
        """Write what is left and close the JSON array."""
        self._write_pending()
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "[]\n")
        self.out.flush()


class SummaryTable(SummaryOutput):
    """The terminal table: who to contact first. Clients with a red flag, most urgent first (an
    alarm before a risk marker of the same urgency), with a safety question left blank just
    before routine risk markers, then everyone else in input order.

    Every client with a red flag or a blank safety question is kept; of the others, only the
    first ``TABLE_LIMIT`` are shown and the rest counted, so a huge input cannot exhaust memory
    (the CSV/JSON outputs show all).
    """

    def __init__(self, rules: RuleBase) -> None:
        self.titles = {f.id: f.title for f in rules.factors}
        self.flags = {flag.question.id: flag.title for flag in rules.red_flags}
        self.triaged: list[tuple[float, int, tuple[str, ...]]] = []
        self.others: list[tuple[str, ...]] = []
        self.hidden = 0

    def add(self, summary: ClientSummary) -> None:
        """Keep one client's line."""
        from gutcheck.batch.summary import NONE, triage_rank

        triaged = summary.triage != NONE
        if not triaged and len(self.others) >= TABLE_LIMIT:
            self.hidden += 1
            return
        line = (summary.client, self._triage(summary), self._overall(summary),
                self.titles.get(summary.top_factor or "", "–"), str(summary.row))
        if triaged:
            self.triaged.append((triage_rank(summary), summary.row, line))
        else:
            self.others.append(line)

    def _triage(self, summary: ClientSummary) -> str:
        """The red-flag cell: the most urgent flag's kind, time frame and name (and how many
        more), or the safety questions left blank; never "no" for a blank."""
        from gutcheck.batch.summary import UNANSWERED
        from gutcheck.engine.urgency import tier

        if summary.red_flags:
            flag_id, kind, urgency = summary.red_flags[0]
            more = f" (+{len(summary.red_flags) - 1} more)" if len(summary.red_flags) > 1 else ""
            label = "ALARM" if kind == "alarm" else "risk"
            return f"{label} · {tier(urgency).time_frame} · {self.flags.get(flag_id, flag_id)}{more}"
        if summary.triage == UNANSWERED:
            count = len(summary.safety_blank)
            return f"unanswered: {count} safety question{'s' if count > 1 else ''}"
        return "none"

    @staticmethod
    def _overall(summary: ClientSummary) -> str:
        from gutcheck.render.reportparts import level_word

        if summary.overall_percent is None:
            return "not scored"
        return f"{level_word(summary.overall_level)} ({summary.overall_percent:g}%)"

    def finish(self, console: Console) -> None:
        """Print the table (nothing when no row was scored)."""
        from rich.table import Table
        from rich.text import Text

        from gutcheck.render.fitting import fitted

        if not self.triaged and not self.others:
            return
        table = Table(title="Batch summary (who to contact first)", title_justify="left")
        # fitted: words wrap and are never cut; an id too long for any width is folded
        for name in ("Client", "Red flag", "Overall", "Top factor", "Row"):
            table.add_column(name, justify="right" if name == "Row" else "left", overflow="fold")
        for _, _, line in sorted(self.triaged, key=lambda item: item[:2]):
            style = "bold red" if line[1].startswith("ALARM") else "bold yellow"
            table.add_row(Text(line[0]), Text(line[1], style=style), *map(Text, line[2:]))
        for line in self.others:
            table.add_row(*map(Text, line))
        console.print(fitted(table))
        if self.hidden:
            console.print(Text(f"... and {self.hidden} more clients without red flags or blank safety answers; "
                               "use --format csv to see every client."))


def summary_output(
    fmt: str, rules: RuleBase, out: IO[str] | None = None, *, excel: bool = False
) -> SummaryOutput:
    """The summary output of ``fmt``, writing to ``out`` (default: stdout); ``excel``: a CSV for
    Excel (byte-order mark, CRLF)."""
    if fmt == "table":
        return SummaryTable(rules)
    if fmt == "fhir":
        return FhirLines(rules, out)
    from gutcheck.render.batch_records import RecordMaker

    return RecordLines(fmt, RecordMaker(rules), out, excel=excel and fmt == "csv")
