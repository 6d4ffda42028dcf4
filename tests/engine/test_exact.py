"""Exact score arithmetic: one rounding rule, no float sums."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from gutcheck.engine.exact import WeightedMean, band_index, half_even, percent_tenths


def test_halves_round_to_even_from_the_exact_value() -> None:
    assert [half_even(n, 2) for n in (1, 3, 5, -1)] == [0, 2, 2, 0]
    assert percent_tenths(1, 16) == 62  # 6.25 -> 6.2
    assert percent_tenths(3, 80) == 38  # 3.75 -> 3.8, though 100 * 0.0375 is not 3.75 in floats
    assert percent_tenths(1, 3) == 333


@given(st.integers(-10**6, 10**6), st.integers(1, 10**4))
def test_half_even_is_rounding_of_the_exact_fraction(numerator: int, denominator: int) -> None:
    assert half_even(numerator, denominator) == round(Fraction(numerator, denominator))


def test_weights_count_as_the_decimals_written() -> None:
    mean = WeightedMean([0.1, 0.2, 1])
    # (0.1 * 50.0 + 0.2 * 20.0) / 0.3 = 30.0 exactly, whatever floats make of 0.1 + 0.2
    assert mean.tenths([(0, 500), (1, 200)]) == 300
    assert mean.tenths([]) is None
    assert WeightedMean([0]).tenths([(0, 500)]) is None


def test_bands_compare_the_exact_prorated_points() -> None:
    # 1 point of 3 reachable, prorated to 6: exactly 2, the start of the second band
    assert band_index((2.0, 4.0), 1, 6, 3) == 1
    assert band_index((2.0, 4.0), 3, 6, 6) == 1
    assert band_index((2.0, 4.0), 1, 6, 6) == 0
