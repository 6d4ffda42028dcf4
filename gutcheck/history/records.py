"""What the history holds, as plain data: saved assessments, drafts, profiles; profile-name rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from gutcheck.engine.assessment import Assessment
from gutcheck.errors import UsageError

MAX_PROFILE_LENGTH = 100


@dataclass(frozen=True)
class StoredAssessment:
    """One saved assessment: its id, profile, time taken (UTC) and the assessment itself."""

    id: int
    profile: str
    taken_at: str
    assessment: Assessment
    saved_at: str = ""


@dataclass(frozen=True)
class Draft:
    """Quiz answers saved so far (JSON values), the position reached, and when."""

    answers: dict[str, Any]
    position: int
    saved_at: str


@dataclass(frozen=True)
class ProfileSummary:
    """A profile with how many assessments it holds and the first and last time taken."""

    name: str
    count: int
    first: str | None
    last: str | None


def check_profile(name: str) -> str:
    """Return ``name`` if it is a usable profile name; raise UsageError saying why not."""
    if not name or not name.strip():
        raise UsageError("A profile name cannot be empty; give one such as --profile anna.")
    if len(name) > MAX_PROFILE_LENGTH:
        raise UsageError(
            f"The profile name is longer than {MAX_PROFILE_LENGTH} characters; use a shorter one."
        )
    if not name.isprintable():
        raise UsageError(f"The profile name {name!r} contains control characters; use plain text.")
    return name


def utc_stamp(taken_at: str) -> str:
    """``taken_at`` as a sortable UTC ISO time (``...Z``); unparseable text is kept as it is."""
    try:
        stamp = datetime.fromisoformat(taken_at.replace("Z", "+00:00"))
    except ValueError:
        return taken_at
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")

def now_stamp() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def draft_profile(key: str) -> str:
    """The profile part of a draft key ``profile:rules_id`` (rule ids never hold ':')."""
    return key.rpartition(":")[0]
