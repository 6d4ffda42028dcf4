"""Standard codes of published instruments that a rule base reproduces (AUDIT-C).

Only codes checked against the US Core implementation guide's AUDIT-C Questionnaire,
QuestionnaireResponse and Observation examples (HL7 US Core, hl7.org/fhir/us/core) are listed.
The first AUDIT-C item is left without a code: that example codes a different first question.
A rule base gets these codes when a factor declares the AUDIT-C as its instrument (``instrument:
{id: audit_c, items: [...]}``, where this gutcheck's rule format has it), or else when it holds
the three AUDIT-C questions under the ids the bundled rule base uses; either way each item must
have the published five options scored 0 to 4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutcheck.interop.common import LOINC

if TYPE_CHECKING:
    from gutcheck.rulebook.model import Factor, Question, RuleBase

AUDIT_C_QUESTIONS = ("alcohol_frequency", "alcohol_typical_drinks", "alcohol_six_or_more")
AUDIT_C_PANEL = ("72109-2", "Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]")
AUDIT_C_TOTAL = ("75626-2", "Total score [AUDIT-C]")
ITEM_CODES: tuple[tuple[str, str] | None, ...] = (
    None,  # the first item: the US Core example codes another question there
    ("68519-8", "How many standard drinks containing alcohol do you have on a typical day"),
    ("68520-6", "How often do you have 6 or more drinks on 1 occasion"),
)


def loinc(code: tuple[str, str]) -> dict[str, Any]:
    """A LOINC coding from ``(code, display)``."""
    return {"system": LOINC, "code": code[0], "display": code[1]}


def audit_c_items(rules: RuleBase) -> tuple[Factor, tuple[Question, ...]] | None:
    """The factor holding the AUDIT-C and its three items in order, if the rule base has them."""
    for factor in rules.factors:
        declared = getattr(factor, "instrument", None)
        if declared is not None and getattr(declared, "id", None) == "audit_c":
            ids = tuple(getattr(declared, "items", ()))
        else:
            ids = tuple(q.id for q in factor.questions if q.id in AUDIT_C_QUESTIONS)
            ids = ids if ids == AUDIT_C_QUESTIONS else ()
        own = {q.id: q for q in factor.questions}
        items = tuple(own[i] for i in ids if i in own)
        if len(items) == len(AUDIT_C_QUESTIONS) == len(ids) and all(_audit_item(q) for q in items):
            return factor, items
    return None


def item_codes(rules: RuleBase) -> dict[str, tuple[str, str]]:
    """LOINC codes of the AUDIT-C items by question id (the items that have one)."""
    found = audit_c_items(rules)
    if found is None:
        return {}
    return {q.id: code for q, code in zip(found[1], ITEM_CODES, strict=True) if code is not None}


def _audit_item(question: Question) -> bool:
    points = [o.points for o in question.options]
    return question.type.has_options and not question.type.several and points == [0, 1, 2, 3, 4]


def audit_c_total(rules: RuleBase, answers: dict[str, Any]) -> int | None:
    """The AUDIT-C total of parsed answers, or None when it cannot be told (an item missing)."""
    found = audit_c_items(rules)
    if found is None:
        return None
    first, *rest = found[1]
    value = answers.get(first.id)
    if value is None or value == "prefer-not-to-say":
        return None
    if first.points(value) == 0:
        return 0  # "Never": the other two items are not asked and score 0
    points = [q.points(answers[q.id]) for q in rest if answers.get(q.id) not in (None, "prefer-not-to-say")]
    return first.points(value) + sum(points) if len(points) == len(rest) else None
