"""The rule base as a FHIR Questionnaire: valid R4, every question, and follow-ups shown exactly as in gutcheck."""

from __future__ import annotations

import json
from pathlib import Path

from answer_strategies import answer_sets
from fhir_check import all_items, enabled, validate
from fhir_rule_bases import rule_bases
from helpers import run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gutcheck.engine.scoring import score_parsed
from gutcheck.interop.questionnaire import about_questions, questionnaire, raw_conditions
from gutcheck.interop.response_out import response_resource
from gutcheck.rulebook.loading import load_rules, load_rules_detailed
from gutcheck.rulebook.model import HIDDEN

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests/data/mini.yaml"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
WHEN = "2026-01-31T09:00:00+00:00"


def exported(*args: str) -> dict:
    result = run("rules", "export", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def by_link(resource: dict) -> dict[str, dict]:
    return {item["linkId"]: item for item in all_items(resource["item"])}


def test_the_bundled_rules_export_as_a_valid_r4_questionnaire() -> None:
    q = exported()
    validate(q)
    rules = load_rules()
    assert (q["url"], q["version"], q["status"]) == ("urn:gutcheck:questionnaire:gut-barrier", rules.version, "active")
    first, safety, *groups = q["item"]
    assert first == {"linkId": "display:disclaimer", "type": "display", "text": rules.disclaimer}
    assert [i["linkId"] for i in safety["item"]] == [rf.question.id for rf in rules.red_flags]
    about = [question.id for question in about_questions(rules)]
    if about:  # rule bases with `about:` questions have an "About you" group next
        about_group, *groups = groups
        assert (about_group["linkId"], [i["linkId"] for i in about_group["item"]]) == ("group:about", about)
    assert [g["linkId"] for g in groups] == [f"factor:{f.id}" for f in rules.factors]
    questions = {k: v for k, v in by_link(q).items() if k in rules.by_id}
    assert set(questions) == set(rules.by_id)


def test_types_options_and_points_follow_each_question(mini_rules) -> None:
    items = by_link(exported(str(MINI)))
    assert (items["blood"]["type"], items["blood"]["required"]) == ("boolean", True)
    assert items["drink_amount"]["type"] == "integer"
    assert {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
            "valueCoding": {"display": "drinks"}} in items["drink_amount"]["extension"]
    fibre = items["food_fibre"]
    assert (fibre["type"], fibre["repeats"]) == ("choice", True)
    codes = [(o["valueCoding"]["code"], o["valueCoding"]["display"], o["extension"][0]["valueDecimal"])
             for o in fibre["answerOption"]]
    assert codes == [(o.value, o.label, o.points) for o in mini_rules.by_id["food_fibre"].options]
    assert fibre["answerOption"][-1]["extension"][1]["url"].endswith("questionnaire-optionExclusive")
    freq = items["drink_freq"]
    assert freq["answerOption"][-1] == {"valueCoding": {
        "system": "urn:gutcheck:questionnaire:mini:drink_freq", "code": "prefer-not-to-say",
        "display": "Prefer not to say"}}
    assert "required" not in freq  # it may be declined
    control = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
    shown_as = {link: next(e["valueCodeableConcept"]["coding"][0]["code"] for e in items[link]["extension"]
                           if e["url"] == control) for link in ("drink_freq", "food_fibre", "food_stress")}
    assert shown_as == {"drink_freq": "radio-button", "food_fibre": "check-box", "food_stress": "radio-button"}


def test_show_if_becomes_enable_when_or_a_fhirpath_expression() -> None:
    items = by_link(exported(str(MINI)))
    system = "urn:gutcheck:questionnaire:mini:drink_freq"
    assert items["drink_amount"]["enableWhen"] == [
        {"question": "drink_freq", "operator": "exists", "answerBoolean": True},
        {"question": "drink_freq", "operator": "!=", "answerCoding": {"system": system, "code": "never"}},
        {"question": "drink_freq", "operator": "!=", "answerCoding": {"system": system, "code": "prefer-not-to-say"}},
    ]
    assert items["drink_amount"]["enableBehavior"] == "all"
    binge = items["drink_binge"]  # all of (an 'in' of two) and a comparison: FHIR has one join per item
    assert "enableWhen" not in binge
    (expression,) = [e["valueExpression"] for e in binge["extension"] if e["url"].endswith("enableWhenExpression")]
    assert expression["language"] == "text/fhirpath" and "drink_amount" in expression["expression"]


def test_audit_c_items_carry_the_loinc_codes_of_the_us_core_example() -> None:
    items = by_link(exported())
    assert items["factor:alcohol"]["code"][0]["code"] == "72109-2"
    assert items["alcohol_typical_drinks"]["code"][0] == {
        "system": "http://loinc.org", "code": "68519-8",
        "display": "How many standard drinks containing alcohol do you have on a typical day"}
    assert items["alcohol_six_or_more"]["code"][0]["code"] == "68520-6"
    assert "code" not in items["alcohol_frequency"]
    assert "code" not in by_link(exported(str(MINI)))["drink_freq"]


def test_export_writes_a_file_and_refuses_a_broken_rule_base(tmp_path: Path) -> None:
    target = tmp_path / "q.json"
    result = run("rules", "export", str(MINI), "--format", "fhir", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert json.loads(target.read_text())["url"] == "urn:gutcheck:questionnaire:mini"
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: x\n")
    failed = run("rules", "export", str(broken))
    assert failed.code == 4 and "broken.yaml" in failed.err and "Traceback" not in failed.err


def test_every_item_of_the_bundled_export_is_shown_as_the_quiz_would() -> None:
    loaded = load_rules_detailed(None)
    q = questionnaire(loaded.rules, raw_conditions(loaded.model.model_dump()))
    items = by_link(q)
    rules = loaded.rules
    answers = {"alcohol_frequency": "never", "nsaid_frequency": "most_days", "gluten_symptoms": "often"}
    parsed = rules.parse_answers({k: v for k, v in answers.items() if k in rules.by_id})
    _, _, states = rules.walk(parsed)
    response = response_resource(score_parsed(rules, parsed, taken_at=WHEN), rules)
    for question in rules.questions:
        assert enabled(items[question.id], response) == (states[question.id] is not HIDDEN), question.id


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), rule_bases())
def test_random_rule_bases_export_valid_questionnaires_that_show_what_gutcheck_shows(data, made) -> None:
    rules, raw = made
    q = questionnaire(rules, raw_conditions(raw))
    validate(q)
    items = by_link(q)
    parsed = data.draw(answer_sets(rules))
    assume(() not in parsed.values())  # nothing ticked is a blank field in a form (README says so)
    _, _, states = rules.walk(parsed)
    response = response_resource(score_parsed(rules, parsed, taken_at=WHEN), rules)
    validate(response)
    for question in rules.questions:
        assert enabled(items[question.id], response) == (states[question.id] is not HIDDEN), question.id


def test_about_you_questions_get_their_own_group_after_the_safety_questions(mini_rules) -> None:
    from dataclasses import dataclass, fields

    from gutcheck.rulebook.model import Question, RuleBase

    @dataclass(frozen=True)
    class WithAbout(RuleBase):  # the shape of a rule base with `about:` questions
        about: tuple[Question, ...] = ()

    age = Question(id="age_band", ask="How old are you?", kind="yesno", factor=None, allow_skip=True)
    left_out = ("questions", "by_id", "about")
    given = {f.name: getattr(mini_rules, f.name) for f in fields(RuleBase) if f.name not in left_out}
    q = questionnaire(WithAbout(**given, about=(age,)), {})
    validate(q)
    assert [i["linkId"] for i in q["item"][:3]] == ["display:disclaimer", "group:safety", "group:about"]
    assert q["item"][2]["item"] == [{"linkId": "age_band", "text": "How old are you?", "type": "boolean"}]


EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"


def test_none_of_these_is_marked_exclusive_on_its_answer_option() -> None:
    rules = load_rules()
    items = by_link(exported())
    for question in rules.questions:
        for option in items[question.id].get("answerOption", []):
            code = option["valueCoding"]["code"]
            exclusive = (code == "prefer-not-to-say" and question.kind == "multi") or any(
                o.exclusive for o in question.options if o.value == code)
            assert ({"url": EXCLUSIVE, "valueBoolean": True} in option.get("extension", [])) == exclusive, code
    none = next(o for o in items["diet_fibre_kinds"]["answerOption"] if o["valueCoding"]["code"] == "none")
    assert none["valueCoding"]["display"] == "None of these"
    assert {"url": EXCLUSIVE, "valueBoolean": True} in none["extension"]


def test_only_scored_questions_carry_points() -> None:
    rules = load_rules()
    items = by_link(exported())
    never_scored = {q.id for q in rules.questions if q.options and (
        q.factor is None or not any(o.points for o in q.options))}
    assert {"age_band", "sex", "nsaid_kinds"} <= never_scored
    for question in rules.questions:
        for option in items[question.id].get("answerOption", []):
            points = [e["valueDecimal"] for e in option.get("extension", []) if e["url"] == ORDINAL]
            code = option["valueCoding"]["code"]
            if question.id in never_scored or code == "prefer-not-to-say":
                assert points == [], (question.id, code)
            else:  # an option of a scored question keeps its points, 0 included
                assert points == [next(o.points for o in question.options if o.value == code)], (question.id, code)


def test_a_question_shown_by_an_expression_is_not_required_and_gutcheck_decides_on_import() -> None:
    for rules, args in ((load_rules(), ()), (load_rules(MINI), (str(MINI),))):
        items = by_link(exported(*args))
        for question in rules.questions:
            item = items[question.id]
            by_expression = any(e["url"] == EXPRESSION for e in item.get("extension", []))
            assert item.get("required", False) == (not question.allow_skip and not by_expression), question.id
    assert "required" not in by_link(exported())["gluten_avoiding"]
    rules = load_rules()
    applies = {"coeliac_tested": "never_tested", "gluten_symptoms": "often"}
    blank = score_parsed(rules, rules.parse_answers(applies), taken_at=WHEN)
    assert "gluten_avoiding" in blank.unanswered  # it applied and was left blank: said, not scored
    hidden = {"coeliac_tested": "diagnosed", "gluten_symptoms": "often", "gluten_avoiding": "yes"}
    ignored = score_parsed(rules, rules.parse_answers(hidden), taken_at=WHEN)
    assert "gluten_avoiding" not in [a.question for a in ignored.answers]  # did not apply: not counted
