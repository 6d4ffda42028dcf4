"""Safety lint: red flags say what to do and how soon in words that match their urgency, and
dose limits never override a prescription.

A red flag's label ("urgent: see a doctor within days") and its advice must not disagree, so
the first sentence of every advice a flag can give must say the time frame of the urgency it
is given with, and no other. ``targeted`` suggestions are guidelines made for the situation
their condition picks out, so they need a condition and a guideline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gutcheck.engine.urgency import BY_ID, phrases_said
from gutcheck.lint.findings import Finding, PathKey
from gutcheck.rulebook import spec
from gutcheck.rulebook.compiler import first_sentence

_DOSE = re.compile(r"\b\d[\d,.]*\s*(?:mg|milligrams?|IU|micrograms?|mcg|µg|g)\b", re.IGNORECASE)
_PRESCRIPTION = re.compile(r"\bprescrib", re.IGNORECASE)


def safety_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    """Every safety finding of a rule base: red-flag wording and urgency, targeted suggestions,
    dose limits."""
    for i, flag in enumerate(model.red_flags):
        yield from _flag_findings(flag, ("red_flags", i))
    for f, factor in enumerate(model.factors):
        for s, suggestion in enumerate(factor.suggestions):
            path: PathKey = ("factors", f, "suggestions", s)
            yield from _targeted_findings(suggestion, path)
            yield from _dose_findings(suggestion, path)


def _flag_findings(flag: spec.RedFlagSpec, path: PathKey) -> Iterator[Finding]:
    if flag.action is None:
        message = (
            f"red flag {flag.id!r} has no 'action': give the first step in one line, such as 'see a doctor about ...'"
        )
        yield Finding((*path, "id"), message)
    yield from _timeframe_findings(flag.advice, flag.urgency, (*path, "advice"))
    for r, rule in enumerate(flag.urgency_if):
        where: PathKey = (*path, "urgency_if", r, "advice" if rule.advice is not None else "urgency")
        yield from _timeframe_findings(rule.advice or flag.advice, rule.urgency, where)


def _timeframe_findings(advice: str, urgency: str, path: PathKey) -> Iterator[Finding]:
    """The advice's first sentence says its urgency's time frame, and no other."""
    wanted = BY_ID[urgency]
    said = phrases_said(first_sentence(advice))
    if said == (urgency,):
        return
    others = ", ".join(repr(BY_ID[other].time_frame) for other in said if other != urgency)
    if not said:
        message = (
            f"the advice's first sentence gives no time frame; its urgency {urgency!r} means "
            f"{wanted.time_frame!r}: open with it, such as 'Please see a doctor {wanted.time_frame}.'"
        )
    elif urgency not in said:
        message = (
            f"the advice's first sentence says {others}, but its urgency {urgency!r} means "
            f"{wanted.time_frame!r}; make the urgency and the advice agree"
        )
    else:
        message = f"the advice's first sentence says {others} as well as {wanted.time_frame!r}; say one time frame"
    yield Finding(path, message)


def _targeted_findings(suggestion: spec.SuggestionSpec, path: PathKey) -> Iterator[Finding]:
    if suggestion.priority != "targeted":
        return
    if suggestion.evidence != "guideline":
        message = (
            f"suggestion {suggestion.id!r} has priority 'targeted' but is graded {suggestion.evidence!r}; "
            "'targeted' is for a guideline made for the situation its 'when' describes"
        )
        yield Finding((*path, "priority"), message)
    if suggestion.when is None:
        message = f"suggestion {suggestion.id!r} has priority 'targeted' but no 'when': say which situation it is for"
        yield Finding((*path, "priority"), message)


def _dose_findings(suggestion: spec.SuggestionSpec, path: PathKey) -> Iterator[Finding]:
    """A dose limit must say that a prescription wins (a patient on a prescribed course must
    never cut it because of a general limit)."""
    for name in ("text", "caution", "short"):
        text = getattr(suggestion, name)
        if text and _DOSE.search(text) and not _PRESCRIPTION.search(text):
            message = (
                "this text gives a dose but does not say that a prescription wins; add "
                "'unless a clinician prescribes otherwise'"
            )
            yield Finding((*path, name), message)
