"""``gutcheck score``: score one person's answers file."""

from __future__ import annotations

from typing import Annotated

import typer

from gutcheck.commands.common import RulesOption
from gutcheck.render import ReportFormat


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to ``app``."""
    app.command("score")(score)


def score(
    answers: Annotated[
        str,
        typer.Argument(
            help="Answers file (YAML or JSON mapping of question id to answer, or a CSV, TSV, "
            "JSON array or JSON Lines file with one person's row, as batch reads), or - for stdin.",
            show_default=False,
        ),
    ],
    rules: RulesOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ReportFormat.TEXT,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="Save to this profile's history (implies --save).",
                     show_default=False),
    ] = None,
    save: Annotated[
        bool | None,
        typer.Option("--save/--no-save", help="Save the assessment to the local history "
                     "(default: only when --profile is given).", show_default=False),
    ] = None,
) -> None:
    """Score one person's answers and print the assessment."""
    from gutcheck.answers.files import read_parsed_answers
    from gutcheck.commands.common import load, now
    from gutcheck.engine.scoring import score_parsed

    if profile is not None and save is not False:
        from gutcheck.history.records import check_profile

        check_profile(profile)  # before scoring: a bad name would otherwise fail after the output
    rule_base = load(rules)
    parsed, client = read_parsed_answers(
        rule_base, answers, warn=lambda message: typer.echo(f"Warning: {message}", err=True)
    )
    assessment = score_parsed(rule_base, parsed, taken_at=now(), client=client)
    _emit(assessment, fmt)
    from gutcheck.commands.history_cmd import save_if_asked

    save_if_asked(assessment, profile, save)


def _emit(assessment: object, fmt: ReportFormat) -> None:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.render import render

    assert isinstance(assessment, Assessment)
    if fmt is ReportFormat.TEXT:
        from gutcheck.commands.output import make_consoles
        from gutcheck.render.terminal import results_view

        make_consoles().out.print(results_view(assessment))
        return
    typer.echo(render(assessment, fmt), nl=False)
