"""One line per scored client: overall and factor levels, red flags, what to do first."""

from __future__ import annotations

from typing import NamedTuple

from gutcheck.batch.rows import ParsedRow
from gutcheck.engine.assessment import Assessment
from gutcheck.engine.ranking import top_ids
from gutcheck.rulebook.model import RuleBase

# --------------------------------------------------------------------------- results


RECORD_SCHEMA = "gutcheck.batch-record/1"


TOP_SUGGESTIONS = 3


class ClientSummary(NamedTuple):
    """One client's line of a batch: the overall and factor levels, red flags, what to do first.

    ``red_flags`` are the ids of the red flags answered yes, most urgent first; they lead
    ``top_suggestions``, the first three things to do. ``factors`` holds ``(factor id,
    percent, level)`` in the rule base's factor order. A named tuple: one is made per client,
    and it is the quickest immutable record to make.
    """

    row: int
    client: str
    overall_percent: float | None
    overall_level: str | None
    factors: tuple[tuple[str, float | None, str | None], ...]
    red_flags: tuple[str, ...]
    top_factor: str | None
    top_suggestions: tuple[str, ...]

    @property
    def has_red_flags(self) -> bool:
        """True when the client answered yes to any red flag (alarm symptom or risk marker)."""
        return bool(self.red_flags)


RUN_LENGTH = 128  # summaries handed on together


class Summaries(list[ClientSummary]):
    """Summaries of consecutive rows, in order: rows the generated scorer takes are handed on
    a run at a time, so the loop that writes them has less to do per row."""

    __slots__ = ()


def summarise(assessment: Assessment, row: int) -> ClientSummary:
    """The summary line of a scored client."""
    top = assessment.top_factor()
    return ClientSummary(
        row=row,
        client=assessment.client or f"row {row}",
        overall_percent=assessment.overall.percent,
        overall_level=assessment.overall.level,
        factors=tuple((f.id, f.percent, f.level) for f in assessment.factors),
        red_flags=tuple(flag.id for flag in assessment.red_flags),
        top_factor=top.id if top is not None else None,
        top_suggestions=top_ids(
            [flag.id for flag in assessment.red_flags], [s.id for s in assessment.suggestions], TOP_SUGGESTIONS
        ),
    )


class SummaryScorer:
    """Scores parsed rows straight to summaries with the engine's :class:`~gutcheck.engine.scoring.Scorer`.

    The scorer is made once per batch and only outlines each client's scores (no report is
    built), so the per-row path stays short; its factor results are remembered between clients.
    """

    def __init__(self, rules: RuleBase, *, taken_at: str) -> None:
        from gutcheck.engine.scoring import Scorer

        self.outline = Scorer(rules, detail=False).outline
        self.taken_at = taken_at

    def __call__(self, row: ParsedRow) -> ClientSummary:
        """The summary of one parsed row."""
        outline = self.outline(row.answers)
        overall = outline.overall
        top = outline.top_factor()
        return ClientSummary(
            row=row.row,
            client=row.client or f"row {row.row}",
            overall_percent=overall.percent,
            overall_level=overall.level,
            factors=tuple([(o.result.id, o.result.percent, o.result.level) for o in outline.factors]),
            red_flags=tuple([flag.id for flag in outline.red_flags]),
            top_factor=top.id if top is not None else None,
            top_suggestions=top_ids(
                [flag.id for flag in outline.red_flags], [s.id for s in outline.suggestions(TOP_SUGGESTIONS)],
                TOP_SUGGESTIONS,
            ),
        )
