"""The full assessment's parts made from what the generated scorer found (a :class:`Trace`).

The generated ``trace`` decides everything that is scored: which questions are shown, the
points and sums, bands, cut-offs, which suggestions and urgency rules hold, the overall mean.
This module only dresses those decisions as the engine's plain data: factor results with each
answer's contribution, instrument results, red-flag results, in the rule base's order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gutcheck.engine.assessment import Contribution, FactorResult, InstrumentResult
from gutcheck.engine.compiled import NOT_SCORED, PLACE_MASK, Helpers, Trace, compiled
from gutcheck.engine.instruments import result_at
from gutcheck.engine.ranking import order_red_flags
from gutcheck.engine.redflags import FlagResults, habits_only
from gutcheck.rulebook.model import Factor, RuleBase

if TYPE_CHECKING:
    from gutcheck.engine.scoring import FactorOutcome, Outline


class Tracer:
    """Outlines parsed answer sets with the generated scorer of one rule base."""

    def __init__(
        self, rules: RuleBase, helpers: Helpers, trace: Callable[[Mapping[str, Any]], Trace], *, detail: bool
    ) -> None:
        self.rules = rules
        self.helpers = helpers
        self.trace = trace
        self.detail = detail
        self.ids = tuple(q.id for q in rules.questions)

    @classmethod
    def of(cls, rules: RuleBase, *, detail: bool) -> Tracer | None:
        """The tracer of ``rules``, or None when it has no generated scorer."""
        module = compiled(rules)
        if module is None:
            return None
        helpers = Helpers(rules)
        return cls(rules, helpers, module["make_trace"](helpers), detail=detail)

    def outline(self, parsed: Mapping[str, Any], flag_results: FlagResults) -> Outline:
        """The outline of one parsed answer set; ``flag_results`` are each red flag's results,
        by urgency rule (see :func:`gutcheck.engine.redflags.flag_results`)."""
        from gutcheck.engine.scoring import Outline

        trace = self.trace(parsed)
        shown = {qid: value for qid, value in zip(self.ids, trace.shown, strict=True) if value is not None}
        blank = {self.ids[i] for i in trace.blank}
        outcomes = tuple(
            self.factor(k, factor, trace, shown, blank) for k, factor in enumerate(self.rules.factors)
        )
        red_flags = order_red_flags([flag_results[qid][rule + 1] for qid, rule in trace.flags])
        overall = habits_only(trace.overall) if any(flag.is_alarm for flag in red_flags) else trace.overall
        return Outline(shown, tuple(self.ids[i] for i in trace.blank), outcomes, red_flags, overall)

    def factor(self, k: int, factor: Factor, trace: Trace, shown: dict[str, Any], blank: set[str]) -> FactorOutcome:
        """Factor ``k``'s outcome: its result, suggestions that apply and instrument result."""
        from gutcheck.engine.scoring import FactorOutcome

        raw, reachable, _, total, items_answered = trace.counts[k]
        entry = trace.entries[k]
        band = factor.bands.bands[entry[5]] if entry[5] is not None else None
        contributions = tuple(
            Contribution(q.id, q.ask, q.label(shown[q.id]), q.points(shown[q.id]))
            for q in factor.questions if q.id in shown
        ) if self.detail else ()
        result = FactorResult(
            id=factor.id, title=factor.title, weight=factor.weight, raw=raw, max=reachable,
            percent=entry[4], level=entry[3], summary=band.summary if band else NOT_SCORED,
            explanation=factor.explanation, contributions=contributions,
            unanswered=tuple(q.id for q in factor.questions if q.id in blank), references=factor.references,
            learn=factor.learn,
        )
        statics = self.helpers.suggestions
        suggestions = tuple(statics[key & PLACE_MASK][4] for key in trace.found if statics[key & PLACE_MASK][1] == k)
        instrument = _instrument(factor, trace.cutoffs[k], total, shown, blank) if items_answered else None
        return FactorOutcome(result, suggestions, entry[2], instrument)


def _instrument(
    factor: Factor, cut: int, total: int, shown: Mapping[str, Any], blank: set[str]
) -> InstrumentResult | None:
    instrument = factor.instrument
    if instrument is None or cut < 0:
        return None
    return result_at(factor, instrument.cutoffs[cut], total, shown, blank)
