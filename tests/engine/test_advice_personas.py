"""People a clinician would recognise, scored with the bundled rules: what they are told first.

Each persona pins the top of the one ranking (safety, then evidence, then the factor's weight
for the person, with variety) and says in its docstring why a careful clinician would agree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score
from gutcheck.rulebook.loading import load_rules

RULES = load_rules(None)
WHEN = "2026-01-31T09:00:00+00:00"
NO_FLAGS = {flag.question.id: "no" for flag in RULES.red_flags}
LOW = {
    "alcohol_frequency": "never", "nsaid_frequency": "never", "low_dose_aspirin": "no",
    "stress_level": "a_little", "stress_unwind": "most_days", "sleep_hours": 7.5,
    "sleep_rested": "most_mornings", "diet_plant_meals": "three_or_more",
    "diet_fibre_kinds": ["vegetables", "fruit", "beans", "whole_grains", "nuts_seeds"],
    "diet_fermented": "most_days", "diet_processed": "rarely", "diet_added_sugar": "rarely",
    "diet_polyphenols": "most_days", "antibiotics_last": "longer_ago", "gut_infection": "no",
    "crohns_disease": "no", "gluten_symptoms": "never", "type1_diabetes": "no",
}
ISSUE_PERSON = {
    **NO_FLAGS, "family_history": "yes", "age_band": "age_40_49", "sex": "male",
    "alcohol_frequency": "two_to_three_a_week", "alcohol_typical_drinks": "three_or_four",
    "alcohol_six_or_more": "less_than_monthly",
    "nsaid_frequency": "most_days", "nsaid_kinds": ["ibuprofen"], "nsaid_long_term": "yes",
    "low_dose_aspirin": "no",
    "stress_level": "very", "stress_unwind": "rarely", "sleep_hours": 5.5, "sleep_rested": "rarely",
    "diet_plant_meals": "one", "diet_fibre_kinds": ["fruit"], "diet_fermented": "rarely",
    "diet_processed": "several_a_day", "diet_added_sugar": "daily", "diet_polyphenols": "rarely",
    "antibiotics_last": "within_3_months", "antibiotic_courses": 1, "gut_infection": "no",
    "crohns_disease": "no",
    "coeliac_family": "yes", "gluten_symptoms": "never", "type1_diabetes": "no",
    "coeliac_tested": "never_tested",
}


def assess(answers: dict[str, Any]) -> Assessment:
    return score(RULES, answers, taken_at=WHEN)


def first_five(assessment: Assessment) -> list[str]:
    return [s.id for s in assessment.suggestions[:5]]


def assert_varied_and_not_lab(assessment: Assessment) -> None:
    """No factor has more than two of the first five unless nothing from another factor is left
    out of them; no first step is lab-only."""
    top = assessment.suggestions[:5]
    crowded = {factor for factor, count in Counter(s.factor for s in top).items() if count > 2}
    if crowded:
        assert all(s in top for s in assessment.suggestions if s.factor not in crowded)
    assert all(s.suggestion.evidence != "lab" for s in assessment.steps() if s.suggestion is not None)


def test_the_issue_person_is_told_the_clinicians_first_things_first() -> None:
    """45, AUDIT-C 5, ibuprofen most days for months, short sleep, stress, a poor diet, recent
    antibiotics and a sister with coeliac disease: a clinician would start with the coeliac test
    (while still eating gluten), a review of daily ibuprofen, and drinking less with the AUDIT-C
    result, not with fibre tips from cell studies."""
    result = assess(ISSUE_PERSON)
    top = first_five(result)
    assert {"coeliac-test-first", "nsaid-long-term-review", "alcohol-drink-less"} <= set(top)
    assert top[0] == "coeliac-test-first"
    assert max(Counter(s.factor for s in result.suggestions[:5]).values()) <= 2
    assert_varied_and_not_lab(result)
    assert all(s.evidence != "lab" for s in result.suggestions[:5])
    # the risk marker (a sister with coeliac disease) is step 1, then the first suggestions
    assert list(result.first_steps) == ["family_history", *top[:4]]
    audit = result.instrument_of("alcohol")
    assert audit is not None
    assert audit.line == (
        "AUDIT-C 5 of 12: a positive screen for hazardous drinking, not a diagnosis (cut-off 4 for men)"
    )
    assert [(f.id, f.kind, f.urgency) for f in result.red_flags] == [("family_history", "risk", "routine")]


def test_a_heavy_daily_drinker_is_sent_for_support_first() -> None:
    """Drinking 10 or more drinks every day (AUDIT-C 12): the first step is help from a doctor,
    nurse or alcohol service to cut down safely, because stopping heavy drinking suddenly can be
    dangerous; drinking less follows, and nothing from cell studies comes before them."""
    result = assess({**NO_FLAGS, **LOW, "alcohol_frequency": "four_or_more_a_week",
                     "alcohol_typical_drinks": "ten_or_more", "alcohol_six_or_more": "daily",
                     "sex": "female"})
    top = first_five(result)
    assert top[0] == "alcohol-get-support"
    assert "alcohol-drink-less" in top
    support = result.suggestions[0]
    assert support.priority == "safety" and support.caution and "suddenly" in support.caution
    audit = result.instrument_of("alcohol")
    assert audit is not None and (audit.total, audit.positive, audit.label) == (12, True, "cut-off 3 for women")
    assert_varied_and_not_lab(result)


def test_a_light_drinking_vegan_with_symptoms_after_bread_is_tested_for_coeliac_disease_first() -> None:
    """A vegan who drinks once a month and often bloats after bread: the one thing that matters
    is a coeliac blood test while still eating gluten; a negative AUDIT-C gives no alcohol advice
    and a plant-rich diet gives no fibre tips."""
    result = assess({**NO_FLAGS, **LOW, "alcohol_frequency": "monthly_or_less",
                     "alcohol_typical_drinks": "one_or_two", "alcohol_six_or_more": "never",
                     "diet_fermented": "weekly", "gluten_symptoms": "often",
                     "coeliac_tested": "never_tested", "gluten_avoiding": "no"})
    ids = [s.id for s in result.suggestions]
    assert ids[0] == "coeliac-test-first"
    assert not any(i.startswith("alcohol") for i in ids)
    assert not {"fibre-add-slowly", "fibre-try-beans"} & set(ids)
    audit = result.instrument_of("alcohol")
    assert audit is not None and (audit.total, audit.positive) == (1, False)
    assert_varied_and_not_lab(result)


def test_anaemia_without_a_clear_cause_is_urgent_at_any_adult_age() -> None:
    """New unexplained iron-deficiency anaemia is a reason for urgent investigation in adults of
    any age (BSG 2021), with a home stool test (FIT) at any adult age (NG12 2023)."""
    for age in ("age_40_49", "age_60_plus"):
        flag = assess({**NO_FLAGS, **LOW, "anaemia": "yes", "age_band": age}).red_flags[0]
        assert (flag.id, flag.kind, flag.urgency) == ("anaemia", "alarm", "urgent")
        assert flag.advice.startswith("Please see a doctor within days") and "FIT" in flag.advice


def test_someone_with_no_risk_factors_is_not_given_work_to_do() -> None:
    """No alarm symptoms and healthy habits: a clinician would offer nothing to change, only the
    general caution against paid 'leaky gut' tests and products."""
    result = assess({**NO_FLAGS, **LOW})
    assert result.overall.level == "low"
    assert not result.red_flags
    assert [s.id for s in result.suggestions] == ["leaky-gut-products"]
    assert list(result.first_steps) == ["leaky-gut-products"]


# -- red flags by NICE NG12 -------------------------------------------------------------------


def flag_for(flag_id: str, **about: str) -> Any:
    result = assess({**NO_FLAGS, **LOW, flag_id: "yes", **about})
    assert [f.id for f in result.red_flags] == [flag_id]
    return result.red_flags[0]


def test_a_lump_is_urgent_at_any_age_and_fever_gets_its_own_advice() -> None:
    for about in ({"age_band": "age_18_39"}, {"age_band": "age_60_plus", "belly_pain": "no"}, {"belly_pain": "no"}):
        lump = flag_for("belly_or_back_passage_lump", **about)
        assert (lump.kind, lump.urgency) == ("alarm", "urgent") and "without waiting for any stool test" in lump.advice
    fever = flag_for("fever_with_gut_symptoms", age_band="age_18_39")
    declared = next(f for f in RULES.red_flags if f.question.id == "fever_with_gut_symptoms")
    assert (fever.urgency, fever.advice) == (declared.urgency, declared.advice) == ("same_day", declared.advice)
    assert fever.advice.startswith("Please contact a doctor or your local health advice line today")


def test_rectal_bleeding_is_urgent_from_fifty_and_when_age_is_not_given() -> None:
    assert flag_for("blood_in_stool", age_band="age_50_59", belly_pain="no").urgency == "urgent"
    assert flag_for("blood_in_stool", age_band="age_60_plus", belly_pain="no").urgency == "urgent"
    for younger in ("under_18", "age_18_39", "age_40_49"):
        assert flag_for("blood_in_stool", age_band=younger, belly_pain="no").urgency == "soon"
    unknown = flag_for("blood_in_stool", belly_pain="no")
    assert unknown.urgency == "urgent" and "Because we do not know your age" in unknown.advice
    declined = flag_for("blood_in_stool", age_band="prefer-not-to-say", belly_pain="no")
    assert declined.urgency == "urgent"


def test_a_change_in_bowel_habit_is_on_the_fit_pathway_at_any_adult_age_and_urgent_from_fifty() -> None:
    for older in ("age_50_59", "age_60_plus"):
        assert flag_for("bowel_habit_change", age_band=older, belly_pain="no", sex="male").urgency == "urgent"
    younger = flag_for("bowel_habit_change", age_band="age_18_39")
    assert younger.urgency == "two_weeks" and "FIT, at any adult age" in younger.advice


# -- AUDIT-C cut-offs follow sex ------------------------------------------------------------------

THREE = {"alcohol_frequency": "two_to_three_a_week", "alcohol_typical_drinks": "one_or_two",
         "alcohol_six_or_more": "never", "age_band": "age_18_39"}  # AUDIT-C 3, an adult


def test_the_audit_c_cut_off_follows_sex_and_says_which_was_used_without_it() -> None:
    woman = assess({**LOW, **THREE, "sex": "female"}).instrument_of("alcohol")
    man = assess({**LOW, **THREE, "sex": "male"}).instrument_of("alcohol")
    unknown = assess({**LOW, **THREE}).instrument_of("alcohol")
    assert woman is not None and man is not None and unknown is not None
    assert (woman.total, woman.positive, woman.at_least, woman.note) == (3, True, 3, None)
    assert (man.total, man.positive, man.at_least) == (3, False, 4)
    assert man.line == "AUDIT-C 3 of 12: below the screening cut-off (cut-off 4 for men)"
    assert unknown.positive and unknown.label == "cut-off 3, the lower one, used because sex was not given"
    assert unknown.note is not None and "sex" in unknown.note
    drink_less = {s.id for s in assess({**LOW, **THREE, "sex": "male"}).suggestions}
    assert "alcohol-drink-less" not in drink_less
    assert "alcohol-drink-less" in {s.id for s in assess({**LOW, **THREE, "sex": "female"}).suggestions}


def test_the_issue_persons_screen_opens_with_the_steps_and_counts_what_it_leaves_out() -> None:
    from gutcheck.render import ReportFormat, render

    result = assess(ISSUE_PERSON)
    screen = render(result, ReportFormat.TEXT, width=120)
    steps = screen[screen.index("Your first steps"):screen.index("Overall risk-factor load")]
    for step in result.steps():
        assert step.text in steps
    assert "AUDIT-C 5 of 12: a positive screen for hazardous drinking" in steps
    diet = next(f for f in result.factors if f.id == "diet")
    moved = [c for c in diet.contributions if c.points > 0]
    assert len(moved) == 5
    assert "… and 1 more answer that added points: the --format md report lists them." in screen
    markdown = render(result, ReportFormat.MARKDOWN)
    assert all(c.ask.split()[0] in markdown for c in moved)
    # learn pointers link to the report's own "About the evidence" (no command to run)
    assert "Learn more:** [Zonulin, gluten and coeliac disease](#zonulin-gluten-and-coeliac-disease)" in markdown
    assert "*Learn more: [How long changes take](#how-long-changes-take) (in About the evidence, below)*" in markdown
    assert "## About the evidence" in markdown and "### How gut permeability is measured" in markdown


def test_the_html_report_has_the_steps_the_audit_c_result_and_the_evidence_topics() -> None:
    from gutcheck.render import ReportFormat, render

    page = render(assess(ISSUE_PERSON), ReportFormat.HTML)
    assert page.index("Your first steps") < page.index("Overall")
    assert "AUDIT-C 5 of 12: a positive screen for hazardous drinking, not a diagnosis (cut-off 4 for men)" in page
    assert '<h2 id="evidence-title">About the evidence</h2>' in page
    assert "What the gut barrier is" in page and "https://pubmed.ncbi.nlm.nih.gov/39193076/" in page
