"""Reading a saved assessment document (``gutcheck.assessment/1``) back, checked against its schema.

The JSON is read as carefully as a YAML file: duplicate keys are refused and every problem is
located by line and column. A document from a newer gutcheck is refused with what to do.
"""

from __future__ import annotations

from typing import Any

from gutcheck.engine.assessment import Assessment


def parse_assessment(text: str, display: str) -> Assessment:
    """Parse and check a ``gutcheck.assessment/1`` document; InputError names what is wrong."""
    from gutcheck.engine.assessment import Assessment
    from gutcheck.errors import InputError
    from gutcheck.schema import load_schema, problems

    data = _load(text, display)
    _check_schema_name(data, display)
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


def _load(text: str, display: str) -> Any:
    """The JSON data of a saved assessment: a syntax error or a duplicate key is refused, located."""
    from gutcheck.errors import InputError
    from gutcheck.files.json_located import JsonProblems, load_json

    try:
        return load_json(text.removeprefix("\ufeff"), display)[0]
    except JsonProblems as exc:
        first = exc.problems[0]
        if len(exc.problems) == 1 and first.message.startswith("not valid JSON"):
            raise InputError(f"{first}; give a file saved with --format json") from None
        raise InputError(f"{display}: the assessment document is damaged; save it again with "
                         "--format json", tuple(exc.problems)) from None


def _check_schema_name(data: Any, display: str) -> None:
    """Refuse a document that is not a saved assessment, or one from a newer gutcheck."""
    import re

    from gutcheck.engine.assessment import ASSESSMENT_SCHEMA
    from gutcheck.errors import InputError

    name = data.get("schema") if isinstance(data, dict) else None
    if name == ASSESSMENT_SCHEMA:
        return
    family, _, current = ASSESSMENT_SCHEMA.rpartition("/")
    newer = re.fullmatch(re.escape(family) + r"/(\d+)", name) if isinstance(name, str) else None
    if newer is not None and int(newer.group(1)) > int(current):
        raise InputError(
            f"{display}: was written by a newer gutcheck ({name}; this one reads "
            f"{ASSESSMENT_SCHEMA}); upgrade gutcheck to read it"
        )
    raise InputError(
        f"{display}: not a saved assessment (no \"schema\": \"{ASSESSMENT_SCHEMA}\"); "
        "save one with 'gutcheck score ANSWERS --format json'"
    )
