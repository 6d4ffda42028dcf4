"""The interactive quiz: walks the rule base's questions one prompt at a time, and never loses
an answer.

The flow knows nothing of questionary. It talks to a :class:`Prompter`: the questionary adapter
in :mod:`gutcheck.prompts`, or :class:`PlainPrompter` (numbered answers on plain lines, for
screen readers and simple terminals). Every answer goes through :meth:`Question.parse`, like an
answer from a file, and the finished dict goes to :func:`gutcheck.engine.score_parsed`, the
scorer ``gutcheck score`` and ``gutcheck batch`` use too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, TextIO

from gutcheck.assessment import Assessment
from gutcheck.errors import GutcheckError, Interrupted, StorageError, UsageError
from gutcheck.rulebase import SKIP, SKIP_LABEL, AnswerError, Question, RuleBase

RED_FLAG_SECTION = "Safety questions"
RED_FLAG_NOTE = "First, a few questions about symptoms that need a clinician, whatever else you answer."
NO_TERMINAL = (
    "The quiz needs a terminal to type answers in; to score answers without one, "
    "use 'gutcheck score ANSWERS_FILE' or 'gutcheck batch FILE'."
)
INPUT_ENDED = (
    "Input ended before the quiz was finished; to score answers without a terminal, "
    "use 'gutcheck score ANSWERS_FILE' or 'gutcheck batch FILE'."
)
_SPLIT_PICKS = re.compile(r"[\s,;]+")
_BACK_WORDS = frozenset({"b", "back", "<"})


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
    total: int
    section: str
    default: Any = None
    can_go_back: bool = False
    retry: object = None  # the answer just refused, to start from when asking again

    @property
    def progress(self) -> str:
        """The progress line, e.g. 'Question 7 of 23 · Stress and sleep'."""
        return f"Question {self.number} of {self.total} · {self.section}"


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
    """The choices shown for a choice, scale, multi or yes/no question, skip option last."""
    choices: tuple[Choice, ...]
    if question.kind == "yesno":
        choices = (Choice("Yes", "yes"), Choice("No", "no"))
    else:
        choices = tuple(Choice(option.label, option.value) for option in question.options)
    return (*choices, Choice(SKIP_LABEL, SKIP)) if question.allow_skip else choices


def preset(step: Step) -> Any:
    """The current answer of ``step`` as a prompt shows it (choice value, list, text), or None."""
    value, question = step.default, step.question
    if value is None:
        return None
    if value == SKIP:
        return [SKIP] if question.kind == "multi" else SKIP
    if question.kind == "yesno":
        return "yes" if value else "no"
    if question.kind == "multi":
        return list(value)
    if question.kind == "number":
        return f"{value:g}"
    return value


def starting_point(step: Step) -> Any:
    """What a prompt starts from: the answer just refused (to fix it), else the current one."""
    retry, kind = step.retry, step.question.kind
    if retry is None:
        return preset(step)
    if kind == "multi":
        return list(retry) if isinstance(retry, (list, tuple)) else [retry]
    return str(retry) if kind == "number" else preset(step)


def picks_to_raw(picks: Sequence[str]) -> object:
    """The raw answer of a multi question from the values picked ('Prefer not to say' alone)."""
    if SKIP in picks:
        if len(picks) > 1:
            raise AnswerError(f"'{SKIP_LABEL}' cannot be combined with other choices")
        return SKIP
    return list(picks)


def parse_answer(question: Question, raw: object) -> Any:
    """Parse what a prompt returned with :meth:`Question.parse` (a multi's picks as a list)."""
    if question.kind == "multi" and isinstance(raw, list):
        raw = picks_to_raw(raw)
    return question.parse(raw)


def problem_with(question: Question, raw: object) -> str | None:
    """Why ``raw`` is not an acceptable answer to ``question``, as a sentence; None if it is."""
    if isinstance(raw, str) and not raw.strip():
        return f"Please type {number_hint(question)}." if question.kind == "number" else "Please answer."
    try:
        parse_answer(question, raw)
    except AnswerError as exc:
        return sentence(str(exc))
    return None


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def number_hint(question: Question) -> str:
    """What a number question accepts, e.g. 'a whole number from 0 to 40 drinks'."""
    whole = "a whole number" if question.integer else "a number"
    unit = f" {question.unit}" if question.unit else ""
    return f"{whole} from {question.minimum:g} to {question.maximum:g}{unit}"


def picks_hint(question: Question) -> str:
    """How many options a multi question takes, e.g. 'pick 1 to 3'; empty when any number."""
    low, high = question.min_picks, question.max_picks
    if high is not None and low > 0:
        return f"pick {low}" if low == high else f"pick {low} to {high}"
    if high is not None:
        return f"pick up to {high}"
    return f"pick at least {low}" if low > 0 else ""


# ---------------------------------------------------------------------------------------------
# The walk: which questions are shown, asked, dropped; back and forward.


def shown_indices(rules: RuleBase, answers: Mapping[str, Any]) -> list[int]:
    """Indices into ``rules.questions`` of the questions shown given ``answers``."""
    context: dict[str, Any] = {}
    shown: list[int] = []
    for index, question in enumerate(rules.questions):
        if not rules.is_shown(question, context):
            continue
        shown.append(index)
        value = answers.get(question.id)
        if value is not None and value != SKIP:
            context[question.id] = value
    return shown


def prune(rules: RuleBase, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` without those of questions that are now hidden (or unknown)."""
    shown = {rules.questions[index].id for index in shown_indices(rules, answers)}
    return {key: value for key, value in answers.items() if key in shown}


class _Walk:
    """The state of one quiz: the answers so far and the index of the next question."""

    def __init__(
        self, rules: RuleBase, answers: Mapping[str, Any], fixed: frozenset[str], position: int
    ) -> None:
        self.rules = rules
        self.answers = prune(rules, answers)
        self.fixed = fixed
        self.position = max(0, position)
        self.sections = {factor.id: factor for factor in rules.factors}

    def askable(self) -> list[int]:
        """Shown questions the quiz asks: all but those answered by a prefill file."""
        questions = self.rules.questions
        return [
            index
            for index in shown_indices(self.rules, self.answers)
            if questions[index].id not in self.fixed or questions[index].id not in self.answers
        ]

    def next_step(self) -> Step | None:
        """The step at or after the current position, or None when the quiz is done."""
        askable = self.askable()
        index = next((i for i in askable if i >= self.position), None)
        if index is None:
            return None
        question = self.rules.questions[index]
        return Step(
            question=question,
            index=index,
            number=askable.index(index) + 1,
            total=len(askable),
            section=self.section(question)[0],
            default=self.answers.get(question.id),
            can_go_back=askable[0] < index,
        )

    def section(self, question: Question) -> tuple[str, str | None]:
        """Title and note of the section a question belongs to."""
        factor = self.sections.get(question.factor or "")
        return (factor.title, factor.explanation) if factor else (RED_FLAG_SECTION, RED_FLAG_NOTE)

    def record(self, step: Step, value: Any) -> None:
        """Keep an answer, drop the answers it hides, and move past its question."""
        self.answers[step.question.id] = value
        self.answers = prune(self.rules, self.answers)
        self.position = step.index + 1

    def back(self, step: Step) -> bool:
        """Move to the shown question before ``step``; False if there is none."""
        earlier = [index for index in self.askable() if index < step.index]
        if not earlier:
            return False
        self.position = earlier[-1]
        return True


Keep = Callable[[dict[str, Any], int], None]


def run_quiz(
    rules: RuleBase,
    prompter: Prompter,
    *,
    answers: Mapping[str, Any] | None = None,
    fixed: frozenset[str] = frozenset(),
    position: int = 0,
    keep: Keep | None = None,
) -> dict[str, Any]:
    """Ask every shown question from ``position`` on; returns the parsed answers.

    ``answers`` are parsed answers to start from (a resumed draft, a prefill file); questions
    whose ids are in ``fixed`` are not asked. ``keep(answers, position)`` is called after each
    answer and each step back, so that nothing is lost if the quiz stops.
    """
    walk = _Walk(rules, answers or {}, fixed, position)
    current_section: str | None = None
    while (step := walk.next_step()) is not None:
        if step.section != current_section:
            prompter.heading(*walk.section(step.question))
            current_section = step.section
        result = ask_until_valid(prompter, step)
        if result is Nav.BACK:
            if not walk.back(step):
                prompter.warn("This is the first question; there is nothing before it.")
        else:
            walk.record(step, result)
        if keep is not None:
            keep(dict(walk.answers), walk.position)
    return walk.answers


def ask_until_valid(prompter: Prompter, step: Step) -> Any:
    """Ask ``step`` until its answer parses; returns the parsed value or Nav.BACK.

    A refused answer is explained right under the question, which is then asked again
    starting from the refused answer, so that fixing it takes a key or two.
    """
    while True:
        problem: str | None
        try:
            raw = prompter.ask(step)
        except AnswerError as exc:  # a typed reply the prompter could not even read
            raw, problem = None, sentence(str(exc))
        else:
            if raw is Nav.BACK:
                return Nav.BACK
            problem = problem_with(step.question, raw)
            if problem is None:
                return parse_answer(step.question, raw)
        prompter.warn(f"{problem} Please try again.")
        step = replace(step, retry=raw)


# ---------------------------------------------------------------------------------------------
# Drafts: the answers so far, kept in the history store so that an interrupted quiz resumes.


class DraftStore(Protocol):
    """The part of :class:`gutcheck.history.History` that keeps quiz drafts."""

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


# ---------------------------------------------------------------------------------------------
# The whole quiz: welcome, resume or start over, the walk, and what Ctrl-C / Ctrl-D mean.


@contextmanager
def stopping_cleanly(message: Callable[[], str]) -> Iterator[None]:
    """Ctrl-C becomes :class:`Interrupted` with ``message()`` (what was kept, how to resume);
    end of input (Ctrl-D, a closed stdin) becomes :class:`UsageError` pointing to ``score``,
    after the same word on what was kept."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(message()) from None
    except EOFError:
        raise UsageError(f"{message()} {INPUT_ENDED}") from None


def greet(rules: RuleBase, prompter: Prompter, prefill: Mapping[str, Any]) -> bool:
    """The welcome and its 'continue?'; False if the person chose not to start."""
    count = len(_Walk(rules, prefill, frozenset(prefill), 0).askable())
    with stopping_cleanly(lambda: "Stopped before the first question; nothing new was saved."):
        return welcome(rules, prompter, count)


def take_quiz(
    rules: RuleBase,
    prompter: Prompter,
    *,
    prefill: Mapping[str, Any] | None = None,
    drafts: Drafts | None = None,
    resume_command: str = "gutcheck",
) -> dict[str, Any]:
    """Offer to resume an unfinished quiz, then walk the questions; returns parsed answers.

    Ctrl-C raises :class:`Interrupted` (answers so far are kept in ``drafts``); end of input
    raises :class:`UsageError` pointing to ``gutcheck score`` and ``gutcheck batch``.
    """
    given = dict(prefill or {})
    with stopping_cleanly(lambda: stopped_message(drafts, resume_command)):
        answers, position = given, 0
        restored = offer_resume(rules, prompter, drafts)
        if restored is not None:
            answers, position = {**restored.answers, **given}, restored.position
        keep = drafts.save if drafts is not None else None
        return run_quiz(
            rules, prompter, answers=answers, fixed=frozenset(given), position=position, keep=keep
        )


def welcome(rules: RuleBase, prompter: Prompter, count: int) -> bool:
    """The welcome: title, disclaimer, what to expect, and an explicit 'continue?'."""
    prompter.heading(rules.title, f"Version {rules.version}")
    prompter.say(rules.disclaimer)
    if count:
        minutes = max(1, round(count / 4))
        prompter.say(f"About {count} questions, roughly {minutes} minute{'s' if minutes != 1 else ''}.")
    else:
        prompter.say("Your answers file already answers every question.")
    prompter.say(
        f"To change an answer, {prompter.back_hint}. "
        "Press Ctrl-C to stop at any time: your answers so far are kept."
    )
    return prompter.confirm("Continue?", default=True)


def offer_resume(rules: RuleBase, prompter: Prompter, drafts: Drafts | None) -> Restored | None:
    """Offer an unfinished quiz of this profile and rule base; None to start afresh."""
    restored = drafts.load(rules) if drafts is not None else None
    if restored is None or drafts is None or not restored.answers:
        return None
    if restored.dropped:
        prompter.warn(
            "1 saved answer no longer fits these rules and was left out."
            if restored.dropped == 1
            else f"{restored.dropped} saved answers no longer fit these rules and were left out."
        )
    choice = prompter.choose(
        f"You have an unfinished check from {restored.saved_at} ({len(restored.answers)} answers).",
        (
            Choice("Resume where I left off", "resume"),
            Choice("Start over (forget those answers)", "restart"),
        ),
    )
    if choice == "resume":
        return restored
    drafts.clear()
    return None


def stopped_message(drafts: Drafts | None, resume_command: str) -> str:
    """The one line shown after Ctrl-C: what was kept and how to resume."""
    if drafts is None:
        return "Stopped; nothing was kept because of --no-save."
    if drafts.problem is not None:
        return f"Stopped; your answers could not be kept. {drafts.problem}"
    if not drafts.kept:
        return "Stopped before the first answer; nothing needed keeping."
    kept = "1 answer so far is" if drafts.kept == 1 else f"{drafts.kept} answers so far are"
    return f"Stopped; your {kept} kept: run '{resume_command}' to pick up where you left off."


# ---------------------------------------------------------------------------------------------
# The session: settings, storage, prefill, scoring and saving. The CLI shows the outcome.


@dataclass(frozen=True)
class QuizSettings:
    """The quiz's command-line options."""

    rules: Path | None = None
    answers: Path | None = None
    profile: str = "default"
    save: bool = True
    plain: bool = False

    def resume_command(self) -> str:
        """The command that resumes this quiz, with the options that pick its draft."""
        words = ["gutcheck"]
        if self.rules is not None:
            words += ["--rules", str(self.rules)]
        if self.profile != "default":
            words += ["--profile", self.profile]
        return " ".join(words)


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
    from gutcheck.answers_io import read_answers

    answers_file = read_answers(str(path))
    return rules.parse_answers(answers_file.answers, answers_file.where)


@contextmanager
def history_store(enabled: bool) -> Iterator[tuple[Any, str | None]]:
    """The history store (or None with --no-save), and why it could not be opened, if so."""
    if not enabled:
        yield None, None
        return
    from gutcheck.history import History

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
    from gutcheck.engine import score_parsed

    if settings.save:
        from gutcheck.history import check_profile

        check_profile(settings.profile)
    if not greet(rules, prompter, prefill or {}):
        return None
    with history_store(settings.save) as (store, problem):  # opened after the welcome: lean start
        drafts = Drafts(store, f"{settings.profile}:{rules.id}", prompter.warn) if store else None
        answers = take_quiz(
            rules, prompter, prefill=prefill, drafts=drafts, resume_command=settings.resume_command()
        )
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


# ---------------------------------------------------------------------------------------------
# Plain mode: numbered answers typed on plain lines; prompts on stderr; no cursor tricks.


class PlainPrompter:
    """Asks with plain text lines: numbered options, answers read line by line from stdin."""

    back_hint = "type b and Enter to go back to the previous question"

    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        self._in = stdin if stdin is not None else sys.stdin
        self._out = out if out is not None else sys.stderr

    def heading(self, title: str, note: str | None = None) -> None:
        """A blank line, the title between '==' marks, and the note."""
        self._write("", f"== {title} ==", *([note] if note else []))

    def say(self, text: str) -> None:
        """One line of text."""
        self._write(text)

    def warn(self, text: str) -> None:
        """A problem or notice, marked so it stands out when read aloud."""
        self._write(f"Note: {text}")

    def confirm(self, message: str, *, default: bool = True) -> bool:
        """Ask until the reply is yes, no or empty (the default)."""
        hint = "[Y/n]" if default else "[y/N]"
        while True:
            reply = self._read(f"{message} {hint} ").casefold()
            if not reply:
                return default
            if reply in ("y", "yes", "n", "no"):
                return reply.startswith("y")
            self.warn("Please type y or n.")

    def choose(self, message: str, choices: Sequence[Choice]) -> str:
        """Numbered choices; ask until a number in range is typed."""
        self._write("", message, *_numbered(choices))
        while True:
            reply = self._read(f"Type a number from 1 to {len(choices)}: ")
            if reply.isdigit() and 1 <= int(reply) <= len(choices):
                return choices[int(reply) - 1].value
            self.warn(f"Please type a number from 1 to {len(choices)}.")

    def ask(self, step: Step) -> object:
        """Show the question with numbered options; return the raw answer or Nav.BACK."""
        question = step.question
        choices = () if question.kind == "number" else choices_for(question)
        self._write("", step.progress, question.ask, *([question.help] if question.help else []))
        self._write(*_numbered(choices, preset(step)))
        reply = self._read(_plain_instruction(step, len(choices)) + "\n> ")
        if reply.casefold() in _BACK_WORDS:
            return Nav.BACK
        if not reply:
            return _kept_answer(step)
        return reply if not choices else _picked(question, choices, reply)

    def _write(self, *lines: str) -> None:
        for line in lines:
            self._out.write(line + "\n")
        self._out.flush()

    def _read(self, prompt: str) -> str:
        self._out.write(prompt)
        self._out.flush()
        line = self._in.readline()
        if not line:
            self._out.write("\n")
            raise EOFError
        return line.strip()


def _numbered(choices: Sequence[Choice], current: object = None) -> list[str]:
    chosen = set(current) if isinstance(current, list) else {current}
    return [
        f"  {number}) {choice.label}" + ("  (current answer)" if choice.value in chosen else "")
        for number, choice in enumerate(choices, start=1)
    ]


def _plain_instruction(step: Step, count: int) -> str:
    question = step.question
    if question.kind == "number":
        what = f"Type {number_hint(question)}"
        if question.allow_skip:
            what += ", or skip if you prefer not to say"
    elif question.kind == "multi":
        limits = picks_hint(question)
        what = "Type the numbers of all that apply, separated by commas"
        what += f" ({limits})" if limits else ""
    else:
        what = f"Type a number from 1 to {count}"
    keeps = "; Enter keeps the current answer" if step.default is not None else ""
    back = "; b goes back" if step.can_go_back else ""
    return f"{what}{keeps}{back}."


def _kept_answer(step: Step) -> object:
    kept = preset(step)
    if kept is None:
        raise AnswerError("nothing was typed")
    return kept


def _picked(question: Question, choices: Sequence[Choice], reply: str) -> object:
    tokens = [token for token in _SPLIT_PICKS.split(reply) if token]
    if not tokens or not all(token.isdigit() for token in tokens):
        return reply  # a label or 'yes'/'no' typed out: Question.parse reads it
    if question.kind != "multi" and len(tokens) > 1:
        raise AnswerError("please type just one number")
    picks = []
    for token in tokens:
        if not 1 <= int(token) <= len(choices):
            raise AnswerError(f"{token} is not a number from 1 to {len(choices)}")
        picks.append(choices[int(token) - 1].value)
    return list(dict.fromkeys(picks)) if question.kind == "multi" else picks[0]
