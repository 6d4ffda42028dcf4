"""The session: settings, storage, prefill, scoring and saving. The CLI shows the outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gutcheck.engine.assessment import Assessment
from gutcheck.errors import GutcheckError, StorageError
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.quiz.drafts import Drafts
from gutcheck.quiz.flow import greet, take_quiz
from gutcheck.quiz.steps import Prompter
from gutcheck.rulebook.model import RuleBase

# ---------------------------------------------------------------------------------------------
# The session: settings, storage, prefill, scoring and saving. The CLI shows the outcome.


@dataclass(frozen=True)
class QuizSettings:
    """The quiz's command-line options."""

    rules: Path | None = None
    answers: Path | None = None
    profile: str = DEFAULT_PROFILE
    save: bool = True
    plain: bool = False

    def resume_command(self) -> str:
        """The command that resumes this quiz, with the options that pick its draft."""
        words = ["gutcheck"]
        if self.rules is not None:
            words += ["--rules", str(self.rules)]
        if self.profile != DEFAULT_PROFILE:
            words += ["--profile", self.profile]
        import shlex

        return shlex.join(words)  # a profile or a path with a space still pastes as one word


@dataclass(frozen=True)
class Outcome:
    """A finished quiz: the assessment, where it was saved, or why it was not."""

    assessment: Assessment
    saved_to: str | None = None
    not_saved: str | None = None


def read_prefill(rules: RuleBase, path: Path | None) -> dict[str, Any]:
    """Parsed answers from --answers (every problem listed with its place); empty without it."""
    if path is None:
        return {}
    from gutcheck.answers.files import read_answers

    answers_file = read_answers(str(path))
    return rules.parse_answers(answers_file.answers, answers_file.where)


@contextmanager
def history_store(enabled: bool) -> Iterator[tuple[Any, str | None]]:
    """The history store (or None with --no-save), and why it could not be opened, if so."""
    if not enabled:
        yield None, None
        return
    from gutcheck.history.store import History

    with ExitStack() as stack:
        try:
            store, problem = stack.enter_context(History.open()), None
        except StorageError as exc:
            store, problem = None, exc.message
        yield store, problem


def run_session(
    settings: QuizSettings,
    rules: RuleBase,
    prompter: Prompter,
    *,
    clock: Callable[[], datetime],
    prefill: Mapping[str, Any] | None = None,
) -> Outcome | None:
    """Take the quiz, score it with the one scorer, and save it; None if not started."""
    if settings.save:
        from gutcheck.history.records import check_profile

        check_profile(settings.profile)
    if not greet(rules, prompter, prefill or {}):
        return None
    with history_store(settings.save) as (store, problem):  # opened after the welcome: lean start
        drafts = Drafts(store, f"{settings.profile}:{rules.id}", prompter.warn) if store else None
        answers = take_quiz(
            rules, prompter, prefill=prefill, drafts=drafts, resume_command=settings.resume_command(),
            now=clock(),
        )
        from gutcheck.engine.scoring import score_parsed  # after the welcome: a sooner first prompt

        assessment = score_parsed(rules, answers, taken_at=clock())
        if not settings.save:
            return Outcome(assessment, not_saved="not saved (--no-save)")
        if store is None:
            return Outcome(assessment, not_saved=f"not saved: {problem}")
        return _save(store, drafts, assessment, settings.profile)


def _save(store: Any, drafts: Drafts | None, assessment: Assessment, profile: str) -> Outcome:
    try:
        row_id = store.save(assessment, profile=profile)
    except GutcheckError as exc:
        return Outcome(assessment, not_saved=f"not saved: {exc.message}")
    if drafts is not None:
        drafts.clear()
    where = f"{store.location} as assessment #{row_id} in profile {profile!r}"
    return Outcome(assessment, saved_to=where)
