"""What each column of an export is for: the client, the form's date, a question, or nothing.

A form export holds more than answers: a response number, a name and an e-mail, when the form
was started and sent. This module picks the client column (a name or e-mail rather than a bare
response number) and the time column, and names the questions no column answers, with the
header that probably meant each one when a form tool reworded a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gutcheck.answers.parse import normalise_text
from gutcheck.batch.dates import TIME_COLUMN_NAMES
from gutcheck.batch.rows import IGNORED_COLUMNS
from gutcheck.errors import InputError
from gutcheck.rulebook.model import Question, RuleBase

# Columns that name a client, best first. A bare "id" is often the form's response number.
CLIENT_COLUMN_NAMES = (
    ("client id", "client_id", "client-id", "client", "client name", "client code"),
    ("id",),
    ("name", "full name", "your name", "what is your name", "first and last name", "name (first and last)"),
    ("email", "email address", "e-mail", "e-mail address", "your email", "your email address",
     "what is your email address"),
)
RESPONSE_NUMBER_NAMES = frozenset({
    "#", "response id", "respondent id", "response number", "submission id", "collector id", "entry id",
    "network id", "token",
})
_SMALL_INTEGER = re.compile(r"\d{1,6}")
_GUESS_CUTOFF = 0.5
SHOWN_MISSING = 15


@dataclass(frozen=True)
class ClientColumn:
    """The column naming each client (None: the row number does), and a column passed over."""

    index: int | None
    response_numbers: str | None = None  # the name of a column passed over as response numbers


@dataclass(frozen=True)
class Missing:
    """A question no column answers, and the header that probably meant it (reworded)."""

    question: Question
    safety: bool
    guess: str | None = None


def loose(name: str) -> str:
    """A header as a key: any case and spacing, no trailing ``?``, ``:``, ``.`` or ``*``."""
    return normalise_text(name).rstrip(" ?:.*").lstrip("* ")


# --------------------------------------------------------------------------- the client


def choose_client_column(
    names: Sequence[str], wanted: str | None, display: str, values: Callable[[int], Sequence[str]]
) -> ClientColumn:
    """The client column: ``wanted`` (--id-column), else the best of :data:`CLIENT_COLUMN_NAMES`.

    A bare ``id`` column whose ``values`` are all small whole numbers is the form's response
    number (Microsoft Forms), which changes with every export: it never names a client.
    """
    keys = [loose(name) for name in names]
    if wanted is not None:
        if loose(wanted) not in keys:
            shown = ", ".join(repr(name.strip()) for name in names[:8])
            raise InputError(f"{display}: no column named {wanted!r} for --id-column; the header has {shown}")
        return ClientColumn(keys.index(loose(wanted)))
    numbers = None
    for group in CLIENT_COLUMN_NAMES:
        for index, key in enumerate(keys):
            if key not in group:
                continue
            if key == "id" and _response_numbers(values(index)):
                numbers = names[index].strip()
                continue
            return ClientColumn(index, numbers)
    return ClientColumn(None, numbers)


def _response_numbers(values: Sequence[str]) -> bool:
    """True when there are values and every one is a small whole number (1, 2, 3 ...)."""
    cells = [value.strip() for value in values if value.strip()]
    return bool(cells) and all(_SMALL_INTEGER.fullmatch(cell) for cell in cells)


def client_note(names: Sequence[str], client: ClientColumn, *, chosen: bool, unit: str = "column") -> str:
    """One sentence saying which column names the clients (for stderr)."""
    skipped = (f"; the {unit} {client.response_numbers!r} holds response numbers (1, 2, 3 ...), which "
               "change with every export, so it does not name anyone") if client.response_numbers else ""
    if client.index is None:
        return (f"No {unit} names the clients (client, id, name or email), so each is named by its row "
                f"number{skipped}; name one with --id-column.")
    how = "" if chosen else " (--id-column)"
    return f"Clients are named by the {unit} {names[client.index].strip()!r}{how}{skipped}."


def time_note(names: Sequence[str], index: int | None, *, chosen: bool, unit: str = "column") -> str | None:
    """One sentence saying which column dates the assessments, or None when none does."""
    if index is None:
        return None
    how = "--time-column" if not chosen else "--time-column NAME chooses another"
    return f"Each assessment is dated by the {unit} {names[index].strip()!r}, as the form sent it ({how})."


# --------------------------------------------------------------------------- questions


def missing_questions(rules: RuleBase, answered: set[str], unknown: Sequence[str]) -> tuple[Missing, ...]:
    """The questions of ``rules`` whose id is not in ``answered``, each with the unknown header
    most like its text (a question a form tool reworded), when one is close enough."""
    flags = {rf.question.id for rf in rules.red_flags}
    missing = [q for q in rules.questions if q.id not in answered]
    guesses = _guesses(missing, unknown)
    return tuple(Missing(q, q.id in flags, guesses.get(q.id)) for q in missing)


def _guesses(missing: Sequence[Question], unknown: Sequence[str]) -> dict[str, str]:
    """Question id -> header, best pairs first, each header used once."""
    pairs = sorted(
        ((_likeness(question, header), question.id, header) for question in missing for header in unknown),
        reverse=True,
    )
    found: dict[str, str] = {}
    used: set[str] = set()
    for score, qid, header in pairs:
        if score >= _GUESS_CUTOFF and qid not in found and header not in used:
            found[qid] = header
            used.add(header)
    return found


def _likeness(question: Question, header: str) -> float:
    """How alike a header and a question are: the better of their texts' character likeness
    and the share of words they have in common (reworded questions keep most words)."""
    import difflib

    text, key = loose(question.ask), loose(header)
    words, header_words = _words(text), _words(key)
    common = len(words & header_words) / len(words | header_words) if words | header_words else 0.0
    return max(difflib.SequenceMatcher(None, text, key).ratio(), common,
               difflib.SequenceMatcher(None, question.id.replace("_", " "), key).ratio())


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def missing_warning(
    display: str, rules_id: str, missing: Sequence[Missing], unit: str, check: str
) -> str | None:
    """The one warning naming every question without a column and what it costs, or None."""
    if not missing:
        return None
    count = "1 question" if len(missing) == 1 else f"{len(missing)} questions"
    lines = [f"{display}: {count} of {rules_id} {'has' if len(missing) == 1 else 'have'} no {unit}:"]
    safety = [m for m in missing if m.safety]
    others = [m for m in missing if not m.safety]
    lines += [f"  {missing_line(m, unit)}" for m in safety + others[:SHOWN_MISSING]]
    if len(others) > SHOWN_MISSING:
        lines.append(f"  ... and {len(others) - SHOWN_MISSING} more.")
    how = (f"Name a {unit} by the question's id or text to use it" if unit != "item" else
           "FHIR items are matched by linkId: answer the Questionnaire from `gutcheck rules export`")
    lines.append(f"  {how}; {check} shows which {unit} feeds which question.")
    return "\n".join(lines)


def strict_columns_error(display: str, rules_id: str, missing: Sequence[Missing], unit: str) -> InputError:
    """The refusal of ``--strict-columns``: every question without a column, as problems."""
    from gutcheck.errors import Problem

    count = "1 question" if len(missing) == 1 else f"{len(missing)} questions"
    return InputError(
        f"{display}: {count} of {rules_id} {'has' if len(missing) == 1 else 'have'} no {unit} "
        f"(--strict-columns); nothing was scored. Add the {unit}s, or leave out --strict-columns to "
        "assess every client without them",
        tuple(Problem("", missing_line(m, unit)) for m in missing),
    )


def missing_line(missing: Missing, unit: str = "column") -> str:
    """What a question without a column costs, in one line."""
    question = missing.question
    if missing.safety:
        line = (f"SAFETY {question.id}: no {unit}, so every client's answer to this safety question is "
                f"unknown and nobody is checked for it ({question.ask!r})")
    else:
        line = f"{question.id}: no {unit}; every client is assessed without it ({question.ask!r})"
    if missing.guess is not None:
        line += f"; did you mean the {unit} {missing.guess!r}? (a reworded question, probably)"
    return line


# --------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class ColumnRoles:
    """Everything --check shows: the header, what each column is for, and what is missing."""

    names: tuple[str, ...]
    questions: dict[int, Question]
    client: ClientColumn
    time_index: int | None
    missing: tuple[Missing, ...]
    safety_ids: frozenset[str]
    total: int = 0  # questions in the rule base

    def role(self, index: int) -> str:
        """What column ``index`` is used for, or why it is ignored, in words."""
        question = self.questions.get(index)
        if question is not None:
            return f"question {question.id}" + (" (safety)" if question.id in self.safety_ids else "")
        if index == self.client.index:
            return "the client's name or id"
        if index == self.time_index:
            return "the date of each assessment"
        return "ignored: " + self._why_ignored(loose(self.names[index]), self.names[index])

    def _why_ignored(self, key: str, name: str) -> str:
        if not key:
            return "the column has no name"
        if key in IGNORED_COLUMNS:
            return "gutcheck's own column in an errors file"
        if key in RESPONSE_NUMBER_NAMES or name.strip() == self.client.response_numbers:
            return "the form's response number, not a client"
        if any(key in group for group in CLIENT_COLUMN_NAMES):
            return "another column naming the client (--id-column chooses)"
        if key in TIME_COLUMN_NAMES:
            return "another time of the form (--time-column chooses)"
        guess = next((m.question.id for m in self.missing if m.guess == name.strip()), None)
        return "names no question" + (f"; probably meant {guess} (see below)" if guess else "")

    def lines(self, title: str, unit: str = "column") -> list[str]:
        """The mapping, one line per column, then the questions without one."""
        lines = [title]
        width = len(str(len(self.names)))
        for index, name in enumerate(self.names):
            lines.append(f"  {unit} {index + 1:>{width}}  {name.strip()!r}: {self.role(index)}")
        total = self.total or len(self.questions) + len(self.missing)
        article = "an" if unit[0] in "aeiou" else "a"
        unlisted = total - len(self.questions) - len(self.missing)
        aside = (f" ({unlisted} follow-up {'question' if unlisted == 1 else 'questions'} that no record holds "
                 "not listed: an earlier answer may hide them for everyone)") if unlisted > 0 else ""
        lines.append(f"{len(self.questions)} of {total} questions have {article} {unit}{aside}.")
        if self.missing:
            lines.append(f"Questions without {article} {unit}:")
            lines += [f"  {missing_line(m, unit)}" for m in self.missing]
        return lines


class KeyCounts:
    """The keys of JSON records in the order first seen, with how many records hold each."""

    LIMIT = 1000

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, keys: tuple[str, ...]) -> None:
        """Count the keys of one record (beyond :attr:`LIMIT` distinct keys, new ones are not kept)."""
        counts = self.counts
        for key in keys:
            if key in counts:
                counts[key] += 1
            elif len(counts) < self.LIMIT:
                counts[key] = 1
