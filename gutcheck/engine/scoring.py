"""Scoring: rules + answers -> Assessment. Pure and deterministic; one scorer for all of gutcheck.

Hidden questions count for nothing (they do not apply: no risk). A factor's percent is its raw
points (clamped to 0..max) of the most it could reach from the questions that were answered or
hidden; questions left unanswered or declined are reported and left out of that maximum. Its
level comes from its bands on points, prorated to the full maximum when answers are missing. A
factor whose answered and hidden questions carry less than half of its maximum points is not
scored. The overall percent is the weighted mean of the factor percents that could be scored.
All of it is exact integer arithmetic with one rounding rule (:mod:`gutcheck.engine.exact`).
Red flags never add to any score.

Every decision above is made by the scorer generated from the rule base
(:mod:`gutcheck.rulebook.codegen`, run by :mod:`gutcheck.engine.compiled`): which questions are
shown, the sums, bands, cut-offs, which suggestions and urgency rules hold. :class:`Scorer`
dresses what it found as the engine's plain data: :meth:`Scorer.outline` gives the scores
without a report (for summaries of many clients), and the full
:class:`~gutcheck.engine.assessment.Assessment` is made from that same outline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple

from gutcheck.answers.parse import SKIP
from gutcheck.engine.assessment import (
    AnswerRecord,
    Assessment,
    Contribution,
    FactorResult,
    InstrumentResult,
    OverallResult,
    RedFlagResult,
    RulesInfo,
    SuggestionResult,
)
from gutcheck.engine.compiled import NOT_SCORED, FactorPart, Scored, scorer, top_factor
from gutcheck.engine.instruments import result_at
from gutcheck.engine.ranking import first_steps, rank_suggestions
from gutcheck.engine.redflags import habits_only
from gutcheck.rulebook.content import LearnParagraph, LearnTopic, ReferenceInfo
from gutcheck.rulebook.model import Factor, RuleBase


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

    ``factors`` are in the rule base's order; ``shown`` holds the answers of the questions
    shown (not those an earlier answer hides, nor those left unanswered), ``unanswered`` the
    questions shown and left unanswered or declined; ``red_flags`` are the flags answered yes,
    most urgent first; while an alarm symptom stands, ``overall`` says it counts habits only.
    ``scored`` is what the generated scorer found.
    """

    shown: dict[str, Any]
    unanswered: tuple[str, ...]
    factors: tuple[FactorOutcome, ...]
    red_flags: tuple[RedFlagResult, ...]
    overall: OverallResult
    scored: Scored

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
        top = top_factor(self.scored.factors)
        return self.factors[top.score.factor].result if top is not None else None


class Scorer:
    """Scores answer sets against one rule base with its generated scorer (made once per
    :class:`Scorer`; its memories of the parts it found are kept between calls).

    With ``detail=False`` the assessment leaves out what only a full report needs (each
    answer's contribution, the answers given, the cited references), for summaries of many
    clients. Everything else is the same as :func:`score_parsed` gives.
    """

    def __init__(self, rules: RuleBase, *, detail: bool = True) -> None:
        self.rules = rules
        self.detail = detail
        self.info = RulesInfo(rules.id, rules.version, rules.title, rules.content_hash)
        self.helpers, self.functions = scorer(rules)
        self.ids = tuple(q.id for q in rules.questions)
        self.topics: tuple[LearnTopic, ...] = _topics(rules) if detail else ()

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
            answers=_answer_records(self.rules, parsed, outline.scored) if detail else (),
            unanswered=outline.unanswered,
            references=_cited(self.rules, factors, suggestions, outline.red_flags, self.topics) if detail else {},
            client=client,
            instruments=instruments,
            first_steps=first_steps(outline.red_flags, suggestions),
            about=_about_records(self.rules, outline.shown) if detail else (),
            learn=self.topics,
        )

    def scored(self, parsed: Mapping[str, Any]) -> Scored:
        """What the generated scorer finds for parsed answers ("prefer not to say" is no answer)."""
        get = parsed.get
        return self.functions.score(*[None if (value := get(qid)) == SKIP else value for qid in self.ids])

    def outline(self, parsed: Mapping[str, Any]) -> Outline:
        """The scores of one parsed answer set: factors, red flags and overall, without a report."""
        scored = self.scored(parsed)
        hidden = scored.hidden
        shown = {qid: parsed[qid] for qid in self.ids
                 if qid in parsed and qid not in hidden and parsed[qid] is not None and parsed[qid] != SKIP}
        blank = scored.unanswered
        outcomes = tuple(
            self.factor(factor, part, shown, blank)
            for factor, part in zip(self.rules.factors, scored.factors, strict=True)
        )
        safety = scored.safety
        overall = scored.overall
        return Outline(shown, blank, outcomes, safety.flags, habits_only(overall) if safety.alarm else overall, scored)

    def factor(
        self, factor: Factor, part: FactorPart, shown: Mapping[str, Any], blank: tuple[str, ...]
    ) -> FactorOutcome:
        """A factor's outcome as the engine's data: its result, suggestions and instrument result."""
        found = part.score
        band = factor.bands.bands[found.band] if found.band is not None else None
        contributions = tuple(
            Contribution(q.id, q.ask, q.label(shown[q.id]), q.points(shown[q.id]))
            for q in factor.questions if q.id in shown
        ) if self.detail else ()
        result = FactorResult(
            id=factor.id, title=factor.title, weight=factor.weight, raw=found.points, max=found.reachable,
            percent=found.percent, level=found.level, summary=band.summary if band else NOT_SCORED,
            explanation=factor.explanation, contributions=contributions, unanswered=part.unanswered,
            references=factor.references, learn=factor.learn,
        )
        instrument = None
        if factor.instrument is not None and part.cutoff is not None:
            instrument = result_at(factor, factor.instrument.cutoffs[part.cutoff], part.total, shown, set(blank))
        return FactorOutcome(result, part.suggestions, found.weighted, instrument)


def _about_records(rules: RuleBase, shown: Mapping[str, Any]) -> tuple[AnswerRecord, ...]:
    return tuple(
        AnswerRecord(q.id, q.ask, shown[q.id], q.label(shown[q.id])) for q in rules.about if q.id in shown
    )


def _topics(rules: RuleBase) -> tuple[LearnTopic, ...]:
    """Every topic of the rule base's learn file (none when it has no learn file)."""
    from gutcheck.rulebook.learn import load_learn

    book = load_learn(rules)
    return book.topics if book is not None else ()


def _answer_records(rules: RuleBase, parsed: Mapping[str, Any], scored: Scored) -> tuple[AnswerRecord, ...]:
    """The answers given to questions that were shown (declined ones too), in the rule base's order."""
    hidden = scored.hidden
    records = []
    for question in rules.questions:
        if question.id not in parsed or question.id in hidden:
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
