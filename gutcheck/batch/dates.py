"""The form's own date of each response: finding the time column and reading its cells.

Online forms export when each response was sent: Google Forms ``Timestamp``
(``2026/01/12 9:14:03 AM GMT``, or ``1/12/2026 9:14:03`` from the linked sheet), Microsoft Forms
``Completion time`` and ``Start time`` (``3/14/2026 14:05:09``), Typeform ``Submit Date (UTC)``,
Tally ``Submitted at``, JotForm ``Submission Date``, SurveyMonkey ``End Date`` and ``Start Date``,
and ISO 8601 from anything else. A cell is read once per distinct text (most exports repeat
few), by the pattern that matched the column's last cell first.

Slashed dates are month first (as those tools write them) unless the column shows otherwise:
a first number above 12 in any sampled cell makes the column day first, and so does a dotted
date (``14.03.2026``). A time without a zone is the local time of this computer, except in a
column whose name says UTC or GMT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone, tzinfo

from gutcheck.answers.parse import normalise_text
from gutcheck.batch.rows import CELL_CACHE_LIMIT

# In order of preference: when a response was completed, then when it was started.
TIME_COLUMN_NAMES = (
    "completion time", "completed at", "completed", "submitted at", "submitted", "submit date (utc)",
    "submit date", "submission date", "date submitted", "submitted on", "timestamp", "end date",
    "end time", "date", "created at", "start time", "start date",
)

EXAMPLES = "such as 2026-03-14 14:05, 3/14/2026 14:05:09 or 2026/03/14 2:05:09 PM GMT"

_MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}

_TIME = r"(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?"
_ZONE = r"\s*(Z|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)?"
_PATTERNS = (
    ("ymd", re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + _ZONE)),
    ("numeric", re.compile(r"(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4}|\d{2})" + _TIME + _ZONE)),
    ("month-day", re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + _ZONE)),
    ("day-month", re.compile(r"(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})" + _TIME + _ZONE)),
)


class BadDate(ValueError):
    """A cell that is not a date and time gutcheck can read; the message says why."""


def find_time_column(names: Sequence[str], wanted: str | None) -> int | None:
    """The index of the time column: the one named ``wanted``, or the first usual name (any
    case; ``submitted_at`` as a JSON key is ``Submitted at``)."""
    keys = [normalise_text(name) for name in names]
    if wanted is not None:
        key = normalise_text(wanted)
        return keys.index(key) if key in keys else None
    keys = [key.replace("_", " ") for key in keys]
    for name in TIME_COLUMN_NAMES:
        if name in keys:
            return keys.index(name)
    return None


class FormDates:
    """Reads the cells of one time column as ISO 8601 times with their offset."""

    def __init__(self, column: str, samples: Iterable[str] = ()) -> None:
        self.column = column
        self.utc = "utc" in column.casefold() or "gmt" in column.casefold()
        self.day_first = _day_first(samples)
        self.cache: dict[str, str] = {}
        self.order = list(_PATTERNS)
        self._zones: dict[tuple[int, int, int, int], tzinfo] = {}

    def __call__(self, text: str) -> str | None:
        """The time in ``text`` as ISO 8601 with offset; None for an empty cell; raises
        :class:`BadDate` for a cell that is not a date."""
        found = self.cache.get(text)
        if found is not None:
            return found
        cell = text.strip()
        if not cell:
            return None
        stamp = self._parse(cell).isoformat()
        if len(self.cache) >= CELL_CACHE_LIMIT:
            self.cache.clear()
        self.cache[text] = stamp
        return stamp

    def _parse(self, cell: str) -> datetime:
        for place, (kind, pattern) in enumerate(self.order):
            match = pattern.fullmatch(cell)
            if match is not None:
                if place:  # the column's cells are alike: try this pattern first next time
                    self.order.insert(0, self.order.pop(place))
                try:
                    return self._stamp(kind, match.groups())
                except ValueError as exc:  # a month 13, a 31st of April, 25 o'clock
                    reason = exc if isinstance(exc, BadDate) else f"{cell!r} is not a real date and time"
                    raise BadDate(f"{reason} ({EXAMPLES})") from None
        raise BadDate(f"{cell!r} is not a date and time gutcheck can read ({EXAMPLES})")

    def _stamp(self, kind: str, groups: Sequence[str | None]) -> datetime:
        year, month, day = self._date(kind, groups)
        hour, minute, second, half, zone = groups[-5:]
        naive = datetime(year, month, day, *_clock(hour, minute, second, half))
        return naive.replace(tzinfo=self._zone(zone, naive))

    def _date(self, kind: str, groups: Sequence[str | None]) -> tuple[int, int, int]:
        first, second, third = groups[0], groups[1], groups[2]
        if kind == "ymd":
            return int(first or 0), int(second or 0), int(third or 0)
        if kind == "numeric":
            year = int(groups[3] or 0)
            year += 2000 if year < 100 else 0
            a, b = int(first or 0), int(third or 0)
            day_first = self.day_first or second == "." or a > 12
            return (year, b, a) if day_first else (year, a, b)
        if kind == "month-day":
            return int(third or 0), _month(first), int(second or 0)
        return int(third or 0), _month(second), int(first or 0)

    def _zone(self, zone: str | None, naive: datetime) -> tzinfo:
        if zone:
            return _offset(zone)
        if self.utc:
            return timezone.utc
        key = (naive.year, naive.month, naive.day, naive.hour)
        found = self._zones.get(key)
        if found is None:  # the local offset changes only at a clock change: remembered per hour
            found = naive.astimezone().tzinfo or timezone.utc
            self._zones[key] = found
        return found


def _day_first(samples: Iterable[str]) -> bool:
    """True when a sampled cell shows the column writes the day first (13/03/2026, 14.03.2026)."""
    pattern = _PATTERNS[1][1]
    for text in samples:
        match = pattern.fullmatch(text.strip())
        if match is not None and (int(match.group(1)) > 12 or match.group(2) == "."):
            return True
    return False


def _clock(hour: str | None, minute: str | None, second: str | None, half: str | None) -> tuple[int, int, int]:
    h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
    if half is not None:
        if not 1 <= h <= 12:
            raise BadDate(f"{h} o'clock is not a time of day with AM or PM")
        h = h % 12 + (12 if half[0] in "Pp" else 0)
    return h, m, s


def _month(name: str | None) -> int:
    number = _MONTHS.get((name or "").casefold())
    if number is None:
        raise BadDate(f"{name!r} is not the name of a month")
    return number


def _offset(zone: str) -> tzinfo:
    text = zone.upper().replace("UTC", "").replace("GMT", "").strip()
    if text in ("", "Z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        raise BadDate(f"{zone!r} is not a time zone offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
