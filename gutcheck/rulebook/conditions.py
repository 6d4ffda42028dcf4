"""The condition language of ``show_if`` and ``when``: data, checked at load, compiled once.

A condition is a mapping. ``all: [...]``, ``any: [...]`` and ``not: {...}`` combine others;
any other key names a subject (a question id, or for suggestions ``level``, ``percent``,
``points`` of the factor, ``screen``, positive or negative, of the factor's instrument, or
``alarm``, true when any alarm symptom was answered yes)
and maps to a value (equality) or to operators:
``equals``, ``in``, ``not_in``, ``contains`` (multi), ``gt``/``gte``/``lt``/``lte`` (numbers),
``answered`` (true/false). Several keys in one mapping must all hold. A question that is
unanswered (hidden, skipped or missing) satisfies no operator except ``answered: false``.

Compiling returns a closure; nothing from the file is ever evaluated as code. A checked
condition is also kept in one normal form (:func:`normal_condition`): every subject maps to its
operators, and every compared value is as answers hold it (yes/no as true/false), worked out
by the subject's kind (:mod:`gutcheck.rulebook.kinds`), so the generated scorer reads it as is.
A condition nests at most :data:`MAX_DEPTH` levels deep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gutcheck.errors import Problem, did_you_mean
from gutcheck.rulebook.kinds import CHOICE, KINDS, QuestionKind

Predicate = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]
Locate = Callable[[tuple[str | int, ...]], str]

COMBINATORS = frozenset({"all", "any", "not"})
FACT_KEYS = frozenset({"level", "percent", "points", "screen", "alarm"})
_NUMERIC_OPS = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}
_ALL_OPS = ("equals", "in", "not_in", "contains", "answered", *_NUMERIC_OPS)
MAX_DEPTH = 50  # conditions nested deeper than this are refused (the generated scorer nests as deep)


@dataclass(frozen=True)
class Subject:
    """What a condition key may be compared with: its kind, options and numeric range."""

    key: str
    kind: str
    values: frozenset[str] = frozenset()
    minimum: float | None = None
    maximum: float | None = None
    from_facts: bool = False

    @property
    def type(self) -> QuestionKind:
        """The kind its values are compared as (a fact such as a level compares as options)."""
        return KINDS.get(self.kind, CHOICE)


class _Compiler:
    def __init__(self, subjects: Mapping[str, Subject], locate: Locate) -> None:
        self.subjects = subjects
        self.locate = locate
        self.problems: list[Problem] = []
        self.depth = 0

    def fail(self, path: tuple[str | int, ...], message: str) -> Predicate:
        """Record a located problem; the part compiles to a predicate that never holds."""
        self.problems.append(Problem(self.locate(path), message))
        return _never

    def condition(self, raw: Any, path: tuple[str | int, ...]) -> Predicate:
        """Compile a condition mapping (several keys must all hold)."""
        if not isinstance(raw, Mapping) or not raw:
            return self.fail(path, "a condition must be a non-empty mapping")
        if self.depth >= MAX_DEPTH:
            return self.fail(path, f"conditions may nest at most {MAX_DEPTH} levels deep; split this one up")
        self.depth += 1
        try:
            parts = [self.entry(str(key), value, (*path, key)) for key, value in raw.items()]
        finally:
            self.depth -= 1
        if len(parts) == 1:
            return parts[0]
        return lambda answers, facts: all(p(answers, facts) for p in parts)

    def entry(self, key: str, value: Any, path: tuple[str | int, ...]) -> Predicate:
        """Compile one key of a condition: a combinator or a subject with its operators."""
        if key in COMBINATORS:
            return self.combinator(key, value, path)
        subject = self.subjects.get(key)
        if subject is None:
            return self.fail(path, _unknown_subject(key, self.subjects))
        if not isinstance(value, Mapping):
            value = {"in": value} if isinstance(value, list) else {"equals": value}
        if not value:
            return self.fail(path, f"no operator given for {key!r}")
        tests = [self.operator(subject, str(op), arg, (*path, op)) for op, arg in value.items()]
        return _bind(subject, tests)

    def combinator(self, key: str, value: Any, path: tuple[str | int, ...]) -> Predicate:
        """Compile all/any/not."""
        if key == "not":
            inner = self.condition(value, path)
            return lambda answers, facts: not inner(answers, facts)
        if not isinstance(value, list) or not value:
            return self.fail(path, f"'{key}' needs a non-empty list of conditions")
        parts = [self.condition(item, (*path, i)) for i, item in enumerate(value)]
        if key == "all":
            return lambda answers, facts: all(p(answers, facts) for p in parts)
        return lambda answers, facts: any(p(answers, facts) for p in parts)

    def operator(
        self, subject: Subject, op: str, arg: Any, path: tuple[str | int, ...]
    ) -> Callable[[Any], bool]:
        """Compile one operator of a subject into a test of its value."""
        if op == "answered":
            if not isinstance(arg, bool):
                self.fail(path, "'answered' takes true or false")
            return lambda value: (value is not None) == bool(arg)
        if op in _NUMERIC_OPS:
            return self.numeric(subject, op, arg, path)
        if op == "contains":
            return self.contains(subject, arg, path)
        if op in ("equals", "in", "not_in"):
            return self.membership(subject, op, arg, path)
        self.fail(path, f"unknown operator {op!r}; use one of: {', '.join(_ALL_OPS)}")
        return _never_value

    def numeric(
        self, subject: Subject, op: str, arg: Any, path: tuple[str | int, ...]
    ) -> Callable[[Any], bool]:
        """Compile gt/gte/lt/lte on a number subject, refusing bounds that can never hold."""
        if not subject.type.numeric:
            self.fail(path, f"'{op}' compares numbers, but {subject.key!r} is a {subject.kind}")
            return _never_value
        if isinstance(arg, bool) or not isinstance(arg, (int, float)):
            self.fail(path, f"'{op}' needs a number, not {arg!r}")
            return _never_value
        if not _can_hold(subject, op, float(arg)):
            self.fail(path, f"{subject.key} {op} {arg} can never hold ({_range_text(subject)})")
        compare: Callable[[float, float], bool] = _NUMERIC_OPS[op]
        bound = float(arg)
        return lambda value: value is not None and compare(value, bound)

    def contains(self, subject: Subject, arg: Any, path: tuple[str | int, ...]) -> Callable[[Any], bool]:
        """Compile contains on a multi question."""
        if not subject.type.several:
            self.fail(path, f"'contains' is for multi questions, but {subject.key!r} is a {subject.kind}")
            return _never_value
        wanted = self.option_value(subject, arg, path)
        return lambda value: value is not None and wanted in value

    def membership(
        self, subject: Subject, op: str, arg: Any, path: tuple[str | int, ...]
    ) -> Callable[[Any], bool]:
        """Compile equals/in/not_in on a single-answer subject."""
        items = [arg] if op == "equals" else arg
        if not isinstance(items, list) or not items:
            self.fail(path, f"'{op}' needs a non-empty list")
            return _never_value
        if subject.type.several:
            self.fail(path, f"use 'contains' for the {subject.kind} question {subject.key!r}")
            return _never_value
        allowed = frozenset(self.option_value(subject, item, (*path, i)) for i, item in enumerate(items))
        if op == "not_in":
            return lambda value: value is not None and value not in allowed
        return lambda value: value is not None and value in allowed

    def option_value(self, subject: Subject, arg: Any, path: tuple[str | int, ...]) -> Any:
        """Check one compared value against the subject and return it as answers hold it."""
        try:
            return subject.type.compared(arg, subject.values)
        except ValueError as exc:
            self.fail(path, _not_comparable(subject, arg, str(exc)))
            return arg


def compile_condition(
    raw: Any, subjects: Mapping[str, Subject], locate: Locate, path: tuple[str | int, ...]
) -> tuple[Predicate, list[Problem]]:
    """Check a condition against the known subjects and compile it to a predicate."""
    compiler = _Compiler(subjects, locate)
    predicate = compiler.condition(raw, path)
    return predicate, compiler.problems


def normal_condition(raw: Any, subjects: Mapping[str, Subject]) -> Any:
    """A condition in normal form: each subject mapped to its operators, each compared value as
    answers hold it (yes/no as true/false); all/any/not kept as they are."""
    if not isinstance(raw, Mapping):
        return raw
    normal: dict[str, Any] = {}
    for raw_key, value in raw.items():
        key = str(raw_key)
        if key == "not":
            normal[key] = normal_condition(value, subjects)
        elif key in COMBINATORS:
            normal[key] = [normal_condition(item, subjects) for item in value] if isinstance(value, list) else value
        else:
            normal[key] = _normal_tests(subjects.get(key), value)
    return normal


def _normal_tests(subject: Subject | None, value: Any) -> dict[str, Any]:
    tests = value if isinstance(value, Mapping) else {"in": value} if isinstance(value, list) else {"equals": value}
    if subject is None:
        return {str(op): arg for op, arg in tests.items()}
    return {str(op): _normal_value(subject, str(op), arg) for op, arg in tests.items()}


def _normal_value(subject: Subject, op: str, arg: Any) -> Any:
    if op in ("equals", "contains"):
        return _compared(subject, arg)
    if op in ("in", "not_in") and isinstance(arg, list):
        return [_compared(subject, item) for item in arg]
    return arg


def _compared(subject: Subject, arg: Any) -> Any:
    try:
        return subject.type.compared(arg, subject.values)
    except ValueError:  # reported when the condition was compiled
        return arg


def condition_keys(raw: Any) -> frozenset[str]:
    """The subjects (question ids, level, percent, points) a condition reads."""
    if isinstance(raw, list):
        return frozenset().union(*(condition_keys(item) for item in raw))
    if not isinstance(raw, Mapping):
        return frozenset()
    keys: set[str] = set()
    for key, value in raw.items():
        keys.update(condition_keys(value) if key in COMBINATORS else {str(key)})
    return frozenset(keys)


def _bind(subject: Subject, tests: list[Callable[[Any], bool]]) -> Predicate:
    key = subject.key
    if subject.from_facts:
        return lambda answers, facts: all(test(facts.get(key)) for test in tests)
    if len(tests) == 1:
        test = tests[0]
        return lambda answers, facts: test(answers.get(key))
    return lambda answers, facts: all(test(answers.get(key)) for test in tests)


def _not_comparable(subject: Subject, arg: Any, reason: str) -> str:
    """Why ``arg`` cannot be compared with ``subject``'s answers (``reason``: its kind's words)."""
    kind = subject.type
    if kind.has_options:
        return f"{arg!r} is not an option of {subject.key!r} (options: {', '.join(sorted(subject.values))})"
    if kind.numeric:
        return f"{subject.key!r} is a number; {arg!r} is not"
    return f"{subject.key!r} {reason}"


def _can_hold(subject: Subject, op: str, bound: float) -> bool:
    low = subject.minimum if subject.minimum is not None else float("-inf")
    high = subject.maximum if subject.maximum is not None else float("inf")
    return {
        "gt": bound < high,
        "gte": bound <= high,
        "lt": bound > low,
        "lte": bound >= low,
    }[op]


def _range_text(subject: Subject) -> str:
    return f"{subject.key} runs from {subject.minimum:g} to {subject.maximum:g}"


def _unknown_subject(key: str, subjects: Mapping[str, Subject]) -> str:
    return f"{key!r} is not a question asked before this point{did_you_mean(key, subjects)}"


def _never(answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    return False


def _never_value(value: Any) -> bool:
    return False
