"""The HTML report: self-contained, accessible, printable, and saying what the Markdown says."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from report_samples import clear, flagged

from gutcheck.engine.assessment import Assessment
from gutcheck.render.html import (
    PAGE_BACKGROUND,
    PALETTE,
    TINTS,
    build_chart,
    chart_label,
    render_html,
    style_hash,
)


class Page(HTMLParser):
    """Elements with their attributes, in document order, plus text and the style content."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.style = ""
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.texts.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


@pytest.fixture(scope="module")
def flagged_html() -> str:
    return render_html(flagged())


@pytest.fixture(scope="module")
def page(flagged_html: str) -> Page:
    return Page(flagged_html)


def test_the_page_loads_nothing_from_anywhere(flagged_html: str, page: Page) -> None:
    assert not page.all("link") and not page.all("script") and not page.all("img")
    assert not any("src" in attrs for _, attrs in page.elements)
    assert "@import" not in page.style and "url(" not in page.style
    csp = next(a["content"] for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp and "script-src" not in csp


def test_the_policy_allows_exactly_the_page_s_own_stylesheet(page: Page) -> None:
    csp = next(a["content"] for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None
    assert f"style-src {style_hash(page.style)};" in csp
    assert len(page.all("style")) == 1


def test_document_is_labelled_for_assistive_technology(page: Page) -> None:
    assert page.all("html") == [{"lang": "en"}]
    assert any(a.get("charset") == "utf-8" for a in page.all("meta"))
    headings = [int(tag[1]) for tag, _ in page.elements if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(headings)), "a heading level is skipped"


def test_tables_have_captions_and_scoped_headers(flagged_html: str, page: Page) -> None:
    assert len(page.all("table")) == 2 and len(page.all("caption")) == 2
    scopes = [a.get("scope") for a in page.all("th")]
    assert set(scopes) == {"col", "row"}
    assert scopes.count("row") == len(flagged().factors) + len(flagged().answers)


def test_chart_is_an_image_with_a_text_alternative(page: Page) -> None:
    (svg,) = page.all("svg")
    assert svg["role"] == "img"
    labelled_by = (svg["aria-labelledby"] or "").split()
    ids = {a.get("id") for _, a in page.elements}
    assert labelled_by == ["chart-title", "chart-desc"] and set(labelled_by) <= ids
    assert "Drinking: 80% (high); Food: 83.3% (high). The table below gives the same figures." in page.text


def test_chart_bars_are_as_long_as_the_percents() -> None:
    assessment = flagged()
    chart = build_chart(assessment.factors)
    for row, factor in zip(chart.rows, assessment.factors, strict=True):
        assert row.width == pytest.approx(chart.bar_width * (factor.percent or 0) / 100, abs=0.1)
    bars = [a for a in Page(render_html(assessment)).all("rect") if (a.get("class") or "").startswith("bar-")]
    assert [float(b["width"] or 0) for b in bars] == [row.width for row in chart.rows]
    assert [b["class"] for b in bars] == ["bar-high", "bar-high"]


def test_unscored_factors_have_no_bar_and_say_so() -> None:
    assessment = clear()
    page = Page(render_html(assessment))
    bars = [a for a in page.all("rect") if (a.get("class") or "").startswith("bar-")]
    assert len(bars) == sum(1 for f in assessment.factors if f.percent is not None)
    assert "Drinking: not scored" in page.text


def test_long_factor_titles_are_shortened_in_the_chart_only() -> None:
    title = "A factor title far longer than any chart label could hold"
    assert len(chart_label(title)) <= 32 and chart_label(title).endswith("…")
    assert chart_label("Alcohol") == "Alcohol"


def test_red_flag_notice_is_the_first_thing_in_the_main_content(page: Page) -> None:
    order = [attrs.get("class") for tag, attrs in page.elements if tag == "section"]
    assert order[0] == "notice"
    assert page.text.index("See a clinician") < page.text.index("Overall")
    assert "Have you seen blood in your stool? (urgent: see a doctor within days) See a clinician within days." in page.text
    steps = page.text[page.text.index("Your first steps"):page.text.index("Overall risk-factor load")]
    assert steps.startswith("Your first steps Within days: see a doctor about what you reported. Drink less.")
    assert 'class="flag-step"' in render_html(flagged())  # the red flag's step stands out


def test_no_notice_without_a_red_flag() -> None:
    assert 'class="notice"' not in render_html(clear())


def test_report_says_what_the_markdown_says(page: Page) -> None:
    text = page.text
    for expected in (
        "Taken 2026-01-31 09:00 UTC", "Rule base mini 1.0.0", "Client client-7",
        "Overall risk-factor load (habits only) High · 81.1%", "How often do you drink? — Daily (+4)",
        "1. Drink less.", "Evidence trial in people",
        "Caution Heavy drinkers should not stop suddenly without medical advice.",
        "Your answers", "For testing only. Not medical advice.",
    ):
        assert expected in text, expected
    hrefs = [a["href"] for a in page.all("a")]
    assert "https://doi.org/10.1000/abc.1" in hrefs and "https://pubmed.ncbi.nlm.nih.gov/123456/" in hrefs
    assert all((h or "").startswith("https://") for h in hrefs)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("name", sorted(PALETTE))
def test_every_text_colour_meets_wcag_aa_on_page_and_panels(name: str) -> None:
    for background in (PAGE_BACKGROUND, TINTS["panel"], TINTS["alert-tint"]):
        assert contrast(PALETTE[name], background) >= 4.5, (name, background)


@pytest.mark.parametrize("level", ["low", "moderate", "high", "very-high", "other"])
def test_chart_bars_stand_out_from_their_track(level: str) -> None:
    assert contrast(PALETTE[level], TINTS["panel"]) >= 3.0  # WCAG non-text contrast


def test_stylesheet_uses_only_palette_colours() -> None:
    stylesheet = Page(render_html(flagged())).style
    rules = stylesheet.split("\n", 1)[1]  # after the generated :root variables
    assert set(re.findall(r"#[0-9a-fA-F]{3,6}\b", rules)) <= {"#ffffff"}


def test_print_styles_fit_a4_and_letter(page: Page) -> None:
    style = page.style
    assert "@media print" in style and "@page" in style
    assert "size:" not in style.split("@page", 1)[1].split("}", 1)[0], "paper size is the reader's choice"
    assert "break-inside: avoid" in style and "print-color-adjust: exact" in style
    assert re.search(r"max-width:\s*none", style.split("@media print", 1)[1])


def test_assessment_without_factors_or_answers_still_renders() -> None:
    base = flagged()
    empty = Assessment(
        rules=base.rules, taken_at="not a time", disclaimer="", overall=base.overall,
        factors=(), red_flags=(), suggestions=(), answers=(), unanswered=(),
    )
    page = Page(render_html(empty))
    assert "No factors were scored." in page.text
    assert "not a time" in page.text
