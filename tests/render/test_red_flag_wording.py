"""A family history is a reason to mention to a doctor, never called a symptom, in any output."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

from gutcheck.engine.scoring import score
from gutcheck.render import ReportFormat, render
from gutcheck.rulebook.loading import load_rules

RULES = load_rules(None)
WHEN = "2026-01-31T09:00:00+00:00"
NO_FLAGS = {flag.question.id: "no" for flag in RULES.red_flags}
SYMPTOM_WORDS = ("reported a symptom", "symptom that needs", "alarm symptom", "SEE A CLINICIAN",
                 "See a clinician")


def test_family_history_alone_is_never_called_a_symptom(tmp_path: Path, gutcheck_home: Path) -> None:
    answers = {**NO_FLAGS, "family_history": "yes", "coeliac_family": "no", "alcohol_frequency": "never"}
    assessment = score(RULES, answers, taken_at=WHEN)
    outputs = {fmt: render(assessment, fmt) for fmt in ReportFormat}
    for fmt, text in outputs.items():
        for words in SYMPTOM_WORDS:
            assert words not in text, (fmt, words)
    assert "a reason to mention to your doctor" in outputs[ReportFormat.TEXT]
    assert "MENTION TO YOUR DOCTOR" in outputs[ReportFormat.MARKDOWN]
    assert "Mention to your doctor" in outputs[ReportFormat.HTML]
    flag = json.loads(outputs[ReportFormat.JSON])["red_flags"][0]
    assert (flag["id"], flag["kind"], flag["urgency"]) == ("family_history", "risk", "routine")

    file = tmp_path / "answers.yaml"
    file.write_text("".join(f"{key}: {value}\n" for key, value in answers.items()), encoding="utf-8")
    assert run("score", str(file), "--profile", "anna").code == 0
    history = run("history", "--profile", "anna")
    assert history.code == 0, history.err
    assert "a reason to mention to your doctor" in history.out
    assert not any(words in history.out for words in SYMPTOM_WORDS)


def test_an_alarm_symptom_with_a_family_history_is_worded_as_both() -> None:
    answers = {**NO_FLAGS, "family_history": "yes", "weight_loss": "yes", "age_band": "age_40_49"}
    assessment = score(RULES, answers, taken_at=WHEN)
    text = render(assessment, ReportFormat.TEXT)
    assert "You reported a symptom that needs a clinician" in text
    assert "Not a symptom, but a reason to mention to your doctor:" in text
    advice = text[text.index("What to do about what you reported"):]
    assert advice.index("Weight loss without trying") < advice.index("Not a symptom, but") < advice.index(
        "A close relative with")
