"""``gutcheck report`` (render a saved assessment) and ``gutcheck schema`` (print JSON Schemas).

A report comes from a saved ``gutcheck.assessment/1`` JSON file, from stdin, or from the
history (``last``, ``last~1`` or an id). ``-o FILE`` writes atomically: the report appears
whole or not at all, never half-written.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import NoPagerOption, StyleOption, check_style, no_pager
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment

SUFFIX_FORMATS: dict[str, ReportFormat] = {
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".json": ReportFormat.JSON,
    ".txt": ReportFormat.TEXT,
}
SOURCE_HELP = (
    "A saved assessment: a JSON file (from --format json), - for stdin, or from the history: "
    "last, last~1 (the one before), or an id from 'gutcheck history'."
)


class SchemaName(str, Enum):
    """The JSON Schemas gutcheck ships."""

    ASSESSMENT = "assessment"
    RULES = "rules"


ReportFormatOption = Annotated[
    ReportFormat | None,
    typer.Option("--format", "-f", help="Output format (default: from the -o file's extension, else text).",
                 case_sensitive=False, show_default=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.",
                 show_default=False),
]
ReportProfileOption = Annotated[str, typer.Option("--profile", "-p", help="Profile whose history 'last' refers to.")]


def register(app: typer.Typer) -> None:
    """Add the ``report`` and ``schema`` commands to ``app``."""
    app.command("report", **command_help("report"))(report)
    app.command("schema", **command_help("schema"))(schema)


def report(
    source: Annotated[str, typer.Argument(help=SOURCE_HELP, show_default=False)],
    *,
    fmt: ReportFormatOption = None,
    output: OutputOption = None,
    profile: ReportProfileOption = DEFAULT_PROFILE,
    pager_off: NoPagerOption = False,
    style: StyleOption = ReportStyle.FULL,
) -> None:
    """Render a saved assessment as Markdown, HTML, JSON, text or a FHIR Bundle, to stdout or a file."""
    no_pager(pager_off)
    chosen = fmt or format_for(output)
    check_style(style, chosen)
    if output is not None:
        _refuse_overlaps(output, source)
    assessment = read_assessment(source, profile)
    if output is None:
        from gutcheck.commands.output import emit_report

        emit_report(assessment, chosen, closing=_closing(source, profile), style=style)
        return
    from gutcheck.files.access import write_text_atomic
    from gutcheck.render import render

    write_text_atomic(output, render(assessment, chosen, style=style), "the report")
    short = ", short" if style is ReportStyle.SHORT else ""
    typer.echo(f"Wrote {output} ({chosen.value}{short}).", err=True)


def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema: assessment or rules.", case_sensitive=False)],
) -> None:
    """Print a JSON Schema: of the assessment document, or of the rule-base format."""
    from gutcheck.commands.output import emit_text
    from gutcheck.schema import schema_text

    emit_text(schema_text(name.value))


def format_for(output: Path | None) -> ReportFormat:
    """The format an output file's extension asks for; text when writing to stdout."""
    if output is None:
        return ReportFormat.TEXT
    found = SUFFIX_FORMATS.get(output.suffix.lower())
    if found is None:
        from gutcheck.errors import UsageError

        raise UsageError(
            f"{output}: cannot tell the format from the extension; add --format md, html, json or text."
        )
    return found


def read_assessment(source: str, profile: str = DEFAULT_PROFILE) -> Assessment:
    """The assessment named by ``source``: a JSON file, '-' (stdin), or a history reference."""
    if source == "-":
        return _parse(_read_stdin(), "<stdin>")
    path = Path(source)
    if path.is_file() or not _is_history_ref(source):
        return _parse(_read_file(path, source), source)
    return _from_history(source, profile)



def _closing(source: str, profile: str) -> list[str]:
    """The exact command that writes this report in full, and the history when it came from there."""
    from gutcheck.commands.options import closing_lines, command_line, profile_words

    if source != "-" and not Path(source).is_file() and _is_history_ref(source):
        return closing_lines(command_line("gutcheck", "report", source.strip(), *profile_words(profile),
                                          "-o", "report.html"), profile)
    if source == "-":
        return closing_lines("... | gutcheck report - -o report.html", None)
    return closing_lines(command_line("gutcheck", "report", source, "-o", "report.html"), None)
def _refuse_overlaps(output: Path, source: str) -> None:
    """The report may never replace the saved assessment it is made from, nor the history."""
    from gutcheck.files.overlap import refuse_overlaps
    from gutcheck.files.paths import history_database_path

    inputs = [("the history database", history_database_path())]
    if source != "-":
        inputs.insert(0, ("the saved assessment", Path(source)))
    refuse_overlaps([("-o", output)], inputs)


def _parse(text: str, display: str) -> Assessment:
    from gutcheck.engine.document import parse_assessment

    return parse_assessment(text, display)


def _is_history_ref(source: str) -> bool:
    import re

    return re.fullmatch(r"last(~\d+)?|\d+", source.strip()) is not None


def _read_stdin() -> str:
    import sys

    from gutcheck.errors import InputError

    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("<stdin>: nothing piped in; pipe a saved assessment to '-' or give a file")
    return sys.stdin.read()


def _read_file(path: Path, display: str) -> str:
    from gutcheck.errors import InputError
    from gutcheck.files.access import read_user_text

    hint = "give a saved assessment JSON file, - for stdin, or last / an id from 'gutcheck history'"
    return read_user_text(path, display, error=InputError, hint=hint)


def _from_history(reference: str, profile: str) -> Assessment:
    import re

    from gutcheck.errors import UsageError
    from gutcheck.history.store import History, database_path

    path = database_path()
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        raise UsageError(
            f"No assessments are saved yet, so there is no {reference!r}; "
            "take the quiz or give a saved assessment JSON file."
        )
    with History.open(reading=True) as store:
        if re.fullmatch(r"last(?:~\d+)?", reference.strip()) and store.count(profile) == 0:
            from gutcheck.render.history import missing_profile

            summaries = store.profile_summaries()
            raise UsageError(missing_profile(profile, summaries, ("gutcheck", "report", reference.strip())))
        return store.get(reference.strip(), profile)
