"""The group overview of a batch run as one self-contained HTML page, or as Markdown.

First the clients to contact, most urgent red flag first (with a link to each client's report
when there is one), then the clients who left a safety question blank; then the group's counts
per overall level and per factor level as bar charts (each with its figures as text), the
factors that most often weigh most, changes since the previous assessments (with ``--save``),
the rows that could not be scored and why, and the rule base, its version and the date. The page
loads nothing (its Content Security Policy allows only its own stylesheet) and every text goes
through autoescaping, as in the client reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from gutcheck.batch.overview import NOT_SCORED, Overview
from gutcheck.render import reportparts as parts
from gutcheck.render.html import level_key, markup, style_hash, stylesheet, template
from gutcheck.render.markdown import md_cell, md_text

TITLE = "Group overview"
CONTACTS_TITLE = "Clients to contact, most urgent first"
UNANSWERED_TITLE = "Clients who left a safety question blank"
NO_CONTACTS = "No client reported a red flag."
NO_UNANSWERED = "Every scored client answered every safety question."
CHANGE_WORDS = {"better": "less load", "worse": "more load", "same": "no change", "new": "first assessment",
                "not seen": "not in this run"}
BAR_WIDTH = 360
BAR_ROW = 26


@dataclass(frozen=True)
class Bar:
    """One bar of a count chart: its label, count, share of the group and width."""

    label: str
    count: int
    percent: float
    width: float
    key: str
    y: int


def count_bars(counts: tuple[tuple[str, int], ...]) -> tuple[Bar, ...]:
    """Bars for counts per level, each as wide as its share of the clients counted."""
    total = sum(count for _, count in counts) or 1
    return tuple(
        Bar(parts.level_word(level), count, round(100 * count / total, 1), round(BAR_WIDTH * count / total, 1),
            "other" if level == NOT_SCORED else level_key(level), index * BAR_ROW)
        for index, (level, count) in enumerate(counts)
    )


def report_href(name: str) -> str:
    """A relative link to a client's report file beside the overview, every unsafe character encoded."""
    return quote(name, safe="")


def render_overview_html(overview: Overview, *, reports_dir: str | None = None) -> str:
    """The overview as one HTML document; ``reports_dir`` is where the report links point,
    relative to the overview's own folder."""
    css = stylesheet("overview.css")
    prefix = "" if not reports_dir else quote(reports_dir.rstrip("/"), safe="/") + "/"
    page: str = template("overview.html.j2").render(
        o=overview, title=TITLE, style=markup(css), style_hash=style_hash(css),
        overall_bars=count_bars(overview.overall_levels), bar_width=BAR_WIDTH, bar_row=BAR_ROW,
        factor_bars=[(title, count_bars(counts)) for title, counts in overview.factor_levels],
        href=lambda name: prefix + report_href(name), urgency_words=parts.URGENCY_WORDS,
        change_words=CHANGE_WORDS, taken=parts.taken_text(overview.made_at), plural=parts.plural,
        contacts_title=CONTACTS_TITLE, unanswered_title=UNANSWERED_TITLE, no_contacts=NO_CONTACTS,
        no_unanswered=NO_UNANSWERED, percent_text=parts.percent_text,
    )
    return page


def render_overview_markdown(overview: Overview, *, reports_dir: str | None = None) -> str:
    """The overview as Markdown: the same sections, tables instead of charts."""
    prefix = "" if not reports_dir else quote(reports_dir.rstrip("/"), safe="/") + "/"
    sections = [
        _md_header(overview), _md_contacts(overview, prefix), _md_unanswered(overview, prefix),
        _md_counts("Overall level", overview.overall_levels),
        *(_md_counts(f"{title}: level", counts) for title, counts in overview.factor_levels),
        _md_top_factors(overview), _md_changes(overview), _md_rejected(overview),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _md_header(overview: Overview) -> str:
    lines = [
        f"# {TITLE}", "",
        f"- **Rule base:** {md_text(overview.rules_title)} ({md_text(overview.rules_id)} "
        f"{md_text(overview.rules_version)})",
        f"- **Made:** {md_text(parts.taken_text(overview.made_at))} from {md_text(overview.source)}",
        f"- **Clients:** {overview.scored} scored, {overview.rejected} rejected, {overview.read} rows read"
        + (" (reading stopped early)" if overview.stopped_early else ""),
    ]
    return "\n".join(lines)


def _md_contacts(overview: Overview, prefix: str) -> str:
    if not overview.contacts:
        return f"## {CONTACTS_TITLE}\n\n{NO_CONTACTS}"
    lines = [f"## {CONTACTS_TITLE}", "", "| Client | Red flag | How soon | Also reported | Row |",
             "| --- | --- | --- | --- | ---: |"]
    for contact in overview.contacts:
        client = _md_client(contact.client, contact.report, prefix)
        how_soon = parts.urgency_text(contact.urgency) + ("" if contact.kind == "alarm" else " (risk marker)")
        lines.append(f"| {client} | {md_cell(contact.flag)} | {md_cell(how_soon)} | "
                     f"{md_cell('; '.join(contact.also) or '-')} | {contact.row} |")
    if overview.more_contacts:
        lines.append(f"\n... and {overview.more_contacts} more; the CSV output lists every client.")
    return "\n".join(lines)


def _md_client(client: str, report: str | None, prefix: str) -> str:
    return f"[{md_text(client)}]({prefix}{report_href(report)})" if report else md_cell(client)


def _md_unanswered(overview: Overview, prefix: str) -> str:
    if not overview.unanswered:
        return f"## {UNANSWERED_TITLE}\n\n{NO_UNANSWERED}"
    lines = [f"## {UNANSWERED_TITLE}", "", "| Client | Left blank | Row |", "| --- | --- | ---: |"]
    for item in overview.unanswered:
        lines.append(f"| {_md_client(item.client, item.report, prefix)} | {md_cell('; '.join(item.questions))} | "
                     f"{item.row} |")
    if overview.more_unanswered:
        lines.append(f"\n... and {overview.more_unanswered} more.")
    return "\n".join(lines)


def _md_counts(title: str, counts: tuple[tuple[str, int], ...]) -> str:
    lines = [f"## {md_text(title)}", "", "| Level | Clients | Share |", "| --- | ---: | ---: |"]
    lines += [f"| {md_cell(bar.label)} | {bar.count} | {bar.percent:g}% |" for bar in count_bars(counts)]
    return "\n".join(lines)


def _md_top_factors(overview: Overview) -> str:
    if not overview.top_factors:
        return ""
    lines = ["## Factors that weigh most, most often", ""]
    lines += [f"- {md_text(title)}: {parts.plural(count, 'client')}" for title, count in overview.top_factors]
    return "\n".join(lines)


def _md_changes(overview: Overview) -> str:
    if overview.changes is None:
        return ""
    lines = ["## Since the previous assessment", "", "| Client | Change | Before | Now |",
             "| --- | --- | ---: | ---: |"]
    for change in overview.changes:
        lines.append(f"| {md_cell(change.client)} | {md_cell(CHANGE_WORDS[change.status])} | "
                     f"{md_cell(parts.percent_text(change.before) if change.before_at else '-')} | "
                     f"{md_cell(parts.percent_text(change.after) if change.status != 'not seen' else '-')} |")
    return "\n".join(lines)


def _md_rejected(overview: Overview) -> str:
    if not overview.rejected_rows:
        return ""
    lines = ["## Rows not scored", "", "| Row | Why |", "| --- | --- |"]
    lines += [f"| {md_cell(where)} | {md_cell(reason)} |" for where, reason in overview.rejected_rows]
    if overview.more_rejected:
        lines.append(f"\n... and {overview.more_rejected} more; --errors FILE writes every one.")
    return "\n".join(lines)
