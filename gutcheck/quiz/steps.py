"""What the quiz asks through: one question in context, its choices and messages, and the prompter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from gutcheck.answers.parse import SKIP, SKIP_LABEL, AnswerError
from gutcheck.rulebook.kinds import Prompt
from gutcheck.rulebook.model import Question

RED_FLAG_SECTION = "Safety questions"


RED_FLAG_NOTE = (
    "Next, a few safety questions: symptoms that need a clinician, and things worth mentioning "
    "to your doctor, whatever else you answer."
)
ABOUT_SECTION = "About you"
ABOUT_NOTE = (
    "Optional, and never scored: used only where a guideline's advice, a safety question or a "
    "screening cut-off depends on it. 'Prefer not to say' is always fine."
)
UNCHOSEN = ""  # the value of the neutral 'choose' entry of a safety question: not an answer
CHOOSE_LABEL = "(choose Yes or No)"


NO_TERMINAL = (
    "The quiz needs a terminal to type answers in; to score answers without one, "
    "use 'gutcheck score ANSWERS_FILE' or 'gutcheck batch FILE'."
)


INPUT_ENDED = (
    "Input ended before the quiz was finished; to score answers without a terminal, "
    "use 'gutcheck score ANSWERS_FILE' or 'gutcheck batch FILE'."
)


class Nav(Enum):
    """What a prompt returns instead of an answer when the person navigates."""

    BACK = "back"


@dataclass(frozen=True)
class Choice:
    """One pickable answer of a select or checkbox prompt."""

    label: str
    value: str


@dataclass(frozen=True)
class Step:
    """One question as the person meets it: its place in the quiz and its current answer."""

    question: Question
    index: int
    number: int
    total: int  # the fewest questions the quiz can ask in all, from here
    section: str
    default: Any = None
    can_go_back: bool = False
    retry: object = None  # the answer just refused, to start from when asking again
    most: int = 0  # the total if every follow-up that may still appear does
    deliberate: bool = False  # a safety question: a single Enter must not record an answer

    @property
    def progress(self) -> str:
        """The progress line, e.g. 'Question 7 of 23 · Stress and sleep', or 'Question 7 of 23
        to 25' while follow-ups may still appear: never 'N of N' when another may follow."""
        total = f"{self.total} to {self.most}" if self.most > self.total else str(self.total)
        return f"Question {self.number} of {total} · {self.section}"


class Prompter(Protocol):
    """How the quiz talks to a person: headings, notices and one prompt per step."""

    back_hint: str

    def heading(self, title: str, note: str | None = None) -> None:
        """Show a section heading, with an optional line under it."""

    def say(self, text: str) -> None:
        """Show a line of text."""

    def warn(self, text: str) -> None:
        """Show a problem with the last answer, or a notice that matters."""

    def confirm(self, message: str, *, default: bool = True) -> bool:
        """Ask a yes/no question about the quiz itself (not a rule-base question)."""

    def choose(self, message: str, choices: Sequence[Choice]) -> str:
        """Ask the person to pick one of ``choices``; returns its value."""

    def ask(self, step: Step) -> object:
        """Ask one question; returns the raw answer for Question.parse, or Nav.BACK."""


# ---------------------------------------------------------------------------------------------
# Shared by both prompters: the choices of a question, its preset answer, validation messages.


def choices_for(question: Question) -> tuple[Choice, ...]:
    """The choices its kind offers (none for a typed answer), "Prefer not to say" last."""
    choices = tuple(Choice(label, value) for label, value in question.type.choices(question))
    return (*choices, Choice(SKIP_LABEL, SKIP)) if question.allow_skip else choices


def preset(step: Step) -> Any:
    """The current answer of ``step`` as a prompt shows it (choice value, list, text), or None."""
    value, question = step.default, step.question
    if value is None:
        return None
    if value == SKIP:
        return [SKIP] if question.type.prompt is Prompt.CHECKBOX else SKIP
    return question.type.shown_answer(value)


def starting_point(step: Step) -> Any:
    """What a prompt starts from: the answer just refused (to fix it), else the current one."""
    retry, prompt = step.retry, step.question.type.prompt
    if retry is None:
        return preset(step)
    if prompt is Prompt.CHECKBOX:
        return list(retry) if isinstance(retry, (list, tuple)) else [retry]
    return str(retry) if prompt is Prompt.LINE else preset(step)






def problem_with(question: Question, raw: object) -> str | None:
    """Why ``raw`` is not an acceptable answer to ``question``, as a sentence; None if it is.
    For no answer at all, the sentence is already a request ("Please choose Yes or No.")."""
    if is_blank(raw):
        return question.type.blank_request(question)
    try:
        question.parse(raw)
    except AnswerError as exc:
        return sentence(str(exc))
    return None


def is_blank(raw: object) -> bool:
    """True when nothing was answered (an empty or blank line)."""
    return isinstance(raw, str) and not raw.strip()


def retry_message(problem: str) -> str:
    """A refused answer's problem, and that the question is asked again."""
    return f"{sentence(problem)} Please try again."


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."




def picks_hint(question: Question) -> str:
    """How many options a multi question takes, e.g. 'pick 1 to 3'; empty when any number."""
    low, high = question.min_picks, question.max_picks
    if high is not None and low > 0:
        return f"pick {low}" if low == high else f"pick {low} to {high}"
    if high is not None:
        return f"pick up to {high}"
    return f"pick at least {low}" if low > 0 else ""
