"""CSV lines for batch output: the summary records and the errors file, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel, LibreOffice or Google Sheets; such cells get a leading apostrophe, which
spreadsheets show as text. Plain numbers (``-3``, ``+1.5``) are left alone. gutcheck removes the
apostrophe again when it reads its own files back, so an errors file can be fixed and re-run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gutcheck.files.formulas import neutralise

if TYPE_CHECKING:
    from gutcheck.batch.rows import RejectedRow
    from gutcheck.batch.summary import ClientSummary
    from gutcheck.render.batch_records import RecordMaker



def cell_text(value: object) -> str:
    """A record value as cell text: empty for none, yes/no, lists joined with '; ', short numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(item) for item in value)
    return str(value)


EXCEL_BOM = "\ufeff"
"""The UTF-8 byte-order mark: Excel reads a CSV file as UTF-8 only when it starts with one."""


def line_end(excel: bool) -> str:
    """The line end of CSV output: CRLF for Excel (as RFC 4180 and Windows have it), else LF."""
    return "\r\n" if excel else "\n"


def excel_start(excel: bool) -> str:
    """What a CSV output starts with: the byte-order mark for Excel, else nothing."""
    return EXCEL_BOM if excel else ""


class CsvLines:
    """Formats rows as CSV text, one line at a time, every text cell neutralised; with ``excel``,
    lines end with CRLF."""

    def __init__(self, delimiter: str = ",", *, excel: bool = False) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator=line_end(excel))

    def line(self, cells: Iterable[object]) -> str:
        """One CSV line (with its newline) of ``cells``."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow([neutralise(cell_text(cell)) for cell in cells])
        return self._buffer.getvalue()


class SummaryCsv:
    """The summary output as CSV: a header line, then one line per scored client (for Excel,
    a byte-order mark first and CRLF line ends)."""

    def __init__(self, maker: RecordMaker, *, excel: bool = False) -> None:
        self.maker = maker
        self.lines = CsvLines(excel=excel)
        self.excel = excel

    def header(self) -> str:
        """The header line: the record's field names."""
        return excel_start(self.excel) + self.lines.line(self.maker.columns())

    def row(self, summary: ClientSummary) -> str:
        """One client's line."""
        return self.lines.line(self.maker.cells(summary))


class ErrorsCsv:
    """The errors file: each rejected row as it was read, with its row number and reasons first
    (for Excel, a byte-order mark first and CRLF line ends; gutcheck reads both back).

    The two leading columns (``gutcheck row``, ``gutcheck errors``) are ignored when the file is
    read again by ``gutcheck batch``, so a coach can fix the cells and re-run the file as it is.
    """

    def __init__(self, columns: Iterable[str], *, excel: bool = False) -> None:
        from gutcheck.batch.rows import ERRORS_REASON_COLUMN, ERRORS_ROW_COLUMN

        self.lines = CsvLines(excel=excel)
        self.columns = (ERRORS_ROW_COLUMN, ERRORS_REASON_COLUMN, *columns)
        self.excel = excel

    def header(self) -> str:
        """The header line: row, errors, then the input's own columns."""
        return excel_start(self.excel) + self.lines.line(self.columns)

    def row(self, rejected: RejectedRow) -> str:
        """One rejected row's line."""
        return self.lines.line((rejected.row, "; ".join(rejected.reasons), *rejected.cells))
