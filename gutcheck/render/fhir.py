"""The FHIR rendering of an assessment: a Bundle with the QuestionnaireResponse and Observations.

The work is done by :mod:`gutcheck.interop.bundle`. Given the rule base the response mirrors the
exported Questionnaire exactly; a saved assessment alone is matched with the bundled rule base
when it was scored by that very rule base (same content hash).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.rulebook.model import RuleBase


def render_fhir(assessment: Assessment, rules: RuleBase | None = None) -> str:
    """The assessment as a FHIR R4 Bundle (type collection), as JSON text."""
    from gutcheck.interop.bundle import bundle_text

    return bundle_text(assessment, rules if rules is not None else _bundled_if_same(assessment))


def _bundled_if_same(assessment: Assessment) -> RuleBase | None:
    from gutcheck.errors import GutcheckError
    from gutcheck.rulebook.loading import load_rules

    try:
        rules = load_rules(None)
    except GutcheckError:
        return None
    return rules if rules.content_hash == assessment.rules.hash else None
