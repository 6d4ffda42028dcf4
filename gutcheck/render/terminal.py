"""The results screen: a rich renderable of an assessment, and its plain-text form.

Order matters on a terminal: a red-flag notice comes first (worded by kind: an alarm symptom
needs a clinician, a risk marker is a reason to mention to a doctor), and a one-line reminder
of it comes last, because the end of the output is what stays on screen. Then "Your first
steps" (three to five one-line steps, with an instrument's own result such as AUDIT-C), the
overall level, a bar per factor, what moved each score, the top suggestions with their
evidence in words, cautions, sources (clickable where the terminal allows, and the URL always
printed) and where to learn more, the disclaimer, and where the result was saved.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from gutcheck.engine.assessment import Assessment, FactorResult, Step, SuggestionResult
from gutcheck.render.reportparts import (
    ADVICE_TITLE,
    FIRST_STEPS_TITLE,
    NOTICE_POINTER,
    RISK_ALSO,
    learn_line,
    level_word,
    notice_line,
    overall_title,
    plural,
    red_flag_reminder,
    red_flag_wording,
    source_entry,
    taken_text,
    urgency_text,
)
from gutcheck.rulebook.content import ReferenceInfo

LEVEL_STYLES = {"low": "green", "moderate": "yellow", "high": "red", "very-high": "bold red"}
BAR_WIDTH = 20
TOP_SUGGESTIONS = 6
MOVED_LINES = 4  # answers listed per factor under "What moved each score"; the rest are counted


def results_view(
    assessment: Assessment,
    *,
    saved_to: str | None = None,
    not_saved: str | None = None,
    closing: Sequence[str] = (),
) -> RenderableType:
    """The whole results screen; ``saved_to`` or ``not_saved`` says where the result went, and
    the ``closing`` lines name the exact commands for the full report and the history.

    With a red flag, the first screen holds the compact notice, the first steps (the flag's
    action first) and the overall line; the flag's full advice follows the factor bars."""
    parts: list[RenderableType] = []
    if assessment.red_flags:
        parts.append(red_flag_panel(assessment))
    parts.extend([first_steps(assessment), _overall(assessment), _factor_table(assessment)])
    if assessment.red_flags:
        parts.append(red_flag_advice(assessment))
    parts.append(_why(assessment, saved_to))
    parts.extend(_suggestions(assessment))
    if assessment.unanswered:
        count = plural(len(assessment.unanswered), "question")
        parts.append(Text(f"Not answered: {count}, left out of the scores.", style="dim"))
    parts.append(Text())
    parts.append(Panel(Text(assessment.disclaimer), title="Please read", border_style="dim"))
    parts.append(_footer(assessment, saved_to, not_saved))
    if closing:
        parts.append(Text("\n".join(closing), no_wrap=True, overflow="ignore"))  # commands stay whole
    if assessment.red_flags:
        parts.append(_red_flag_reminder(assessment))
    return Group(*parts)


def red_flag_panel(assessment: Assessment) -> Panel:
    """The unmissable notice, kept compact so that the first steps and the overall line fit on
    the first screen: a line, then each red flag's name and time frame, most urgent first."""
    headline, lead = red_flag_wording(assessment)
    body = Text(lead + "\n", style="bold")
    for flag in assessment.red_flags:
        body.append(f"• {notice_line(flag.name, flag.time_frame)}\n", style="bold" if flag.is_alarm else "")
    body.append(NOTICE_POINTER, style="italic")
    return Panel(
        body,
        title=f"⚠  {headline.upper()}  ⚠",
        title_align="left",
        border_style="bold red" if assessment.has_alarm else "bold yellow",
        box=box.HEAVY,
    )


def red_flag_advice(assessment: Assessment) -> RenderableType:
    """Each red flag's full advice, alarm symptoms first, then risk markers."""
    alarms = [flag for flag in assessment.red_flags if flag.is_alarm]
    risks = [flag for flag in assessment.red_flags if not flag.is_alarm]
    rows = hanging()
    for flag in alarms + risks:
        if flag is (risks[0] if risks else None) and alarms:
            rows.add_row("", Text(RISK_ALSO, style="bold"))
        entry = Text(f"{flag.name} ({urgency_text(flag.urgency)})\n", style="bold")
        rows.add_row("•", entry.append(flag.advice, style=""))
    return Group(Text(f"\n{ADVICE_TITLE}", style="bold"), rows)


def hanging(marker_width: int = 0) -> Table:
    """A two-column grid for list items: a marker, then text whose wrapped lines stay under
    its first word (a hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, min_width=marker_width)
    grid.add_column()
    return grid


def _red_flag_reminder(assessment: Assessment) -> Text:
    text = Text("⚠ Reminder: ", style="bold red")
    text.append(red_flag_reminder(assessment))
    return text


def first_steps(assessment: Assessment) -> RenderableType:
    """'Your first steps': a red flag's action (its time frame first) before anything else,
    then three to five one-line suggestions, an instrument's result under its step."""
    title = Text(f"\n{FIRST_STEPS_TITLE}", style="bold")
    steps = assessment.steps()
    if not steps:
        return Group(title, Text("Nothing in your answers calls for a change; keep up what you are doing."))
    rows = hanging(marker_width=3)
    shown: set[str] = set()
    for number, step in enumerate(steps, start=1):
        rows.add_row(f"{number}.", _step_text(step, assessment, shown))
    return Group(title, rows)


def _step_text(step: Step, assessment: Assessment, shown: set[str]) -> Text:
    flag = step.red_flag
    if flag is not None:
        return Text(step.text, style="bold red" if flag.is_alarm else "bold yellow")
    text = Text(step.text)
    factor = step.suggestion.factor if step.suggestion is not None else ""
    instrument = assessment.instrument_of(factor)
    if instrument is not None and factor not in shown:
        shown.add(factor)
        text.append(f"\n{instrument.line}", style="cyan")
    return text


def _overall(assessment: Assessment) -> Text:
    overall = assessment.overall
    text = Text()
    text.append(f"\n{overall_title(assessment)}: ", style="bold")
    if overall.percent is None:
        return text.append("not scored\n").append(assessment.overall_summary() + "\n")
    level = f"{level_word(overall.level).upper()} ({overall.percent:g}%)"
    text.append(level, style=Style.parse(_style(overall.level)) + Style(bold=True))
    return text.append(f"\n{assessment.overall_summary()}\n")


def _style(level: str | None) -> str:
    return LEVEL_STYLES.get(level or "", "")


def bar(percent: float | None, width: int = BAR_WIDTH) -> str:
    """A text bar for a percent, drawn with block characters."""
    if percent is None:
        return "·" * width
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    return "█" * filled + "░" * (width - filled)


def _factor_table(assessment: Assessment) -> Table:
    table = Table(title="Score per factor", title_justify="left", show_edge=False, box=box.SIMPLE)
    table.add_column("Factor")
    table.add_column("Load", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Level", no_wrap=True)
    for factor in assessment.factors:
        style = _style(factor.level)
        percent = "-" if factor.percent is None else f"{factor.percent:g}%"
        level = Text(level_word(factor.level), style=style)
        table.add_row(factor.title, Text(bar(factor.percent), style=style), percent, level)
    return table


def _why(assessment: Assessment, saved_to: str | None = None) -> RenderableType:
    where = f"see them all with: {_report_command(saved_to)}" if saved_to else "the --format md report lists them."
    parts: list[RenderableType] = [Text("\nWhat moved each score", style="bold")]
    for factor in assessment.factors:
        parts.extend(_factor_why(factor, assessment, where))
    return Group(*parts)


def _report_command(saved_to: str) -> str:
    """The command that shows the saved assessment as a full report (with its profile)."""
    import ast
    import re
    import shlex

    found = re.search(r"in profile ('.*'|\".*\")$", saved_to)  # the name as repr() wrote it
    profile = ast.literal_eval(found.group(1)) if found else "default"
    words = [] if profile == "default" else ["--profile", profile]
    return shlex.join(["gutcheck", "report", "last", *words, "--format", "md"])


def _factor_why(factor: FactorResult, assessment: Assessment, where: str) -> list[RenderableType]:
    head = Text()
    head.append(factor.title, style="bold")
    head.append(f" ({level_word(factor.level)}): ", style=_style(factor.level))
    head.append(factor.summary)
    rows = hanging(marker_width=3)
    instrument = assessment.instrument_of(factor.id)
    if instrument is not None:
        rows.add_row("", Text(instrument.line, style="cyan"))
        if instrument.note:
            rows.add_row("", Text(f"({instrument.note[0].upper()}{instrument.note[1:]}.)", style="dim"))
    moving = factor.top_contributions(len(factor.contributions))
    if not moving and factor.percent is not None:
        rows.add_row("•", Text("Nothing in your answers raised this score.", style="dim"))
    for item in moving[:MOVED_LINES]:
        line = Text(f"{item.ask} → ").append(item.answer, style="italic").append(f" (+{item.points})", style="dim")
        rows.add_row("•", line)
    if factor.learn:
        rows.add_row("", Text(learn_line(factor.learn), style="cyan"))
    extra = len(moving) - MOVED_LINES
    if extra > 0:
        more = f"… and {extra} more {'answer' if extra == 1 else 'answers'} that added points: {where}"
        rows.add_row("•", Text(more, style="dim"))
    return [head, rows]


def _suggestions(assessment: Assessment) -> list[RenderableType]:
    if not assessment.suggestions:
        return [Text("No suggestions: nothing stood out in your answers.\n")]
    parts: list[RenderableType] = [Text("\nSuggestions, most relevant for you first", style="bold")]
    rows = hanging(marker_width=3)
    for number, suggestion in enumerate(assessment.suggestions[:TOP_SUGGESTIONS], start=1):
        rows.add_row("", "")
        rows.add_row(f"{number}.", _suggestion(suggestion, assessment.references))
    parts.append(rows)
    extra = len(assessment.suggestions) - TOP_SUGGESTIONS
    if extra > 0:
        more = f"\n… and {extra} more in the full report (the command for it is at the end)."
        parts.append(Text(more, style="dim"))
    return parts


def _suggestion(suggestion: SuggestionResult, references: dict[str, ReferenceInfo]) -> Text:
    text = Text()
    text.append(f"{suggestion.text}\n", style="bold")
    text.append("Evidence: ")
    text.append(suggestion.evidence_words, style="bold cyan")
    text.append(f"\nWhy: {suggestion.why}\n")
    if suggestion.caution:
        text.append(f"⚠ Caution: {suggestion.caution}\n", style="bold yellow")
    if suggestion.learn:
        text.append(f"{learn_line(suggestion.learn)}\n", style="cyan")
    for ref_id in suggestion.references:
        ref = references.get(ref_id)
        if ref is not None:
            text.append_text(reference_line(ref))
    text.rstrip()
    return text


def reference_line(ref: ReferenceInfo) -> Text:
    """A citation with its links: clickable where the terminal allows, the URL always printed."""
    entry = source_entry(ref)
    text = Text()
    text.append(f"Source: {entry.cite}\n", style="dim")
    for link in entry.links:
        text.append("  ")
        text.append(link, style=Style(link=link, underline=True))
        text.append("\n")
    if entry.plain:
        text.append(f"  {entry.plain}\n", style="dim")
    return text


def _footer(assessment: Assessment, saved_to: str | None, not_saved: str | None) -> Text:
    rules = assessment.rules
    text = Text()
    text.append(f"{rules.title} {rules.version} · {taken_text(assessment.taken_at)}", style="dim")
    if saved_to:
        text.append(f"\nSaved to {saved_to}", style="dim")
    elif not_saved:
        text.append("\n" + not_saved[0].upper() + not_saved[1:], style="bold")
    return text


def render_text(assessment: Assessment, *, width: int = 100) -> str:
    """The results screen as plain text (no colour, no escape codes)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        no_color=True,
        color_system=None,
        force_terminal=False,
        highlight=False,
    )
    console.print(results_view(assessment))
    # list items are laid out as grids, whose cells rich pads to the column's width
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
