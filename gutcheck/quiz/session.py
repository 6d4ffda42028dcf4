"""One quiz from welcome to assessment: the welcome, the questions (resumed from a draft, kept
in one as they are answered), then the one scorer. It writes nothing itself: the drafts go to
the store the command hands in, and the command saves the result (see
:mod:`gutcheck.commands.quiz_run`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from gutcheck.engine.assessment import Assessment
from gutcheck.quiz.drafts import Drafts
from gutcheck.quiz.flow import greet, take_quiz
from gutcheck.quiz.steps import Prompter
from gutcheck.rulebook.model import RuleBase


def read_prefill(rules: RuleBase, path: Path | None) -> dict[str, Any]:
    """Parsed answers from --answers (every problem listed with its place); empty without it."""
    if path is None:
        return {}
    from gutcheck.answers.files import read_answers

    answers_file = read_answers(str(path))
    return rules.parse_answers(answers_file.answers, answers_file.where)


def assess(
    rules: RuleBase, prompter: Prompter, *, clock: Callable[[], datetime],
    prefill: Mapping[str, Any] | None = None, open_drafts: Callable[[], Drafts | None] = lambda: None,
    resume_command: str = "gutcheck",
) -> Assessment | None:
    """Take the quiz and score it with the one scorer; None if the person chose not to start.

    ``open_drafts`` is called once the person chose to go on: the drafts to resume from and keep
    answers in (the command opens its history then, so the first prompt comes sooner)."""
    if not greet(rules, prompter, prefill or {}):
        return None
    drafts = open_drafts()
    answers = take_quiz(rules, prompter, prefill=prefill, drafts=drafts, resume_command=resume_command,
                        now=clock())
    from gutcheck.engine.scoring import score_parsed  # after the welcome: a sooner first prompt

    return score_parsed(rules, answers, taken_at=clock())
