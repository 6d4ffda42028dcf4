"""The versioned JSON document of an assessment (``gutcheck.assessment/1``)."""

from __future__ import annotations

import json

from gutcheck.engine.assessment import Assessment


def render_json(assessment: Assessment) -> str:
    """Pretty, stable JSON (keys in a fixed order, UTF-8 kept) with a trailing newline."""
    return json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n"
