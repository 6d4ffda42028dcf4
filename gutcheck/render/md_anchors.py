"""Links from a Markdown report to its own headings, with the anchors GitHub gives them.

GitHub (and GitLab, VS Code and most viewers that follow it) makes a heading's anchor from its
text: lower case, punctuation and symbols dropped, spaces turned into '-', and a repeat of an
earlier anchor numbered '-1', '-2'... A link's words always name the place as well, so the
reader finds it where a viewer makes no anchors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_HEADING = re.compile(r"^(#{1,6}) (.+?)[ \t]*$", re.MULTILINE)
_ESCAPED = re.compile(r"\\(.)")
# The target of a link to a learn topic until its anchor is known. A "(#" never comes out of
# md_text (it escapes every '#'), so only this module's own placeholders match.
_PLACEHOLDER = re.compile(r"\(#learn:(\d+)\)")


def placeholder(index: int) -> str:
    """The link target standing for the ``index``-th topic of "About the evidence"."""
    return f"#learn:{index}"


def github_slug(text: str) -> str:
    """The anchor GitHub makes from a heading's text (before a repeat is numbered)."""
    kept = (c for c in text.lower() if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return "".join(kept).replace(" ", "-")


def heading_anchors(markdown: str) -> list[tuple[int, str, str]]:
    """(level, text, anchor) of every heading of ``markdown``, repeats numbered as GitHub does."""
    seen: dict[str, int] = {}
    found: list[tuple[int, str, str]] = []
    for match in _HEADING.finditer(markdown):
        text = _ESCAPED.sub(r"\1", match.group(2))
        base = anchor = github_slug(text)
        while anchor in seen:
            seen[base] += 1
            anchor = f"{base}-{seen[base]}"
        seen[anchor] = 0
        found.append((len(match.group(1)), text, anchor))
    return found


def subheading_anchors(markdown: str, section: str) -> list[str]:
    """The anchors of the level-3 headings under the level-2 heading ``section``, in order."""
    anchors: list[str] = []
    inside = False
    for level, text, anchor in heading_anchors(markdown):
        if level <= 2:
            inside = level == 2 and text == section
        elif level == 3 and inside:
            anchors.append(anchor)
    return anchors


def resolve_learn_links(markdown: str, anchors: Sequence[str], section: str) -> str:
    """``markdown`` with each learn placeholder replaced by its topic heading's anchor (or the
    anchor of the level-2 heading ``section`` where a heading makes none, being all punctuation)."""
    fallback = next((a for level, text, a in heading_anchors(markdown) if level == 2 and text == section), "")

    def target(match: re.Match[str]) -> str:
        index = int(match.group(1))
        anchor = anchors[index] if index < len(anchors) else ""
        return f"(#{anchor or fallback})"

    return _PLACEHOLDER.sub(target, markdown)
