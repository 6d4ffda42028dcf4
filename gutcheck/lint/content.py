"""Content lint of a rule base: what ``validate`` cannot see but an author should fix.

``gutcheck rules validate`` says a rule base can be used; lint says whether it is fit to
publish: every factor, suggestion and red flag cites a source and every source is cited;
identifiers have the right shape and links use https; suggestions are graded like their
sources; texts are free of hype; and every band, suggestion and question can actually be
reached by some set of answers. Every finding is located ``file:line:column``.

Reachability is decided by walking every answer combination of one factor at a time, with
the questions its conditions mention from elsewhere. Answers that score the same and that
no condition can tell apart are walked once, which keeps the walk small.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gutcheck.answers.parse import SKIP
from gutcheck.engine.scoring import score_factor
from gutcheck.errors import Problem
from gutcheck.rulebook import spec
from gutcheck.rulebook.conditions import COMBINATORS, FACT_KEYS, Subject, compile_condition
from gutcheck.rulebook.loading import LoadedRules
from gutcheck.rulebook.model import Factor, Question, RuleBase

PathKey = tuple[str | int, ...]
ValueTest = Callable[[Any], bool]

HYPE = re.compile(r"\b(cures?|cured|detox\w*|miracles?|miraculous|heal (?:your|the) gut|guaranteed?)\b", re.I)
_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "a DOI looks like 10.1136/gut.27.11.1292, without a link in front"),
    "pmid": (re.compile(r"^[1-9]\d{0,8}$"), 'a PMID is digits only, such as "24153250"'),
    "pmcid": (re.compile(r"^PMC\d+$"), "a PMCID is PMC followed by digits, such as PMC4253991"),
}
_MULTI_SPLIT = re.compile(r";|,\s|\n")
_NO_FACTS: Mapping[str, Any] = {}


@dataclass(frozen=True)
class Finding:
    """A lint finding at a place in the rule-base data (``key`` points at the key itself)."""

    path: PathKey
    message: str
    key: bool = False


def lint_rules(loaded: LoadedRules) -> list[Problem]:
    """Every lint finding of a checked rule base, located and in file order."""
    model, rules = loaded.model, loaded.rules
    findings = [
        *_citation_findings(model),
        *_identifier_findings(model),
        *_evidence_findings(model),
        *_text_findings(model),
        *_reach_findings(model, rules),
    ]
    located = [(loaded.source.locate(f.path, key=f.key), f.message) for f in findings]
    located.sort(key=lambda item: (item[0].line or 0, item[0].column or 0))
    return [Problem(str(where), message) for where, message in located]


# --- sources ---------------------------------------------------------------------------------


def _citation_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    cited: set[str] = set()
    for f, factor in enumerate(model.factors):
        if not factor.references:
            message = f"factor {factor.id!r} cites no source; list its sources under 'references'"
            yield Finding(("factors", f, "id"), message)
        cited.update(factor.references)
        for suggestion in factor.suggestions:
            cited.update(suggestion.references)
    for i, flag in enumerate(model.red_flags):
        if not flag.references:
            message = f"red flag {flag.id!r} cites no source; name the guideline its advice follows"
            yield Finding(("red_flags", i, "id"), message)
        cited.update(flag.references)
    for ref_id in model.references:
        if ref_id not in cited:
            message = f"reference {ref_id!r} is never cited; cite it from a factor, suggestion or red flag, or drop it"
            yield Finding(("references", ref_id), message, key=True)


def _identifier_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for ref_id, ref in model.references.items():
        for name, (pattern, shape) in _SHAPES.items():
            value = getattr(ref, name)
            if value is not None and not pattern.match(value):
                yield Finding(("references", ref_id, name), f"{ref_id}: {name} {value!r} has the wrong shape; {shape}")
        if ref.url is not None and not _is_https(ref.url):
            message = f"{ref_id}: link {ref.url!r} is not an https address; use https://"
            yield Finding(("references", ref_id, "url"), message)


def _is_https(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in url.strip())


def _evidence_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for f, factor in enumerate(model.factors):
        for s, suggestion in enumerate(factor.suggestions):
            kinds = {model.references[r].kind for r in suggestion.references if r in model.references}
            if kinds and suggestion.evidence not in kinds:
                message = (
                    f"suggestion {suggestion.id!r} is graded {suggestion.evidence!r}, but its sources are "
                    f"{', '.join(sorted(kinds))}; grade it by what its sources show"
                )
                yield Finding(("factors", f, "suggestions", s, "evidence"), message)


# --- texts -----------------------------------------------------------------------------------


def _text_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for path, text in _texts(model):
        if not text.strip():
            yield Finding(path, "this text is blank; write what a person should read here")
        hype = list(dict.fromkeys(m.group(0) for m in HYPE.finditer(text)))
        if hype:
            words = ", ".join(repr(word) for word in hype)
            yield Finding(path, f"hype ({words}); say plainly what the evidence shows")
    for path, label in _multi_labels(model):
        if _MULTI_SPLIT.search(label):
            message = f"option label {label!r} has ',' or ';', which split answers typed as text; reword it"
            yield Finding(path, message)


def _texts(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    yield ("title",), model.title
    yield ("disclaimer",), model.disclaimer
    for i, flag in enumerate(model.red_flags):
        yield ("red_flags", i, "ask"), flag.ask
        yield ("red_flags", i, "advice"), flag.advice
    for f, factor in enumerate(model.factors):
        path: PathKey = ("factors", f)
        yield (*path, "title"), factor.title
        yield (*path, "explanation"), factor.explanation
        yield from _question_texts(factor, path)
        yield from _fields(factor.bands, (*path, "bands"), ("summary",))
        yield from _fields(factor.suggestions, (*path, "suggestions"), ("text", "why", "caution"))
    yield from _fields(model.overall.bands, ("overall", "bands"), ("summary",))


def _question_texts(factor: spec.FactorSpec, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    yield from _fields(factor.questions, (*path, "questions"), ("ask", "help"))
    for q, question in enumerate(factor.questions):
        options = getattr(question, "options", [])
        yield from _fields(options, (*path, "questions", q, "options"), ("label",))


def _fields(items: Sequence[Any], path: PathKey, names: tuple[str, ...]) -> Iterator[tuple[PathKey, str]]:
    for i, item in enumerate(items):
        for name in names:
            value = getattr(item, name)
            if isinstance(value, str):
                yield (*path, i, name), value


def _multi_labels(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    for f, factor in enumerate(model.factors):
        for q, question in enumerate(factor.questions):
            if isinstance(question, spec.MultiQuestion):
                for o, option in enumerate(question.options):
                    yield ("factors", f, "questions", q, "options", o, "label"), option.label


# --- reachability ----------------------------------------------------------------------------


@dataclass
class Reach:
    """What some set of answers reaches in one factor."""

    levels: set[str] = field(default_factory=set)
    points: set[int] = field(default_factory=set)
    percents: set[float | None] = field(default_factory=set)
    suggestions: set[str] = field(default_factory=set)
    shown: set[str] = field(default_factory=set)


def _reach_findings(model: spec.RuleBaseSpec, rules: RuleBase) -> Iterator[Finding]:
    conditions = _conditions_by_question(model)
    percents: list[set[float | None]] = []
    for f, (factor_spec, factor) in enumerate(zip(model.factors, rules.factors, strict=True)):
        reach = explore_factor(rules, factor, factor_spec, conditions)
        percents.append(reach.percents)
        yield from _factor_reach_findings(f, factor, reach)
    reached = overall_levels(rules, percents)
    for b, band in enumerate(rules.overall.bands):
        if band.level not in reached:
            message = f"no answers reach the overall band {band.level!r} ({_span(band.minimum, band.below, 'percent')})"
            yield Finding(("overall", "bands", b), message)


def _factor_reach_findings(index: int, factor: Factor, reach: Reach) -> Iterator[Finding]:
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
    """Walk every distinguishable set of answers for ``factor`` and record what it reaches."""
    whens = [s.when for s in factor_spec.suggestions]
    order = _walk_order(rules, factor, [q.show_if for q in factor_spec.questions] + whens, show_ifs)
    atoms = [atom for raw in whens for atom in condition_atoms(raw)]
    atoms += [atom for q in order for raw in show_ifs.get(q.id, []) for atom in condition_atoms(raw)]
    candidates = {q.id: answer_candidates(q, [value for key, value in atoms if key == q.id]) for q in order}
    walker = _Walker(factor, order, candidates)
    walker.walk(0, {}, set())
    return walker.reach


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

    def __init__(self, factor: Factor, order: list[Question], candidates: Mapping[str, list[Any]]) -> None:
        self.factor = factor
        self.order = order
        self.candidates = candidates
        self.reach = Reach()

    def walk(self, index: int, shown: dict[str, Any], unanswered: set[str]) -> None:
        """Try every candidate answer of the question at ``index``, then of the ones after it."""
        if index == len(self.order):
            self.leaf(shown, unanswered)
            return
        question = self.order[index]
        if question.show_if is not None and not question.show_if(shown, _NO_FACTS):
            self.walk(index + 1, shown, unanswered)
            return
        self.reach.shown.add(question.id)
        for value in self.candidates[question.id]:
            if value == SKIP:
                unanswered.add(question.id)
            else:
                shown[question.id] = value
            self.walk(index + 1, shown, unanswered)
            shown.pop(question.id, None)
            unanswered.discard(question.id)

    def leaf(self, shown: dict[str, Any], unanswered: set[str]) -> None:
        """Record what one complete answer set reaches."""
        result = score_factor(self.factor, shown, unanswered)
        self.reach.percents.add(result.percent)
        if result.level is not None:
            self.reach.levels.add(result.level)
            self.reach.points.add(min(max(result.raw, 0), result.max))
        facts = {"level": result.level, "percent": result.percent, "points": result.raw}
        for suggestion in self.factor.suggestions:
            if suggestion.id not in self.reach.suggestions and (
                suggestion.when is None or suggestion.when(shown, facts)
            ):
                self.reach.suggestions.add(suggestion.id)


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
    subject = Subject(
        question.id, question.kind, frozenset(o.value for o in question.options),
        question.minimum if question.kind == "number" else None,
        question.maximum if question.kind == "number" else None,
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
    if question.kind in ("choice", "scale"):
        return [o.value for o in question.options]
    if question.kind == "yesno":
        return [True, False]
    if question.kind == "multi":
        return _multi_answers(question, {str(m) for m in mentioned})
    cuts = [*question.bounds, *(m for m in mentioned if isinstance(m, (int, float)) and not isinstance(m, bool))]
    return number_samples(question.minimum, question.maximum, cuts, integer=question.integer)


def number_samples(minimum: float, maximum: float, cuts: Iterable[float], *, integer: bool) -> list[float]:
    """Numbers from every stretch between the cut points in ``minimum..maximum``, and the cuts."""
    points = sorted({minimum, maximum, *(float(c) for c in cuts if minimum <= c <= maximum)})
    samples = set(points) | {(a + b) / 2 for a, b in itertools.pairwise(points)}
    if integer:
        samples = {float(n) for s in samples for n in (math.floor(s), math.ceil(s)) if minimum <= n <= maximum}
    return sorted(samples)


def _multi_answers(question: Question, mentioned: set[str]) -> Iterator[tuple[str, ...]]:
    """Pick sets that differ in the options conditions name or in points; others are alike."""
    plain = [o for o in question.options if not o.exclusive]
    named = [o for o in plain if o.value in mentioned]
    groups: dict[int, list[str]] = {}
    for option in plain:
        if option.value not in mentioned:
            groups.setdefault(option.points, []).append(option.value)
    named_choices = [((), (o.value,)) for o in named]
    group_choices = [[tuple(values[:n]) for n in range(len(values) + 1)] for values in groups.values()]
    for parts in itertools.product(*named_choices, *group_choices):
        picked = {value for part in parts for value in part}
        yield from _if_allowed(question, picked)
    if question.min_picks <= 1:
        yield from ((o.value,) for o in question.options if o.exclusive)


def _if_allowed(question: Question, picked: set[str]) -> Iterator[tuple[str, ...]]:
    too_many = question.max_picks is not None and len(picked) > question.max_picks
    if question.min_picks <= len(picked) and not too_many:
        yield tuple(o.value for o in question.options if o.value in picked)


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


__all__ = [
    "HYPE", "Finding", "Reach", "answer_candidates", "condition_atoms", "explore_factor", "lint_rules",
    "number_samples", "overall_levels",
]
