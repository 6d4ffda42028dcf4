"""Views of saved history: the table with a trend per factor, a comparison of two assessments,
and the list of profiles. Everything here returns strings or rich renderables; the CLI writes them.

The trends and comparisons themselves are worked out in :mod:`gutcheck.history`.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.engine.assessment import RulesInfo
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.history.compare import AnswerChange, Comparison, ScoreChange
from gutcheck.history.records import ProfileSummary, StoredAssessment
from gutcheck.history.trends import Trend, build_trend
from gutcheck.render.fitting import fitted
from gutcheck.render.history_tables import RED_FLAG_MARK, RISK_MARK, history_table, percent_text
from gutcheck.render.reportparts import level_word
from gutcheck.render.when import when_words

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


MAX_SPARK_POINTS = 30


HISTORY_SCHEMA = "gutcheck.history/1"


COMPARE_SCHEMA = "gutcheck.compare/1"
PROFILES_SCHEMA = "gutcheck.profiles/1"


def rules_name(rules: RulesInfo) -> str:
    """A rule base as people name it: 'id version' (with a short hash)."""
    return f"{rules.id} {rules.version} ({rules.hash[:8]})"


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


SHOWN_PROFILES = 10


def missing_profile(profile: str, summaries: Sequence[ProfileSummary], command: Sequence[str]) -> str:
    """One line for a ``profile`` that holds no assessment: the closest profile that does ("did
    you mean", any case), or else the profiles that do, with ``command`` (such as ``gutcheck
    history``) for one of them, quoted for the shell."""
    sentence, commands, note = _missing(profile, summaries, command)
    return " ".join([sentence, *commands]) + (f" ({note[0].lower()}{note[1:-1]})." if note else "")


def _missing(profile: str, summaries: Sequence[ProfileSummary], command: Sequence[str]) -> tuple[str, list[str], str]:
    """The sentence, the commands to paste after it, and a closing note (see :func:`missing_profile`)."""
    from gutcheck.errors import closest_name

    holding = [s.name for s in summaries if s.count and s.name != profile]
    if not holding:
        return f"No assessments are saved for profile {profile!r} yet.", [], ""
    folded = {name.casefold(): name for name in holding}
    close = closest_name(profile.casefold(), folded) if profile != DEFAULT_PROFILE else None
    if close is not None:
        meant = folded[close]
        return (f"No assessments are saved for profile {profile!r} (did you mean {meant!r}?):",
                [_with_profile(command, meant)], "")
    lead = ("Nothing is saved under the default profile" if profile == DEFAULT_PROFILE
            else f"No assessments are saved for profile {profile!r}")
    names = ", ".join(repr(name) for name in holding[:SHOWN_PROFILES])
    more = f" and {len(holding) - SHOWN_PROFILES} more" if len(holding) > SHOWN_PROFILES else ""
    others = "1 other profile holds" if len(holding) == 1 else f"{len(holding)} other profiles hold"
    return (f"{lead}, but {others} assessments: {names}{more}. See one with:",
            [_with_profile(command, holding[0])], "'gutcheck profiles' lists them all with their dates.")


def _missing_view(profile: str, summaries: Sequence[ProfileSummary]) -> RenderableType:
    """:func:`missing_profile` for the screen, each command on a line of its own (never wrapped,
    so it pastes whole), or how to save a first assessment when no profile holds any."""
    sentence, commands, note = _missing(profile, summaries, ("gutcheck", "history"))
    if not commands:
        sentence += " Take the quiz under it, or score an answers file into it:"
        commands = [shlex.join(["gutcheck", *_profile_words(profile)]),
                    shlex.join(["gutcheck", "score", "FILE", *(_profile_words(profile) or ["--save"])])]
    lines = [Text(sentence), *(Text(f"  {c}", no_wrap=True, overflow="ignore") for c in commands)]
    return Group(*lines, *([Text(note)] if note else []))


def _with_profile(command: Sequence[str], profile: str) -> str:
    return shlex.join([*command, *_profile_words(profile)])


def _profile_words(profile: str) -> list[str]:
    return [] if profile == DEFAULT_PROFILE else ["-p", profile]


def history_view(
    profile: str, items: Sequence[StoredAssessment], now: datetime, summaries: Sequence[ProfileSummary] = ()
) -> RenderableType:
    """The history of ``profile``: a table (id, when in local words, overall, each factor) that
    fits the terminal, and the trend. With no items, what to do: the other profiles that hold
    assessments (from ``summaries``), or how to save a first one."""
    if not items:
        return _missing_view(profile, summaries)
    parts: list[RenderableType] = [history_table(profile, items, now)]
    if any(item.assessment.has_alarm for item in items):
        parts.append(Text(f"{RED_FLAG_MARK} an alarm symptom was reported that time: please see "
                          "a clinician about it, whatever the scores say.", style="bold red"))
    if any(item.assessment.red_flags and not item.assessment.has_alarm for item in items):
        parts.append(Text(f"{RISK_MARK} a reason to mention to your doctor (not a symptom, such as a "
                          "family history) was reported that time.", style="bold yellow"))
    trend = build_trend(items)
    if trend is not None and len(items) >= 2:
        parts.append(fitted(_trend_table(trend)))
        if trend.left_out:
            parts.append(_left_out_note(trend))
    else:
        parts.append(Text("One assessment so far: take the quiz again in a few weeks to see a trend."))
    return Group(*parts)


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


def compare_view(comparison: Comparison, now: datetime) -> RenderableType:
    """The comparison for a person: rule-base warning, scores that moved, answers changed."""
    older, newer = comparison.older, comparison.newer
    header = Text(
        f"Comparing #{older.id} ({when_words(older.taken_at, now)}, profile {older.profile!r}) → "
        f"#{newer.id} ({when_words(newer.taken_at, now)}, profile {newer.profile!r})",
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
        return fitted(table)
    return Group(fitted(table), Text(f"Unchanged: {', '.join(still)}."))


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


def profiles_view(summaries: Sequence[ProfileSummary], now: datetime) -> RenderableType:
    """Every profile with its number of assessments and first and last dates in local words."""
    if not summaries:
        return Text("No profiles yet: nothing has been saved.")
    table = Table(title="Profiles", title_justify="left", show_edge=False)
    for header in ("Profile", "Assessments", "First", "Last"):
        table.add_column(header, justify="right" if header == "Assessments" else "left")
    for summary in summaries:
        table.add_row(summary.name, str(summary.count), when_words(summary.first or "–", now),
                      when_words(summary.last or "–", now))
    return fitted(table)


def profiles_json(summaries: Sequence[ProfileSummary]) -> str:
    """The profiles as a ``gutcheck.profiles/1`` JSON document."""
    data = [{"profile": s.name, "assessments": s.count, "first": s.first, "last": s.last} for s in summaries]
    return json.dumps({"schema": PROFILES_SCHEMA, "profiles": data}, indent=2, ensure_ascii=False) + "\n"
