"""The QuestionnaireResponses a FHIR resource holds, and reading one person's response for ``score``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from gutcheck.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from gutcheck.rulebook.model import RuleBase



def responses_in(resource: object) -> Iterator[Any]:
    """The QuestionnaireResponses a resource holds: itself, or a Bundle's entries (other resources skipped)."""
    if isinstance(resource, Mapping) and resource.get("resourceType") == "Bundle":
        entries = resource.get("entry")
        for entry in entries if isinstance(entries, list) else []:
            inner = entry.get("resource") if isinstance(entry, Mapping) else None
            if isinstance(inner, Mapping) and inner.get("resourceType") in ("QuestionnaireResponse", "Bundle"):
                yield from responses_in(inner)
        return
    yield resource


def read_one_response(rules: RuleBase, text: str, display: str) -> tuple[dict[str, Any], str | None, str | None]:
    """Parsed answers, client and time (its ``authored``) of the one QuestionnaireResponse in
    ``text`` (for ``gutcheck score``)."""
    import json

    from gutcheck.interop.response import is_response, parse_response, read_response

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Location(display, exc.lineno, exc.colno)
        raise InputError(f"{where}: not valid JSON ({exc.msg}); fix the file and try again") from None
    found = [r for item in (data if isinstance(data, list) else [data]) for r in responses_in(item)]
    responses = [r for r in found if is_response(r)]
    if not responses and isinstance(data, Mapping) and data.get("resourceType") not in (None, "Bundle"):
        hint = ("fill it in with a form filler first" if data.get("resourceType") == "Questionnaire"
                else "give a QuestionnaireResponse")
        raise InputError(f"{display}: is a FHIR {data.get('resourceType')}, not a QuestionnaireResponse; {hint}")
    if len(responses) != 1:
        raise InputError(f"{display}: holds {len(responses)} QuestionnaireResponses; give one, "
                         "or use `gutcheck batch` to score many")
    answers = read_response(rules, responses[0])
    whole = [p.message for p in answers.problems if not p.where]
    if whole:
        raise InputError(f"{display}: {whole[0]}")
    parsed, problems = parse_response(rules, answers)
    if problems:
        raise InputError(f"{display}: the response cannot be scored with the rule base {rules.id}",
                         tuple(Problem(f"{display}, {p.where}" if p.where else display, p.message) for p in problems))
    if not parsed:
        raise InputError(f"{display}: the response answers no question of {rules.id}; fill in the form first")
    return parsed, answers.client or None, answers.authored
