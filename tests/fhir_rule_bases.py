"""Hypothesis strategies for random, valid rule bases written as YAML and loaded (for the FHIR tests).

``rule_bases()`` draws small rule bases that use every question type, "Prefer not to say",
"none of these" options, pick limits, units, whole numbers, and ``show_if`` conditions of every
operator (``equals``, ``in``, ``not_in``, ``contains``, ``answered``, number comparisons) joined
by ``all``, ``any`` and ``not``, each on questions asked before.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

from gutcheck.rulebook.loading import load_rules_text
from gutcheck.rulebook.model import RuleBase

KINDS = ("choice", "scale", "multi", "yesno", "number")


@st.composite
def rule_base_data(draw: st.DrawFn) -> dict[str, Any]:
    """The data of a random valid rule base."""
    asked: list[dict[str, Any]] = []
    flags = [{"id": f"flag{i}", "ask": f"Alarm symptom {i}?", "advice": "See a clinician."}
             for i in range(draw(st.integers(0, 2)))]
    asked.extend({"id": f["id"], "type": "yesno"} for f in flags)
    factors = []
    for f in range(draw(st.integers(1, 3))):
        questions = []
        for q in range(draw(st.integers(1, 4))):
            question = draw(_question(f"f{f}q{q}"))
            if asked and draw(st.booleans()):
                question["show_if"] = draw(_condition(asked))
            questions.append(question)
            asked.append(question)
        factors.append({
            "id": f"factor{f}", "title": f"Factor {f}", "weight": draw(st.sampled_from([1, 1.5, 2])),
            "explanation": "Test factor.", "references": ["ref"], "questions": questions,
            "bands": [{"below": 1, "level": "low", "summary": "Low."}, {"level": "high", "summary": "High."}],
        })
    return {
        "format": 1, "id": draw(st.sampled_from(["random", "x-rules", "test_1"])),
        "version": draw(st.sampled_from(["1", "2026.1.0"])), "title": "Random rules",
        "disclaimer": "Testing only.", "references": {"ref": {"cite": "A. Test. 2020.", "kind": "human"}},
        "red_flags": flags, "factors": factors,
        "overall": {"bands": [{"below": 50, "level": "low", "summary": "Low."},
                              {"level": "high", "summary": "High."}]},
    }


def rule_bases() -> st.SearchStrategy[tuple[RuleBase, dict[str, Any]]]:
    """A loaded random rule base with the data it was made from."""
    return rule_base_data().map(lambda data: (load_rules_text(yaml.safe_dump(data), "<random>"), data))


@st.composite
def _question(draw: st.DrawFn, qid: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    question: dict[str, Any] = {"id": qid, "ask": f"Question {qid}?", "type": kind}
    if draw(st.booleans()):
        question["allow_skip"] = True
    if draw(st.booleans()):
        question["help"] = "Some help."
    if kind == "yesno":
        question["yes_points"] = draw(st.integers(-1, 3))
    elif kind == "number":
        question.update(min=0, max=draw(st.sampled_from([10, 20.5])), integer=draw(st.booleans()),
                        ranges=[{"below": 5, "points": 0}, {"points": draw(st.integers(1, 3))}])
        if question["integer"]:
            question["max"] = 20
        if draw(st.booleans()):
            question["unit"] = "hours"
    else:
        count = draw(st.integers(2, 4))
        question["options"] = [{"value": f"o{i}", "label": f"Option {i} of {qid}", "points": draw(st.integers(-1, 4))}
                               for i in range(count)]
        if kind == "multi":
            if draw(st.booleans()):
                question["options"][-1]["exclusive"] = True
            question["min_picks"] = draw(st.integers(0, 1))
            if draw(st.booleans()):
                question["max_picks"] = 2
    return question


def _condition(asked: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    atom = st.sampled_from(asked).flatmap(_atom)
    return st.recursive(atom, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=2).map(lambda parts: {"all": parts}),
        st.lists(inner, min_size=1, max_size=2).map(lambda parts: {"any": parts}),
        inner.map(lambda part: {"not": part}),
        st.lists(atom, min_size=2, max_size=2).filter(_distinct_keys).map(lambda parts: {**parts[0], **parts[1]}),
    ), max_leaves=4)


def _distinct_keys(parts: list[dict[str, Any]]) -> bool:
    return set(parts[0]).isdisjoint(parts[1])


def _atom(question: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    qid, kind = question["id"], question["type"]
    answered = st.booleans().map(lambda flag: {qid: {"answered": flag}})
    if kind == "yesno":
        return st.one_of(answered, st.sampled_from([True, False, "yes", "no"]).map(lambda v: {qid: v}))
    if kind == "number":
        ops = st.sampled_from(["gt", "gte", "lt", "lte"])
        return st.one_of(answered, st.tuples(ops, st.sampled_from([1, 3, 4.5])).map(lambda t: {qid: {t[0]: t[1]}}))
    values = [o["value"] for o in question["options"]]
    if kind == "multi":
        return st.one_of(answered, st.sampled_from(values).map(lambda v: {qid: {"contains": v}}))
    some = st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)
    return st.one_of(
        answered,
        st.sampled_from(values).map(lambda v: {qid: v}),
        some.map(lambda vs: {qid: vs}),
        some.map(lambda vs: {qid: {"in": vs}}),
        some.map(lambda vs: {qid: {"not_in": vs}}),
    )
