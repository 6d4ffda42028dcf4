"""What the history holds, as plain data: saved assessments, drafts, profiles; profile-name rules."""

from __future__ import annotations

import json
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
    """A profile with how many assessments it holds, the first and last time taken, and its last
    assessment's overall percent and rule base (content hash)."""

    name: str
    count: int
    first: str | None
    last: str | None
    last_percent: float | None = None
    last_rules: str | None = None


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
    """The current UTC time, to the second, as ISO text ending in Z."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def draft_profile(key: str) -> str:
    """The profile part of a draft key ``profile:rules_id`` (rule ids never hold ':')."""
    return key.rpartition(":")[0]


def json_default(value: object) -> object:
    """JSON for the values quiz drafts may hold besides plain data: sets become sorted lists."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def answers_key(document: Any) -> str | None:
    """The answers of an assessment document (or of its JSON text) as one canonical text, to
    tell two assessments made from the same answers (None for a document that holds none)."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    answers = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(answers, (list, tuple)):
        return None
    return json.dumps(answers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def profile_problem(client: str) -> str | None:
    """Why ``client`` cannot name a history profile, as a row error, or None when it can."""
    if not client:
        return "no client id to save the assessment under; fill it in, or leave out --save"
    if len(client) > MAX_PROFILE_LENGTH:
        return f"the client id is longer than {MAX_PROFILE_LENGTH} characters, too long to save under"
    if not client.isprintable():
        return "the client id holds control characters; use plain text to save under it"
    return None
