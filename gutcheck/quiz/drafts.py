"""Drafts: the answers so far, kept in the history store so that an interrupted quiz resumes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from gutcheck.answers.parse import AnswerError
from gutcheck.errors import StorageError
from gutcheck.rulebook.model import RuleBase

# ---------------------------------------------------------------------------------------------
# Drafts: the answers so far, kept in the history store so that an interrupted quiz resumes.


class DraftStore(Protocol):
    """The part of :class:`gutcheck.history.store.History` that keeps quiz drafts."""

    def save_draft(self, key: str, answers: dict[str, object], position: int) -> None:
        """Store the answers so far and the position, replacing any earlier draft."""

    def load_draft(self, key: str) -> Any:
        """The stored draft (with .answers, .position, .saved_at), or None."""

    def clear_draft(self, key: str) -> None:
        """Forget the draft."""


@dataclass(frozen=True)
class Restored:
    """A draft brought back: parsed answers, position, when it was saved, how many were dropped."""

    answers: dict[str, Any]
    position: int
    saved_at: str
    dropped: int


class Drafts:
    """Keeps the quiz's answers so far; a storage problem is reported once, never fatal."""

    def __init__(self, store: DraftStore, key: str, warn: Callable[[str], None]) -> None:
        self.store = store
        self.key = key
        self.warn = warn
        self.problem: str | None = None
        self.kept = 0

    def load(self, rules: RuleBase) -> Restored | None:
        """The saved draft for this profile and rule base, parsed again; None if there is none."""
        draft = self._guard(lambda: self.store.load_draft(self.key))
        if draft is None or draft is _FAILED:
            return None
        answers, dropped = restore_answers(rules, draft.answers)
        self.kept = len(answers)
        return Restored(answers, int(draft.position), str(draft.saved_at), dropped)

    def save(self, answers: dict[str, Any], position: int) -> None:
        """Store the answers so far (multi answers as lists) and the position."""
        plain: dict[str, object] = {
            key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()
        }
        if self._guard(lambda: self.store.save_draft(self.key, plain, position)) is not _FAILED:
            self.kept = len(answers)

    def clear(self) -> None:
        """Forget the draft (after the result is saved, or when starting over)."""
        self._guard(lambda: self.store.clear_draft(self.key))
        self.kept = 0

    def _guard(self, action: Callable[[], Any]) -> Any:
        if self.problem is not None:
            return _FAILED
        try:
            return action()
        except StorageError as exc:
            self.problem = exc.message
            self.warn(f"Your answers cannot be kept between runs. {exc.message}")
            return _FAILED


_FAILED = object()


def restore_answers(rules: RuleBase, saved: Mapping[str, object]) -> tuple[dict[str, Any], int]:
    """Parse saved answers again; those that no longer fit the rule base are dropped and counted."""
    answers: dict[str, Any] = {}
    dropped = 0
    for key, raw in saved.items():
        question = rules.by_id.get(key)
        try:
            answers[key] = question.parse(raw) if question is not None else None
        except AnswerError:
            answers[key] = None
        dropped += answers[key] is None
    return {key: value for key, value in answers.items() if value is not None}, dropped
