"""Writing an assessment's answers as a ``QuestionnaireResponse`` to the exported Questionnaire.

With the rule base at hand, items sit in the same groups as the Questionnaire's and every
answer has its option's display. A saved assessment alone (``gutcheck report``) gives the
factor groups from the assessment itself and leaves other answers at the top level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutcheck.answers.parse import SKIP, SKIP_LABEL
from gutcheck.interop.common import (
    ABOUT_GROUP,
    DATA_ABSENT_REASON,
    FACTOR_PREFIX,
    SAFETY_GROUP,
    answer_system,
    extension,
    questionnaire_url,
)

if TYPE_CHECKING:
    from gutcheck.engine.assessment import AnswerRecord, Assessment
    from gutcheck.rulebook.model import Question, RuleBase

Layout = list[tuple[str | None, str, list[str]]]
"""Groups in order: (group linkId or None for the top level, its title, question ids)."""


def response_resource(assessment: Assessment, rules: RuleBase | None = None) -> dict[str, Any]:
    """The QuestionnaireResponse holding the answers of ``assessment``."""
    info = assessment.rules
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url(info.id)}|{info.version}",
        "status": "completed",
        "authored": assessment.taken_at,
    }
    if assessment.client:
        resource["identifier"] = {"value": assessment.client}
    records = {record.question: record for record in assessment.answers}
    layout = rules_layout(rules) if rules is not None else assessment_layout(assessment)
    items = list(_grouped(layout, records, rules, info.id))
    if items:
        resource["item"] = items
    return resource


def rules_layout(rules: RuleBase) -> Layout:
    """The Questionnaire's groups and their question ids."""
    from gutcheck.interop.questionnaire import ABOUT_TITLE, SAFETY_TITLE, about_questions

    layout: Layout = [(SAFETY_GROUP, SAFETY_TITLE, [rf.question.id for rf in rules.red_flags])]
    layout.append((ABOUT_GROUP, ABOUT_TITLE, [q.id for q in about_questions(rules)]))
    layout.extend((FACTOR_PREFIX + f.id, f.title, [q.id for q in f.questions]) for f in rules.factors)
    return layout


def assessment_layout(assessment: Assessment) -> Layout:
    """Factor groups as far as a saved assessment tells them; other answers at the top level."""
    layout: Layout = []
    placed: set[str] = set()
    for factor in assessment.factors:
        ids = [c.question for c in factor.contributions] + list(factor.unanswered)
        placed.update(ids)
        layout.append((FACTOR_PREFIX + factor.id, factor.title, ids))
    layout.insert(0, (None, "", [r.question for r in assessment.answers if r.question not in placed]))
    return layout


def _grouped(layout: Layout, records: dict[str, AnswerRecord], rules: RuleBase | None, rules_id: str) -> Any:
    for link_id, title, ids in layout:
        items = [_item(records[qid], rules, rules_id) for qid in ids if qid in records]
        if not items:
            continue
        if link_id is None:
            yield from items
        else:
            yield {"linkId": link_id, "text": title, "item": items}


def _item(record: AnswerRecord, rules: RuleBase | None, rules_id: str) -> dict[str, Any]:
    question = rules.by_id.get(record.question) if rules is not None else None
    item: dict[str, Any] = {"linkId": record.question, "text": record.ask}
    value = record.value
    if value == SKIP and question is not None and not question.type.has_options:  # no coding to write
        item["extension"] = [extension(DATA_ABSENT_REASON, valueCode="asked-declined")]
        return item
    answers = _answers(record, question, rules_id)
    if answers:
        item["answer"] = answers
    return item


def _answers(record: AnswerRecord, question: Question | None, rules_id: str) -> list[dict[str, Any]]:
    value = record.value
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, (int, float)):
        if question is not None and question.integer:
            return [{"valueInteger": int(value)}]
        return [{"valueDecimal": value}]
    system = answer_system(rules_id, record.question)
    if isinstance(value, list):
        labels = _multi_labels(record, question)
        return [_coding(system, code, labels.get(code)) for code in value]
    label = SKIP_LABEL if value == SKIP else record.label
    return [_coding(system, str(value), label)]


def _multi_labels(record: AnswerRecord, question: Question | None) -> dict[str, str]:
    if question is not None:
        return {o.value: o.label for o in question.options}
    pieces = record.label.split("; ")
    return dict(zip(record.value, pieces, strict=True)) if len(pieces) == len(record.value) else {}


def _coding(system: str, code: str, display: str | None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"valueCoding": coding}
