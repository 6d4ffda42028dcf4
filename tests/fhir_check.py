"""Test helpers for FHIR: validation with fhir.resources (R4B models) and an enableWhen evaluator.

The evaluator follows the R4 rules for ``enableWhen`` (``=`` and the comparisons hold when some
answer meets them, ``!=`` when no answer equals the value, ``exists`` on whether there is an
answer) and runs the SDC ``enableWhenExpression`` with fhirpathpy, so the tests judge the
export by FHIR's meaning rather than by gutcheck's own code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"


def validate(resource: dict[str, Any]) -> None:
    """Raise if ``resource`` is not a valid FHIR resource of its type (R4B models)."""
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation
    from fhir.resources.R4B.questionnaire import Questionnaire
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    models = {"Bundle": Bundle, "Observation": Observation, "Questionnaire": Questionnaire,
              "QuestionnaireResponse": QuestionnaireResponse}
    models[resource["resourceType"]].model_validate(resource)


def all_items(items: list[dict[str, Any]] | None) -> Iterator[dict[str, Any]]:
    """Every item at any depth."""
    for item in items or []:
        yield item
        yield from all_items(item.get("item"))


def answers_of(response: dict[str, Any], link_id: str) -> list[dict[str, Any]]:
    """The answers a response gives to ``link_id``."""
    return [a for item in all_items(response.get("item")) if item["linkId"] == link_id for a in item.get("answer", [])]


def enabled(item: dict[str, Any], response: dict[str, Any]) -> bool:
    """Whether a form filler shows ``item`` given ``response``, by FHIR's rules."""
    for extension in item.get("extension", []):
        if extension["url"] == ENABLE_WHEN_EXPRESSION:
            from fhirpathpy import evaluate
            from fhirpathpy.models import models

            result = evaluate(response, extension["valueExpression"]["expression"], {"resource": response},
                              models["r4"])
            return result == [True]
    tests = [_holds(test, answers_of(response, test["question"])) for test in item.get("enableWhen", [])]
    if not tests:
        return True
    return any(tests) if item.get("enableBehavior") == "any" else all(tests)


def _holds(test: dict[str, Any], answers: list[dict[str, Any]]) -> bool:
    operator = test["operator"]
    if operator == "exists":
        return bool(answers) == test["answerBoolean"]
    key = next(k for k in test if k.startswith("answer"))
    wanted = _comparable(test[key])
    values = [_comparable(next(v for k, v in a.items() if k.startswith("value"))) for a in answers]
    if operator == "!=":
        return all(v != wanted for v in values)
    compare = {"=": lambda a, b: a == b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
               "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}[operator]
    return any(compare(v, wanted) for v in values)


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):  # a Coding: system and code
        return (value.get("system"), value.get("code"))
    return value
