"""Scoring: rules + answers -> Assessment. Pure and deterministic; the one scorer of gutcheck.

Hidden questions count for nothing (they do not apply: no risk). A factor's percent is its raw
points (clamped to 0..max) of the most it could reach from the questions that were answered or
hidden; questions left unanswered or declined are reported and left out of that maximum. Its
level comes from its bands on points, prorated to the full maximum when answers are missing. A
factor whose answered and hidden questions carry less than half of its maximum points is not
scored. The overall percent is the weighted mean of the factor percents that could be scored.
All of it is exact integer arithmetic with one rounding rule (:mod:`gutcheck.engine.exact`).
Red flags never add to any score.

:class:`Scorer` scores many answer sets against one rule base (batch, lint): a factor's
result depends only on the answers to its own questions, so it is remembered by them.
:meth:`Scorer.outline` gives the scores without building a report (for summaries of many
clients); the full :class:`~gutcheck.engine.assessment.Assessment` is made from that same outline.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, TypeVar

from gutcheck.engine.assessment import (
    AnswerRecord,
    Assessment,
    Contribution,
    FactorResult,
    InstrumentResult,
    LearnParagraph,
    LearnTopic,
    OverallResult,
    RedFlagResult,
    ReferenceInfo,
    RulesInfo,
    SuggestionResult,
)
from gutcheck.engine.exact import WeightedMean, factor_numbers
from gutcheck.engine.instruments import instrument_result
from gutcheck.engine.ranking import first_steps, order_red_flags, rank_suggestions
from gutcheck.engine.redflags import flag_results, habits_only
from gutcheck.rulebook.conditions import FACT_KEYS
from gutcheck.rulebook.model import Factor, RuleBase, Suggestion

NOT_SCORED = "Not enough answers to score this."
MEMO_LIMIT = 32768  # factor results one Scorer remembers, over all its factors
NOT_SCORED_OVERALL = OverallResult(None, None, NOT_SCORED)
_T = TypeVar("_T")


def score(
    rules: RuleBase,
    answers: Mapping[str, object],
    *,
    taken_at: datetime | str,
    client: str | None = None,
) -> Assessment:
    """Score raw answers (values, labels or parsed values) against ``rules``.

    Raises :class:`gutcheck.errors.InputError` listing every answer that does not fit.
    """
    parsed = rules.parse_answers(answers)
    return score_parsed(rules, parsed, taken_at=taken_at, client=client)


def score_parsed(
    rules: RuleBase,
    parsed: Mapping[str, Any],
    *,
    taken_at: datetime | str,
    client: str | None = None,
) -> Assessment:
    """Score answers already parsed by :meth:`RuleBase.parse_answers`."""
    return Scorer(rules)(parsed, taken_at=taken_at, client=client)


def score_factor(factor: Factor, shown: Mapping[str, Any], unanswered: set[str]) -> FactorResult:
    """Score one factor from the answers of shown questions (as :meth:`RuleBase.walk` gives).

    ``unanswered`` holds ids of shown questions left blank or declined. Tools such as the
    rule-base lint use this to explore scores exactly as :func:`score` computes them.
    """
    return _FactorScorer(factor, detail=True).score(shown, unanswered)


@dataclass(frozen=True, slots=True)
class FactorOutcome:
    """One factor's result for an answer set, and its suggestions that apply in rule order.

    ``weighted`` is the factor's weight times its percent (0 when not scored): how much the
    factor weighs for this person, which ranks suggestions and names the top factor.
    """

    result: FactorResult
    suggestions: tuple[SuggestionResult, ...]
    weighted: float
    instrument: InstrumentResult | None = None


_WEIGHTED = attrgetter("weighted")


class Outline(NamedTuple):
    """An answer set's scores without report detail, as :meth:`Scorer.outline` gives them.

    ``factors`` are in the rule base's order; ``shown`` and ``unanswered`` are as
    :meth:`RuleBase.walk` gives them; ``red_flags`` are the flags answered yes, most urgent
    first; while an alarm symptom stands, ``overall`` says it counts habits only.
    """

    shown: dict[str, Any]
    unanswered: tuple[str, ...]
    factors: tuple[FactorOutcome, ...]
    red_flags: tuple[RedFlagResult, ...]
    overall: OverallResult

    def ranked(self) -> list[FactorOutcome]:
        """The factors from the one that weighs most for this person down; ties in rule order."""
        return sorted(self.factors, key=_WEIGHTED, reverse=True)  # reverse keeps ties in order

    def suggestions(self, limit: int | None = None) -> tuple[SuggestionResult, ...]:
        """The suggestions that apply, in the one order of :mod:`gutcheck.engine.ranking`.

        With ``limit``, only the first ``limit`` of them.
        """
        ranked = rank_suggestions((o.weighted, o.suggestions) for o in self.factors)
        return ranked if limit is None else ranked[:limit]

    def top_factor(self) -> FactorResult | None:
        """The scored factor with a percent above 0 that weighs most (first in rule order on ties)."""
        best: FactorOutcome | None = None
        for outcome in self.factors:
            percent = outcome.result.percent
            if percent is not None and percent > 0 and (best is None or outcome.weighted > best.weighted):
                best = outcome
        return best.result if best is not None else None


class Scorer:
    """Scores answer sets against one rule base, remembering factor results between calls.

    With ``detail=False`` the assessment leaves out what only a full report needs (each
    answer's contribution, the answers given, the cited references), for summaries of many
    clients. Everything else is the same as :func:`score_parsed` gives.
    """

    def __init__(self, rules: RuleBase, *, detail: bool = True) -> None:
        self.rules = rules
        self.detail = detail
        self.info = RulesInfo(rules.id, rules.version, rules.title, rules.content_hash)
        budget = _MemoBudget(MEMO_LIMIT)
        self.factors = tuple(_FactorScorer(f, detail=detail, budget=budget) for f in rules.factors)
        self.flag_results = flag_results(rules)
        self.flags = tuple((rf.question.id, rf, self.flag_results[rf.question.id]) for rf in rules.red_flags)
        self._lookups = tuple((s.key_of, s.memo.get, s) for s in self.factors)
        self._overalls: dict[float, OverallResult] = {}
        self.mean = WeightedMean(f.weight for f in rules.factors)
        self.topics: tuple[LearnTopic, ...] = _topics(rules) if detail else ()
        from gutcheck.engine.traced import Tracer

        self.tracer = Tracer.of(rules, detail=detail)

    def __call__(
        self, parsed: Mapping[str, Any], *, taken_at: datetime | str, client: str | None = None
    ) -> Assessment:
        """The assessment of one parsed answer set."""
        outline = self.outline(parsed)
        factors = tuple(outcome.result for outcome in outline.factors)
        suggestions = outline.suggestions()
        detail = self.detail
        instruments = tuple(o.instrument for o in outline.factors if o.instrument is not None)
        return Assessment(
            rules=self.info,
            taken_at=taken_at.isoformat() if isinstance(taken_at, datetime) else taken_at,
            disclaimer=self.rules.disclaimer,
            overall=outline.overall,
            factors=factors,
            red_flags=outline.red_flags,
            suggestions=suggestions,
            answers=_answer_records(self.rules, parsed, outline.shown) if detail else (),
            unanswered=outline.unanswered,
            references=_cited(self.rules, factors, suggestions, outline.red_flags, self.topics) if detail else {},
            client=client,
            instruments=instruments,
            first_steps=first_steps(outline.red_flags, suggestions),
            about=_about_records(self.rules, outline.shown) if detail else (),
            learn=self.topics,
        )

    def outline(self, parsed: Mapping[str, Any]) -> Outline:
        """The scores of one parsed answer set: factors, red flags and overall, without a report."""
        if self.tracer is not None:  # the generated scorer
            return self.tracer.outline(parsed, self.flag_results)
        shown, unanswered, states = self.rules.walk(parsed)
        red_flags = order_red_flags([
            results[flag.rule_for(shown) + 1] for qid, flag, results in self.flags if shown.get(qid) is True
        ])
        alarm = any(flag.is_alarm for flag in red_flags)
        outcomes = []
        for key_of, remembered, scorer in self._lookups:
            key = (key_of(states), alarm) if scorer.reads_alarm else key_of(states)
            found = remembered(key)
            outcomes.append(found if found is not None else scorer.outcome_for(key, shown, unanswered, alarm))
        overall = self._overall(outcomes)
        return Outline(shown, unanswered, tuple(outcomes), red_flags, habits_only(overall) if alarm else overall)

    def _overall(self, outcomes: list[FactorOutcome]) -> OverallResult:
        """The weighted mean of the scored factors' percents and its band (bands remembered)."""
        tenths = self.mean.tenths(
            (index, round(outcome.result.percent * 10))
            for index, outcome in enumerate(outcomes) if outcome.result.percent is not None
        )
        if tenths is None:
            return NOT_SCORED_OVERALL
        percent = tenths / 10
        found = self._overalls.get(percent)
        if found is None:
            band = self.rules.overall.find(percent)
            found = OverallResult(percent, band.level, band.summary)
            if len(self._overalls) < MEMO_LIMIT:
                self._overalls[percent] = found
        return found


class _MemoBudget:
    """How many more factor results one :class:`Scorer` may remember, over all its factors."""

    __slots__ = ("left",)

    def __init__(self, entries: int) -> None:
        self.left = entries

    def take(self) -> bool:
        """Use up one entry; False when none is left."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


class _FactorScorer:
    """One factor's scoring, with results remembered by the answers to its questions.

    Without detail, results and outcomes that many answer sets share are kept once, so the
    memo holds more answer sets in the same memory.
    """

    def __init__(self, factor: Factor, *, detail: bool, budget: _MemoBudget | None = None) -> None:
        self.factor = factor
        self.detail = detail
        self.budget = budget or _MemoBudget(MEMO_LIMIT)
        self.ids = tuple(q.id for q in factor.questions)
        own = set(self.ids) | FACT_KEYS
        # Answers to other questions that this factor's suggestions (or its instrument's
        # cut-offs) read belong in the memo key.
        reads = {key for s in factor.suggestions for key in s.reads}
        if factor.instrument is not None:
            reads |= factor.instrument.reads
        self.extra = tuple(sorted(reads - own))
        self.reads_alarm = "alarm" in reads  # then the memo key holds whether an alarm stands
        self.results = tuple((s, _suggestion_result(s)) for s in factor.suggestions)
        keys = (*self.ids, *self.extra)
        self.key_of: Callable[[Mapping[str, Any]], Any] = itemgetter(*keys) if len(keys) > 1 else itemgetter(keys[0])
        self.memo: dict[Any, FactorOutcome] = {}
        self.same_results: dict[tuple[Any, ...], FactorResult] = {}
        self.same_outcomes: dict[tuple[Any, ...], FactorOutcome] = {}

    def outcome_for(
        self, key: Any, shown: Mapping[str, Any], unanswered: Collection[str], alarm: bool = False
    ) -> FactorOutcome:
        """Score the factor for answers not seen before, and remember it under ``key``.

        ``key`` is this factor's :attr:`key_of` of :meth:`RuleBase.walk`'s question states
        (with whether an alarm stands, when its suggestions read that).
        """
        result = self.score(shown, unanswered)
        instrument = instrument_result(self.factor, shown, unanswered)
        suggestions = self.suggestions(result, shown, instrument, alarm)
        found = self._shared(
            self.same_outcomes, (result, suggestions, instrument),
            lambda: FactorOutcome(result, suggestions, result.weight * (result.percent or 0.0), instrument),
        )
        if self.budget.take():
            self.memo[key] = found
        return found

    def _shared(self, memory: dict[tuple[Any, ...], _T], key: tuple[Any, ...], make: Callable[[], _T]) -> _T:
        """``make()``, or without detail the equal value made before under ``key`` (kept once)."""
        if self.detail:
            return make()
        found = memory.get(key)
        if found is None:
            found = make()
            if len(memory) < MEMO_LIMIT:
                memory[key] = found
        return found

    def score(self, shown: Mapping[str, Any], blank: Collection[str]) -> FactorResult:
        """The factor's points, percent, band and (with detail) each answer's contribution."""
        raw = reachable = answered = 0
        contributions: list[Contribution] = []
        for question in self.factor.questions:
            if question.id in blank:
                continue
            reachable += question.max_points  # a hidden question does not apply: no risk
            value = shown.get(question.id)
            if value is None:
                continue
            points = question.points(value)
            raw += points
            answered += 1
            if self.detail:
                contributions.append(Contribution(question.id, question.ask, question.label(value), points))
        unanswered = tuple(q for q in self.ids if q in blank)
        return self._shared(
            self.same_results, (raw, reachable, answered > 0, unanswered),
            lambda: self._result(raw, reachable, answered, tuple(contributions), unanswered),
        )

    def _result(
        self, raw: int, reachable: int, answered: int, contributions: tuple[Contribution, ...],
        unanswered: tuple[str, ...],
    ) -> FactorResult:
        factor = self.factor
        full = factor.max_points
        # Bands are on the factor's points; with some answers missing, the points are prorated
        # to the full maximum so that level and percent tell the same story (exact: see exact.py).
        tenths, band_at = factor_numbers(raw, reachable, answered, full, factor.bands.bounds)
        band = factor.bands.bands[band_at] if band_at is not None else None
        percent = tenths / 10 if tenths is not None else None
        return FactorResult(
            id=factor.id, title=factor.title, weight=factor.weight, raw=raw, max=reachable,
            percent=percent, level=band.level if band else None,
            summary=band.summary if band else NOT_SCORED, explanation=factor.explanation,
            contributions=contributions, unanswered=unanswered, references=factor.references,
            learn=factor.learn,
        )

    def suggestions(
        self, result: FactorResult, shown: Mapping[str, Any], instrument: InstrumentResult | None = None,
        alarm: bool = False,
    ) -> tuple[SuggestionResult, ...]:
        """The factor's suggestions whose ``when`` holds for this result and these answers."""
        screen = None if instrument is None else instrument.screen
        facts = {"level": result.level, "percent": result.percent, "points": result.raw, "screen": screen,
                 "alarm": alarm}
        return tuple(made for s, made in self.results if s.when is None or s.when(shown, facts))


def _suggestion_result(suggestion: Suggestion) -> SuggestionResult:
    return SuggestionResult(
        suggestion.id, suggestion.factor, suggestion.text, suggestion.why,
        suggestion.evidence, suggestion.caution, suggestion.references,
        suggestion.priority, suggestion.short, suggestion.learn,
    )


def _about_records(rules: RuleBase, shown: Mapping[str, Any]) -> tuple[AnswerRecord, ...]:
    return tuple(
        AnswerRecord(q.id, q.ask, shown[q.id], q.label(shown[q.id])) for q in rules.about if q.id in shown
    )


def _topics(rules: RuleBase) -> tuple[LearnTopic, ...]:
    """Every topic of the rule base's learn file (none when it has no learn file)."""
    from gutcheck.rulebook.learn import load_learn

    book = load_learn(rules)
    return book.topics if book is not None else ()


def _answer_records(
    rules: RuleBase, parsed: Mapping[str, Any], shown: Mapping[str, Any]
) -> tuple[AnswerRecord, ...]:
    records = []
    for question in rules.questions:
        if question.id not in parsed:
            continue
        if question.id not in shown and not rules.is_shown(question, shown):
            continue
        value = parsed[question.id]
        stored = list(value) if isinstance(value, tuple) else value
        records.append(AnswerRecord(question.id, question.ask, stored, question.label(value)))
    return tuple(records)


def _cited(
    rules: RuleBase,
    factors: tuple[FactorResult, ...],
    suggestions: tuple[SuggestionResult, ...],
    red_flags: tuple[RedFlagResult, ...],
    topics: tuple[LearnTopic, ...] = (),
) -> dict[str, ReferenceInfo]:
    ids: dict[str, None] = {}
    holders: list[FactorResult | SuggestionResult | RedFlagResult | LearnParagraph] = [
        *factors, *suggestions, *red_flags, *(p for t in topics for p in t.paragraphs)
    ]
    for holder in holders:
        ids.update(dict.fromkeys(holder.references))
    for factor in rules.factors:
        if factor.instrument is not None and any(f.id == factor.id for f in factors):
            ids.update(dict.fromkeys(factor.instrument.references))
    return {ref_id: rules.references[ref_id] for ref_id in ids if ref_id in rules.references}
