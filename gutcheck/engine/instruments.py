"""An instrument's own result inside a factor (such as AUDIT-C): total, cut-off, screen."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from gutcheck.engine.assessment import InstrumentResult
from gutcheck.rulebook.model import Cutoff, Factor

NOT_SCREENED = "no screen result"


def result_at(
    factor: Factor, cutoff: Cutoff, total: int, shown: Mapping[str, Any], unanswered: Collection[str]
) -> InstrumentResult:
    """The result of the factor's instrument for a ``total`` judged at ``cutoff``, both found by
    the generated scorer (the total is the sum of the items' points, a hidden item counting 0:
    it does not apply; the cut-off the first whose condition holds). A cut-off without
    ``at_least`` gives no screen result: neither positive nor negative. ``note`` says when the
    cut-off was chosen without an answer it depends on (sex, say), or items were not answered."""
    instrument = factor.instrument
    assert instrument is not None
    questions = {q.id: q for q in factor.questions}
    items = [questions[i] for i in instrument.items if i in questions]
    screened = cutoff.at_least is not None
    positive = screened and total >= (cutoff.at_least or 0)
    result = (instrument.positive if positive else instrument.negative) if screened else NOT_SCREENED
    return InstrumentResult(
        factor=factor.id, id=instrument.id, name=instrument.name, total=total,
        max=sum(q.max_points for q in items), at_least=cutoff.at_least, label=cutoff.label,
        positive=positive, result=result,
        note=_note(instrument.reads, shown, [q.id for q in items if q.id in unanswered]),
        references=instrument.references,
    )


def _note(reads: frozenset[str], shown: Mapping[str, Any], skipped: list[str]) -> str | None:
    missing = sorted(key for key in reads if key not in shown)
    notes = []
    if missing:
        names = ", ".join(key.replace("_", " ") for key in missing)
        notes.append(f"the cut-off was chosen without your answer about {names}, which was not given")
    if skipped:
        count = len(skipped)
        notes.append(f"{count} of its questions {'was' if count == 1 else 'were'} not answered and counted as 0")
    return "; ".join(notes) if notes else None
