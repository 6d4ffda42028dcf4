"""Conditions as Python expressions, and the one way a rule-file value is written into source.

Part of the generator in :mod:`gutcheck.rulebook.codegen`: a checked condition mapping becomes a
boolean expression over the generator's own variables (a question's shown answer, a factor's
facts); a compared value is written only with :func:`literal`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gutcheck.rulebook.model import RuleBase

COMBINATORS = ("all", "any", "not")
NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
FACTS = {"level": "lvl", "percent": "pct", "points": "pts", "screen": "scr", "alarm": "alarm"}
FACT_KINDS = {"percent": "number", "points": "number", "alarm": "yesno"}


class CodegenError(ValueError):
    """A rule base the generator does not compile (the caller scores it another way)."""


def literal(value: object) -> str:
    """The source literal of a checked str, bool, int or finite float; anything else is refused."""
    if value is None or value.__class__ in (bool, int, str):
        return ascii(value)
    if isinstance(value, float) and value.__class__ is float and math.isfinite(value):
        return ascii(value)
    raise CodegenError(f"a value of type {type(value).__name__} cannot be written into source")


def literals(values: Any) -> str:
    """A tuple literal of checked values."""
    return "(" + "".join(f"{literal(v)}, " for v in values) + ")"


class ConditionWriter:
    """Writes conditions; the generator gives it the rule base, each question's position and
    the variable holding each question's shown answer."""

    rules: RuleBase
    index: dict[str, int]
    shown: list[str]


    def condition(self, raw: Any, facts: frozenset[str] = frozenset()) -> str:
        """A boolean expression for a checked condition mapping (several keys: all hold)."""
        if not isinstance(raw, Mapping) or not raw:
            raise CodegenError("a condition must be a non-empty mapping")
        parts = [self.entry(str(key), value, facts) for key, value in raw.items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def entry(self, key: str, value: Any, facts: frozenset[str]) -> str:
        """One key of a condition: a combinator, or a subject with its operators."""
        if key == "not":
            return f"(not {self.condition(value, facts)})"
        if key in COMBINATORS:
            if not isinstance(value, list) or not value:
                raise CodegenError(f"{key!r} needs a non-empty list")
            joiner = " and " if key == "all" else " or "
            return "(" + joiner.join(self.condition(item, facts) for item in value) + ")"
        var, kind = self.subject(key, facts)
        if not isinstance(value, Mapping):
            value = {"in": value} if isinstance(value, list) else {"equals": value}
        if not value:
            raise CodegenError(f"no operator for {key!r}")
        tests = [self.operator(var, kind, str(op), arg) for op, arg in value.items()]
        return tests[0] if len(tests) == 1 else "(" + " and ".join(tests) + ")"

    def subject(self, key: str, facts: frozenset[str]) -> tuple[str, str]:
        """The variable holding a subject's value, and its kind."""
        if key in facts:
            return FACTS[key], FACT_KINDS.get(key, "choice")
        if key not in self.index:
            raise CodegenError("a condition names an unknown subject")
        return self.shown[self.index[key]], self.rules.questions[self.index[key]].kind

    def operator(self, var: str, kind: str, op: str, arg: Any) -> str:
        """One operator of a subject as an expression (an unanswered subject holds no test)."""
        if op == "answered":
            return f"({var} is not None)" if arg is True else f"({var} is None)"
        if op in NUMERIC:
            if kind != "number" or arg.__class__ not in (int, float):
                raise CodegenError(f"{op!r} needs a number subject and bound")
            return f"({var} is not None and {var} {NUMERIC[op]} {literal(float(arg))})"
        if op == "contains" and kind == "multi":
            return f"({var} is not None and {literal(str(arg))} in {var})"
        if op in ("equals", "in", "not_in") and kind != "multi":
            items = [arg] if op == "equals" else arg
            if not isinstance(items, list) or not items:
                raise CodegenError(f"{op!r} needs a non-empty list")
            values = [_compared(kind, a) for a in items]
            if op == "not_in":
                return f"({var} is not None and {var} not in {literals(values)})"
            # an unanswered subject (None) is in no list of checked values: no None test needed
            if len(values) == 1 and values[0].__class__ is bool:
                return f"({var} is {literal(values[0])})"
            return f"({var} == {literal(values[0])})" if len(values) == 1 else f"({var} in {literals(values)})"
        raise CodegenError(f"operator {op!r} does not fit a {kind} subject")


def _compared(kind: str, arg: Any) -> Any:
    """A compared value as the condition compiler normalises it."""
    if kind == "yesno":
        if isinstance(arg, bool):
            return arg
        if isinstance(arg, str) and arg.lower() in ("yes", "no"):
            return arg.lower() == "yes"
        raise CodegenError("a yes/no subject takes yes or no")
    if kind == "number":
        if arg.__class__ not in (int, float):
            raise CodegenError("a number subject takes numbers")
        return arg
    return str(arg)
