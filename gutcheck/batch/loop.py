"""The batch row loop: every row of a reading to the scorer, then to the sinks, counted as it goes.

The loop writes nothing itself: what a row's result goes to (records on stdout, the errors
file, reports, the history, the overview, notices) is the command's :class:`RowSinks`. The
:class:`Tally` counts the run: rows scored, rejected and left out, who answered a red flag
yes (the most urgent kept by name), who left a safety question blank, and who answered a
question that did not apply to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gutcheck.batch.opened import Batch
    from gutcheck.batch.rows import BatchRow, LeftOutRow, ParsedRow, RejectedRow
    from gutcheck.batch.summary import ClientSummary, Summaries
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import GutcheckError
    from gutcheck.rulebook.model import RuleBase

PROGRESS_EVERY = 512  # rows between redraws of the progress bar
SHOWN = 20  # clients named per closing notice
RowScore = Callable[["ParsedRow"], tuple["ClientSummary", "Assessment | None"]]


class RowSinks(Protocol):
    """Where a reading's results go (the command that runs the batch provides it)."""

    def scored(self, row: ParsedRow, summary: ClientSummary, assessment: Assessment | None) -> None:
        """One client scored the general way (``assessment`` when the run needs it)."""

    def scored_run(self, summaries: Summaries) -> None:
        """A run of clients the generated row scorer took (only summaries)."""

    def rejected(self, row: RejectedRow) -> None:
        """A row that could not be scored."""

    def tick(self, rows: int) -> None:
        """``rows`` have been read so far (every :data:`PROGRESS_EVERY` rows)."""


class Tally:
    """Counts of the run and the clients to name in its closing notices."""

    def __init__(self) -> None:
        self.scored_count = 0
        self.rejected = 0
        self.left_out = 0  # rows of a client whose later row was scored (--duplicates latest)
        self.left_out_flags: list[LeftOutRow] = []  # those of them that answered yes to a red flag
        self.red_flag_count = 0
        self.contacts = Contacts(SHOWN)  # the most urgent clients with a red flag
        self.blank_count = 0  # clients who left a safety question blank (and answered no flag)
        self.blank_clients: list[tuple[str, int, tuple[str, ...]]] = []
        self.already_saved = 0  # --save: assessments the history held already (not saved twice)
        self.not_saved = 0  # --save with --duplicates all: a client's earlier rows, not saved
        self.errors_lost = False  # the errors file could not be written
        self.ignored = IgnoredAnswers()

    @property
    def read(self) -> int:
        """Rows read so far: scored, rejected or left out."""
        return self.scored_count + self.rejected + self.left_out

    def leave_out(self, row: LeftOutRow) -> None:
        """Count a row left out for its client's later row; keep it if it answered a red flag."""
        self.left_out += 1
        if row.red_flags and len(self.left_out_flags) < SHOWN:
            self.left_out_flags.append(row)

    def scored(self, summary: ClientSummary) -> None:
        """Count one scored client."""
        self.scored_count += 1
        if summary.red_flags or summary.safety_blank:
            self.triaged(summary)
        self.ignored.add(summary)

    def scored_run(self, summaries: Summaries) -> None:
        """Count a run of scored clients."""
        self.scored_count += len(summaries)
        for summary in filter(_needs_triage, summaries):
            self.triaged(summary)
        self.ignored.add_all(summaries)

    def triaged(self, summary: ClientSummary) -> None:
        """Count a client who reported a red flag or left a safety question blank."""
        if summary.red_flags:
            self.red_flag_count += 1
            self.contacts.add(summary)
        elif summary.safety_blank:
            self.blank_count += 1
            if len(self.blank_clients) < SHOWN:
                self.blank_clients.append((summary.client, summary.row, summary.safety_blank))


def _needs_triage(summary: ClientSummary) -> bool:
    """True for a client with a red flag or a safety question left blank."""
    return bool(summary.red_flags or summary.safety_blank)


class Contacts:
    """The ``size`` most urgent clients with a red flag, kept as rows are read (ties: the
    earlier row first), so the closing line can name who to call first in any long run."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.heap: list[tuple[float, int, str, tuple[tuple[str, str, str], ...]]] = []  # the least urgent on top

    def add(self, summary: ClientSummary) -> None:
        """Keep ``summary`` if it is among the most urgent so far."""
        import heapq

        from gutcheck.batch.summary import triage_rank

        item = (-triage_rank(summary), -summary.row, summary.client, summary.red_flags)
        if len(self.heap) < self.size:
            heapq.heappush(self.heap, item)
        elif item > self.heap[0]:
            heapq.heapreplace(self.heap, item)

    def most_urgent(self) -> list[tuple[str, int, tuple[tuple[str, str, str], ...]]]:
        """(client, row, red flags) from the most urgent down."""
        return [(client, -row, flags) for _, row, client, flags in sorted(self.heap, reverse=True)]


class IgnoredAnswers:
    """Clients who answered questions an earlier answer of theirs hides: counted per question,
    the first few named with their rows (those answers are not scored).

    The summaries' sets of ignored answers are counted as they are, and only turned into
    counts per question at the end; a run of summaries with none (the usual) costs a pass in C."""

    def __init__(self) -> None:
        self.sets: Counter[tuple[str, ...]] = Counter()
        self.named: list[tuple[str, int, tuple[str, ...]]] = []

    def add(self, summary: ClientSummary) -> None:
        """Count one client's summary (one without ignored answers counts for nothing)."""
        if summary.ignored_answers:
            self.sets[summary.ignored_answers] += 1
            if len(self.named) < SHOWN:
                self.named.append((summary.client, summary.row, summary.ignored_answers))

    def add_all(self, summaries: Iterable[ClientSummary]) -> None:
        """Count the summaries of a run of clients."""
        for summary in filter(_IGNORED, summaries):
            self.add(summary)

    @property
    def clients(self) -> int:
        """How many clients answered a question that did not apply to them."""
        return sum(self.sets.values())

    def per_question(self) -> dict[str, int]:
        """How many clients answered each question that did not apply to them."""
        counts: dict[str, int] = {}
        for ids, count in self.sets.items():
            for qid in ids:
                counts[qid] = counts.get(qid, 0) + count
        return counts


_IGNORED = attrgetter("ignored_answers")


def score_rows(batch: Batch, score: RowScore, sinks: RowSinks, tally: Tally, *, full: bool) -> GutcheckError | None:
    """Feed every row of ``batch`` to ``sinks``; the error that stopped reading early, if any
    (the rows before it are counted, scored and written as usual). ``full``: every row is
    scored the general way (for a full assessment), never by the generated row scorer."""
    from gutcheck.errors import GutcheckError, Interrupted

    try:
        feed(batch.rows() if full else batch.summaries_or_rows(), score, sinks, tally)
    except GutcheckError as stop:
        batch.rows_read = tally.read  # a row cut short is not counted
        return stop
    except KeyboardInterrupt:  # Ctrl-C: what was read so far is still counted and written
        batch.rows_read = tally.read
        return Interrupted("Interrupted; the rows counted above were read, the rest were not.")
    return None


def feed(items: Iterator[BatchRow | Summaries], score: RowScore, sinks: RowSinks, tally: Tally) -> None:
    """Each row to ``sinks``, counted in ``tally`` as it goes (so also when reading stops with
    an exception); ``sinks`` is told every :data:`PROGRESS_EVERY` rows how many were read."""
    from gutcheck.batch.rows import LeftOutRow, ParsedRow, RejectedRow
    from gutcheck.batch.summary import Summaries

    seen, next_tick = 0, PROGRESS_EVERY
    for item in items:
        if item.__class__ is Summaries:  # a run of rows the generated row scorer took
            sinks.scored_run(item)  # first: rows are counted once written (Ctrl-C may come between)
            tally.scored_run(item)
            seen += len(item)
        elif isinstance(item, ParsedRow):
            summary, assessment = score(item)
            sinks.scored(item, summary, assessment)
            tally.scored(summary)
            seen += 1
        elif isinstance(item, RejectedRow):
            tally.rejected += 1  # first: it was read and rejected even if its copy cannot be written
            sinks.rejected(item)
            seen += 1
        elif isinstance(item, LeftOutRow):
            tally.leave_out(item)
            seen += 1
        if seen >= next_tick:
            sinks.tick(seen)
            next_tick = seen + PROGRESS_EVERY


def row_scorer(rules: RuleBase, *, full: bool, taken_at: str) -> RowScore:
    """The per-row scoring function: the summary, and the full assessment when it is needed
    (``full``). An assessment is dated by its row's time column when it has one, else
    ``taken_at`` (the run's time)."""
    from gutcheck.batch.summary import (
        SummaryScorer,
        conditional_questions,
        hidden_answers,
        safety_questions,
        summarise,
    )
    from gutcheck.engine.scoring import Scorer

    if not full:
        summary_only = SummaryScorer(rules, taken_at=taken_at)
        return lambda row: (summary_only(row), None)
    scorer, conditional, safety = Scorer(rules), conditional_questions(rules), safety_questions(rules)

    def score(row: ParsedRow) -> tuple[ClientSummary, Assessment | None]:
        """The summary and the full assessment of one row."""
        assessment = scorer(row.answers, taken_at=row.taken_at or taken_at, client=row.client)
        shown = {answer.question for answer in assessment.answers}
        ignored = hidden_answers(conditional, row.answers, shown)
        return summarise(assessment, row.row, ignored, safety), assessment

    return score


CLIENT = itemgetter(1)  # a summary's client
