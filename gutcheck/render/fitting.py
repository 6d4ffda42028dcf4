"""Tables that fit the terminal without cutting a word.

Rich narrows a table that is too wide by shrinking its widest columns, which can cut a date or
a title in the middle ("2026-1…", "Anti-…"). Here each column first gets the width of its longest
word, and the space left is shared out towards each column's longest line, so text wraps at
spaces only. When even the longest words do not fit, the caller chooses another layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

CELL_PADDING = 2  # rich's default (0, 1) padding: one space each side of every cell


def _column_range(console: Console, options: ConsoleOptions, column: Column) -> tuple[int, int]:
    """(longest word, longest line) over a column's header and cells."""
    shortest, longest = 1, 1
    for cell in (column.header, *column.cells):
        renderable = Text(cell) if isinstance(cell, str) else cell
        measured = Measurement.get(console, options, renderable)
        shortest, longest = max(shortest, measured.minimum), max(longest, measured.maximum)
    return shortest, longest


def _borders(table: Table) -> int:
    if table.box is None:
        return 0
    return len(table.columns) - 1 + (2 if table.show_edge else 0)


def fit(table: Table, console: Console, options: ConsoleOptions) -> bool:
    """Fix every column's width so ``table`` fits ``options.max_width`` with no word cut;
    False (the table left as it was) when its longest words alone are too wide."""
    ranges = [_column_range(console, options, column) for column in table.columns]
    available = options.max_width - _borders(table) - CELL_PADDING * len(ranges)
    widths = [low for low, _ in ranges]
    if sum(widths) > available:
        return False
    for index, extra in enumerate(_share(available - sum(widths), [high - low for low, high in ranges])):
        widths[index] += extra
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return True


def _share(spare: int, wants: list[int]) -> list[int]:
    """Split ``spare``: columns that want little get all of it first (a date on one line), the
    rest share what is left equally (long text wraps in each); never more than a column wants."""
    shares = [0] * len(wants)
    waiting = sorted(range(len(wants)), key=lambda i: wants[i])
    while waiting and spare > 0:
        each = spare // len(waiting)
        index = waiting[0]
        if wants[index] <= each:
            shares[index] = wants[index]
            spare -= wants[index]
            waiting.pop(0)
            continue
        for position, index in enumerate(waiting):
            shares[index] = each + (1 if position < spare - each * len(waiting) else 0)
        break
    return shares


class FirstThatFits:
    """The first of several table layouts that fits the width it is given (the last otherwise),
    followed by the note that layout calls for, if any."""

    def __init__(self, layouts: Sequence[Callable[[], Table]],
                 note: Callable[[int], Text | None] = lambda _: None) -> None:
        self.layouts = layouts
        self.note = note

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the chosen layout, fitted, and its note."""
        chosen, table = len(self.layouts) - 1, None
        for index, layout in enumerate(self.layouts):
            table = layout()
            if fit(table, console, options):
                chosen = index
                break
        if table is not None:
            yield table
        note = self.note(chosen)
        if note is not None:
            yield note


def fitted(table: Table) -> FirstThatFits:
    """``table``, with columns sized so no word is cut whenever its words fit at all."""
    return FirstThatFits([lambda: table])
