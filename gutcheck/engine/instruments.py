"""An instrument's own result inside a factor (such as AUDIT-C): total, cut-off, screen."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from gutcheck.engine.assessment import InstrumentResult
from gutcheck.rulebook.model import Cutoff, Factor

NOT_SCREENED = "no screen result"


def instrument_result(
    factor: Factor, shown: Mapping[str, Any], unanswered: Collection[str]
) -> InstrumentResult | None:
    """The factor's instrument result for these answers; None when it has no instrument or
    none of its items was answered.

    The total is the sum of the items' points (a hidden item counts 0: it does not apply).
    The cut-off is the first whose condition holds (one without ``at_least`` gives no screen
    result: neither positive nor negative); ``note`` says so when it was chosen because an
    answer it depends on (sex, say) was not given.
    """
    instrument = factor.instrument
    if instrument is None:
        return None
    questions = {q.id: q for q in factor.questions}
    items = [questions[i] for i in instrument.items if i in questions]
    answered = [q for q in items if q.id in shown]
    if not answered:
        return None
    total = sum(q.points(shown[q.id]) for q in answered)
    cutoff = instrument.cutoff_for(shown)
    if cutoff is None:
        return None
    return result_at(factor, cutoff, total, shown, unanswered)


def result_at(
    factor: Factor, cutoff: Cutoff, total: int, shown: Mapping[str, Any], unanswered: Collection[str]
) -> InstrumentResult:
    """The result of the factor's instrument for a ``total`` judged at ``cutoff`` (the generated
    scorer finds both itself; :func:`instrument_result` works them out from the answers)."""
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
