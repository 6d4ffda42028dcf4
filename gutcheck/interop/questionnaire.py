"""A rule base as an R4 ``Questionnaire``: a form any FHIR form filler can show.

The items are a display item with the disclaimer, then a group of the safety (red-flag)
questions, a group of "about you" questions when the rule base has them, and one group per
factor. Each question's ``linkId`` is its id; options are codings (code = option value,
display = label) with their points as ``ordinalValue`` (none on a question that is never
scored); ``show_if`` becomes ``enableWhen`` or an ``enableWhenExpression`` (see
:mod:`gutcheck.interop.enable_when`), and a question shown by an expression is not ``required``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from gutcheck.answers.parse import SKIP, SKIP_LABEL
from gutcheck.interop import instruments
from gutcheck.interop.common import (
    ABOUT_GROUP,
    DISCLAIMER_ITEM,
    ENABLE_WHEN_EXPRESSION,
    FACTOR_PREFIX,
    MAX_OCCURS,
    MAX_VALUE,
    MIN_OCCURS,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    ORDINAL_VALUE,
    QUESTIONNAIRE_UNIT,
    SAFETY_GROUP,
    answer_system,
    extension,
    item_control,
    questionnaire_url,
    resource_id,
)
from gutcheck.interop.enable_when import enable_fields
from gutcheck.rulebook.model import Question, RuleBase

SAFETY_TITLE = "Safety questions"
ABOUT_TITLE = "About you"
RADIO_LIMIT = 7  # choices with more options are a drop-down list


def questionnaire(rules: RuleBase, conditions: Mapping[str, Any]) -> dict[str, Any]:
    """The Questionnaire of ``rules``; ``conditions`` maps question ids to their raw ``show_if``."""
    maker = _Maker(rules, conditions)
    return {
        "resourceType": "Questionnaire",
        "id": resource_id(rules.id),
        "url": questionnaire_url(rules.id),
        "version": rules.version,
        "name": computable_name(rules.id),
        "title": rules.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": rules.disclaimer,
        "item": list(maker.items()),
    }


def computable_name(rules_id: str) -> str:
    """A name fit for machines (letters, digits, '_', starting with a capital) made from the id."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", rules_id) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name if name[:1].isalpha() else f"Q{name}"


def about_questions(rules: RuleBase) -> tuple[Question, ...]:
    """The rule base's "about you" questions, if this gutcheck's rule bases have them."""
    found = getattr(rules, "about", ()) or ()
    return tuple(getattr(item, "question", item) for item in found)


def raw_conditions(data: Any) -> dict[str, Any]:
    """Every question's raw ``show_if`` in rule-base data (the checked model's dump), by id."""
    found: dict[str, Any] = {}
    if isinstance(data, Mapping):
        if isinstance(data.get("id"), str) and "ask" in data and data.get("show_if"):
            found[data["id"]] = data["show_if"]
        for value in data.values():
            found.update(raw_conditions(value))
    elif isinstance(data, list):
        for value in data:
            found.update(raw_conditions(value))
    return found


class _Maker:
    def __init__(self, rules: RuleBase, conditions: Mapping[str, Any]) -> None:
        self.rules = rules
        self.conditions = conditions
        audit = instruments.audit_c_items(rules)
        self.audit_panel = audit[0].id if audit is not None and audit[0].questions == audit[1] else None
        self.codes = instruments.item_codes(rules)

    def items(self) -> Iterator[dict[str, Any]]:
        yield {"linkId": DISCLAIMER_ITEM, "type": "display", "text": self.rules.disclaimer}
        flags = tuple(rf.question for rf in self.rules.red_flags)
        if flags:
            yield self.group(SAFETY_GROUP, SAFETY_TITLE, flags)
        about = about_questions(self.rules)
        if about:
            yield self.group(ABOUT_GROUP, ABOUT_TITLE, about)
        for factor in self.rules.factors:
            group = self.group(FACTOR_PREFIX + factor.id, factor.title, factor.questions)
            if factor.id == self.audit_panel:
                group["code"] = [instruments.loinc(instruments.AUDIT_C_PANEL)]
            yield group

    def group(self, link_id: str, title: str, questions: tuple[Question, ...]) -> dict[str, Any]:
        return {"linkId": link_id, "type": "group", "text": title,
                "item": [self.question(q) for q in questions]}

    def question(self, question: Question) -> dict[str, Any]:
        item: dict[str, Any] = {"linkId": question.id, "text": question.ask, **_kind(self.rules.id, question)}
        shown = enable_fields(self.rules, self.conditions.get(question.id))
        # Shown only by a FHIRPath expression: a form filler that cannot evaluate it (LHC-Forms
        # 40.1.3's checkValidity) would insist on an answer to a question it does not show, so
        # the form does not require it; gutcheck decides on import whether it applied.
        by_expression = any(e.get("url") == ENABLE_WHEN_EXPRESSION for e in shown.get("extension", []))
        if not question.allow_skip and not by_expression:
            item["required"] = True
        code = self.codes.get(question.id)
        if code is not None:
            item["code"] = [instruments.loinc(code)]
        item["extension"] = [*item.get("extension", []), *shown.pop("extension", [])]
        if not item["extension"]:
            del item["extension"]
        item.update(shown)
        if question.help:
            item["item"] = [{"linkId": f"{question.id}:help", "type": "display", "text": question.help,
                             "extension": [item_control("help")]}]
        return item


def _kind(rules_id: str, question: Question) -> dict[str, Any]:
    """The item's type and answer fields, as its kind says: options as codings, a number's range."""
    kind = question.type
    if not kind.has_options:
        return _number(question) if kind.numeric else {"type": kind.fhir_type(question)}
    system = answer_system(rules_id, question.id)
    # A question never scored (about you; one whose options all give 0) carries no points: a form
    # filler would show them ("Female - 0") as if it counted.
    scored = question.factor is not None and any(o.points for o in question.options)
    options = [_option(system, o.value, o.label, o.points if scored else None, exclusive=o.exclusive)
               for o in question.options]
    if question.allow_skip:
        options.append(_option(system, SKIP, SKIP_LABEL, None, exclusive=kind.several))
    control = "radio-button" if len(options) <= RADIO_LIMIT else "drop-down"
    control = "check-box" if kind.several else control
    fields: dict[str, Any] = {"type": kind.fhir_type(question), "answerOption": options,
                              "extension": [item_control(control)]}
    if kind.several:
        fields["repeats"] = True
        if question.min_picks:
            fields["extension"].append(extension(MIN_OCCURS, valueInteger=question.min_picks))
        if question.max_picks:
            fields["extension"].append(extension(MAX_OCCURS, valueInteger=question.max_picks))
    return fields


def _option(system: str, code: str, label: str, points: int | None, *, exclusive: bool) -> dict[str, Any]:
    option: dict[str, Any] = {"valueCoding": {"system": system, "code": code, "display": label}}
    extensions = [extension(ORDINAL_VALUE, valueDecimal=points)] if points is not None else []
    if exclusive:
        extensions.append(extension(OPTION_EXCLUSIVE, valueBoolean=True))
    if extensions:
        option["extension"] = extensions
    return option


def _number(question: Question) -> dict[str, Any]:
    low: dict[str, Any] = {"valueDecimal": question.minimum}
    high: dict[str, Any] = {"valueDecimal": question.maximum}
    if question.integer:
        low, high = {"valueInteger": math.ceil(question.minimum)}, {"valueInteger": math.floor(question.maximum)}
    extensions = [extension(MIN_VALUE, **low), extension(MAX_VALUE, **high)]
    if question.unit:
        extensions.append(extension(QUESTIONNAIRE_UNIT, valueCoding={"display": question.unit}))
    return {"type": question.type.fhir_type(question), "extension": extensions}
