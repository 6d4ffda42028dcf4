"""Reading a ``QuestionnaireResponse`` into raw answers, for the one answer path.

Items are matched to questions by ``linkId`` (at any depth: in groups, or nested under
answers); an answer's coding gives its code (an option value) or else its display (a label);
booleans, numbers and strings are passed on as they are. The raw answers then go through
:meth:`gutcheck.rulebook.model.Question.parse` like any answers file, so a response scores
exactly as the same answers in YAML would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.errors import Problem
from gutcheck.interop.common import DATA_ABSENT_REASON, questionnaire_url, resource_id
from gutcheck.rulebook.model import Question, RuleBase

_VALUE_KEYS = ("valueCoding", "valueBoolean", "valueDecimal", "valueInteger", "valueString")
_OTHER_VALUES = ("valueDate", "valueDateTime", "valueTime", "valueUri", "valueAttachment",
                 "valueQuantity", "valueReference")


@dataclass
class ResponseAnswers:
    """Raw answers of one response by question id, its client, and what did not fit (as sentences)."""

    answers: dict[str, Any] = field(default_factory=dict)
    client: str = ""
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    authored: str | None = None  # when the form was filled in: the assessment's time


def is_response(resource: object) -> bool:
    """True for a QuestionnaireResponse resource."""
    return isinstance(resource, Mapping) and resource.get("resourceType") == "QuestionnaireResponse"


def read_response(rules: RuleBase, resource: Mapping[str, Any]) -> ResponseAnswers:
    """The raw answers of one QuestionnaireResponse, or the problems that stop it being scored."""
    from gutcheck.interop.authored import authored_time

    result = ResponseAnswers(client=response_client(resource))
    for item in _items(resource.get("item")):
        _read_item(rules, item, result)
    result.authored, problem = authored_time(resource.get("authored"))
    if problem:
        result.problems.append(Problem("authored", problem))
    refusal = questionnaire_problem(rules, resource)
    if refusal:  # the answers are kept for the errors file, but nothing else is said of them
        result.problems = [Problem("", refusal)]
    return result


def questionnaire_problem(rules: RuleBase, resource: Mapping[str, Any]) -> str | None:
    """Why this response is not for this rule base (another questionnaire, version or status), or None."""
    status = resource.get("status")
    if status == "entered-in-error":
        return "the response is marked entered-in-error; leave it out"
    reference = resource.get("questionnaire")
    if reference is None:
        return None  # no claim to check; the linkIds must still be this rule base's questions
    if not isinstance(reference, str):
        return "'questionnaire' is not a canonical URL"
    url, _, version = reference.partition("|")
    own = questionnaire_url(rules.id)
    ids = {rules.id, resource_id(rules.id)}
    on_a_server = any(url == f"Questionnaire/{i}" or url.endswith(f"/Questionnaire/{i}") for i in ids)
    if url != own and not on_a_server:
        return (f"the response answers the questionnaire {reference!r}, not {own!r} of the rule base "
                f"{rules.id}; score it with that questionnaire's rule base (--rules)")
    if version and version != rules.version:
        return (f"the response answers version {version} of {rules.id}, but the rule base is version "
                f"{rules.version}; score it with the rules of version {version} (--rules), or have it "
                "filled in again on a Questionnaire exported from these rules")
    return None


def response_client(resource: Mapping[str, Any]) -> str:
    """The client a response names: its identifier, subject (display or reference) or id."""
    identifier = resource.get("identifier")
    if isinstance(identifier, list):  # R5 has a list; R4 one identifier
        identifier = identifier[0] if identifier else None
    subject = resource.get("subject")
    candidates = [
        identifier.get("value") if isinstance(identifier, Mapping) else None,
        subject.get("display") if isinstance(subject, Mapping) else None,
        subject.get("reference") if isinstance(subject, Mapping) else None,
        resource.get("id"),
    ]
    return next((str(c).strip() for c in candidates if isinstance(c, (str, int)) and str(c).strip()), "")


def _items(items: object) -> Iterator[Mapping[str, Any]]:
    """Every item at any depth: groups' items and items nested under answers."""
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, Mapping):
            continue
        yield item
        yield from _items(item.get("item"))
        for answer in _list(item.get("answer")):
            if isinstance(answer, Mapping):
                yield from _items(answer.get("item"))


def _read_item(rules: RuleBase, item: Mapping[str, Any], result: ResponseAnswers) -> None:
    link_id = item.get("linkId")
    answers = [a for a in _list(item.get("answer")) if isinstance(a, Mapping)]
    question = rules.by_id.get(link_id) if isinstance(link_id, str) else None
    where = f"item {link_id!r}"
    if question is None:
        if answers and any(_has_value(a) for a in answers):
            result.problems.append(Problem(where, f"not a question of {rules.id}; answer the Questionnaire "
                                          "exported by 'gutcheck rules export'"))
        return
    values = [_value(question, a) for a in answers if _has_value(a)]
    if any(v is _UNREADABLE for v in values):
        result.problems.append(Problem(where, "an answer of a type gutcheck cannot read; give a coding, "
                                      "boolean, number or text"))
        return
    if not values:
        if _declined(item):
            result.answers[question.id] = SKIP
        return
    if question.id in result.answers:
        result.problems.append(Problem(where, "answered twice; keep one"))
        return
    several = question.type.several
    if not several and len(values) > 1:
        result.problems.append(Problem(where, f"{len(values)} answers, but the question takes one"))
        return
    single_text = several and len(values) == 1 and isinstance(values[0], str)
    result.answers[question.id] = values if several and not single_text else values[0]
    result.texts[question.id] = "; ".join(_text(v) for v in values)


_UNREADABLE = object()


def _text(value: Any) -> str:
    """An answer as a spreadsheet cell gutcheck reads back (for the errors file)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_value(answer: Mapping[str, Any]) -> bool:
    return any(key in answer for key in (*_VALUE_KEYS, *_OTHER_VALUES))


def _value(question: Question, answer: Mapping[str, Any]) -> Any:
    coding = answer.get("valueCoding")
    if isinstance(coding, Mapping):
        return _coding_value(question, coding)
    for key in _VALUE_KEYS[1:]:
        if key in answer:
            value = answer[key]
            return value if isinstance(value, (str, int, float, bool)) else _UNREADABLE
    return _UNREADABLE


def _coding_value(question: Question, coding: Mapping[str, Any]) -> Any:
    """The code when it names an option (or declines), else the display (a label), else the code."""
    code, display = coding.get("code"), coding.get("display")
    code = code if isinstance(code, str) and code.strip() else None
    display = display if isinstance(display, str) and display.strip() else None
    if code is not None and (code == SKIP or question.option_for(code) is not None):
        return code
    return display or code or _UNREADABLE


def _declined(item: Mapping[str, Any]) -> bool:
    """True when the item carries the data-absent-reason 'asked-declined' ("Prefer not to say")."""
    return any(
        isinstance(ext, Mapping) and ext.get("url") == DATA_ABSENT_REASON and ext.get("valueCode") == "asked-declined"
        for ext in _list(item.get("extension"))
    )


def _list(value: object) -> list[Any]:
    """``value`` if it is a JSON array, else nothing (a damaged response is judged by what is left)."""
    return value if isinstance(value, list) else []


def parse_response(rules: RuleBase, found: ResponseAnswers) -> tuple[dict[str, Any], list[Problem]]:
    """Parse the raw answers through the one answer path: parsed answers and every problem.

    A problem's ``where`` names the item (``item 'alcohol_frequency'``), or is empty for the
    response as a whole.
    """
    problems = list(found.problems)
    parsed: dict[str, Any] = {}
    if any(not problem.where for problem in problems):
        return parsed, problems  # refused as a whole
    from gutcheck.answers.parse import AnswerError

    for qid, raw in found.answers.items():
        try:
            parsed[qid] = rules.by_id[qid].parse(raw)
        except AnswerError as exc:
            problems.append(Problem(f"item {qid!r}", str(exc)))
    return parsed, problems


def located(place: str, problem: Problem) -> str:
    """A problem as one sentence starting with the response's place (``entry 3, item 'x': ...``)."""
    return f"{place}, {problem.where}: {problem.message}" if problem.where else f"{place}: {problem.message}"

