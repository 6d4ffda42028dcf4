"""The interactive quiz (``gutcheck`` with no command, or ``gutcheck quiz``).

The options are defined once, here, and reused by the root callback in ``gutcheck/cli.py`` so
that ``gutcheck --plain`` works like ``gutcheck quiz --plain``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import NoPagerOption, RulesOption, StyleOption, check_style, no_pager
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.render import ReportFormat, ReportStyle

if TYPE_CHECKING:
    from contextlib import ExitStack

    from gutcheck.commands.output import Consoles
    from gutcheck.commands.quiz_run import Outcome, QuizSettings
    from gutcheck.quiz.steps import Prompter


AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Answers file (YAML or JSON) to prefill; the quiz asks only what it leaves out.",
        show_default=False,
    ),
]
ProfileOption = Annotated[
    str,
    typer.Option("--profile", help="History profile that keeps the result and unfinished answers."),
]
SaveOption = Annotated[
    bool,
    typer.Option(
        "--save/--no-save",
        help="Save the result in your local history; --no-save writes nothing, not even a draft.",
    ),
]
FormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="Final report: text (the results screen), or json, md or html written to stdout.",
        case_sensitive=False,
    ),
]
PlainOption = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Numbered answers typed on plain lines, no cursor movement: for screen readers and "
        "simple terminals (automatic when TERM=dumb).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the ``quiz`` command to ``app``."""
    app.command("quiz", **command_help("quiz"))(quiz)


def quiz(
    *,
    rules: RulesOption = None,
    answers: AnswersOption = None,
    profile: ProfileOption = DEFAULT_PROFILE,
    save: SaveOption = True,
    fmt: FormatOption = ReportFormat.TEXT,
    plain: PlainOption = False,
    pager_off: NoPagerOption = False,
    style: StyleOption = ReportStyle.FULL,
) -> None:
    """Take the gut-barrier self-check in the terminal (also what plain 'gutcheck' does)."""
    from gutcheck.commands.quiz_run import QuizSettings

    no_pager(pager_off)
    check_style(style, fmt)  # before the first question, not after the last
    settings = QuizSettings(
        rules=rules,
        answers=answers,
        profile=profile,
        save=save,
        plain=plain or os.environ.get("TERM") == "dumb",
    )
    _run(settings, fmt, style)


def refuse_quiz_options(
    command: str,
    *,
    rules: Path | None,
    answers: Path | None,
    profile: str,
    save: bool,
    fmt: ReportFormat,
    plain: bool,
    style: ReportStyle = ReportStyle.FULL,
) -> None:
    """Refuse quiz options given before another command (``gutcheck --rules X score ...``),
    where they would silently do nothing."""
    given = {
        "--rules": rules is not None,
        "--answers": answers is not None,
        "--profile": profile != DEFAULT_PROFILE,
        "--no-save": not save,
        "--format": fmt is not ReportFormat.TEXT,
        "--plain": plain,
        "--style": style is not ReportStyle.FULL,
    }
    misplaced = [name for name, differs in given.items() if differs]
    if misplaced:
        from gutcheck.errors import UsageError

        verb = "applies" if len(misplaced) == 1 else "apply"
        raise UsageError(
            f"{', '.join(misplaced)} before '{command}' only {verb} to the quiz; "
            f"put options after the command name, e.g. 'gutcheck {command} --help'"
        )


def _run(settings: QuizSettings, fmt: ReportFormat, style: ReportStyle = ReportStyle.FULL) -> None:
    from contextlib import ExitStack

    from gutcheck.commands.options import load, now
    from gutcheck.commands.output import make_consoles
    from gutcheck.commands.quiz_run import run_session
    from gutcheck.quiz.session import read_prefill

    stream = _prompt_stream(settings.plain)
    rules = load(settings.rules)
    prefill = read_prefill(rules, settings.answers)
    with ExitStack() as stack:
        prompter = _prompter(settings.plain, stream, stack)
        outcome = run_session(settings, rules, prompter, clock=now, prefill=prefill)
    consoles = make_consoles(plain=settings.plain)  # rich is loaded only for the results
    if outcome is None:
        consoles.err.print("Stopped before the first question; nothing was saved.")
        return
    _show(outcome, fmt, consoles, settings.profile, style)


def _prompt_stream(plain: bool) -> TextIO:
    """Where prompts are drawn: stderr, or stdout if only it is a terminal."""
    from gutcheck.errors import UsageError
    from gutcheck.quiz.steps import NO_TERMINAL

    if plain:
        return sys.stderr
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(NO_TERMINAL)
    for stream in (sys.stderr, sys.stdout):
        if stream is not None and stream.isatty():
            return stream
    raise UsageError(NO_TERMINAL)


def _prompter(plain: bool, stream: TextIO, stack: ExitStack) -> Prompter:
    if plain:
        from gutcheck.quiz.plain import PlainPrompter

        return PlainPrompter(sys.stdin, stream)
    from gutcheck.quiz.questionary_prompter import QuestionaryPrompter, terminal_session

    stack.enter_context(terminal_session(stream))
    return QuestionaryPrompter(stream)


def _show(outcome: Outcome, fmt: ReportFormat, consoles: Consoles, profile: str, style: ReportStyle) -> None:
    from gutcheck.commands.output import emit_report

    if fmt is ReportFormat.TEXT:
        consoles.out.print()  # a blank line between the last question and the results
    emit_report(outcome.assessment, fmt, consoles, saved_to=outcome.saved_to, not_saved=outcome.not_saved,
                closing=_closing(outcome, profile), style=style)


def _closing(outcome: Outcome, profile: str) -> list[str]:
    """The exact commands for the full report and the history, for a saved result or not."""
    from gutcheck.commands.options import closing_lines, saved_report_command

    if outcome.saved_to:
        return closing_lines(saved_report_command(profile), profile)
    return closing_lines("gutcheck --format html > report.html", None,
                         lead="For the full report, every suggestion with its sources, next time run:")
