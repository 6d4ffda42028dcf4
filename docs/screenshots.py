"""Render the README pictures: the results screen and a `gutcheck rules show` table, as SVG.

Uses the bundled rules, the fixed answers in docs/example-answers.yaml and a fixed clock, so
the pictures change only when the rules or the screens do. Run from the repository root:

    .venv/bin/python docs/screenshots.py

and commit the files it writes under docs/images/.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.answers.files import read_answers
from gutcheck.engine.scoring import score_parsed
from gutcheck.render.rules_view import rules_view
from gutcheck.render.terminal import results_view
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import RuleBase

DOCS = Path(__file__).resolve().parent
IMAGES = DOCS / "images"
ANSWERS = DOCS / "example-answers.yaml"
TAKEN_AT = "2026-01-31T09:00:00+00:00"
WIDTH = 100
# rich's SVG names a web font; drop the download so the pictures never fetch anything.
_WEB_FONT = re.compile(r',?\s*url\("https?://[^"]*"\)\s*format\("[^"]*"\)')


def record_svg(renderable: RenderableType, title: str) -> str:
    """``renderable`` as rich prints it on a 100-column colour terminal, exported to SVG."""
    console = Console(
        record=True, width=WIDTH, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", highlight=False, legacy_windows=False,
    )
    console.print(renderable)
    return _WEB_FONT.sub("", console.export_svg(title=title))


def results_picture(rules: RuleBase) -> str:
    """The results screen for the example answers."""
    answers = read_answers(str(ANSWERS))
    parsed = rules.parse_answers(answers.answers, answers.where)
    assessment = score_parsed(rules, parsed, taken_at=TAKEN_AT)
    return record_svg(results_view(assessment), "gutcheck score docs/example-answers.yaml")


def rules_picture(rules: RuleBase) -> str:
    """The heading, factor overview and first factor's questions of `gutcheck rules show`."""
    view = rules_view(rules)
    assert isinstance(view, Group)
    first = rules.factors[0].title
    wanted = [
        _pick(view, lambda part: isinstance(part, Text) and rules.id in part.plain),
        _pick(view, lambda part: isinstance(part, Table) and part.title == "Factors"),
        Text(""),
        _pick(view, lambda part: isinstance(part, Table) and str(part.title).startswith(f"{first}: questions")),
    ]
    return record_svg(Group(*wanted), "gutcheck rules show")


def _pick(view: Group, test: Callable[[RenderableType], bool]) -> RenderableType:
    for part in view.renderables:
        if test(part):
            return part
    raise SystemExit("docs/screenshots.py: 'rules show' changed shape; update rules_picture()")


def main() -> int:
    """Write both pictures and say where."""
    os.environ.setdefault("GUTCHECK_NO_CACHE", "1")  # a docs script leaves no cache behind
    rules = load_rules(None)
    IMAGES.mkdir(exist_ok=True)
    for name, svg in (("results.svg", results_picture(rules)), ("rules-show.svg", rules_picture(rules))):
        path = IMAGES / name
        path.write_text(svg, encoding="utf-8")
        print(f"wrote {path.relative_to(DOCS.parent)} ({len(svg) // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
