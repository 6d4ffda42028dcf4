"""Exact score arithmetic: the same rule base and answers give the same numbers on every Python.

Floating-point sums are not the same everywhere (CPython 3.12 made ``sum()`` of floats
compensated), so no score is a float sum. The rules, once:

- a factor's percent is ``100 * points / reachable``, computed on integers and rounded to one
  decimal, half to even, from the exact value (:func:`percent_tenths`);
- a factor's band is found from its exact prorated points ``points * full / reachable``
  (:func:`band_index`);
- the overall percent is the weighted mean of the scored factors' one-decimal percents, with
  each weight taken as the decimal number written in the rule file, computed on integers and
  rounded the same way (:class:`WeightedMean`);
- a percent is reported as the float nearest its one-decimal value (``tenths / 10``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import lcm


def half_even(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, half to even (denominator > 0)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def percent_tenths(points: int, reachable: int) -> int:
    """Tenths of a percent of ``points`` out of ``reachable`` (> 0), rounded half to even."""
    return half_even(1000 * points, reachable)


def band_index(bounds: Sequence[float], points: int, full: int, reachable: int) -> int:
    """Which band the points fall in: prorated exactly to ``full`` when ``reachable < full``."""
    score = Fraction(points * full, reachable) if reachable < full else points
    return bisect_right([Fraction(bound) for bound in bounds], score)


def factor_numbers(
    raw: int, reachable: int, answered: int, full: int, bounds: Sequence[float]
) -> tuple[int | None, int | None]:
    """A factor's percent in tenths and its band's index, or (None, None) when it is not scored.

    It is scored when something was answered and the answered and hidden questions carry at
    least half of its ``full`` points; the points are clamped to ``0..reachable``.
    """
    if answered <= 0 or reachable * 2 < full:
        return None, None
    clamped = min(max(raw, 0), reachable)
    tenths = percent_tenths(clamped, reachable) if reachable else 0
    return tenths, band_index(bounds, clamped, full, reachable)


def decimal_weight(weight: float) -> Fraction:
    """A weight as the decimal number it was written as (``0.1`` is one tenth exactly)."""
    return Fraction(repr(float(weight)))


class WeightedMean:
    """The weighted mean of one-decimal percents, in tenths, rounded half to even.

    Weights are scaled once to integers (by the least common multiple of their denominators),
    so each mean is a few integer operations.
    """

    def __init__(self, weights: Iterable[float]) -> None:
        exact = [decimal_weight(weight) for weight in weights]
        scale = lcm(*(w.denominator for w in exact)) if exact else 1
        self.weights = tuple(int(w * scale) for w in exact)

    def tenths(self, scored: Iterable[tuple[int, int]]) -> int | None:
        """The mean of ``(factor index, percent tenths)`` pairs; None when no weight is above 0."""
        total = weight_sum = 0
        weights = self.weights
        for index, tenths in scored:
            weight = weights[index]
            total += weight * tenths
            weight_sum += weight
        return self.of_sums(total, weight_sum)

    def of_sums(self, total: int, weight_sum: int) -> int | None:
        """The mean of scaled weights times tenths adding up to ``total``, of weights adding up to
        ``weight_sum``; None when no weight is above 0."""
        return half_even(total, weight_sum) if weight_sum > 0 else None
