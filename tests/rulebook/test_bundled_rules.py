"""The bundled gut-barrier rule base: valid, lint-clean, sourced, careful and kind.

These tests pin what a person relies on: AUDIT-C scored as published, every red flag
raising its notice whatever the scores, safety cautions where they belong, and wording
that never reads as a diagnosis or as hype.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from answer_strategies import answer_sets
from conftest import DATA
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gutcheck.engine.ranking import EVIDENCE_ORDER
from gutcheck.engine.scoring import score, score_parsed
from gutcheck.engine.urgency import URGENCY_IDS, URGENCY_ORDER, phrases_said, step_line, tier
from gutcheck.lint.content import HYPE, lint_rules
from gutcheck.rulebook.compiler import first_sentence
from gutcheck.rulebook.loading import load_rules_detailed
from gutcheck.rulebook.model import Question

LOADED = load_rules_detailed(None)
RULES = LOADED.rules
MODEL = LOADED.model
WHEN = "2026-01-31T09:00:00+00:00"
FACTOR_IDS = ["alcohol", "nsaids", "stress_sleep", "diet", "microbiome", "gluten"]
RED_FLAG_IDS = [
    "blood_in_stool", "black_stool", "vomiting_blood", "weight_loss", "trouble_swallowing", "persistent_vomiting",
    "fever_with_gut_symptoms", "jaundice", "belly_pain", "belly_or_back_passage_lump", "night_symptoms",
    "bowel_habit_change", "new_bloating", "anaemia", "family_history",
]
ABOUT_IDS = ["age_band", "sex"]


def factor_result(assessment: Any, factor_id: str) -> Any:
    return next(f for f in assessment.factors if f.id == factor_id)


def suggestion(suggestion_id: str) -> Any:
    return next(s for f in RULES.factors for s in f.suggestions if s.id == suggestion_id)


def all_texts() -> list[str]:
    texts = [RULES.title, RULES.disclaimer]
    texts += [t for rf in RULES.red_flags for t in (rf.question.ask, rf.advice)]
    for factor in RULES.factors:
        texts += [factor.title, factor.explanation, *(b.summary for b in factor.bands.bands)]
        for question in factor.questions:
            texts += [question.ask, question.help or "", *(o.label for o in question.options)]
        for item in factor.suggestions:
            texts += [item.text, item.why, item.caution or ""]
    return texts + [b.summary for b in RULES.overall.bands]


# --- validity, shape and lint ----------------------------------------------------------------


def test_bundled_rules_validate_and_lint_clean() -> None:
    result = run("rules", "validate")
    assert result.code == 0, result.err
    assert "6 factors" in result.out
    assert lint_rules(LOADED) == []
    linted = run("rules", "lint")
    assert linted.code == 0, linted.err
    assert "lint clean" in linted.out


def test_factors_cover_the_six_areas_with_three_to_six_questions_each() -> None:
    assert [f.id for f in RULES.factors] == FACTOR_IDS
    for factor in RULES.factors:
        assert 3 <= len(factor.questions) <= 6, factor.id
        assert factor.references, factor.id
    total = sum(len(f.questions) for f in RULES.factors)
    assert 22 <= total <= 30


def test_every_question_type_and_feature_is_used() -> None:
    questions = [q for f in RULES.factors for q in f.questions]
    assert {q.kind for q in questions} == {"choice", "multi", "yesno", "number", "scale"}
    multis = [q for q in questions if q.kind == "multi"]
    assert any(o.exclusive and o.label == "None of these" for q in multis for o in q.options)
    assert any(q.show_if is not None for q in questions)
    assert any(q.allow_skip for q in questions)


def test_about_you_then_red_flags_are_asked_first_and_cite_guidelines() -> None:
    # Age and sex first: they decide which safety questions apply and how urgent their advice is.
    assert [q.id for q in RULES.questions[:2]] == ABOUT_IDS
    assert [rf.question.id for rf in RULES.red_flags] == RED_FLAG_IDS
    assert [q.id for q in RULES.questions[2: 2 + len(RED_FLAG_IDS)]] == RED_FLAG_IDS
    for flag in RULES.red_flags:
        assert flag.urgency in URGENCY_IDS and all(rule.urgency in URGENCY_IDS for rule in flag.urgency_if)
        assert flag.references
        assert {RULES.references[r].kind for r in flag.references} == {"guideline"}
        assert re.search(r"doctor|clinician", flag.advice)


def every_advice() -> list[tuple[str, str, str, str]]:
    """(flag id, urgency, advice, step) of every result a red flag can give."""
    return [(flag.question.id, *flag.at(rule)[:2], step_line(*flag.at(rule)[::2]))
            for flag in RULES.red_flags for rule in range(-1, len(flag.urgency_if))]


def test_every_red_flag_label_says_the_time_frame_its_advice_opens_with() -> None:
    # "urgent: within days" beside "contact a doctor today" would contradict itself: every
    # advice a flag can give opens with its urgency's time frame, and says no other first.
    for flag_id, urgency, advice, step in every_advice():
        assert phrases_said(first_sentence(advice)) == (urgency,), (flag_id, urgency, first_sentence(advice))
        assert step.lower().startswith(tier(urgency).time_frame + ":"), (flag_id, step)
    urgencies = {urgency for _, urgency, _, _ in every_advice()}
    assert {"emergency", "same_day", "urgent", "two_weeks", "soon", "routine"} <= urgencies


def test_texts_are_present_and_free_of_hype() -> None:
    for question in RULES.questions:
        assert question.ask.strip(), question.id
        assert all(o.label.strip() for o in question.options), question.id
    for text in all_texts():
        assert not HYPE.search(text), text
        for word in ("cure", "detox", "heal your gut", "miracle"):
            assert word not in text.lower(), text


def test_disclaimer_says_education_not_diagnosis_and_what_to_do_in_an_emergency() -> None:
    disclaimer = RULES.disclaimer.lower()
    assert "education" in disclaimer
    assert "not a diagnosis" in disclaimer
    assert "not an accepted medical diagnosis" in disclaimer
    assert "emergency number" in disclaimer


def test_band_summaries_speak_of_risk_factor_load_never_of_a_condition() -> None:
    summaries = [b.summary for f in RULES.factors for b in f.bands.bands]
    summaries += [b.summary for b in RULES.overall.bands]
    for summary in summaries:
        assert "load" in summary.lower(), summary
        assert "leaky gut" not in summary.lower(), summary
        assert not re.search(r"\byou have\b", summary.lower()), summary
    assert all("not a diagnosis" in b.summary for b in RULES.overall.bands)


# --- references ------------------------------------------------------------------------------


def test_identifiers_have_checked_shapes_and_links_are_https() -> None:
    for ref in RULES.references.values():
        if ref.doi is not None:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", ref.doi), ref.id
        if ref.pmid is not None:
            assert re.fullmatch(r"[1-9]\d{0,8}", ref.pmid), ref.id
        if ref.pmcid is not None:
            assert re.fullmatch(r"PMC\d+", ref.pmcid), ref.id
        assert all(link.startswith("https://") for link in ref.links), ref.id


def test_identifiers_not_checked_in_the_evidence_are_not_printed() -> None:
    refs = RULES.references
    assert (refs["smecuol2001"].doi, refs["smecuol2001"].pmid) == (None, "11600467")
    assert refs["suzuki2009"].links == ()
    assert (refs["sapone2006"].doi, refs["sapone2006"].pmid) == ("10.2337/db05-1593", None)
    assert refs["lacy2024"].links == (
        "https://pubmed.ncbi.nlm.nih.gov/39193076/",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC11345991/",
    )


CHECKED = yaml.safe_load((DATA / "evidence-checked.yaml").read_text(encoding="utf-8"))
EVIDENCE_FILE = Path(__file__).resolve().parents[3] / "shared" / "evidence" / "references.yaml"


def test_every_identifier_printed_is_marked_checked_in_the_evidence() -> None:
    for ref in RULES.references.values():
        printed = {name: getattr(ref, name) for name in ("doi", "pmid", "pmcid", "url") if getattr(ref, name)}
        assert printed.items() <= CHECKED.get(ref.id, {}).items(), ref.id


@pytest.mark.skipif(not EVIDENCE_FILE.exists(), reason="the evidence file is kept beside the project, not in it")
def test_the_checked_list_is_the_evidence_files_own() -> None:
    evidence = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))
    found = {
        ref_id: {name: str(entry[name]) for name in entry["checked"] if name in entry}
        for section in evidence.values() if isinstance(section, dict)
        for ref_id, entry in section.items() if isinstance(entry, dict) and "checked" in entry
    }
    assert found == CHECKED


def test_no_suggestion_is_graded_stronger_than_its_strongest_source() -> None:
    for factor in RULES.factors:
        for item in factor.suggestions:
            strongest = min(EVIDENCE_ORDER[RULES.references[r].kind] for r in item.references)
            assert EVIDENCE_ORDER[item.evidence] >= strongest, item.id
    # the emulsifier evidence is mostly in mice: graded so, though its source is a review
    assert suggestion("processed-less").evidence == "lab"


def test_lab_only_and_unproven_evidence_is_graded_and_worded_so() -> None:
    for factor in RULES.factors:
        for item in factor.suggestions:
            if "suzuki2009" in item.references:  # quercetin: cell work only
                assert item.evidence == "lab", item.id
                assert "cell studies only" in item.why
    for item_id in ("after-antibiotics", "stress-daily-habit"):
        assert "plausible but not proven" in suggestion(item_id).why


# --- AUDIT-C ---------------------------------------------------------------------------------

AUDIT_C_ITEMS = {
    "alcohol_frequency": [
        "Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week", "4 or more times a week",
    ],
    "alcohol_typical_drinks": ["1 or 2", "3 or 4", "5 or 6", "7 to 9", "10 or more"],
    "alcohol_six_or_more": ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"],
}


@pytest.mark.parametrize("question_id", list(AUDIT_C_ITEMS))
def test_audit_c_items_score_zero_to_four_as_published(question_id: str) -> None:
    question = RULES.by_id[question_id]
    assert [(o.label, o.points) for o in question.options] == list(zip(AUDIT_C_ITEMS[question_id], range(5), strict=True))


# (frequency, typical drinks, six or more, published AUDIT-C total, level of its band)
AUDIT_C_CASES = [
    ("Never", None, None, 0, "low"),
    ("Monthly or less", "1 or 2", "Never", 1, "low"),
    ("Monthly or less", "3 or 4", "Never", 2, "low"),
    ("2 to 4 times a month", "1 or 2", "Less than monthly", 3, "moderate"),
    ("2 to 3 times a week", "1 or 2", "Never", 3, "moderate"),
    ("2 to 3 times a week", "3 or 4", "Less than monthly", 5, "moderate"),
    ("2 to 4 times a month", "5 or 6", "Monthly", 6, "moderate"),
    ("4 or more times a week", "3 or 4", "Monthly", 7, "moderate"),
    ("4 or more times a week", "5 or 6", "Weekly", 9, "high"),
    ("4 or more times a week", "10 or more", "Daily or almost daily", 12, "high"),
]


@pytest.mark.parametrize(("frequency", "typical", "heavy", "total", "level"), AUDIT_C_CASES)
def test_alcohol_points_equal_the_published_audit_c_total(
    frequency: str, typical: str | None, heavy: str | None, total: int, level: str
) -> None:
    answers = {"alcohol_frequency": frequency}
    if typical is not None:
        answers |= {"alcohol_typical_drinks": typical, "alcohol_six_or_more": heavy}
    alcohol = factor_result(score(RULES, answers, taken_at=WHEN), "alcohol")
    assert alcohol.raw == total
    assert alcohol.level == level


@pytest.mark.parametrize("total", range(13))
def test_audit_c_cut_offs_give_the_published_screen_result(total: int) -> None:
    level = RULES.factors[0].bands.find(total).level
    positive_for_women, positive_for_men = total >= 3, total >= 4
    assert (level != "low") == positive_for_women
    if positive_for_men:
        assert level in ("moderate", "high")
    assert (level == "high") == (total >= 8)


# --- red flags -------------------------------------------------------------------------------


def extreme_answers(highest: bool) -> dict[str, Any]:
    """Every factor question answered with its lowest- or highest-scoring option."""
    answers: dict[str, Any] = {}
    for factor in RULES.factors:
        for question in factor.questions:
            answers[question.id] = pick(question, highest)
    return answers


def pick(question: Question, highest: bool) -> Any:
    if question.kind == "yesno":
        return highest
    if question.kind == "number":
        values = [question.minimum, question.maximum, *question.bounds]
        return sorted(values, key=question.points, reverse=highest)[0]
    plain = [o for o in question.options if not o.exclusive] if question.kind == "multi" else question.options
    ranked = sorted(plain, key=lambda o: o.points, reverse=highest)
    return [ranked[0].value] if question.kind == "multi" else ranked[0].value


@pytest.mark.parametrize("flag_id", RED_FLAG_IDS)
@pytest.mark.parametrize("answers", [{}, extreme_answers(False), extreme_answers(True)], ids=["none", "low", "high"])
def test_a_red_flag_answered_yes_gives_its_notice_whatever_the_scores(flag_id: str, answers: dict[str, Any]) -> None:
    # A woman of 60 or over is asked every safety question, including those shown only when they apply.
    flags = dict.fromkeys(RED_FLAG_IDS, "no") | {flag_id: "yes"}
    raw = {**answers, **flags, "age_band": "age_60_plus", "sex": "female"}
    assessment = score(RULES, raw, taken_at=WHEN)
    assert [f.id for f in assessment.red_flags] == [flag_id]
    flag = next(rf for rf in RULES.red_flags if rf.question.id == flag_id)
    urgency, advice, _ = flag.at(flag.rule_for(RULES.walk(RULES.parse_answers(raw))[0]))
    assert (assessment.red_flags[0].urgency, assessment.red_flags[0].advice) == (urgency, advice)
    assert assessment.red_flags[0].kind == flag.kind
    assert assessment.first_steps[0] == flag_id  # its action is the first step
    assert set(flag.references) <= set(assessment.references)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(RULES, complete=True), flags=st.sets(st.sampled_from(RED_FLAG_IDS)))
def test_red_flags_never_change_a_score(answers: dict[str, Any], flags: set[str]) -> None:
    without = {**answers, **dict.fromkeys(RED_FLAG_IDS, False)}
    with_flags = without | dict.fromkeys(flags, True)
    if "family_history" in flags:
        # It opens the coeliac family question; answered "no" (no points) it must change nothing,
        # just as when it stays hidden.
        with_flags["coeliac_family"] = False
        without.pop("coeliac_family", None)
    plain = score_parsed(RULES, without, taken_at=WHEN)
    flagged = score_parsed(RULES, with_flags, taken_at=WHEN)
    shown = RULES.walk(with_flags)[0]
    assert {f.id for f in flagged.red_flags} == {i for i in flags if i in shown}
    ranks = [URGENCY_ORDER[f.urgency] for f in flagged.red_flags]
    assert ranks == sorted(ranks)  # most urgent first
    assert [(f.raw, f.level) for f in flagged.factors] == [(f.raw, f.level) for f in plain.factors]


# --- safety ----------------------------------------------------------------------------------


def test_low_dose_aspirin_is_never_to_be_stopped_without_the_prescriber() -> None:
    assessment = score(RULES, {"low_dose_aspirin": "yes", "nsaid_frequency": "Never or almost never"}, taken_at=WHEN)
    given_ids = [s.id for s in assessment.suggestions]
    assert "aspirin-keep-taking" in given_ids
    item = suggestion("aspirin-keep-taking")
    assert "sundstrom2017" in item.references
    assert "Keep taking" in item.text
    assert "without the prescriber" in (item.caution or "")
    for factor in RULES.factors:
        for other in factor.suggestions:
            assert not re.search(r"\bstop (taking )?(your )?(aspirin|medicine)", other.text.lower()), other.id


def gluten_answer_sets() -> list[dict[str, Any]]:
    choices = {
        "family_history": [True, False],
        "coeliac_family": [True, False],
        "gluten_symptoms": [o.value for o in RULES.by_id["gluten_symptoms"].options],
        "type1_diabetes": [True, False],
        "coeliac_tested": [o.value for o in RULES.by_id["coeliac_tested"].options],
        "gluten_avoiding": [True, False],
    }
    return [dict(zip(choices, combo, strict=True)) for combo in itertools.product(*choices.values())]


def test_going_gluten_free_is_never_suggested_before_testing() -> None:
    for answers in gluten_answer_sets():
        assessment = score_parsed(RULES, answers, taken_at=WHEN)
        given = [s for s in assessment.suggestions if s.factor == "gluten"]
        if answers["coeliac_tested"] == "diagnosed":
            continue
        for item in given:
            assert "gluten-free" not in item.text.lower(), (answers, item.id)
        if answers["gluten_symptoms"] != "never" and answers["coeliac_tested"] == "never_tested":
            # Someone who does not eat gluten at all gets the caution that testing needs gluten,
            # never "keep eating foods with gluten".
            avoids = answers["gluten_avoiding"] or answers["gluten_symptoms"] == "not_eating"
            expected = "gluten-already-avoided" if avoids else "coeliac-test-first"
            assert expected in [s.id for s in given], answers
            if answers["gluten_symptoms"] == "not_eating":
                assert "coeliac-test-first" not in [s.id for s in given], answers
    test_first = suggestion("coeliac-test-first")
    assert "keep eating foods with gluten" in test_first.text
    assert {"rubiotapia2023", "nice_ng20"} <= set(test_first.references)


@pytest.mark.parametrize(
    ("suggestion_id", "phrases"),
    [
        ("zinc-from-food", ["40 mg", "copper", "pregnant", "child", "kidney or liver disease", "prescribed medicines"]),
        ("vitamin-d-check", ["4000 IU", "pregnant", "child", "kidney or liver disease", "prescribed medicines"]),
        ("glutamine-ask-clinician", ["critically ill", "kidney disease", "pregnant", "child", "liver disease"]),
        ("colourful-plants", ["liver injury", "pregnant", "child", "kidney or liver disease"]),
    ],
)
def test_supplement_suggestions_carry_their_cautions(suggestion_id: str, phrases: list[str]) -> None:
    caution = suggestion(suggestion_id).caution or ""
    for phrase in phrases:
        assert phrase in caution, phrase
    assert "heyland2013" in suggestion("glutamine-ask-clinician").references
    assert "halegoua2023" in suggestion("colourful-plants").references


def test_not_a_diagnosis_is_sourced_to_lacy_2024() -> None:
    assert "Lacy" in RULES.disclaimer
    assert "lacy2024" in suggestion("leaky-gut-products").references
    assessment = score(RULES, {}, taken_at=WHEN)
    assert "lacy2024" in assessment.references


def test_rules_show_reads_plainly() -> None:
    result = run("rules", "show")
    assert result.code == 0, result.err
    assert "Gut barrier self-check" in result.out
    assert not HYPE.search(result.out)

