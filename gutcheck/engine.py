"""Scoring: rules + answers -> Assessment. Pure and deterministic; the one scorer of gutcheck.

Hidden questions count for nothing. A factor's percent is its raw points (clamped to 0..max)
of the most it could reach from the questions that were answered; questions left unanswered
or declined are reported and left out of that maximum. The overall percent is the weighted
mean of the factor percents that could be scored. Red flags never add to any score.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
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
from gutcheck.rulebase import Factor, RuleBase

NOT_SCORED = "Not enough answers to score this."


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
    """Score answers already parsed by :meth:`RuleBase.parse_answers` (the batch fast path)."""
    shown, unanswered = rules.visible(parsed)
    factors = tuple(_score_factor(factor, shown, set(unanswered)) for factor in rules.factors)
    suggestions = _suggestions(rules, factors, shown)
    red_flags = tuple(
        RedFlagResult(rf.question.id, rf.question.ask, rf.advice, rf.urgency, rf.references)
        for rf in rules.red_flags
        if shown.get(rf.question.id) is True
    )
    return Assessment(
        rules=RulesInfo(rules.id, rules.version, rules.title, rules.content_hash),
        taken_at=taken_at.isoformat() if isinstance(taken_at, datetime) else taken_at,
        disclaimer=rules.disclaimer,
        overall=_overall(rules, factors),
        factors=factors,
        red_flags=red_flags,
        suggestions=suggestions,
        answers=_answer_records(rules, parsed, shown),
        unanswered=unanswered,
        references=_cited(rules, factors, suggestions, red_flags),
        client=client,
    )


def score_factor(factor: Factor, shown: Mapping[str, Any], unanswered: set[str]) -> FactorResult:
    """Score one factor from the answers of shown questions (as :meth:`RuleBase.visible` gives).

    ``unanswered`` holds ids of shown questions left blank or declined. Tools such as the
    rule-base lint use this to explore scores exactly as :func:`score` computes them.
    """
    return _score_factor(factor, shown, unanswered)


def _score_factor(factor: Factor, shown: Mapping[str, Any], unanswered: set[str]) -> FactorResult:
    raw = 0
    reachable = 0
    contributions: list[Contribution] = []
    missing: list[str] = []
    for question in factor.questions:
        if question.id in unanswered:
            missing.append(question.id)
            continue
        if question.id not in shown:
            reachable += question.max_points  # hidden: does not apply, counts as no risk
            continue
        value = shown[question.id]
        points = question.points(value)
        raw += points
        reachable += question.max_points
        contributions.append(Contribution(question.id, question.ask, question.label(value), points))
    answered = bool(contributions)
    clamped = min(max(raw, 0), reachable)
    percent = round(100.0 * clamped / reachable, 1) if reachable and answered else (0.0 if answered else None)
    band = factor.bands.find(clamped) if answered else None
    return FactorResult(
        id=factor.id,
        title=factor.title,
        weight=factor.weight,
        raw=raw,
        max=reachable,
        percent=percent,
        level=band.level if band else None,
        summary=band.summary if band else NOT_SCORED,
        explanation=factor.explanation,
        contributions=tuple(contributions),
        unanswered=tuple(missing),
        references=factor.references,
    )


def _overall(rules: RuleBase, factors: tuple[FactorResult, ...]) -> OverallResult:
    scored = [f for f in factors if f.percent is not None]
    total_weight = sum(f.weight for f in scored)
    if not scored or total_weight <= 0:
        return OverallResult(None, None, NOT_SCORED)
    percent = round(sum(f.weight * (f.percent or 0.0) for f in scored) / total_weight, 1)
    band = rules.overall.find(percent)
    return OverallResult(percent, band.level, band.summary)


def _suggestions(
    rules: RuleBase, factors: tuple[FactorResult, ...], shown: Mapping[str, Any]
) -> tuple[SuggestionResult, ...]:
    ranked: list[tuple[float, int, SuggestionResult]] = []
    for factor, result in zip(rules.factors, factors, strict=True):
        facts = {"level": result.level, "percent": result.percent, "points": result.raw}
        importance = factor.weight * (result.percent or 0.0)
        for suggestion in factor.suggestions:
            if suggestion.when is not None and not suggestion.when(shown, facts):
                continue
            item = SuggestionResult(
                suggestion.id, factor.id, suggestion.text, suggestion.why,
                suggestion.evidence, suggestion.caution, suggestion.references,
            )
            ranked.append((-importance, len(ranked), item))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return tuple(item for _, _, item in ranked)


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
