"""Reports a client can read: no commands to run, learn pointers that lead somewhere in the
report itself, and a short version built from the full report's own parts.

A coach hands the HTML or Markdown file to a client who has no terminal, so no ``gutcheck ...``
command may appear in it. The answers used reach every suggestion of the bundled rules that
any answers can reach (found the way ``rules lint`` walks them), every learn topic, and a red
flag.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from report_samples import WHEN, flagged

from gutcheck.answers.parse import SKIP
from gutcheck.cli import app
from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score, score_parsed
from gutcheck.lint import reachability
from gutcheck.render import ReportFormat, ReportStyle, render
from gutcheck.render.markdown import md_text
from gutcheck.render.md_anchors import github_slug, heading_anchors, resolve_learn_links, subheading_anchors
from gutcheck.render.reportparts import EVIDENCE_TITLE, FIRST_STEPS_TITLE
from gutcheck.rulebook.loading import load_rules_detailed

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = yaml.safe_load((ROOT / "docs" / "example-answers.yaml").read_text(encoding="utf-8"))
BUNDLED = load_rules_detailed(None)
RED_FLAG = {**EXAMPLE, "blood_in_stool": "yes", "family_history": "yes"}


def _command_pattern() -> re.Pattern[str]:
    """'gutcheck' followed by any of its commands or options, as a person would type it."""
    names = {command.name for command in app.registered_commands if command.name}
    names |= {group.name for group in app.registered_groups if group.name}
    assert {"learn", "report", "history", "score", "batch", "rules"} <= names
    return re.compile(r"\bgutcheck\s+(?:--?[a-z]|(?:" + "|".join(sorted(names)) + r")\b)")


COMMAND = _command_pattern()


def _witnesses(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """Suggestion id -> answers (within its factor's walk) that give it, as lint finds them."""
    found: dict[str, dict[str, Any]] = {}
    leaf = reachability._Walker.leaf

    def recording_leaf(self: Any, shown: dict[str, Any], unanswered: set[str]) -> None:
        before = set(self.reach.suggestions)
        leaf(self, shown, unanswered)
        for suggestion in self.reach.suggestions - before:
            found[suggestion] = {**shown, **dict.fromkeys(unanswered, SKIP)}

    monkeypatch.setattr(reachability._Walker, "leaf", recording_leaf)
    show_ifs = {q.id: [q.show_if] for f in BUNDLED.model.factors for q in f.questions if q.show_if}
    for factor, spec in zip(BUNDLED.rules.factors, BUNDLED.model.factors, strict=True):
        reachability.explore_factor(BUNDLED.rules, factor, spec, show_ifs)
    return found


@pytest.fixture(scope="module")
def people() -> list[Assessment]:
    """The example person, a person with a red flag, and one person per reachable suggestion."""
    rules = BUNDLED.rules
    base = rules.parse_answers(EXAMPLE)
    with pytest.MonkeyPatch.context() as patch:
        witnesses = _witnesses(patch)
    assessments = [score(rules, EXAMPLE, taken_at=WHEN), score(rules, RED_FLAG, taken_at=WHEN)]
    for suggestion, answers in sorted(witnesses.items()):
        factor = next(f for f in rules.factors if any(s.id == suggestion for s in f.suggestions))
        own = {q.id for q in factor.questions}
        person = {key: value for key, value in base.items() if key not in own} | answers
        assessment = score_parsed(rules, person, taken_at=WHEN)
        assert suggestion in {s.id for s in assessment.suggestions}, suggestion
        assessments.append(assessment)
    return assessments


def test_the_people_reach_every_suggestion_every_learn_topic_and_a_red_flag(people: list[Assessment]) -> None:
    given = {s.id for a in people for s in a.suggestions}
    reachable = {s.id for f in BUNDLED.rules.factors for s in f.suggestions} - _unreachable()
    assert given == reachable
    pointed = {t for a in people for f in a.factors for t in f.learn} | {
        t for a in people for s in a.suggestions for t in s.learn}
    assert pointed == {topic.id for topic in people[0].learn}, "some learn topic is never pointed to"
    assert any(a.has_alarm for a in people) and any(not f.is_alarm for a in people for f in a.red_flags)


def _unreachable() -> set[str]:
    """Suggestions lint reports as given for no answers (none in the bundled rules today)."""
    from gutcheck.lint.content import lint_rules

    return {m.group(1) for p in lint_rules(BUNDLED) if (m := re.search(r"suggestion '([^']+)'", p.message))}


@pytest.mark.parametrize("style", list(ReportStyle), ids=lambda style: style.value)
@pytest.mark.parametrize("fmt", [ReportFormat.HTML, ReportFormat.MARKDOWN], ids=lambda fmt: fmt.value)
def test_reports_for_clients_hold_no_command_to_run(
    people: list[Assessment], fmt: ReportFormat, style: ReportStyle
) -> None:
    for assessment in people:
        text = render(assessment, fmt, style=style)
        assert COMMAND.search(text) is None, COMMAND.search(text)


def test_the_results_screen_keeps_its_commands() -> None:
    screen = render(score(BUNDLED.rules, EXAMPLE, taken_at=WHEN), ReportFormat.TEXT, width=120)
    assert "Learn more: gutcheck learn how-long" in screen


class Links(HTMLParser):
    """In-page link targets and element ids of an HTML page, and the text of each link."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self.ids: list[str] = []
        self.words: dict[str, str] = {}
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.targets.append(href[1:])
            self._open = href[1:]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.words[self._open] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None


@pytest.mark.parametrize("style", list(ReportStyle), ids=lambda style: style.value)
def test_every_in_page_link_of_the_html_report_leads_to_one_place(
    people: list[Assessment], style: ReportStyle
) -> None:
    for assessment in people:
        page = Links(render(assessment, ReportFormat.HTML, style=style))
        assert len(page.ids) == len(set(page.ids)), "an id is used twice"
        assert set(page.targets) <= set(page.ids)


def test_html_learn_pointers_name_the_topic_and_lead_to_it_in_about_the_evidence() -> None:
    assessment = score(BUNDLED.rules, EXAMPLE, taken_at=WHEN)
    html = render(assessment, ReportFormat.HTML)
    page = Links(html)
    assert page.words["learn-how-long"] == "How long changes take"
    assert '<h3 id="learn-how-long">How long changes take</h3>' in html
    evidence = html.index('id="evidence-title"')
    assert all(html.index(f'id="learn-{t.id}"') > evidence for t in assessment.learn)
    assert "Learn more: <a href=\"#learn-how-long\">How long changes take</a> (in About the evidence, below)" in html


def test_markdown_learn_pointers_lead_to_the_topic_headings_as_github_anchors_them() -> None:
    markdown = render(score(BUNDLED.rules, EXAMPLE, taken_at=WHEN), ReportFormat.MARKDOWN)
    anchors = {anchor for _, _, anchor in heading_anchors(markdown)}
    targets = re.findall(r"\]\(#([^)]*)\)", markdown)
    assert targets and set(targets) <= anchors
    assert "*Learn more: [How long changes take](#how-long-changes-take) (in About the evidence, below)*" in markdown


@pytest.mark.parametrize(("text", "anchor"), [
    ("How long changes take", "how-long-changes-take"),
    ("Alcohol: 50%", "alcohol-50"),
    ("Suggestions, most relevant first", "suggestions-most-relevant-first"),
    ("Food & drink", "food--drink"),
    ("Zonulin, gluten and coeliac disease", "zonulin-gluten-and-coeliac-disease"),
    ("1. Drink less.", "1-drink-less"),
    ("Ünïcødé 名前 — ok_yes", "ünïcødé-名前--ok_yes"),
])
def test_github_slugs(text: str, anchor: str) -> None:
    assert github_slug(text) == anchor


def test_repeated_headings_are_numbered_as_github_numbers_them() -> None:
    markdown = "# Sources\n\n## Sources\n\ntext\n\n### Sources\n\n## Sources 1\n"
    assert [anchor for _, _, anchor in heading_anchors(markdown)] == ["sources", "sources-1", "sources-2", "sources-1-1"]


def test_a_learn_link_to_a_heading_without_an_anchor_leads_to_about_the_evidence() -> None:
    markdown = "## About the evidence\n\n### ?!\n\n### Sleep\n\nsee [?!](#learn:0) and [Sleep](#learn:1)\n"
    anchors = subheading_anchors(markdown, "About the evidence")
    assert anchors == ["", "sleep"]
    resolved = resolve_learn_links(markdown, anchors, "About the evidence")
    assert "[?!](#about-the-evidence) and [Sleep](#sleep)" in resolved


def _section(html: str, start: str) -> str:
    begin = html.index(start)
    return html[begin:html.index("</section>", begin)]


@pytest.mark.parametrize("start", ['<section class="notice"', '<section class="steps"', '<section class="overall"'])
def test_the_short_html_report_shows_the_full_report_s_own_notice_steps_and_overall(start: str) -> None:
    assessment = flagged()
    full = render(assessment, ReportFormat.HTML)
    short = render(assessment, ReportFormat.HTML, style=ReportStyle.SHORT)
    assert _section(short, start) == _section(full, start)


def test_the_short_markdown_report_shows_the_full_report_s_own_notice_steps_and_overall() -> None:
    assessment = flagged()
    full = render(assessment, ReportFormat.MARKDOWN).split("\n\n")
    short = render(assessment, ReportFormat.MARKDOWN, style=ReportStyle.SHORT).split("\n\n")
    for block in full:
        if block.startswith(("> **", "## Your first steps", "## Overall")):
            assert block in short


def _plain(report: str, fmt: ReportFormat) -> str:
    """The words of a report: tags or Markdown escapes removed, whitespace collapsed."""
    if fmt is ReportFormat.HTML:
        return " ".join(unescape(re.sub(r"<[^>]+>", "", report)).split())
    return " ".join(re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*", "", report)).split())


@pytest.mark.parametrize("fmt", [ReportFormat.HTML, ReportFormat.MARKDOWN], ids=lambda fmt: fmt.value)
def test_the_short_report_has_each_suggestion_in_a_line_with_its_evidence_and_sources(fmt: ReportFormat) -> None:
    assessment = score(BUNDLED.rules, RED_FLAG, taken_at=WHEN)
    text = _plain(render(assessment, fmt, style=ReportStyle.SHORT), fmt)
    for suggestion in assessment.suggestions:
        assert suggestion.step in text
        assert f"evidence: {suggestion.evidence_words}" in text
        if suggestion.caution:
            assert f"Caution: {suggestion.caution}" in text
    for ref in {ref for s in assessment.suggestions for ref in s.references}:
        assert assessment.references[ref].cite in text
    for gone in ("What moved each score", "Your answers", EVIDENCE_TITLE, "Learn more"):
        assert gone not in text
    for kept in (FIRST_STEPS_TITLE, "Factors", "Please read", assessment.disclaimer.split(".")[0]):
        assert kept in text, kept


def test_the_short_report_numbers_each_source_once_and_cites_it_by_number() -> None:
    assessment = score(BUNDLED.rules, EXAMPLE, taken_at=WHEN)
    markdown = render(assessment, ReportFormat.MARKDOWN, style=ReportStyle.SHORT)
    sources = markdown.split("\n## Sources\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    cited = list(dict.fromkeys(r for s in assessment.suggestions for r in s.references))
    assert len(sources) == len(cited)
    for number, ref in enumerate(cited, start=1):
        assert sources[number - 1].startswith(f"{number}. {md_text(assessment.references[ref].cite)}")
    listed = markdown.split("## Suggestions, most relevant first\n\n", 1)[1]
    first = listed.splitlines()[0]
    wanted = sorted(cited.index(r) + 1 for r in assessment.suggestions[0].references)
    assert f"; {'source' if len(wanted) == 1 else 'sources'} {', '.join(map(str, wanted))})" in first


def test_the_short_html_chart_says_each_level_in_words_as_it_has_no_table() -> None:
    html = render(score(BUNDLED.rules, EXAMPLE, taken_at=WHEN), ReportFormat.HTML, style=ReportStyle.SHORT)
    assert "<table" not in html
    assert ">50% · moderate</text>" in html and ">0% · low</text>" in html
    assert "The table below" not in html


def test_render_refuses_the_short_style_for_formats_without_one() -> None:
    for fmt in (ReportFormat.TEXT, ReportFormat.JSON, ReportFormat.FHIR):
        with pytest.raises(ValueError, match="md and html"):
            render(flagged(), fmt, style=ReportStyle.SHORT)
