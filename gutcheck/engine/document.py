"""Reading a saved assessment document (``gutcheck.assessment/1``) back, checked against its schema."""

from __future__ import annotations

from typing import Any

from gutcheck.engine.assessment import Assessment


def parse_assessment(text: str, display: str) -> Assessment:
    """Parse and check a ``gutcheck.assessment/1`` document; InputError names what is wrong."""
    import json

    from gutcheck.engine.assessment import ASSESSMENT_SCHEMA, Assessment
    from gutcheck.errors import InputError, Location
    from gutcheck.schema import load_schema, problems

    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Location(display, exc.lineno, exc.colno)
        raise InputError(f"{where}: not valid JSON ({exc.msg}); give a file saved with --format json") from None
    if not isinstance(data, dict) or data.get("schema") != ASSESSMENT_SCHEMA:
        raise InputError(
            f"{display}: not a saved assessment (no \"schema\": \"{ASSESSMENT_SCHEMA}\"); "
            "save one with 'gutcheck score ANSWERS --format json'"
        )
    found = problems(data, load_schema("assessment"))
    if found:
        from gutcheck.errors import Problem

        raise InputError(
            f"{display}: the assessment document is damaged; save it again with --format json",
            tuple(Problem(display, problem) for problem in found),
        )
    try:
        return Assessment.from_dict(data)
    except ValueError as exc:
        raise InputError(f"{display}: {exc}; save it again with --format json") from None
