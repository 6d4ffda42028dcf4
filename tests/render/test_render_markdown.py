"""The Markdown report: what it says, in which order, and that any text stays plain text."""

from __future__ import annotations

from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from report_samples import clear, flagged

from gutcheck.render.markdown import md_cell, md_text, render_markdown

MARKUP_HEAVY = st.lists(
    st.sampled_from(
        [*"ab1 .-+=*_`~#>|<[]()!&;:/\\\"'$%{}\n\t", "é", "→", "&amp;", "&#60;", "javascript:",
         "https://x.org", "www.x.org", "<b>", "1. ", "---", "```", "    "]
    ),
    max_size=25,
).map("".join)


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)


def _paragraph_text(html: str) -> str:
    inner = html.strip()
    assert inner.startswith("<p>") and inner.endswith("</p>"), inner
    assert "<" not in inner[3:-4], f"markup leaked: {inner}"
    return unescape(inner[3:-4])


@settings(max_examples=400)
@given(MARKUP_HEAVY)
def test_escaped_text_renders_as_exactly_itself(text: str) -> None:
    flat = " ".join(text.split())
    rendered = _render(md_text(text))
    if not flat:
        assert rendered == ""
        return
    assert _paragraph_text(rendered) == flat


@settings(max_examples=300)
@given(MARKUP_HEAVY, MARKUP_HEAVY)
def test_escaped_cells_keep_a_table_to_two_columns(left: str, right: str) -> None:
    table = f"| A | B |\n| --- | --- |\n| {md_cell(left)} | {md_cell(right)} |\n"
    html = _render(table)
    body = html.split("<tbody>")[1]
    assert body.count("<td>") == 2
    cells = [unescape(part.split("</td>")[0]) for part in body.split("<td>")[1:]]
    assert cells == [" ".join(left.split()), " ".join(right.split())]


def test_red_flag_notice_comes_before_everything_else() -> None:
    text = render_markdown(flagged())
    notice = text.index("> **SEE A CLINICIAN.**")
    assert notice < text.index("## Your first steps") < text.index("## Overall") < text.index("## Factors")
    assert "> - **Have you seen blood in your stool? (urgent: see a doctor within days).** See a clinician within days." in text
    assert "1. **Within days: see a doctor about what you reported.**\n2. Drink less." in text
    assert "## Overall risk-factor load (habits only)\n\n**High** (81.1%). This level counts habits" in text


def test_no_notice_without_a_red_flag() -> None:
    assert "SEE A CLINICIAN" not in render_markdown(clear())


def test_header_names_date_rule_base_and_client() -> None:
    text = render_markdown(flagged())
    assert text.startswith("# Gut-barrier self-check report\n")
    assert "- **Taken:** 2026-01-31 09:00 UTC" in text
    assert "- **Rule base:** Mini test rules (mini 1.0.0)" in text
    assert "- **Client:** client-7" in text


def test_factor_table_has_percent_and_level_per_factor() -> None:
    text = render_markdown(flagged())
    assert "| Drinking | 80% | high | High drinking load. |" in text
    assert "| Food | 83.3% | high | Some food load. |" in text


def test_each_factor_lists_the_answers_that_moved_it_largest_first() -> None:
    text = render_markdown(flagged())
    drinking = text[text.index("### Drinking: 80%") : text.index("### Food")]
    lines = [line for line in drinking.splitlines() if line.startswith("- ")]
    assert lines == [
        "- How often do you drink? — *Daily* (+4)",
        "- How many drinks on a typical day? — *4 drinks* (+2)",
        "- Do you sometimes have six or more? — *Yes* (+2)",
    ]


def test_protective_answers_show_as_negative_points() -> None:
    assert "- Which of these do you eat most days? — *Vegetables; Beans* (−2)" in render_markdown(clear())


def test_suggestions_have_evidence_in_words_cautions_and_linked_sources() -> None:
    text = render_markdown(flagged())
    first = text[text.index("### 1. Drink less.") : text.index("### 2.")]
    assert "- **Evidence:** trial in people" in first
    assert "- **Caution:** Heavy drinkers should not stop suddenly without medical advice." in first
    assert "[doi:10.1000/abc.1](https://doi.org/10.1000/abc.1)" in first
    assert "[PMID 123456](https://pubmed.ncbi.nlm.nih.gov/123456/)" in first
    assert "- **Evidence:** cell or animal studies only" in text


def test_answers_given_and_unanswered_are_listed() -> None:
    text = render_markdown(clear())
    assert "| How often do you drink? | Prefer not to say |" in text
    assert "Not answered, and left out of the scores:" in text


def test_every_cited_source_is_listed_once_with_its_links() -> None:
    text = render_markdown(flagged())
    sources = text[text.index("## Sources") : text.index("## Please read")]
    assert sources.count("Author A. A trial.") == 1
    assert "[https://example.org/guideline-c](https://example.org/guideline-c)" in sources


def test_disclaimer_closes_the_report() -> None:
    text = render_markdown(flagged())
    assert text.index("## Please read") > text.index("## Sources")
    assert "For testing only. Not medical advice." in text.split("## Please read")[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. first", "1\\. first"),
        ("2020) year", "2020\\) year"),
        ("1.0.0", "1.0.0"),
        ("- item", "\\- item"),
        ("a | b", "a \\| b"),
        ("line one\nline two", "line one line two"),
    ],
)
def test_md_text_escapes_only_what_would_be_markup(text: str, expected: str) -> None:
    assert md_text(text) == expected
