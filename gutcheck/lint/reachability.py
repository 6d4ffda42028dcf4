"""Reachability: every band, suggestion and follow-up question can be reached by some answers.

Each factor is explored exhaustively over the answers that matter to its conditions and bands
(the values conditions mention, and numbers on each side of every cut), so a band that no
answers can reach, or a suggestion whose condition can never hold, is found before a person
meets the gap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.engine.compiled import FactorPart, scorer
from gutcheck.lint.findings import Finding, PathKey, ValueTest
from gutcheck.rulebook import spec
from gutcheck.rulebook.codegen import parts
from gutcheck.rulebook.conditions import COMBINATORS, FACT_KEYS, Subject, compile_condition
from gutcheck.rulebook.model import Factor, Question, RuleBase
from gutcheck.rulebook.samples import number_samples

_NO_FACTS: Mapping[str, Any] = {}
__all__ = ["answer_candidates", "explore_factor", "number_samples", "reach_findings"]


# --- reachability ----------------------------------------------------------------------------


@dataclass
class Reach:
    """What some set of answers reaches in one factor."""

    levels: set[str] = field(default_factory=set)
    points: set[int] = field(default_factory=set)
    percents: set[float | None] = field(default_factory=set)
    suggestions: set[str] = field(default_factory=set)
    shown: set[str] = field(default_factory=set)
    with_alarm: set[str] = field(default_factory=set)  # suggestions given while an alarm stands


def reach_findings(model: spec.RuleBaseSpec, rules: RuleBase) -> Iterator[Finding]:
    conditions = _conditions_by_question(model)
    percents: list[set[float | None]] = []
    for f, (factor_spec, factor) in enumerate(zip(model.factors, rules.factors, strict=True)):
        reach = explore_factor(rules, factor, factor_spec, conditions)
        percents.append(reach.percents)
        yield from _factorreach_findings(f, factor, reach)
    reached = overall_levels(rules, percents)
    for b, band in enumerate(rules.overall.bands):
        if band.level not in reached:
            message = f"no answers reach the overall band {band.level!r} ({_span(band.minimum, band.below, 'percent')})"
            yield Finding(("overall", "bands", b), message)


def _factorreach_findings(index: int, factor: Factor, reach: Reach) -> Iterator[Finding]:
    path: PathKey = ("factors", index)
    for b, band in enumerate(factor.bands.bands):
        if band.level not in reach.levels:
            message = (
                f"no answers reach band {band.level!r} of {factor.id!r} ({_span(band.minimum, band.below, 'points')}); "
                f"answers give {_points_text(reach.points)}"
            )
            yield Finding((*path, "bands", b), message)
    for s, suggestion in enumerate(factor.suggestions):
        if suggestion.id not in reach.suggestions:
            message = f"suggestion {suggestion.id!r} is never given: no answers make its 'when' hold"
            yield Finding((*path, "suggestions", s, "when"), message)
        elif suggestion.hold_for_alarms and suggestion.id in reach.with_alarm:
            message = (
                f"suggestion {suggestion.id!r} is held back for alarms, but some answers give it while an alarm "
                "symptom is reported; add {alarm: false} to its 'when' (with all: [...])"
            )
            yield Finding((*path, "suggestions", s, "when"), message)
    for q, question in enumerate(factor.questions):
        if question.id not in reach.shown:
            message = f"question {question.id!r} is never shown: no earlier answers make its 'show_if' hold"
            yield Finding((*path, "questions", q, "show_if"), message)


def _points_text(points: set[int]) -> str:
    ordered = sorted(points)
    if not ordered:
        return "no score at all"
    if len(ordered) > 10:
        return f"{ordered[0]} to {ordered[-1]} points"
    return ", ".join(str(p) for p in ordered[:-1]) + (" or " if len(ordered) > 1 else "") + f"{ordered[-1]} points"


def _span(minimum: float, below: float | None, unit: str) -> str:
    return f"{unit} {minimum:g} and up" if below is None else f"{unit} {minimum:g} to under {below:g}"


def _conditions_by_question(model: spec.RuleBaseSpec) -> dict[str, list[Any]]:
    """The raw show_if of every question that has one, by question id."""
    found: dict[str, list[Any]] = {}
    for factor in model.factors:
        for question in factor.questions:
            if question.show_if is not None:
                found[question.id] = [question.show_if]
    return found


def condition_atoms(raw: Any) -> Iterator[tuple[str, Any]]:
    """Each ``(subject, test)`` pair inside a raw condition, through all/any/not."""
    if not isinstance(raw, Mapping):
        return
    for key, value in raw.items():
        if key == "not":
            yield from condition_atoms(value)
        elif key in COMBINATORS:
            for item in value if isinstance(value, list) else []:
                yield from condition_atoms(item)
        else:
            yield str(key), value


def explore_factor(
    rules: RuleBase, factor: Factor, factor_spec: spec.FactorSpec, show_ifs: Mapping[str, list[Any]]
) -> Reach:
    """Walk every distinguishable set of answers for ``factor`` and record what it reaches, as
    the rule base's generated scorer scores them (its function for this factor)."""
    whens = [s.when for s in factor_spec.suggestions]
    if factor_spec.instrument is not None:
        whens += [c.when for c in factor_spec.instrument.cutoffs]
    order = _walk_order(rules, factor, [q.show_if for q in factor_spec.questions] + whens, show_ifs)
    atoms = [atom for raw in whens for atom in condition_atoms(raw)]
    atoms += [atom for q in order for raw in show_ifs.get(q.id, []) for atom in condition_atoms(raw)]
    candidates = {q.id: answer_candidates(q, [value for key, value in atoms if key == q.id]) for q in order}
    alarms = frozenset(flag.question.id for flag in rules.red_flags if flag.kind != "risk")
    walker = _Walker(_FactorFunction(rules, factor), order, candidates, alarms)
    walker.walk(0, {}, set(), set())
    return walker.reach


class _FactorFunction:
    """The generated scorer's function of one factor, called with the answers of a walk."""

    def __init__(self, rules: RuleBase, factor: Factor) -> None:
        index = next(k for k, f in enumerate(rules.factors) if f.id == factor.id)
        self.function = scorer(rules)[1].factors[index]
        self.inputs = parts(rules)[index + 1].inputs(rules.questions)
        self.reads_alarm = "alarm" in self.inputs
        self.ids = {f"q{i}": q.id for i, q in enumerate(rules.questions)}

    def __call__(self, shown: Mapping[str, Any], hidden: set[str], alarm: bool) -> FactorPart:
        """The factor's part for these shown answers (None for the rest), ``hidden`` questions and alarm."""
        given: dict[str, Any] = {}
        for name in self.inputs:
            if name == "alarm":
                given[name] = alarm
            elif name.endswith("_shown"):
                given[name] = self.ids[name.removesuffix("_shown")] not in hidden
            else:
                given[name] = shown.get(self.ids[name])
        return self.function(**given)


def _walk_order(
    rules: RuleBase, factor: Factor, raw_conditions: list[Any], show_ifs: Mapping[str, list[Any]]
) -> list[Question]:
    """The factor's questions plus every question its conditions depend on, in quiz order."""
    needed = {q.id for q in factor.questions}
    pending = [key for raw in raw_conditions for key, _ in condition_atoms(raw)]
    while pending:
        key = pending.pop()
        if key in FACT_KEYS or key in needed or key not in rules.by_id:
            continue
        needed.add(key)
        pending.extend(k for raw in show_ifs.get(key, []) for k, _ in condition_atoms(raw))
    return [q for q in rules.questions if q.id in needed]


class _Walker:
    """Depth-first walk over answer candidates, question by question, as the quiz asks them."""

    def __init__(
        self, factor: _FactorFunction, order: list[Question], candidates: Mapping[str, list[Any]],
        alarms: frozenset[str],
    ) -> None:
        self.factor = factor
        self.order = order
        self.candidates = candidates
        self.alarms = alarms  # ids of the alarm red flags: one answered yes means an alarm stands
        self.reach = Reach()

    def walk(self, index: int, shown: dict[str, Any], unanswered: set[str], hidden: set[str]) -> None:
        """Try every candidate answer of the question at ``index``, then of the ones after it."""
        if index == len(self.order):
            self.leaf(shown, hidden)
            return
        question = self.order[index]
        if question.show_if is not None and not question.show_if(shown, _NO_FACTS):
            hidden.add(question.id)
            self.walk(index + 1, shown, unanswered, hidden)
            hidden.discard(question.id)
            return
        self.reach.shown.add(question.id)
        for value in self.candidates[question.id]:
            if value == SKIP:
                unanswered.add(question.id)
            else:
                shown[question.id] = value
            self.walk(index + 1, shown, unanswered, hidden)
            shown.pop(question.id, None)
            unanswered.discard(question.id)

    def leaf(self, shown: dict[str, Any], hidden: set[str]) -> None:
        """Record what one complete answer set reaches (a question declined is not in ``shown``)."""
        # Red flags outside the walk may be answered either way: an alarm may stand or not,
        # unless an alarm flag the walk answered already says it does.
        stands = any(shown.get(flag) is True for flag in self.alarms)
        part = None
        for alarm in (True,) if stands else (False, True):
            if part is None or self.factor.reads_alarm:
                part = self.factor(shown, hidden, alarm)
            found = part.score
            self.reach.percents.add(found.percent)
            if found.level is not None:
                self.reach.levels.add(found.level)
                self.reach.points.add(min(max(found.points, 0), found.reachable))
            given = {s.id for s in part.suggestions}
            self.reach.suggestions |= given
            if alarm:
                self.reach.with_alarm |= given


# --- answer candidates -----------------------------------------------------------------------


def answer_candidates(question: Question, tests: list[Any]) -> list[Any]:
    """One answer for each distinct (points, outcome of every condition test) pair, plus skip."""
    checks = _value_checks(question, tests)
    chosen: dict[tuple[Any, ...], Any] = {}
    for value in _raw_answers(question, _mentioned(tests)):
        signature = (question.points(value), *(check(value) for check in checks))
        chosen.setdefault(signature, value)
    answers = list(chosen.values())
    if question.allow_skip:
        answers.append(SKIP)
    return answers


def _value_checks(question: Question, tests: list[Any]) -> list[ValueTest]:
    numeric = question.type.numeric
    subject = Subject(
        question.id, question.kind, frozenset(o.value for o in question.options),
        question.minimum if numeric else None, question.maximum if numeric else None,
    )
    return [_value_check(question.id, subject, test) for test in tests]


def _value_check(key: str, subject: Subject, test: Any) -> ValueTest:
    """A condition test on one question as a test of a single answer value."""
    predicate, _ = compile_condition({key: test}, {key: subject}, lambda path: "", ())
    return lambda value: predicate({key: value}, _NO_FACTS)


def _mentioned(tests: Iterable[Any]) -> list[Any]:
    """Every scalar a condition test names (option values, numbers)."""
    found: list[Any] = []
    for test in tests:
        if isinstance(test, Mapping):
            found.extend(_mentioned(test.values()))
        elif isinstance(test, list):
            found.extend(_mentioned(test))
        else:
            found.append(test)
    return found


def _raw_answers(question: Question, mentioned: list[Any]) -> Iterable[Any]:
    return question.type.candidates(question, mentioned)


# --- overall ---------------------------------------------------------------------------------


def overall_levels(rules: RuleBase, percents: Sequence[set[float | None]]) -> set[str]:
    """Overall levels some answers reach, from the percents each factor can reach.

    Sums of weight x percent are kept as bits of a big integer per total weight (in tenths),
    so combining factors is a few shifts rather than a product of every combination.
    """
    states: dict[int, int] = {0: 1}
    for factor, reachable in zip(rules.factors, percents, strict=True):
        weight = round(factor.weight * 10)
        steps = {round(p * 10) for p in reachable if p is not None}
        nxt: dict[int, int] = {}
        for total, mask in states.items():
            if None in reachable:
                nxt[total] = nxt.get(total, 0) | mask
            for step in steps:
                nxt[total + weight] = nxt.get(total + weight, 0) | (mask << (weight * step))
        states = nxt
    return {band.level for band in rules.overall.bands if _band_hit(states, band.minimum, band.below)}


def _band_hit(states: Mapping[int, int], minimum: float, below: float | None) -> bool:
    for total, mask in states.items():
        if total == 0:
            continue
        low = math.ceil(minimum * 10 * total - 1e-9)
        window = mask >> low
        if below is not None:
            window &= (1 << max(math.ceil(below * 10 * total - 1e-9) - low, 0)) - 1
        if window:
            return True
    return False
