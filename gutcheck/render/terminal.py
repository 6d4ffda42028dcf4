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

from gutcheck.engine.assessment import Assessment, FactorResult, ReferenceInfo, SuggestionResult
from gutcheck.render.reportparts import (
    FIRST_STEPS_TITLE,
    RISK_ALSO,
    learn_line,
    level_word,
    plural,
    red_flag_reminder,
    red_flag_wording,
    source_entry,
    taken_text,
    urgency_text,
)

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
    the ``closing`` lines name the exact commands for the full report and the history."""
    parts: list[RenderableType] = []
    if assessment.red_flags:
        parts.append(red_flag_panel(assessment))
    parts.append(first_steps(assessment))
    parts.extend([_overall(assessment), _factor_table(assessment), _why(assessment, saved_to)])
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
    """The unmissable notice, one entry per red flag answered yes, worded by kind."""
    headline, lead = red_flag_wording(assessment)
    body = Text()
    body.append(lead + "\n", style="bold")
    alarms = [flag for flag in assessment.red_flags if flag.is_alarm]
    risks = [flag for flag in assessment.red_flags if not flag.is_alarm]
    for flag in alarms:
        body.append(f"\n• {flag.ask} ({urgency_text(flag.urgency)})\n", style="bold")
        body.append(f"  {flag.advice}\n")
    if risks and alarms:
        body.append(f"\n{RISK_ALSO}\n", style="bold")
    for flag in risks:
        body.append(f"\n• {flag.ask} ({urgency_text(flag.urgency)})\n", style="bold")
        body.append(f"  {flag.advice}\n")
    body.rstrip()
    return Panel(
        body,
        title=f"⚠  {headline.upper()}  ⚠",
        title_align="left",
        border_style="bold red" if alarms else "bold yellow",
        box=box.HEAVY,
    )


def _red_flag_reminder(assessment: Assessment) -> Text:
    text = Text("⚠ Reminder: ", style="bold red")
    text.append(red_flag_reminder(assessment))
    return text


def first_steps(assessment: Assessment) -> Text:
    """'Your first steps': three to five one-line steps, an instrument's result under its step."""
    text = Text()
    text.append(f"\n{FIRST_STEPS_TITLE}\n", style="bold")
    steps = assessment.steps()
    if not steps:
        return text.append("Nothing in your answers calls for a change; keep up what you are doing.")
    shown: set[str] = set()
    for number, step in enumerate(steps, start=1):
        text.append(f" {number}. {step.step}\n")
        instrument = assessment.instrument_of(step.factor)
        if instrument is not None and step.factor not in shown:
            shown.add(step.factor)
            text.append(f"    {instrument.line}\n", style="cyan")
    text.rstrip()
    return text


def _overall(assessment: Assessment) -> Text:
    overall = assessment.overall
    text = Text()
    text.append("\nOverall risk-factor load: ", style="bold")
    if overall.percent is None:
        return text.append("not scored\n").append(overall.summary + "\n")
    level = f"{level_word(overall.level).upper()} ({overall.percent:g}%)"
    text.append(level, style=Style.parse(_style(overall.level)) + Style(bold=True))
    return text.append(f"\n{overall.summary}\n")


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
    lines = Text()
    lines.append("\nWhat moved each score\n", style="bold")
    where = f"see them all with: {_report_command(saved_to)}" if saved_to else "the --format md report lists them."
    for factor in assessment.factors:
        lines.append_text(_factor_why(factor, assessment, where))
    return lines


def _report_command(saved_to: str) -> str:
    """The command that shows the saved assessment as a full report (with its profile)."""
    import ast
    import re
    import shlex

    found = re.search(r"in profile ('.*'|\".*\")$", saved_to)  # the name as repr() wrote it
    profile = ast.literal_eval(found.group(1)) if found else "default"
    words = [] if profile == "default" else ["--profile", profile]
    return shlex.join(["gutcheck", "report", "last", *words, "--format", "md"])


def _factor_why(factor: FactorResult, assessment: Assessment, where: str) -> Text:
    text = Text()
    text.append(factor.title, style="bold")
    text.append(f" ({level_word(factor.level)}): ", style=_style(factor.level))
    text.append(f"{factor.summary}\n")
    instrument = assessment.instrument_of(factor.id)
    if instrument is not None:
        text.append(f"  {instrument.line}\n", style="cyan")
        if instrument.note:
            text.append(f"  ({instrument.note[0].upper()}{instrument.note[1:]}.)\n", style="dim")
    moving = factor.top_contributions(len(factor.contributions))
    if not moving and factor.percent is not None:
        text.append("  • Nothing in your answers raised this score.\n", style="dim")
    for item in moving[:MOVED_LINES]:
        text.append(f"  • {item.ask} → ")
        text.append(f"{item.answer}", style="italic")
        text.append(f" (+{item.points})\n", style="dim")
    if factor.learn:
        text.append(f"  {learn_line(factor.learn)}\n", style="cyan")
    extra = len(moving) - MOVED_LINES
    if extra > 0:
        text.append(f"  • … and {extra} more {'answer' if extra == 1 else 'answers'} that added points: {where}\n",
                    style="dim")
    return text


def _suggestions(assessment: Assessment) -> list[RenderableType]:
    if not assessment.suggestions:
        return [Text("No suggestions: nothing stood out in your answers.\n")]
    parts: list[RenderableType] = [Text("Suggestions, most relevant for you first", style="bold")]
    for number, suggestion in enumerate(assessment.suggestions[:TOP_SUGGESTIONS], start=1):
        parts.append(_suggestion(number, suggestion, assessment.references))
    extra = len(assessment.suggestions) - TOP_SUGGESTIONS
    if extra > 0:
        more = f"\n… and {extra} more in the full report (the command for it is at the end)."
        parts.append(Text(more, style="dim"))
    return parts


def _suggestion(
    number: int, suggestion: SuggestionResult, references: dict[str, ReferenceInfo]
) -> Text:
    text = Text()
    text.append(f"\n{number}. {suggestion.text}\n", style="bold")
    text.append("   Evidence: ")
    text.append(suggestion.evidence_words, style="bold cyan")
    text.append(f"\n   Why: {suggestion.why}\n")
    if suggestion.caution:
        text.append(f"   ⚠ Caution: {suggestion.caution}\n", style="bold yellow")
    if suggestion.learn:
        text.append(f"   {learn_line(suggestion.learn)}\n", style="cyan")
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
    text.append(f"   Source: {entry.cite}\n", style="dim")
    for link in entry.links:
        text.append("     ")
        text.append(link, style=Style(link=link, underline=True))
        text.append("\n")
    if entry.plain:
        text.append(f"     {entry.plain}\n", style="dim")
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
    return buffer.getvalue()
