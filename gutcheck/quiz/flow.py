"""The interactive quiz: walks the rule base's questions one prompt at a time, and never loses
an answer.

The flow knows nothing of questionary. It talks to a :class:`~gutcheck.quiz.steps.Prompter`: the
questionary adapter in :mod:`gutcheck.quiz.questionary_prompter`, or the plain-line prompter in
:mod:`gutcheck.quiz.plain`. Every answer goes through :meth:`Question.parse`, like an answer
from a file, and the finished dict goes to the scorer ``gutcheck score`` and ``gutcheck batch``
use too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from gutcheck.answers.parse import SKIP, AnswerError
from gutcheck.errors import Interrupted, UsageError
from gutcheck.quiz.drafts import Drafts, Restored
from gutcheck.quiz.steps import (
    ABOUT_NOTE,
    ABOUT_SECTION,
    INPUT_ENDED,
    RED_FLAG_NOTE,
    RED_FLAG_SECTION,
    Choice,
    Nav,
    Prompter,
    Step,
    is_blank,
    problem_with,
    retry_message,
)
from gutcheck.rulebook.model import Question, RuleBase

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


def may_still_appear(rules: RuleBase, answers: Mapping[str, Any]) -> list[int]:
    """Indices of hidden questions that answers not given yet could still show: a follow-up
    whose condition reads a question that is unanswered and shown, or may be shown itself."""
    shown = set(shown_indices(rules, answers))
    open_ids: set[str] = set()  # questions whose answer is not known yet, and may be given
    maybe: list[int] = []
    for index, question in enumerate(rules.questions):
        value = answers.get(question.id)
        if index in shown:
            if value is None:
                open_ids.add(question.id)
        elif question.show_reads & open_ids:
            maybe.append(index)
            open_ids.add(question.id)
    return maybe


def may_disappear(rules: RuleBase, answers: Mapping[str, Any]) -> list[int]:
    """Indices of shown questions that answers not given yet could still hide: one shown while
    an earlier question is unanswered (a safety question asked when age is not known, say)."""
    shown = set(shown_indices(rules, answers))
    open_ids: set[str] = set()  # questions whose answer is not known yet, and may be given
    maybe: list[int] = []
    for index, question in enumerate(rules.questions):
        if question.show_reads & open_ids:
            open_ids.add(question.id)
            if index in shown:
                maybe.append(index)
        elif index in shown and answers.get(question.id) is None:
            open_ids.add(question.id)
    return maybe


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
        self.about = frozenset(q.id for q in rules.about)
        self.safety = frozenset(flag.question.id for flag in rules.red_flags)

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
        without = {k: v for k, v in self.answers.items() if k != question.id}  # it may change now
        maybe = set(may_still_appear(self.rules, without)) - set(askable)
        # later questions an answer not given yet may still hide: the count says "from ... to"
        fewer = {i for i in may_disappear(self.rules, without) if i > index} & set(askable)
        return Step(
            question=question,
            index=index,
            number=askable.index(index) + 1,
            total=len(askable) - len(fewer),
            section=self.section(question)[0],
            default=self.answers.get(question.id),
            can_go_back=askable[0] < index,
            most=len(askable) + len(maybe),
            deliberate=question.id in self.safety,
        )

    def count_range(self) -> tuple[int, int]:
        """The fewest and the most questions the quiz can still ask in all, from here."""
        askable = self.askable()
        fewer = set(may_disappear(self.rules, self.answers)) & set(askable)
        return len(askable) - len(fewer), len(askable) + len(may_still_appear(self.rules, self.answers))

    def section(self, question: Question) -> tuple[str, str | None]:
        """Title and note of the section a question belongs to."""
        factor = self.sections.get(question.factor or "")
        if factor is not None:
            return factor.title, factor.explanation
        return (ABOUT_SECTION, ABOUT_NOTE) if question.id in self.about else (RED_FLAG_SECTION, RED_FLAG_NOTE)

    def record(self, step: Step, value: Any) -> None:
        """Keep an answer, drop the answers it hides, and move past its question."""
        self.answers[step.question.id] = value
        self.answers = prune(self.rules, self.answers)
        self.fixed = self.fixed - {step.question.id}  # asked here after all: it counts as asked
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
            raw, problem = None, retry_message(str(exc))
        else:
            if raw is Nav.BACK:
                return Nav.BACK
            problem = problem_with(step.question, raw)
            if problem is None:
                return step.question.parse(raw)
            if not is_blank(raw):  # "Please choose Yes or No." asks once, not twice
                problem = retry_message(problem)
        prompter.warn(problem)
        step = replace(step, retry=raw)


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
    fewest, most = _Walk(rules, prefill, frozenset(prefill), 0).count_range()
    with stopping_cleanly(lambda: "Stopped before the first question; nothing new was saved."):
        return welcome(rules, prompter, fewest, most)


def take_quiz(
    rules: RuleBase,
    prompter: Prompter,
    *,
    prefill: Mapping[str, Any] | None = None,
    drafts: Drafts | None = None,
    resume_command: str = "gutcheck",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Offer to resume an unfinished quiz, then walk the questions; returns parsed answers.

    Ctrl-C raises :class:`Interrupted` (answers so far are kept in ``drafts``); end of input
    raises :class:`UsageError` pointing to ``gutcheck score`` and ``gutcheck batch``.
    """
    given = dict(prefill or {})
    with stopping_cleanly(lambda: stopped_message(drafts, resume_command)):
        answers, position = given, 0
        restored = offer_resume(rules, prompter, drafts, now)
        if restored is not None:
            answers, position = {**restored.answers, **given}, restored.position
        keep = drafts.save if drafts is not None else None
        return run_quiz(
            rules, prompter, answers=answers, fixed=frozenset(given), position=position, keep=keep
        )


def welcome(rules: RuleBase, prompter: Prompter, count: int, most: int | None = None) -> bool:
    """The welcome: title, disclaimer, what to expect, and an explicit 'continue?'."""
    prompter.heading(rules.title, f"Version {rules.version}")
    prompter.say(rules.disclaimer)
    most = max(count, most or 0)
    if most:
        prompter.say(expect_words(count, most))
    else:
        prompter.say("Your answers file already answers every question.")
    prompter.say(
        f"To change an answer, {prompter.back_hint}. "
        "Press Ctrl-C to stop at any time: your answers so far are kept."
    )
    return prompter.confirm("Continue?", default=True)


def expect_words(fewest: int, most: int) -> str:
    """'25 to 34 questions, about 6 to 9 minutes' (at about 15 seconds a question)."""
    low, high = max(1, round(fewest / 4)), max(1, round(most / 4))
    questions = f"{fewest} questions" if most == fewest else f"{fewest} to {most} questions"
    if fewest == 0:  # an answers file answered everything but follow-ups that may appear
        questions = f"Up to {most} questions"
    minutes = f"{low} minute{'s' if low != 1 else ''}" if high == low else f"{low} to {high} minutes"
    return f"{questions}, about {minutes}."


def offer_resume(
    rules: RuleBase, prompter: Prompter, drafts: Drafts | None, now: datetime | None = None
) -> Restored | None:
    """Offer an unfinished quiz of this profile and rule base, saying when it was left in local
    words ('today at 21:54'); None to start afresh."""
    from gutcheck.render.when import when_words

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
        f"You have an unfinished check from {when_words(restored.saved_at, now or datetime.now(timezone.utc))} "
        f"({len(restored.answers)} answer{'' if len(restored.answers) == 1 else 's'}).",
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
