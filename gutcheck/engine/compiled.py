"""The generated scorer at run time: making and loading its module, and the helpers it is given.

:func:`compiled` generates the module of a rule base (:mod:`gutcheck.rulebook.codegen`) on first
use, compiles it and remembers it by the rule base's content hash, so ``--help``, ``--version``
and the quiz's first question never pay for it (about 25 ms, once per process, when a score is
first made). It is deliberately not kept on disk: source or bytecode read back from the data
directory would run whatever that file held, while the rules cache beside it only ever holds
data. The module's functions only compare, add and
look up; what they need beyond that (memoised factor entries, the exact overall mean, the
order of suggestions) is given to them here, as :class:`Helpers`.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from gutcheck.answers.parse import SKIP
from gutcheck.engine.assessment import OverallResult, SuggestionResult
from gutcheck.engine.exact import WeightedMean, factor_numbers, half_even
from gutcheck.engine.ranking import FIRST, LAB, PER_FACTOR
from gutcheck.rulebook.model import Factor, RuleBase


class NotScored(Exception):
    """A cell that does not fit its question: the row takes the general path."""


MEMO_LIMIT = 32768
TOP = 3
NOT_SCORED = "Not enough answers to score this."
NOT_SCORED_OVERALL = OverallResult(None, None, NOT_SCORED)
_MODULES: dict[str, dict[str, Any] | None] = {}

# A factor entry: ((id, percent, level), percent tenths, weighted, level, percent, band index,
# the weighted score's IEEE-754 bits shifted to their place in a rank key, the weighted score
# when the percent is above 0 (else -1.0), the factor's integer weight times its tenths)
Entry = tuple[
    tuple[str, float | None, str | None], int | None, float, str | None, float | None, int | None, int, float, int
]
# A suggestion of the rule base, by its place: (id, factor index, lab-only, safety, result)
Static = tuple[str, int, bool, bool, SuggestionResult]
# A suggestion that applies: its rank key (see gutcheck.rulebook.codegen.rank_key); low bits: its place
Found = int
PLACE_MASK = 1023


class Trace(NamedTuple):
    """What the generated ``trace`` found for one parsed answer set, in the rule base's order.

    ``shown`` holds each question's answer when it was shown and answered, else None; ``blank``
    the indexes of questions shown but left unanswered or declined; ``counts`` per factor
    (points, reachable points, 1 if any answer, instrument total, instrument answered);
    ``cutoffs`` per factor the index of its instrument's cut-off (-1: none); ``flags`` the red
    flags answered yes with the index of the urgency rule that holds (-1: the default);
    ``found`` the rank keys of the suggestions that apply, in the rule base's order.
    """

    shown: tuple[Any, ...]
    blank: list[int]
    entries: tuple[Entry, ...]
    counts: tuple[tuple[int, int, int, int, bool], ...]
    cutoffs: tuple[int, ...]
    overall: OverallResult
    flags: list[tuple[str, int]]
    found: list[Found]


class Helpers:
    """What the generated module is given: constants of the rule base and small functions."""

    NotScored = NotScored
    SKIP = SKIP
    Trace = Trace
    bisect = staticmethod(bisect_right)

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.suggestions: tuple[Static, ...] = tuple(
            (s.id, k, s.evidence == LAB, s.priority == "safety", _result(s))
            for k, factor in enumerate(rules.factors) for s in factor.suggestions
        )
        self._overalls: dict[int, OverallResult] = {}
        self.overalls: dict[int, OverallResult] = {}  # by total * overall_key + weights
        self.weights = WeightedMean(f.weight for f in rules.factors).weights
        self.overall_key = sum(self.weights) + 1

    def factor_entry(self, index: int) -> tuple[dict[int, Entry], Callable[[int, int, int], Entry], int]:
        """Factor ``index``'s memory of entries, the function that makes and remembers one from
        its points, reachable points and answers, and the key's multiplier: an entry is
        remembered under ``points * multiplier + 2 * reachable + (answers > 0)``."""
        factor = self.rules.factors[index]
        memo: dict[int, Entry] = {}
        multiplier = 2 * factor.max_points + 4
        weight = self.weights[index]

        def entry(raw: int, reachable: int, answered: int) -> Entry:
            found = _entry(factor, weight, raw, reachable, answered)
            if len(memo) < MEMO_LIMIT:
                memo[raw * multiplier + 2 * reachable + (answered > 0)] = found
            return found

        return memo, entry, multiplier

    @staticmethod
    def multi_points(points: Mapping[str, int]) -> Callable[[tuple[str, ...]], int]:
        """The points of a multi answer (the sum of its picks), memoised."""
        memo: dict[tuple[str, ...], int] = {}

        def total(picked: tuple[str, ...]) -> int:
            found = memo.get(picked)
            if found is None:
                found = sum(points[value] for value in picked)
                if len(memo) < MEMO_LIMIT:
                    memo[picked] = found
            return found

        return total

    def overall(self, total: int, weights: int) -> OverallResult:
        """The overall result of a weighted sum of tenths and the sum of the weights (exact)."""
        if weights <= 0:
            return NOT_SCORED_OVERALL
        tenths = half_even(total, weights)
        found = self._overalls.get(tenths)
        if found is None:
            percent = tenths / 10
            band = self.rules.overall.find(percent)
            found = OverallResult(percent, band.level, band.summary)
            if len(self._overalls) < MEMO_LIMIT:
                self._overalls[tenths] = found
        if len(self.overalls) < MEMO_LIMIT:
            self.overalls[total * self.overall_key + weights] = found
        return found

    def top_ids(self, found: list[Found]) -> tuple[str, ...]:
        """The ids of the first three suggestions in the one order of :mod:`gutcheck.engine.ranking`.

        Most often the first pass of the variety rule (not lab-only; safety, or the first of its
        factor) fills all three; otherwise the whole rule is applied.
        """
        if not found:
            return ()
        found.sort()
        head: list[str] = []
        factors: list[int] = []
        statics = self.suggestions
        for key in found:
            sid, factor, lab, safety, _ = statics[key & PLACE_MASK]
            if not lab and (safety or factor not in factors) and factors.count(factor) < PER_FACTOR:
                head.append(sid)
                factors.append(factor)
                if len(head) == TOP:
                    return tuple(head)
        return tuple(s.id for s in with_variety([statics[key & PLACE_MASK][4] for key in found], TOP)[:TOP])


def with_variety(ordered: Sequence[SuggestionResult], first: int = FIRST) -> list[SuggestionResult]:
    """:func:`gutcheck.engine.ranking.with_variety` on distinct suggestions, by identity.

    The first ``first`` are chosen for variety, then the rest follow in order; the first
    ``n <= first`` of the result do not depend on ``first``.
    """
    head: list[SuggestionResult] = []
    taken: set[int] = set()
    counts: dict[str, int] = {}
    for admit in (0, 1, 2):
        for suggestion in ordered:
            if len(head) == first:
                break
            factor, lab = suggestion.factor, suggestion.evidence == LAB
            count = counts.get(factor, 0)
            if count >= PER_FACTOR or id(suggestion) in taken:
                continue
            if admit == 2 or (not lab and (admit == 1 or suggestion.priority == "safety" or count == 0)):
                head.append(suggestion)
                taken.add(id(suggestion))
                counts[factor] = count + 1
    return head + [s for s in ordered if id(s) not in taken]


def _entry(factor: Factor, weight: int, raw: int, reachable: int, answered: int) -> Entry:
    tenths, band_at = factor_numbers(raw, reachable, answered, factor.max_points, factor.bands.bounds)
    percent = tenths / 10 if tenths is not None else None
    level = factor.bands.bands[band_at].level if band_at is not None else None
    weighted = factor.weight * (percent or 0.0)
    bits = int.from_bytes(struct.pack(">d", weighted), "big")  # a non-negative float's bits order as it does
    top = weighted if percent is not None and percent > 0 else -1.0
    scaled = weight * tenths if tenths is not None else 0
    return (factor.id, percent, level), tenths, weighted, level, percent, band_at, bits << 10, top, scaled


def _result(suggestion: Any) -> SuggestionResult:
    return SuggestionResult(
        suggestion.id, suggestion.factor, suggestion.text, suggestion.why,
        suggestion.evidence, suggestion.caution, suggestion.references,
        suggestion.priority, suggestion.short, suggestion.learn,
    )


def compiled(rules: RuleBase) -> dict[str, Any] | None:
    """The generated module of ``rules`` (its namespace), made on first use; None if it cannot be
    (the engine then walks the rule base itself). Both answers are remembered by content hash."""
    key = rules.content_hash
    if key not in _MODULES:
        if len(_MODULES) >= 16:
            _MODULES.pop(next(iter(_MODULES)))
        _MODULES[key] = _build(rules)
    return _MODULES[key]


def _build(rules: RuleBase) -> dict[str, Any] | None:
    """Generate, compile and run the module's source; None when it cannot be compiled."""
    from gutcheck.rulebook.codegen import CodegenError, generate

    namespace: dict[str, Any] = {"__builtins__": {}}
    try:
        source = generate(rules)
        # Made by the generator from checked values, written only as literals (see
        # gutcheck.rulebook.codegen): it defines two functions and runs nothing else.
        code = compile(source, "<gutcheck scorer>", "exec")
    except (CodegenError, SyntaxError, RecursionError, MemoryError):
        return None  # too deep or too big to compile
    exec(code, namespace)  # noqa: S102
    return namespace
