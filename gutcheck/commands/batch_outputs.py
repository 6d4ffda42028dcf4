"""The places ``batch`` writes to, checked before any row is read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gutcheck.commands.batch_options import BatchOptions


def prepare_outputs(options: BatchOptions) -> None:
    """Check the output places before any row is read, so a typo costs nothing."""
    from gutcheck.errors import UsageError

    if options.reports is not None:
        try:
            options.reports.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{options.reports}: cannot create the reports folder ({exc.strerror}); "
                             "choose another --reports folder") from None
    if options.errors is not None and not options.errors.parent.is_dir():
        raise UsageError(f"{options.errors}: its folder does not exist; choose another --errors file")
    if options.errors is not None and options.errors.is_dir():
        raise UsageError(f"{options.errors}: is a folder; give --errors a file name")
    if options.overview is not None:
        overview_format(options.overview)
        if not options.overview.parent.is_dir():
            raise UsageError(f"{options.overview}: its folder does not exist; choose another --overview file")


def overview_format(path: Path) -> str:
    """``html`` or ``md``, from the --overview file's name (refused otherwise, exit code 2)."""
    from gutcheck.errors import UsageError

    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    raise UsageError(f"{path}: name the --overview file .html (a page to open or print) or .md")


def refuse_overlaps(options: BatchOptions) -> None:
    """No output may be a file the run reads, whatever its name: checked before reading starts."""
    from gutcheck.errors import UsageError
    from gutcheck.files.overlap import holds
    from gutcheck.files.overlap import refuse_overlaps as refuse
    from gutcheck.files.paths import bundled_rules_path, history_database_path

    source = None if options.source == "-" else Path(options.source)
    inputs = [("the input file", source)] if source is not None else []
    inputs.append(("the rule base", options.rules_path or bundled_rules_path()))
    database = ("the history database", history_database_path())
    outputs = [(name, path) for name, path in (("--errors", options.errors), ("--overview", options.overview))
               if path is not None]
    refuse(outputs, [*inputs, database])
    if options.save:
        refuse([database], inputs)
    suffix = f".{options.report_format.value}"
    reports = options.reports
    for what, path in inputs if reports is not None else []:
        if reports is not None and holds(reports, path, suffix):
            raise UsageError(f"{options.reports}: the reports folder holds {what} {path}, which a "
                             "report could replace; choose another --reports folder.")
