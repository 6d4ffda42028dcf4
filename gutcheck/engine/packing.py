"""The integers the generated scorer computes with: packed factor sums and suggestion rank keys.

Both let one small integer stand for a tuple, so that the per-row code only adds and compares
(see :mod:`gutcheck.rulebook.codegen`), and both are read back here by the helpers of
:mod:`gutcheck.engine.compiled`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gutcheck.rulebook.model import Factor

PLACES = 1024  # suggestions a rule base may have: a suggestion's place is the low bits of its rank key
PLACE_BITS = 10
TENTHS = range(1001)  # every percent a factor can have, in tenths


def rank_bits(factors: int) -> int:
    """Bits for the rank of a weighted score among every one ``factors`` factors can have."""
    return (factors * len(TENTHS)).bit_length()


def rank_key(priority: int, evidence: int, place: int, factors: int) -> int:
    """The static part of a suggestion's rank key; a factor entry's ``[6]`` is added to it.

    The key orders as (priority, evidence, weighted descending, place) does, and stays a
    small integer: the grades are its highest bits, then the rank of the factor's weighted
    score among every weighted score the rule base can produce (:func:`weighted_ranks`, 0 for
    the largest), then the place.
    """
    return ((priority * 8 + evidence) << (rank_bits(factors) + PLACE_BITS)) + place


def weighted_ranks(weights: Sequence[float]) -> dict[float, int]:
    """Every weighted score (a factor's weight times a one-decimal percent, as the engine
    computes it in floating point) to its rank from the largest down, shifted to its place
    in a rank key. Equal scores share a rank, so the order is exactly the floats' order."""
    scores = sorted({weight * (tenths / 10) for weight in weights for tenths in TENTHS}, reverse=True)
    return {score: rank << PLACE_BITS for rank, score in enumerate(scores)}


class Packing(NamedTuple):
    """How a factor's running sums share one integer, from the lowest bits up: the number of
    questions answered, the points still reachable, then the points (any sign).

    Each answer adds one number to it (``answered``); a question shown but left blank adds
    ``blank`` (its points are no longer reachable); a hidden question adds nothing.
    """

    count_bits: int
    shift: int  # where the points start

    def start(self, max_points: int) -> int:
        """The sum before any question: every point reachable, nothing answered."""
        return max_points << self.count_bits

    def answered(self, points: int) -> int:
        """What an answer worth ``points`` adds."""
        return (points << self.shift) + 1

    def blank(self, max_points: int) -> int:
        """What a question worth at most ``max_points`` adds when it is shown but left blank."""
        return -(max_points << self.count_bits)

    def unpack(self, packed: int) -> tuple[int, int, int]:
        """(points, reachable points, questions answered) of a sum."""
        low = packed & ((1 << self.shift) - 1)
        return packed >> self.shift, low >> self.count_bits, low & ((1 << self.count_bits) - 1)


def packing(factor: Factor) -> Packing:
    """The packing of ``factor``'s sums: wide enough for its questions and its points."""
    count_bits = max(1, len(factor.questions).bit_length())
    return Packing(count_bits, count_bits + max(1, factor.max_points.bit_length()))
