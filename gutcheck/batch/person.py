"""One person's answers from any input ``gutcheck score`` takes: a YAML or JSON mapping, what
``gutcheck batch`` reads cut to one row, or a FHIR QuestionnaireResponse.

The kind of text is told apart below (:mod:`gutcheck.files.sniff`); each kind is read by its
own layer (answers, batch, interop), so reading a file never climbs back up the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from gutcheck.rulebook.model import RuleBase


class OnePerson(NamedTuple):
    """One person's parsed answers, the client id the input names, and when the answers were
    given where the input says so (a FHIR response's ``authored``)."""

    answers: dict[str, Any]
    client: str | None
    taken_at: str | None = None


def read_parsed_answers(
    rules: RuleBase, source: str, *, warn: Callable[[str], None] | None = None
) -> OnePerson:
    """Parsed answers of one person, and the client id a table names, from a path or ``-``.

    Besides a YAML or JSON mapping, this takes what ``gutcheck batch`` reads, for one person:
    a CSV/TSV with a header and one row, a JSON array of one object, or one JSON line; and a
    FHIR QuestionnaireResponse (alone, or the one in a Bundle), with its ``authored`` time.
    """
    from gutcheck.answers.files import answers_from_text, read_source
    from gutcheck.files.sniff import looks_like_fhir, looks_like_table

    display = "<stdin>" if source == "-" else source
    text = read_source(source, display)
    if looks_like_fhir(text, any_resource=True):
        from gutcheck.interop.reading import read_one_response

        return OnePerson(*read_one_response(rules, text, display))
    if looks_like_table(source, text):
        from gutcheck.batch.sources import read_one_row

        return OnePerson(*read_one_row(rules, text, display, warn=warn))
    answers_file = answers_from_text(text, display)
    return OnePerson(rules.parse_answers(answers_file.answers, answers_file.where), None)
