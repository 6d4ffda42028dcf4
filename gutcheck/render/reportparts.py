"""Wording and small helpers shared by the Markdown and HTML reports.

Both reports say the same things in the same order; only the markup differs. Nothing here
imports rich or jinja2, so the Markdown report stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from gutcheck.engine.assessment import Assessment, ReferenceInfo
from gutcheck.engine.urgency import TIERS

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
