"""Options and helpers shared by the commands."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
