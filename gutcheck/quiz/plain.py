"""Plain mode: numbered answers typed on plain lines; prompts on stderr; no cursor tricks.

For screen readers and simple terminals (``--plain``, or ``TERM=dumb``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TextIO

from gutcheck.answers.parse import AnswerError
from gutcheck.quiz.steps import Choice, Nav, Step, choices_for, picks_hint, preset
from gutcheck.rulebook.kinds import Prompt
from gutcheck.rulebook.model import Question

_SPLIT_PICKS = re.compile(r"[\s,;]+")


_BACK_WORDS = frozenset({"b", "back", "<"})


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
        choices = () if question.type.prompt is Prompt.LINE else choices_for(question)
        self._write("", step.progress, question.ask, *([question.help] if question.help else []))
        self._write(*_numbered(choices, preset(step)))
        reply = self._read(_plain_instruction(step, len(choices)) + "\n> ")
        if reply.casefold() in _BACK_WORDS:
            return Nav.BACK
        if not reply:
            if step.deliberate:
                raise AnswerError("a safety question needs an answer: type 1 for Yes or 2 for No")
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
    prompt = question.type.prompt
    if prompt is Prompt.LINE:
        what = f"Type {question.type.allowed_text(question)}"
        if question.allow_skip:
            what += ", or skip if you prefer not to say"
    elif prompt is Prompt.CHECKBOX:
        limits = picks_hint(question)
        what = "Type the numbers of all that apply, separated by commas"
        what += f" ({limits})" if limits else ""
    else:
        what = f"Type a number from 1 to {count}"
    keeps = "; Enter keeps the current answer" if step.default is not None and not step.deliberate else ""
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
    several = question.type.prompt is Prompt.CHECKBOX
    if not several and len(tokens) > 1:
        raise AnswerError("please type just one number")
    picks = []
    for token in tokens:
        if not 1 <= int(token) <= len(choices):
            raise AnswerError(f"{token} is not a number from 1 to {len(choices)}")
        picks.append(choices[int(token) - 1].value)
    return list(dict.fromkeys(picks)) if several else picks[0]
