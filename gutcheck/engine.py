"""Scoring: rules + answers -> Assessment. Pure and deterministic; the one scorer of gutcheck.

Hidden questions count for nothing (they do not apply: no risk). A factor's percent is its raw
points (clamped to 0..max) of the most it could reach from the questions that were answered or
hidden; questions left unanswered or declined are reported and left out of that maximum. Its
level comes from its bands on points, prorated to the full maximum when answers are missing. A
factor whose answered and hidden questions carry less than half of its maximum points is not
scored. The overall percent is the weighted mean of the factor percents that could be scored.
Red flags never add to any score.

:class:`Scorer` scores many answer sets against one rule base (batch, lint): a factor's
result depends only on the answers to its own questions, so it is remembered by them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from gutcheck.assessment import (
    AnswerRecord,
    Assessment,
    Contribution,
    FactorResult,
    OverallResult,
    RedFlagResult,
    ReferenceInfo,
    RulesInfo,
    SuggestionResult,
)
from gutcheck.conditions import FACT_KEYS
from gutcheck.rulebase import Factor, RuleBase, Suggestion

NOT_SCORED = "Not enough answers to score this."
MEMO_LIMIT = 4096


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
    """Score one factor from the answers of shown questions (as :meth:`RuleBase.visible` gives).

    ``unanswered`` holds ids of shown questions left blank or declined. Tools such as the
    rule-base lint use this to explore scores exactly as :func:`score` computes them.
    """
    return _FactorScorer(factor, detail=True).score(shown, unanswered)


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
        self.factors = tuple(_FactorScorer(f, detail=detail) for f in rules.factors)
        self.flags = tuple(
            RedFlagResult(rf.question.id, rf.question.ask, rf.advice, rf.urgency, rf.references)
            for rf in rules.red_flags
        )

    def __call__(
        self, parsed: Mapping[str, Any], *, taken_at: datetime | str, client: str | None = None
    ) -> Assessment:
        """The assessment of one parsed answer set."""
        shown, unanswered, states = self.rules.walk(parsed)
        blank = set(unanswered)
        scored = [scorer.score_with_suggestions(shown, blank, states) for scorer in self.factors]
        factors = tuple(result for result, _ in scored)
        suggestions = _ranked(scored)
        red_flags = tuple(flag for flag in self.flags if shown.get(flag.id) is True)
        return Assessment(
            rules=self.info,
            taken_at=taken_at.isoformat() if isinstance(taken_at, datetime) else taken_at,
            disclaimer=self.rules.disclaimer,
            overall=_overall(self.rules, factors),
            factors=factors,
            red_flags=red_flags,
            suggestions=suggestions,
            answers=_answer_records(self.rules, parsed, shown) if self.detail else (),
            unanswered=unanswered,
            references=_cited(self.rules, factors, suggestions, red_flags) if self.detail else {},
            client=client,
        )


class _FactorScorer:
    """One factor's scoring, with results remembered by the answers to its questions."""

    def __init__(self, factor: Factor, *, detail: bool) -> None:
        self.factor = factor
        self.detail = detail
        self.ids = tuple(q.id for q in factor.questions)
        own = set(self.ids) | FACT_KEYS
        # Answers to other questions that this factor's suggestions read belong in the memo key.
        self.extra = tuple(sorted({key for s in factor.suggestions for key in s.reads} - own))
        self.results = tuple((s, _suggestion_result(s)) for s in factor.suggestions)
        keys = (*self.ids, *self.extra)
        self.key_of: Callable[[Mapping[str, Any]], Any] = itemgetter(*keys) if len(keys) > 1 else itemgetter(keys[0])
        self.memo: dict[tuple[Any, ...], tuple[FactorResult, tuple[SuggestionResult, ...]]] = {}

    def score_with_suggestions(
        self, shown: Mapping[str, Any], blank: set[str], states: Mapping[str, Any]
    ) -> tuple[FactorResult, tuple[SuggestionResult, ...]]:
        """The factor's result and its suggestions that apply, in rule order.

        ``states`` is :meth:`RuleBase.walk`'s state of every question, the memo key's source.
        """
        key = self.key_of(states)
        found = self.memo.get(key)
        if found is not None:
            return found
        result = self.score(shown, blank)
        found = (result, self.suggestions(result, shown))
        if len(self.memo) < MEMO_LIMIT:
            self.memo[key] = found
        return found

    def score(self, shown: Mapping[str, Any], blank: set[str]) -> FactorResult:
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
        return self._result(raw, reachable, answered, tuple(contributions), blank)

    def _result(
        self, raw: int, reachable: int, answered: int, contributions: tuple[Contribution, ...], blank: set[str]
    ) -> FactorResult:
        factor = self.factor
        full = factor.max_points
        scored = answered > 0 and reachable * 2 >= full
        clamped = min(max(raw, 0), reachable)
        share = clamped / reachable if reachable else 0.0
        # Bands are on the factor's points; with some answers missing, the points are prorated
        # to the full maximum so that level and percent tell the same story.
        band = factor.bands.find(share * full if reachable < full else clamped) if scored else None
        percent = round(100.0 * share, 1) if scored else None
        return FactorResult(
            id=factor.id, title=factor.title, weight=factor.weight, raw=raw, max=reachable,
            percent=percent, level=band.level if band else None,
            summary=band.summary if band else NOT_SCORED, explanation=factor.explanation,
            contributions=contributions, unanswered=tuple(q for q in self.ids if q in blank),
            references=factor.references,
        )

    def suggestions(self, result: FactorResult, shown: Mapping[str, Any]) -> tuple[SuggestionResult, ...]:
        """The factor's suggestions whose ``when`` holds for this result and these answers."""
        facts = {"level": result.level, "percent": result.percent, "points": result.raw}
        return tuple(made for s, made in self.results if s.when is None or s.when(shown, facts))


def _suggestion_result(suggestion: Suggestion) -> SuggestionResult:
    return SuggestionResult(
        suggestion.id, suggestion.factor, suggestion.text, suggestion.why,
        suggestion.evidence, suggestion.caution, suggestion.references,
    )


def _ranked(scored: list[tuple[FactorResult, tuple[SuggestionResult, ...]]]) -> tuple[SuggestionResult, ...]:
    """Suggestions ordered by how much their factor weighs for this person, then rule order."""
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][0].weight * (scored[i][0].percent or 0.0), i))
    return tuple(item for i in order for item in scored[i][1])


def _overall(rules: RuleBase, factors: tuple[FactorResult, ...]) -> OverallResult:
    scored = [f for f in factors if f.percent is not None]
    total_weight = sum(f.weight for f in scored)
    if not scored or total_weight <= 0:
        return OverallResult(None, None, NOT_SCORED)
    percent = round(sum(f.weight * (f.percent or 0.0) for f in scored) / total_weight, 1)
    band = rules.overall.find(percent)
    return OverallResult(percent, band.level, band.summary)


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
) -> dict[str, ReferenceInfo]:
    ids: dict[str, None] = {}
    holders: list[FactorResult | SuggestionResult | RedFlagResult] = [*factors, *suggestions, *red_flags]
    for holder in holders:
        ids.update(dict.fromkeys(holder.references))
    return {ref_id: rules.references[ref_id] for ref_id in ids if ref_id in rules.references}
