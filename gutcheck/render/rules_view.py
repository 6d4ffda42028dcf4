"""A rich view of a rule base for ``gutcheck rules show``."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.render.fitting import fitted
from gutcheck.rulebook.model import Bands, Factor, Instrument, Question, RuleBase


def rules_view(rules: RuleBase) -> RenderableType:
    """Title, red flags, a factor overview, then each factor's questions and bands."""
    parts: list[RenderableType] = [
        Text(f"{rules.title}  ({rules.id} {rules.version})", style="bold"),
        Text(rules.disclaimer, style="italic"),
        Text(""),
        fitted(_red_flags(rules)),
        *([fitted(_about(rules))] if rules.about else []),
        fitted(_overview(rules)),
        fitted(_bands_table("Overall bands (percent)", rules.overall)),
    ]
    for factor in rules.factors:
        bands = _bands_table(f"{factor.title}: bands (points)", factor.bands)
        parts.extend([fitted(_questions(factor)), fitted(bands)])
        if factor.instrument is not None:
            parts.append(_instrument(factor.title, factor.instrument))
    return Group(*parts)


def _about(rules: RuleBase) -> Table:
    table = Table(title="About you (optional, never scored)", title_justify="left")
    table.add_column("Id")
    table.add_column("Question")
    table.add_column("Answers")
    for question in rules.about:
        table.add_row(question.id, question.ask, "; ".join(o.label for o in question.options))
    return table


def _instrument(title: str, instrument: Instrument) -> Text:
    cutoffs = "; ".join(
        c.label if c.at_least is None else f"{c.label} (at least {c.at_least})" for c in instrument.cutoffs
    )
    return Text(f"{title}: instrument {instrument.name} = {' + '.join(instrument.items)}; {cutoffs}",
                style="italic")


def _red_flags(rules: RuleBase) -> Table:
    title = "Red flags (asked after the questions about you, never scored)"
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("Id", no_wrap=True)
    table.add_column("Kind")
    table.add_column("Urgency")
    table.add_column("Red flag")
    table.add_column("First step if yes")
    for flag in rules.red_flags:
        urgencies = dict.fromkeys([flag.urgency, *(rule.urgency for rule in flag.urgency_if)])
        urgency = " or ".join(urgencies) + (" (as answers say)" if len(urgencies) > 1 else "")
        asked = "" if flag.question.show_if is None else " (asked only when it applies)"
        table.add_row(flag.question.id, flag.kind, urgency, flag.title + asked, flag.action)
    return table


def _overview(rules: RuleBase) -> Table:
    table = Table(title="Factors", title_justify="left")
    numeric = ("Weight", "Questions", "Max points", "Suggestions")
    for column in ("Id", "Title", *numeric):
        table.add_column(column, justify="right" if column in numeric else "left")
    for factor in rules.factors:
        table.add_row(
            factor.id, factor.title, f"{factor.weight:g}", str(len(factor.questions)),
            str(factor.max_points), str(len(factor.suggestions)),
        )
    return table


def _questions(factor: Factor) -> Table:
    table = Table(title=f"{factor.title}: questions", title_justify="left")
    table.add_column("Id")
    table.add_column("Type")
    table.add_column("Question")
    table.add_column("Answers (points)")
    table.add_column("Max", justify="right")
    for question in factor.questions:
        conditional = " (conditional)" if question.show_if is not None else ""
        kind = question.kind + conditional
        table.add_row(question.id, kind, question.ask, _answers(question), str(question.max_points))
    return table


def _answers(question: Question) -> str:
    return question.type.points_text(question)


def _bands_table(title: str, bands: Bands) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("From", justify="right")
    table.add_column("Below", justify="right")
    table.add_column("Level")
    table.add_column("Summary")
    for band in bands.bands:
        table.add_row(f"{band.minimum:g}", "" if band.below is None else f"{band.below:g}", band.level, band.summary)
    return table
