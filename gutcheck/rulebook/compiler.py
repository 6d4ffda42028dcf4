"""Compiling checked rule-base data into a :class:`RuleBase`: closures, lookups, bands.

It works on the plain, normalised data of a validated model (``model.model_dump()``), so a
rule base that was validated before can be compiled again from a cache without pydantic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

from gutcheck.engine.assessment import ReferenceInfo
from gutcheck.errors import Location, Problem
from gutcheck.rulebook.conditions import Subject, compile_condition, condition_keys
from gutcheck.rulebook.model import Band, Bands, Factor, Option, Question, RedFlag, RuleBase, Suggestion

PathKey = tuple[str | int, ...]


def content_hash(data: Any) -> str:
    """A stable hash of normalised rule-base data (formatting and key order do not matter)."""
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
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

    def condition(self, raw: Any, subjects: dict[str, Subject], path: PathKey) -> Any:
        """Compile an optional condition, collecting its problems."""
        if raw is None:
            return None
        predicate, problems = compile_condition(raw, subjects, self.locate, path)
        self.problems.extend(problems)
        return predicate


def compile_rules(
    data: dict[str, Any], source: Locator, content_hash: str
) -> tuple[RuleBase, list[Problem]]:
    """Compile normalised rule-base data; returns the rule base and any condition problems."""
    context = _Context(source)
    red_flags = tuple(_red_flag(context, rf) for rf in data["red_flags"])
    factors = tuple(_factor(context, f, i) for i, f in enumerate(data["factors"]))
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
    )
    return rule_base, context.problems


def _reference(key: str, ref: dict[str, Any]) -> ReferenceInfo:
    return ReferenceInfo(
        key, ref["cite"], ref["kind"], ref.get("doi"), ref.get("pmid"), ref.get("pmcid"), ref.get("url")
    )


def _red_flag(context: _Context, item: dict[str, Any]) -> RedFlag:
    question = Question(id=item["id"], ask=item["ask"], kind="yesno", factor=None, yes_points=0)
    context.subjects.setdefault(item["id"], Subject(item["id"], "yesno"))
    return RedFlag(question, item["advice"], item["urgency"], tuple(item["references"]))


def _factor(context: _Context, item: dict[str, Any], index: int) -> Factor:
    path: PathKey = ("factors", index)
    questions = tuple(
        _question(context, q, item["id"], (*path, "questions", i)) for i, q in enumerate(item["questions"])
    )
    bands = _bands(item["bands"])
    subjects = {**context.subjects, **_fact_subjects(bands, sum(q.max_points for q in questions))}
    suggestions = tuple(
        Suggestion(
            id=s["id"],
            factor=item["id"],
            text=s["text"],
            why=s["why"],
            evidence=s["evidence"],
            references=tuple(s["references"]),
            caution=s["caution"],
            when=context.condition(s["when"], subjects, (*path, "suggestions", i, "when")),
            reads=condition_keys(s["when"]),
        )
        for i, s in enumerate(item["suggestions"])
    )
    return Factor(
        item["id"], item["title"], item["weight"], item["explanation"], tuple(item["references"]),
        questions, bands, suggestions,
    )


def _fact_subjects(bands: Bands, max_points: int) -> dict[str, Subject]:
    return {
        "level": Subject("level", "choice", frozenset(bands.levels), from_facts=True),
        "percent": Subject("percent", "number", minimum=0, maximum=100, from_facts=True),
        "points": Subject("points", "number", minimum=0, maximum=max_points, from_facts=True),
    }


def _question(context: _Context, item: dict[str, Any], factor: str, path: PathKey) -> Question:
    show_if = context.condition(item["show_if"], dict(context.subjects), (*path, "show_if"))
    question = Question(
        id=item["id"], ask=item["ask"], kind=item["type"], factor=factor, help=item["help"],
        allow_skip=item["allow_skip"], show_if=show_if, show_reads=condition_keys(item["show_if"]),
        **_kind_fields(item),
    )
    context.subjects.setdefault(question.id, _subject(question))
    return question


def _kind_fields(item: dict[str, Any]) -> dict[str, Any]:
    kind = item["type"]
    if kind in ("choice", "scale"):
        return {"options": _options(item)}
    if kind == "multi":
        return {"options": _options(item), "min_picks": item["min_picks"], "max_picks": item["max_picks"]}
    if kind == "yesno":
        return {"yes_points": item["yes_points"], "no_points": item["no_points"]}
    ranges = item["ranges"]
    return {
        "minimum": item["min"],
        "maximum": item["max"],
        "unit": item["unit"],
        "integer": item["integer"],
        "bounds": tuple(r["below"] for r in ranges if r["below"] is not None),
        "range_points": tuple(r["points"] for r in ranges),
    }


def _options(item: dict[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(o["value"], o["label"], o["points"], o["exclusive"]) for o in item["options"])


def _subject(question: Question) -> Subject:
    return Subject(
        key=question.id,
        kind=question.kind,
        values=frozenset(o.value for o in question.options),
        minimum=question.minimum if question.kind == "number" else None,
        maximum=question.maximum if question.kind == "number" else None,
    )


def _bands(items: list[dict[str, Any]]) -> Bands:
    bands: list[Band] = []
    start = 0.0
    for item in items:
        minimum = item["min"] if item["min"] is not None else start
        bands.append(Band(minimum, item["below"], item["level"], item["summary"]))
        start = item["below"] if item["below"] is not None else start
    return Bands(tuple(bands))


