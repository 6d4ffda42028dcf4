"""Hypothesis strategies for whole rule bases: random but valid normalised data, compiled.

``rule_bases()`` draws a small rule base that uses every construct of the format: red flags
(some asked only when an earlier flag holds) with urgency rules of every tier that read any
answer, yes/no, choice, scale, multi (with an exclusive option) and number
questions, ``show_if`` on earlier answers (with ``all``/``any``/``not`` and every operator),
negative points, decimal weights, bands, suggestions with ``when`` on answers and on the
factor's level, percent, points, instrument screen and whether an alarm stands, priorities
(safety, targeted, standard) and evidence grades, and instruments with conditional cut-offs
(some without a screen result). It is compiled straight from data (the format's own checks
are tested elsewhere), so conditions only name questions asked before them (an urgency
rule, decided once every answer is in, any question).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from gutcheck.rulebook.compiler import FileLocator, compile_rules, content_hash
from gutcheck.rulebook.model import RuleBase

EVIDENCE = ["guideline", "rct", "human", "review", "lab"]
LEVELS = ["low", "moderate", "high"]
URGENCIES = ["emergency", "same_day", "urgent", "two_weeks", "soon", "routine"]


def _question(draw: st.DrawFn, qid: str, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["choice", "scale", "multi", "yesno", "number"]))
    item: dict[str, Any] = {"id": qid, "ask": f"Question {qid}?", "type": kind, "help": None,
                            "allow_skip": draw(st.booleans()), "show_if": None}
    if earlier and draw(st.booleans()):
        item["show_if"] = draw(condition(earlier))
    if kind in ("choice", "scale", "multi"):
        count = draw(st.integers(2, 4))
        item["options"] = [
            {"value": f"{qid}-o{i}", "label": f"Option {i} of {qid}", "points": draw(st.integers(-1, 4)),
             "exclusive": kind == "multi" and i == count - 1 and draw(st.booleans())}
            for i in range(count)
        ]
        if kind == "multi":
            item["min_picks"] = draw(st.integers(0, 1))
            item["max_picks"] = draw(st.sampled_from([None, 2]))
    elif kind == "yesno":
        item["yes_points"], item["no_points"] = draw(st.integers(0, 3)), draw(st.integers(0, 1))
    else:
        top = draw(st.integers(3, 12))
        bounds = sorted(set(draw(st.lists(st.integers(1, top), max_size=3))))
        item.update({"min": 0, "max": top, "unit": None, "integer": draw(st.booleans()),
                     "ranges": [{"below": b, "points": draw(st.integers(0, 4))} for b in bounds]
                     + [{"below": None, "points": draw(st.integers(0, 4))}]})
    return item


def _test(draw: st.DrawFn, question: dict[str, Any]) -> dict[str, Any]:
    """One subject test on an earlier question, with an operator its kind allows."""
    qid, kind = question["id"], question["type"]
    if draw(st.integers(0, 5)) == 0:
        return {qid: {"answered": draw(st.booleans())}}
    if kind == "yesno":
        return {qid: draw(st.sampled_from([True, False, "yes", "no"]))}
    if kind == "number":
        op = draw(st.sampled_from(["gt", "gte", "lt", "lte"]))
        return {qid: {op: draw(st.integers(1, question["max"] - 1))}}
    values = [o["value"] for o in question["options"]]
    if kind == "multi":
        return {qid: {"contains": draw(st.sampled_from(values))}}
    picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
    form = draw(st.sampled_from(["list", "in", "not_in", "equals"]))
    if form == "list":
        return {qid: picked}
    return {qid: {form: picked[0] if form == "equals" else picked}}


@st.composite
def condition(draw: st.DrawFn, earlier: list[dict[str, Any]], facts: list[dict[str, Any]] | None = None) -> Any:
    """A condition on earlier questions (and the factor's facts, when given)."""
    def leaf() -> dict[str, Any]:
        if facts and draw(st.booleans()):
            return draw(st.sampled_from(facts))
        return _test(draw, draw(st.sampled_from(earlier)))
    shape = draw(st.sampled_from(["leaf", "leaf", "all", "any", "not", "two"]))
    if shape == "leaf":
        return leaf()
    if shape == "not":
        return {"not": leaf()}
    if shape == "two":
        return {**leaf(), **leaf()}
    return {shape: [leaf() for _ in range(draw(st.integers(1, 3)))]}


def _bands(draw: st.DrawFn, top: int, prefix: str) -> list[dict[str, Any]]:
    cuts = sorted(set(draw(st.lists(st.integers(1, max(top, 1)), max_size=2))))
    bounds = [*cuts, None]
    return [{"min": None, "below": b, "level": LEVELS[i], "summary": f"{prefix} {LEVELS[i]}."}
            for i, b in enumerate(bounds)]


def _max_points(q: dict[str, Any]) -> int:
    if q["type"] == "yesno":
        return max(q["yes_points"], q["no_points"], 0)
    if q["type"] == "number":
        return max(0, *(r["points"] for r in q["ranges"]))
    positive = sorted((o["points"] for o in q["options"] if o["points"] > 0 and not o["exclusive"]), reverse=True)
    if q["type"] == "multi":
        combined = sum(positive[: q["max_picks"]] if q["max_picks"] else positive)
        return max(combined, *(o["points"] for o in q["options"] if o["exclusive"]), 0)
    return max(0, *(o["points"] for o in q["options"]))


def _suggestion(draw: st.DrawFn, sid: str, earlier: list[dict[str, Any]], facts: list[dict[str, Any]]) -> dict:
    return {
        "id": sid, "text": f"Do {sid}.", "why": "Because.", "evidence": draw(st.sampled_from(EVIDENCE)),
        "references": [], "caution": None, "priority": draw(st.sampled_from(["standard", "safety", "targeted"])),
        "short": None, "learn": [],
        "when": draw(st.none() | condition(earlier, facts)),
    }


def _instrument(draw: st.DrawFn, fid: str, questions: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> Any:
    items = draw(st.lists(st.sampled_from([q["id"] for q in questions]), min_size=1, unique=True))
    cutoffs = [{"when": draw(condition(earlier)), "at_least": draw(st.none() | st.integers(1, 4)),
                "label": f"cut-off {i}"} for i in range(draw(st.integers(0, 2)))]
    cutoffs.append({"when": None, "at_least": draw(st.integers(1, 4)), "label": "cut-off"})
    return {"id": f"{fid}-scale", "name": "Scale", "items": items, "references": [],
            "positive": "a positive screen", "negative": "a negative screen", "cutoffs": cutoffs}


def _factor(draw: st.DrawFn, k: int, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    fid = f"f{k}"
    questions: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 4))):
        questions.append(_question(draw, f"{fid}q{i}", earlier + questions))
    full = sum(_max_points(q) for q in questions)
    instrument = _instrument(draw, fid, questions, earlier + questions) if draw(st.integers(0, 3)) == 0 else None
    bands = _bands(draw, full, fid)
    facts = [{"level": draw(st.sampled_from([b["level"] for b in bands]))}, {"percent": {"gte": draw(st.integers(1, 99))}},
             {"points": {"gt": draw(st.integers(0, max(full - 1, 0)))}} if full > 0 else {"level": "low"}]
    if instrument is not None:
        facts.append({"screen": draw(st.sampled_from(["positive", "negative"]))})
    facts.append({"alarm": draw(st.booleans())})
    every = earlier + questions
    return {
        "id": fid, "title": f"Factor {k}", "weight": draw(st.sampled_from([0.1, 0.2, 0.5, 1, 1.5, 2, 3])),
        "explanation": "Why.", "references": [], "questions": questions, "bands": bands,
        "suggestions": [_suggestion(draw, f"{fid}s{j}", every, facts) for j in range(draw(st.integers(0, 4)))],
        "instrument": instrument, "learn": [],
    }


def _flags(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Red flags, some asked only when an earlier flag says so (their urgency rules come later)."""
    flags: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 3))):
        earlier = [{"id": f["id"], "type": "yesno"} for f in flags]
        show_if = draw(st.none() | condition(earlier)) if earlier else None
        flags.append({"id": f"flag{i}", "ask": f"Flag {i}?", "advice": "See someone.",
                      "urgency": draw(st.sampled_from(URGENCIES)), "references": [], "show_if": show_if,
                      "kind": draw(st.sampled_from(["alarm", "risk"])), "urgency_if": []})
    return flags


def _urgency_rules(draw: st.DrawFn, flags: list[dict[str, Any]], every: list[dict[str, Any]]) -> None:
    """Urgency rules on each flag, whose conditions may read any question of the rule base."""
    for flag in flags:
        flag["urgency_if"] = [
            {"when": draw(condition(every)), "urgency": draw(st.sampled_from(URGENCIES)),
             "advice": draw(st.none() | st.just("Now.")), "action": draw(st.none() | st.just("act now."))}
            for _ in range(draw(st.integers(0, 2)))
        ]


@st.composite
def rule_bases(draw: st.DrawFn) -> RuleBase:
    """A compiled random rule base (see the module text)."""
    flags = _flags(draw)
    earlier: list[dict[str, Any]] = [{"id": f["id"], "type": "yesno"} for f in flags]
    factors = []
    for k in range(draw(st.integers(1, 3))):
        factor = _factor(draw, k, earlier)
        factors.append(factor)
        earlier = earlier + factor["questions"]
    _urgency_rules(draw, flags, earlier)
    data = {
        "format": 1, "id": "random", "version": "1", "title": "Random", "disclaimer": "Test only.",
        "references": {}, "red_flags": flags, "factors": factors, "about": [], "learn": None,
        "overall": {"bands": _bands(draw, 99, "overall")},
    }
    rules, problems = compile_rules(data, FileLocator("random"), content_hash(data))
    assert problems == [], problems
    return rules
