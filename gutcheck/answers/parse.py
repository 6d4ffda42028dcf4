"""The one path from a raw answer to a parsed answer.

A raw answer is whatever a person or a file gave: a YAML or JSON value, a CSV cell, a line typed
in plain mode, or what a questionary prompt returned. :func:`parse_answer` turns it into the
value the scorer reads (a :data:`ParsedAnswer`) or raises :class:`AnswerError` saying what
would fit. :meth:`gutcheck.rulebook.model.Question.parse` calls it, and so do the quiz, ``score``,
``batch``, ``--answers`` prefill and drafts: every route reads the same text the same way.

The rules, once:

- surrounding white space is ignored, and so is the apostrophe gutcheck puts before a
  formula-like cell (``'=...``) when it writes a spreadsheet file;
- "Prefer not to say" (or ``prefer-not-to-say``, or ``skip``) declines a question that allows it;
- options are named by value or label, in any case and spacing;
- a multi-select text lists options separated by ``;``, a new line, or ``, `` as Google Forms
  joins them, and a label that itself contains ``, `` is kept whole;
- yes/no takes yes, no, true, false, 1, 0 (and a few other languages' words);
- numbers take a decimal comma and a typographic minus.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Protocol

from gutcheck.files.formulas import unneutralise

ParsedAnswer = str | bool | float | tuple[str, ...]
"""A parsed answer: an option value, yes/no, a number, the values picked, or :data:`SKIP`."""


class _Labelled(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def exclusive(self) -> bool: ...


class Options(Protocol):
    """A question answered by naming options (by value or label)."""

    @property
    def options(self) -> Sequence[_Labelled]: ...
    def option_for(self, text: str) -> str | None: ...


class Picks(Options, Protocol):
    """A question answered by picking several options, within limits."""

    @property
    def min_picks(self) -> int: ...
    @property
    def max_picks(self) -> int | None: ...


class Ranged(Protocol):
    """A question answered with a number in a range."""

    @property
    def minimum(self) -> float: ...
    @property
    def maximum(self) -> float: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def integer(self) -> bool: ...


class _Parser(Protocol):
    def parse(self, question: Any, raw: object) -> ParsedAnswer: ...


class Answerable(Protocol):
    """A question as parsing needs it: whether it may be declined, and its kind's own parse."""

    @property
    def allow_skip(self) -> bool: ...
    @property
    def type(self) -> _Parser: ...

SKIP = "prefer-not-to-say"
SKIP_LABEL = "Prefer not to say"
_SPLIT_ITEMS = re.compile(r"\s*[;\n]\s*")
_SPLIT_COMMA = re.compile(r",\s+")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what would."""


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive key for matching labels and headers."""
    return " ".join(text.split()).casefold()


_SKIP_TEXTS = frozenset({SKIP, normalise_text(SKIP_LABEL), "skip"})


def is_skip_text(text: str) -> bool:
    """True when ``text`` declines to answer ("Prefer not to say", ``skip``)."""
    return normalise_text(text) in _SKIP_TEXTS


def parse_answer(question: Answerable, raw: object) -> ParsedAnswer:
    """The parsed answer of ``question`` for ``raw``; raises :class:`AnswerError` if it does not fit.

    What differs by kind (options, yes/no words, numbers) is the kind's own parse
    (:mod:`gutcheck.rulebook.kinds`); the rules above hold for every kind.
    """
    if isinstance(raw, str):
        raw = unneutralise(raw.strip())
        if question.allow_skip and is_skip_text(raw):
            return SKIP
    return question.type.parse(question, raw)


def multi_texts(question: Options, raw: object) -> list[str]:
    """The option texts of a multi-select answer: a list of texts, or one text to split."""
    if isinstance(raw, (list, tuple)):
        texts = (unneutralise(str(item).strip()) for item in raw)
        return [text for text in texts if text]
    if isinstance(raw, str):
        return multi_items(question, raw) if raw else []
    raise AnswerError(f"{quoted(raw)} is not a list of options")


def check_picks(question: Picks, values: tuple[str, ...]) -> None:
    """Refuse picks that combine an exclusive option with others, or break the pick limits."""
    exclusive = {o.value for o in question.options if o.exclusive}
    if len(values) > 1 and exclusive.intersection(values):
        label = next(o.label for o in question.options if o.value in exclusive)
        raise AnswerError(f"'{label}' cannot be combined with other choices")
    if len(values) < question.min_picks:
        raise AnswerError(f"pick at least {question.min_picks}")
    if question.max_picks is not None and len(values) > question.max_picks:
        raise AnswerError(f"pick at most {question.max_picks}")


def multi_items(question: Options, text: str) -> list[str]:
    """Split a multi-select text into option texts.

    Items are separated by ``;``, a new line, or ``, `` as Google Forms joins them; a label that
    itself contains ``, `` is kept whole when the pieces, joined again, name one of the options.
    """
    if question.option_for(text) is not None:
        return [text]
    items: list[str] = []
    for chunk in _SPLIT_ITEMS.split(text):
        if not chunk:
            continue
        if question.option_for(chunk) is not None:
            items.append(chunk)
        else:
            items.extend(_rejoin_labels(question, [p for p in _SPLIT_COMMA.split(chunk) if p]))
    return items


def _rejoin_labels(question: Options, pieces: list[str]) -> list[str]:
    """Greedily join adjacent comma pieces into the longest runs that name an option.

    A run is never longer than the option with the most commas, so a hostile cell of thousands
    of pieces costs time in proportion to its length, not its square.
    """
    widest = 1 + max((o.label.count(",") for o in question.options), default=0)
    items: list[str] = []
    start = 0
    while start < len(pieces):
        end = min(len(pieces), start + widest)
        while end > start + 1 and question.option_for(", ".join(pieces[start:end])) is None:
            end -= 1
        items.append(", ".join(pieces[start:end]))
        start = end
    return items


def to_number(raw: object) -> float:
    """A number from a raw answer (a decimal comma and a typographic minus are fine)."""
    if isinstance(raw, bool):
        raise AnswerError(f"{quoted(raw)} is not a number")
    if isinstance(raw, (int, float)):
        number = float(raw)
    elif isinstance(raw, str):
        try:
            number = float(raw.replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            raise AnswerError(f"{quoted(raw)} is not a number") from None
    else:
        raise AnswerError(f"{quoted(raw)} is not a number")
    if not math.isfinite(number):
        raise AnswerError(f"{quoted(raw)} is not a finite number")
    return number


def number_hint(question: Ranged) -> str:
    """What a number question accepts, e.g. 'a whole number from 0 to 40 drinks'."""
    whole = "a whole number" if question.integer else "a number"
    unit = f" {question.unit}" if question.unit else ""
    return f"{whole} from {question.minimum:g} to {question.maximum:g}{unit}"


def quoted(raw: object) -> str:
    """An answer as quoted in a message: in single quotes, or double when it holds one."""
    if not isinstance(raw, str):
        text = repr(raw)
        return text if len(text) <= 60 else text[:57] + "..."
    quote = '"' if "'" in raw else "'"
    return f"{quote}{raw}{quote}" if len(raw) <= 58 else f"{quote}{raw[:56]}...{quote}"
