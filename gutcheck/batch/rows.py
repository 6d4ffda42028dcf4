"""What a batch yields: its input format, and one parsed or rejected row per data row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ERRORS_ROW_COLUMN = "gutcheck row"


ERRORS_REASON_COLUMN = "gutcheck errors"


IGNORED_COLUMNS = frozenset({ERRORS_ROW_COLUMN, ERRORS_REASON_COLUMN})


NOTES_MARK = "# "  # a row right under the header whose first cell starts so is a note, not a client


SAMPLE_CHARS = 64 * 1024


JSON_CHUNK_CHARS = 64 * 1024


MAX_JSON_RECORD_CHARS = 4 * 1024 * 1024


MAX_RECORD_CHARS = MAX_JSON_RECORD_CHARS  # a CSV row longer than this is rejected unread


MAX_CELL_CHARS = 10_000  # no answer or client id is longer; a longer cell is a rejected row


CELL_CACHE_LIMIT = 512


KEY_CACHE_LIMIT = 1000


NOT_UTF8 = (
    "is not UTF-8 text; if it is a spreadsheet (.xlsx, .ods) or a legacy export, "
    "save it as 'CSV UTF-8' and try again"
)


NOT_UTF8_CELL = (
    "holds bytes that are not UTF-8 text (part of the file was saved in another encoding); "
    "retype that cell, or save the file as 'CSV UTF-8', and run it again"
)


Warn = Callable[[str], None]


ClientCheck = Callable[[str], "str | None"]


@dataclass(frozen=True)
class InputFormat:
    """What kind of input this is: ``csv`` (with its delimiter), ``json`` (array), ``jsonl`` or ``fhir``."""

    kind: str
    delimiter: str = ","

    def describe(self) -> str:
        """The format in words, for notices."""
        if self.kind == "json":
            return "JSON array"
        if self.kind == "jsonl":
            return "JSON Lines"
        if self.kind == "fhir":
            return "FHIR QuestionnaireResponses"
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
        return f"{names.get(self.delimiter, repr(self.delimiter))}-separated CSV"


@dataclass(frozen=True)
class ReadOptions:
    """How a batch is read.

    ``id_column`` and ``time_column`` name the client and time columns (None: found by their
    usual names); ``roles`` is set for ``gutcheck batch``, which dates each response by its time
    column and names the questions without a column (``strict_columns``: as an error);
    ``client_check`` says why a client id cannot be used (for ``--save``), or None.
    """

    id_column: str | None = None
    time_column: str | None = None
    roles: bool = False
    strict_columns: bool = False
    client_check: ClientCheck | None = None


@dataclass(frozen=True)
class ParsedRow:
    """A row whose answers all fit: its place, the client it names and the parsed answers, and
    when the form was sent (ISO 8601), if its time column says."""

    row: int
    client: str
    answers: dict[str, Any]
    named: bool = True
    taken_at: str | None = None  # when the answers were given, if the input says (FHIR authored)


@dataclass(frozen=True)
class LeftOutRow:
    """A row left out because its client has a later row in the same input (``--duplicates
    latest``), and the red flags it answered yes to (its client's scored row may not)."""

    row: int
    client: str
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be scored, every reason, and its cells for the errors file."""

    row: int
    client: str
    reasons: tuple[str, ...]
    cells: tuple[str, ...]


BatchRow = ParsedRow | RejectedRow | LeftOutRow


@dataclass(frozen=True)
class RowCells:
    """What the duplicate check reads of a data row: its place, client (empty when none is
    named), time cell (empty when none) and, for JSON and FHIR, the question keys it holds."""

    row: int
    client: str
    time: str = ""
    keys: tuple[str, ...] = ()

