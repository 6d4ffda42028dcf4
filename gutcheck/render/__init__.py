"""Renderers: each turns an Assessment into text; only the CLI writes it anywhere."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment


class ReportFormat(str, Enum):
    """Every format an assessment can be rendered to."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "md"
    HTML = "html"
    FHIR = "fhir"


class ReportStyle(str, Enum):
    """How much a Markdown or HTML report holds: everything, or one to two printed pages."""

    FULL = "full"
    SHORT = "short"


STYLED_FORMATS = frozenset({ReportFormat.MARKDOWN, ReportFormat.HTML})


def render(
    assessment: Assessment, fmt: ReportFormat, *, width: int = 100, style: ReportStyle = ReportStyle.FULL
) -> str:
    """Render ``assessment`` in ``fmt`` as a string; ``style`` applies to md and html only."""
    short = style is ReportStyle.SHORT
    if short and fmt not in STYLED_FORMATS:
        raise ValueError(f"the short style applies to md and html reports, not {fmt.value}")
    if fmt is ReportFormat.JSON:
        from gutcheck.render.jsonout import render_json

        return render_json(assessment)
    if fmt is ReportFormat.MARKDOWN:
        from gutcheck.render.markdown import render_markdown

        return render_markdown(assessment, short=short)
    if fmt is ReportFormat.FHIR:
        from gutcheck.render.fhir import render_fhir

        return render_fhir(assessment)
    if fmt is ReportFormat.HTML:
        from gutcheck.render.html import render_html

        return render_html(assessment, short=short)
    from gutcheck.render.terminal import render_text

    return render_text(assessment, width=width)
