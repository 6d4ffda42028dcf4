"""The history table, laid out to fit the terminal it is printed on.

Wide enough, it is one row per assessment with a column per factor. Narrower (80 columns with
six factors), it turns: one row per factor with its full title, one column per assessment,
the newest that fit, and a line saying how many older ones are left out. Nothing is cut: a
title or a date wraps at a space instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.table import Table
from rich.text import Text

from gutcheck.engine.assessment import Assessment
from gutcheck.history.records import StoredAssessment
from gutcheck.history.trends import factor_percent, rules_key
from gutcheck.render.fitting import FirstThatFits
from gutcheck.render.reportparts import level_word
from gutcheck.render.when import local_zone, when_words

RED_FLAG_MARK = "⚠"  # an alarm symptom
RISK_MARK = "†"  # only a risk marker (a reason to mention to a doctor)
MAX_COLUMNS = 40  # never try more assessment columns than this, however wide the terminal


def factor_columns(items: Sequence[StoredAssessment]) -> list[tuple[str, str]]:
    """(id, title) of every factor seen, in order of first appearance, newest titles winning."""
    titles: dict[str, str] = {}
    for item in items:
        for factor in item.assessment.factors:
            titles.setdefault(factor.id, factor.title)
    for factor in items[-1].assessment.factors:
        titles[factor.id] = factor.title
    return list(titles.items())


def history_table(profile: str, items: Sequence[StoredAssessment], now: datetime) -> FirstThatFits:
    """Assessments of ``profile`` with every factor, as a wide or a turned table (see above)."""
    zone = local_zone()
    words = {item.id: when_words(item.taken_at, now, zone) for item in items}
    columns = factor_columns(items)
    title = f"History of profile {profile!r} (load: lower is better)"
    counts = list(range(min(len(items), MAX_COLUMNS), 0, -1))
    layouts: list[Callable[[], Table]] = [lambda: _wide(title, items, columns, words)]
    layouts += [lambda n=n: _turned(title, items[-n:], columns, words) for n in counts]  # type: ignore[misc]

    def note(index: int) -> Text | None:
        shown = counts[index - 1] if index else len(items)
        if shown >= len(items):
            return None
        return Text(f"Showing the newest {shown} of {len(items)} assessments; a wider window shows "
                    "more, and --format json lists them all.", style="dim")

    return FirstThatFits(layouts, note)


def _overall_cell(assessment: Assessment) -> str:
    overall = assessment.overall
    cell = f"{percent_text(overall.percent)} {level_word(overall.level)}"
    if not assessment.red_flags:
        return cell
    return f"{cell} {RED_FLAG_MARK if assessment.has_alarm else RISK_MARK}"


def percent_text(percent: float | None) -> str:
    """A percent for a table cell: '40%', or '–' when not scored."""
    return "–" if percent is None else f"{percent:g}%"


def _wide(title: str, items: Sequence[StoredAssessment], columns: list[tuple[str, str]],
          words: dict[int, str]) -> Table:
    several_rules = len({rules_key(i.assessment.rules) for i in items}) > 1
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    for header in ("Taken", "Overall", *(name for _, name in columns)):
        table.add_column(header)
    if several_rules:
        table.add_column("Rules")
    for item in items:
        assessment = item.assessment
        cells = [str(item.id), words[item.id], _overall_cell(assessment)]
        cells += [percent_text(factor_percent(assessment, fid)) for fid, _ in columns]
        if several_rules:
            cells.append(f"{assessment.rules.id} {assessment.rules.version}")
        table.add_row(*cells)
    return table


def _turned(title: str, items: Sequence[StoredAssessment], columns: list[tuple[str, str]],
            words: dict[int, str]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("")
    for item in items:
        table.add_column(f"#{item.id}\n{words[item.id]}", justify="right")
    table.add_row("Overall", *(_overall_cell(item.assessment) for item in items))
    for fid, name in columns:
        table.add_row(name, *(percent_text(factor_percent(item.assessment, fid)) for item in items))
    if len({rules_key(i.assessment.rules) for i in items}) > 1:
        table.add_row("Rules", *(f"{i.assessment.rules.id} {i.assessment.rules.version}" for i in items))
    return table
