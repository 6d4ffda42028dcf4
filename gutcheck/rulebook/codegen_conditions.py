"""Conditions as Python expressions: part of the generator in :mod:`gutcheck.rulebook.codegen`.

A checked condition, in the normal form the rule base keeps (:func:`gutcheck.rulebook.conditions.normal_condition`:
every subject mapped to its operators, every compared value as answers hold it), becomes a
boolean expression over the names the generator gives it: a question's shown answer (None when
it was hidden or left unanswered) or a fact of the factor. A compared value is written only
with :func:`gutcheck.rulebook.literals.literal`; what an operator means for a subject is asked of
its kind (:mod:`gutcheck.rulebook.kinds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gutcheck.rulebook.kinds import QuestionKind
from gutcheck.rulebook.literals import CodegenError, literal, literals

NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class Names:
    """What a condition's subjects are called in the code that tests it: a subject's name and
    kind (a question's shown answer, or a fact such as the factor's level)."""

    def __init__(self, subjects: Mapping[str, tuple[str, QuestionKind]]) -> None:
        self.subjects = subjects

    def condition(self, normal: Any) -> str:
        """A boolean expression for a checked condition in normal form (several keys: all hold)."""
        if not isinstance(normal, Mapping) or not normal:
            raise CodegenError("a condition must be a non-empty mapping")
        return _joined(" and ", [self.entry(str(key), value) for key, value in normal.items()])

    def entry(self, key: str, value: Any) -> str:
        """One key of a condition: a combinator, or a subject with its operators."""
        if key == "not":
            return f"not ({self.condition(value)})"
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise CodegenError(f"{key!r} needs a non-empty list")
            return _joined(" and " if key == "all" else " or ", [self.condition(item) for item in value])
        if key not in self.subjects or not isinstance(value, Mapping) or not value:
            raise CodegenError("a condition names an unknown subject, or gives it no operator")
        name, kind = self.subjects[key]
        return _joined(" and ", [_test(name, kind, str(op), arg) for op, arg in value.items()])


def _test(name: str, kind: QuestionKind, op: str, arg: Any) -> str:
    """One operator on a subject; an unanswered subject (None) meets none but ``answered: false``."""
    if op == "answered":
        return f"{name} is not None" if arg is True else f"{name} is None"
    if op in NUMERIC and kind.numeric and arg.__class__ in (int, float):
        return f"{name} is not None and {name} {NUMERIC[op]} {literal(float(arg))}"
    if op == "contains" and kind.several:
        return f"{name} is not None and {literal(arg)} in {name}"
    if op in ("equals", "in", "not_in") and not kind.several:
        values = [arg] if op == "equals" else arg
        if not isinstance(values, list) or not values:
            raise CodegenError(f"{op!r} needs a non-empty list")
        if op == "not_in":
            return f"{name} is not None and {name} not in {literals(values)}"
        if len(values) == 1 and values[0].__class__ is bool:
            return f"{name} is {literal(values[0])}"
        # an unanswered subject (None) equals no checked value, so it needs no test of its own
        return f"{name} == {literal(values[0])}" if len(values) == 1 else f"{name} in {literals(values)}"
    raise CodegenError(f"operator {op!r} does not fit a {kind.name} subject")


def _grouped(expression: str) -> str:
    """``expression`` in parentheses unless it is one plain test."""
    plain = not any(word in expression for word in (" and ", " or ", "not "))
    return expression if plain else f"({expression})"


def _joined(joiner: str, parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else joiner.join(_grouped(part) for part in parts)
