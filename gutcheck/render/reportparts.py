"""Wording and small helpers shared by the Markdown and HTML reports.

Both reports say the same things in the same order; only the markup differs. Nothing here
imports rich or jinja2, so the Markdown report stays light.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from gutcheck.engine.assessment import Assessment, SuggestionResult
from gutcheck.engine.urgency import TIERS
from gutcheck.rulebook.content import LearnTopic, ReferenceInfo

REPORT_TITLE = "Gut-barrier self-check report"
RED_FLAG_HEADLINE = "See a clinician"
RED_FLAG_LEAD = "You reported a symptom that needs a clinician; this check cannot explain it."
RISK_HEADLINE = "Mention to your doctor"
RISK_LEAD = "You told us something that is a reason to mention to your doctor, not a symptom."
NOTICE_POINTER = "What to do comes first below; the full advice follows the scores."
RISK_ALSO = "Not a symptom, but a reason to mention to your doctor:"
URGENCY_WORDS = {tier.id: tier.label for tier in TIERS}
ADVICE_TITLE = "What to do about what you reported"
OVERALL_TITLE = "Overall risk-factor load"
OVERALL_HABITS_ONLY = "Overall risk-factor load (habits only)"
FIRST_STEPS_TITLE = "Your first steps"
EVIDENCE_TITLE = "About the evidence"
LEARN_COMMAND = "gutcheck learn"
# Reports are read where no command can be run: they point to their own "About the evidence".
LEARN_MORE = "Learn more:"
LEARN_WHERE = "(in About the evidence, below)"
LEARN_ANCHOR_PREFIX = "learn-"
SHORT_NOTE = "Short version: the full report adds what moved each score and more on the evidence."
SHORT_SUGGESTIONS_TITLE = "Suggestions, most relevant first"
SHORT_SOURCES_TITLE = "Sources"
NOTHING_RAISED = "Nothing in your answers raised this score."
NO_SUGGESTIONS = "No suggestions: nothing stood out in your answers."
WEB_SCHEMES = ("http", "https")
# Characters a link may keep as they are; everything else is percent-encoded so that a
# link can never break out of its Markdown or HTML context.
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


@dataclass(frozen=True)
class SourceLink:
    """A checked link and the words it shows (an identifier that also reads well on paper)."""

    label: str
    url: str


@dataclass(frozen=True)
class SourceEntry:
    """A cited source ready to show: its citation, safe links and any address left as text.

    ``links`` are the checked, percent-encoded http(s) addresses; ``named`` pairs each with
    the words to show for it.
    """

    id: str
    cite: str
    links: tuple[str, ...]
    plain: str | None
    named: tuple[SourceLink, ...] = ()


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 question', '2 questions' (``many`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def red_flag_wording(assessment: Assessment) -> tuple[str, str]:
    """The headline and lead of the red-flag notice, worded by kind.

    Only an alarm symptom is called a symptom; a risk marker alone (a family history, say)
    is a reason to mention something to a doctor.
    """
    if assessment.has_alarm:
        return RED_FLAG_HEADLINE, RED_FLAG_LEAD
    return RISK_HEADLINE, RISK_LEAD


def red_flag_reminder(assessment: Assessment) -> str:
    """The one-line reminder at the end of the results screen."""
    if assessment.has_alarm:
        return "you reported a symptom that needs a clinician; see the notice at the top."
    return "you told us something worth mentioning to your doctor; see the notice at the top."


def urgency_text(urgency: str) -> str:
    """How soon, in words."""
    return URGENCY_WORDS.get(urgency, urgency)


def overall_title(assessment: Assessment) -> str:
    """The overall line's title: it says 'habits only' while an alarm symptom stands."""
    return OVERALL_HABITS_ONLY if assessment.has_alarm else OVERALL_TITLE


def notice_line(name: str, time_frame: str) -> str:
    """One red flag in the compact notice: 'Bleeding from the back passage (within days)'."""
    return f"{name} ({time_frame})"


@dataclass(frozen=True)
class LearnLink:
    """A learn topic a report points to: its title, and its anchor in "About the evidence"."""

    id: str
    title: str
    anchor: str


def learn_anchors(topics: tuple[LearnTopic, ...]) -> dict[str, str]:
    """Topic id -> a distinct in-page anchor such as 'learn-how-long', safe in an id and a link.

    Ids of the bundled format are already safe; a hand-edited document's odd id is folded to
    letters, digits, '-' and '_' (and numbered if that makes two alike).
    """
    anchors: dict[str, str] = {}
    for topic in topics:
        base = LEARN_ANCHOR_PREFIX + (re.sub(r"[^A-Za-z0-9_-]+", "-", topic.id).strip("-") or "topic")
        anchor, counter = base, 1
        while anchor in anchors.values():
            counter += 1
            anchor = f"{base}-{counter}"
        anchors.setdefault(topic.id, anchor)
    return anchors


def learn_links(assessment: Assessment, topic_ids: tuple[str, ...]) -> list[LearnLink]:
    """The topics ``topic_ids`` names that the report explains, in that order (others, and any
    without a title to show, are left out: a report never points to a place it does not have)."""
    anchors = learn_anchors(assessment.learn)
    titles = {topic.id: topic.title for topic in assessment.learn if topic.title.strip()}
    return [LearnLink(i, titles[i], anchors[i]) for i in dict.fromkeys(topic_ids) if i in titles]


@dataclass(frozen=True)
class NumberedSources:
    """The sources a short report cites, numbered in the order they are first cited."""

    entries: tuple[SourceEntry, ...]
    numbers: dict[str, int]

    def of(self, ids: tuple[str, ...]) -> list[int]:
        """The numbers of ``ids``, each once, smallest first (ids without a source are skipped)."""
        return sorted({self.numbers[i] for i in ids if i in self.numbers})


def numbered_sources(assessment: Assessment, suggestions: tuple[SuggestionResult, ...]) -> NumberedSources:
    """Every source the ``suggestions`` cite, once each, numbered from 1, each with its first
    link only (the DOI where there is one: enough to find it, and short on paper)."""
    ids = [ref for s in suggestions for ref in s.references if ref in assessment.references]
    ordered = tuple(dict.fromkeys(ids))
    entries = tuple(_first_link_only(source_entry(assessment.references[i])) for i in ordered)
    return NumberedSources(entries, {ref: number for number, ref in enumerate(ordered, start=1)})


def _first_link_only(entry: SourceEntry) -> SourceEntry:
    return replace(entry, links=entry.links[:1], named=entry.named[:1])


def learn_commands(topics: tuple[str, ...]) -> str:
    """'gutcheck learn measurement' (several topics joined by 'or')."""
    return " or ".join(f"{LEARN_COMMAND} {topic}" for topic in topics)


def learn_line(topics: tuple[str, ...]) -> str:
    """'Learn more: gutcheck learn measurement'."""
    return "Learn more: " + learn_commands(topics)


def level_word(level: str | None) -> str:
    """A level id as a word for people ('very-high' -> 'very high')."""
    return (level or "not scored").replace("-", " ").replace("_", " ")


def percent_text(percent: float | None) -> str:
    """A percent for people: '42.5%', or 'not scored'."""
    return "not scored" if percent is None else f"{percent:g}%"


def taken_text(taken_at: str) -> str:
    """The time of an assessment as 'YYYY-MM-DD HH:MM UTC' (or with its offset); raw if odd."""
    try:
        stamp = datetime.fromisoformat(taken_at)
    except ValueError:
        return taken_at
    offset = stamp.utcoffset()
    if offset is None:
        return stamp.strftime("%Y-%m-%d %H:%M")
    zone = "UTC" if offset == timedelta(0) else stamp.strftime("%z")
    if zone != "UTC":
        zone = f"UTC{zone[:3]}:{zone[3:]}"
    return f"{stamp.strftime('%Y-%m-%d %H:%M')} {zone}"


def short_hash(content_hash: str) -> str:
    """A rule-base hash shortened for people: 'sha256:' and its first 12 hex digits."""
    algorithm, _, digest = content_hash.rpartition(":")
    return f"{algorithm}:{digest[:12]}" if algorithm else digest[:12]


def safe_url(url: str) -> str | None:
    """``url`` percent-encoded if it is an http(s) link with a host, else None (show as text)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return None
    return quote(text, safe=_URL_SAFE)


def source_entry(ref: ReferenceInfo) -> SourceEntry:
    """How a reference is shown: its links (checked again here) and any other address as text."""
    named = tuple(
        SourceLink(link_label(raw, ref), url)
        for raw in ref.links
        if (url := safe_url(raw)) is not None
    )
    plain = ref.url if ref.url and ref.url not in ref.links else None
    return SourceEntry(ref.id, ref.cite, tuple(link.url for link in named), plain, named)


def sources_of(assessment: Assessment, ids: tuple[str, ...]) -> list[SourceEntry]:
    """The sources behind ``ids`` that the assessment carries, in the order given."""
    return [source_entry(assessment.references[i]) for i in ids if i in assessment.references]


def all_sources(assessment: Assessment) -> list[SourceEntry]:
    """Every source the assessment cites, in the order they were collected."""
    return [source_entry(ref) for ref in assessment.references.values()]


def link_label(url: str, ref: ReferenceInfo) -> str:
    """The words of a link: 'doi:...', 'PMID ...', the PMC id, or the address itself."""
    if ref.doi and url == f"https://doi.org/{ref.doi}":
        return f"doi:{ref.doi}"
    if ref.pmid and url == f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/":
        return f"PMID {ref.pmid}"
    if ref.pmcid and url.endswith(f"/{ref.pmcid}/"):
        return ref.pmcid
    return url


def factor_titles(assessment: Assessment) -> dict[str, str]:
    """Factor id -> title, to name the factor a suggestion belongs to."""
    return {factor.id: factor.title for factor in assessment.factors}


def unanswered_asks(assessment: Assessment) -> list[str]:
    """The question texts of unanswered questions (their ids where the text is unknown)."""
    asks = {c.question: c.ask for f in assessment.factors for c in f.contributions}
    asks.update({a.question: a.ask for a in assessment.answers})
    return [asks.get(question, question) for question in assessment.unanswered]
