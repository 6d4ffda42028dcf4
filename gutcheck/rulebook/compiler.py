"""Compiling checked rule-base data into a :class:`RuleBase`: closures, lookups, bands.

It works on the plain, normalised data of a validated model (``model.model_dump()``), so a
rule base that was validated before can be compiled again from a cache without pydantic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gutcheck.errors import Location, Problem
from gutcheck.rulebook.conditions import Subject, compile_condition, condition_keys, normal_condition
from gutcheck.rulebook.content import ReferenceInfo
from gutcheck.rulebook.kinds import CHOICE, KINDS, NUMBER, YESNO
from gutcheck.rulebook.model import (
    Band,
    Bands,
    Cutoff,
    Factor,
    Instrument,
    Question,
    RedFlag,
    RuleBase,
    Suggestion,
    UrgencyRule,
)

PathKey = tuple[str | int, ...]
DEFAULT_ACTION = "see a doctor about what you reported."
# Whether any alarm symptom was answered yes: a fact that suggestions' conditions may read, so
# that advice a person could use to treat a symptom themselves is held back while one stands.
ALARM_SUBJECT = Subject("alarm", YESNO.name, from_facts=True)


# Keys added to the format later, with the values that mean "not used": left out of the hash,
# so a rule base that does not use them keeps the hash it had before they existed.
_LATER_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "about": ([],), "learn": (None, []), "kind": ("alarm",), "urgency_if": ([],),
    "instrument": (None,), "priority": ("standard",), "short": (None,),
    "hold_for_alarms": (False,), "action": (None,), "title": (None,),
}
# Keys that red flags gained later, which questions had from the start.
_LATER_FLAG_DEFAULTS: dict[str, tuple[Any, ...]] = {**_LATER_DEFAULTS, "show_if": (None,), "help": (None,)}


def _without_later_defaults(data: Any, later: dict[str, tuple[Any, ...]] = _LATER_DEFAULTS) -> Any:
    if isinstance(data, list):
        return [_without_later_defaults(item, later) for item in data]
    if not isinstance(data, dict):
        return data
    return {
        key: _without_later_defaults(value, _LATER_FLAG_DEFAULTS if key == "red_flags" else _LATER_DEFAULTS)
        for key, value in data.items()
        if not (key in later and any(value == default for default in later[key]))
    }


def content_hash(data: Any) -> str:
    """A stable hash of normalised rule-base data (formatting and key order do not matter)."""
    canonical = json.dumps(_without_later_defaults(data), sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


class Locator(Protocol):
    """Names places for compile problems (a SourceMap knows lines and columns)."""

    @property
    def file(self) -> str:
        """The file name shown in messages."""

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The place of ``path``."""


@dataclass(frozen=True)
class FileLocator:
    """A locator that only knows the file, for data that was checked before."""

    file: str

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The file alone."""
        return Location(self.file)


class _Context:
    """What compiling needs: the source map, the problems so far, the subjects seen."""

    def __init__(self, source: Locator) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.subjects: dict[str, Subject] = {}

    def locate(self, path: PathKey) -> str:
        """The place of a path, as text."""
        return str(self.source.locate(path))

    def condition(self, raw: Any, subjects: dict[str, Subject], path: PathKey) -> tuple[Any, Any]:
        """Compile an optional condition, collecting its problems: its predicate, and the
        condition in normal form (see :func:`gutcheck.rulebook.conditions.normal_condition`)."""
        if raw is None:
            return None, None
        predicate, problems = compile_condition(raw, subjects, self.locate, path)
        self.problems.extend(problems)
        return predicate, normal_condition(raw, subjects)


def compile_rules(
    data: dict[str, Any], source: Locator, content_hash: str, directory: str | None = None
) -> tuple[RuleBase, list[Problem]]:
    """Compile normalised rule-base data; returns the rule base and any condition problems.

    ``directory`` is the folder of the rule file, against which its ``learn`` path is resolved
    (without it, the rule base has no learn file).
    """
    context = _Context(source)
    about = tuple(
        _question(context, {**q, "type": CHOICE.name}, None, ("about", i))
        for i, q in enumerate(data.get("about") or [])
    )
    flag_questions = [_red_flag_question(context, rf, i) for i, rf in enumerate(data["red_flags"])]
    factors = tuple(_factor(context, f, i) for i, f in enumerate(data["factors"]))
    red_flags = tuple(
        _red_flag(context, rf, question, i)
        for i, (rf, question) in enumerate(zip(data["red_flags"], flag_questions, strict=True))
    )
    learn = data.get("learn")
    rule_base = RuleBase(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        disclaimer=data["disclaimer"],
        content_hash=content_hash,
        source=source.file,
        references={key: _reference(key, ref) for key, ref in data["references"].items()},
        red_flags=red_flags,
        factors=factors,
        overall=_bands(data["overall"]["bands"]),
        about=about,
        learn_file=str(Path(directory) / learn) if learn and directory is not None else None,
    )
    return rule_base, context.problems


def _reference(key: str, ref: dict[str, Any]) -> ReferenceInfo:
    return ReferenceInfo(
        key, ref["cite"], ref["kind"], ref.get("doi"), ref.get("pmid"), ref.get("pmcid"), ref.get("url")
    )


def _red_flag_question(context: _Context, item: dict[str, Any], index: int) -> Question:
    """A red flag's yes/no question; its ``show_if`` may read the about questions and earlier flags."""
    show_if = item.get("show_if")
    predicate, normal = context.condition(show_if, dict(context.subjects), ("red_flags", index, "show_if"))
    question = Question(
        id=item["id"], ask=item["ask"], kind=YESNO.name, factor=None, yes_points=0, help=item.get("help"),
        show_if=predicate, show_reads=condition_keys(show_if), show_if_data=normal,
    )
    context.subjects.setdefault(item["id"], Subject(item["id"], YESNO.name))
    return question


def _red_flag(context: _Context, item: dict[str, Any], question: Question, index: int) -> RedFlag:
    """A red flag; its ``urgency_if`` conditions may read every question of the rule base (an
    urgency is decided once every answer is in)."""
    rules = tuple(
        _urgency_rule(context, rule, ("red_flags", index, "urgency_if", i, "when"))
        for i, rule in enumerate(item.get("urgency_if") or [])
    )
    return RedFlag(
        question, item["advice"], item["urgency"], tuple(item["references"]),
        kind=item.get("kind", "alarm"), urgency_if=rules, title=item.get("title") or question.ask,
        action=item.get("action") or DEFAULT_ACTION,
    )


def _urgency_rule(context: _Context, rule: dict[str, Any], path: PathKey) -> UrgencyRule:
    predicate, normal = context.condition(rule["when"], dict(context.subjects), path)
    return UrgencyRule(predicate, rule["urgency"], rule.get("advice"), normal, rule.get("action"))


def _factor(context: _Context, item: dict[str, Any], index: int) -> Factor:
    path: PathKey = ("factors", index)
    questions = tuple(
        _question(context, q, item["id"], (*path, "questions", i)) for i, q in enumerate(item["questions"])
    )
    bands = _bands(item["bands"])
    instrument = _instrument(context, item.get("instrument"), (*path, "instrument"))
    facts = _fact_subjects(bands, sum(q.max_points for q in questions), instrument is not None)
    subjects = {**context.subjects, **facts, "alarm": ALARM_SUBJECT}
    suggestions = tuple(
        _suggestion(context, s, item["id"], subjects, (*path, "suggestions", i))
        for i, s in enumerate(item["suggestions"])
    )
    return Factor(
        item["id"], item["title"], item["weight"], item["explanation"], tuple(item["references"]),
        questions, bands, suggestions, instrument, tuple(item.get("learn") or ()),
    )


def _suggestion(
    context: _Context, item: dict[str, Any], factor: str, subjects: dict[str, Subject], path: PathKey
) -> Suggestion:
    when, normal = context.condition(item["when"], subjects, (*path, "when"))
    return Suggestion(
        id=item["id"],
        factor=factor,
        text=item["text"],
        why=item["why"],
        evidence=item["evidence"],
        references=tuple(item["references"]),
        caution=item["caution"],
        when=when,
        reads=condition_keys(item["when"]),
        priority=item.get("priority") or "standard",
        short=item.get("short") or first_sentence(item["text"]),
        learn=tuple(item.get("learn") or ()),
        when_data=normal,
        hold_for_alarms=bool(item.get("hold_for_alarms")),
    )


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` on one line (the whole text when it has no full stop)."""
    flat = " ".join(text.split())
    for index, char in enumerate(flat):
        if char in ".!?" and (index + 1 == len(flat) or flat[index + 1] == " "):
            return flat[: index + 1]
    return flat


def _instrument(context: _Context, item: dict[str, Any] | None, path: PathKey) -> Instrument | None:
    """An instrument; its cut-off conditions may read every question asked so far."""
    if item is None:
        return None
    subjects = dict(context.subjects)
    cutoffs = tuple(_cutoff(context, c, subjects, (*path, "cutoffs", i, "when")) for i, c in enumerate(item["cutoffs"]))
    reads = frozenset().union(*(condition_keys(c["when"]) for c in item["cutoffs"]))
    return Instrument(
        item["id"], item["name"], tuple(item["items"]), tuple(item["references"]),
        item["positive"], item["negative"], cutoffs, reads,
    )


def _cutoff(context: _Context, item: dict[str, Any], subjects: dict[str, Subject], path: PathKey) -> Cutoff:
    predicate, normal = context.condition(item["when"], subjects, path)
    return Cutoff(predicate, item.get("at_least"), item["label"], normal)


def _fact_subjects(bands: Bands, max_points: int, screened: bool) -> dict[str, Subject]:
    facts = {
        "level": Subject("level", CHOICE.name, frozenset(bands.levels), from_facts=True),
        "percent": Subject("percent", NUMBER.name, minimum=0, maximum=100, from_facts=True),
        "points": Subject("points", NUMBER.name, minimum=0, maximum=max_points, from_facts=True),
    }
    if screened:
        facts["screen"] = Subject("screen", CHOICE.name, frozenset({"positive", "negative"}), from_facts=True)
    return facts


def _question(context: _Context, item: dict[str, Any], factor: str | None, path: PathKey) -> Question:
    show_if, normal = context.condition(item["show_if"], dict(context.subjects), (*path, "show_if"))
    question = Question(
        id=item["id"], ask=item["ask"], kind=item["type"], factor=factor, help=item["help"],
        allow_skip=item["allow_skip"], show_if=show_if, show_reads=condition_keys(item["show_if"]),
        show_if_data=normal, **KINDS[item["type"]].fields(item),
    )
    context.subjects.setdefault(question.id, _subject(question))
    return question


def _subject(question: Question) -> Subject:
    return Subject(
        key=question.id,
        kind=question.kind,
        values=frozenset(o.value for o in question.options),
        minimum=question.minimum if question.type.numeric else None,
        maximum=question.maximum if question.type.numeric else None,
    )


def _bands(items: list[dict[str, Any]]) -> Bands:
    bands: list[Band] = []
    start = 0.0
    for item in items:
        minimum = item["min"] if item["min"] is not None else start
        bands.append(Band(minimum, item["below"], item["level"], item["summary"]))
        start = item["below"] if item["below"] is not None else start
    return Bands(tuple(bands))


