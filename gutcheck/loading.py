"""Load a rule-base YAML file: safe YAML, the format model, cross checks, then compile.

Every problem carries ``file:line:column`` and a plain sentence, and all problems are
reported together in one :class:`RulesError`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from gutcheck import spec
from gutcheck.assessment import ReferenceInfo
from gutcheck.checks import check_rule_base
from gutcheck.conditions import FACT_KEYS, Subject, compile_condition
from gutcheck.errors import Problem, RulesError
from gutcheck.paths import bundled_rules_path
from gutcheck.rulebase import (
    Band,
    Bands,
    Factor,
    Option,
    Question,
    RedFlag,
    RuleBase,
    Suggestion,
)
from gutcheck.yamlsource import SourceMap, YamlProblems, load_yaml, read_text_limited

_MODELS: tuple[type[BaseModel], ...] = (
    spec.RuleBaseSpec,
    spec.ReferenceSpec,
    spec.OptionSpec,
    spec.RangeSpec,
    spec.ChoiceQuestion,
    spec.MultiQuestion,
    spec.YesNoQuestion,
    spec.NumberQuestion,
    spec.BandSpec,
    spec.SuggestionSpec,
    spec.FactorSpec,
    spec.RedFlagSpec,
    spec.OverallSpec,
)
_QUESTION_TYPES = "choice, multi, scale, yesno, number"


def load_rules(path: str | Path | None = None) -> RuleBase:
    """Load, check and compile a rule base (the bundled one when ``path`` is None)."""
    file = Path(path) if path is not None else bundled_rules_path()
    display = str(path) if path is not None else file.name
    try:
        text = read_text_limited(file, display)
    except FileNotFoundError:
        raise RulesError(f"{display}: no such rule base file; check the path given to --rules") from None
    except IsADirectoryError:
        raise RulesError(f"{display}: is a folder; give the path of a rule base .yaml file") from None
    except PermissionError:
        raise RulesError(f"{display}: permission denied; check the file's permissions") from None
    except YamlProblems as exc:
        raise _rules_error(display, exc.problems) from None
    return load_rules_text(text, display)


def load_rules_text(text: str, display: str = "<rules>") -> RuleBase:
    """Load a rule base from YAML text; ``display`` names it in messages."""
    try:
        data, source = load_yaml(text, display)
    except YamlProblems as exc:
        raise _rules_error(display, exc.problems) from None
    if not isinstance(data, dict):
        raise _rules_error(display, [Problem(str(source.locate(())), "a rule base is a mapping of keys")])
    try:
        model = spec.RuleBaseSpec.model_validate(data)
    except ValidationError as exc:
        raise _rules_error(display, _model_problems(exc, data, source)) from None
    rule_base, problems = _compile(model, source, _content_hash(data))
    problems.extend(check_rule_base(model, rule_base, source))
    if problems:
        raise _rules_error(display, _sorted(problems))
    return rule_base


def _rules_error(display: str, problems: list[Problem]) -> RulesError:
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return RulesError(f"{display}: {count} {noun} in the rule base; fix them and try again", tuple(problems))


def _sorted(problems: list[Problem]) -> list[Problem]:
    def key(problem: Problem) -> tuple[int, int]:
        parts = problem.where.rsplit(":", 2)
        try:
            return int(parts[-2]), int(parts[-1])
        except (ValueError, IndexError):
            return 0, 0

    return sorted(problems, key=key)


def _content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


# --- pydantic errors -> located sentences ---------------------------------------------------


def _model_problems(exc: ValidationError, data: Any, source: SourceMap) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        path = _data_path(error["loc"], data)
        problems.append(_model_problem(error, path, data, source))
    return problems


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Follow pydantic's location through the data, dropping union tags that are not keys."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part not in current and part == current.get("type"):
            continue
        path.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(path)


def _model_problem(
    error: Any, path: tuple[str | int, ...], data: Any, source: SourceMap
) -> Problem:
    kind = error["type"]
    name = str(path[-1]) if path else "document"
    if kind == "extra_forbidden":
        hint = _did_you_mean(name, _sibling_keys(data, path[:-1]))
        return Problem(str(source.locate(path, key=True)), f"unknown key {name!r}{hint}")
    if kind == "missing":
        return Problem(str(source.locate(path[:-1])), f"missing required key {name!r}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return Problem(
            str(source.locate((*path, "type"))),
            f"question type must be one of: {_QUESTION_TYPES}",
        )
    message = str(error["msg"])
    message = message[0].lower() + message[1:]
    return Problem(str(source.locate(path)), f"{name}: {message} (got {_short(error.get('input'))})")


def _sibling_keys(data: Any, parent: tuple[str | int, ...]) -> set[str]:
    current = data
    for part in parent:
        current = current[part] if isinstance(current, (dict, list)) else None
    return set(current) if isinstance(current, dict) else set()


def _did_you_mean(key: str, siblings: set[str]) -> str:
    model = max(_MODELS, key=lambda m: len(siblings & set(m.model_fields)))
    close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f"; allowed keys: {', '.join(model.model_fields)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


# --- compiling ------------------------------------------------------------------------------


class _Context:
    """What compiling needs: the source map, the problems so far, the subjects seen."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.subjects: dict[str, Subject] = {}

    def locate(self, path: tuple[str | int, ...]) -> str:
        return str(self.source.locate(path))

    def condition(self, raw: Any, subjects: dict[str, Subject], path: tuple[str | int, ...]) -> Any:
        if raw is None:
            return None
        predicate, problems = compile_condition(raw, subjects, self.locate, path)
        self.problems.extend(problems)
        return predicate


def _compile(model: spec.RuleBaseSpec, source: SourceMap, content_hash: str) -> tuple[RuleBase, list[Problem]]:
    context = _Context(source)
    red_flags = tuple(_red_flag(context, rf, i) for i, rf in enumerate(model.red_flags))
    factors = tuple(_factor(context, f, i) for i, f in enumerate(model.factors))
    rule_base = RuleBase(
        id=model.id,
        version=model.version,
        title=model.title,
        disclaimer=model.disclaimer,
        content_hash=content_hash,
        source=source.file,
        references={key: ReferenceInfo(id=key, **ref.model_dump(exclude={"note"})) for key, ref in model.references.items()},
        red_flags=red_flags,
        factors=factors,
        overall=_bands(model.overall.bands),
    )
    return rule_base, context.problems


def _red_flag(context: _Context, item: spec.RedFlagSpec, index: int) -> RedFlag:
    question = Question(id=item.id, ask=item.ask, kind="yesno", factor=None, yes_points=0)
    context.subjects.setdefault(item.id, Subject(item.id, "yesno"))
    return RedFlag(question, item.advice, item.urgency, tuple(item.references))


def _factor(context: _Context, item: spec.FactorSpec, index: int) -> Factor:
    path: tuple[str | int, ...] = ("factors", index)
    questions = tuple(
        _question(context, q, item.id, (*path, "questions", i)) for i, q in enumerate(item.questions)
    )
    bands = _bands(item.bands)
    max_points = sum(q.max_points for q in questions)
    subjects = {**context.subjects, **_fact_subjects(bands, max_points)}
    suggestions = tuple(
        Suggestion(
            id=s.id,
            factor=item.id,
            text=s.text,
            why=s.why,
            evidence=s.evidence,
            references=tuple(s.references),
            caution=s.caution,
            when=context.condition(s.when, subjects, (*path, "suggestions", i, "when")),
        )
        for i, s in enumerate(item.suggestions)
    )
    return Factor(item.id, item.title, item.weight, item.explanation, tuple(item.references), questions, bands, suggestions)


def _fact_subjects(bands: Bands, max_points: int) -> dict[str, Subject]:
    return {
        "level": Subject("level", "choice", frozenset(bands.levels), from_facts=True),
        "percent": Subject("percent", "number", minimum=0, maximum=100, from_facts=True),
        "points": Subject("points", "number", minimum=0, maximum=max_points, from_facts=True),
    }


def _question(context: _Context, item: Any, factor: str, path: tuple[str | int, ...]) -> Question:
    show_if = context.condition(item.show_if, dict(context.subjects), (*path, "show_if"))
    fields: dict[str, Any] = {}
    if item.type in ("choice", "scale", "multi"):
        fields["options"] = tuple(Option(o.value, o.label, o.points, o.exclusive) for o in item.options)
    if item.type == "multi":
        fields.update(min_picks=item.min_picks, max_picks=item.max_picks)
    if item.type == "yesno":
        fields.update(yes_points=item.yes_points, no_points=item.no_points)
    if item.type == "number":
        fields.update(
            minimum=item.min,
            maximum=item.max,
            unit=item.unit,
            integer=item.integer,
            bounds=tuple(r.below for r in item.ranges if r.below is not None),
            range_points=tuple(r.points for r in item.ranges),
        )
    question = Question(
        id=item.id, ask=item.ask, kind=item.type, factor=factor, help=item.help,
        allow_skip=item.allow_skip, show_if=show_if, **fields,
    )
    context.subjects.setdefault(item.id, _subject(question))
    return question


def _subject(question: Question) -> Subject:
    return Subject(
        key=question.id,
        kind=question.kind,
        values=frozenset(o.value for o in question.options),
        minimum=question.minimum if question.kind == "number" else None,
        maximum=question.maximum if question.kind == "number" else None,
    )


def _bands(items: list[spec.BandSpec]) -> Bands:
    bands: list[Band] = []
    start = 0.0
    for item in items:
        minimum = item.min if item.min is not None else start
        bands.append(Band(minimum, item.below, item.level, item.summary))
        start = item.below if item.below is not None else start
    return Bands(tuple(bands))


__all__ = ["FACT_KEYS", "load_rules", "load_rules_text"]
