"""Comparing two saved assessments: the scores that moved and the answers that changed.

A comparison across rule bases (id, version or content hash) says so and gives no deltas.
"""

from __future__ import annotations

from dataclasses import dataclass

from gutcheck.engine.assessment import AnswerRecord, Assessment
from gutcheck.history.records import StoredAssessment
from gutcheck.history.trends import rules_key

NOT_ANSWERED = "(not answered)"


NOT_ASKED = "(not asked)"


# -- comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreChange:
    """A factor (or overall) score before and after; ``delta`` is None when not comparable."""

    id: str
    title: str
    before: float | None
    after: float | None
    before_level: str | None
    after_level: str | None
    delta: float | None

    @property
    def moved(self) -> bool:
        """True when the score or level is different."""
        return self.before != self.after or self.before_level != self.after_level


@dataclass(frozen=True)
class AnswerChange:
    """A question answered differently; a missing answer reads '(not answered)' or
    '(not asked)' (hidden by an earlier answer, or not in that rule base)."""

    question: str
    ask: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    """What changed from assessment ``older`` to ``newer``."""

    older: StoredAssessment
    newer: StoredAssessment
    comparable: bool
    overall: ScoreChange
    factors: tuple[ScoreChange, ...]
    answers: tuple[AnswerChange, ...]

    @property
    def rules_note(self) -> str | None:
        """A plain warning when the two were scored by different rule bases, else None."""
        before, after = self.older.assessment.rules, self.newer.assessment.rules
        if self.comparable:
            return None
        if before.id != after.id:
            what = f"different rule bases ({before.id} and {after.id})"
        elif before.version != after.version:
            what = f"different versions of the rule base ({before.version} and {after.version})"
        else:
            what = f"edited copies of rule base {before.id} {before.version} (content differs)"
        return (
            f"These two were scored by {what}, so their numbers are not comparable: a change "
            "may come from the rules rather than from you. The answers below are still compared."
        )


def compare(older: StoredAssessment, newer: StoredAssessment) -> Comparison:
    """Set ``older`` and ``newer`` side by side: scores that moved and answers that changed."""
    a, b = older.assessment, newer.assessment
    comparable = rules_key(a.rules) == rules_key(b.rules)
    overall = _score_change("overall", "Overall", (a.overall.percent, a.overall.level),
                            (b.overall.percent, b.overall.level), comparable)
    return Comparison(older, newer, comparable, overall, _factor_changes(a, b, comparable),
                      answer_changes(a, b))


def _score_change(
    key: str,
    title: str,
    before: tuple[float | None, str | None],
    after: tuple[float | None, str | None],
    comparable: bool,
) -> ScoreChange:
    delta = None
    if comparable and before[0] is not None and after[0] is not None:
        delta = after[0] - before[0]
    return ScoreChange(key, title, before[0], after[0], before[1], after[1], delta)


def _factor_changes(a: Assessment, b: Assessment, comparable: bool) -> tuple[ScoreChange, ...]:
    before = {f.id: f for f in a.factors}
    after = {f.id: f for f in b.factors}
    order = [f.id for f in b.factors] + [fid for fid in before if fid not in after]
    changes = []
    for fid in order:
        old, new = before.get(fid), after.get(fid)
        title = new.title if new else old.title if old else fid
        changes.append(_score_change(
            fid, title,
            (old.percent, old.level) if old else (None, None),
            (new.percent, new.level) if new else (None, None),
            comparable and old is not None and new is not None,
        ))
    return tuple(changes)


def answer_changes(a: Assessment, b: Assessment) -> tuple[AnswerChange, ...]:
    """Every question whose answer differs between ``a`` and ``b``, in question order."""
    before = {r.question: r for r in a.answers}
    after = {r.question: r for r in b.answers}
    order = [r.question for r in b.answers] + [q for q in before if q not in after]
    changes = []
    for question in order:
        old, new = before.get(question), after.get(question)
        if old is not None and new is not None and old.value == new.value:
            continue
        record = new or old
        assert record is not None
        changes.append(AnswerChange(question, record.ask, _answer_text(a, old, question),
                                    _answer_text(b, new, question)))
    return tuple(changes)


def _answer_text(assessment: Assessment, record: AnswerRecord | None, question: str) -> str:
    """The answer's label, or why there is none: skipped, or the question was not asked."""
    if record is not None:
        return record.label
    return NOT_ANSWERED if question in assessment.unanswered else NOT_ASKED
