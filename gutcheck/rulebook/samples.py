"""Answers that tell outcomes apart, for the lint's exhaustive walk: numbers in every stretch
between cut points, and pick sets that differ in what conditions name or in points."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol


class _Option(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def points(self) -> int: ...
    @property
    def exclusive(self) -> bool: ...


class Picks(Protocol):
    """A question whose answer is a set of options, within pick limits."""

    @property
    def options(self) -> Sequence[_Option]: ...
    @property
    def min_picks(self) -> int: ...
    @property
    def max_picks(self) -> int | None: ...


def number_samples(minimum: float, maximum: float, cuts: Iterable[float], *, integer: bool) -> list[float]:
    """Numbers from every stretch between the cut points in ``minimum..maximum``, and the cuts."""
    points = sorted({minimum, maximum, *(float(c) for c in cuts if minimum <= c <= maximum)})
    samples = set(points) | {(a + b) / 2 for a, b in itertools.pairwise(points)}
    if integer:
        samples = {float(n) for s in samples for n in (math.floor(s), math.ceil(s)) if minimum <= n <= maximum}
    return sorted(samples)


def pick_sets(question: Picks, mentioned: set[str]) -> Iterator[tuple[str, ...]]:
    """Allowed pick sets that differ in the ``mentioned`` options or in points; others are alike."""
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
        too_many = question.max_picks is not None and len(picked) > question.max_picks
        if question.min_picks <= len(picked) and not too_many:
            yield tuple(o.value for o in question.options if o.value in picked)
    if question.min_picks <= 1:
        yield from ((o.value,) for o in question.options if o.exclusive)
