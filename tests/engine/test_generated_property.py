"""Property: for random rule bases and answers, the generated scorer agrees with a reference
scorer kept in the tests (``reference.py``), and ``batch`` gives what ``score`` gives per row."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import reference
from answer_strategies import answer_sets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_strategies import rule_bases

from gutcheck.answers.parse import SKIP, SKIP_LABEL
from gutcheck.batch.rows import ParsedRow, RejectedRow
from gutcheck.batch.sources import open_batch
from gutcheck.batch.summary import ClientSummary, Summaries, SummaryScorer, safety_questions, summarise
from gutcheck.engine.assessment import Assessment
from gutcheck.engine.compiled import compiled
from gutcheck.engine.scoring import Scorer, score_parsed
from gutcheck.rulebook.model import Question, RuleBase

WHEN = "2026-01-31T09:00:00+00:00"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _seen(assessment: Assessment) -> dict[str, Any]:
    """The same facts as the reference gives, read from an assessment."""
    top = assessment.top_factor()
    return {
        "factors": [(f.id, f.raw, f.max, f.percent, f.level) for f in assessment.factors],
        "overall": (assessment.overall.percent, assessment.overall.level),
        "suggestions": [s.id for s in assessment.suggestions],
        "first_steps": list(assessment.first_steps),
        "red_flags": [(r.id, r.urgency, r.advice) for r in assessment.red_flags],
        "instruments": [(i.factor, i.total, i.at_least, i.positive) for i in assessment.instruments],
        "unanswered": list(assessment.unanswered),
        "top_factor": top.id if top is not None else None,
    }


@SETTINGS
@given(data=st.data())
def test_the_generated_scorer_agrees_with_the_reference(data: st.DataObject) -> None:
    rules = data.draw(rule_bases())
    assert "make_scorer" in compiled(rules)  # every random rule base compiles
    scorer = Scorer(rules)
    for _ in range(4):
        answers = data.draw(answer_sets(rules))
        assert _seen(scorer(answers, taken_at=WHEN)) == reference.score(rules, answers)


def _cell(question: Question, value: Any) -> str:
    """How a form export writes a parsed answer."""
    if value == SKIP:
        return SKIP_LABEL
    if question.kind == "yesno":
        return "Yes" if value else "No"
    if question.kind == "number":
        return repr(value).replace(".", ",")  # every digit: "%g" would round 4.999999999999999 to 5
    labels = {o.value: o.label for o in question.options}
    if question.kind == "multi":
        return "; ".join(labels[v] for v in value)
    return labels[value].upper()


def _csv(rules: RuleBase, answer_list: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *(q.id for q in rules.questions)])
    for n, answers in enumerate(answer_list):
        writer.writerow([f"c{n}", *(_cell(q, answers[q.id]) if q.id in answers else "" for q in rules.questions)])
    return out.getvalue()


@SETTINGS
@given(data=st.data())
def test_batch_gives_what_score_gives_for_each_row(data: st.DataObject, tmp_path_factory: Any) -> None:
    rules = data.draw(rule_bases())
    drawn = data.draw(st.lists(answer_sets(rules), min_size=1, max_size=6))
    # an empty cell is no answer: a multi answer with nothing picked cannot be written in a cell
    answer_list = [{qid: value for qid, value in answers.items() if value != ()} for answers in drawn]
    path = Path(tmp_path_factory.mktemp("batch")) / "rows.csv"
    path.write_text(_csv(rules, answer_list), encoding="utf-8")
    with open_batch(rules, str(path)) as batch:
        items = [row for item in batch.summaries_or_rows()
                 for row in (item if isinstance(item, Summaries) else [item])]
    assert len(items) == len(answer_list)
    for n, (item, answers) in enumerate(zip(items, answer_list, strict=True)):
        if not answers:
            assert isinstance(item, RejectedRow)
            continue
        expected = summarise(score_parsed(rules, answers, taken_at=WHEN, client=f"c{n}"), n + 2,
                             reference.ignored(rules, answers), safety_questions(rules))
        summary = item
        if isinstance(item, ParsedRow):  # the row scorer reads "prefer not to say" as no answer, so
            assert set(answers.values()) == {SKIP}  # a row of nothing else is the general path's
            summary = SummaryScorer(rules, taken_at=WHEN)(item)
        assert isinstance(summary, ClientSummary) and summary == expected
