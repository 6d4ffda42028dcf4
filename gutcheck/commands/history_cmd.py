"""History commands: ``history``, ``compare``, ``export``, ``forget`` and ``profiles``.

They read the local history database (see :mod:`gutcheck.history.store`), which is imported only
when one of them runs. Commands that only read never create the database: with nothing saved
they say so.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import ExcelOption, now
from gutcheck.commands.output import emit_text, exact_stdout, notice, show
from gutcheck.history import DEFAULT_PROFILE

if TYPE_CHECKING:
    from collections.abc import Callable

    from gutcheck.history.records import ProfileSummary, StoredAssessment
    from gutcheck.history.store import History

T = TypeVar("T")

ProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        "-p",
        help="Whose history: a profile name (a person or a coach's client).",
    ),
]


class ViewFormat(str, Enum):
    """Output of history, compare and profiles: text for people, json for programs."""

    TEXT = "text"
    JSON = "json"


class ExportFormat(str, Enum):
    """Export formats: one JSON document, JSON Lines, or CSV for a spreadsheet."""

    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


FormatOption = Annotated[
    ViewFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def register(app: typer.Typer) -> None:
    """Add the history commands to ``app``."""
    app.command("history", **command_help("history"))(history)
    app.command("compare", **command_help("compare"))(compare)
    app.command("export", **command_help("export"))(export)
    app.command("forget", **command_help("forget"))(forget)
    app.command("profiles", **command_help("profiles"))(profiles)


def history(profile: ProfileOption = DEFAULT_PROFILE, fmt: FormatOption = ViewFormat.TEXT) -> None:
    """Show saved assessments of a profile: date, overall and each factor, with a trend. A
    profile that holds none is named with the profiles that do (did you mean ...)."""
    from gutcheck.render.history import history_json, history_view

    nothing: tuple[list[StoredAssessment], list[ProfileSummary]] = ([], [])
    items, summaries = _read(lambda store: _with_summaries(store, store.list(profile)), nothing)
    if fmt is ViewFormat.JSON:
        emit_text(history_json(profile, items))
        return
    show(history_view(profile, items, now(), summaries))


def compare(
    first: Annotated[
        str | None,
        typer.Argument(help="Older assessment: an id, 'last' or 'last~N'. Default: last~1.",
                       show_default=False),
    ] = None,
    second: Annotated[
        str | None,
        typer.Argument(help="Newer assessment: an id, 'last' or 'last~N'. Default: last.",
                       show_default=False),
    ] = None,
    profile: ProfileOption = DEFAULT_PROFILE,
    fmt: FormatOption = ViewFormat.TEXT,
) -> None:
    """Compare two assessments (default: the last two): scores that moved, answers changed."""
    from gutcheck.errors import UsageError
    from gutcheck.history.compare import compare as compare_items
    from gutcheck.render.history import compare_json, compare_view

    older_ref, newer_ref = first or "last~1", second or "last"
    found = _read(lambda store: _pair(store, older_ref, newer_ref, profile), None)
    if found is None:  # no database: a read-only command never creates one
        raise UsageError(f"No assessments are saved for profile {profile!r} yet.")
    older, newer = found
    comparison = compare_items(older, newer)
    if fmt is ViewFormat.JSON:
        emit_text(compare_json(comparison))
        return
    show(compare_view(comparison, now()))


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json (one document), jsonl or csv.", case_sensitive=False),
    ] = ExportFormat.JSON,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="Export only this profile (default: every profile).",
                     show_default=False),
    ] = None,
    excel: ExcelOption = False,
) -> None:
    """Export saved assessments (every profile, or one) to stdout, for backup or a spreadsheet."""
    from gutcheck.commands.options import check_excel, now
    from gutcheck.render.history_export import export_csv, export_json, export_jsonl

    check_excel(excel, fmt is ExportFormat.CSV, "it goes with --format csv")

    nothing: tuple[list[StoredAssessment], list[ProfileSummary]] = ([], [])
    items, summaries = _read(
        lambda store: _with_summaries(store, store.list(profile) if profile is not None else list(store.all())),
        nothing,
    )
    if profile is not None and not items:
        from gutcheck.render.history import missing_profile

        notice(f"Warning: {missing_profile(profile, summaries, ('gutcheck', 'export', '-f', fmt.value))}")
    if fmt is ExportFormat.CSV:
        if excel:
            exact_stdout()
        emit_text(export_csv(items, excel=excel))
    elif fmt is ExportFormat.JSONL:
        emit_text(export_jsonl(items))
    else:
        emit_text(export_json(items, now().isoformat()))


def forget(
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="Delete everything of this profile.", show_default=False),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Delete every profile: the whole history.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
    ] = False,
) -> None:
    """Delete a profile's assessments and drafts (or all of them) for good, then compact the
    database so the deleted data is gone from disk. Asks first unless --yes is given."""
    from gutcheck.errors import UsageError

    if (profile is None) == (not everything):
        raise UsageError("Say what to forget: either --profile NAME or --all (not both).")
    from gutcheck.history.store import database_path

    if not database_path().exists():
        notice("Nothing is saved yet; nothing was deleted.")
        return
    no_names: list[str] = []
    count, names = _read(lambda store: (store.count(profile), store.profiles()), (0, no_names))
    if profile is not None and profile not in names:
        from gutcheck.errors import did_you_mean

        notice(f"There is no profile {profile!r}{did_you_mean(profile, names)}; nothing was deleted.")
        return
    what = f"profile {profile!r}" if profile is not None else "every profile"
    from gutcheck.render.reportparts import plural

    _confirm(f"Delete {plural(count, 'saved assessment')} and any quiz draft of {what} for good?", yes)
    deleted = _write(lambda store: store.forget(profile) if profile is not None else store.forget_all())
    notice(f"Forgot {what}: {plural(deleted, 'assessment')} deleted and the database compacted.")


def profiles(fmt: FormatOption = ViewFormat.TEXT) -> None:
    """List the profiles that have saved data, with counts and first and last dates."""
    from gutcheck.render.history import profiles_json, profiles_view

    nothing: list[ProfileSummary] = []
    summaries = _read(lambda store: store.profile_summaries(), nothing)
    if fmt is ViewFormat.JSON:
        emit_text(profiles_json(summaries))
        return
    show(profiles_view(summaries, now()))



# -- helpers -----------------------------------------------------------------------------------


def _read(action: Callable[[History], T], empty: T) -> T:
    """Run ``action`` on the history database, or return ``empty`` when none exists yet."""
    from gutcheck.history.store import History, database_path

    path = database_path()
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return empty  # nothing saved yet; an empty file is left as it is
    with History.open(reading=True) as store:
        return action(store)


def _with_summaries(
    store: History, items: list[StoredAssessment]
) -> tuple[list[StoredAssessment], list[ProfileSummary]]:
    """``items`` and, when there are none, every profile (to say which hold assessments)."""
    return items, [] if items else store.profile_summaries()


def _pair(store: History, older: str, newer: str, profile: str) -> tuple[StoredAssessment, StoredAssessment]:
    """The two assessments to compare; a profile that holds none is named with what exists."""
    import re

    from gutcheck.errors import UsageError

    refs = [ref.strip() for ref in (older, newer)]
    by_position = [re.fullmatch(r"last(?:~\d+)?", ref) is not None for ref in refs]
    well_formed = all(ref.isdigit() or last for ref, last in zip(refs, by_position, strict=True))
    if well_formed and any(by_position) and store.count(profile) == 0:
        from gutcheck.render.history import missing_profile

        raise UsageError(missing_profile(profile, store.profile_summaries(), ("gutcheck", "compare")))
    return store.find(older, profile), store.find(newer, profile)


def _write(action: Callable[[History], T]) -> T:
    """Run ``action`` on the history database (only ``forget`` writes, and only to one that exists)."""
    from gutcheck.history.store import History

    with History.open() as store:
        return action(store)


def _confirm(question: str, yes: bool) -> None:
    """Go on only with --yes or a 'y' typed at a terminal; refuse without a terminal."""
    import sys

    from gutcheck.errors import Declined, Interrupted, UsageError

    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("Nothing was deleted: there is no terminal to confirm on, so add --yes.")
    try:
        agreed = typer.confirm(f"{question} This cannot be undone.", default=False, err=True)
    except typer.Abort:  # Ctrl-C or Ctrl-D at the prompt: stopped, not answered
        typer.echo(err=True)  # end the prompt's line
        raise Interrupted("Nothing was deleted.") from None
    if not agreed:
        raise Declined("Nothing was deleted.")
