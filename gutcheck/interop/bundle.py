"""An assessment as a FHIR ``Bundle`` (type collection) a record system can file.

The bundle holds the QuestionnaireResponse and one ``Observation`` per factor score and one for
the overall score (status final, category survey, the percent as a UCUM ``%`` quantity, the
level as its interpretation, ``derivedFrom`` the response), plus the AUDIT-C total under its
LOINC code when the rule base holds the AUDIT-C. Ids are stable: the same assessment always
gives the same bundle.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from gutcheck.interop import instruments
from gutcheck.interop.common import DATA_ABSENT_SYSTEM, OBSERVATION_CATEGORY, UCUM, score_system
from gutcheck.interop.response_out import response_resource

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.rulebook.model import RuleBase

_SURVEY = {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}


def assessment_bundle(assessment: Assessment, rules: RuleBase | None = None) -> dict[str, Any]:
    """The Bundle of ``assessment``: its QuestionnaireResponse and the score Observations."""
    seed = _seed(assessment)
    response_url = _urn(seed, "response")
    entries = [{"fullUrl": response_url, "resource": response_resource(assessment, rules)}]
    maker = _Observations(assessment, response_url)
    for factor in assessment.factors:
        code = {"system": score_system(assessment.rules.id, "factor"), "code": factor.id, "display": factor.title}
        entries.append(_entry(seed, f"factor:{factor.id}", maker.score(code, factor.percent, factor.level,
                                                                         factor.summary)))
    overall = assessment.overall
    code = {"system": score_system(assessment.rules.id, "score"), "code": "overall", "display": "Overall score"}
    entries.append(_entry(seed, "overall", maker.score(code, overall.percent, overall.level, overall.summary)))
    total = _audit_c_total(assessment, rules)
    if total is not None:
        entries.append(_entry(seed, "audit-c", maker.total(total)))
    return {"resourceType": "Bundle", "type": "collection", "timestamp": assessment.taken_at, "entry": entries}


def bundle_text(assessment: Assessment, rules: RuleBase | None = None) -> str:
    """The Bundle as indented JSON text."""
    return json.dumps(assessment_bundle(assessment, rules), indent=2, ensure_ascii=False) + "\n"


class _Observations:
    def __init__(self, assessment: Assessment, response_url: str) -> None:
        self.assessment = assessment
        self.common: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [_SURVEY],
            "effectiveDateTime": assessment.taken_at,
            "derivedFrom": [{"reference": response_url}],
        }
        if assessment.client:
            self.common["subject"] = {"display": assessment.client}

    def score(self, code: dict[str, Any], percent: float | None, level: str | None, summary: str) -> dict[str, Any]:
        """A score as a percent, its level as the interpretation and its summary as a note."""
        observation: dict[str, Any] = {**self.common, "code": {"coding": [code], "text": code["display"]}}
        if percent is None:
            observation["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT_SYSTEM, "code": "unknown"}],
                                               "text": summary}
            return observation
        observation["valueQuantity"] = {"value": percent, "unit": "%", "system": UCUM, "code": "%"}
        if level:
            level_code = {"system": score_system(self.assessment.rules.id, "level"), "code": level}
            observation["interpretation"] = [{"coding": [level_code], "text": level}]
        observation["note"] = [{"text": summary}]
        return observation

    def total(self, total: int) -> dict[str, Any]:
        """The AUDIT-C total under its LOINC code."""
        code = instruments.loinc(instruments.AUDIT_C_TOTAL)
        return {**self.common, "code": {"coding": [code], "text": code["display"]}, "valueInteger": total}


def _audit_c_total(assessment: Assessment, rules: RuleBase | None) -> int | None:
    if rules is None:
        return None
    answers = {record.question: _parsed(record.value) for record in assessment.answers}
    return instruments.audit_c_total(rules, answers)


def _parsed(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _seed(assessment: Assessment) -> str:
    answers = [(r.question, r.value) for r in assessment.answers]
    return json.dumps([assessment.rules.hash, assessment.taken_at, assessment.client, answers], default=str)


def _urn(seed: str, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'gutcheck:{seed}:{what}')}"


def _entry(seed: str, what: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": _urn(seed, what), "resource": resource}
