"""Telling a report file gutcheck wrote from any other file, by the marks every report carries.

``gutcheck batch --clean-reports`` removes only files this says are gutcheck reports: an HTML
report names gutcheck as its generator, a Markdown report opens with the report's title and
ends with its "Made by gutcheck" line, and a JSON report opens with its schema. Only the first
:data:`HEAD_BYTES` and last :data:`TAIL_BYTES` of a file are needed.
"""

from __future__ import annotations

import re

from gutcheck.render import ReportFormat
from gutcheck.render.reportparts import REPORT_TITLE

HEAD_BYTES = 4096
TAIL_BYTES = 2048
_HTML_MARK = b'<meta name="generator" content="gutcheck">'
_MARKDOWN_TITLE = f"# {REPORT_TITLE}\n".encode()
_MARKDOWN_FOOTER = re.compile(rb"\n\*Made by gutcheck with [^\n]*\*\n?\Z")
_JSON_SCHEMA = re.compile(rb'\A\{\s*"schema":\s*"gutcheck\.assessment/\d+"')


def looks_like_report(fmt: ReportFormat, head: bytes, tail: bytes) -> bool:
    """True when a file whose first bytes are ``head`` and last bytes ``tail`` is a gutcheck
    report in ``fmt`` (md, html or json)."""
    if fmt is ReportFormat.HTML:
        return head.startswith(b"<!DOCTYPE html>") and _HTML_MARK in head and tail.rstrip().endswith(b"</html>")
    if fmt is ReportFormat.MARKDOWN:
        return head.startswith(_MARKDOWN_TITLE) and _MARKDOWN_FOOTER.search(tail) is not None
    if fmt is ReportFormat.JSON:
        return _JSON_SCHEMA.match(head) is not None and tail.rstrip().endswith(b"}")
    return False
