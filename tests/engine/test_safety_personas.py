"""People with alarm symptoms, young people and heavy drinkers, scored with the bundled rules.

Each persona says in its docstring why a clinician with the guidelines at hand (NICE NG12 as
updated in 2023, BSG 2021 on iron-deficiency anaemia, USPSTF 2018 on alcohol, AASM 2016 on
young people's sleep) would expect what it pins: the alarm symptom drives the whole result,
its action is step 1 with its time frame in words, nothing under the notice reads as
reassurance, and nothing invites a person to treat the symptom themselves.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score
from gutcheck.render import ReportFormat, render
from gutcheck.render.terminal import render_text
from gutcheck.rulebook.loading import load_rules

RULES = load_rules(None)
WHEN = "2026-01-31T09:00:00+00:00"
NO_FLAGS = {flag.question.id: "no" for flag in RULES.red_flags}
HEALTHY = {
    "alcohol_frequency": "never", "nsaid_frequency": "never", "low_dose_aspirin": "no",
    "stress_level": "a_little", "stress_unwind": "most_days", "sleep_hours": 7.5,
    "sleep_rested": "most_mornings", "diet_plant_meals": "three_or_more",
    "diet_fibre_kinds": ["vegetables", "fruit", "beans", "whole_grains", "nuts_seeds"],
    "diet_fermented": "most_days", "diet_processed": "rarely", "diet_added_sugar": "rarely",
    "diet_polyphenols": "most_days", "antibiotics_last": "longer_ago", "gut_infection": "no",
    "crohns_disease": "no", "gluten_symptoms": "never", "type1_diabetes": "no",
}
# Words that would read as reassurance under a "see a clinician" notice.
REASSURING = ("few of the habits", "nothing to worry", "Low overall risk-factor load")


def assess(**answers: Any) -> Assessment:
    return score(RULES, {**NO_FLAGS, **HEALTHY, **answers}, taken_at=WHEN)


def every_output(assessment: Assessment) -> dict[ReportFormat, str]:
    return {fmt: render(assessment, fmt) for fmt in ReportFormat}


def flag(assessment: Assessment, flag_id: str) -> Any:
    return next(f for f in assessment.red_flags if f.id == flag_id)


def test_a_45_year_old_with_rectal_bleeding_is_told_to_see_a_doctor_first_and_not_reassured() -> None:
    """A man of 45 with bleeding from the back passage and healthy habits: the one thing he must
    do is have the bleeding checked, so it is step 1 with its time frame; his low habits level
    is still shown, but says it counts habits only and nothing about the bleeding."""
    man = assess(age_band="age_40_49", sex="male", blood_in_stool="yes", belly_pain="no")
    assert man.first_steps[0] == "blood_in_stool"
    assert man.steps()[0].text == "In the next few weeks: see a doctor about the bleeding from your back passage."
    assert man.overall.level == "low" and "counts habits and exposures only" in man.overall.summary
    for fmt, text in every_output(man).items():
        assert not any(words in text for words in REASSURING), fmt
    screen = render_text(man, width=80)
    assert "Overall risk-factor load (habits only): LOW" in screen
    assert json.loads(render(man, ReportFormat.JSON))["first_steps"][0] == "blood_in_stool"


def test_a_63_year_old_woman_with_a_bowel_change_after_a_stomach_bug_is_sent_for_fit_not_glutamine() -> None:
    """A woman of 63 with a new, lasting change in bowel habit who also had a stomach bug last
    year: at her age the change needs checking within days, with the home stool test (FIT) that
    decides the fast-track referral. Putting it down to the infection, or offering glutamine
    (sold over the counter), could delay that check, so neither appears while the flag stands."""
    woman = assess(age_band="age_60_plus", sex="female", bowel_habit_change="yes", new_bloating="no",
                   belly_pain="no", gut_infection="yes", gut_infection_lasting="yes")
    change = flag(woman, "bowel_habit_change")
    assert change.urgency == "urgent" and woman.first_steps[0] == "bowel_habit_change"
    assert woman.steps()[0].text.startswith("Within days: see a doctor about the change in bowel habit")
    assert "home stool test (FIT)" in woman.steps()[0].text and "called FIT" in change.advice
    ids = [s.id for s in woman.suggestions]
    assert not [i for i in ids if "glutamine" in i or i.startswith("post-infection")]
    for fmt, text in every_output(woman).items():
        assert "glutamine" not in text.lower(), fmt
        assert "since a gut infection" not in text, fmt


@pytest.mark.parametrize("age", ["age_18_39", "age_40_49"])
def test_a_35_year_old_with_bleeding_and_weight_loss_is_urgent_at_any_age(age: str) -> None:
    """Under 50, bleeding with weight loss (or belly pain) is on the FIT pathway whatever the
    age, so the bleeding is urgent (within days), not 'in the next few weeks'."""
    person = assess(age_band=age, blood_in_stool="yes", weight_loss="yes", belly_pain="no")
    bleeding = flag(person, "blood_in_stool")
    assert bleeding.urgency == "urgent" and "within days" in bleeding.advice
    assert person.first_steps[:2] == ("blood_in_stool", "weight_loss")  # most urgent first, each once
    assert person.steps()[0].text.startswith("Within days: ")


@pytest.mark.parametrize("age", ["age_18_39", "age_40_49", "age_50_59", "age_60_plus"])
def test_unexplained_low_iron_is_urgent_at_any_adult_age(age: str) -> None:
    """New unexplained iron deficiency is a reason for urgent investigation in adults of any age
    (BSG 2021), with FIT offered at any adult age (NG12 2023): no longer 'soon' under 60."""
    anaemia = flag(assess(age_band=age, anaemia="yes"), "anaemia")
    assert anaemia.urgency == "urgent" and "coeliac blood test" in anaemia.advice and "FIT" in anaemia.advice


def test_black_stool_and_persistent_vomiting_are_same_day_and_vomiting_blood_is_an_emergency() -> None:
    """Black, tar-like stool and vomiting again and again are 'contact a doctor today', and the
    label says the same day; vomiting blood is an emergency and comes first of all."""
    person = assess(black_stool="yes", persistent_vomiting="yes", vomiting_blood="yes", age_band="age_18_39")
    assert [(f.id, f.urgency) for f in person.red_flags] == [
        ("vomiting_blood", "emergency"), ("black_stool", "same_day"), ("persistent_vomiting", "same_day"),
    ]
    assert person.steps()[0].text == "Now: call your local emergency number about vomiting blood."
    assert person.steps()[1].text == "Today: contact a doctor about black, tar-like stools."
    assert "same day: contact a doctor today" in render_text(person, width=100)


def test_a_55_year_old_woman_with_new_bloating_gets_the_ovarian_pathway_advice() -> None:
    """New, lasting bloating in a woman of 50 or over should prompt a CA125 test, because IBS
    rarely starts at that age (NG12). The question is asked only when age and sex make it
    relevant, and asked anyway, saying why, when either is not given."""
    woman = assess(age_band="age_50_59", sex="female", new_bloating="yes", belly_pain="no")
    bloating = flag(woman, "new_bloating")
    assert bloating.urgency == "two_weeks" and "CA125" in bloating.advice and "IBS" in bloating.advice
    assert woman.steps()[0].text.startswith("Within two weeks: ")
    question = RULES.by_id["new_bloating"]
    shown = lambda **about: RULES.is_shown(question, RULES.parse_answers(about))  # noqa: E731
    assert shown(age_band="age_50_59", sex="female") and shown(age_band="age_60_plus")
    assert not shown(age_band="age_50_59", sex="male") and not shown(age_band="age_40_49", sex="female")
    assert shown() and "did not give their age or sex" in (question.help or "")
    unknown = flag(assess(new_bloating="yes", belly_pain="no"), "new_bloating")
    assert "We do not know your age or your sex" in unknown.advice


def test_a_16_year_old_gets_no_adult_alcohol_advice_and_no_7_hour_target() -> None:
    """Under 18 the AUDIT-C cut-offs and the 7-hour sleep target are for adults, and the
    screening guideline found too little evidence to advise under-18s on alcohol: no cut-off,
    no 'drink less often', and the paediatric sleep range instead (AASM 2016)."""
    teen = assess(age_band="under_18", sex="male", alcohol_frequency="two_to_three_a_week",
                  alcohol_typical_drinks="five_or_six", alcohol_six_or_more="weekly", sleep_hours=6.5)
    ids = [s.id for s in teen.suggestions]
    assert "alcohol-under-18" in ids and "sleep-young-people" in ids
    assert not {"alcohol-drink-less", "alcohol-free-days", "alcohol-avoid-heavy-occasions", "alcohol-get-support",
                "sleep-seven-hours"} & set(ids)
    audit = teen.instrument_of("alcohol")
    assert audit is not None and audit.at_least is None and not audit.positive
    assert audit.line == "AUDIT-C 8 of 12 (no cut-off: the AUDIT-C cut-offs were set for adults)"
    for fmt, text in every_output(teen).items():
        assert "drink less often" not in text.lower() and "at least 7 hours" not in text, fmt


def test_a_man_with_audit_c_8_has_an_alcohol_step_before_any_diet_or_sleep_step() -> None:
    """A man whose AUDIT-C is 8, who also sleeps little and rarely eats fermented food: the
    guideline made for his situation (brief counselling after a positive screen, USPSTF 2018)
    and help to cut down come before a general sleep guideline or yogurt."""
    man = assess(age_band="age_40_49", sex="male", alcohol_frequency="four_or_more_a_week",
                 alcohol_typical_drinks="three_or_four", alcohol_six_or_more="weekly", sleep_hours=5.5,
                 diet_fermented="rarely")
    factors = {s.id: s.factor for s in man.suggestions}
    steps = [factors[i] for i in man.first_steps]
    first_other = min(steps.index(f) for f in ("stress_sleep", "diet") if f in steps)
    assert steps[0] == "alcohol" and steps.index("alcohol") < first_other
    assert man.first_steps[:2] == ("alcohol-get-support", "alcohol-drink-less")
    assert next(s for s in man.suggestions if s.id == "alcohol-drink-less").priority == "targeted"


def test_yellow_skin_is_same_day_and_lasting_belly_pain_is_asked_where_it_changes_the_advice() -> None:
    """Jaundice always needs a doctor's check the same day (a fast-track check from 40, NG12).
    Belly pain is asked only where it changes the advice: from 40, or with bleeding or weight
    loss; from 50 it is on the FIT pathway."""
    assert flag(assess(jaundice="yes", age_band="age_18_39"), "jaundice").urgency == "same_day"
    pain = RULES.by_id["belly_pain"]
    assert not RULES.is_shown(pain, RULES.parse_answers({"age_band": "age_18_39", "blood_in_stool": "no"}))
    assert RULES.is_shown(pain, RULES.parse_answers({"age_band": "age_18_39", "blood_in_stool": "yes"}))
    assert flag(assess(age_band="age_50_59", belly_pain="yes"), "belly_pain").urgency == "urgent"
    assert flag(assess(age_band="age_40_49", belly_pain="yes"), "belly_pain").urgency == "soon"


def test_a_lasting_change_after_an_infection_without_alarms_is_checked_before_glutamine() -> None:
    """Without an alarm symptom, a woman of 35 whose bowels stayed changed after a stomach bug is
    first sent to a doctor (FIT and blood tests); glutamine comes after, with the one trial's
    limits and only once a clinician has checked. From 50 she is sent within days, and
    glutamine is not offered at all."""
    young = assess(age_band="age_18_39", sex="female", gut_infection="yes", gut_infection_lasting="yes")
    ids = [s.id for s in young.suggestions]
    assert ids.index("post-infection-see-clinician") < ids.index("glutamine-ask-clinician")
    glutamine = next(s for s in young.suggestions if s.id == "glutamine-ask-clinician")
    assert "not been repeated" in glutamine.why and "guidelines recommend" in glutamine.why
    assert glutamine.text.startswith("Once a clinician has checked")
    older = [s.id for s in assess(age_band="age_50_59", sex="male", gut_infection="yes",
                                  gut_infection_lasting="yes").suggestions]
    assert "post-infection-check-50" in older and "glutamine-ask-clinician" not in older


def test_dose_limits_give_way_to_a_prescription() -> None:
    """A Crohn's patient on a prescribed replacement course must never cut it because of a
    general upper limit: every dose limit says it applies unless a clinician prescribes otherwise."""
    crohns = assess(crohns_disease="yes")
    for suggestion in crohns.suggestions:
        for text in (suggestion.text, suggestion.caution or ""):
            if re.search(r"\d+\s*(mg|IU)\b", text):
                assert "unless a clinician prescribes otherwise" in text.lower(), suggestion.id


# -- the first screen at 80x24 ------------------------------------------------------------------

SCREENS = {
    "bleeding at 45": {"age_band": "age_40_49", "sex": "male", "blood_in_stool": "yes", "belly_pain": "no"},
    "bowel change at 63": {"age_band": "age_60_plus", "sex": "female", "bowel_habit_change": "yes",
                           "new_bloating": "no", "belly_pain": "no", "gut_infection": "yes",
                           "gut_infection_lasting": "yes", "alcohol_frequency": "two_to_three_a_week",
                           "alcohol_typical_drinks": "three_or_four", "alcohol_six_or_more": "monthly",
                           "sleep_hours": 6, "diet_fermented": "rarely"},
    "bleeding and weight loss at 35": {"age_band": "age_18_39", "blood_in_stool": "yes", "weight_loss": "yes",
                                       "belly_pain": "yes", "nsaid_frequency": "most_days",
                                       "nsaid_kinds": ["ibuprofen"], "nsaid_long_term": "yes"},
}


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_the_first_24_lines_at_80_columns_hold_the_notice_the_steps_and_the_overall_line(name: str) -> None:
    """What a person sees before scrolling: the notice, every first step (the flag's first) and
    the overall line, so the level is never read without the step that matters more."""
    assessment = assess(**SCREENS[name])
    first = render_text(assessment, width=80).splitlines()[:24]
    screen = "\n".join(first)
    assert all(len(line) <= 80 for line in first)
    assert "SEE A CLINICIAN" in first[0]
    assert "Overall risk-factor load (habits only):" in screen
    steps = screen[screen.index("Your first steps"):screen.index("Overall risk-factor load")]
    flat = " ".join(steps.split())
    for number, step in enumerate(assessment.steps(), start=1):
        assert f"{number}. {step.text}" in flat, step.text
    wrapped = [line for line in steps.splitlines()[1:] if line.strip() and not re.match(r"^ *\d+\. ", line)]
    assert all(line.startswith("    ") for line in wrapped)  # a wrapped step hangs under its first word
