"""The Markdown report: readable as plain text, rendered well on GitHub and common viewers.

Every piece of text that came from a rule base or from answers goes through :func:`md_text`
(or :func:`md_cell` inside tables), so none of it can become a link, an image, HTML, a
heading or a broken table. Links are made only here, only for http(s) addresses.
"""

from __future__ import annotations

import re

from gutcheck.engine.assessment import (
    Assessment,
    Contribution,
    FactorResult,
    RedFlagResult,
    SuggestionResult,
)
from gutcheck.render.md_anchors import placeholder, resolve_learn_links, subheading_anchors
from gutcheck.render.reportparts import (
    EVIDENCE_TITLE,
    FIRST_STEPS_TITLE,
    LEARN_MORE,
    LEARN_WHERE,
    NO_SUGGESTIONS,
    NOTHING_RAISED,
    REPORT_TITLE,
    RISK_ALSO,
    SHORT_NOTE,
    SHORT_SOURCES_TITLE,
    SHORT_SUGGESTIONS_TITLE,
    SourceEntry,
    all_sources,
    factor_titles,
    learn_links,
    level_word,
    numbered_sources,
    overall_title,
    percent_text,
    red_flag_wording,
    short_hash,
    sources_of,
    taken_text,
    unanswered_asks,
    urgency_text,
)
from gutcheck.rulebook.content import LearnTopic

# Characters that start Markdown or HTML syntax anywhere in a line (GitHub flavour included).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
# What would start a block (list, heading, quote, rule) when it opens a line.
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)])(?=\s|$))")


def md_text(text: str) -> str:
    """``text`` as inert Markdown on one line: specials escaped, whitespace collapsed."""
    flat = " ".join(str(text).split())
    escaped = _INLINE_SPECIAL.sub(r"\\\1", flat)
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    # A list number is escaped at its delimiter ("1\."): a backslash before a digit is literal.
    sign, number, delimiter = match.groups()
    return "\\" + sign if sign else f"{number}\\{delimiter}"


def md_cell(text: str) -> str:
    """``text`` safe inside a table cell (one line, pipes escaped, never empty)."""
    return md_text(text) or " "


def md_paragraphs(text: str) -> str:
    """Longer text as inert Markdown paragraphs, keeping the author's blank-line breaks."""
    paragraphs = [md_text(part) for part in re.split(r"\n\s*\n", str(text))]
    return "\n\n".join(part for part in paragraphs if part)


def md_link(url: str, label: str) -> str:
    """A Markdown link; ``url`` must already be a checked, percent-encoded http(s) address."""
    return f"[{md_text(label)}]({url})"


def render_markdown(assessment: Assessment, *, short: bool = False) -> str:
    """The whole report as Markdown text ending in a newline.

    ``short`` gives the one-to-two page version: the same notice, first steps, overall level
    and factor table, each suggestion's one-line step with its evidence, caution and numbered
    sources, and the disclaimer.
    """
    if short:
        return _join([
            _header(assessment, note=SHORT_NOTE),
            _red_flags(assessment),
            _first_steps(assessment),
            _overall(assessment),
            _factor_table(assessment, summaries=False),
            _short_suggestions(assessment),
            _disclaimer(assessment),
        ])
    text = _join([
        _header(assessment),
        _red_flags(assessment),
        _first_steps(assessment),
        _overall(assessment),
        _factor_table(assessment),
        _what_moved(assessment),
        _suggestions(assessment),
        _answers(assessment),
        _evidence(assessment),
        _sources(assessment),
        _disclaimer(assessment),
    ])
    return resolve_learn_links(text, subheading_anchors(text, EVIDENCE_TITLE), EVIDENCE_TITLE)


def _join(sections: list[str]) -> str:
    return "\n\n".join(section for section in sections if section) + "\n"


def _header(assessment: Assessment, note: str = "") -> str:
    rules = assessment.rules
    lines = [
        f"# {REPORT_TITLE}",
        "",
        f"- **Taken:** {md_text(taken_text(assessment.taken_at))}",
        f"- **Rule base:** {md_text(rules.title)} ({md_text(rules.id)} {md_text(rules.version)})",
    ]
    if assessment.client:
        lines.append(f"- **Client:** {md_text(assessment.client)}")
    if note:
        lines.extend(["", f"*{md_text(note)}*"])
    return "\n".join(lines)


def _red_flags(assessment: Assessment) -> str:
    if not assessment.red_flags:
        return ""
    headline, lead = red_flag_wording(assessment)
    lines = [f"> **{headline.upper()}.** {lead}", ">"]
    alarms = [flag for flag in assessment.red_flags if flag.is_alarm]
    risks = [flag for flag in assessment.red_flags if not flag.is_alarm]
    lines += [_flag_line(flag) for flag in alarms]
    if alarms and risks:
        lines.extend([">", f"> **{RISK_ALSO}**", ">"])
    lines += [_flag_line(flag) for flag in risks]
    return "\n".join(lines)


def _flag_line(flag: RedFlagResult) -> str:
    """One red flag in the notice: its name and how soon, then its full advice."""
    return f"> - **{md_text(flag.name)} ({md_text(urgency_text(flag.urgency))}).** {md_text(flag.advice)}"


def _first_steps(assessment: Assessment) -> str:
    steps = assessment.steps()
    if not steps:
        return ""
    lines = [f"## {FIRST_STEPS_TITLE}", ""]
    for number, step in enumerate(steps, start=1):
        text = f"**{md_text(step.text)}**" if step.red_flag is not None else md_text(step.text)
        lines.append(f"{number}. {text}")
        instrument = assessment.instrument_of(step.suggestion.factor) if step.suggestion is not None else None
        if instrument is not None:
            lines.append(f"   *{md_text(instrument.line)}*")
    return "\n".join(lines)


def _overall(assessment: Assessment) -> str:
    overall = assessment.overall
    title = md_text(overall_title(assessment))
    if overall.percent is None:
        return f"## {title}\n\nNot scored. {md_text(assessment.overall_summary())}"
    level = md_text(level_word(overall.level)).capitalize()
    return (
        f"## {title}\n\n"
        f"**{level}** ({md_text(percent_text(overall.percent))}). "
        f"{md_text(assessment.overall_summary())}"
    )


def _factor_table(assessment: Assessment, *, summaries: bool = True) -> str:
    columns = 4 if summaries else 3  # the short report leaves out the Summary column
    rows = [_row(("Factor", "Score", "Level", "Summary")[:columns]), _row(("---", "---:", "---", "---")[:columns])]
    for factor in assessment.factors:
        score = "\u2013" if factor.percent is None else percent_text(factor.percent)
        cells = (factor.title, score, level_word(factor.level), factor.summary)[:columns]
        rows.append(_row(tuple(md_cell(cell) for cell in cells)))
    return "## Factors\n\n" + "\n".join(rows)


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _what_moved(assessment: Assessment) -> str:
    parts = ["## What moved each score"]
    parts.extend(_factor_why(factor, assessment) for factor in assessment.factors)
    return "\n\n".join(parts)


def _factor_why(factor: FactorResult, assessment: Assessment) -> str:
    heading = f"### {md_text(factor.title)}: {md_text(percent_text(factor.percent))}"
    lines = [heading, "", md_text(factor.explanation), ""]
    instrument = assessment.instrument_of(factor.id)
    if instrument is not None:
        note = f" ({md_text(instrument.note)})" if instrument.note else ""
        lines.extend([f"**{md_text(instrument.line)}**{note}", ""])
    moving = sorted((c for c in factor.contributions if c.points), key=lambda c: -c.points)
    if factor.percent is None:
        lines.append(md_text(factor.summary))
    elif not moving:
        lines.append(NOTHING_RAISED)
    lines.extend(_contribution_line(c) for c in moving)
    pointer = _learn_pointer(assessment, factor.learn)
    if pointer:
        lines.extend(["", f"*{LEARN_MORE} {pointer}*"])
    return "\n".join(lines)


def _learn_pointer(assessment: Assessment, topics: tuple[str, ...]) -> str:
    """'[Title](#anchor) (in About the evidence, below)', or '' when the report explains none of
    ``topics``; the anchors are filled in once the whole report is known."""
    index: dict[str, int] = {}
    for number, topic in enumerate(assessment.learn):
        index.setdefault(topic.id, number)
    links = [md_link(placeholder(index[link.id]), link.title) for link in learn_links(assessment, topics)]
    return f"{'; '.join(links)} {LEARN_WHERE}" if links else ""


def _contribution_line(contribution: Contribution) -> str:
    sign = "+" if contribution.points > 0 else "\u2212"
    return (
        f"- {md_text(contribution.ask)} \u2014 *{md_text(contribution.answer)}* "
        f"({sign}{abs(contribution.points)})"
    )


def _suggestions(assessment: Assessment) -> str:
    if not assessment.suggestions:
        return f"## Suggestions\n\n{NO_SUGGESTIONS}"
    titles = factor_titles(assessment)
    parts = ["## Suggestions, most relevant first"]
    for number, suggestion in enumerate(assessment.suggestions, start=1):
        parts.append(_suggestion(number, suggestion, titles, assessment))
    return "\n\n".join(parts)


def _suggestion(
    number: int, suggestion: SuggestionResult, titles: dict[str, str], assessment: Assessment
) -> str:
    factor = titles.get(suggestion.factor, suggestion.factor)
    lines = [
        f"### {number}. {md_text(suggestion.text)}",
        "",
        f"- **Factor:** {md_text(factor)}",
        f"- **Why:** {md_text(suggestion.why)}",
        f"- **Evidence:** {md_text(suggestion.evidence_words)}",
    ]
    if suggestion.caution:
        lines.append(f"- **Caution:** {md_text(suggestion.caution)}")
    pointer = _learn_pointer(assessment, suggestion.learn)
    if pointer:
        lines.append(f"- **{LEARN_MORE}** {pointer}")
    sources = sources_of(assessment, suggestion.references)
    if sources:
        lines.append("- **Sources:**")
        lines.extend(f"  - {_source_line(source)}" for source in sources)
    return "\n".join(lines)


def _source_line(source: SourceEntry) -> str:
    parts = [md_text(source.cite)]
    parts.extend(md_link(link.url, link.label) for link in source.named)
    if source.plain:
        parts.append(f"address given as text: {md_text(source.plain)}")
    return " \u00b7 ".join(parts)


def _answers(assessment: Assessment) -> str:
    rows = ["| Question | Your answer |", "| --- | --- |"]
    rows.extend(f"| {md_cell(a.ask)} | {md_cell(a.label)} |" for a in assessment.answers)
    text = "## Your answers\n\n" + "\n".join(rows)
    missing = unanswered_asks(assessment)
    if missing:
        listed = "\n".join(f"- {md_text(ask)}" for ask in missing)
        text += f"\n\nNot answered, and left out of the scores:\n\n{listed}"
    return text


def _evidence(assessment: Assessment) -> str:
    if not assessment.learn:
        return ""
    parts = [f"## {EVIDENCE_TITLE}"]
    for topic in assessment.learn:
        lines = [f"### {_topic_heading(topic)}", "", f"*{md_text(topic.summary)}*"]
        for paragraph in topic.paragraphs:
            lines.extend(["", md_text(paragraph.text)])
        ids = tuple(dict.fromkeys(ref for p in topic.paragraphs for ref in p.references))
        sources = sources_of(assessment, ids)
        if sources:
            lines.extend(["", "Sources:", ""])
            lines.extend(f"- {_source_line(source)}" for source in sources)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _topic_heading(topic: LearnTopic) -> str:
    """A topic's heading text; never empty, so that every topic keeps its own anchor."""
    return md_text(topic.title) or md_text(topic.id) or "Topic"


def _short_suggestions(assessment: Assessment) -> str:
    """Each suggestion's one-line step with its evidence, caution and numbered sources, then
    those sources (the short report's only list of them)."""
    if not assessment.suggestions:
        return f"## Suggestions\n\n{NO_SUGGESTIONS}"
    sources = numbered_sources(assessment, assessment.suggestions)
    lines = [f"## {SHORT_SUGGESTIONS_TITLE}", ""]
    for number, suggestion in enumerate(assessment.suggestions, start=1):
        cited = sources.of(suggestion.references)
        facts = f"evidence: {md_text(suggestion.evidence_words)}"
        if cited:
            facts += f"; {'source' if len(cited) == 1 else 'sources'} {', '.join(map(str, cited))}"
        caution = f" **Caution:** {md_text(suggestion.caution)}" if suggestion.caution else ""
        lines.append(f"{number}. {md_text(suggestion.step)} ({facts}){caution}")
    if sources.entries:
        lines.extend(["", f"## {SHORT_SOURCES_TITLE}", ""])
        lines.extend(f"{n}. {_source_line(s)}" for n, s in enumerate(sources.entries, start=1))
    return "\n".join(lines)


def _sources(assessment: Assessment) -> str:
    sources = all_sources(assessment)
    if not sources:
        return ""
    lines = [f"{number}. {_source_line(s)}" for number, s in enumerate(sources, start=1)]
    return "## Sources\n\n" + "\n".join(lines)


def _disclaimer(assessment: Assessment) -> str:
    rules = assessment.rules
    footer = (
        f"*Made by gutcheck with {md_text(rules.id)} {md_text(rules.version)} "
        f"(rules hash {md_text(short_hash(rules.hash))}).*"
    )
    return f"## Please read\n\n{md_paragraphs(assessment.disclaimer)}\n\n---\n\n{footer}"
