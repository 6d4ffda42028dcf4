"""The one order of suggestions: what a careful clinician would say first.

Suggestions are sorted by, in turn:

1. priority: ``safety`` (a test to ask for, a medicine to review with its prescriber, heavy
   drinking to cut down with help) before ``standard``;
2. strength of evidence: clinical guideline > trial in people > other studies in people >
   review > cell or animal studies only;
3. how much this person's answers drive the factor: its weight times its percent;
4. the rule base's order.

Then the first five are chosen with variety: a standard suggestion from a factor already in
the five waits until every other factor has had a turn, no factor has more than two of the
five, and a lab-only suggestion enters the five only when nothing else can. The rest follow
in the sorted order. "Your first steps" are the first five without lab-only ones (at least
three where three are not lab-only; lab-only ones only when nothing else applies).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from gutcheck.engine.assessment import SuggestionResult

PRIORITY_ORDER = {"safety": 0, "standard": 1}
EVIDENCE_ORDER = {"guideline": 0, "rct": 1, "human": 2, "review": 3, "lab": 4}
FIRST = 5
PER_FACTOR = 2
MIN_STEPS = 3
LAB = "lab"

Group = tuple[float, Sequence[SuggestionResult]]


def rank_suggestions(groups: Iterable[Group]) -> tuple[SuggestionResult, ...]:
    """Rank the suggestions that apply; ``groups`` are (weighted score, suggestions) per factor,
    in the rule base's order, each factor's suggestions in their rule order."""
    keyed = [
        ((PRIORITY_ORDER.get(s.priority, 1), EVIDENCE_ORDER.get(s.evidence, 5), -weighted, f, i), s)
        for f, (weighted, suggestions) in enumerate(groups)
        for i, s in enumerate(suggestions)
    ]
    keyed.sort(key=lambda item: item[0])
    return with_variety([s for _, s in keyed])


def with_variety(ordered: list[SuggestionResult]) -> tuple[SuggestionResult, ...]:
    """The first five chosen for variety (see the module text), then the rest in order."""
    head: list[SuggestionResult] = []
    counts: Counter[str] = Counter()
    passes: tuple[Callable[[SuggestionResult], bool], ...] = (
        lambda s: s.evidence != LAB and (s.priority == "safety" or counts[s.factor] == 0),
        lambda s: s.evidence != LAB,
        lambda s: True,
    )
    for admits in passes:
        for suggestion in ordered:
            if len(head) == FIRST:
                break
            if counts[suggestion.factor] < PER_FACTOR and suggestion not in head and admits(suggestion):
                head.append(suggestion)
                counts[suggestion.factor] += 1
    return tuple(head + [s for s in ordered if s not in head])


def first_steps(ranked: Sequence[SuggestionResult]) -> tuple[SuggestionResult, ...]:
    """'Your first steps': up to five one-line steps, never lab-only while anything else applies."""
    steps = [s for s in ranked[:FIRST] if s.evidence != LAB]
    for suggestion in ranked[FIRST:]:
        if len(steps) >= MIN_STEPS:
            break
        if suggestion.evidence != LAB:
            steps.append(suggestion)
    return tuple(steps) if steps else tuple(ranked[:MIN_STEPS])
