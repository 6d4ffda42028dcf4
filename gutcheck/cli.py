"""The gutcheck command line: parses options, calls the core, renders, sets exit codes.

Errors from below arrive as :class:`gutcheck.errors.GutcheckError` and are reported here, once,
as plain sentences on stderr with their documented exit code. Heavy modules (questionary,
jinja2, sqlite) are imported inside the commands that use them.
"""

from __future__ import annotations

import os
import sys

import typer

from gutcheck._version import __version__
from gutcheck.commands import (
    batch_cmd,
    completion_cmd,
    history_cmd,
    learn_cmd,
    quiz_cmd,
    report_cmd,
    rules_cmd,
    score_cmd,
)
from gutcheck.commands.options import NoPagerOption, RulesOption, StyleOption, no_pager
from gutcheck.errors import EXIT_CODE_MEANINGS, ExitCode, GutcheckError
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.render import ReportFormat, ReportStyle

EXIT_CODES_HELP = "Exit codes: " + "; ".join(
    f"{int(code)} {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items()
)

app = typer.Typer(
    name="gutcheck",
    help=(
        "A gut-barrier self-check: answer questions about habits linked to gut-barrier health and "
        "get sourced, evidence-graded suggestions. Education, not diagnosis.\n\n"
        "Run with no command to take the quiz on the bundled rules."
    ),
    epilog=EXIT_CODES_HELP,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

for module in (quiz_cmd, rules_cmd, score_cmd, batch_cmd, report_cmd, history_cmd, learn_cmd, completion_cmd):
    module.register(app)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"gutcheck {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on unexpected errors."),
    *,
    rules: RulesOption = None,
    answers: quiz_cmd.AnswersOption = None,
    profile: quiz_cmd.ProfileOption = DEFAULT_PROFILE,
    save: quiz_cmd.SaveOption = True,
    fmt: quiz_cmd.FormatOption = ReportFormat.TEXT,
    plain: quiz_cmd.PlainOption = False,
    pager_off: NoPagerOption = False,
    style: StyleOption = ReportStyle.FULL,
) -> None:
    """Take the quiz (no command; the quiz options below apply), or run one of the commands."""
    no_pager(pager_off)  # like git: 'gutcheck --no-pager report last' works for any command
    if ctx.invoked_subcommand is None:
        ctx.invoke(quiz_cmd.quiz, rules=rules, answers=answers, profile=profile, save=save,
                   fmt=fmt, plain=plain, style=style)
    else:
        quiz_cmd.refuse_quiz_options(ctx.invoked_subcommand, rules=rules, answers=answers,
                                     profile=profile, save=save, fmt=fmt, plain=plain, style=style)


def main() -> None:
    """Console-script entry point: run the app and turn errors into messages and exit codes."""
    paging = sys.modules.get("gutcheck.commands.pager")  # loaded only once paging was asked about
    if paging is not None:
        paging.disable(False)  # each run starts with paging on; --no-pager turns it off
    try:
        if os.environ.get(completion_cmd.COMPLETE_VAR):
            _complete()
        elif len(sys.argv) <= 1:
            quiz_cmd.quiz()  # plain `gutcheck`: nothing to parse, so the quiz starts sooner
        else:
            _run_app()
    except GutcheckError as error:
        _report(error.lines())
        sys.exit(int(error.exit_code))
    except KeyboardInterrupt:
        _report(["Interrupted."])
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as error:
        if "--debug" in sys.argv:
            raise
        _report([f"Unexpected error: {type(error).__name__}: {error}. "
                 "Rerun with --debug and report the traceback, please."])
        sys.exit(int(ExitCode.INTERNAL))


def _complete() -> None:
    """A shell asked for completions (see ``gutcheck completion``): answer, run nothing."""
    from typer._completion_classes import completion_init

    completion_init()
    app(prog_name="gutcheck")


def _run_app() -> None:
    """Run the typer app; typer turns Ctrl-C into a silent exit 130, so say what happened."""
    try:
        app()
    except SystemExit as stop:
        if stop.code == int(ExitCode.INTERRUPTED):
            _report(["Interrupted."])
        raise


def _report(lines: list[str]) -> None:
    for line in filter(None, lines):
        print(line, file=sys.stderr)
