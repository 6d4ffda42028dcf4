"""The one order of what to do: what a careful clinician would say first.

Red flags answered yes come before any suggestion: most urgent first (emergency, same day,
within days, within two weeks, in the next few weeks, at the next appointment), an alarm
symptom before a risk marker of the same urgency, then the rule base's order.

Suggestions are sorted by, in turn:

1. priority: ``safety`` (a test to ask for, a medicine to review with its prescriber, heavy
   drinking to cut down with help), then ``targeted`` (a guideline made for exactly this
   person's situation, such as brief advice after a positive alcohol screen), then
   ``standard``;
2. strength of evidence: clinical guideline > trial in people > other studies in people >
   review > cell or animal studies only (a general guideline, such as how long adults
   should sleep, is a ``standard`` suggestion ranked here like other evidence);
3. how much this person's answers drive the factor: its weight times its percent;
4. the rule base's order.

Then the first five are chosen with variety: a standard suggestion from a factor already in
the five waits until every other factor has had a turn (safety and targeted ones do not
wait), no factor has more than two of the five, and a lab-only suggestion enters the five
only when nothing else can. The rest follow
in the sorted order. "Your first steps" are the first five without lab-only ones (at least
three where three are not lab-only; lab-only ones only when nothing else applies), after
the red flags, each once, five steps in all when the flags leave room.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import NamedTuple

from gutcheck.engine.assessment import RedFlagResult, SuggestionResult
from gutcheck.engine.urgency import URGENCY_ORDER

PRIORITY_ORDER = {"safety": 0, "targeted": 1, "standard": 2}
JUMPS_THE_QUEUE = frozenset({"safety", "targeted"})  # not made to wait by the variety rule
EVIDENCE_ORDER = {"guideline": 0, "rct": 1, "human": 2, "review": 3, "lab": 4}
FIRST = 5
PER_FACTOR = 2
MIN_STEPS = 3
LAB = "lab"

Group = tuple[float, Sequence[SuggestionResult]]


class Ranked(NamedTuple):
    """A suggestion that applies with its place in the one order: sorting these sorts the
    suggestions (priority, evidence, the factor's weight times percent from the largest, then
    the rule base's order: its factor's place and its own; no two share those places, so the
    fields after them are never compared). The last three are what the variety rule reads."""

    priority: int
    evidence: int
    load: float  # minus the factor's weighted score, so that the heaviest sorts first
    factor: int
    place: int
    suggestion: SuggestionResult
    factor_id: str  # no more than two of one factor in the first five
    lab: bool  # lab-only evidence: in the first five only when nothing else can be
    jumps: bool  # safety or targeted: not made to wait by the variety rule


def ranked(suggestion: SuggestionResult, weighted: float, factor: int, place: int) -> Ranked:
    """``suggestion`` (the ``place``-th of factor ``factor``, whose weighted score is ``weighted``) keyed."""
    return Ranked(PRIORITY_ORDER.get(suggestion.priority, 2), EVIDENCE_ORDER.get(suggestion.evidence, 5),
                  -weighted, factor, place, suggestion, suggestion.factor, suggestion.evidence == LAB,
                  suggestion.priority in JUMPS_THE_QUEUE)


def rank_suggestions(groups: Iterable[Group]) -> tuple[SuggestionResult, ...]:
    """Rank the suggestions that apply; ``groups`` are (weighted score, suggestions) per factor,
    in the rule base's order, each factor's suggestions in their rule order."""
    keyed = [ranked(s, weighted, f, i) for f, (weighted, suggestions) in enumerate(groups)
             for i, s in enumerate(suggestions)]
    return with_variety(in_order(keyed))


def in_order(keyed: Iterable[Ranked]) -> list[Ranked]:
    """The suggestions of ``keyed`` in the one order, before variety."""
    return sorted(keyed)


def with_variety(ordered: Sequence[Ranked]) -> tuple[SuggestionResult, ...]:
    """The first five chosen for variety (see the module text), then the rest in order."""
    head = chosen_for_variety(ordered, FIRST)
    taken = set(head)
    return (*(ordered[i].suggestion for i in head), *(r.suggestion for i, r in enumerate(ordered) if i not in taken))


def first_with_variety(ordered: Sequence[Ranked], count: int) -> tuple[SuggestionResult, ...]:
    """The first ``count`` (at most five) of :func:`with_variety`, without ordering the rest."""
    head = chosen_for_variety(ordered, count)
    if len(head) < count:  # fewer could be chosen: the rest follow in order
        head += [i for i in range(len(ordered)) if i not in head][: count - len(head)]
    return tuple(ordered[i].suggestion for i in head)


def first_pass(ordered: Sequence[Ranked]) -> tuple[Ranked, ...]:
    """What the variety rule's first pass takes from one factor's suggestions (given in the one
    order): the pass counts per factor, so what it takes from one factor does not depend on the
    others. Merged in the one order, the first passes of every factor are the first pass."""
    taken: list[Ranked] = []
    for item in ordered:
        if len(taken) == PER_FACTOR:
            break
        if not item.lab and (item.jumps or not taken):
            taken.append(item)
    return tuple(taken)


def first_chosen(
    first_passes: Iterable[Sequence[Ranked]], everything: Iterable[Sequence[Ranked]], count: int
) -> tuple[SuggestionResult, ...]:
    """The first ``count`` of :func:`with_variety` from each factor's :func:`first_pass` and
    each factor's suggestions (``everything``, read only when the first passes give too few)."""
    opened = sorted(chain.from_iterable(first_passes))
    if len(opened) >= count:
        return tuple([item.suggestion for item in opened[:count]])
    return first_with_variety(in_order(chain.from_iterable(everything)), count)


def chosen_for_variety(ordered: Sequence[Ranked], first: int) -> list[int]:
    """The places in ``ordered`` of the first ``first`` suggestions chosen for variety, in the
    order chosen: a first pass takes what is not lab-only and either jumps the queue (safety,
    targeted) or is its factor's first; a second whatever is not lab-only; a third anything;
    never more than two of one factor. The first ``n`` chosen do not depend on ``first``."""
    head: list[int] = []
    counts: dict[str, int] = {}
    for turn in (1, 2, 3):
        for index, (*_, factor, lab, jumps) in enumerate(ordered):
            if len(head) == first:
                return head
            count = counts.get(factor, 0)
            if count >= PER_FACTOR or index in head:
                continue
            if turn == 3 or (not lab and (turn == 2 or count == 0 or jumps)):
                head.append(index)
                counts[factor] = count + 1
    return head


def order_red_flags(flags: Iterable[RedFlagResult]) -> tuple[RedFlagResult, ...]:
    """Red flags answered yes, most urgent first; an alarm before a risk marker of the same
    urgency; otherwise in the order given (the rule base's)."""
    return tuple(sorted(flags, key=_flag_rank))


def _flag_rank(flag: RedFlagResult) -> tuple[int, bool]:
    return URGENCY_ORDER.get(flag.urgency, len(URGENCY_ORDER)), not flag.is_alarm


def first_steps(flags: Sequence[RedFlagResult], ranked: Sequence[SuggestionResult]) -> tuple[str, ...]:
    """The ids of 'Your first steps': every red flag answered yes (``flags``, already in
    order), then the suggestion steps, five steps in all when the flags leave room."""
    room = max(0, FIRST - len(flags))
    return (*(flag.id for flag in flags), *(s.id for s in suggestion_steps(ranked)[:room]))


def suggestion_steps(ranked: Sequence[SuggestionResult]) -> tuple[SuggestionResult, ...]:
    """Up to five one-line steps from the ranked suggestions, never lab-only while anything
    else applies."""
    steps = [s for s in ranked[:FIRST] if s.evidence != LAB]
    for suggestion in ranked[FIRST:]:
        if len(steps) >= MIN_STEPS:
            break
        if suggestion.evidence != LAB:
            steps.append(suggestion)
    return tuple(steps) if steps else tuple(ranked[:MIN_STEPS])


def top_ids(flag_ids: Sequence[str], suggestion_ids: Sequence[str], count: int) -> tuple[str, ...]:
    """The first ``count`` things to do as ids: red flags (in order) before suggestions."""
    return (*flag_ids, *suggestion_ids)[:count]
