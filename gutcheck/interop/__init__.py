"""FHIR R4 interoperability, as plain dicts and the standard library only.

:mod:`~gutcheck.interop.questionnaire` writes a rule base as a ``Questionnaire``;
:mod:`~gutcheck.interop.response` reads a ``QuestionnaireResponse`` back into raw answers (for
the one answer path) and writes one from an assessment; :mod:`~gutcheck.interop.bundle` wraps a
response and its scores as ``Observation`` resources in a ``Bundle``. Nothing here imports a FHIR
library, and nothing at start-up imports this package.
"""
