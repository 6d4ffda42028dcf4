"""``gutcheck score``: score one person's answers file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import NoPagerOption, RulesOption, StyleOption, check_style, no_pager
from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.rulebook.model import RuleBase

AnswersArgument = Annotated[
    str,
    typer.Argument(
        help="Answers file (YAML or JSON mapping of question id to answer, or a CSV, TSV, "
        "JSON array or JSON Lines file with one person's row, as batch reads, or a FHIR "
        "QuestionnaireResponse, dated by its authored), or - for stdin.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="Save to this profile's history (implies --save).", show_default=False),
]
SaveOption = Annotated[
    bool | None,
    typer.Option("--save/--no-save", help="Save the assessment to the local history "
                 "(default: only when --profile is given).", show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to ``app``."""
    app.command("score", **command_help("score"))(score)


def score(
    answers: AnswersArgument,
    *,
    rules: RulesOption = None,
    fmt: FormatOption = ReportFormat.TEXT,
    profile: ProfileOption = None,
    save: SaveOption = None,
    pager_off: NoPagerOption = False,
    style: StyleOption = ReportStyle.FULL,
) -> None:
    """Score one person's answers and print the assessment."""
    from gutcheck.commands.options import load
    from gutcheck.commands.output import notice
    from gutcheck.history import DEFAULT_PROFILE

    no_pager(pager_off)
    check_style(style, fmt)
    if profile is not None and save is not False:
        from gutcheck.history.records import check_profile

        check_profile(profile)  # before scoring: a bad name would otherwise fail after the output
    rule_base = load(rules)
    assessment, parsed = _assess(rule_base, answers)
    _note_ignored(rule_base, parsed, assessment)
    saving = save is True or (save is None and profile is not None)
    name = DEFAULT_PROFILE if profile is None else profile
    _emit(assessment, fmt, rule_base, _closing(answers, name if saving else None), style)
    if saving:
        from gutcheck.history.store import save_assessment

        row_id, location = save_assessment(assessment, name)
        notice(f"Saved as assessment #{row_id} in profile {name!r} ({location}).")


def _assess(rule_base: RuleBase, answers: str) -> tuple[Assessment, dict[str, Any]]:
    """Read and score one person's answers (and the parsed answers); a form's own date (a FHIR
    response's ``authored``) dates the assessment, else the time now."""
    from gutcheck.batch.person import read_parsed_answers
    from gutcheck.commands.options import now
    from gutcheck.engine.scoring import score_parsed

    person = read_parsed_answers(
        rule_base, answers, warn=lambda message: typer.echo(f"Warning: {message}", err=True)
    )
    taken_at = person.taken_at or now()
    return score_parsed(rule_base, person.answers, taken_at=taken_at, client=person.client), person.answers


def _emit(
    assessment: Assessment, fmt: ReportFormat, rules: RuleBase, closing: list[str], style: ReportStyle
) -> None:
    """Print the assessment in ``fmt``."""
    from gutcheck.commands.output import emit_report

    if fmt is ReportFormat.FHIR:  # with the rule base, the response mirrors its Questionnaire exactly
        from gutcheck.commands.output import emit_text
        from gutcheck.render.fhir import render_fhir

        emit_text(render_fhir(assessment, rules))
    else:
        emit_report(assessment, fmt, closing=closing, style=style)


def _note_ignored(rules: RuleBase, parsed: dict[str, Any], assessment: Assessment) -> None:
    """One line on stderr naming answers to questions an earlier answer hides (not scored)."""
    from gutcheck.batch.summary import conditional_questions, hidden_answers, ignored_note
    from gutcheck.commands.output import notice

    shown = {answer.question for answer in assessment.answers}
    ignored = hidden_answers(conditional_questions(rules), parsed, shown)
    if ignored:
        notice(ignored_note(rules, ignored))


def _closing(answers: str, saved_in: str | None) -> list[str]:
    """The exact commands for the full report (and the history, once saved)."""
    from gutcheck.commands.options import closing_lines, command_line, saved_report_command

    if saved_in is not None:
        return closing_lines(saved_report_command(saved_in), saved_in)
    rerun = command_line("gutcheck", "score", answers, "-f", "html") + " > report.html"
    if answers == "-":
        rerun = "... | " + rerun
    return closing_lines(rerun, None)
