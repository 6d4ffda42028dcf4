"""``gutcheck rules lint``: each content rule finds its mistake and says where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from answer_strategies import answer_sets
from conftest import DATA, MINI_RULES
from helpers import run
from hypothesis import HealthCheck, given, settings

from gutcheck.answers.parse import SKIP
from gutcheck.engine.scoring import score_parsed
from gutcheck.errors import ExitCode, Problem
from gutcheck.lint.content import lint_rules
from gutcheck.lint.reachability import explore_factor, number_samples
from gutcheck.rulebook.loading import load_rules_detailed

LINT = DATA / "lint"
WHEN = "2026-01-31T09:00:00+00:00"


def lint(path: Path) -> list[Problem]:
    return lint_rules(load_rules_detailed(path))


def located(path: Path, line_col: str, message: str) -> Problem:
    return Problem(f"{path}:{line_col}", message)


# One broken file per lint rule, with every finding it must give (place and sentence).
CASES: dict[str, list[tuple[str, str]]] = {
    "factor-without-source.yaml": [
        ("18:9", "factor 'drink' cites no source; list its sources under 'references'"),
    ],
    "red-flag-without-source.yaml": [
        ("11:9", "red flag 'blood' cites no source; name the guideline its advice follows"),
    ],
    "unused-reference.yaml": [
        ("9:3", "reference 'spare' is never cited; cite it from a factor, suggestion or red flag, or drop it"),
    ],
    "bad-identifiers.yaml": [
        ("8:70", "trial: doi 'https://doi.org/10.1000/abc.1' has the wrong shape; "
                 "a DOI looks like 10.1136/gut.27.11.1292, without a link in front"),
        ("8:109", "trial: pmid 'PMID 123456' has the wrong shape; a PMID is digits only, such as \"24153250\""),
        ("8:131", "trial: pmcid '1234' has the wrong shape; a PMCID is PMC followed by digits, such as PMC4253991"),
    ],
    "http-link.yaml": [
        ("9:61", "guide: link 'http://example.org/guide' is not an https address; use https://"),
    ],
    "unreachable-band.yaml": [
        ("51:9", "no answers reach band 'moderate' of 'drink' (points 5 to under 6); answers give 0, 2, 4 or 6 points"),
        ("69:7", "no answers reach the overall band 'moderate' (percent 40 to under 60)"),
    ],
    "suggestion-never-given.yaml": [
        ("64:15", "suggestion 'skip-spirits' is never given: no answers make its 'when' hold"),
    ],
    "question-never-shown.yaml": [
        ("44:18", "question 'drink_kinds' is never shown: no earlier answers make its 'show_if' hold"),
    ],
    "evidence-mismatch.yaml": [
        ("62:19", "suggestion 'skip-spirits' is graded 'guideline', stronger than its sources (rct); "
                  "grade it by what its sources show"),
    ],
    "hype-words.yaml": [
        ("54:15", "hype ('detox', 'heal your gut'); say plainly what the evidence shows"),
    ],
    "red-flag-urgency.yaml": [
        ("17:9", "red flag 'black' has no 'action': give the first step in one line, such as 'see a doctor about ...'"),
        ("19:13", "the advice's first sentence says 'today', but its urgency 'urgent' means 'within days'; "
                  "make the urgency and the advice agree"),
    ],
    "held-for-alarms.yaml": [
        ("71:15", "suggestion 'self-treat' is held back for alarms, but some answers give it while an alarm "
                  "symptom is reported; add {alarm: false} to its 'when' (with all: [...])"),
    ],
    "dose-and-targeted.yaml": [
        ("56:18", "this text gives a dose but does not say that a prescription wins; add "
                  "'unless a clinician prescribes otherwise'"),
        ("57:19", "suggestion 'drink-less' has priority 'targeted' but is graded 'rct'; 'targeted' is for a "
                  "guideline made for the situation its 'when' describes"),
    ],
    "multi-label-semicolon.yaml": [
        ("46:34", "option label 'Beer; cider or wine' has ';' or a line break, which separate picks typed as "
                  "text; reword it"),
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_file_gives_its_located_findings(name: str) -> None:
    path = LINT / name
    assert lint(path) == [located(path, where, message) for where, message in CASES[name]]


def test_every_lint_test_file_is_a_valid_rule_base() -> None:
    result = run("rules", "validate", str(LINT / "hype-words.yaml"))
    assert result.code == 0, result.err
    for path in LINT.glob("*.yaml"):
        load_rules_detailed(path)


def test_the_clean_file_and_the_bundled_rules_lint_clean() -> None:
    assert lint(LINT / "clean.yaml") == []
    assert lint_rules(load_rules_detailed(None)) == []


def test_cli_lint_exits_4_and_lists_each_located_finding_on_stderr() -> None:
    path = LINT / "unreachable-band.yaml"
    result = run("rules", "lint", str(path))
    assert result.code == ExitCode.INVALID_RULES == 4
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == f"{path}: 2 lint findings; fix them and try again"
    assert lines[1].strip().startswith(f"{path}:51:9: no answers reach band 'moderate'")
    assert lines[2].strip().startswith(f"{path}:69:7: no answers reach the overall band 'moderate'")


def test_cli_lint_reports_clean_rules_on_stdout() -> None:
    result = run("rules", "lint", str(LINT / "clean.yaml"))
    assert (result.code, result.err) == (0, "")
    assert result.out == f"{LINT / 'clean.yaml'}: lint clean (lint-clean 1).\n"


def test_cli_lint_of_an_invalid_file_gives_the_validation_problems() -> None:
    result = run("rules", "lint", str(DATA / "many-mistakes.yaml"))
    assert result.code == 4
    assert "many-mistakes.yaml:" in result.err
    assert "Traceback" not in result.err


def test_mini_rules_lint_finds_only_what_is_really_there() -> None:
    findings = lint(MINI_RULES)
    assert all(str(MINI_RULES) in f.where for f in findings)
    assert not any("never shown" in f.message for f in findings)
    assert not any("never given" in f.message for f in findings)


def test_number_samples_fall_in_every_stretch_between_cuts() -> None:
    assert number_samples(0, 16, [6, 7], integer=False) == [0, 3, 6, 6.5, 7, 11.5, 16]
    assert number_samples(1, 20, [2, 4, 25], integer=True) == [1, 2, 3, 4, 12, 20]


def test_exploration_follows_questions_that_other_sections_open() -> None:
    loaded = load_rules_detailed(None)
    gluten = loaded.rules.factors[-1]
    show_ifs = {q.id: [q.show_if] for f in loaded.model.factors for q in f.questions if q.show_if}
    reach = explore_factor(loaded.rules, gluten, loaded.model.factors[-1], show_ifs)
    assert "family_history" in reach.shown  # the red flag that opens coeliac_family
    assert {"coeliac_family", "coeliac_tested", "gluten_avoiding"} <= reach.shown
    assert reach.levels == {"low", "moderate", "high"}


BUNDLED = load_rules_detailed(None)
SHOW_IFS = {q.id: [q.show_if] for f in BUNDLED.model.factors for q in f.questions if q.show_if}
REACH = [
    explore_factor(BUNDLED.rules, factor, spec, SHOW_IFS)
    for factor, spec in zip(BUNDLED.rules.factors, BUNDLED.model.factors, strict=True)
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(BUNDLED.rules, complete=True))
def test_whatever_real_answers_reach_lint_also_reaches(answers: dict[str, Any]) -> None:
    assessment = score_parsed(BUNDLED.rules, answers, taken_at=WHEN)
    shown, _, _ = BUNDLED.rules.walk(answers)
    given_ids = {s.id for s in assessment.suggestions}
    for result, reach, factor in zip(assessment.factors, REACH, BUNDLED.rules.factors, strict=True):
        assert result.percent in reach.percents
        if result.level is not None:
            assert result.level in reach.levels
        assert {s.id for s in factor.suggestions} & given_ids <= reach.suggestions
        opened = {q.id for q in factor.questions if q.id in shown or answers.get(q.id) == SKIP}
        assert opened <= reach.shown


def test_a_comma_in_a_multi_label_is_fine_because_the_label_is_read_whole() -> None:
    coach = LINT.parent / "coach.yaml"  # labels such as 'Beer, cider or wine'
    assert [problem.message for problem in lint(coach) if "option label" in problem.message] == []
