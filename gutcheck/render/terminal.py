"""The results screen: a rich renderable of an assessment, and its plain-text form."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from gutcheck.assessment import Assessment, FactorResult, ReferenceInfo, SuggestionResult

LEVEL_STYLES = {"low": "green", "moderate": "yellow", "high": "red", "very-high": "bold red"}
BAR_WIDTH = 20
TOP_SUGGESTIONS = 6


def results_view(assessment: Assessment, *, saved_to: str | None = None) -> RenderableType:
    """Red flags first, then the overall level, factor bars, why, suggestions and disclaimer."""
    parts: list[RenderableType] = []
    if assessment.red_flags:
        parts.append(red_flag_panel(assessment))
    parts.extend([_overall(assessment), _factor_table(assessment), _why(assessment)])
    parts.extend(_suggestions(assessment))
    if assessment.unanswered:
        parts.append(Text(f"Not answered: {len(assessment.unanswered)} question(s); left out of the scores.", style="dim"))
    parts.append(Panel(Text(assessment.disclaimer), title="Please read", border_style="dim"))
    footer = f"{assessment.rules.title} {assessment.rules.version} · {assessment.taken_at}"
    if saved_to:
        footer += f" · saved to {saved_to}"
    parts.append(Text(footer, style="dim"))
    return Group(*parts)


def red_flag_panel(assessment: Assessment) -> Panel:
    """The unmissable 'see a clinician' notice, one entry per red flag answered yes."""
    body = Text()
    body.append("You reported a symptom that needs a clinician's attention. ", style="bold")
    body.append("This check cannot explain it, and its scores do not replace that visit.\n")
    for flag in assessment.red_flags:
        body.append(f"\n• {flag.ask}\n", style="bold")
        body.append(f"  {flag.advice}\n")
    return Panel(body, title="SEE A CLINICIAN", border_style="bold red", title_align="left")


def _overall(assessment: Assessment) -> Text:
    overall = assessment.overall
    text = Text("Overall risk-factor load: ", style="bold")
    if overall.percent is None:
        return text.append("not scored")
    text.append(f"{level_word(overall.level)} ({overall.percent:g}%)", style=_style(overall.level))
    return text.append(f"\n{overall.summary}\n")


def level_word(level: str | None) -> str:
    """A level id as a word for people ('very-high' -> 'very high')."""
    return (level or "not scored").replace("-", " ").replace("_", " ")


def _style(level: str | None) -> str:
    return LEVEL_STYLES.get(level or "", "")


def bar(percent: float | None, width: int = BAR_WIDTH) -> str:
    """A text bar for a percent, drawn with block characters."""
    if percent is None:
        return "·" * width
    filled = round(width * percent / 100)
    return "█" * filled + "░" * (width - filled)


def _factor_table(assessment: Assessment) -> Table:
    table = Table(title="Factors", title_justify="left", show_edge=False)
    table.add_column("Factor")
    table.add_column("Load", no_wrap=True)
    table.add_column("%", justify="right")
    table.add_column("Level")
    for factor in assessment.factors:
        percent = "–" if factor.percent is None else f"{factor.percent:g}"
        table.add_row(factor.title, bar(factor.percent), percent, Text(level_word(factor.level), style=_style(factor.level)))
    return table


def _why(assessment: Assessment) -> RenderableType:
    lines = Text("\nWhat moved each score\n", style="bold")
    for factor in assessment.factors:
        lines.append_text(_factor_why(factor))
    return lines


def _factor_why(factor: FactorResult) -> Text:
    text = Text(f"{factor.title}: ", style="bold")
    top = factor.top_contributions()
    if not top:
        return text.append("nothing raised this score.\n")
    text.append("; ".join(f"{c.ask} → {c.answer} (+{c.points})" for c in top))
    return text.append("\n")


def _suggestions(assessment: Assessment) -> list[RenderableType]:
    if not assessment.suggestions:
        return [Text("No suggestions: nothing stood out in your answers.\n")]
    parts: list[RenderableType] = [Text("Suggestions, most relevant first", style="bold")]
    for number, suggestion in enumerate(assessment.suggestions[:TOP_SUGGESTIONS], start=1):
        parts.append(_suggestion(number, suggestion, assessment.references))
    extra = len(assessment.suggestions) - TOP_SUGGESTIONS
    if extra > 0:
        parts.append(Text(f"… and {extra} more in the full report (--format md or html).", style="dim"))
    return parts


def _suggestion(number: int, suggestion: SuggestionResult, references: dict[str, ReferenceInfo]) -> Text:
    text = Text(f"\n{number}. {suggestion.text}\n", style="bold")
    text.append(f"   Why: {suggestion.why}\n")
    text.append(f"   Evidence: {suggestion.evidence_words}\n", style="cyan")
    if suggestion.caution:
        text.append(f"   Caution: {suggestion.caution}\n", style="yellow")
    for ref_id in suggestion.references:
        ref = references.get(ref_id)
        if ref is not None:
            text.append_text(reference_line(ref))
    text.rstrip()
    return text


def reference_line(ref: ReferenceInfo) -> Text:
    """A citation with its links, clickable in terminals that support hyperlinks."""
    text = Text(f"   Source: {ref.cite}\n", style="dim")
    for link in ref.links:
        text.append("     ")
        text.append(link, style=f"link {link}")
        text.append("\n")
    return text


def render_text(assessment: Assessment, *, width: int = 100) -> str:
    """The results screen as plain text (no colour, no escape codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, color_system=None, force_terminal=False, highlight=False)
    console.print(results_view(assessment))
    return buffer.getvalue()
