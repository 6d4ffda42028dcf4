"""Checking rule-base YAML: safe YAML, the format model, cross checks, then compile.

Every problem carries ``file:line:column`` and a plain sentence, and all problems are
reported together in one :class:`RulesError`. This module imports pydantic; the loader uses
it only for text it has not checked before.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from gutcheck.errors import Location, Problem, RulesError, did_you_mean
from gutcheck.files.yaml_located import SourceMap, YamlProblems, load_yaml, sorted_problems
from gutcheck.rulebook import learnspec, spec
from gutcheck.rulebook.checks import check_rule_base
from gutcheck.rulebook.compiler import compile_rules, content_hash
from gutcheck.rulebook.model import RuleBase
from gutcheck.rulebook.salvage import Salvaged, salvage

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
    spec.AboutQuestionSpec,
    spec.AboutOptionSpec,
    spec.UrgencyRuleSpec,
    spec.InstrumentSpec,
    spec.CutoffSpec,
    learnspec.LearnSpec,
    learnspec.TopicSpec,
    learnspec.ParagraphSpec,
)
_QUESTION_TYPES = "choice, multi, scale, yesno, number"


def validate_text(
    text: str, display: str, directory: str | None = None
) -> tuple[dict[str, Any], spec.RuleBaseSpec, SourceMap, RuleBase]:
    """Parse and check rule-base YAML; returns normalised data, model, source map and rules.

    Raises :class:`RulesError` listing every problem found.
    """
    try:
        data, source = load_yaml(text, display, keep_duplicates=True)
    except YamlProblems as exc:
        raise rules_error(display, exc.problems) from None
    if data is None:
        raise rules_error(display, [Problem(display, "the file is empty; see the rule-base format in the README")])
    if not isinstance(data, dict):
        message = "a rule base is a mapping of keys such as id, title, factors"
        raise rules_error(display, [Problem(str(source.locate(())), message)])
    try:
        model = spec.RuleBaseSpec.model_validate(data)
    except ValidationError as exc:
        problems = [*source.duplicates, *model_problems(exc, data, source)]
        problems.extend(_salvaged_problems(exc, data, source))
        raise rules_error(display, sorted_problems(problems)) from None
    normal = model.model_dump(mode="json")
    rule_base, problems = _checked(model, normal, source, directory)
    problems.extend(source.duplicates)
    if problems:
        raise rules_error(display, sorted_problems(problems))
    return normal, model, source, rule_base


def _checked(
    model: spec.RuleBaseSpec, normal: dict[str, Any], source: SourceMap, directory: str | None = None
) -> tuple[RuleBase, list[Problem]]:
    rule_base, problems = compile_rules(normal, source, content_hash(normal), directory)
    problems.extend(check_rule_base(model, rule_base, source))
    return rule_base, problems


def _salvaged_problems(exc: ValidationError, data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Cross-check problems of a patched copy, so authors see every mistake in one run."""
    failures = [(_data_path(error["loc"], data), error["type"]) for error in exc.errors()]
    patched = salvage(data, failures)
    if patched is None:
        return []
    try:
        model = spec.RuleBaseSpec.model_validate(patched.data)
    except ValidationError:
        return []
    _, problems = _checked(model, model.model_dump(mode="json"), _ShiftedSource(source, patched))
    quoted = tuple(f"'{item}'" for item in patched.dropped)
    return [p for p in problems if not any(q in p.message for q in quoted)]


def rules_error(display: str, problems: list[Problem]) -> RulesError:
    """One RulesError for all problems of a file."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return RulesError(f"{display}: {count} {noun} in the rule base; fix and try again", tuple(problems))




class _ShiftedSource(SourceMap):
    """A source map for a salvaged copy: translates its paths back to the original data."""

    def __init__(self, source: SourceMap, salvaged: Salvaged) -> None:
        super().__init__(source.file, source.values, source.keys)
        self.salvaged = salvaged

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        """The place of a path of the salvaged copy in the original file."""
        return super().locate(self.salvaged.original_path(path), key=key)


# --- pydantic errors -> located sentences ---------------------------------------------------


def model_problems(exc: ValidationError, data: Any, source: SourceMap) -> list[Problem]:
    """pydantic's errors as located, plain sentences."""
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
        current = _child(current, part)
    return tuple(path)


def _child(current: Any, part: Any) -> Any:
    """The value under ``part`` of a mapping or list, or None where there is none."""
    if isinstance(current, dict):
        return current.get(part)
    if isinstance(current, list) and isinstance(part, int) and part < len(current):
        return current[part]
    return None


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
    plain = _PLAIN_MESSAGES[kind].format(**error.get("ctx", {})) if kind in _PLAIN_MESSAGES else str(error["msg"])
    message = plain.replace("Input should be", f"{name} should be", 1)
    if not message.startswith(name):
        message = f"{name}: {message[0].lower()}{message[1:]}"
    return Problem(str(source.locate(path)), f"{message} (got {_short(error.get('input'))})")


# pydantic messages that speak of regular expressions or Python types, said plainly instead.
_PLAIN_MESSAGES = {
    "string_pattern_mismatch": (
        "Input should be an id: a lower-case letter, then lower-case letters, digits, '_' or '-'"
    ),
    "string_type": "Input should be text; put it in quotes",
    "string_too_short": "Input should be text that is not empty",
    "too_short": "Input should be a list of at least {min_length} item(s)",
}


def _sibling_keys(data: Any, parent: tuple[str | int, ...]) -> set[str]:
    current = data
    for part in parent:
        current = _child(current, part)
    return set(current) if isinstance(current, dict) else set()


def _did_you_mean(key: str, siblings: set[str]) -> str:
    model = max(_MODELS, key=lambda m: len(siblings & set(m.model_fields)))
    return did_you_mean(key, model.model_fields) or f"; allowed keys: {', '.join(model.model_fields)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."

