"""Reading QuestionnaireResponses: score takes one, batch takes many; answers go the one answer path."""

from __future__ import annotations

import copy
import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import run

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests/data/mini.yaml")
SYSTEM = "urn:gutcheck:questionnaire:mini"
ANSWERS = {"blood": "no", "drink_freq": "weekly", "drink_amount": 4, "food_fibre": ["veg", "sweets"], "food_stress": "s2"}


def coding(question: str, code: str, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"system": f"{SYSTEM}:{question}", "code": code}
    if display:
        found["display"] = display
    return {"valueCoding": found}


def response(**extra: Any) -> dict[str, Any]:
    """A response to the mini rules' Questionnaire, as a form filler writes it (groups, codings)."""
    return {
        "resourceType": "QuestionnaireResponse", "questionnaire": f"{SYSTEM}|1.0.0", "status": "completed",
        "item": [
            {"linkId": "group:safety", "item": [{"linkId": "blood", "answer": [{"valueBoolean": False}]}]},
            {"linkId": "factor:drink", "item": [
                {"linkId": "drink_freq", "answer": [coding("drink_freq", "weekly", "Weekly")]},
                {"linkId": "drink_amount", "answer": [{"valueInteger": 4}]},
            ]},
            {"linkId": "factor:food", "item": [
                {"linkId": "food_fibre", "answer": [coding("food_fibre", "veg"), coding("food_fibre", "sweets")]},
                {"linkId": "food_stress", "answer": [coding("food_stress", "s2", "A little")]},
            ]},
        ],
        **extra,
    }


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


def score_json(*args: str) -> dict[str, Any]:
    result = run("score", *args, "--rules", MINI, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_response_scores_exactly_as_the_same_answers_in_yaml(tmp_path: Path) -> None:
    from_fhir = score_json(write(tmp_path, "r.json", response()))
    from_yaml = score_json(write(tmp_path, "a.yaml", yaml.safe_dump(ANSWERS)))
    assert from_fhir == from_yaml
    assert from_fhir["factors"][0]["raw"] == 2 + 2


def test_answers_are_matched_by_display_or_text_when_the_code_is_not_an_option(tmp_path: Path) -> None:
    changed = response()
    changed["item"][1]["item"][0]["answer"] = [{"valueCoding": {"system": "http://loinc.org", "code": "LA0000-0",
                                                               "display": "Weekly"}}]
    changed["item"][2]["item"][1]["answer"] = [{"valueString": "A little"}]
    assert score_json(write(tmp_path, "r.json", changed)) == score_json(write(tmp_path, "o.json", response()))


def test_declined_yes_no_and_number_answers_read_as_prefer_not_to_say(tmp_path: Path) -> None:
    rules = tmp_path / "skip.yaml"
    rules.write_text(Path(MINI).read_text().replace(
        "    type: yesno\n    advice", "    type: yesno\n    advice").replace(
        "        unit: drinks\n", "        unit: drinks\n        allow_skip: true\n"))
    declined = response()
    declined["item"][1]["item"][1] = {"linkId": "drink_amount", "extension": [
        {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "asked-declined"}]}
    result = run("score", write(tmp_path, "r.json", declined), "--rules", str(rules), "--format", "json")
    assert result.code == 0, result.err
    answers = {a["question"]: a["value"] for a in json.loads(result.out)["answers"]}
    assert answers["drink_amount"] == "prefer-not-to-say"


@pytest.mark.parametrize(("change", "words"), [
    ({"questionnaire": f"{SYSTEM}|0.9"}, "version 0.9 of mini, but the rule base is version 1.0.0"),
    ({"questionnaire": "http://example.org/Questionnaire/phq-9|1"}, "not 'urn:gutcheck:questionnaire:mini'"),
    ({"status": "entered-in-error"}, "entered-in-error"),
])
def test_a_response_to_another_questionnaire_is_refused(tmp_path: Path, change: dict, words: str) -> None:
    result = run("score", write(tmp_path, "r.json", response(**change)), "--rules", MINI)
    assert result.code == 3
    assert words in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("reference", ["Questionnaire/mini", "https://fhir.example.org/r4/Questionnaire/mini|1.0.0"])
def test_a_response_to_the_questionnaire_kept_on_a_server_is_accepted(tmp_path: Path, reference: str) -> None:
    assert score_json(write(tmp_path, "r.json", response(questionnaire=reference)))["rules"]["id"] == "mini"


def test_every_answer_that_does_not_fit_is_named_by_its_item(tmp_path: Path) -> None:
    bad = response()
    bad["item"][1]["item"][0]["answer"] = [coding("drink_freq", "sometimes", "Sometimes")]
    bad["item"][2]["item"][1]["answer"].append(coding("food_stress", "s1"))
    bad["item"].append({"linkId": "mood", "answer": [{"valueString": "fine"}]})
    result = run("score", write(tmp_path, "r.json", bad), "--rules", MINI)
    assert result.code == 3
    assert "item 'drink_freq': 'Sometimes' is not one of: Never | Weekly | Daily" in result.err
    assert "item 'food_stress': 2 answers, but the question takes one" in result.err
    assert "item 'mood': not a question of mini" in result.err


def test_score_takes_the_one_response_of_a_bundle_and_refuses_several(tmp_path: Path) -> None:
    one = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient"}}, {"resource": response()}]}
    assert score_json(write(tmp_path, "one.json", one)) == score_json(write(tmp_path, "r.json", response()))
    two = copy.deepcopy(one)
    two["entry"].append({"resource": response()})
    result = run("score", write(tmp_path, "two.json", two), "--rules", MINI)
    assert result.code == 3 and "holds 2 QuestionnaireResponses" in result.err and "gutcheck batch" in result.err


def responses() -> list[dict[str, Any]]:
    """Four responses: two fine (one named), one for another version, one with a bad answer."""
    named = response(id="resp-2", subject={"reference": "Patient/anna"})
    old = response(id="carl", questionnaire=f"{SYSTEM}|0.9")
    bad = response(identifier={"value": "dora"})
    bad["item"][1]["item"][0]["answer"] = [{"valueString": "sometimes"}]
    return [response(), named, old, bad]


def as_bundle() -> str:
    entries = [{"resource": r} for r in responses()] + [{"resource": {"resourceType": "Observation"}}]
    return json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": entries}, indent=2)


@pytest.mark.parametrize(("name", "text", "place"), [
    ("b.json", as_bundle(), "entry"),
    ("a.json", json.dumps(responses(), indent=1), "response"),
    ("r.ndjson", "\n".join(json.dumps(r) for r in responses()) + "\n", "line"),
])
def test_batch_scores_a_bundle_an_array_or_ndjson_with_located_errors(tmp_path: Path, name: str, text: str,
                                                                    place: str) -> None:
    errors = tmp_path / "errors.csv"
    result = run("batch", write(tmp_path, name, text), "--rules", MINI, "--format", "jsonl", "--errors", str(errors))
    assert result.code == 3
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [(r["client"], r["row"]) for r in records] == [("row 1", 1), ("Patient/anna", 2)]
    assert f"{place} 3: the response answers version 0.9 of mini" in result.err
    assert f"{place} 4, item 'drink_freq': 'sometimes' is not one of" in result.err
    assert "2 scored, 2 rejected, 4 rows read from" in result.err and "(FHIR QuestionnaireResponses)." in result.err
    rows = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert [(r["gutcheck row"], r["client"]) for r in rows] == [("3", "carl"), ("4", "dora")]
    assert (rows[1]["drink_freq"], rows[1]["food_fibre"], rows[1]["blood"]) == ("sometimes", "veg; sweets", "no")


def test_other_resources_are_skipped_with_one_warning(tmp_path: Path) -> None:
    result = run("batch", write(tmp_path, "b.json", as_bundle()), "--rules", MINI)
    assert "skipped resources that are not QuestionnaireResponses (1 Observation)" in result.err


def test_the_errors_file_of_responses_can_be_fixed_and_scored(tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"
    run("batch", write(tmp_path, "r.ndjson", "\n".join(json.dumps(r) for r in responses())), "--rules", MINI,
        "--errors", str(errors))
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(errors.read_text(encoding="utf-8").replace("sometimes", "weekly"), encoding="utf-8")
    result = run("batch", str(fixed), "--rules", MINI, "--format", "jsonl")
    assert result.code == 0, result.err
    assert [json.loads(line)["client"] for line in result.out.splitlines()] == ["carl", "dora"]


def test_a_bad_ndjson_line_is_rejected_alone_and_the_counts_add_up(tmp_path: Path) -> None:
    text = json.dumps(response()) + "\n{not json\n" + json.dumps(["a list"]) + "\n"
    result = run("batch", write(tmp_path, "r.ndjson", text), "--rules", MINI, "--input-format", "fhir")
    assert result.code == 3
    assert "line 2: not valid JSON" in result.err
    assert "line 3: expected a QuestionnaireResponse, not a JSON array" in result.err
    assert "1 scored, 2 rejected, 3 rows read" in result.err


def test_a_broken_bundle_is_refused_with_its_line(tmp_path: Path) -> None:
    result = run("batch", write(tmp_path, "b.json", as_bundle()[:-30]), "--rules", MINI)
    assert result.code == 3 and "b.json, line" in result.err and "not valid JSON" in result.err


def test_score_says_what_it_was_given_when_it_is_not_a_response(tmp_path: Path) -> None:
    questionnaire = run("rules", "export", MINI).out
    result = run("score", write(tmp_path, "q.json", questionnaire), "--rules", MINI)
    assert result.code == 3
    assert "is a FHIR Questionnaire, not a QuestionnaireResponse; fill it in with a form filler first" in result.err


def _json_values() -> Any:
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                       st.sampled_from(["weekly", "Weekly", "drink_freq", "blood", "food_fibre", "x", ""]))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["linkId", "item", "answer", "valueCoding", "valueString", "valueBoolean",
                                         "valueDecimal", "code", "display", "extension", "resource", "entry"]),
                        inner, max_size=4)), max_leaves=12)


def test_no_response_however_broken_gives_a_traceback() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from gutcheck.errors import InputError
    from gutcheck.interop.reading import read_one_response
    from gutcheck.rulebook.loading import load_rules

    rules = load_rules(MINI)

    item = st.fixed_dictionaries({"linkId": st.sampled_from(["blood", "drink_freq", "food_fibre", "drink_amount", 3])},
                                 optional={"answer": _json_values(), "item": _json_values(),
                                           "extension": _json_values()})
    answer = st.dictionaries(st.sampled_from(["valueCoding", "valueString", "valueBoolean", "valueInteger"]),
                             _json_values(), max_size=2)
    items = st.one_of(_json_values(), st.lists(item, max_size=3),
                      st.lists(item.map(lambda i: {**i, "answer": [{"valueBoolean": True}]}), max_size=2),
                      st.lists(answer, max_size=2).map(lambda a: [{"linkId": "food_fibre", "answer": a}]))

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(items, _json_values())
    def check(items: Any, extra: Any) -> None:
        resource = {"resourceType": "QuestionnaireResponse", "item": items, "questionnaire": extra}
        bundles = ({"resourceType": "Bundle", "entry": [{"resource": resource}, extra]},
                   {"resourceType": "Bundle", "entry": extra})
        for data in (resource, *bundles):
            try:
                read_one_response(rules, json.dumps(data), "r.json")
            except InputError as exc:
                assert exc.message.startswith("r.json")

    check()

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.one_of(_json_values(), items.map(lambda i: {**resource_of(i)})), min_size=1, max_size=4))
    def check_batch(lines: list[Any]) -> None:
        from gutcheck.batch.rows import ParsedRow, RejectedRow
        from gutcheck.batch.sources import open_batch

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.ndjson"
            path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
            try:
                with open_batch(rules, str(path), input_format="fhir") as batch:
                    rows = list(batch.rows())
            except InputError as exc:
                assert str(path) in exc.message
                return
            assert all(isinstance(row, (ParsedRow, RejectedRow)) for row in rows)
            assert batch.rows_read == len(rows)

    check_batch()


def resource_of(items: Any) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "item": items}
