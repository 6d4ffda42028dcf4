"""Times as people read them: in their own time zone, in words ("today at 21:54", "yesterday at
09:10", "3 Nov 2026"). Files and JSON keep ISO 8601 with an offset; only screens use these words.

The local zone is the system's, and ``TZ`` is honoured (re-read on every call, so tests can set
it); "now" is passed in, so ``GUTCHECK_NOW`` fixes it for reproducible output.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_zone() -> tzinfo:
    """The person's time zone, as ``TZ`` or the system sets it."""
    import time

    if hasattr(time, "tzset"):
        time.tzset()
    return datetime.now().astimezone().tzinfo or timezone.utc


def parse_stamp(stamp: str) -> datetime | None:
    """An ISO 8601 time (``Z`` allowed; no offset means UTC), or None when it is not one."""
    try:
        parsed = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def date_words(day: datetime) -> str:
    """'3 Nov 2026' (month names in English, whatever the locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def when_words(stamp: str | datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """``stamp`` in local words relative to ``now``: 'today at 21:54', 'yesterday at 09:10', or
    '3 Nov 2026'. Text that is not a time is shown as it is."""
    moment = parse_stamp(stamp) if isinstance(stamp, str) else stamp
    if moment is None:
        return str(stamp)
    zone = zone or local_zone()
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return f"today at {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday at {local:%H:%M}"
    return date_words(local)


def iso_local(moment: datetime, zone: tzinfo | None = None) -> str:
    """``moment`` as ISO 8601 with the local offset, to the second (for files and JSON)."""
    return moment.astimezone(zone or local_zone()).replace(microsecond=0).isoformat()
