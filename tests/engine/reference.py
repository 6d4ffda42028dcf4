"""A small, obviously correct scorer, written from README's rules, to check the generated one.

It is slow on purpose: it walks the raw conditions of the rule base with a plain interpreter,
uses Fractions for every percent and mean, and restates the ranking rule literally.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.rulebook.model import Factor, RuleBase

PRIORITY = {"safety": 0, "targeted": 1, "standard": 2}
EVIDENCE = {"guideline": 0, "rct": 1, "human": 2, "review": 3, "lab": 4}
URGENCY = ["emergency", "same_day", "urgent", "two_weeks", "soon", "routine"]


def holds(condition: dict[str, Any], answers: dict[str, Any], facts: dict[str, Any]) -> bool:
    """Whether a condition (as written in the rule base) holds."""
    return all(_entry(key, value, answers, facts) for key, value in condition.items())


def _entry(key: str, value: Any, answers: dict[str, Any], facts: dict[str, Any]) -> bool:
    if key == "not":
        return not holds(value, answers, facts)
    if key == "all":
        return all(holds(c, answers, facts) for c in value)
    if key == "any":
        return any(holds(c, answers, facts) for c in value)
    subject = facts.get(key) if key in facts else answers.get(key)
    ops = value if isinstance(value, dict) else {"in": value} if isinstance(value, list) else {"equals": value}
    return all(_op(op, arg, subject) for op, arg in ops.items())


def _op(op: str, arg: Any, value: Any) -> bool:
    if op == "answered":
        return (value is not None) == arg
    if value is None:
        return False
    if op in ("gt", "gte", "lt", "lte"):
        return {"gt": value > arg, "gte": value >= arg, "lt": value < arg, "lte": value <= arg}[op]
    if op == "contains":
        return arg in value
    wanted = [_plain(a) for a in (arg if isinstance(arg, list) else [arg])]
    return (value not in wanted) if op == "not_in" else (value in wanted)


def _plain(arg: Any) -> Any:
    return {"yes": True, "no": False}.get(arg.lower(), arg) if isinstance(arg, str) else arg


def one_decimal(exact: Fraction) -> float:
    """Rounded to one decimal, half to even, as the nearest float."""
    return float(round(exact, 1))


def score(rules: RuleBase, parsed: dict[str, Any]) -> dict[str, Any]:
    """Everything scored about one parsed answer set, as plain data."""
    shown: dict[str, Any] = {}
    unanswered: list[str] = []
    for q in rules.questions:
        if q.show_if_data is not None and not holds(q.show_if_data, shown, {}):
            continue
        value = parsed.get(q.id)
        if value is None or value == SKIP:
            unanswered.append(q.id)
        else:
            shown[q.id] = value
    flagged = [rf for rf in rules.red_flags if shown.get(rf.question.id) is True]
    alarm = any(rf.kind != "risk" for rf in flagged)
    factors = [_factor(f, shown, set(unanswered), alarm) for f in rules.factors]
    found = [(PRIORITY[s.priority], EVIDENCE[s.evidence], -f["weighted"], k, i, s)
             for k, f in enumerate(factors) for i, s in enumerate(f["suggestions"])]
    ranked = _variety([item[-1] for item in sorted(found, key=lambda item: item[:5])])
    scored = [(Fraction(repr(float(f["weight"]))), Fraction(f["percent"]).limit_denominator(10)) for f in factors
              if f["percent"] is not None]
    weights = sum(w for w, _ in scored)
    overall = one_decimal(sum(w * p for w, p in scored) / weights) if scored and weights > 0 else None
    tops = [f for f in factors if f["percent"] is not None and f["percent"] > 0]
    flags = sorted((_flag(rf, shown) for rf in flagged), key=lambda flag: (URGENCY.index(flag[1]), flag[3] == "risk"))
    return {
        "factors": [(f["id"], f["raw"], f["max"], f["percent"], f["level"]) for f in factors],
        "overall": (overall, rules.overall.find(overall).level if overall is not None else None),
        "suggestions": [s.id for s in ranked],
        "first_steps": [f[0] for f in flags] + [s.id for s in _first_steps(ranked)][: max(0, 5 - len(flags))],
        "red_flags": [f[:3] for f in flags],
        "instruments": [f["instrument"] for f in factors if f["instrument"] is not None],
        "unanswered": unanswered,
        "top_factor": max(tops, key=lambda f: f["weighted"])["id"] if tops else None,
    }


def ignored(rules: RuleBase, parsed: dict[str, Any]) -> tuple[str, ...]:
    """Questions answered (not declined) although an earlier answer hides them, in order."""
    shown: dict[str, Any] = {}
    found: list[str] = []
    for q in rules.questions:
        value = parsed.get(q.id)
        if q.show_if_data is not None and not holds(q.show_if_data, shown, {}):
            if value is not None and value != SKIP:
                found.append(q.id)
        elif value is not None and value != SKIP:
            shown[q.id] = value
    return tuple(found)


def _factor(factor: Factor, shown: dict[str, Any], blank: set[str], alarm: bool) -> dict[str, Any]:

    full = sum(q.max_points for q in factor.questions)
    raw = sum(q.points(shown[q.id]) for q in factor.questions if q.id in shown)
    reachable = sum(q.max_points for q in factor.questions if q.id not in blank)
    answered = sum(1 for q in factor.questions if q.id in shown)
    percent = level = None
    if answered and 2 * reachable >= full:
        points = min(max(raw, 0), reachable)
        percent = one_decimal(Fraction(100 * points, reachable)) if reachable else 0.0
        prorated = Fraction(points * full, reachable) if reachable < full else points
        level = next(b.level for b in factor.bands.bands if b.below is None or prorated < b.below)
    instrument, screen = _instrument(factor, shown)
    facts = {"level": level, "percent": percent, "points": raw, "alarm": alarm}
    if factor.instrument is not None:
        facts["screen"] = screen
    suggestions = [s for s in factor.suggestions if s.when_data is None or holds(s.when_data, shown, facts)]
    return {"id": factor.id, "raw": raw, "max": reachable, "percent": percent, "level": level,
            "weight": factor.weight, "weighted": factor.weight * (percent or 0.0),
            "suggestions": suggestions, "instrument": instrument}


def _instrument(factor: Factor, shown: dict[str, Any]) -> tuple[Any, str | None]:
    instrument = factor.instrument
    if instrument is None:
        return None, None
    items = [q for q in factor.questions if q.id in instrument.items and q.id in shown]
    if not items:
        return None, None
    cutoff = next(c for c in instrument.cutoffs if c.when_data is None or holds(c.when_data, shown, {}))
    total = sum(q.points(shown[q.id]) for q in items)
    if cutoff.at_least is None:  # no cut-off applies: no screen result
        return (factor.id, total, None, False), None
    positive = total >= cutoff.at_least
    return (factor.id, total, cutoff.at_least, positive), "positive" if positive else "negative"


def _variety(ordered: list[Any]) -> list[Any]:
    head: list[Any] = []
    counts: Counter[str] = Counter()
    passes = (lambda s: s.evidence != "lab" and (s.priority in ("safety", "targeted") or counts[s.factor] == 0),
              lambda s: s.evidence != "lab", lambda s: True)
    for admits in passes:
        for s in ordered:
            if len(head) < 5 and counts[s.factor] < 2 and s not in head and admits(s):
                head.append(s)
                counts[s.factor] += 1
    return head + [s for s in ordered if s not in head]


def _first_steps(ranked: list[Any]) -> list[Any]:
    steps = [s for s in ranked[:5] if s.evidence != "lab"]
    for s in ranked[5:]:
        if len(steps) < 3 and s.evidence != "lab":
            steps.append(s)
    return steps or ranked[:3]


def _flag(flag: Any, shown: dict[str, Any]) -> tuple[str, str, str, str]:
    for rule in flag.urgency_if:
        if holds(rule.when_data, shown, {}):
            return flag.question.id, rule.urgency, rule.advice or flag.advice, flag.kind
    return flag.question.id, flag.urgency, flag.advice, flag.kind
