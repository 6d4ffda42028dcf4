"""The format's optional keys for advice: about questions, red-flag kinds and urgency by answer,
instruments and their cut-offs, suggestion priority; each mistake is located file:line:column."""

from __future__ import annotations

import pytest
from conftest import MINI_RULES

from gutcheck.engine.scoring import score
from gutcheck.errors import RulesError
from gutcheck.rulebook.loading import load_rules_text

MINI_TEXT = MINI_RULES.read_text(encoding="utf-8")
WHEN = "2026-01-31T09:00:00+00:00"
ABOUT = (
    "about:\n"
    "  - id: sex\n"
    "    ask: Your sex?\n"
    "    type: choice\n"
    "    options: [{value: female, label: Female}, {value: male, label: Male}]\n"
)
INSTRUMENT = (
    "    instrument:\n"
    "      id: drink_scale\n"
    "      name: DRINK-3\n"
    "      items: [drink_freq, drink_binge]\n"
    "      positive: a positive screen\n"
    "      negative: a negative screen\n"
    "      cutoffs:\n"
    "        - {when: {sex: female}, at_least: 2, label: cut-off 2 for women}\n"
    "        - {at_least: 4, label: cut-off 4}\n"
)


def extended(*, about: str = ABOUT, instrument: str = INSTRUMENT, flag: str = "") -> str:
    text = MINI_TEXT.replace("\nfactors:\n", f"\n{about}factors:\n", 1)
    text = text.replace("    references: [src-a]\n    questions:\n", f"    references: [src-a]\n{instrument}"
                        "    questions:\n", 1)
    return text.replace("    advice: See a clinician soon.\n", f"    advice: See a clinician soon.\n{flag}", 1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(RulesError) as caught:
        load_rules_text(text, "r.yaml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_extensions_load_and_work() -> None:
    flag = ("    kind: risk\n    urgency: routine\n"
            "    urgency_if:\n      - {when: {sex: male}, urgency: urgent, advice: Now.}\n")
    text = extended(flag=flag).replace("        when: {drink_binge: yes}\n", "        when: {screen: positive}\n"
                                       "        priority: safety\n        short: Avoid binges.\n", 1)
    rules = load_rules_text(text, "r.yaml")
    assert [q.id for q in rules.questions[:3]] == ["sex", "blood", "weight_loss"]  # about you comes first
    woman = score(rules, {"sex": "female", "weight_loss": "yes", "drink_freq": "weekly",
                          "drink_amount": 1, "drink_binge": "no"}, taken_at=WHEN)
    audit = woman.instrument_of("drink")
    assert audit is not None and (audit.total, audit.max, audit.positive) == (2, 6, True)
    assert "drink-binge" in [s.id for s in woman.suggestions]
    assert (woman.red_flags[0].kind, woman.red_flags[0].urgency) == ("risk", "routine")
    man = score(rules, {"sex": "male", "weight_loss": "yes", "drink_freq": "weekly",
                        "drink_amount": 1, "drink_binge": "no"}, taken_at=WHEN)
    assert (man.red_flags[0].urgency, man.red_flags[0].advice) == ("urgent", "Now.")
    assert "drink-binge" not in [s.id for s in man.suggestions]


def test_about_questions_must_be_unscored_choices() -> None:
    text = extended(about=ABOUT.replace("label: Male}", "label: Male, points: 2}").replace(
        "    type: choice\n", "    type: yesno\n", 1))
    found = problems_of(text)
    assert f"r.yaml:{line_of(text, 'type: yesno')}:11: about questions are choice questions; use type: choice" in found
    assert any(p.startswith(f"r.yaml:{line_of(text, 'points: 2}')}:") and "never scored" in p for p in found)


def test_instrument_items_must_be_questions_of_its_factor_and_cut_offs_fit() -> None:
    text = extended(instrument=INSTRUMENT.replace("[drink_freq, drink_binge]", "[drink_freq, food_fibre]")
                    .replace("at_least: 4, label", "at_least: 40, label")
                    .replace("{when: {sex: female}", "{when: {sexx: female}"))
    found = problems_of(text)
    items = line_of(text, "items: [drink_freq, food_fibre]")
    assert any(p.startswith(f"r.yaml:{items}:") and "'food_fibre' is not a question of the factor 'drink'" in p
               for p in found)
    assert any(p.startswith(f"r.yaml:{line_of(text, 'at_least: 40')}:") and "at_least must be from 1 to" in p
               for p in found)
    assert any(p.startswith(f"r.yaml:{line_of(text, 'sexx')}:") and "'sexx' is not a question asked before" in p
               for p in found)


def test_the_last_cut_off_must_always_apply_and_screen_needs_an_instrument() -> None:
    text = extended(instrument=INSTRUMENT.replace("{at_least: 4, label", "{when: {sex: male}, at_least: 4, label"))
    assert any("the last cut-off must have no 'when'" in p for p in problems_of(text))
    no_instrument = extended(instrument="").replace("when: {level: [moderate, high]}", "when: {screen: positive}")
    assert any("'screen' is not a question asked before this point" in p for p in problems_of(no_instrument))


def test_urgency_if_conditions_are_checked_and_urgency_words_are_known() -> None:
    flag = ("    urgency_if:\n      - {when: {age: old}, urgency: urgent}\n"
            "      - {when: {sex: male}, urgency: someday}\n")
    text = extended(flag=flag)
    found = problems_of(text)
    assert any(p.startswith(f"r.yaml:{line_of(text, 'age: old')}:") and "'age' is not a question asked before" in p
               for p in found)
    assert f"r.yaml:{line_of(text, 'someday')}:38: urgency should be 'emergency', 'same_day', 'urgent', " \
           "'two_weeks', 'soon' or 'routine' (got 'someday')" in found


def test_urgency_may_read_any_answer_and_a_red_flag_may_be_asked_only_when_it_applies() -> None:
    # An urgency is decided once every answer is in, so its condition may read a factor's
    # question asked later; a red flag's show_if may read the about questions asked before it.
    flag = ("    show_if: {not: {sex: male}}\n"
            "    urgency_if:\n      - {when: {drink_freq: daily}, urgency: same_day, advice: Today.}\n")
    rules = load_rules_text(extended(flag=flag), "r.yaml")
    daily = score(rules, {"sex": "female", "weight_loss": "yes", "drink_freq": "daily"}, taken_at=WHEN)
    assert (daily.red_flags[0].urgency, daily.red_flags[0].advice) == ("same_day", "Today.")
    assert daily.red_flags[0].step.startswith("Today: ")
    man = score(rules, {"sex": "male", "weight_loss": "yes", "drink_freq": "daily"}, taken_at=WHEN)
    assert man.red_flags == () and "weight_loss" not in man.unanswered  # never asked of him


def test_a_short_step_is_one_line_of_at_most_100_characters() -> None:
    text = MINI_TEXT.replace("        text: Drink less.\n", "        text: Drink less.\n        short: " + "x" * 101 + "\n", 1)
    assert any("short" in p for p in problems_of(text))
