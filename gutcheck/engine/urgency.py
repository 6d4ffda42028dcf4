"""How soon a red flag needs a clinician: the urgency tiers, most urgent first, and their words.

Each tier has one time frame in words ("today", "within days" ...): the first step of a person
who answered a red flag yes begins with it, reports label the flag with it, and a flag's advice
must say it in its first sentence (``gutcheck rules lint`` checks that the words a flag's advice
opens with are its tier's, so a label never disagrees with its advice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    """One urgency: its id in rule files, its time frame in words, its label in reports, and the
    phrases that say its time frame in an advice text (matched as whole words, any case)."""

    id: str
    time_frame: str
    label: str
    phrases: tuple[str, ...]


TIERS: tuple[Tier, ...] = (
    Tier("emergency", "now", "emergency: get help now", ("now", "straight away", "immediately")),
    Tier("same_day", "today", "same day: contact a doctor today", ("today",)),
    Tier("urgent", "within days", "urgent: see a doctor within days",
         ("within days", "in the next few days", "within a few days")),
    Tier("two_weeks", "within two weeks", "prompt: see a doctor within two weeks",
         ("within two weeks", "within the next two weeks")),
    Tier("soon", "in the next few weeks", "soon: book an appointment in the next few weeks",
         ("in the next few weeks", "within a few weeks")),
    Tier("routine", "at your next appointment", "routine: mention it at your next appointment",
         ("at your next appointment",)),
)
BY_ID = {tier.id: tier for tier in TIERS}
URGENCY_IDS = tuple(tier.id for tier in TIERS)
URGENCY_ORDER = {tier.id: rank for rank, tier in enumerate(TIERS)}
UNKNOWN = Tier("unknown", "soon", "see a doctor", ())


def tier(urgency: str) -> Tier:
    """The tier of an urgency id (an unknown id, from a document of another version, reads as
    a plain "see a doctor")."""
    return BY_ID.get(urgency, UNKNOWN)


def step_line(urgency: str, action: str) -> str:
    """A red flag's first step: its time frame in words, then the action ("Within days: see a
    doctor about the bleeding.")."""
    frame = tier(urgency).time_frame
    return f"{frame[0].upper()}{frame[1:]}: {action}"


def phrases_said(text: str) -> tuple[str, ...]:
    """The tiers whose time-frame phrases ``text`` says, most urgent first (for the lint that
    keeps a flag's label and its advice in step)."""
    lowered = " ".join(text.lower().split())
    return tuple(
        tier.id for tier in TIERS
        if any(re.search(rf"\b{re.escape(phrase)}\b", lowered) for phrase in tier.phrases)
    )
