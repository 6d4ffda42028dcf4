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
            help="Answers file (YAML or JSON mapping of question id to answer), or - for stdin.",
            show_default=False,
        ),
    ],
    rules: RulesOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ReportFormat.TEXT,
) -> None:
    """Score one person's answers and print the assessment."""
    from gutcheck.answers_io import read_answers
    from gutcheck.commands.common import load, now
    from gutcheck.engine import score_parsed

    rule_base = load(rules)
    answers_file = read_answers(answers)
    parsed = rule_base.parse_answers(answers_file.answers, answers_file.where)
    assessment = score_parsed(rule_base, parsed, taken_at=now())
    _emit(assessment, fmt)


def _emit(assessment: object, fmt: ReportFormat) -> None:
    from gutcheck.assessment import Assessment
    from gutcheck.render import render

    assert isinstance(assessment, Assessment)
    if fmt is ReportFormat.TEXT:
        from gutcheck.console import make_consoles
        from gutcheck.render.terminal import results_view

        make_consoles().out.print(results_view(assessment))
        return
    typer.echo(render(assessment, fmt), nl=False)
