"""The generated scorer at run time: its module made on first use, the helpers it is given, and
the parts it gives back.

:func:`compiled` generates the module of a rule base (:mod:`gutcheck.rulebook.codegen`) on first
use, compiles it and remembers it by the rule base's content hash, so ``--help``, ``--version``
and the quiz's first question never pay for it (a few milliseconds, once per process, when a
score is first made). It is deliberately not kept on disk: source or bytecode read back from the
data directory would run whatever that file held, while the rules cache beside it only ever holds
data. A rule base the generator cannot write (a limit of Python's compiler) is refused with a
:class:`~gutcheck.errors.RulesError` naming the limit: there is no second scorer to fall back on.

The module's functions only compare, add and look up; what they need beyond that (a factor's
percent and band from its sums, exactly; the results of red flags and suggestions) is given to
them here, as :class:`Helpers`, and what they find comes back as :class:`FactorPart`,
:class:`SafetyPart` and :class:`Scored`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from gutcheck.engine.assessment import OverallResult, RedFlagResult, SuggestionResult
from gutcheck.engine.exact import WeightedMean, factor_numbers
from gutcheck.engine.ranking import Ranked, first_pass, order_red_flags, ranked
from gutcheck.engine.redflags import flag_results
from gutcheck.errors import RulesError
from gutcheck.rulebook.model import RuleBase, Suggestion

MEMO_LIMIT = 32768  # results one memory of the scorer keeps
NOT_SCORED = "Not enough answers to score this."
NOT_SCORED_OVERALL = OverallResult(None, None, NOT_SCORED)
_MODULES: dict[str, dict[str, Any]] = {}


class FactorScore(NamedTuple):
    """A factor's numbers for its sums: ``points`` (any sign), ``reachable`` points (of the
    questions answered or hidden) and whether any question was answered; its percent (in
    tenths too), band and level, exactly as :mod:`gutcheck.engine.exact` says; and ``weighted``,
    its weight times its percent (0 when not scored): how much it weighs for this person."""

    factor: int  # its place in the rule base
    points: int
    reachable: int
    tenths: int | None
    percent: float | None
    band: int | None
    level: str | None
    weighted: float


class FactorPart(NamedTuple):
    """What a factor's function found for the answers it was given.

    ``ranked`` holds the suggestions that apply, in the rule base's order, each keyed for the
    one ranking (:class:`gutcheck.engine.ranking.Ranked`); ``cutoff`` is the place of its
    instrument's cut-off that holds (None: no instrument result) and ``total`` the instrument's
    total; ``unanswered`` and ``hidden`` name its questions left unanswered (or declined) and
    hidden by an earlier answer. ``triple`` is the factor as a batch summary holds it, ``leads``
    its weighted score when its percent is above 0, else -1.0 (which factor weighs most).
    """

    score: FactorScore
    ranked: tuple[Ranked, ...]
    cutoff: int | None
    total: int
    unanswered: tuple[str, ...]
    hidden: tuple[str, ...]
    triple: tuple[str, float | None, str | None]
    leads: float
    mean_part: int  # its integer weight times its percent in tenths (0 when not scored)
    mean_weight: int  # its integer weight (0 when not scored): these two make the overall mean
    first_pass: tuple[Ranked, ...]  # what the variety rule's first pass takes from it

    @property
    def suggestions(self) -> tuple[SuggestionResult, ...]:
        """The suggestions that apply, in the rule base's order."""
        return tuple(item.suggestion for item in self.ranked)


class SafetyPart(NamedTuple):
    """What the safety questions' function found: the red flags answered yes, most urgent first
    (also as ``(id, kind, urgency)`` for a batch summary), whether an alarm symptom stands, the
    about-you and safety questions left unanswered or hidden, and the safety questions left
    unanswered (never read as "no")."""

    flags: tuple[RedFlagResult, ...]
    summary: tuple[tuple[str, str, str], ...]
    alarm: bool
    unanswered: tuple[str, ...]
    hidden: tuple[str, ...]
    safety_blank: tuple[str, ...]


class Scored(NamedTuple):
    """Everything the generated ``score`` found for one answer set: the safety questions' part,
    each factor's part in the rule base's order, the questions answered although an earlier
    answer hides them (those answers are not scored), and the overall result (before any alarm
    changes its words)."""

    safety: SafetyPart
    factors: tuple[FactorPart, ...]
    ignored: tuple[str, ...]
    overall: OverallResult

    @property
    def unanswered(self) -> tuple[str, ...]:
        """The questions shown and left unanswered (or declined), in the rule base's order."""
        return sum((part.unanswered for part in self.factors), self.safety.unanswered)

    @property
    def hidden(self) -> frozenset[str]:
        """The questions an earlier answer hides."""
        return frozenset(self.safety.hidden).union(*(part.hidden for part in self.factors))


class Functions(NamedTuple):
    """The generated functions of one rule base: ``score``, and the parts it calls (each factor's
    function takes its questions' answers by name, as :class:`gutcheck.rulebook.codegen.Part` lists them)."""

    score: Callable[..., Scored]
    safety: Callable[..., SafetyPart]
    factors: tuple[Callable[..., FactorPart], ...]


class SuggestionAt(NamedTuple):
    """A suggestion of the rule base: its factor's place, its place in that factor, its result."""

    factor: int
    place: int
    result: SuggestionResult


LEADS = attrgetter("leads")


class Helpers:
    """What the generated module is given: the rule base's results, and the exact arithmetic."""

    Scored = Scored
    Functions = Functions
    Unseen = KeyError  # a cell text the row scorer's dictionaries do not hold yet

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self._mean = WeightedMean(f.weight for f in rules.factors)
        self.weights = self._mean.weights
        self.suggestions = tuple(SuggestionAt(k, j, suggestion_result(s)) for k, f in enumerate(rules.factors)
                                 for j, s in enumerate(f.suggestions))
        self.flags = flag_results(rules)
        self.flag_ids = tuple(flag.question.id for flag in rules.red_flags)
        self._scores: dict[tuple[int, int, int, bool], FactorScore] = {}
        self._parts: dict[tuple[Any, ...], FactorPart] = {}
        self._overalls: dict[int | None, OverallResult] = {}
        self._triples: dict[tuple[str, float | None, str | None], tuple[str, float | None, str | None]] = {}

    @staticmethod
    def remember(memory: dict[Any, Any], key: Any, value: Any) -> Any:
        """``value``, kept in ``memory`` under ``key`` while the memory has room."""
        if len(memory) < MEMO_LIMIT:
            memory[key] = value
        return value

    def red_flag(self, index: int, rule: int) -> RedFlagResult:
        """Red flag ``index``'s result under urgency rule ``rule`` (-1: its own urgency)."""
        return self.flags[self.flag_ids[index]][rule + 1]

    def suggestion(self, place: int) -> int:
        """How the module names the ``place``-th suggestion of the rule base: by its place,
        which :meth:`factor_part` reads back (a small number is quick to remember parts by)."""
        return place

    def factor_score(self, index: int, points: int, reachable: int, answered: int) -> FactorScore:
        """Factor ``index``'s numbers for its sums (remembered: many answer sets share them)."""
        key = (index, points, reachable, answered > 0)
        found = self._scores.get(key)
        if found is None:
            factor = self.rules.factors[index]
            tenths, band = factor_numbers(points, reachable, answered, factor.max_points, factor.bands.bounds)
            percent = tenths / 10 if tenths is not None else None
            level = factor.bands.bands[band].level if band is not None else None
            found = self.remember(self._scores, key, FactorScore(
                index, points, reachable, tenths, percent, band, level, factor.weight * (percent or 0.0)))
        return found

    def factor_part(  # noqa: PLR0917 - the generated module calls it with its findings in order
        self, score: FactorScore, found: list[int], cutoff: int | None, total: int,
        unanswered: tuple[str, ...], hidden: tuple[str, ...],
    ) -> FactorPart:
        """A factor's part (remembered: many answer sets of a factor score alike)."""
        key = (score, tuple(found), cutoff, total, unanswered, hidden)
        part = self._parts.get(key)
        if part is None:
            part = self.remember(self._parts, key, self._new_part(*key))
        return part

    def _new_part(  # noqa: PLR0917 - the fields of the key it is remembered by, in order
        self, score: FactorScore, found: tuple[int, ...], cutoff: int | None, total: int,
        unanswered: tuple[str, ...], hidden: tuple[str, ...],
    ) -> FactorPart:
        """A factor's part, its suggestions keyed for the one ranking by its weighted score."""
        at = [self.suggestions[place] for place in found]
        keyed = tuple(ranked(s.result, score.weighted, s.factor, s.place) for s in at)
        percent, tenths, weight = score.percent, score.tenths, self.weights[score.factor]
        leads = score.weighted if percent is not None and percent > 0 else -1.0
        triple = (self.rules.factors[score.factor].id, percent, score.level)
        triple = self._triples.setdefault(triple, triple)  # one triple per value, however it was reached
        scored = tenths is not None
        return FactorPart(score, keyed, cutoff, total, unanswered, hidden, triple, leads,
                          weight * tenths if tenths is not None else 0, weight if scored else 0,
                          first_pass(sorted(keyed)))

    def safety_part(
        self, flags: list[RedFlagResult], unanswered: tuple[str, ...], hidden: tuple[str, ...]
    ) -> SafetyPart:
        """The safety questions' part: the flags answered yes in the one order, most urgent first."""
        ordered = order_red_flags(flags)
        blank = tuple(qid for qid in self.flag_ids if qid in unanswered)
        summary = tuple((flag.id, flag.kind, flag.urgency) for flag in ordered)
        return SafetyPart(ordered, summary, any(flag.is_alarm for flag in ordered), unanswered, hidden, blank)

    def overall(self, parts: int, weights: int) -> OverallResult:
        """The overall result of the factors whose ``mean_part`` and ``mean_weight`` add up to
        ``parts`` and ``weights``: their weighted mean percent, exact (see
        :class:`~gutcheck.engine.exact.WeightedMean`), and its band (one result per percent)."""
        tenths = self._mean.of_sums(parts, weights)
        found = self._overalls.get(tenths)
        if found is None:  # at most one per tenth of a percent from 0 to 100, and "not scored"
            found = self._overalls[tenths] = self._overall_at(tenths)
        return found

    def _overall_at(self, tenths: int | None) -> OverallResult:
        if tenths is None:
            return NOT_SCORED_OVERALL
        band = self.rules.overall.find(tenths / 10)
        return OverallResult(tenths / 10, band.level, band.summary)


def top_factor(factors: Sequence[FactorPart]) -> FactorPart | None:
    """The scored factor with a percent above 0 that weighs most (the first on ties), if any."""
    best = max(factors, key=LEADS, default=None)
    return best if best is not None and best.leads >= 0 else None


def suggestion_result(suggestion: Suggestion) -> SuggestionResult:
    """A suggestion of the rule base as the result an assessment holds: the one place it is made."""
    return SuggestionResult(
        suggestion.id, suggestion.factor, suggestion.text, suggestion.why,
        suggestion.evidence, suggestion.caution, suggestion.references,
        suggestion.priority, suggestion.short, suggestion.learn,
    )


def scorer(rules: RuleBase) -> tuple[Helpers, Functions]:
    """New helpers for ``rules`` and the generated functions closed over them (whose memories
    are their own)."""
    helpers = Helpers(rules)
    functions: Functions = compiled(rules)["make_scorer"](helpers)
    return helpers, functions


def compiled(rules: RuleBase) -> dict[str, Any]:
    """The generated module of ``rules`` (its namespace), made on first use and remembered by
    content hash; raises :class:`RulesError` when it cannot be made."""
    key = rules.content_hash
    if key not in _MODULES:
        if len(_MODULES) >= 16:
            _MODULES.pop(next(iter(_MODULES)))
        _MODULES[key] = _build(rules)
    return _MODULES[key]


def scorer_source(rules: RuleBase) -> str:
    """The source of the generated scorer of ``rules`` (``gutcheck rules scorer`` prints it);
    raises :class:`RulesError` when the generator cannot write it."""
    from gutcheck.rulebook.codegen import CodegenError, generate

    try:
        return generate(rules)
    except CodegenError as exc:
        raise RulesError(f"{rules.source}: gutcheck cannot compile this rule base into its scorer: {exc}") from None


def _build(rules: RuleBase) -> dict[str, Any]:
    """Generate, compile and run the module's source."""
    source = scorer_source(rules)
    namespace: dict[str, Any] = {"__builtins__": {}}
    try:
        # Made by the generator from checked values, written only as literals (see
        # gutcheck.rulebook.codegen): it defines two functions and runs nothing else.
        code = compile(source, "<gutcheck scorer>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        raise RulesError(f"{rules.source}: gutcheck cannot compile this rule base into its scorer: it is nested "
                         "too deep or is too large for Python's compiler; split long conditions up") from None
    exec(code, namespace)  # noqa: S102
    return namespace
