"""Views of saved history: the table with a trend per factor, a comparison of two assessments,
and the export formats (JSON, JSON Lines, CSV). Everything here returns data, strings or rich
renderables; the CLI writes them.

Scores are a risk-factor *load*: lower is better, so a falling number is good news. Numbers made
by different rule bases (id, version or content hash) are never set against each other as if
they were comparable: the trend covers only the latest run of assessments made by the same rule
base, and a comparison across rule bases says so and shows no deltas.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.engine.assessment import AnswerRecord, Assessment, RulesInfo
from gutcheck.files.formulas import neutralise
from gutcheck.history.store import StoredAssessment
from gutcheck.render.terminal import level_word

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
MAX_SPARK_POINTS = 30
HISTORY_SCHEMA = "gutcheck.history/1"
COMPARE_SCHEMA = "gutcheck.compare/1"
EXPORT_SCHEMA = "gutcheck.export/1"
NOT_ANSWERED = "(not answered)"
NOT_ASKED = "(not asked)"
RED_FLAG_MARK = "⚠"


# -- shared helpers ----------------------------------------------------------------------------


def rules_key(rules: RulesInfo) -> tuple[str, str, str]:
    """What must match for two scores to be comparable: rule base id, version and hash."""
    return (rules.id, rules.version, rules.hash)


def rules_name(rules: RulesInfo) -> str:
    """A rule base as people name it: 'id version' (with a short hash)."""
    return f"{rules.id} {rules.version} ({rules.hash[:8]})"


def percent_text(percent: float | None) -> str:
    """A percent for a table cell: '40%', or '–' when not scored."""
    return "–" if percent is None else f"{percent:g}%"


def short_time(stamp: str) -> str:
    """'2026-01-31T09:00:00Z' -> '2026-01-31 09:00' (other text is shown as it is)."""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 and stamp[10] == "T" else stamp


def sparkline(values: Sequence[float | None]) -> str:
    """One block per value on a fixed 0-100 scale (▁ = 0 %, █ = 100 %); '·' = not scored."""
    top = len(SPARK_BLOCKS) - 1
    return "".join(
        "·" if value is None else SPARK_BLOCKS[max(0, min(top, round(value / 100 * top)))]
        for value in values
    )


def change_words(delta: float | None) -> str:
    """A change in load as an arrow, points and what it means (lower load is better)."""
    if delta is None:
        return "not comparable"
    if abs(delta) < 0.05:
        return "→ no change"
    points = f"{abs(delta):.1f}".rstrip("0").rstrip(".")
    if delta < 0:
        return f"↓ {points} points (less load, better)"
    return f"↑ {points} points (more load, worse)"


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
        values = tuple(_factor_percent(i.assessment, factor.id) for i in tail)
        lines.append(TrendLine(factor.id, factor.title, values))
    return Trend(latest.rules, tuple(lines), len(tail), len(items) - len(tail))


def _factor_percent(assessment: Assessment, factor_id: str) -> float | None:
    return next((f.percent for f in assessment.factors if f.id == factor_id), None)


# -- the history view --------------------------------------------------------------------------


def history_view(profile: str, items: Sequence[StoredAssessment]) -> RenderableType:
    """The history of ``profile``: a table (id, date, overall, each factor) and the trend."""
    if not items:
        return Text(
            f"No assessments saved for profile {profile!r} yet. Take the quiz, or run "
            f"'gutcheck score FILE --profile {profile}' to save one."
        )
    parts: list[RenderableType] = [_history_table(profile, items)]
    if any(item.assessment.red_flags for item in items):
        parts.append(Text(f"{RED_FLAG_MARK} an alarm symptom was reported that time: please see "
                          "a clinician about it, whatever the scores say.", style="bold red"))
    trend = build_trend(items)
    if trend is not None and len(items) >= 2:
        parts.append(_trend_table(trend))
        if trend.left_out:
            parts.append(_left_out_note(trend))
    else:
        parts.append(Text("One assessment so far: take the quiz again in a few weeks to see a trend."))
    return Group(*parts)


def _factor_columns(items: Sequence[StoredAssessment]) -> list[tuple[str, str]]:
    """(id, title) of every factor seen, in order of first appearance, newest titles winning."""
    titles: dict[str, str] = {}
    for item in items:
        for factor in item.assessment.factors:
            titles.setdefault(factor.id, factor.title)
    for factor in items[-1].assessment.factors:
        titles[factor.id] = factor.title
    return list(titles.items())


def _history_table(profile: str, items: Sequence[StoredAssessment]) -> Table:
    columns = _factor_columns(items)
    several_rules = len({rules_key(i.assessment.rules) for i in items}) > 1
    table = Table(title=f"History of profile {profile!r} (load: lower is better)",
                  title_justify="left", show_edge=False)
    for header in ("#", "Taken (UTC)", "Overall", *(title for _, title in columns)):
        table.add_column(header, justify="right" if header == "#" else "left")
    if several_rules:
        table.add_column("Rules")
    for item in items:
        table.add_row(*_history_row(item, columns, several_rules))
    return table


def _history_row(item: StoredAssessment, columns: list[tuple[str, str]], rules: bool) -> list[str]:
    assessment = item.assessment
    overall = f"{percent_text(assessment.overall.percent)} {level_word(assessment.overall.level)}"
    if assessment.red_flags:
        overall += f" {RED_FLAG_MARK}"
    cells = [str(item.id), short_time(item.taken_at), overall]
    cells += [percent_text(_factor_percent(assessment, fid)) for fid, _ in columns]
    if rules:
        cells.append(f"{assessment.rules.id} {assessment.rules.version}")
    return cells


def _trend_table(trend: Trend) -> Table:
    table = Table(
        title=f"Trend over the last {trend.count} assessments (oldest → newest, ▁ 0% … █ 100%)",
        title_justify="left", show_edge=False, show_header=True,
    )
    for header in ("", "Trend", "First → last", "Change"):
        table.add_column(header)
    for line in trend.lines:
        spark = sparkline(line.values[-MAX_SPARK_POINTS:])
        span = f"{percent_text(line.first)} → {percent_text(line.last)}"
        table.add_row(line.title, spark, span, change_words(line.delta) if line.delta is not None else "–")
    return table


def _left_out_note(trend: Trend) -> Text:
    return Text(
        f"The {trend.left_out} earlier assessment(s) were scored by a different rule base, so "
        f"they are left out of the trend (their numbers are not comparable with those of "
        f"{rules_name(trend.rules)}); the table above still lists them."
    )


def history_json(profile: str, items: Sequence[StoredAssessment]) -> str:
    """The history of ``profile`` as a versioned JSON document (summary fields per assessment)."""
    trend = build_trend(items)
    document = {
        "schema": HISTORY_SCHEMA,
        "profile": profile,
        "assessments": [_summary(item) for item in items],
        "trend": None if trend is None else _trend_dict(trend),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _summary(item: StoredAssessment) -> dict[str, Any]:
    assessment = item.assessment
    return {
        "id": item.id,
        "taken_at": item.taken_at,
        "rules": {"id": assessment.rules.id, "version": assessment.rules.version,
                  "hash": assessment.rules.hash},
        "overall": {"percent": assessment.overall.percent, "level": assessment.overall.level},
        "factors": {f.id: {"percent": f.percent, "level": f.level} for f in assessment.factors},
        "red_flags": [flag.id for flag in assessment.red_flags],
    }


def _trend_dict(trend: Trend) -> dict[str, Any]:
    return {
        "rules": {"id": trend.rules.id, "version": trend.rules.version, "hash": trend.rules.hash},
        "count": trend.count,
        "left_out": trend.left_out,
        "lines": [
            {"id": line.id, "title": line.title, "values": list(line.values),
             "first": line.first, "last": line.last, "change": line.delta}
            for line in trend.lines
        ],
    }


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


def compare_view(comparison: Comparison) -> RenderableType:
    """The comparison for a person: rule-base warning, scores that moved, answers changed."""
    older, newer = comparison.older, comparison.newer
    header = Text(
        f"Comparing #{older.id} ({short_time(older.taken_at)}, profile {older.profile!r}) → "
        f"#{newer.id} ({short_time(newer.taken_at)}, profile {newer.profile!r})",
        style="bold",
    )
    parts: list[RenderableType] = [header]
    if comparison.rules_note:
        parts.append(Text(f"Not comparable: {comparison.rules_note}", style="bold yellow"))
    parts.append(_scores_table(comparison))
    parts.append(_answers_view(comparison.answers))
    return Group(*parts)


def _scores_table(comparison: Comparison) -> RenderableType:
    rows = [comparison.overall, *comparison.factors]
    moved = [row for row in rows if row.moved]
    if not moved:
        return Text("Scores: no factor score moved.")
    table = Table(title="Scores that moved (load: lower is better)", title_justify="left",
                  show_edge=False)
    for header in ("", "Before", "After", "Change"):
        table.add_column(header)
    for row in moved:
        table.add_row(row.title, _score_cell(row.before, row.before_level),
                      _score_cell(row.after, row.after_level), change_words(row.delta))
    still = [row.title for row in rows if not row.moved]
    if not still:
        return table
    return Group(table, Text(f"Unchanged: {', '.join(still)}."))


def _score_cell(percent: float | None, level: str | None) -> str:
    return f"{percent_text(percent)} {level_word(level)}" if percent is not None else "not scored"


def _answers_view(changes: Sequence[AnswerChange]) -> RenderableType:
    if not changes:
        return Text("Answers: every answer is the same.")
    text = Text(f"Answers that changed ({len(changes)}):\n", style="bold")
    for change in changes:
        text.append(f"• {change.ask}\n")
        text.append(f"    {change.before} → {change.after}\n")
    text.rstrip()
    return text


def compare_json(comparison: Comparison) -> str:
    """The comparison as a versioned JSON document."""
    document = {
        "schema": COMPARE_SCHEMA,
        "older": _summary(comparison.older) | {"profile": comparison.older.profile},
        "newer": _summary(comparison.newer) | {"profile": comparison.newer.profile},
        "comparable": comparison.comparable,
        "note": comparison.rules_note,
        "scores": [_change_dict(c) for c in (comparison.overall, *comparison.factors)],
        "answers": [
            {"question": c.question, "ask": c.ask, "before": c.before, "after": c.after}
            for c in comparison.answers
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _change_dict(change: ScoreChange) -> dict[str, Any]:
    return {
        "id": change.id, "title": change.title, "before": change.before, "after": change.after,
        "before_level": change.before_level, "after_level": change.after_level,
        "change": change.delta, "moved": change.moved,
    }


# -- profiles ----------------------------------------------------------------------------------


def profiles_view(summaries: Sequence[Any]) -> RenderableType:
    """Every profile with its number of assessments and first and last dates."""
    if not summaries:
        return Text("No profiles yet: nothing has been saved.")
    table = Table(title="Profiles", title_justify="left", show_edge=False)
    for header in ("Profile", "Assessments", "First", "Last"):
        table.add_column(header, justify="right" if header == "Assessments" else "left")
    for summary in summaries:
        table.add_row(summary.name, str(summary.count), short_time(summary.first or "–"),
                      short_time(summary.last or "–"))
    return table


# -- export ------------------------------------------------------------------------------------


def export_record(item: StoredAssessment) -> dict[str, Any]:
    """One saved assessment for export: where it sits in the store, and the whole document."""
    return {"id": item.id, "profile": item.profile, "taken_at": item.taken_at,
            "saved_at": item.saved_at, "assessment": item.assessment.to_dict()}


def export_json(items: Iterable[StoredAssessment], exported_at: str) -> str:
    """Everything as one JSON document (``gutcheck.export/1``), for backup."""
    records = [export_record(item) for item in items]
    document = {"schema": EXPORT_SCHEMA, "exported_at": exported_at,
                "profiles": sorted({r["profile"] for r in records}), "assessments": records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_jsonl(items: Iterable[StoredAssessment]) -> str:
    """One JSON object per line per saved assessment."""
    return "".join(
        json.dumps(export_record(item), ensure_ascii=False, separators=(",", ":")) + "\n"
        for item in items
    )


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe so it is never run as a formula."""
    return neutralise(value) if isinstance(value, str) else value


def export_csv(items: Iterable[StoredAssessment]) -> str:
    """One row per assessment: store fields, rule base, overall, each factor, each answer."""
    import csv

    rows = [_csv_row(item) for item in items]
    header = _csv_header(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return buffer.getvalue()


_CSV_FIXED = ("id", "profile", "taken_at", "rules_id", "rules_version", "rules_hash",
              "overall_percent", "overall_level", "red_flags")


def _csv_header(rows: Sequence[dict[str, object]]) -> list[str]:
    header = list(_CSV_FIXED)
    seen = set(header)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                header.append(key)
    return header


def _csv_row(item: StoredAssessment) -> dict[str, object]:
    assessment = item.assessment
    row: dict[str, object] = {
        "id": item.id, "profile": item.profile, "taken_at": item.taken_at,
        "rules_id": assessment.rules.id, "rules_version": assessment.rules.version,
        "rules_hash": assessment.rules.hash, "overall_percent": _number(assessment.overall.percent),
        "overall_level": assessment.overall.level or "",
        "red_flags": "; ".join(flag.id for flag in assessment.red_flags),
    }
    for factor in assessment.factors:
        row[f"{factor.id}_percent"] = _number(factor.percent)
        row[f"{factor.id}_level"] = factor.level or ""
    for answer in assessment.answers:
        row[f"answer:{answer.question}"] = answer.label
    return row


def _number(value: float | None) -> object:
    return "" if value is None else value
