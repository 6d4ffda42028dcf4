"""Reports in a ``--reports`` folder that a batch run did not write: named, and removed on request.

A new month's run into last month's folder replaces the reports of the clients it scores, and
leaves the others beside them. After the run, every file in the folder with the reports'
extension that this run did not write, and that is a gutcheck report (by the marks
:mod:`gutcheck.render.report_files` checks), is named on stderr; ``--clean-reports`` removes
them. Nothing else is ever touched: not other files, not links, not hidden files, not
subfolders. Removing waits for a run that read every row and rejected none, so that a client
whose row still needs fixing keeps their last report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gutcheck.render import ReportFormat
from gutcheck.render.reportparts import plural

SHOWN_STALE = 20  # names listed; the rest are counted


@dataclass(frozen=True)
class RunEnd:
    """How the run ended, as far as older reports are concerned."""

    read_all: bool  # reading did not stop early (so every client's report was written)
    rejected: int  # rows rejected: their clients' reports were not written again

    @property
    def may_remove(self) -> bool:
        """True when no client of the input is left without a new report."""
        return self.read_all and not self.rejected


def stale_reports(folder: Path, fmt: ReportFormat, written: set[str]) -> list[Path]:
    """The gutcheck reports in ``folder`` with ``fmt``'s extension whose names are not in
    ``written`` (also under another spelling of the same file), sorted by name."""
    suffix = f".{fmt.value}"
    candidates: list[os.DirEntry[str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in written or entry.name.startswith(".") or not entry.name.endswith(suffix):
                continue
            if entry.is_file(follow_symlinks=False):
                candidates.append(entry)
    if not candidates:
        return []
    same_files = _file_ids(folder, written)  # a case-insensitive file system: 'Ann.md' is 'ann.md'
    return sorted(
        (Path(entry.path) for entry in candidates
         if _file_id(entry) not in same_files and _is_report(Path(entry.path), fmt)),
        key=lambda path: path.name,
    )


def stale_lines(folder: Path, fmt: ReportFormat, written: set[str], *, clean: bool, end: RunEnd) -> list[str]:
    """What to say about the reports this run did not write (removing them when ``clean`` and
    every row was read and scored)."""
    if not end.read_all:  # reports not written yet are not stale: list nothing, remove nothing
        return [f"Older reports in {folder} were kept, as reading stopped early."] if clean else []
    try:
        stale = stale_reports(folder, fmt, written)
    except OSError as exc:
        return [f"Warning: {folder}: could not look for older reports in it ({exc.strerror})."]
    if not stale:
        return []
    if clean and not end.may_remove:
        return [f"{plural(len(stale), 'older report')} in {folder} that this run did not write "
                f"{'was' if len(stale) == 1 else 'were'} kept, as {plural(end.rejected, 'row was', 'rows were')} "
                f"rejected: {_names(stale)}. Fix the rows, then run again with --clean-reports."]
    if not clean:
        return [f"Warning: {plural(len(stale), 'older report')} in {folder} "
                f"{'was' if len(stale) == 1 else 'were'} not written by this run (clients not in "
                f"this input?): {_names(stale)}. --clean-reports removes them."]
    return _remove(folder, stale)


def _remove(folder: Path, stale: list[Path]) -> list[str]:
    removed: list[Path] = []
    lines: list[str] = []
    for path in stale:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            lines.append(f"Warning: {path}: could not remove it ({exc.strerror}); remove it by hand.")
        else:
            removed.append(path)
    if removed:
        lines.insert(0, f"Removed {plural(len(removed), 'older report')} from {folder} that this run "
                        f"did not write: {_names(removed)}.")
    return lines


def _names(paths: list[Path]) -> str:
    shown = ", ".join(path.name for path in paths[:SHOWN_STALE])
    hidden = len(paths) - SHOWN_STALE
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _file_id(entry: os.DirEntry[str]) -> tuple[int, int]:
    stat = entry.stat(follow_symlinks=False)
    return stat.st_dev, stat.st_ino


def _file_ids(folder: Path, names: set[str]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for name in names:
        try:
            stat = os.stat(folder / name, follow_symlinks=False)
        except OSError:
            continue
        found.add((stat.st_dev, stat.st_ino))
    return found


def _is_report(path: Path, fmt: ReportFormat) -> bool:
    """True when ``path`` is a gutcheck report in ``fmt``; False when it is not or cannot be read."""
    from gutcheck.render.report_files import HEAD_BYTES, TAIL_BYTES, looks_like_report

    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(0, size - TAIL_BYTES))
            tail = stream.read(TAIL_BYTES)
    except OSError:
        return False
    return looks_like_report(fmt, head, tail)
