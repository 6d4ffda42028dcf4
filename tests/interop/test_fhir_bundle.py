"""Results as FHIR: a Bundle with the response and score Observations; answers survive the round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from answer_strategies import answer_sets
from fhir_check import validate
from fhir_rule_bases import rule_bases
from helpers import run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import valid_answers

from gutcheck.engine.scoring import score, score_parsed
from gutcheck.interop.bundle import assessment_bundle
from gutcheck.interop.response import parse_response, read_response
from gutcheck.interop.response_out import response_resource
from gutcheck.rulebook.loading import load_rules

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests/data/mini.yaml")
WHEN = "2026-01-31T09:00:00+00:00"
AUDIT = {"alcohol_frequency": "2 to 4 times a month", "alcohol_typical_drinks": "3 or 4",
         "alcohol_six_or_more": "Less than monthly", "blood_in_stool": "no", "sleep_hours": "6,5"}


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def fhir_of(tmp_path: Path, answers: dict[str, Any], *rules: str) -> dict[str, Any]:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    result = run("score", str(path), *rules, "--format", "fhir")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_score_gives_a_valid_bundle_of_the_response_and_one_observation_per_score(tmp_path: Path) -> None:
    bundle = fhir_of(tmp_path, AUDIT)
    validate(bundle)
    assert bundle["type"] == "collection"
    (response,) = resources(bundle, "QuestionnaireResponse")
    validate(response)
    observations = resources(bundle, "Observation")
    rules = load_rules()
    codes = [o["code"]["coding"][0]["code"] for o in observations]
    assert codes == [f.id for f in rules.factors] + ["overall", "75626-2"]
    response_url = bundle["entry"][0]["fullUrl"]
    for observation in observations:
        validate(observation)
        assert observation["status"] == "final" and observation["effectiveDateTime"] == WHEN
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["derivedFrom"] == [{"reference": response_url}]
    alcohol = observations[0]
    assert alcohol["valueQuantity"] == {"value": 33.3, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    assert alcohol["interpretation"][0]["text"] == "moderate"
    assert observations[-1]["code"]["coding"][0]["display"] == "Total score [AUDIT-C]"
    assert observations[-1]["valueInteger"] == 2 + 1 + 1


def test_a_factor_that_could_not_be_scored_has_a_data_absent_reason(tmp_path: Path) -> None:
    bundle = fhir_of(tmp_path, {"drink_freq": "Prefer not to say", "food_stress": "s1"}, "--rules", MINI)
    drink = resources(bundle, "Observation")[0]
    assert "valueQuantity" not in drink
    assert drink["dataAbsentReason"]["text"] == "Not enough answers to score this."
    validate(bundle)


def test_the_audit_c_total_is_left_out_when_an_item_is_missing(tmp_path: Path) -> None:
    bundle = fhir_of(tmp_path, {k: v for k, v in AUDIT.items() if k != "alcohol_six_or_more"})
    assert "75626-2" not in json.dumps(bundle)
    never = fhir_of(tmp_path, {"alcohol_frequency": "Never"})
    assert resources(never, "Observation")[-1]["valueInteger"] == 0


def test_the_bundle_scores_again_to_the_same_assessment(tmp_path: Path) -> None:
    bundle = tmp_path / "result.json"
    bundle.write_text(json.dumps(fhir_of(tmp_path, AUDIT)), encoding="utf-8")
    again = run("score", str(bundle), "--format", "json")
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(AUDIT), encoding="utf-8")
    assert again.code == 0 and again.out == run("score", str(tmp_path / "a.yaml"), "--format", "json").out


def test_report_gives_the_same_bundle_from_a_saved_assessment(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(AUDIT), encoding="utf-8")
    saved = tmp_path / "me.json"
    saved.write_text(run("score", str(tmp_path / "a.yaml"), "--format", "json").out, encoding="utf-8")
    report = run("report", str(saved), "--format", "fhir")
    assert report.code == 0 and json.loads(report.out) == fhir_of(tmp_path, AUDIT)


def test_a_saved_assessment_of_other_rules_still_gives_a_valid_bundle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("drink_freq: daily\nblood: yes\nfood_fibre: [veg, sweets]\n", encoding="utf-8")
    saved = tmp_path / "me.json"
    saved.write_text(run("score", str(tmp_path / "a.yaml"), "--rules", MINI, "--format", "json").out)
    bundle = json.loads(run("report", str(saved), "-f", "fhir").out)
    validate(bundle)
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert [i["linkId"] for i in response["item"]] == ["blood", "factor:drink", "factor:food"]
    fibre = response["item"][2]["item"][0]["answer"]
    assert [a["valueCoding"]["display"] for a in fibre] == ["Vegetables", "Sweets"]


def test_batch_writes_one_bundle_per_client_that_batch_reads_back(tmp_path: Path) -> None:
    table = tmp_path / "clients.csv"
    table.write_text("client,drink_freq,food_stress\nanna,daily,s1\nben,never,s3\n", encoding="utf-8")
    result = run("batch", str(table), "--rules", MINI, "--format", "fhir")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 2
    for line in lines:
        validate(json.loads(line))
    assert resources(json.loads(lines[1]), "QuestionnaireResponse")[0]["identifier"] == {"value": "ben"}
    (tmp_path / "out.ndjson").write_text(result.out, encoding="utf-8")
    again = run("batch", str(tmp_path / "out.ndjson"), "--rules", MINI, "--format", "jsonl")
    original = run("batch", str(table), "--rules", MINI, "--format", "jsonl")
    assert again.code == 0
    unrowed = [[{k: v for k, v in json.loads(line).items() if k != "row"} for line in out.out.splitlines()]
               for out in (again, original)]
    assert unrowed[0] == unrowed[1]
    assert "skipped resources that are not QuestionnaireResponses (6 Observation)" in again.err


def round_trip(rules: Any, parsed: dict[str, Any]) -> None:
    assessment = score_parsed(rules, parsed, taken_at=WHEN, client="c-1")
    bundle = assessment_bundle(assessment, rules)
    validate(bundle)
    found = read_response(rules, bundle["entry"][0]["resource"])
    again, problems = parse_response(rules, found)
    assert problems == []
    assert score_parsed(rules, again, taken_at=WHEN, client=found.client) == assessment


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_answers_survive_the_round_trip_through_a_response_bundled_rules(data: st.DataObject) -> None:
    rules = load_rules()
    raw = data.draw(valid_answers(rules))
    assessment = score(rules, raw, taken_at=WHEN)
    parsed = rules.parse_answers(raw)
    assume(() not in parsed.values())
    round_trip(rules, parsed)
    response = response_resource(assessment, rules)
    again, _ = parse_response(rules, read_response(rules, response))
    assert score_parsed(rules, again, taken_at=WHEN) == assessment  # same as the answers in YAML


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), rule_bases())
def test_answers_survive_the_round_trip_through_a_response_random_rules(data: st.DataObject, made: Any) -> None:
    rules, _ = made
    parsed = data.draw(answer_sets(rules))
    assume(() not in parsed.values())
    round_trip(rules, parsed)
