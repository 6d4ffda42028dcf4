"""Fill-in templates of a rule base's questions: a spreadsheet header, a YAML or a JSON answers file.

Each template names every question (red flags first, as the quiz asks them) and says which
answers it takes, so a coach can build a form or a spreadsheet that ``gutcheck batch`` and
``gutcheck score`` read without surprises.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gutcheck.rulebook.model import Question, RuleBase

ID_COLUMN = "client"


def allowed_hint(question: Question) -> str:
    """The answers ``question`` takes, in words (as its kind says); option labels are separated by ' | '."""
    from gutcheck.answers.parse import SKIP_LABEL

    if not question.type.has_options:
        return question.allowed_text()
    skip = f" (or {SKIP_LABEL})" if question.allow_skip else ""
    return question.type.hint(question) + skip


def _when(question: Question) -> str:
    return " (asked only after some answers; leave it empty if it does not apply)" if (
        question.show_if is not None) else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _groups(rules: RuleBase) -> list[tuple[str, tuple[Question, ...]]]:
    """Questions in quiz order, grouped under a heading each."""
    groups = [("Red flags (any 'yes' means: see a clinician or mention it to your doctor)",
               tuple(f.question for f in rules.red_flags))]
    groups.append(("About you (optional, never scored)", rules.about))
    groups += [(factor.title, factor.questions) for factor in rules.factors]
    return [(title, questions) for title, questions in groups if questions]


def csv_template(rules: RuleBase, *, excel: bool = False) -> str:
    """A header row (client, then question ids) and two notes rows: the questions and their answers.

    ``gutcheck batch`` skips rows starting with '#' right under the header, so the file can be
    filled in below them and scored as it is. For Excel: a byte-order mark first, CRLF line ends.
    """
    from gutcheck.render.csv_cells import CsvLines, excel_start

    lines = CsvLines(excel=excel)
    questions = rules.questions
    return excel_start(excel) + "".join((
        lines.line((ID_COLUMN, *(q.id for q in questions))),
        lines.line(("# question", *(_one_line(q.ask) for q in questions))),
        lines.line(("# answers", *(allowed_hint(q) + _when(q) for q in questions))),
    ))


def yaml_template(rules: RuleBase) -> str:
    """An answers file with every question id as a key, its text and allowed answers as comments."""
    out = [
        f"# Answers for {rules.title} ({rules.id} {rules.version}).",
        "# Write each answer after its question id: an option label as listed, or yes/no, or a number.",
        "# Leave an answer empty to skip it. Then run: gutcheck score THIS-FILE.yaml",
    ]
    for title, questions in _groups(rules):
        out += ["", f"# --- {_one_line(title)} ---"]
        for question in questions:
            out += [f"# {_one_line(question.ask)}", f"# {allowed_hint(question)}{_when(question)}",
                    f"{question.id}:"]
    return "\n".join(out) + "\n"


def json_template(rules: RuleBase) -> str:
    """An answers object (every answer null) with a ``questions`` guide beside it."""
    guide = {
        q.id: {
            "ask": _one_line(q.ask),
            "type": q.kind,
            "answers": allowed_hint(q) + _when(q),
            **({"options": [{"value": o.value, "label": o.label} for o in q.options]} if q.options else {}),
        }
        for q in rules.questions
    }
    document = {
        "about": f"Answers for {rules.title} ({rules.id} {rules.version}). Replace each null with "
                 "an answer (a label or value; a list for several choices), then run: "
                 "gutcheck score THIS-FILE.json",
        "questions": guide,
        "answers": {q.id: None for q in rules.questions},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_template(rules: RuleBase, fmt: str, *, excel: bool = False) -> str:
    """The template of ``rules`` in ``fmt`` (csv, yaml or json); ``excel`` applies to csv only."""
    if fmt == "csv":
        return csv_template(rules, excel=excel)
    makers = {"yaml": yaml_template, "json": json_template}
    return makers[fmt](rules)
