"""Names shared by the FHIR writers and readers: canonical URLs, code systems, extensions."""

from __future__ import annotations

import re
from typing import Any

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRE_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
DATA_ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"

SAFETY_GROUP = "group:safety"
ABOUT_GROUP = "group:about"
DISCLAIMER_ITEM = "display:disclaimer"
FACTOR_PREFIX = "factor:"


def questionnaire_url(rules_id: str) -> str:
    """The canonical URL of the Questionnaire made from the rule base ``rules_id``.

    gutcheck owns no web address, so the canonical is a URN made from the rule-base id; it
    names the questionnaire and is never fetched.
    """
    return f"urn:gutcheck:questionnaire:{rules_id}"


def resource_id(rules_id: str) -> str:
    """The Questionnaire's resource id: the rule-base id with what FHIR ids cannot hold ('_') as '-'."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", rules_id)[:64]


def answer_system(rules_id: str, question_id: str) -> str:
    """The code system of one question's option values (codes are the option values)."""
    return f"{questionnaire_url(rules_id)}:{question_id}"


def score_system(rules_id: str, what: str) -> str:
    """The code system of the score observations: ``factor``, ``score`` or ``level``."""
    return f"{questionnaire_url(rules_id)}:{what}"


def extension(url: str, **value: Any) -> dict[str, Any]:
    """One extension: ``extension(ORDINAL_VALUE, valueDecimal=2)``."""
    return {"url": url, **value}


def item_control(code: str) -> dict[str, Any]:
    """The questionnaire-itemControl extension with ``code`` (``help``, ``drop-down``...)."""
    coding = {"system": ITEM_CONTROL_SYSTEM, "code": code}
    return extension(ITEM_CONTROL, valueCodeableConcept={"coding": [coding]})
