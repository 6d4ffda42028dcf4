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

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from gutcheck.answers.parse import SKIP
from gutcheck.engine.assessment import OverallResult, SuggestionResult
from gutcheck.engine.exact import WeightedMean, factor_numbers, half_even
from gutcheck.engine.packing import packing, weighted_ranks
from gutcheck.engine.ranking import FIRST, JUMPS_THE_QUEUE, LAB, PER_FACTOR, order_red_flags, top_ids
from gutcheck.engine.redflags import flag_results
from gutcheck.rulebook.model import Factor, RuleBase

MEMO_LIMIT = 32768
TOP = 3
SEEN = 5  # top_ids remembers the first five places in one key (written out for five)
NOT_SCORED = "Not enough answers to score this."
NOT_SCORED_OVERALL = OverallResult(None, None, NOT_SCORED)
_MODULES: dict[str, dict[str, Any] | None] = {}

# A factor entry: ((id, percent, level), percent tenths, weighted, level, percent, band index,
# the weighted score's rank in its place in a rank key (gutcheck.engine.packing.weighted_ranks),
# the weighted score when the percent is above 0 (else -1.0), and the factor's part of the overall
# mean: its integer weight times its tenths, times overall_key, plus its weight (0 when not scored))
Entry = tuple[
    tuple[str, float | None, str | None], int | None, float, str | None, float | None, int | None, int, float, int
]
# A suggestion of the rule base, by its place: (id, factor index, lab-only, jumps the variety
# queue (safety or targeted), result)
Static = tuple[str, int, bool, bool, SuggestionResult]
# A suggestion that applies: its rank key (see gutcheck.engine.packing.rank_key); low bits: its place
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

    Unseen = KeyError  # a cell text the row scorer's dictionaries do not hold yet
    OutOfRange = IndexError
    SKIP = SKIP
    Trace = Trace
    bisect = staticmethod(bisect_right)

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.suggestions: tuple[Static, ...] = tuple(
            (s.id, k, s.evidence == LAB, s.priority in JUMPS_THE_QUEUE, _result(s))
            for k, factor in enumerate(rules.factors) for s in factor.suggestions
        )
        self._overalls: dict[int, OverallResult] = {}
        self.overalls: dict[int, OverallResult] = {}  # by the sum of the factors' parts
        self.firsts: dict[int, tuple[str, ...]] = {}  # by the first five places, 10 bits each
        self.weights = WeightedMean(f.weight for f in rules.factors).weights
        self.overall_key = sum(self.weights) + 1
        self.packs = tuple(packing(f) for f in rules.factors)
        self.ranks = weighted_ranks([f.weight for f in rules.factors])
        self.flag_results = flag_results(rules)

    def flagged(
        self, flags: tuple[tuple[str, int], ...], tops: tuple[str, ...]
    ) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]:
        """A row's red flags answered yes, given as (question id, urgency rule index) pairs, in
        the one order (most urgent first) as (id, kind, urgency), and its top three with the
        flags in front."""
        ordered = order_red_flags([self.flag_results[qid][rule + 1] for qid, rule in flags])
        return tuple((flag.id, flag.kind, flag.urgency) for flag in ordered), top_ids(
            [flag.id for flag in ordered], tops, TOP)

    def factor_entry(self, index: int) -> tuple[dict[int, Entry], Callable[[int], Entry]]:
        """Factor ``index``'s memory of entries by packed sum (see
        :class:`~gutcheck.engine.packing.Packing`), and the function that makes and
        remembers the entry of a packed sum."""
        factor, pack, weight = self.rules.factors[index], self.packs[index], self.weights[index]
        memo: dict[int, Entry] = {}
        one: dict[Entry, Entry] = {}  # many sums give the same entry: it is one object (see JsonPieces)

        def entry(packed: int) -> Entry:
            found = _entry(factor, weight, pack.unpack(packed), self)
            found = one.setdefault(found, found) if len(one) < MEMO_LIMIT else found
            if len(memo) < MEMO_LIMIT:
                memo[packed] = found
            return found

        return memo, entry

    def counts(self, index: int, packed: int, items: int) -> tuple[int, int, int, int, bool]:
        """Factor ``index``'s (points, reachable points, 1 if any answer, instrument total, any
        instrument item answered) from its packed sum and its instrument items' packed sum."""
        pack = self.packs[index]
        raw, reachable, answered = pack.unpack(packed)
        total, _, items_answered = pack.unpack(items)
        return raw, reachable, int(answered > 0), total, items_answered > 0

    @staticmethod
    def multi_deltas(points: Mapping[str, int], shift: int, blank: int) -> Callable[[Any], int]:
        """What a multi answer (a tuple of picks) adds to a packed sum: its picks' points and
        one answer, memoised; ``blank`` for no answer (None) or "prefer not to say"."""
        memo: dict[object, int] = {None: blank, SKIP: blank}

        def delta(picked: Any) -> int:
            found = memo.get(picked)
            if found is None:
                found = (sum([points[value] for value in picked]) << shift) + 1
                if len(memo) < MEMO_LIMIT:
                    memo[picked] = found
            return found

        return delta

    def overall(self, parts: int) -> OverallResult:
        """The overall result of the sum of the scored factors' ``[8]`` parts: the weighted sum of
        their tenths times ``overall_key``, plus the sum of their weights (exact)."""
        total, weights = divmod(parts, self.overall_key)
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
            self.overalls[parts] = found
        return found

    def top_ids(self, found: list[Found]) -> tuple[str, ...]:
        """The ids of the first three suggestions in the one order of :mod:`gutcheck.engine.ranking`.

        Which three those are depends only on the places of the first few in order: all of
        them when there are at most five, else the first five whenever the first pass of the
        variety rule (not lab-only; safety or targeted, or the first of its factor) takes three of them,
        as it most often does. So the answer is remembered by those places.
        """
        found.sort()
        if len(found) < SEEN:
            return self._ranked(found)
        m = PLACE_MASK
        key = (((((found[0] & m) << 10 | found[1] & m) << 10 | found[2] & m) << 10 | found[3] & m) << 10
               | found[4] & m)
        head = self.firsts.get(key)
        if head is None:
            head = self._ranked(found[:SEEN]) if self._first_pass_fills(found[:SEEN]) else ()
            if len(self.firsts) < MEMO_LIMIT:
                self.firsts[key] = head
        return head or self._ranked(found)

    def _first_pass_fills(self, keys: list[Found]) -> bool:
        """True when the first pass of the variety rule takes three of ``keys``."""
        taken: list[int] = []
        for key in keys:
            _, factor, lab, safety, _ = self.suggestions[key & PLACE_MASK]
            if not lab and (safety or factor not in taken) and taken.count(factor) < PER_FACTOR:
                taken.append(factor)
        return len(taken) >= TOP

    def _ranked(self, found: list[Found]) -> tuple[str, ...]:
        """The first three ids of the sorted rank keys ``found`` under the variety rule."""
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
            if admit == 2 or (not lab and (admit == 1 or suggestion.priority in JUMPS_THE_QUEUE or count == 0)):
                head.append(suggestion)
                taken.add(id(suggestion))
                counts[factor] = count + 1
    return head + [s for s in ordered if id(s) not in taken]


def _entry(factor: Factor, weight: int, sums: tuple[int, int, int], helpers: Helpers) -> Entry:
    raw, reachable, answered = sums
    tenths, band_at = factor_numbers(raw, reachable, answered, factor.max_points, factor.bands.bounds)
    percent = tenths / 10 if tenths is not None else None
    level = factor.bands.bands[band_at].level if band_at is not None else None
    weighted = factor.weight * (percent or 0.0)
    top = weighted if percent is not None and percent > 0 else -1.0
    part = weight * tenths * helpers.overall_key + weight if tenths is not None else 0
    return (factor.id, percent, level), tenths, weighted, level, percent, band_at, helpers.ranks[weighted], top, part


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
