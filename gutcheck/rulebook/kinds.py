"""Question kinds: everything that differs between a choice, scale, multi, yes/no and number question.

Each kind is one object (:data:`KINDS`, by the name a rule file gives in ``type:``). It owns what
differs by kind: the fields compiled from the rule file, how a raw answer is parsed and how a
parsed answer scores, reads and is described, how the quiz asks it, its FHIR item type, what a
condition may compare it with, the answers the lint tries, and the lines of generated source
that score it. Everything else asks the kind (``question.type``) rather than its name; a new
kind is a class here, a model in the format spec (:mod:`gutcheck.rulebook.spec`) and the
regenerated JSON Schema.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Protocol

from gutcheck.answers.parse import (
    SKIP,
    SKIP_LABEL,
    AnswerError,
    ParsedAnswer,
    Picks,
    Ranged,
    check_picks,
    is_skip_text,
    multi_texts,
    normalise_text,
    number_hint,
    quoted,
    to_number,
)
from gutcheck.rulebook.literals import literal
from gutcheck.rulebook.samples import number_samples, pick_sets

OPTION_SEPARATOR = " | "  # between option labels in messages and templates
_YES = frozenset({"yes", "y", "true", "1", "ja", "oui", "si", "sí"})
_NO = frozenset({"no", "n", "false", "0", "nein", "non"})


@dataclass(frozen=True)
class Option:
    """One answer option and its points."""

    value: str
    label: str
    points: int
    exclusive: bool = False


class Prompt(Enum):
    """How the quiz asks a question: pick one choice, tick several, or type a line."""

    SELECT = "select"
    CHECKBOX = "checkbox"
    LINE = "line"


class QuestionLike(Picks, Ranged, Protocol):
    """What a kind reads of a compiled question (:class:`gutcheck.rulebook.model.Question`):
    what parsing reads (:mod:`gutcheck.answers.parse`), and its points."""

    @property
    def allow_skip(self) -> bool: ...
    @property
    def options(self) -> Sequence[Option]: ...
    @property
    def yes_points(self) -> int: ...
    @property
    def no_points(self) -> int: ...
    @property
    def bounds(self) -> tuple[float, ...]: ...
    @property
    def range_points(self) -> tuple[int, ...]: ...
    def allowed_text(self) -> str: ...


class QuestionKind:
    """A kind of question; the base describes one with options picked one at a time."""

    has_options = True  # answered by naming options (codings in FHIR)
    several = False  # an answer holds several options ('contains' in conditions, FHIR repeats)
    numeric = False  # compared with gt/gte/lt/lte in conditions
    prompt = Prompt.SELECT
    letter_keys: ClassVar[Mapping[str, str]] = {}  # a typed letter moves the pointer to the choice of that value

    def __init__(self, name: str) -> None:
        self.name = name

    def fields(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The compiled question's fields of this kind, from its normalised rule-file data."""
        return {"options": _options(item)}

    def parse(self, question: QuestionLike, raw: object) -> ParsedAnswer:
        """The parsed answer for ``raw`` (already stripped; never "prefer not to say")."""
        if isinstance(raw, bool):  # YAML reads an unquoted yes/no as a boolean
            raw = "yes" if raw else "no"
        if isinstance(raw, (str, int)):
            value = question.option_for(str(raw))
            if value is not None:
                return value
        raise AnswerError(f"{quoted(raw)} is not one of: {question.allowed_text()}")

    def points(self, question: QuestionLike, value: Any) -> int:
        """The points of a parsed answer."""
        return next(o.points for o in question.options if o.value == value)

    def max_points(self, question: QuestionLike) -> int:
        """The most points one answer can add (never below 0)."""
        return max(0, *(o.points for o in question.options))

    def label(self, question: QuestionLike, value: Any) -> str:
        """How a parsed answer reads to a person."""
        return next(o.label for o in question.options if o.value == value)

    def allowed_text(self, question: QuestionLike) -> str:
        """The answers it takes, for messages (labels may hold commas: kept apart with ' | ')."""
        return OPTION_SEPARATOR.join(o.label for o in question.options)

    def hint(self, question: QuestionLike) -> str:
        """The answers it takes, for a fill-in template."""
        return f"one of: {self.allowed_text(question)}" if self.has_options else self.allowed_text(question)

    def choices(self, question: QuestionLike) -> tuple[tuple[str, str], ...]:
        """The (label, value) choices a prompt offers (none for a typed line)."""
        return tuple((o.label, o.value) for o in question.options)

    def shown_answer(self, value: Any) -> Any:
        """A parsed answer as a prompt starts from it: a choice value, values ticked, or text."""
        return value

    def blank_request(self, question: QuestionLike) -> str:
        """What to say when nothing was answered."""
        return "Please answer."

    def fhir_type(self, question: QuestionLike) -> str:
        """The FHIR Questionnaire item type."""
        return "choice"

    def compared(self, arg: Any, options: frozenset[str]) -> Any:
        """A value a condition compares answers with, as answers hold it; ValueError if it cannot be."""
        if str(arg) not in options:
            raise ValueError(f"{arg!r} is not an option")
        return str(arg)

    def candidates(self, question: QuestionLike, mentioned: Sequence[Any]) -> Iterable[Any]:
        """Answers that tell apart every outcome conditions and points can give (for lint)."""
        return [o.value for o in question.options]

    def points_table(self, question: QuestionLike) -> dict[Any, int] | None:
        """The generated scorer's plain dictionary from answer (or picked option) to points."""
        return {o.value: o.points for o in question.options}

    def points_code(self, question: QuestionLike, answer: str, table: str, into: str) -> list[str]:
        """Source lines setting ``into`` to the points of the answer in ``answer``."""
        return [f"{into} = {table}[{answer}]"]

    def points_text(self, question: QuestionLike) -> str:
        """Each answer with its points, for ``gutcheck rules show``."""
        return "; ".join(f"{o.label} ({o.points})" for o in question.options)


class MultiKind(QuestionKind):
    """Any number of options, within limits; their points add up."""

    several = True
    prompt = Prompt.CHECKBOX

    def fields(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """Options and pick limits."""
        return {"options": _options(item), "min_picks": item["min_picks"], "max_picks": item["max_picks"]}

    def parse(self, question: QuestionLike, raw: object) -> ParsedAnswer:
        """The options picked, in the rule base's order (or "prefer not to say" alone)."""
        items = multi_texts(question, raw)
        if any(is_skip_text(item) for item in items):
            if len(items) > 1:
                raise AnswerError(f"'{SKIP_LABEL}' cannot be combined with other choices")
            if question.allow_skip:
                return SKIP
        picked: set[str] = set()
        for item in items:
            value = question.option_for(item)
            if value is None:
                raise AnswerError(f"{quoted(item)} is not one of: {question.allowed_text()}")
            picked.add(value)
        values = tuple(o.value for o in question.options if o.value in picked)
        check_picks(question, values)
        return values

    def points(self, question: QuestionLike, value: Any) -> int:
        """The picked options' points added up."""
        return sum(o.points for o in question.options if o.value in value)

    def max_points(self, question: QuestionLike) -> int:
        """The best allowed picks, or one exclusive option, whichever gives more."""
        best = sorted((o.points for o in question.options if o.points > 0 and not o.exclusive), reverse=True)
        combined = sum(best[: question.max_picks] if question.max_picks else best)
        alone = [o.points for o in question.options if o.exclusive]
        return max(combined, *alone, 0)

    def label(self, question: QuestionLike, value: Any) -> str:
        """The picked options' labels joined by '; ' ('None' for no pick)."""
        labels = {o.value: o.label for o in question.options}
        return "; ".join(labels[v] for v in value) if value else "None"

    def hint(self, question: QuestionLike) -> str:
        """Any of the labels, how to separate them and how many to pick."""
        return f"any of: {self.allowed_text(question)}; separate several with ';'{_picks(question)}"

    def shown_answer(self, value: Any) -> Any:
        """The values ticked, as a list."""
        return list(value)

    def candidates(self, question: QuestionLike, mentioned: Sequence[Any]) -> Iterable[Any]:
        """Pick sets that differ in the options conditions name or in points; others are alike."""
        return pick_sets(question, {str(m) for m in mentioned})

    def points_code(self, question: QuestionLike, answer: str, table: str, into: str) -> list[str]:
        """The picked options' points added up."""
        return [f"{into} = 0", f"for picked in {answer}:", f"    {into} += {table}[picked]"]


class YesNoKind(QuestionKind):
    """Yes or no."""

    has_options = False
    letter_keys: ClassVar[Mapping[str, str]] = {"y": "yes", "n": "no"}

    def fields(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The points of each answer."""
        return {"yes_points": item["yes_points"], "no_points": item["no_points"]}

    def parse(self, question: QuestionLike, raw: object) -> ParsedAnswer:
        """True or False, from yes/no/true/false/y/n/1/0 (and a few other languages' words)."""
        if isinstance(raw, bool):
            return raw
        text = normalise_text(str(raw)) if isinstance(raw, (str, int)) else ""
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise AnswerError(f"{quoted(raw)} is not yes or no")

    def points(self, question: QuestionLike, value: Any) -> int:
        """The yes or no points."""
        return question.yes_points if value else question.no_points

    def max_points(self, question: QuestionLike) -> int:
        """The larger of the two (never below 0)."""
        return max(question.yes_points, question.no_points, 0)

    def label(self, question: QuestionLike, value: Any) -> str:
        """Yes or No."""
        return "Yes" if value else "No"

    def allowed_text(self, question: QuestionLike) -> str:
        """Yes or no."""
        return "yes or no"

    def choices(self, question: QuestionLike) -> tuple[tuple[str, str], ...]:
        """Yes, then No."""
        return (("Yes", "yes"), ("No", "no"))

    def shown_answer(self, value: Any) -> Any:
        """The value of the Yes or No choice."""
        return "yes" if value else "no"

    def blank_request(self, question: QuestionLike) -> str:
        """Ask for Yes or No."""
        return "Please choose Yes or No."

    def fhir_type(self, question: QuestionLike) -> str:
        """A boolean item."""
        return "boolean"

    def compared(self, arg: Any, options: frozenset[str]) -> Any:
        """True for yes, False for no (a condition may write either)."""
        if isinstance(arg, bool):
            return arg
        if isinstance(arg, str) and arg.lower() in ("yes", "no"):
            return arg.lower() == "yes"
        raise ValueError("takes yes or no")

    def candidates(self, question: QuestionLike, mentioned: Sequence[Any]) -> Iterable[Any]:
        """Yes and no."""
        return [True, False]

    def points_table(self, question: QuestionLike) -> dict[Any, int] | None:
        """Yes and no with their points."""
        return {True: question.yes_points, False: question.no_points}

    def points_text(self, question: QuestionLike) -> str:
        """Yes and no with their points."""
        return f"Yes ({question.yes_points}), No ({question.no_points})"


class NumberKind(QuestionKind):
    """A number within a range; points come from ranges of the number."""

    has_options = False
    numeric = True
    prompt = Prompt.LINE

    def fields(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The range, unit, whether it is whole, and the points of each stretch."""
        ranges = item["ranges"]
        return {
            "minimum": item["min"], "maximum": item["max"], "unit": item["unit"], "integer": item["integer"],
            "bounds": tuple(r["below"] for r in ranges if r["below"] is not None),
            "range_points": tuple(r["points"] for r in ranges),
        }

    def parse(self, question: QuestionLike, raw: object) -> ParsedAnswer:
        """A number in range (a decimal comma and a typographic minus are fine)."""
        number = to_number(raw)
        if not question.minimum <= number <= question.maximum:
            raise AnswerError(f"{number:g} is not {question.allowed_text()}")
        if question.integer and not number.is_integer():
            raise AnswerError(f"{number:g} is not a whole number")
        return number

    def points(self, question: QuestionLike, value: Any) -> int:
        """The points of the stretch the number falls in."""
        return question.range_points[bisect.bisect_right(question.bounds, value)]

    def max_points(self, question: QuestionLike) -> int:
        """The most any stretch gives (never below 0)."""
        return max(0, *question.range_points)

    def label(self, question: QuestionLike, value: Any) -> str:
        """The number, with its unit."""
        shown = f"{value:g}"
        return f"{shown} {question.unit}" if question.unit else shown

    def allowed_text(self, question: QuestionLike) -> str:
        """E.g. 'a whole number from 0 to 40 drinks'."""
        return number_hint(question)

    def shown_answer(self, value: Any) -> Any:
        """The number as text to edit."""
        return value if isinstance(value, str) else f"{value:g}"

    def blank_request(self, question: QuestionLike) -> str:
        """Ask for a number in range."""
        return f"Please type {self.allowed_text(question)}."

    def fhir_type(self, question: QuestionLike) -> str:
        """An integer item for whole numbers, else a decimal one."""
        return "integer" if question.integer else "decimal"

    def compared(self, arg: Any, options: frozenset[str]) -> Any:
        """A number."""
        if isinstance(arg, bool) or not isinstance(arg, (int, float)):
            raise ValueError("is a number")
        return arg

    def candidates(self, question: QuestionLike, mentioned: Sequence[Any]) -> Iterable[Any]:
        """Numbers in every stretch between the range's bounds and the numbers conditions name."""
        named = [m for m in mentioned if isinstance(m, (int, float)) and not isinstance(m, bool)]
        return number_samples(question.minimum, question.maximum, [*question.bounds, *named],
                              integer=question.integer)

    def points_table(self, question: QuestionLike) -> dict[Any, int] | None:
        """None: the points come from ranges."""
        return None

    def points_code(self, question: QuestionLike, answer: str, table: str, into: str) -> list[str]:
        """The stretches as tests in order, the last without one."""
        lines: list[str] = []
        for index, (below, points) in enumerate(zip(question.bounds, question.range_points, strict=False)):
            lines += [f"{'if' if index == 0 else 'elif'} {answer} < {literal(float(below))}:",
                      f"    {into} = {literal(points)}"]
        last = f"{into} = {literal(question.range_points[-1])}"
        return [*lines, "else:", f"    {last}"] if lines else [last]

    def points_text(self, question: QuestionLike) -> str:
        """Each stretch with its points."""
        lows, highs = (question.minimum, *question.bounds), (*question.bounds, None)
        unit = f" {question.unit}" if question.unit else ""
        return "; ".join(
            f"{low:g}{'+' if high is None else f' to <{high:g}'}{unit} ({points})"
            for low, high, points in zip(lows, highs, question.range_points, strict=True)
        )


CHOICE = QuestionKind("choice")
SCALE = QuestionKind("scale")
MULTI = MultiKind("multi")
YESNO = YesNoKind("yesno")
NUMBER = NumberKind("number")
KINDS: dict[str, QuestionKind] = {kind.name: kind for kind in (CHOICE, SCALE, MULTI, YESNO, NUMBER)}


def _options(item: Mapping[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(o["value"], o["label"], o["points"], o.get("exclusive", False)) for o in item["options"])


def _picks(question: QuestionLike) -> str:
    low, high = question.min_picks, question.max_picks
    if high is not None and low:
        return f"; pick {low} to {high}"
    if high is not None:
        return f"; pick at most {high}"
    return f"; pick at least {low}" if low else ""
