"""What a batch run says on stderr besides the rows: notes, row errors and progress (the counts
are the row loop's :class:`~gutcheck.batch.loop.Tally`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:

    from rich.console import Console
    from rich.progress import Progress

    from gutcheck.batch.rows import RejectedRow
    from gutcheck.batch.sniff import TextInput


SHOWN_ROW_ERRORS = 20
PROGRESS_AFTER_ROWS = 2000


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
        """``rows`` have been read (called every :data:`~gutcheck.batch.loop.PROGRESS_EVERY` rows): redraw."""
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
