"""What a batch run says on stderr besides the rows: notes, row errors, counts and progress."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:

    from rich.console import Console
    from rich.progress import Progress

    from gutcheck.batch.rows import LeftOutRow, RejectedRow
    from gutcheck.batch.sniff import TextInput
    from gutcheck.batch.summary import ClientSummary


SHOWN_ROW_ERRORS = 20
SHOWN_RED_FLAGS = 20
PROGRESS_AFTER_ROWS = 2000
PROGRESS_EVERY = 512


class Notices:
    """Notes, warnings and closing notices on stderr.

    The input may be opened more than once in a run (to find clients who appear twice), so
    what opening it says (:meth:`note`, :meth:`warn`) is said once.
    """

    def __init__(self) -> None:
        self.said: set[str] = set()

    def say(self, message: str) -> None:
        """One line on stderr."""
        typer.echo(message, err=True)

    def note(self, message: str) -> None:
        """A note about how the input is read, said once."""
        if message not in self.said:
            self.said.add(message)
            self.say(message)

    def warn(self, message: str) -> None:
        """A warning that does not stop the batch, said once."""
        self.note(f"Warning: {message}")


class RowErrors:
    """The reasons of rejected rows on stderr, capped so a bad file cannot flood it.

    When the pass may be run again (``held``), they wait in memory until :meth:`show`.
    """

    def __init__(self, notices: Notices, *, held: bool = False) -> None:
        self.notices = notices
        self.held: list[str] | None = [] if held else None
        self.shown_errors = 0
        self.hidden_errors = 0

    def add(self, rejected: RejectedRow) -> None:
        """The reasons of a rejected row (the first few rows only)."""
        if self.shown_errors >= SHOWN_ROW_ERRORS:
            self.hidden_errors += 1
            return
        self.shown_errors += 1
        for reason in rejected.reasons:
            if self.held is None:
                self.notices.say(reason)
            else:
                self.held.append(reason)

    def show(self) -> None:
        """Say the reasons held back."""
        for reason in self.held or ():
            self.notices.say(reason)
        self.held = None


class Tally:
    """Counts of the run and the clients who reported red flags (the first few, by name)."""

    def __init__(self) -> None:
        self.scored_count = 0
        self.rejected = 0
        self.left_out = 0  # rows of a client whose later row was scored (--duplicates latest)
        self.left_out_flags: list[LeftOutRow] = []  # those of them that answered yes to a red flag
        self.red_flag_count = 0
        self.contacts = Contacts(SHOWN_RED_FLAGS)  # the most urgent clients with a red flag
        self.blank_count = 0  # clients who left a safety question blank (and answered no flag)
        self.blank_clients: list[tuple[str, int, tuple[str, ...]]] = []
        self.already_saved = 0  # --save: assessments the history held already (not saved twice)
        self.not_saved = 0  # --save with --duplicates all: a client's earlier rows, not saved
        self.errors_lost = False  # the errors file could not be written
        self.ignored = IgnoredAnswers()

    def leave_out(self, row: LeftOutRow) -> None:
        """Count a row left out for its client's later row; keep it if it answered a red flag."""
        self.left_out += 1
        if row.red_flags and len(self.left_out_flags) < SHOWN_RED_FLAGS:
            self.left_out_flags.append(row)

    def triaged(self, summary: ClientSummary) -> None:
        """Count a scored client who reported a red flag or left a safety question blank (the
        caller counts every scored client)."""
        if summary.red_flags:
            self.red_flag_count += 1
            self.contacts.add(summary)
        elif summary.safety_blank:
            self.blank_count += 1
            if len(self.blank_clients) < SHOWN_RED_FLAGS:
                self.blank_clients.append((summary.client, summary.row, summary.safety_blank))


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


class RowProgress:
    """A progress bar on stderr for long inputs, only when stderr is a terminal.

    With a known size it shows the part done, the percent and the time left: by bytes read
    for CSV and JSON Lines (the file's size), by rows for a JSON array or FHIR responses
    (``total_rows``, counted before scoring); otherwise the rows read so far.
    """

    def __init__(self, console: Console, text_input: TextInput, total_rows: int | None = None) -> None:
        self.console = console
        self.input = text_input
        self.total_rows = total_rows
        self.enabled = console.is_terminal
        self.rows = 0
        self.bar: Progress | None = None

    def tick(self, rows: int) -> None:
        """``rows`` have been read (called every :data:`PROGRESS_EVERY` rows): redraw."""
        self.rows = rows
        if self.enabled and rows >= PROGRESS_AFTER_ROWS:
            self._draw()

    def _draw(self) -> None:
        if self.bar is None:
            self.bar = self._start()
        done = self.rows if self.total_rows is not None else self.input.position()
        self.bar.update(self.bar.task_ids[0], completed=done or 0, rows=self.rows)

    def _start(self) -> Progress:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        total = self.total_rows if self.total_rows is not None else self.input.size
        sized = [TaskProgressColumn(), TextColumn("{task.fields[rows]:,} rows"), TextColumn("·"),
                 TimeRemainingColumn()] if total else [TextColumn("{task.fields[rows]:,} rows")]
        bar = Progress(TextColumn("Scoring"), BarColumn(), *sized, console=self.console, transient=True)
        bar.add_task("batch", total=total, rows=0)
        bar.start()
        return bar

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.stop()


class IgnoredAnswers:
    """Clients who answered questions an earlier answer of theirs hides: counted per question,
    the first few named with their rows (those answers are not scored).

    The summaries' sets of ignored answers are counted as they are, and only turned into
    counts per question at the end; a run of summaries with none (the usual) costs a pass in C."""

    def __init__(self) -> None:
        from collections import Counter

        self.sets: Counter[tuple[str, ...]] = Counter()
        self.named: list[tuple[str, int, tuple[str, ...]]] = []

    def add(self, summary: ClientSummary) -> None:
        """Count one client's summary (one without ignored answers counts for nothing)."""
        if summary.ignored_answers:
            self.sets[summary.ignored_answers] += 1
            self._name(summary)

    def add_all(self, summaries: list[ClientSummary]) -> None:
        """Count the summaries of a run of clients."""
        for summary in filter(_IGNORED, summaries):
            self.add(summary)

    def _name(self, summary: ClientSummary) -> None:
        if len(self.named) < SHOWN_IGNORED:
            self.named.append((summary.client, summary.row, summary.ignored_answers))

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


SHOWN_IGNORED = 20
_IGNORED = attrgetter("ignored_answers")
