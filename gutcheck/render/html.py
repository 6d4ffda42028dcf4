"""The HTML report: one self-contained, accessible, printable file.

The page carries its own CSS and an inline SVG chart; it loads nothing (a Content Security
Policy allows only its own stylesheet, by hash, and no scripts at all). Text from the rule base
or the answers reaches the page only through jinja2's autoescaping; links are emitted only for
http(s) addresses (see :func:`gutcheck.render.reportparts.safe_url`).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutcheck.engine.assessment import Assessment, FactorResult
from gutcheck.render import reportparts as parts

if TYPE_CHECKING:
    from jinja2 import Template

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report.html.j2"
STYLESHEET_NAME = "report.css"

# Text and graphic colours, each at least 4.5:1 against the page background (tests check it).
PAGE_BACKGROUND = "#ffffff"
PALETTE: dict[str, str] = {
    "ink": "#1c2430",
    "muted": "#4b5563",
    "accent": "#1f4e79",
    "rule": "#5b6472",
    "low": "#2f6b3a",
    "moderate": "#8a5300",
    "high": "#b02a20",
    "very-high": "#7a1c1c",
    "other": "#475569",
    "alert": "#9b1c1c",
}
# Soft fills behind text; the text on them keeps 4.5:1 or better (tests check it).
TINTS: dict[str, str] = {"alert-tint": "#fdf1f0", "panel": "#f4f6f8", "grid": "#d9dee4"}
LEVEL_KEYS = frozenset({"low", "moderate", "high", "very-high"})

CHART_WIDTH = 720
CHART_VALUE_ROOM = 70  # right of the 100% line, for the value text of a full bar
CHART_LEVEL_ROOM = 128  # the same with the level in words ("100% · very high")
CHART_ROW = 34
CHART_BAR = 18
SHORT_CHART_ROW = 26  # the short report's chart: bars closer together, to fit its two pages
SHORT_CHART_BAR = 15
CHART_TOP = 8
CHART_AXIS = 28
CHART_LABEL_CHARS = 32
CHART_CHAR_WIDTH = 7.4  # a generous average advance of 13px sans-serif text
CHART_LABEL_MIN = 80
CHART_LABEL_GAP = 16


@dataclass(frozen=True)
class ChartRow:
    """One bar of the factor chart, with its geometry worked out."""

    label: str
    value_text: str
    level_key: str
    y: int
    width: float
    scored: bool


@dataclass(frozen=True)
class Chart:
    """The factor chart: rows, size, ticks and its text alternative."""

    rows: tuple[ChartRow, ...]
    width: int
    height: int
    label_width: int
    bar_width: int
    bar_height: int
    axis_y: int
    ticks: tuple[tuple[float, str], ...]
    description: str


def render_html(assessment: Assessment, *, short: bool = False) -> str:
    """The whole report as one HTML document (UTF-8 text ending in a newline).

    ``short`` gives the one-to-two page version: the same notice, first steps, overall level
    and factor chart, then each suggestion's one-line step with its evidence, caution and
    numbered sources, and the disclaimer (one template, so both always share their parts).
    """
    css = stylesheet(STYLESHEET_NAME)
    html: str = template(TEMPLATE_NAME).render(
        a=assessment,
        style=markup(css),
        style_hash=style_hash(css),
        chart=build_chart(assessment.factors, short=short),
        short=short,
        **_view(assessment),
        **(_short_view(assessment) if short else {}),
    )
    return html


def style_hash(stylesheet: str) -> str:
    """The CSP source expression that allows exactly this stylesheet."""
    digest = hashlib.sha256(stylesheet.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def level_key(level: str | None) -> str:
    """The colour key of a level: one of the known levels, or 'other'."""
    return level if level in LEVEL_KEYS else "other"


def build_chart(factors: tuple[FactorResult, ...], *, short: bool = False) -> Chart:
    """Bar geometry and the text alternative for the factor chart.

    For the ``short`` report the bars sit closer, and each bar's value also gives its level in
    words (that report has no table beside the chart, and a level is never told by colour alone).
    """
    labels = [chart_label(factor.title) for factor in factors]
    longest = max((len(label) for label in labels), default=0)
    label_width = max(CHART_LABEL_MIN, round(longest * CHART_CHAR_WIDTH) + CHART_LABEL_GAP)
    bar_width = CHART_WIDTH - label_width - (CHART_LEVEL_ROOM if short else CHART_VALUE_ROOM)
    row_height = SHORT_CHART_ROW if short else CHART_ROW
    rows = tuple(
        _chart_row(index * row_height, factor, label, bar_width, short)
        for index, (factor, label) in enumerate(zip(factors, labels, strict=True))
    )
    axis_y = CHART_TOP + row_height * len(rows)
    ticks = tuple((label_width + bar_width * p / 100, f"{p}%") for p in (0, 25, 50, 75, 100))
    return Chart(
        rows=rows,
        width=CHART_WIDTH,
        height=axis_y + CHART_AXIS,
        label_width=label_width,
        bar_width=bar_width,
        bar_height=SHORT_CHART_BAR if short else CHART_BAR,
        axis_y=axis_y,
        ticks=ticks,
        description=_chart_description(factors, table=not short),
    )


def chart_label(title: str) -> str:
    """A factor title short enough for the chart (the table beside it has the full title)."""
    flat = " ".join(title.split())
    if len(flat) <= CHART_LABEL_CHARS:
        return flat
    return flat[: CHART_LABEL_CHARS - 1].rstrip() + "\u2026"


def _chart_row(offset: int, factor: FactorResult, label: str, bar_width: int, levels: bool) -> ChartRow:
    percent = min(max(factor.percent or 0.0, 0.0), 100.0)
    value = parts.percent_text(factor.percent)
    if levels and factor.level is not None:
        value += f" \u00b7 {parts.level_word(factor.level)}"
    return ChartRow(
        label=label,
        value_text=value,
        level_key=level_key(factor.level),
        y=CHART_TOP + offset,
        width=round(bar_width * percent / 100, 1),
        scored=factor.percent is not None,
    )


def _chart_description(factors: tuple[FactorResult, ...], *, table: bool = True) -> str:
    if not factors:
        return "No factors were scored."
    items = [
        f"{f.title}: {parts.percent_text(f.percent)}"
        + ("" if f.level is None else f" ({parts.level_word(f.level)})")
        for f in factors
    ]
    return "; ".join(items) + (". The table below gives the same figures." if table else ".")


def _view(assessment: Assessment) -> dict[str, Any]:
    return {
        "title": parts.REPORT_TITLE,
        "taken": parts.taken_text(assessment.taken_at),
        "red_flag_headline": parts.red_flag_wording(assessment)[0],
        "red_flag_lead": parts.red_flag_wording(assessment)[1],
        "risk_also": parts.RISK_ALSO,
        "urgency_words": parts.URGENCY_WORDS,
        "first_steps_title": parts.FIRST_STEPS_TITLE,
        "overall_title": parts.overall_title(assessment),
        "evidence_title": parts.EVIDENCE_TITLE,
        "learn_links": lambda ids: parts.learn_links(assessment, tuple(ids)),
        "learn_anchors": parts.learn_anchors(assessment.learn),
        "learn_more": parts.LEARN_MORE,
        "learn_where": parts.LEARN_WHERE,
        "topic_sources": lambda topic: parts.sources_of(
            assessment, tuple(dict.fromkeys(r for p in topic.paragraphs for r in p.references))
        ),
        "nothing_raised": parts.NOTHING_RAISED,
        "no_suggestions": parts.NO_SUGGESTIONS,
        "level_word": parts.level_word,
        "level_key": level_key,
        "percent_text": parts.percent_text,
        "short_hash": parts.short_hash,
        "factor_titles": parts.factor_titles(assessment),
        "sources_of": lambda ids: parts.sources_of(assessment, tuple(ids)),
        "all_sources": parts.all_sources(assessment),
        "unanswered": parts.unanswered_asks(assessment),
        "moving": _moving,
        "paragraphs": _paragraphs,
    }


def _short_view(assessment: Assessment) -> dict[str, Any]:
    """What only the short report needs: its note and the suggestions' numbered sources."""
    return {
        "short_note": parts.SHORT_NOTE,
        "numbered": parts.numbered_sources(assessment, assessment.suggestions),
    }


def _moving(factor: FactorResult) -> list[Any]:
    return sorted((c for c in factor.contributions if c.points), key=lambda c: -c.points)


def _paragraphs(text: str) -> list[str]:
    import re

    chunks = (" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text))
    return [chunk for chunk in chunks if chunk]


def markup(stylesheet: str) -> Any:
    """Our own packaged stylesheet as markup for a ``<style>`` element (checked: it cannot end it)."""
    from markupsafe import Markup

    if "</" in stylesheet:
        raise ValueError("a packaged stylesheet must not contain '</'")
    return Markup(stylesheet)  # noqa: S704 - our own packaged CSS, checked above


@lru_cache(maxsize=4)
def template(name: str) -> Template:
    """A packaged page template, autoescaped: every value put in it is text."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(name)


@lru_cache(maxsize=4)
def stylesheet(name: str) -> str:
    """A packaged stylesheet with the palette as CSS variables in front of it."""
    colours = {**PALETTE, **TINTS, "page": PAGE_BACKGROUND}
    variables = "".join(f"--{name}:{value};" for name, value in colours.items())
    css = (TEMPLATES / name).read_text(encoding="utf-8")
    return f":root{{{variables}}}\n{css}"
