"""Content lint of a rule base (beyond validity)."""

from __future__ import annotations

from gutcheck.errors import Problem
from gutcheck.rulebase import RuleBase


def lint_rules(rules: RuleBase) -> list[Problem]:
    """Every lint finding of ``rules``, located."""
    return []
