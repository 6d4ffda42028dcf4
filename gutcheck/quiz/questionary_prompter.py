"""The one adapter around questionary: a prompt per question kind, with back and end-of-input keys.

questionary and prompt_toolkit are imported here and nowhere else; this module is imported only
when the interactive quiz starts, so ``gutcheck --version`` and the batch commands stay fast.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import create_app_session
from prompt_toolkit.application.current import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import create_output

from gutcheck.answers.parse import number_hint
from gutcheck.quiz.steps import (
    CHOOSE_LABEL,
    UNCHOSEN,
    Choice,
    Nav,
    Step,
    choices_for,
    picks_hint,
    preset,
    starting_point,
)

BACK_LABEL = "← Back"


class QuestionaryPrompter:
    """Asks through questionary; headings and notices are printed on ``stream`` (the terminal
    the prompts are drawn on), word-wrapped, with prompt_toolkit rather than rich so that the
    first question appears sooner."""

    back_hint = "press ← (left arrow), or pick '← Back'"

    def __init__(self, stream: TextIO) -> None:
        self.output = create_output(stdout=stream)

    def heading(self, title: str, note: str | None = None) -> None:
        """A blank line, the section title underlined, and the note in italics under it."""
        self._print("")
        self._print(title, "bold underline")
        if note:
            self._print(note, "italic")

    def say(self, text: str) -> None:
        """One paragraph of text."""
        self._print(text)

    def warn(self, text: str) -> None:
        """A problem or notice, in bold."""
        self._print(text, "bold fg:ansiyellow")

    def confirm(self, message: str, *, default: bool = True) -> bool:
        """A yes/no prompt about the quiz itself."""
        prompt = questionary.confirm(message, default=default)
        return bool(_run(_with_keys(prompt, back=False)))

    def choose(self, message: str, choices: Sequence[Choice]) -> str:
        """A select prompt; returns the chosen value."""
        items = [questionary.Choice(choice.label, value=choice.value) for choice in choices]
        return str(_run(_with_keys(questionary.select(message, choices=items), back=False)))

    def ask(self, step: Step) -> object:
        """Show the progress line, then ask; returns the raw answer or Nav.BACK."""
        self._print(step.progress, "fg:ansibrightblack")
        if step.question.help:
            self._print(step.question.help, "italic")
        return _run(build_prompt(step))

    def _print(self, text: str, style: str = "") -> None:
        width = max(20, self.output.get_size().columns - 1)
        lines = textwrap.wrap(text, width) or [""]
        print_formatted_text(FormattedText([(style, "\n".join(lines))]), output=self.output)


def build_prompt(step: Step) -> questionary.Question:
    """The questionary prompt for a step: a select (choice, scale, yes/no), a checkbox (multi)
    or a text line (number). Answers are checked by the quiz flow with Question.parse."""
    builder = _BUILDERS.get(step.question.kind, _select)
    return _with_keys(builder(step), back=step.can_go_back, text=step.question.kind == "number")


def _select(step: Step) -> questionary.Question:
    items: list[Any] = [questionary.Choice(c.label, value=c.value) for c in choices_for(step.question)]
    keys = "↑/↓ to move, Enter to choose"
    if step.deliberate and preset(step) is None:
        # A safety question starts on a neutral entry: a single Enter records nothing.
        items.insert(0, questionary.Choice(CHOOSE_LABEL, value=UNCHOSEN))
        keys = "↑/↓ to pick Yes or No, then Enter"
    if step.can_go_back:
        items += [questionary.Separator(), questionary.Choice(BACK_LABEL, value=Nav.BACK)]
    return questionary.select(
        step.question.ask,
        choices=items,
        default=preset(step),
        instruction=_instruction(keys, step),
    )


def _checkbox(step: Step) -> questionary.Question:
    question = step.question
    current = starting_point(step) or []
    items = [
        questionary.Choice(c.label, value=c.value, checked=c.value in current)
        for c in choices_for(question)
    ]
    limits = picks_hint(question)
    keys = "Space to pick, Enter when done" + (f", {limits}" if limits else "")
    return questionary.checkbox(
        question.ask,
        choices=items,
        instruction=_instruction(keys, step),
    )


def _number(step: Step) -> questionary.Question:
    question = step.question
    what = f"Type {number_hint(question)}"
    if question.allow_skip:
        what += ", or skip if you prefer not to say"
    back = "; ← at the start of the line goes back" if step.can_go_back else ""
    return questionary.text(
        question.ask,
        default=starting_point(step) or "",
        instruction=f"({what}{back})",
    )


_BUILDERS: dict[str, Callable[[Step], questionary.Question]] = {
    "choice": _select,
    "scale": _select,
    "yesno": _select,
    "multi": _checkbox,
    "number": _number,
}


def _instruction(keys: str, step: Step) -> str:
    return f"({keys}{', ← to go back' if step.can_go_back else ''})"


def _with_keys(prompt: questionary.Question, *, back: bool, text: bool = False) -> questionary.Question:
    """Add ← (back) and Ctrl-D (end of input) to a prompt; on a text line ← goes back only from
    the start of the line, so it still moves the cursor while editing."""
    extra = KeyBindings()
    at_start = Condition(lambda: not text or get_app().current_buffer.cursor_position == 0)

    if back:

        @extra.add(Keys.Left, eager=True, filter=at_start)
        def _go_back(event: KeyPressEvent) -> None:
            event.app.exit(result=Nav.BACK)

    if not text:  # a text line already ends input on Ctrl-D when empty

        @extra.add(Keys.ControlD, eager=True)
        def _end_of_input(event: KeyPressEvent) -> None:
            event.app.exit(exception=EOFError)

    application = prompt.application
    application.key_bindings = merge_key_bindings(
        [keys for keys in (application.key_bindings, extra) if keys is not None]
    )
    return prompt


def _run(prompt: questionary.Question) -> Any:
    """Ask, letting Ctrl-C through as KeyboardInterrupt (questionary's ask() would swallow it)."""
    return prompt.unsafe_ask()


@contextmanager
def terminal_session(stream: TextIO) -> Iterator[None]:
    """Read keys from stdin and draw prompts on ``stream`` (the terminal, normally stderr)."""
    from prompt_toolkit.input import create_input

    with create_app_session(input=create_input(sys.stdin), output=create_output(stdout=stream)):
        yield
