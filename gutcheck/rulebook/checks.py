"""Cross checks of a rule base that a per-field model cannot make.

Duplicate and reserved ids, references to unknown sources, number ranges, pick limits, and
bands that overlap, leave a gap or do not cover every reachable score. Each problem is located.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.errors import Problem
from gutcheck.files.yaml_located import SourceMap
from gutcheck.rulebook import spec
from gutcheck.rulebook.conditions import COMBINATORS, FACT_KEYS
from gutcheck.rulebook.kinds import CHOICE
from gutcheck.rulebook.model import RuleBase

PathKey = tuple[str | int, ...]
_RESERVED_IDS = COMBINATORS | FACT_KEYS


def check_rule_base(model: spec.RuleBaseSpec, rule_base: RuleBase, source: SourceMap) -> list[Problem]:
    """Every cross-check problem of a rule base that passed the format model."""
    found: list[tuple[PathKey, str]] = [
        *_duplicate_ids(model),
        *_unknown_references(model),
        *_question_shapes(model),
        *_band_problems(model, rule_base),
        *_about_problems(model),
        *_instrument_problems(model, rule_base),
    ]
    return [Problem(str(source.locate(path)), message) for path, message in found]


def _all_questions(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, Any]]:
    yield from _scored_questions(model)
    for i, question in enumerate(model.about):
        yield ("about", i), question


def _scored_questions(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, Any]]:
    for i, flag in enumerate(model.red_flags):
        yield ("red_flags", i), flag
    for f, factor in enumerate(model.factors):
        for q, question in enumerate(factor.questions):
            yield ("factors", f, "questions", q), question


def _duplicates(items: Sequence[tuple[PathKey, str]], what: str) -> Iterator[tuple[PathKey, str]]:
    seen: dict[str, PathKey] = {}
    for path, value in items:
        if value in seen:
            yield (*path, "id"), f"duplicate {what} {value!r} (first used at an earlier entry)"
        seen.setdefault(value, path)


def _duplicate_ids(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    factors = [(("factors", i), f.id) for i, f in enumerate(model.factors)]
    yield from _duplicates(factors, "factor id")
    questions = [(path, q.id) for path, q in _all_questions(model)]
    yield from _duplicates(questions, "question id")
    for path, qid in questions:
        if qid in _RESERVED_IDS:
            yield (*path, "id"), f"{qid!r} is a reserved word in conditions; choose another id"
    suggestions = [
        (("factors", f, "suggestions", s), sug.id)
        for f, factor in enumerate(model.factors)
        for s, sug in enumerate(factor.suggestions)
    ]
    yield from _duplicates(suggestions, "suggestion id")
    yield from _option_duplicates(model)


def _option_duplicates(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    for path, question in _all_questions(model):
        options = getattr(question, "options", [])
        values = [((*path, "options", i), o.value) for i, o in enumerate(options)]
        for dup_path, message in _duplicates(values, "option value"):
            yield (*dup_path[:-1], "value"), message
        labels = [((*path, "options", i), o.label.casefold()) for i, o in enumerate(options)]
        for dup_path, _ in _duplicates(labels, "option label"):
            yield (*dup_path[:-1], "label"), "duplicate option label in this question"
        for i, option in enumerate(options):
            if option.value == SKIP:
                yield (*path, "options", i, "value"), f"{SKIP!r} is reserved; use allow_skip instead"


def _unknown_references(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    known = set(model.references)
    holders: list[tuple[PathKey, list[str]]] = [
        (("red_flags", i), rf.references) for i, rf in enumerate(model.red_flags)
    ]
    for f, factor in enumerate(model.factors):
        holders.append((("factors", f), factor.references))
        if factor.instrument is not None:
            holders.append((("factors", f, "instrument"), factor.instrument.references))
        holders.extend(
            (("factors", f, "suggestions", s), sug.references) for s, sug in enumerate(factor.suggestions)
        )
    for path, refs in holders:
        for i, ref in enumerate(refs):
            if ref not in known:
                yield (*path, "references", i), f"unknown reference {ref!r}; add it under 'references'"


def _question_shapes(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    for path, question in _scored_questions(model):
        if isinstance(question, spec.NumberQuestion):
            yield from _number_shape(path, question)
        if isinstance(question, spec.MultiQuestion):
            yield from _multi_shape(path, question)
        elif hasattr(question, "options"):
            for i, option in enumerate(question.options):
                if option.exclusive:
                    yield (*path, "options", i, "exclusive"), "'exclusive' only applies to multi questions"


def _number_shape(path: PathKey, question: spec.NumberQuestion) -> Iterator[tuple[PathKey, str]]:
    if question.min >= question.max:
        yield (*path, "max"), f"max ({question.max:g}) must be greater than min ({question.min:g})"
    bounds = [r.below for r in question.ranges]
    if bounds[-1] is not None:
        yield (*path, "ranges", len(bounds) - 1), "the last range must have no 'below' (it takes the rest)"
    inner = bounds[:-1]
    for i, below in enumerate(inner):
        if below is None:
            yield (*path, "ranges", i), "only the last range may leave out 'below'"
        elif i and inner[i - 1] is not None and below <= inner[i - 1]:  # type: ignore[operator]
            yield (*path, "ranges", i, "below"), "range bounds must increase"


def _multi_shape(path: PathKey, question: spec.MultiQuestion) -> Iterator[tuple[PathKey, str]]:
    count = len(question.options)
    if question.max_picks is not None and question.max_picks > count:
        yield (*path, "max_picks"), f"max_picks ({question.max_picks}) exceeds the {count} options"
    if question.max_picks is not None and question.min_picks > question.max_picks:
        yield (*path, "min_picks"), "min_picks is greater than max_picks"
    if question.min_picks > count:
        yield (*path, "min_picks"), f"min_picks ({question.min_picks}) exceeds the {count} options"


def _band_problems(model: spec.RuleBaseSpec, rule_base: RuleBase) -> Iterator[tuple[PathKey, str]]:
    for f, (factor, compiled) in enumerate(zip(model.factors, rule_base.factors, strict=True)):
        yield from check_bands(factor.bands, compiled.max_points, ("factors", f, "bands"), "points")
    yield from check_bands(model.overall.bands, 100, ("overall", "bands"), "percent")


def check_bands(
    bands: list[spec.BandSpec], top: float, path: PathKey, unit: str
) -> Iterator[tuple[PathKey, str]]:
    """Bands must start at 0, run on without gaps or overlaps, and cover up to ``top``."""
    levels = [((*path, i), b.level) for i, b in enumerate(bands)]
    for dup_path, _ in _duplicates(levels, "level"):
        yield (*dup_path[:-1], "level"), "duplicate level name in these bands"
    expected = 0.0
    for i, band in enumerate(bands):
        start = band.min if band.min is not None else expected
        where = (*path, i)
        if i == 0 and start > 0:
            yield (*where, "min"), f"the first band starts at {start:g}, so {unit} from 0 fall in no band"
        elif start > expected:
            yield (*where, "min"), f"gap: {unit} from {expected:g} to {start:g} fall in no band"
        elif i and start < expected:
            yield (*where, "min"), f"overlap: this band starts at {start:g}, before the previous ends at {expected:g}"
        last = i == len(bands) - 1
        if band.below is None and not last:
            yield where, "only the last band may leave out 'below'"
            return
        if band.below is not None and band.below <= start:
            yield (*where, "below"), f"empty band: 'below' ({band.below:g}) must be above {start:g}"
        if last and band.below is not None and band.below <= top:
            message = f"{unit} from {band.below:g} to {top:g} fall in no band; drop 'below' on the last band"
            yield (*where, "below"), message
        expected = band.below if band.below is not None else expected


def _about_problems(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    """About questions are choice questions with at least two options, all worth 0 points."""
    for i, question in enumerate(model.about):
        path: PathKey = ("about", i)
        if question.type != CHOICE.name:
            yield (*path, "type"), "about questions are choice questions; use type: choice"
        if len(question.options) < 2:
            yield (*path, "options"), "an about question needs at least two options"
        for o, option in enumerate(question.options):
            if option.points != 0:
                message = "about questions are never scored: give this option 0 points (or leave points out)"
                yield (*path, "options", o, "points"), message


def _instrument_problems(model: spec.RuleBaseSpec, rule_base: RuleBase) -> Iterator[tuple[PathKey, str]]:
    """An instrument's items are questions of its factor; its cut-offs fit its total."""
    for f, (factor, compiled) in enumerate(zip(model.factors, rule_base.factors, strict=True)):
        instrument = factor.instrument
        if instrument is None:
            continue
        path: PathKey = ("factors", f, "instrument")
        points = {q.id: q.max_points for q in compiled.questions}
        for i, item in enumerate(instrument.items):
            if item not in points:
                message = f"{item!r} is not a question of the factor {factor.id!r} (its questions: {', '.join(points)})"
                yield (*path, "items", i), message
        yield from _duplicates([((*path, "items", i), item) for i, item in enumerate(instrument.items)], "item")
        top = sum(points.get(item, 0) for item in set(instrument.items))
        yield from _cutoff_problems(instrument, top, path)


def _cutoff_problems(instrument: spec.InstrumentSpec, top: int, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    for i, cutoff in enumerate(instrument.cutoffs):
        if cutoff.at_least is not None and not 1 <= cutoff.at_least <= top:
            message = f"at_least must be from 1 to {top}, the most {instrument.name} can total"
            yield (*path, "cutoffs", i, "at_least"), message
    last = len(instrument.cutoffs) - 1
    if instrument.cutoffs[last].at_least is None:
        message = "the last cut-off must have 'at_least': the one that applies when no other does gives a screen result"
        yield (*path, "cutoffs", last, "label"), message
    if instrument.cutoffs[last].when is not None:
        message = "the last cut-off must have no 'when', so that one always applies (say why in its label)"
        yield (*path, "cutoffs", last), message
    for i, cutoff in enumerate(instrument.cutoffs[:last]):
        if cutoff.when is None:
            yield (*path, "cutoffs", i), "only the last cut-off may leave out 'when'; the ones after it are never used"
