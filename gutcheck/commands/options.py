"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gutcheck.render import STYLED_FORMATS, ReportFormat, ReportStyle

if TYPE_CHECKING:
    from gutcheck.rulebook.model import RuleBase

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        help="Rule base YAML file to use instead of the bundled gut-barrier rules.",
        show_default=False,
    ),
]

ExcelOption = Annotated[
    bool,
    typer.Option(
        "--excel",
        help="Write CSV for Excel: a UTF-8 byte-order mark first and CRLF line ends, so that "
        "Excel on Windows shows accents and Chinese names right (gutcheck reads it back as well).",
    ),
]

NOW_ENV = "GUTCHECK_NOW"


def load(rules: Path | None) -> RuleBase:
    """Load the rule base named by --rules, or the bundled one, with its learn file checked
    too (so that a broken learn file stops a command before any question, not after)."""
    from gutcheck.rulebook.learn import load_learn
    from gutcheck.rulebook.loading import load_rules

    rule_base = load_rules(rules)
    load_learn(rule_base)
    return rule_base


def now() -> datetime:
    """The current time in UTC; ``$GUTCHECK_NOW`` (ISO 8601) fixes it for reproducible reports."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        from gutcheck.errors import UsageError

        try:
            stamp = datetime.fromisoformat(fixed)
        except ValueError:
            raise UsageError(f"{NOW_ENV}={fixed!r} is not an ISO 8601 time such as 2026-01-31T09:00:00+00:00") from None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


NoPagerOption = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print the results straight out, never through a pager ($GUTCHECK_PAGER, $PAGER or less -FRX).",
    ),
]


def no_pager(value: bool) -> None:
    """Honour ``--no-pager``: turn paging off for the rest of this run."""
    if value:
        from gutcheck.commands import pager

        pager.disable()


def command_line(*words: str) -> str:
    """A command a person can paste: words quoted for the shell where they need it."""
    import shlex

    return " ".join(shlex.quote(word) for word in words)


def profile_words(profile: str | None, default: str = "default") -> list[str]:
    """``['-p', NAME]`` for a profile other than the default; nothing otherwise."""
    return [] if profile is None or profile == default else ["-p", profile]


FULL_REPORT_LEAD = "The full report, every suggestion with its sources:"


def closing_lines(full_report: str, history_profile: str | None, lead: str = FULL_REPORT_LEAD) -> list[str]:
    """The results' last lines: the exact commands for the full report (on a line of its own,
    so it is not wrapped) and, when the result is in the history, for the results over time."""
    lines = [lead, f"  {full_report}"]
    if history_profile is not None:
        lines.append("Your results over time: " + command_line("gutcheck", "history", *profile_words(history_profile)))
    return lines


def saved_report_command(profile: str, reference: str = "last") -> str:
    """``gutcheck report last -o report.html`` for a result saved in ``profile``."""
    return command_line("gutcheck", "report", reference, *profile_words(profile), "-o", "report.html")


StyleOption = Annotated[
    ReportStyle,
    typer.Option("--style", help="full: the whole report; short: one or two printed pages (the "
                 "notice, first steps, factor bars, each suggestion in a line with its evidence "
                 "and sources, the disclaimer). md and html only.", case_sensitive=False),
]


def check_style(style: ReportStyle, fmt: ReportFormat, option: str = "--style", fmt_option: str = "--format") -> None:
    """Refuse the short style for a format that has none (text, json, fhir), before any work."""
    if style is ReportStyle.SHORT and fmt not in STYLED_FORMATS:
        from gutcheck.errors import UsageError

        raise UsageError(f"{option} short applies to md and html reports, not {fmt.value}; "
                         f"add {fmt_option} md or html")


def check_excel(excel: bool, writes_csv: bool, hint: str) -> None:
    """Refuse --excel where no CSV is written (``hint`` says how to get one), so it never does nothing."""
    if excel and not writes_csv:
        from gutcheck.errors import UsageError

        raise UsageError(f"--excel only changes CSV output; {hint}")
