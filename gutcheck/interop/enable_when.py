"""``show_if`` conditions as FHIR ``enableWhen`` where FHIR can say them, else as FHIRPath.

A FHIR item has one list of ``enableWhen`` tests joined by one ``enableBehavior`` (all or any).
A condition that fits that shape (one question's ``in`` as several ``=`` with any; ``not_in`` as
``exists`` plus several ``!=`` with all; ``answered`` as ``exists``; numeric comparisons; several
keys or an ``all`` of such tests) becomes ``enableWhen``. Anything else (``not``, an ``any`` of
groups, an ``all`` holding an ``any``) becomes the SDC ``enableWhenExpression``, a FHIRPath
expression over the response. Either way a question that is not answered (or answered "Prefer
not to say") meets no test but ``answered: false``, as in gutcheck. A compared value is read as
the question's kind reads it in a condition (``yes`` as true), the same way the rule base does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.interop.common import ENABLE_WHEN_EXPRESSION, answer_system, extension
from gutcheck.rulebook.model import Question, RuleBase

_NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass(frozen=True)
class Tests:
    """enableWhen tests and how they join: ``one`` (a single test), ``all`` or ``any``."""

    join: str
    items: tuple[dict[str, Any], ...]


def enable_fields(rules: RuleBase, condition: Any) -> dict[str, Any]:
    """The Questionnaire item fields that express ``condition`` (a raw ``show_if``)."""
    if not condition:
        return {}
    tests = _Converter(rules).condition(condition)
    if tests is None:
        expression = {"language": "text/fhirpath", "expression": _Path(rules).condition(condition)}
        return {"extension": [extension(ENABLE_WHEN_EXPRESSION, valueExpression=expression)]}
    fields: dict[str, Any] = {"enableWhen": list(tests.items)}
    if len(tests.items) > 1:
        fields["enableBehavior"] = "any" if tests.join == "any" else "all"
    return fields


def _join(parts: list[Tests | None], join: str) -> Tests | None:
    """Join parts with ``join``; None when a part needs the other join (FHIR has one per item)."""
    if len(parts) == 1:
        return parts[0]  # one part keeps its own join
    items: list[dict[str, Any]] = []
    for part in parts:
        if part is None or (part.join not in ("one", join)):
            return None
        items.extend(part.items)
    if not items:
        return None
    return Tests("one" if len(items) == 1 else join, tuple(items))


class _Converter:
    """Turns one raw condition into enableWhen tests, or None when FHIR cannot join them so."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules

    def condition(self, raw: Any) -> Tests | None:
        if not isinstance(raw, Mapping):
            return None
        return _join([self.entry(str(key), value) for key, value in raw.items()], "all")

    def entry(self, key: str, value: Any) -> Tests | None:
        if key == "all" and isinstance(value, list):
            return _join([self.condition(part) for part in value], "all")
        if key == "any" and isinstance(value, list):
            return _join([self.condition(part) for part in value], "any")
        question = self.rules.by_id.get(key)
        if question is None or key == "not":
            return None
        operators = value if isinstance(value, Mapping) else {"equals": value}
        if isinstance(value, list):
            operators = {"in": value}
        return _join([self.operator(question, str(op), arg) for op, arg in operators.items()], "all")

    def operator(self, question: Question, op: str, arg: Any) -> Tests | None:
        test = _Test(self.rules.id, question)
        if op in ("equals", "contains"):
            return test.one("=", arg)
        if op == "in" and isinstance(arg, list):
            return _join([test.one("=", item) for item in arg], "any")
        if op == "not_in" and isinstance(arg, list):
            refused = [*arg, SKIP] if question.allow_skip and question.type.has_options else arg
            return _join([test.exists(True), *(test.one("!=", item) for item in refused)], "all")
        if op == "answered" and isinstance(arg, bool):
            return test.answered(arg)
        if op in _NUMERIC and question.type.numeric:
            return test.one(_NUMERIC[op], arg)
        return None


class _Test:
    """enableWhen tests on one question."""

    def __init__(self, rules_id: str, question: Question) -> None:
        self.rules_id = rules_id
        self.question = question

    def one(self, operator: str, arg: Any) -> Tests | None:
        answer = self.answer(arg)
        if answer is None:
            return None
        return Tests("one", ({"question": self.question.id, "operator": operator, **answer},))

    def exists(self, present: bool) -> Tests:
        return Tests("one", ({"question": self.question.id, "operator": "exists", "answerBoolean": present},))

    def answered(self, wanted: bool) -> Tests | None:
        if not (self.question.allow_skip and self.question.type.has_options):
            return self.exists(wanted)
        if wanted:
            return _join([self.exists(True), self.one("!=", SKIP)], "all")
        return _join([self.exists(False), self.one("=", SKIP)], "any")

    def answer(self, arg: Any) -> dict[str, Any] | None:
        question = self.question
        if question.type.has_options:
            code = SKIP if arg == SKIP else question.option_for(str(arg))
            if code is None:
                return None
            return {"answerCoding": {"system": answer_system(self.rules_id, question.id), "code": code}}
        value = compared(question, arg)
        if value is None:
            return None
        if isinstance(value, bool):
            return {"answerBoolean": value}
        if question.integer:
            return {"answerInteger": int(value)} if float(value).is_integer() else None
        return {"answerDecimal": value}


def compared(question: Question, arg: Any) -> Any:
    """A condition's value as the question's kind compares it (None when it cannot be one)."""
    try:
        return question.type.compared(arg, frozenset(o.value for o in question.options))
    except ValueError:
        return None


class _Path:
    """Turns a raw condition into one FHIRPath expression over the QuestionnaireResponse."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules

    def condition(self, raw: Any) -> str:
        parts = [self.entry(str(key), value) for key, value in dict(raw).items()]
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def entry(self, key: str, value: Any) -> str:
        if key in ("all", "any"):
            joined = f" {'and' if key == 'all' else 'or'} ".join(self.condition(part) for part in value)
            return f"({joined})"
        if key == "not":
            return f"({self.condition(value)}).not()"
        question = self.rules.by_id[key]
        operators = value if isinstance(value, Mapping) else {"equals": value}
        if isinstance(value, list):
            operators = {"in": value}
        tests = [self.operator(question, str(op), arg) for op, arg in operators.items()]
        return tests[0] if len(tests) == 1 else "(" + " and ".join(tests) + ")"

    def operator(self, question: Question, op: str, arg: Any) -> str:
        values = _values(question)
        if op == "answered":
            return f"{values}.exists()" if arg else f"{values}.empty()"
        if op in _NUMERIC:
            return f"({values}.exists() and {values}.first() {_NUMERIC[op]} {_literal(question, arg)})"
        items = arg if op in ("in", "not_in") else [arg]
        found = " or ".join(f"{values} contains {_literal(question, item)}" for item in items)
        if op == "not_in":
            return f"({values}.exists() and ({found}).not())"
        return f"({found})"


def _values(question: Question) -> str:
    """FHIRPath for the answers of ``question`` (option codes for choices, "Prefer not to say" left out)."""
    base = f"%resource.repeat(item).where(linkId = '{question.id}').answer.value"
    if question.type.has_options:
        return f"{base}.code.where($this != '{SKIP}')"
    return base


def _literal(question: Question, arg: Any) -> str:
    if question.type.has_options:
        value = question.option_for(str(arg)) or str(arg)
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    value = compared(question, arg)
    if isinstance(value, bool) or value is None:
        return "true" if value else "false"
    number = float(value)
    return str(int(number)) if number.is_integer() else format(Decimal(repr(number)), "f")
