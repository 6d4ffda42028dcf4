"""Views of saved history: the table with a trend per factor, a comparison of two assessments,
and the list of profiles. Everything here returns strings or rich renderables; the CLI writes them.

The trends and comparisons themselves are worked out in :mod:`gutcheck.history`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.engine.assessment import RulesInfo
from gutcheck.history.compare import AnswerChange, Comparison, ScoreChange
from gutcheck.history.records import ProfileSummary, StoredAssessment
from gutcheck.history.trends import Trend, build_trend, factor_percent, rules_key
from gutcheck.render.terminal import level_word

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


MAX_SPARK_POINTS = 30


HISTORY_SCHEMA = "gutcheck.history/1"


COMPARE_SCHEMA = "gutcheck.compare/1"
PROFILES_SCHEMA = "gutcheck.profiles/1"


RED_FLAG_MARK = "⚠"  # an alarm symptom
RISK_MARK = "†"  # only a risk marker (a reason to mention to a doctor)


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


# -- the history view --------------------------------------------------------------------------


def history_view(profile: str, items: Sequence[StoredAssessment]) -> RenderableType:
    """The history of ``profile``: a table (id, date, overall, each factor) and the trend."""
    if not items:
        return Text(
            f"No assessments saved for profile {profile!r} yet. Take the quiz, or run "
            f"'gutcheck score FILE --profile {profile}' to save one."
        )
    parts: list[RenderableType] = [_history_table(profile, items)]
    if any(item.assessment.has_alarm for item in items):
        parts.append(Text(f"{RED_FLAG_MARK} an alarm symptom was reported that time: please see "
                          "a clinician about it, whatever the scores say.", style="bold red"))
    if any(item.assessment.red_flags and not item.assessment.has_alarm for item in items):
        parts.append(Text(f"{RISK_MARK} a reason to mention to your doctor (not a symptom, such as a "
                          "family history) was reported that time.", style="bold yellow"))
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
        overall += f" {RED_FLAG_MARK if assessment.has_alarm else RISK_MARK}"
    cells = [str(item.id), short_time(item.taken_at), overall]
    cells += [percent_text(factor_percent(assessment, fid)) for fid, _ in columns]
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
    one = trend.left_out == 1
    return Text(
        f"The {trend.left_out} earlier {'assessment was' if one else 'assessments were'} scored by a "
        f"different rule base, so {'it is' if one else 'they are'} left out of the trend "
        f"({'its' if one else 'their'} numbers are not comparable with those of "
        f"{rules_name(trend.rules)}); the table above still lists {'it' if one else 'them'}."
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


def profiles_view(summaries: Sequence[ProfileSummary]) -> RenderableType:
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


def profiles_json(summaries: Sequence[ProfileSummary]) -> str:
    """The profiles as a ``gutcheck.profiles/1`` JSON document."""
    data = [{"profile": s.name, "assessments": s.count, "first": s.first, "last": s.last} for s in summaries]
    return json.dumps({"schema": PROFILES_SCHEMA, "profiles": data}, indent=2, ensure_ascii=False) + "\n"
