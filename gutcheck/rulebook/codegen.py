"""The rule base compiled into Python source: the scorer of batch rows and of every assessment.

As fastjsonschema compiles a JSON Schema into a validator, :func:`generate` turns a checked
:class:`~gutcheck.rulebook.model.RuleBase` into the source of a small module; each construct of
the format (a question's visibility and points, a condition, a factor's sums, an instrument,
a suggestion's ``when``, a red flag) emits a few plain lines.

The safety rule: **nothing from a rule file is ever written into the source except as a
literal**, made by :func:`literal` from a checked ``str``, ``bool``, ``int`` or finite ``float``
with :func:`ascii` (a ``repr`` that escapes every non-ASCII character, so the source is plain
ASCII and no quote, newline, backslash or look-alike character can end a literal early).
Every identifier in the source (``v3``, ``s3``, ``r1``, ``P3``) is made by the generator from a
position, never from an id or a text; question ids appear only inside string literals, as keys
of the answers mapping. Whatever a rule file holds, the module only compares, adds and looks up;
tests feed hostile ids and texts and check the module's syntax tree.

The module defines two functions, both closed over helpers from :mod:`gutcheck.engine.compiled`:

- ``make_row(H, pick, cells)``: a row scorer for ``batch``: raw CSV cells in (``pick`` takes
  each question's cell from a record, ``cells`` are dictionaries from cell text to answer), the
  summary fields out (or None: the row takes the general path, where messages are made);
- ``make_trace(H)``: a function from parsed answers to the :class:`~gutcheck.engine.compiled.Trace`
  the full assessment is built from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.engine.ranking import EVIDENCE_ORDER, PRIORITY_ORDER
from gutcheck.rulebook.conditions import condition_keys
from gutcheck.rulebook.model import Factor, Question, RuleBase, Suggestion

COMBINATORS = ("all", "any", "not")
NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
FACTS = {"level": "lvl", "percent": "pct", "points": "pts", "screen": "scr"}
PLACES = 1024  # suggestions a rule base may have: a suggestion's place is the low bits of its rank key
WEIGHT_BITS = 64


def rank_key(priority: int, evidence: int, place: int) -> int:
    """The static part of a suggestion's rank key; a factor entry's ``[6]`` is subtracted from it.

    The key orders as (priority, evidence, weighted descending, place) does: the weighted
    score's IEEE-754 bits (a non-negative float's bits order as its value) sit between the
    grades and the place, and the place is the key's lowest bits.
    """
    return ((priority * 8 + evidence) << (WEIGHT_BITS + 11)) + (((1 << WEIGHT_BITS) - 1) << 10) + place


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


class _Emitter:
    """Source lines with indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Generator:
    """Emits the module for one rule base; names come from positions only."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.index = {q.id: i for i, q in enumerate(rules.questions)}
        self.owner = {q.id: k for k, f in enumerate(rules.factors) for q in f.questions}
        self.items = {
            q.id: k for k, f in enumerate(rules.factors) if f.instrument is not None
            for q in f.questions if q.id in f.instrument.items
        }
        self.out = _Emitter()
        self.read = _read(rules)
        if any(f.weight < 0 for f in rules.factors) or sum(len(f.suggestions) for f in rules.factors) > PLACES:
            raise CodegenError("negative weights or too many suggestions to rank by integer keys")

    # ----------------------------------------------------------------------- conditions

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
            return FACTS[key], "number" if key in ("percent", "points") else "choice"
        if key not in self.index:
            raise CodegenError("a condition names an unknown subject")
        return f"s{self.index[key]}", self.rules.questions[self.index[key]].kind

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

    # ----------------------------------------------------------------------- constants

    def constants(self, depth: int) -> None:
        """Per-question point tables, factor tables and suggestion records."""
        emit = self.out
        for i, q in enumerate(self.rules.questions):
            if q.kind in ("choice", "scale", "multi"):
                table = ", ".join(f"{literal(o.value)}: {literal(o.points)}" for o in q.options)
                emit(depth, f"P{i} = {{{table}}}")
            if q.kind == "multi":
                emit(depth, f"M{i} = H.multi_points(P{i})")
            if q.kind == "number":
                emit(depth, f"B{i} = {literals(float(b) for b in q.bounds)}")
                emit(depth, f"R{i} = {literals(q.range_points)}")
        for k in range(len(self.rules.factors)):
            emit(depth, f"E{k}, F{k}, K{k} = H.factor_entry({k})")
        emit(depth, "OV, OK = H.overalls, H.overall_key")
        emit(depth, "top_ids, overall, bisect, SKIP = H.top_ids, H.overall, H.bisect, H.SKIP")

    def weights(self) -> tuple[int, ...]:
        from gutcheck.engine.exact import WeightedMean

        return WeightedMean(f.weight for f in self.rules.factors).weights

    def points(self, var: str, i: int, q: Question) -> str:
        """The points expression of question ``i`` for its answer in ``var``."""
        if q.kind in ("choice", "scale"):
            return f"P{i}[{var}]"
        if q.kind == "multi":
            return f"M{i}({var})"
        if q.kind == "yesno":
            return f"({literal(q.yes_points)} if {var} else {literal(q.no_points)})"
        return f"R{i}[bisect(B{i}, {var})]"

    # ----------------------------------------------------------------------- the walk

    def walk(self, depth: int, detail: bool) -> None:
        """Visibility, points and sums, question by question in the rule base's order.

        A factor's reachable points start at its full maximum; a question shown but left
        blank takes its maximum off (a hidden one does not apply: no risk, still reachable).
        """
        emit = self.out
        for k, factor in enumerate(self.rules.factors):
            emit(depth, f"r{k} = a{k} = t{k} = 0; n{k} = {literal(factor.max_points)}; i{k} = False")
        for i, q in enumerate(self.rules.questions):
            self.question(depth, i, q, detail)

    def question(self, depth: int, i: int, q: Question, detail: bool) -> None:
        """One question: ``s{i}`` its shown answer (or None), where a condition reads it."""
        emit, k = self.out, self.owner.get(q.id)
        keep = detail or q.id in self.read
        inner = depth
        if q.show_if_data is not None:
            emit(depth, f"if {self.condition(q.show_if_data)}:")
            inner = depth + 1
        same = "is" if not detail and all(o.value != SKIP for o in q.options) else "=="
        emit(inner, f"if v{i} is None or v{i} {same} SKIP:" if q.allow_skip else f"if v{i} is None:")
        blank = ([f"s{i} = None"] if keep else []) + ([f"blank.append({i})"] if detail else [])
        if k is not None and q.max_points:
            blank.append(f"n{k} -= {literal(q.max_points)}")
        shown = [f"s{i} = v{i}"] if keep else []
        if k is not None:
            points = self.points(f"v{i}", i, q)
            if q.id in self.items:
                shown += [f"p = {points}", f"r{k} += p; a{k} = 1", f"t{k} += p; i{k} = True"]
            elif all(p == 0 for p in _points(q)):
                shown.append(f"a{k} = 1")
            else:
                shown.append(f"r{k} += {points}; a{k} = 1")
        for line in blank or ["pass"]:
            emit(inner + 1, line)
        emit(inner, "else:")
        for line in shown or ["pass"]:
            emit(inner + 1, line)
        if q.show_if_data is not None and keep:
            emit(depth, "else:")
            emit(depth + 1, f"s{i} = None")

    def factor(self, depth: int, k: int, factor: Factor, first: int) -> None:
        """Factor ``k``'s entry, its instrument's screen and the suggestions that apply."""
        emit = self.out
        emit(depth, f"e{k} = E{k}.get(r{k} * K{k} + n{k} + n{k} + a{k})")
        emit(depth, f"if e{k} is None:")
        emit(depth + 1, f"e{k} = F{k}(r{k}, n{k}, a{k})")
        emit(depth, f"lvl = e{k}[3]; pct = e{k}[4]; pts = r{k}; scr = None; cut{k} = -1")
        instrument = factor.instrument
        if instrument is not None:
            emit(depth, f"if i{k}:")
            emit(depth + 1, "pass")
            for c, cutoff in enumerate(instrument.cutoffs):
                test = "True" if cutoff.when_data is None else self.condition(cutoff.when_data)
                emit(depth + 1, f"{'if' if c == 0 else 'elif'} {test}:")  # the first that holds
                emit(depth + 2, f"cut{k} = {c}")
                emit(depth + 2, f"scr = 'positive' if t{k} >= {literal(cutoff.at_least)} else 'negative'")
        facts = frozenset(["level", "percent", "points"] + (["screen"] if instrument is not None else []))
        for j, suggestion in enumerate(factor.suggestions):
            test = "True" if suggestion.when_data is None else self.condition(suggestion.when_data, facts)
            emit(depth, f"if {test}:")
            emit(depth + 1, f"found.append({literal(self.rank_key(first + j, suggestion))} - e{k}[6])")

    def rank_key(self, place: int, suggestion: Suggestion) -> int:
        """The static part of a suggestion's rank: smaller first (see :func:`rank_key`)."""
        return rank_key(PRIORITY_ORDER.get(suggestion.priority, 1), EVIDENCE_ORDER.get(suggestion.evidence, 5), place)

    def scores(self, depth: int) -> None:
        """Every factor, the overall mean and the ranked suggestions."""
        emit, first = self.out, 0
        emit(depth, "found = []")
        for k, factor in enumerate(self.rules.factors):
            self.factor(depth, k, factor, first)
            first += len(factor.suggestions)
        emit(depth, "total = weights = 0")
        for k, weight in enumerate(self.weights()):
            emit(depth, f"if e{k}[1] is not None:")
            emit(depth + 1, f"total += e{k}[8]; weights += {literal(weight)}")

    def flags(self, depth: int, detail: bool) -> None:
        """The red flags answered yes (with detail: and the urgency rule that holds, -1: none)."""
        emit = self.out
        emit(depth, "flags = []")
        for flag in self.rules.red_flags:
            i, name = self.index[flag.question.id], literal(flag.question.id)
            emit(depth, f"if s{i} is True:")
            if not detail:
                emit(depth + 1, f"flags.append({name})")
                continue
            emit(depth + 1, "u = -1")
            for c, rule in enumerate(flag.urgency_if):
                emit(depth + 1, f"{'if' if c == 0 else 'elif'} {self.condition(rule.when_data)}:")
                emit(depth + 2, f"u = {c}")
            emit(depth + 1, f"flags.append(({name}, u))")

    def top_factor(self, depth: int) -> None:
        """The scored factor with a percent above 0 that weighs most (the first on ties)."""
        emit = self.out
        emit(depth, "top = None; best = -1.0")  # e[7]: the weighted score, -1.0 unless percent > 0
        for k, factor in enumerate(self.rules.factors):
            emit(depth, f"if e{k}[7] > best:")
            emit(depth + 1, f"top = {literal(factor.id)}; best = e{k}[7]")

    def factors_tuple(self) -> str:
        return "(" + "".join(f"e{k}, " for k in range(len(self.rules.factors))) + ")"

    # ----------------------------------------------------------------------- the functions

    def row(self) -> None:
        """``make_row``: raw cells in, summary fields out; None sends the row the general way."""
        emit, count = self.out, len(self.rules.questions)
        emit(0, "def make_row(H, pick, cells):")
        emit(1, "NotScored = H.NotScored")
        emit(1, "".join(f"d{i}, " for i in range(count)) + "= cells")
        self.constants(1)
        emit(1, "def row(record):")
        emit(2, "".join(f"c{i}, " for i in range(count)) + "= pick(record)")
        emit(2, "try:")
        for i in range(count):
            emit(3, f"v{i} = d{i}[c{i}]")
        emit(2, "except NotScored:")
        emit(3, "return None")
        emit(2, "if " + " and ".join(f"v{i} is None" for i in range(count)) + ":")
        emit(3, "return None")
        self.walk(2, detail=False)
        self.scores(2)
        self.flags(2, detail=False)
        self.top_factor(2)
        triples = "(" + "".join(f"e{k}[0], " for k in range(len(self.rules.factors))) + ")"
        emit(2, "ov = OV.get(total * OK + weights)")
        emit(2, "if ov is None:")
        emit(3, "ov = overall(total, weights)")
        emit(2, f"return {triples}, ov, flags, top, top_ids(found)")
        emit(1, "return row")

    def trace(self) -> None:
        """``make_trace``: parsed answers in, everything the full assessment is built from."""
        emit, count = self.out, len(self.rules.questions)
        emit(0, "def make_trace(H):")
        self.constants(1)
        emit(1, "Trace = H.Trace")
        emit(1, "def trace(answers):")
        emit(2, "get = answers.get")
        for i, q in enumerate(self.rules.questions):
            emit(2, f"v{i} = get({literal(q.id)})")
        emit(2, "blank = []")
        self.walk(2, detail=True)
        self.scores(2)
        self.flags(2, detail=True)
        shown = "(" + "".join(f"s{i}, " for i in range(count)) + ")"
        cuts = "(" + "".join(f"cut{k}, " for k in range(len(self.rules.factors))) + ")"
        counts = "(" + "".join(f"(r{k}, n{k}, a{k}, t{k}, i{k}), " for k in range(len(self.rules.factors))) + ")"
        emit(2, f"return Trace({shown}, blank, {self.factors_tuple()}, {counts}, {cuts}, "
                "overall(total, weights), flags, found)")
        emit(1, "return trace")


def generate(rules: RuleBase) -> str:
    """The source of the scoring module of ``rules`` (raises :class:`CodegenError` if it cannot)."""
    generator = _Generator(rules)
    generator.out(0, "# Generated by gutcheck from a checked rule base; every rule-file value is a literal.")
    generator.row()
    generator.trace()
    return generator.out.text()


def _points(q: Question) -> list[int]:
    """Every number of points an answer to ``q`` can add."""
    if q.kind == "yesno":
        return [q.yes_points, q.no_points]
    if q.kind == "number":
        return list(q.range_points)
    return [o.points for o in q.options]


def _read(rules: RuleBase) -> set[str]:
    """Ids of questions some condition reads, and the red flags (their answers are reported)."""
    conditions = [q.show_if_data for q in rules.questions]
    conditions += [s.when_data for f in rules.factors for s in f.suggestions]
    conditions += [c.when_data for f in rules.factors if f.instrument for c in f.instrument.cutoffs]
    conditions += [u.when_data for rf in rules.red_flags for u in rf.urgency_if]
    keys = set().union(*(condition_keys(c) for c in conditions if c is not None))
    return keys | {rf.question.id for rf in rules.red_flags}


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

