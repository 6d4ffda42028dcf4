"""The checked, compiled rule base: frozen objects that score answers quickly.

A :class:`Question` owns its answer: :meth:`Question.parse` turns what a person typed, a
file held or a spreadsheet cell said into the stored value (or raises :class:`AnswerError`),
and :meth:`Question.points` scores that value. The quiz, ``score`` and ``batch`` all go
through these two methods, so they cannot disagree.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gutcheck.answers.parse import SKIP, SKIP_LABEL, AnswerError, ParsedAnswer, normalise_text, parse_answer
from gutcheck.errors import InputError, Problem, did_you_mean
from gutcheck.rulebook.conditions import Predicate
from gutcheck.rulebook.content import ReferenceInfo
from gutcheck.rulebook.kinds import KINDS, OPTION_SEPARATOR, Option, QuestionKind

__all__ = ["OPTION_SEPARATOR", "Option", "Question", "RuleBase"]

HIDDEN = ("hidden",)
BLANK = ("blank",)
_NO_FACTS: Mapping[str, Any] = {}


@dataclass(frozen=True)
class Question:
    """A compiled question: how to parse, show and score its answer."""

    id: str
    ask: str
    kind: str
    factor: str | None
    help: str | None = None
    allow_skip: bool = False
    options: tuple[Option, ...] = ()
    min_picks: int = 0
    max_picks: int | None = None
    yes_points: int = 1
    no_points: int = 0
    minimum: float = 0.0
    maximum: float = 0.0
    unit: str | None = None
    integer: bool = False
    bounds: tuple[float, ...] = ()
    range_points: tuple[int, ...] = ()
    show_if: Predicate | None = None
    show_reads: frozenset[str] = frozenset()  # the question ids ``show_if`` reads
    show_if_data: Any = field(default=None, repr=False, compare=False)
    _lookup: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for option in self.options:
            for key in (option.value, normalise_text(option.value), normalise_text(option.label)):
                self._lookup.setdefault(key, option.value)

    @property
    def type(self) -> QuestionKind:
        """The kind of question (:mod:`gutcheck.rulebook.kinds`): what differs by kind is asked of it."""
        return KINDS[self.kind]

    @cached_property
    def max_points(self) -> int:
        """The most points any single answer to this question can add (never below 0)."""
        return self.type.max_points(self)

    def parse(self, raw: object) -> ParsedAnswer:
        """Turn a raw answer (value, label, text, number, list) into the stored value.

        Every route in (files, cells, prompts, typed lines) comes here; see :mod:`gutcheck.answers.parse`.
        """
        return parse_answer(self, raw)

    def points(self, value: Any) -> int:
        """Points for a parsed value (0 for a skipped answer)."""
        if value == SKIP:
            return 0
        return self.type.points(self, value)

    def label(self, value: Any) -> str:
        """How a parsed value reads to a person."""
        return SKIP_LABEL if value == SKIP else self.type.label(self, value)

    def allowed_text(self) -> str:
        """A short description of acceptable answers, for error messages and templates."""
        skip = OPTION_SEPARATOR + SKIP_LABEL if self.type.has_options else f", or {SKIP_LABEL}"
        return self.type.allowed_text(self) + (skip if self.allow_skip else "")

    def option_for(self, text: str) -> str | None:
        """The option value a text names (value or label, any case), if any."""
        return self._lookup.get(text) or self._lookup.get(normalise_text(text))




@dataclass(frozen=True)
class Band:
    """A score band: scores from ``minimum`` up to (not including) ``below``."""

    minimum: float
    below: float | None
    level: str
    summary: str


@dataclass(frozen=True)
class Bands:
    """Ordered bands with a fast lookup of the band a score falls in."""

    bands: tuple[Band, ...]
    _bounds: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        bounds = tuple(b.below for b in self.bands[:-1] if b.below is not None)
        object.__setattr__(self, "_bounds", bounds)

    def find(self, score: float) -> Band:
        """The band that ``score`` falls in."""
        return self.bands[bisect.bisect_right(self._bounds, score)]

    @property
    def bounds(self) -> tuple[float, ...]:
        """The upper bounds (exclusive) of every band but the last, in order."""
        return self._bounds

    @property
    def levels(self) -> tuple[str, ...]:
        """Level names from lowest to highest."""
        return tuple(b.level for b in self.bands)


@dataclass(frozen=True)
class Suggestion:
    """A compiled suggestion with its condition, priority and one-line step."""

    id: str
    factor: str
    text: str
    why: str
    evidence: str
    references: tuple[str, ...]
    caution: str | None
    when: Predicate | None
    reads: frozenset[str] = frozenset()
    priority: str = "standard"
    short: str = ""
    learn: tuple[str, ...] = ()
    when_data: Any = field(default=None, repr=False, compare=False)
    hold_for_alarms: bool = False


@dataclass(frozen=True)
class Cutoff:
    """An instrument cut-off: used when ``when`` holds (always when it is None)."""

    when: Predicate | None
    at_least: int | None  # None: no screen result for this person (the label says why)
    label: str
    when_data: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Instrument:
    """A published scale inside a factor (such as AUDIT-C): its items, cut-offs and wording."""

    id: str
    name: str
    items: tuple[str, ...]
    references: tuple[str, ...]
    positive: str
    negative: str
    cutoffs: tuple[Cutoff, ...]
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Factor:
    """A compiled risk factor."""

    id: str
    title: str
    weight: float
    explanation: str
    references: tuple[str, ...]
    questions: tuple[Question, ...]
    bands: Bands
    suggestions: tuple[Suggestion, ...]
    instrument: Instrument | None = None
    learn: tuple[str, ...] = ()

    @cached_property
    def max_points(self) -> int:
        """The most points this factor can reach, ignoring which questions are shown."""
        return sum(q.max_points for q in self.questions)


@dataclass(frozen=True)
class UrgencyRule:
    """An urgency (and advice) that replaces a red flag's default when ``when`` holds."""

    when: Predicate
    urgency: str
    advice: str | None
    when_data: Any = field(default=None, repr=False, compare=False)
    action: str | None = None


@dataclass(frozen=True)
class RedFlag:
    """A compiled red flag: the yes/no question, its kind and the advice for a 'yes'.

    ``kind`` is 'alarm' (a symptom that needs a clinician) or 'risk' (a reason to mention
    something to a doctor).
    """

    question: Question
    advice: str
    urgency: str
    references: tuple[str, ...]
    kind: str = "alarm"
    urgency_if: tuple[UrgencyRule, ...] = ()
    title: str = ""
    action: str = ""

    def rule_for(self, answers: Mapping[str, Any]) -> int:
        """The index of the first urgency rule that holds for these shown answers (-1: none does),
        with the rule's compiled predicate (the scorer decides it in its generated code)."""
        for index, rule in enumerate(self.urgency_if):
            if rule.when(answers, _NO_FACTS):
                return index
        return -1

    def at(self, rule: int) -> tuple[str, str, str]:
        """The urgency, advice and action under urgency rule ``rule`` (-1: the flag's own)."""
        if rule < 0:
            return self.urgency, self.advice, self.action
        chosen = self.urgency_if[rule]
        return chosen.urgency, chosen.advice or self.advice, chosen.action or self.action


@dataclass(frozen=True)
class RuleBase:
    """A loaded, checked and compiled rule base."""

    id: str
    version: str
    title: str
    disclaimer: str
    content_hash: str
    source: str
    references: Mapping[str, ReferenceInfo]
    red_flags: tuple[RedFlag, ...]
    factors: tuple[Factor, ...]
    overall: Bands
    about: tuple[Question, ...] = ()
    learn_file: str | None = None
    questions: tuple[Question, ...] = ()
    by_id: Mapping[str, Question] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # About you first: age and sex decide which safety questions apply and how urgent
        # their advice is, so they are known before the red flags are asked.
        questions = (
            self.about
            + tuple(rf.question for rf in self.red_flags)
            + tuple(q for f in self.factors for q in f.questions)
        )
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "by_id", {q.id: q for q in questions})

    def parse_answers(
        self, raw: Mapping[str, object], where: Callable[[str], str] | None = None
    ) -> dict[str, Any]:
        """Parse every raw answer; unknown ids and bad values raise one InputError listing all.

        ``where`` names the place of an answer by its key (e.g. ``file:line:column``).
        """
        locate = where or (lambda key: "answers")
        parsed: dict[str, Any] = {}
        problems: list[Problem] = []
        for key, value in raw.items():
            question = self.by_id.get(str(key))
            if question is None:
                hint = did_you_mean(str(key), self.by_id)
                problems.append(Problem(locate(key), f"{key!r} is not a question of {self.id}{hint}"))
            elif value is not None and value != "":
                try:
                    parsed[question.id] = question.parse(value)
                except AnswerError as exc:
                    problems.append(Problem(locate(key), f"{question.id}: {exc}"))
        if problems:
            count, them = ("1 answer does", "it") if len(problems) == 1 else (f"{len(problems)} answers do", "them")
            raise InputError(f"{count} not fit the rule base {self.id}; fix {them} and try again", tuple(problems))
        return parsed

    def walk(self, answers: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...], dict[str, Any]]:
        """Answers of the questions that are shown, ids of shown questions left unanswered, and
        the state of every question: its answer if shown and answered, else :data:`HIDDEN` or
        :data:`BLANK` (shown but unanswered or declined)."""
        shown: dict[str, Any] = {}
        states: dict[str, Any] = {}
        unanswered: list[str] = []
        for qid, show_if in self._visibility:
            if show_if is not None and not show_if(shown, _NO_FACTS):
                states[qid] = HIDDEN
                continue
            value = answers.get(qid)
            if value is None or value == SKIP:
                unanswered.append(qid)
                states[qid] = BLANK
            else:
                shown[qid] = states[qid] = value
        return shown, tuple(unanswered), states

    @cached_property
    def _visibility(self) -> tuple[tuple[str, Predicate | None], ...]:
        return tuple((q.id, q.show_if) for q in self.questions)

    def is_shown(self, question: Question, answers: Mapping[str, Any]) -> bool:
        """Whether ``question`` is shown given the answers to earlier questions."""
        return question.show_if is None or question.show_if(answers, _NO_FACTS)
