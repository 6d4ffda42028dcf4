"""Hostile rule bases and answers: nothing from them may become live markup in a report.

Two sources of hostile text: tests/data/hostile.yaml through the real loader (whatever it
accepts), and an Assessment built directly with the dataclasses for what the loader refuses
(odd ids, levels, urgencies, identifiers and links), as a saved JSON document could carry.
The HTML is parsed with html.parser; the Markdown is rendered to HTML with markdown-it (raw
HTML allowed, as GitHub and many viewers allow some) and then parsed the same way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from report_samples import WHEN

from gutcheck.engine.assessment import (
    AnswerRecord,
    Assessment,
    Contribution,
    FactorResult,
    OverallResult,
    RedFlagResult,
    RulesInfo,
    SuggestionResult,
)
from gutcheck.engine.scoring import score
from gutcheck.render import ReportFormat, ReportStyle, render
from gutcheck.render.html import render_html
from gutcheck.render.markdown import render_markdown
from gutcheck.rulebook.content import LearnParagraph, LearnTopic, ReferenceInfo
from gutcheck.rulebook.loading import load_rules

HOSTILE_RULES = Path(__file__).parents[1] / "data" / "hostile.yaml"
SCRIPT = "<script>alert(1)</script>"
ONERROR = '"><img src=x onerror=alert(1)>'
JS_LINK = "[click](javascript:alert(1))"
TABLE_BREAKER = "| x |"
DANGEROUS_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "u", "b", "form", "input", "style", "link", "meta", "base"}


class MarkupCensus(HTMLParser):
    """Collects every element, attribute and text node of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.table_rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag == "tr":
            self.table_rows.append([])
        if tag in ("td", "th") and self.table_rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.table_rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def census(html: str) -> MarkupCensus:
    parser = MarkupCensus()
    parser.feed(html)
    parser.close()
    return parser


def assert_nothing_live(page: MarkupCensus, allowed_tags: set[str] | None = None) -> None:
    """No scripts, no event handlers, no links but http(s) ones and in-page anchors of plain
    word characters (the report's own learn topics and sources), no elements from the content."""
    allowed = allowed_tags or set()
    live = [tag for tag in page.tags if tag in DANGEROUS_TAGS - allowed]
    assert not live, f"live elements from content: {live}"
    handlers = [(tag, name) for tag, name, _ in page.attributes if name.lower().startswith("on")]
    assert not handlers, f"event handler attributes: {handlers}"
    for tag, name, value in page.attributes:
        if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
            assert (value or "").startswith(("https://", "http://")) or re.fullmatch(r"#[\w-]+", value or ""), (
                f"{tag} {name}={value!r}")


def markdown_to_html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


@pytest.fixture(scope="module")
def loaded() -> Assessment:
    rules = load_rules(HOSTILE_RULES)
    answers = {"alarm_flag": "yes", "evil_q": "b", "evil_n": 7}
    return score(rules, answers, taken_at=WHEN, client=SCRIPT + ONERROR)


def crafted() -> Assessment:
    """What the loader would refuse, as a saved or edited JSON document could still carry."""
    evil_ref = ReferenceInfo(
        id=SCRIPT, cite=ONERROR + JS_LINK, kind=SCRIPT,
        doi='10.1/x)](javascript:alert(1))"><script>', pmid="1 onmouseover=alert(1)",
        pmcid="PMC1\"><script>alert(1)</script>", url="javascript:alert(1)",
    )
    flag = RedFlagResult(SCRIPT, ONERROR, JS_LINK + TABLE_BREAKER, ONERROR, (SCRIPT,))
    contribution = Contribution(SCRIPT, "Q " + TABLE_BREAKER + SCRIPT, ONERROR, 5)
    factor = FactorResult(
        id=ONERROR, title=SCRIPT + TABLE_BREAKER, weight=1.0, raw=5, max=5, percent=100.0,
        level='high" onmouseover="alert(1)', summary=JS_LINK, explanation="<style>*{}</style>",
        contributions=(contribution,), unanswered=(SCRIPT,), references=(SCRIPT,),
    )
    suggestion = SuggestionResult(
        id=SCRIPT, factor=ONERROR, text=JS_LINK, why=SCRIPT, evidence=ONERROR,
        caution=TABLE_BREAKER + ONERROR, references=(SCRIPT,),
    )
    return Assessment(
        rules=RulesInfo(SCRIPT, ONERROR, JS_LINK, "sha256:" + SCRIPT),
        taken_at=SCRIPT, disclaimer=ONERROR + "\n\n" + JS_LINK,
        overall=OverallResult(100.0, ONERROR, SCRIPT),
        factors=(factor,), red_flags=(flag,), suggestions=(suggestion,),
        answers=(AnswerRecord(SCRIPT, TABLE_BREAKER + "\n| y |", [SCRIPT], ONERROR + "\n" + TABLE_BREAKER),),
        unanswered=(SCRIPT,), references={SCRIPT: evil_ref}, client=JS_LINK,
    )


def test_the_loader_accepts_the_hostile_rule_base(loaded: Assessment) -> None:
    assert SCRIPT in loaded.rules.title
    assert loaded.red_flags and loaded.suggestions
    assert loaded.references["evil"].url == "javascript:alert(1)"


@pytest.mark.parametrize("make", ["loaded", "crafted"])
def test_html_report_keeps_hostile_text_inert(make: str, loaded: Assessment) -> None:
    assessment = loaded if make == "loaded" else crafted()
    page = census(render_html(assessment))
    assert_nothing_live(page, allowed_tags={"style", "meta", "svg"})
    assert page.tags.count("script") == 0
    assert page.tags.count("style") == 1  # the report's own stylesheet, nothing else
    assert page.tags.count("svg") == 1  # the chart, nothing from the content
    assert SCRIPT in page.all_text  # shown as text, exactly as written
    assert "onerror=alert(1)" in page.all_text


def test_html_report_links_only_http_addresses() -> None:
    page = census(render_html(crafted()))
    hrefs = [value for _, name, value in page.attributes if name == "href"]
    assert hrefs, "the DOI, PubMed and PMC links are still links, percent-encoded"
    assert all(h and h.startswith("https://") and '"' not in h and " " not in h for h in hrefs)
    assert "address given as text: javascript:alert(1)" in page.all_text


def test_html_level_names_cannot_add_attributes() -> None:
    html = render_html(crafted())
    assert 'onmouseover="alert(1)"' not in html
    assert "level-other" in html  # unknown levels get the neutral colour class


@pytest.mark.parametrize("make", ["loaded", "crafted"])
def test_markdown_report_keeps_hostile_text_inert(make: str, loaded: Assessment) -> None:
    assessment = loaded if make == "loaded" else crafted()
    page = census(markdown_to_html(render_markdown(assessment)))
    assert_nothing_live(page)
    assert SCRIPT in page.all_text
    assert "[click](javascript:alert(1))" in page.all_text


@pytest.mark.parametrize("make", ["loaded", "crafted"])
def test_markdown_tables_keep_their_shape(make: str, loaded: Assessment) -> None:
    assessment = loaded if make == "loaded" else crafted()
    page = census(markdown_to_html(render_markdown(assessment)))
    flat = [" ".join(text.split()) for text in (f.title for f in assessment.factors)]
    factor_rows = page.table_rows[1 : 1 + len(assessment.factors)]
    assert [row[0] for row in factor_rows] == flat
    assert [row[3] for row in factor_rows] == [f.summary for f in assessment.factors]
    answer_rows = page.table_rows[2 + len(assessment.factors) :]
    assert [row for row in answer_rows] == [
        [" ".join(a.ask.split()), " ".join(a.label.split())] for a in assessment.answers
    ]
    assert [len(row) for row in page.table_rows] == [4] * len(assessment.factors) + [4] + [2] * (
        len(assessment.answers) + 1
    )


def test_markdown_links_are_only_the_checked_https_links() -> None:
    page = census(markdown_to_html(render_markdown(crafted())))
    hrefs = [value or "" for tag, name, value in page.attributes if name == "href"]
    assert hrefs
    assert all(h.startswith("https://") for h in hrefs)
    assert not any("javascript:" in h and "%28" not in h for h in hrefs)


def test_markdown_keeps_no_heading_quote_or_list_from_content(loaded: Assessment) -> None:
    page = census(markdown_to_html(render_markdown(loaded)))
    assert "# Not a heading" in page.all_text
    assert page.tags.count("blockquote") == 1  # only the red-flag notice
    assert page.tags.count("pre") == 0 and page.tags.count("code") == 0


def with_hostile_learn(assessment: Assessment) -> Assessment:
    """``assessment`` with learn topics whose ids, titles and texts are hostile, pointed to from
    every factor and suggestion (with a topic that is missing, and one with no title at all)."""
    evil = LearnTopic(id='x" onclick="alert(1)', title=SCRIPT + JS_LINK, summary=ONERROR,
                      paragraphs=(LearnParagraph(JS_LINK + TABLE_BREAKER, (SCRIPT,)),))
    blank = LearnTopic(id="../#", title="", summary="", paragraphs=())
    marks = LearnTopic(id="marks", title="?!", summary="", paragraphs=())  # a heading with no anchor
    pointers = (evil.id, "no-such-topic", blank.id, marks.id)
    return replace(
        assessment, learn=(evil, blank, marks),
        factors=tuple(replace(f, learn=pointers) for f in assessment.factors),
        suggestions=tuple(replace(s, learn=pointers) for s in assessment.suggestions),
    )


@pytest.mark.parametrize("style", list(ReportStyle), ids=lambda style: style.value)
def test_hostile_learn_topics_and_the_short_style_keep_the_html_inert(style: ReportStyle) -> None:
    html = render(with_hostile_learn(crafted()), ReportFormat.HTML, style=style)
    page = census(html)
    assert_nothing_live(page, allowed_tags={"style", "meta", "svg"})
    assert page.tags.count("script") == 0 and page.tags.count("svg") == 1
    assert 'onclick="alert(1)"' not in html and SCRIPT in page.all_text


@pytest.mark.parametrize("style", list(ReportStyle), ids=lambda style: style.value)
def test_hostile_learn_topics_and_the_short_style_keep_the_markdown_inert(style: ReportStyle) -> None:
    markdown = render(with_hostile_learn(crafted()), ReportFormat.MARKDOWN, style=style)
    page = census(markdown_to_html(markdown))
    assert_nothing_live(page)
    assert SCRIPT in page.all_text and "[click](javascript:alert(1))" in page.all_text
    assert "#learn:" not in markdown  # every learn link was given its heading's anchor
    assert "](#)" not in markdown  # and never an empty one
