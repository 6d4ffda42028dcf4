"""Trends over saved assessments: each factor and the overall score over time, within one rule base.

Scores are a risk-factor *load*: lower is better, so a falling number is good news. Numbers made
by different rule bases (id, version or content hash) are never set against each other: the trend
covers only the latest run of assessments made by the same rule base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gutcheck.engine.assessment import Assessment, RulesInfo
from gutcheck.history.records import StoredAssessment

# -- shared helpers ----------------------------------------------------------------------------


def rules_key(rules: RulesInfo) -> tuple[str, str, str]:
    """What must match for two scores to be comparable: rule base id, version and hash."""
    return (rules.id, rules.version, rules.hash)


# -- trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    """One factor (or the overall score) over time, oldest first."""

    id: str
    title: str
    values: tuple[float | None, ...]

    @property
    def first(self) -> float | None:
        """The first scored value, if any."""
        return next((v for v in self.values if v is not None), None)

    @property
    def last(self) -> float | None:
        """The last scored value, if any."""
        return next((v for v in reversed(self.values) if v is not None), None)

    @property
    def delta(self) -> float | None:
        """Last minus first (negative = less load), or None without two scored values."""
        scored = [v for v in self.values if v is not None]
        return scored[-1] - scored[0] if len(scored) >= 2 else None


@dataclass(frozen=True)
class Trend:
    """Trend lines over the latest run of assessments made by one rule base."""

    rules: RulesInfo
    lines: tuple[TrendLine, ...]
    count: int
    left_out: int


def comparable_tail(items: Sequence[StoredAssessment]) -> list[StoredAssessment]:
    """The newest assessments, back to the first one made by a different rule base."""
    if not items:
        return []
    key = rules_key(items[-1].assessment.rules)
    start = len(items)
    while start > 0 and rules_key(items[start - 1].assessment.rules) == key:
        start -= 1
    return list(items[start:])


def build_trend(items: Sequence[StoredAssessment]) -> Trend | None:
    """The overall and per-factor trend of ``items`` (oldest first), or None if empty."""
    tail = comparable_tail(items)
    if not tail:
        return None
    latest = tail[-1].assessment
    lines = [TrendLine("overall", "Overall", tuple(i.assessment.overall.percent for i in tail))]
    for factor in latest.factors:
        values = tuple(factor_percent(i.assessment, factor.id) for i in tail)
        lines.append(TrendLine(factor.id, factor.title, values))
    return Trend(latest.rules, tuple(lines), len(tail), len(items) - len(tail))


def factor_percent(assessment: Assessment, factor_id: str) -> float | None:
    return next((f.percent for f in assessment.factors if f.id == factor_id), None)
