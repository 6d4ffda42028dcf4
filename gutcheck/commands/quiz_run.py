"""The quiz command's run: its settings, the history it opens (for drafts and the result), the
quiz itself (:mod:`gutcheck.quiz.session`), and saving what it returns. Only this module writes
for the quiz: the quiz keeps its drafts through the store handed to it, and saves nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutcheck.history import DEFAULT_PROFILE

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.quiz.drafts import Drafts
    from gutcheck.quiz.steps import Prompter
    from gutcheck.rulebook.model import RuleBase


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


class _History:
    """The history the quiz keeps its draft and result in, opened once the quiz starts."""

    def __init__(self, settings: QuizSettings, rules: RuleBase, warn: Callable[[str], None]) -> None:
        self.settings, self.key, self.warn = settings, f"{settings.profile}:{rules.id}", warn
        self.store: Any = None
        self.problem: str | None = None
        self.drafts: Drafts | None = None

    def open(self, stack: ExitStack) -> Drafts | None:
        """Open the store (with --save); its drafts. Why it could not be opened is kept, not raised."""
        if not self.settings.save:
            return None
        from gutcheck.errors import StorageError
        from gutcheck.history.store import History
        from gutcheck.quiz.drafts import Drafts

        try:
            self.store = stack.enter_context(History.open())
        except StorageError as exc:
            self.problem = exc.message
            return None
        self.drafts = Drafts(self.store, self.key, self.warn)
        return self.drafts

    def save(self, assessment: Assessment) -> Outcome:
        """Save ``assessment`` and drop the draft; the outcome says where, or why not."""
        from gutcheck.errors import GutcheckError

        if not self.settings.save:
            return Outcome(assessment, not_saved="not saved (--no-save)")
        if self.store is None:
            return Outcome(assessment, not_saved=f"not saved: {self.problem}")
        profile = self.settings.profile
        try:
            row_id = self.store.save(assessment, profile=profile)
        except GutcheckError as exc:
            return Outcome(assessment, not_saved=f"not saved: {exc.message}")
        if self.drafts is not None:
            self.drafts.clear()
        return Outcome(assessment, saved_to=f"{self.store.location} as assessment #{row_id} in profile {profile!r}")


@contextmanager
def _opened_later(history: _History) -> Iterator[Callable[[], Drafts | None]]:
    """A call that opens ``history`` (kept open until the block ends) and gives its drafts."""
    with ExitStack() as stack:
        yield lambda: history.open(stack)


def run_session(
    settings: QuizSettings, rules: RuleBase, prompter: Prompter, *, clock: Callable[[], datetime],
    prefill: Mapping[str, Any] | None = None,
) -> Outcome | None:
    """Take the quiz, score it with the one scorer, and save it; None if not started."""
    from gutcheck.quiz.session import assess

    if settings.save:
        from gutcheck.history.records import check_profile

        check_profile(settings.profile)
    history = _History(settings, rules, prompter.warn)
    with _opened_later(history) as open_history:
        assessment = assess(rules, prompter, clock=clock, prefill=prefill, open_drafts=open_history,
                            resume_command=settings.resume_command())
        if assessment is None:
            return None
        return history.save(assessment)
