"""The group overview of one batch run: who to contact first and about what, then the group's scores.

:class:`OverviewBuilder` takes each client's summary as the rows are scored (and each rejected
row), keeping only what the page shows: the clients to contact (bounded), counts per level and
per factor, and which factor most often weighs most. :meth:`OverviewBuilder.build` gives the
plain, frozen :class:`Overview` the renderers in :mod:`gutcheck.render.overview` turn into a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gutcheck.batch.summary import ClientSummary, triage_rank
from gutcheck.engine.urgency import tier
from gutcheck.rulebook.model import RuleBase

if TYPE_CHECKING:
    from gutcheck.batch.rows import RejectedRow
    from gutcheck.history.records import ProfileSummary

LISTED = 1000  # clients listed per section; the rest are counted (the CSV lists every one)
NOT_SCORED = "not scored"


@dataclass(frozen=True)
class Contact:
    """A client to contact: the most urgent red flag (its name, kind and time frame), the others."""

    client: str
    row: int
    flag: str
    kind: str
    urgency: str
    time_frame: str
    also: tuple[str, ...] = ()
    report: str | None = None  # the client's report file, beside the overview


@dataclass(frozen=True)
class Unanswered:
    """A client who left safety questions blank: which ones (by name)."""

    client: str
    row: int
    questions: tuple[str, ...]
    report: str | None = None


@dataclass(frozen=True)
class Change:
    """A client's overall level since their previous assessment: better, worse, the same, new, or
    not seen this time (saved before, not in this run)."""

    client: str
    status: str
    before: float | None = None
    after: float | None = None
    before_at: str | None = None


@dataclass(frozen=True)
class Overview:
    """Everything the group overview shows, in the order it shows it."""

    rules_id: str
    rules_version: str
    rules_title: str
    made_at: str
    source: str
    read: int
    scored: int
    rejected: int
    contacts: tuple[Contact, ...]
    unanswered: tuple[Unanswered, ...]
    overall_levels: tuple[tuple[str, int], ...]
    factor_levels: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    top_factors: tuple[tuple[str, int], ...]
    rejected_rows: tuple[tuple[str, str], ...]
    more_contacts: int = 0
    more_unanswered: int = 0
    more_rejected: int = 0
    changes: tuple[Change, ...] | None = None  # None: the run did not save (no history to compare)
    stopped_early: bool = False


@dataclass
class _Counts:
    overall: Counter[str] = field(default_factory=Counter)
    factors: dict[str, Counter[str]] = field(default_factory=dict)
    tops: Counter[str] = field(default_factory=Counter)


class OverviewBuilder:
    """Collects one run's summaries, rejected rows and (with ``--save``) changes for the overview."""

    def __init__(self, rules: RuleBase, *, source: str, made_at: str) -> None:
        self.rules = rules
        self.source = source
        self.made_at = made_at
        self.flags = {flag.question.id: flag for flag in rules.red_flags}
        self.titles = {factor.id: factor.title for factor in rules.factors}
        self.counts = _Counts(factors={factor.id: Counter() for factor in rules.factors})
        self.contacts: list[tuple[tuple[float, int], Contact]] = []
        self.unanswered: list[Unanswered] = []
        self.rejected: list[tuple[str, str]] = []
        self.more = Counter[str]()
        self.scored = 0
        self.before: dict[str, ProfileSummary] | None = None  # --save: each profile's last, before this run
        self.now: dict[str, float | None] = {}  # --save: each client's overall percent in this run

    def compare_with(self, profiles: Iterable[ProfileSummary]) -> None:
        """Show each client's change since their last saved assessment (``profiles`` as the
        history held them before this run)."""
        self.before = {profile.name: profile for profile in profiles if profile.count}

    def add_all(self, summaries: Iterable[ClientSummary]) -> None:
        """Count the summaries of consecutive clients (no report was written for them)."""
        for summary in summaries:
            self.add(summary)

    def add(self, summary: ClientSummary, report: str | None = None) -> None:
        """Count one scored client, and list them when they need a call or left safety blank."""
        self.scored += 1
        self._count(summary)
        if self.before is not None:
            self.now[summary.client] = summary.overall_percent
        if summary.red_flags:
            self._contact(summary, report)
        elif summary.safety_blank:
            self._listed(self.unanswered, "unanswered", Unanswered(
                summary.client, summary.row, tuple(self._name(q) for q in summary.safety_blank), report))

    def _count(self, summary: ClientSummary) -> None:
        counts = self.counts
        counts.overall[summary.overall_level or NOT_SCORED] += 1
        for factor_id, _, level in summary.factors:
            counts.factors[factor_id][level or NOT_SCORED] += 1
        if summary.top_factor is not None:
            counts.tops[summary.top_factor] += 1

    def _contact(self, summary: ClientSummary, report: str | None) -> None:
        (first, kind, urgency), *others = summary.red_flags
        contact = Contact(
            summary.client, summary.row, self._name(first), kind, urgency, tier(urgency).time_frame,
            tuple(self._name(other) for other, _, _ in others), report,
        )
        if len(self.contacts) < LISTED:
            self.contacts.append(((triage_rank(summary), summary.row), contact))
        else:
            self.more["contacts"] += 1

    def _listed(self, items: list[Unanswered], name: str, item: Unanswered) -> None:
        if len(items) < LISTED:
            items.append(item)
        else:
            self.more[name] += 1

    def _name(self, question_id: str) -> str:
        flag = self.flags.get(question_id)
        return flag.title if flag is not None else question_id

    def reject(self, row: RejectedRow) -> None:
        """Note a row that could not be scored, and why (the first few are listed)."""
        if len(self.rejected) < LISTED:
            self.rejected.append((f"row {row.row}" + (f" ({row.client})" if row.client else ""), " ".join(row.reasons)))
        else:
            self.more["rejected"] += 1

    def changes(self) -> tuple[Change, ...] | None:
        """Each client's overall level against their last saved one: better (less load), worse,
        the same, new, or not seen this time; None when the run did not save."""
        if self.before is None:
            return None
        changes = [self._change(client, percent) for client, percent in self.now.items()]
        same_rules = self.rules.content_hash
        changes += [Change(name, "not seen", profile.last_percent, None, profile.last)
                    for name, profile in self.before.items()
                    if name not in self.now and profile.last_rules == same_rules]
        return tuple(changes)

    def _change(self, client: str, percent: float | None) -> Change:
        profile = (self.before or {}).get(client)
        if profile is None or profile.last_rules != self.rules.content_hash or profile.last_percent is None:
            return Change(client, "new", None, percent)  # another rule base's scores are never compared
        before = profile.last_percent
        if percent is None or abs(percent - before) < 0.05:
            return Change(client, "same", before, percent, profile.last)
        status = "better" if percent < before else "worse"  # lower is better: a load, not a grade
        return Change(client, status, before, percent, profile.last)

    def build(self, *, read: int, rejected: int, stopped_early: bool = False) -> Overview:
        """The overview of the run so far."""
        rules = self.rules
        return Overview(
            rules.id, rules.version, rules.title, self.made_at, self.source, read, self.scored, rejected,
            contacts=tuple(contact for _, contact in sorted(self.contacts, key=lambda item: item[0])),
            unanswered=tuple(self.unanswered),
            overall_levels=_in_order(self.counts.overall, rules.overall.levels),
            factor_levels=tuple(
                (factor.title, _in_order(self.counts.factors[factor.id], factor.bands.levels))
                for factor in rules.factors
            ),
            top_factors=tuple((self.titles[fid], count) for fid, count in self.counts.tops.most_common()),
            rejected_rows=tuple(self.rejected),
            more_contacts=self.more["contacts"], more_unanswered=self.more["unanswered"],
            more_rejected=self.more["rejected"],
            changes=self.changes(),
            stopped_early=stopped_early,
        )


def _in_order(counts: Counter[str], levels: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Counts per level, every level of the bands in order (zero included), then 'not scored'."""
    ordered = [(level, counts.get(level, 0)) for level in levels]
    if counts.get(NOT_SCORED):
        ordered.append((NOT_SCORED, counts[NOT_SCORED]))
    return tuple(ordered)
