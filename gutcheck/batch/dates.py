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
from datetime import datetime, timedelta

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
    """Reads the cells of one time column as ISO 8601 times with their offset.

    Every timestamp of a form is different, so little is remembered by the whole text (a
    date-only column repeats): what is remembered is what repeats, the days found real (by
    their text), the zones' offsets and the local offset of each hour. :meth:`check` only
    checks a cell, for rows whose date is not kept.
    """

    def __init__(self, column: str, samples: Iterable[str] = ()) -> None:
        self.column = column
        self.utc = "utc" in column.casefold() or "gmt" in column.casefold()
        self.day_first = _day_first(samples)
        self.cache: dict[str, str] = {}
        self.order = list(_PATTERNS)
        self._days: dict[tuple[str | None, ...], tuple[int, int, int]] = {}
        self._offsets: dict[object, str] = {}

    def __call__(self, text: str) -> str | None:
        """The time in ``text`` as ISO 8601 with offset; None for an empty cell; raises
        :class:`BadDate` for a cell that is not a date."""
        found = self.cache.get(text)
        if found is not None:
            return found
        cell = text.strip()
        if not cell:
            return None
        year, month, day, h, m, s, zone = self._fields(cell)
        two, offset = _TWO, self._offset(zone, year, month, day, h)
        stamp = f"{year:04d}-{two[month]}-{two[day]}T{two[h]}:{two[m]}:{two[s]}{offset}"
        if len(self.cache) < CELL_CACHE_LIMIT:
            self.cache[text] = stamp
        return stamp

    def check(self, text: str) -> bool:
        """True for a cell holding a date the column can read, False for an empty one; raises
        :class:`BadDate` as calling it would, but makes no ISO text."""
        cell = text.strip()
        if not cell:
            return False
        self._fields(cell)
        return True

    def _fields(self, cell: str) -> tuple[int, int, int, int, int, int, str | None]:
        """Year, month, day, hour, minute, second and zone text of a cell; raises BadDate."""
        kind, pattern = self.order[0]  # the pattern of the column's last cell, most often this one's
        match = pattern.fullmatch(cell)
        if match is None:
            kind, match = self._other(cell)
        groups = match.groups()
        try:
            year, month, day = self._day(kind, groups)
            hour, minute, second, half, zone = groups[-5:]
            return (year, month, day, *_clock(hour, minute, second, half), zone)
        except ValueError as exc:  # a month 13, a 31st of April, 25 o'clock
            reason = exc if isinstance(exc, BadDate) else f"{cell!r} is not a real date and time"
            raise BadDate(f"{reason} ({EXAMPLES})") from None

    def _other(self, cell: str) -> tuple[str, re.Match[str]]:
        """The kind and match of a cell in another pattern than the last one, which it then
        replaces; raises BadDate when none matches."""
        for place, (kind, pattern) in enumerate(self.order):
            match = pattern.fullmatch(cell)
            if match is not None:
                self.order.insert(0, self.order.pop(place))
                return kind, match
        raise BadDate(f"{cell!r} is not a date and time gutcheck can read ({EXAMPLES})")

    def _day(self, kind: str, groups: Sequence[str | None]) -> tuple[int, int, int]:
        """The real day the date part names (remembered by its text: a column repeats days)."""
        key = (kind, *groups[:4])
        found = self._days.get(key)
        if found is None:
            year, month, day = self._date(kind, groups)
            datetime(year, month, day)  # raises ValueError for a day that does not exist
            found = (year, month, day)
            if len(self._days) < CELL_CACHE_LIMIT:
                self._days[key] = found
        return found

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

    def _offset(self, zone: str | None, year: int, month: int, day: int, hour: int) -> str:
        """``+HH:MM`` of the cell's zone, of UTC for a column named so, else of local time then
        (the local offset changes only at a clock change: it is remembered per hour)."""
        key: object = zone if zone else ("utc" if self.utc else (year, month, day, hour))
        found = self._offsets.get(key)
        if found is None:
            if zone:
                found = _iso_offset(_zone_offset(zone))
            elif self.utc:
                found = "+00:00"
            else:
                local = datetime(year, month, day, hour).astimezone().utcoffset()
                found = _iso_offset(local or timedelta(0))
            if len(self._offsets) < CELL_CACHE_LIMIT:
                self._offsets[key] = found
        return found


def _iso_offset(offset: timedelta) -> str:
    """An offset as ``isoformat`` writes it: ``+05:30``, ``-04:00``, ``+00:00``."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _day_first(samples: Iterable[str]) -> bool:
    """True when a sampled cell shows the column writes the day first (13/03/2026, 14.03.2026)."""
    pattern = _PATTERNS[1][1]
    for text in samples:
        match = pattern.fullmatch(text.strip())
        if match is not None and (int(match.group(1)) > 12 or match.group(2) == "."):
            return True
    return False


def _clock(hour: str | None, minute: str | None, second: str | None, half: str | None) -> tuple[int, int, int]:
    h, m, s = int(hour) if hour else 0, int(minute) if minute else 0, int(second) if second else 0
    if half is not None:
        if not 1 <= h <= 12:
            raise BadDate(f"{h} o'clock is not a time of day with AM or PM")
        h = h % 12 + (12 if half[0] in "Pp" else 0)
    if h > 23 or m > 59 or s > 59:
        raise ValueError("not a time of day")
    return h, m, s


_TWO = tuple(f"{n:02d}" for n in range(100))


def _month(name: str | None) -> int:
    number = _MONTHS.get((name or "").casefold())
    if number is None:
        raise BadDate(f"{name!r} is not the name of a month")
    return number


def _zone_offset(zone: str) -> timedelta:
    text = zone.upper().replace("UTC", "").replace("GMT", "").strip()
    if text in ("", "Z"):
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        raise BadDate(f"{zone!r} is not a time zone offset")
    return sign * timedelta(hours=hours, minutes=minutes)
