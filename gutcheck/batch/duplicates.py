"""Clients who appear on more than one row of one input, and what becomes of their rows.

A form filled in twice by the same person is one client, not two: by default only their latest
row (by the form's date, else the last in the file) is scored, and the others are left out and
named. ``--duplicates all`` keeps every row (``--save`` still keeps only the latest, so one file
never makes a trend), ``--duplicates reject`` rejects every row of such a client.

Finding them stays cheap and small for huge inputs: :class:`ClientKeys` keeps only a 64-bit
hash of each client (8 bytes a row); a hash seen twice makes a candidate, and only the
candidates' rows are then read exactly (:func:`find_duplicates`), so two names with the same
hash are never taken for one client.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from gutcheck.batch.dates import BadDate, FormDates
from gutcheck.batch.rows import RowCells

POLICIES = ("latest", "all", "reject")
SHOWN_CLIENTS = 20
_PARTS = 64  # a power of two: a hash picks its part by its low bits


def client_key(client: str) -> str:
    """The client as the duplicate check compares it: without spaces around it, as the history
    names its profiles (so 'Ann' and 'ann' are two clients there, and here)."""
    return client.strip()


class ClientKeys:
    """The hash of every client seen (8 bytes a row), to tell cheaply whether any appears twice.

    Hashes seen twice are found at the end, a part of them at a time for a large input; they
    are only candidates: :func:`find_duplicates` reads their rows exactly.
    """

    def __init__(self) -> None:
        self.keys = array("q")

    def add(self, client: str) -> None:
        """Remember one named client (an empty name is nobody)."""
        if client:
            self.keys.append(hash(client_key(client)))

    def add_all(self, clients: Iterable[str]) -> None:
        """Remember many clients, each already stripped of spaces (as a summary's client is)."""
        self.keys.extend(map(hash, clients))

    def candidates(self) -> set[int]:
        """Hashes seen more than once. Beyond :data:`_WHOLE` of them, they are sorted into parts
        by hash, taken off the end of the whole a chunk at a time (so the two are never both
        whole in memory), and each part is checked with a set of its own (a sixty-fourth of the
        clients). The hashes are used up."""
        keys = self.keys
        if len(keys) <= _WHOLE:  # one set of them all: a few MB at most
            return _repeated(keys) if len(set(keys)) != len(keys) else set()
        parts = [array("q") for _ in range(_PARTS)]
        while keys:
            chunk = keys[-_CHUNK:]
            del keys[-_CHUNK:]
            for key in chunk:
                parts[key & (_PARTS - 1)].append(key)
        found: set[int] = set()
        for part in parts:
            if len(set(part)) != len(part):
                found |= _repeated(part)
        return found


_CHUNK = 1 << 16
_WHOLE = 20_000


def _repeated(keys: Iterable[int]) -> set[int]:
    seen: set[int] = set()
    found: set[int] = set()
    for key in keys:
        if key in seen:
            found.add(key)
        seen.add(key)
    return found


@dataclass(frozen=True)
class Occurrence:
    """One row of a client who appears more than once: its row, client text and date."""

    row: int
    client: str
    when: datetime | None


@dataclass(frozen=True)
class Duplicate:
    """A client on more than one row, their rows in input order, and the row kept."""

    client: str
    rows: tuple[Occurrence, ...]
    kept: int

    def describe(self) -> str:
        """The client and their rows, for a notice."""
        rows = [o.row for o in self.rows]
        listed = ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"
        return f"{self.client!r} (rows {listed}; the latest is row {self.kept})"


def find_duplicates(
    cells: Iterator[RowCells], candidates: set[int], dates: Callable[[], FormDates | None]
) -> list[Duplicate]:
    """The clients of ``candidates`` that really appear on more than one row of ``cells``."""
    found: dict[str, list[Occurrence]] = {}
    for cell in cells:
        if not cell.client:
            continue
        key = client_key(cell.client)
        if hash(key) in candidates:
            found.setdefault(key, []).append(Occurrence(cell.row, cell.client, _when(dates(), cell.time)))
    return [_duplicate(rows) for rows in found.values() if len(rows) > 1]


def _when(dates: FormDates | None, text: str) -> datetime | None:
    if dates is None or not text:
        return None
    try:
        stamp = dates(text)
    except BadDate:
        return None  # the row itself is rejected for it, with the reason
    return datetime.fromisoformat(stamp) if stamp else None


def _duplicate(rows: list[Occurrence]) -> Duplicate:
    """The latest row is the one with the latest date; rows without one count as older, and
    rows with the same date (or none) by their order in the input."""
    latest = max(rows, key=lambda o: (o.when is not None, o.when.timestamp() if o.when else 0.0, o.row))
    return Duplicate(latest.client, tuple(rows), latest.row)


@dataclass(frozen=True)
class Plan:
    """What becomes of the rows of clients who appear more than once.

    ``rows`` maps a row to None (left out) or to the reason it is rejected; ``unsaved`` holds
    rows that are scored but not saved (``--duplicates all``: one file never makes a trend).
    """

    policy: str
    duplicates: tuple[Duplicate, ...]
    rows: dict[int, str | None]
    unsaved: frozenset[int]

    @classmethod
    def of(cls, duplicates: list[Duplicate], policy: str) -> Plan:
        """The plan for ``duplicates`` under ``policy`` (``latest``, ``all`` or ``reject``)."""
        rows: dict[int, str | None] = {}
        unsaved: set[int] = set()
        for duplicate in duplicates:
            others = [o.row for o in duplicate.rows if o.row != duplicate.kept]
            if policy == "reject":
                reason = (f"the client {duplicate.client!r} is on {len(duplicate.rows)} rows "
                          f"({', '.join(str(o.row) for o in duplicate.rows)}) and --duplicates reject was "
                          "given; keep one of them and run again")
                rows.update((o.row, reason) for o in duplicate.rows)
            elif policy == "latest":
                rows.update((row, None) for row in others)
            else:
                unsaved.update(others)
        return cls(policy, tuple(duplicates), rows, frozenset(unsaved))

    def warning(self, display: str, time_column: str | None) -> str | None:
        """The one warning naming the clients who appear more than once, or None."""
        if not self.duplicates:
            return None
        count = len(self.duplicates)
        who = "1 client appears" if count == 1 else f"{count} clients appear"
        by = (f"the latest by the form's date in {time_column!r}, then by row order" if time_column
              else "the last in the file")
        what = {
            "latest": f"only the latest row of each is scored ({by}) and the others are left out "
                      "(--duplicates all keeps every row, --duplicates reject rejects them)",
            "all": "every row is scored (--duplicates all), but --save keeps only the latest of each",
            "reject": "every row of each is rejected (--duplicates reject)",
        }[self.policy]
        listed = "; ".join(d.describe() for d in self.duplicates[:SHOWN_CLIENTS])
        more = f"; and {count - SHOWN_CLIENTS} more" if count > SHOWN_CLIENTS else ""
        return f"{display}: {who} on more than one row; {what}: {listed}{more}."
