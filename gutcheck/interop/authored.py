"""A response's ``authored`` as the assessment's time: the date the person filled in the form.

FHIR's dateTime may be a year, a year and month, a date, or a date and time with a time zone
(seconds required, any number of decimals). An assessment's time is an ISO 8601 time with its
offset, so a date and time is kept as it is (its decimals to the microsecond), a date alone is
midnight of that day in the local time zone (so that it is shown as that day), and a year or a
month alone is refused: it does not say which day the form was filled in.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d+))?(?P<zone>Z|[+-]\d{2}:\d{2})?)?"
)
_PARTIAL = re.compile(r"\d{4}(?:-\d{2})?")


def authored_time(value: object) -> tuple[str | None, str | None]:
    """``(time, None)`` for a usable ``authored`` (None when absent), or ``(None, why not)``: the
    reason starts with the value, to follow "authored: "."""
    if value is None:
        return None, None
    example = "give one such as 2026-03-14T10:30:00+01:00"
    if not isinstance(value, str):
        return None, f"{value!r} is not a date and time; {example}"
    text = value.strip()
    found = _DATE_TIME.fullmatch(text)
    if found is None or (found["time"] and not found["zone"]):
        return None, _why_not(text, example)
    try:
        return _iso(found), None
    except ValueError:
        return None, f"{text!r} is not a real date and time; correct it"


def _why_not(text: str, example: str) -> str:
    if _PARTIAL.fullmatch(text):
        return f"{text!r} gives no day; give the full date the form was filled in (YYYY-MM-DD)"
    if _DATE_TIME.fullmatch(text):
        return f"{text!r} has a time but no time zone; add one, such as Z or +01:00"
    return f"{text!r} is not a FHIR date and time; {example}"


def _iso(found: re.Match[str]) -> str:
    day = datetime.strptime(found["date"], "%Y-%m-%d")
    if not found["time"]:
        import time

        if hasattr(time, "tzset"):
            time.tzset()  # honour TZ as it is now (as the rest of gutcheck does)
        return day.astimezone().isoformat()  # midnight of that day, here
    hours, minutes, seconds = (int(part) for part in found["time"].split(":"))
    micro = int((found["fraction"] or "0")[:6].ljust(6, "0"))
    zone = timezone.utc if found["zone"] == "Z" else _offset(found["zone"])
    stamp = day.replace(hour=hours, minute=minutes, second=seconds, microsecond=micro, tzinfo=zone)
    return stamp.isoformat()


def _offset(text: str) -> timezone:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
