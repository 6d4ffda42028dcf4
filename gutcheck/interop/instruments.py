"""Standard codes of published instruments that a rule base reproduces (AUDIT-C).

Only codes checked against the US Core implementation guide's AUDIT-C Questionnaire,
QuestionnaireResponse and Observation examples (HL7 US Core, hl7.org/fhir/us/core) are listed.
The first AUDIT-C item is left without a code: that example codes a different first question.
A rule base gets these codes only when it holds the three AUDIT-C questions with the
published five options scored 0 to 4, under the ids the bundled rule base uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutcheck.interop.common import LOINC

if TYPE_CHECKING:
    from gutcheck.rulebook.model import Factor, Question, RuleBase

AUDIT_C_QUESTIONS = ("alcohol_frequency", "alcohol_typical_drinks", "alcohol_six_or_more")
AUDIT_C_PANEL = ("72109-2", "Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]")
AUDIT_C_TOTAL = ("75626-2", "Total score [AUDIT-C]")
QUESTION_CODES: dict[str, tuple[str, str]] = {
    "alcohol_typical_drinks": ("68519-8", "How many standard drinks containing alcohol do you have on a typical day"),
    "alcohol_six_or_more": ("68520-6", "How often do you have 6 or more drinks on 1 occasion"),
}


def loinc(code: tuple[str, str]) -> dict[str, Any]:
    """A LOINC coding from ``(code, display)``."""
    return {"system": LOINC, "code": code[0], "display": code[1]}


def audit_c_factor(rules: RuleBase) -> Factor | None:
    """The factor that is exactly the AUDIT-C, if the rule base has one."""
    for factor in rules.factors:
        if tuple(q.id for q in factor.questions) == AUDIT_C_QUESTIONS and all(
            _audit_item(q) for q in factor.questions
        ):
            return factor
    return None


def _audit_item(question: Question) -> bool:
    return question.kind in ("choice", "scale") and [o.points for o in question.options if o.value] == [0, 1, 2, 3, 4]


def audit_c_total(rules: RuleBase, answers: dict[str, Any]) -> int | None:
    """The AUDIT-C total of parsed answers, or None when it cannot be told (an item missing)."""
    factor = audit_c_factor(rules)
    if factor is None:
        return None
    first, *rest = factor.questions
    value = answers.get(first.id)
    if value is None or value == "prefer-not-to-say":
        return None
    if first.points(value) == 0:
        return 0  # "Never": the other two items are not asked and score 0
    points = [q.points(answers[q.id]) for q in rest if answers.get(q.id) not in (None, "prefer-not-to-say")]
    return first.points(value) + sum(points) if len(points) == len(rest) else None
