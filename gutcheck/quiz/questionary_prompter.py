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
from gutcheck.rulebook.kinds import Prompt

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
    prompt = step.question.type.prompt
    return _with_keys(_BUILDERS[prompt](step), back=step.can_go_back, text=prompt is Prompt.LINE)


def wrapped(ask: str, instruction: str, width: int | None = None) -> tuple[str, str]:
    """The question and its instruction wrapped at spaces to the terminal's width, under the
    '? ' mark; the instruction goes on a line of its own when it would not fit after the text."""
    width = max(20, (width or _columns()) - 1)
    lines = textwrap.wrap(ask, width - 2, break_long_words=False, break_on_hyphens=False) or [ask]
    if len(lines) == 1 and len(ask) + len(instruction) + 3 <= width:
        return ask, instruction
    message = "\n  ".join(lines)
    if len(lines[-1]) + len(instruction) + 3 > width:
        message += "\n "
        instruction = "\n  ".join(textwrap.wrap(instruction, width - 2, break_long_words=False))
    return message, instruction


class Rewrapping(str):
    """A question's text that wraps itself again to the terminal's width each time the prompt is
    drawn (questionary formats it into the prompt on every redraw), so that after a resize the
    question still breaks at spaces."""

    ask: str
    instruction: str

    def __new__(cls, ask: str, instruction: str) -> Rewrapping:
        """Keep the plain text as the string's value; the wrapping happens when formatted."""
        text = super().__new__(cls, ask)
        text.ask, text.instruction = ask, instruction
        return text

    def __format__(self, spec: str) -> str:
        """The text wrapped to the width of the terminal now."""
        return wrapped(self.ask, self.instruction)[0]


def fitting(ask: str, instruction: str) -> tuple[str, str]:
    """The message (re-wrapped on every redraw) and instruction for a questionary prompt."""
    return Rewrapping(ask, instruction), wrapped(ask, instruction)[1]


def _columns() -> int:
    from prompt_toolkit.application.current import get_app_session

    return get_app_session().output.get_size().columns


def _select(step: Step) -> questionary.Question:
    items: list[Any] = [questionary.Choice(c.label, value=c.value) for c in choices_for(step.question)]
    letters = step.question.type.letter_keys
    typed = "/".join(letters)
    keys = f"↑/↓ or {typed} to move, Enter to choose" if letters else "↑/↓ to move, Enter to choose"
    if step.deliberate and preset(step) is None:
        # A safety question starts on a neutral entry: a single Enter records nothing.
        items.insert(0, questionary.Choice(CHOOSE_LABEL, value=UNCHOSEN))
        keys = f"↑/↓ or {typed} to pick Yes or No, then Enter"
    if step.can_go_back:
        items += [questionary.Separator(), questionary.Choice(BACK_LABEL, value=Nav.BACK)]
    message, instruction = fitting(step.question.ask, _instruction(keys, step))
    prompt = questionary.select(message, choices=items, default=preset(step), instruction=instruction)
    return _letter_keys(prompt, dict(letters)) if letters else prompt


def _letter_keys(prompt: questionary.Question, letters: dict[str, str]) -> questionary.Question:
    """Typing a letter (either case) moves the pointer to the choice with that value; Enter still
    confirms, so a stray key never records an answer by itself."""
    control: Any = next(c for c in prompt.application.layout.find_all_controls() if hasattr(c, "pointed_at"))
    values = [getattr(choice, "value", None) for choice in control.choices]
    extra = KeyBindings()
    for letter, value in letters.items():
        if value not in values:
            continue

        def _point(event: KeyPressEvent, index: int = values.index(value)) -> None:
            control.pointed_at = index

        extra.add(letter, eager=True)(_point)
        extra.add(letter.upper(), eager=True)(_point)
    application = prompt.application
    application.key_bindings = merge_key_bindings(
        [keys for keys in (application.key_bindings, extra) if keys is not None]
    )
    return prompt


def _checkbox(step: Step) -> questionary.Question:
    question = step.question
    current = starting_point(step) or []
    items = [
        questionary.Choice(c.label, value=c.value, checked=c.value in current)
        for c in choices_for(question)
    ]
    limits = picks_hint(question)
    keys = "Space to pick, Enter when done" + (f", {limits}" if limits else "")
    message, instruction = fitting(question.ask, _instruction(keys, step))
    return questionary.checkbox(message, choices=items, instruction=instruction)


def _number(step: Step) -> questionary.Question:
    """A text line for a number. After a refused entry the line starts empty (the message above
    quotes what was typed), and ↑ brings the refused text back to edit."""
    question = step.question
    what = f"Type {question.type.allowed_text(question)}"
    if question.allow_skip:
        what += ", or skip if you prefer not to say"
    back = "; ← at the start of the line goes back" if step.can_go_back else ""
    if step.retry is not None:
        back += "; ↑ brings back what you typed"
    message, instruction = fitting(question.ask, f"({what}{back})")
    default = "" if step.retry is not None else starting_point(step) or ""
    prompt = questionary.text(message, default=default, instruction=instruction)
    return prompt if step.retry is None else _recall(prompt, str(step.retry))


def _recall(prompt: questionary.Question, text: str) -> questionary.Question:
    """↑ puts ``text`` (the refused entry) back on the line, cursor at its end, to edit."""
    extra = KeyBindings()

    @extra.add(Keys.Up, eager=True)
    def _bring_back(event: KeyPressEvent) -> None:
        event.current_buffer.text = text
        event.current_buffer.cursor_position = len(text)

    application = prompt.application
    application.key_bindings = merge_key_bindings(
        [keys for keys in (application.key_bindings, extra) if keys is not None]
    )
    return prompt


_BUILDERS: dict[Prompt, Callable[[Step], questionary.Question]] = {
    Prompt.SELECT: _select,
    Prompt.CHECKBOX: _checkbox,
    Prompt.LINE: _number,
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
    return _redraw_cleanly_on_resize(prompt)


def _redraw_cleanly_on_resize(prompt: questionary.Question) -> questionary.Question:
    """When the terminal narrows it re-flows the prompt already drawn onto more rows, so
    prompt_toolkit, erasing as many rows as it drew, would leave the first line twice: move up
    over the extra rows first."""
    application = prompt.application
    redraw = application._on_resize

    def on_resize() -> None:
        rows = reflowed_rows(application)
        if rows:
            application.output.cursor_up(rows)
        redraw()

    setattr(application, "_on_resize", on_resize)  # noqa: B010 - replace the handler on this app only
    return prompt


def reflowed_rows(application: Any) -> int:
    """How many more rows than it drew the prompt now takes above the cursor, the terminal having
    wrapped each drawn row to its new, narrower width (0 when it grew or nothing was drawn)."""
    renderer = application.renderer
    screen, size = renderer._last_screen, renderer._last_size
    width = int(application.output.get_size().columns)
    if screen is None or size is None or width <= 0 or width >= size.columns:
        return 0
    cursor_x, cursor_y = int(renderer._cursor_pos.x), int(renderer._cursor_pos.y)
    widths = (_row_width(screen.data_buffer.get(y, {})) for y in range(cursor_y))
    return sum(max(0, -(-drawn // width) - 1) for drawn in widths) + cursor_x // width


def _row_width(row: Any) -> int:
    drawn = [x for x, char in row.items() if char.char != " "]
    return int(max(drawn)) + 1 if drawn else 0


def _run(prompt: questionary.Question) -> Any:
    """Ask, letting Ctrl-C through as KeyboardInterrupt (questionary's ask() would swallow it)."""
    return prompt.unsafe_ask()


@contextmanager
def terminal_session(stream: TextIO) -> Iterator[None]:
    """Read keys from stdin and draw prompts on ``stream`` (the terminal, normally stderr)."""
    from prompt_toolkit.input import create_input

    with create_app_session(input=create_input(sys.stdin), output=create_output(stdout=stream)):
        yield
