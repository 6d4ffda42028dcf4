"""Every route in reads the same answers the same way (issue 10).

The same generated answer sets go through ``score`` on a YAML file, a JSON file, a one-row
CSV and a FHIR QuestionnaireResponse, ``batch`` on a CSV, on JSON Lines and on FHIR NDJSON, the quiz's ``--answers`` prefill, a quiz draft kept
and resumed, a questionary result and plain-mode typing; every route must give the same parsed
answers and the same Assessment. The rule base is a coach's own (tests/data/coach.yaml), whose multi-select labels
hold commas ("Beer, cider or wine"), the case that once split differently by route.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from answer_strategies import answer_for
from helpers import run
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gutcheck.answers.parse import SKIP
from gutcheck.batch.person import read_parsed_answers
from gutcheck.batch.rows import ParsedRow
from gutcheck.batch.sources import open_batch
from gutcheck.history.store import History
from gutcheck.quiz.drafts import Drafts
from gutcheck.quiz.session import read_prefill
from gutcheck.quiz.steps import choices_for
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import HIDDEN, Question, RuleBase

COACH_PATH = Path(__file__).resolve().parents[1] / "data" / "coach.yaml"
COACH = load_rules(COACH_PATH)
COACH_RULES = str(COACH_PATH)
ROUTES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ISSUE_EXAMPLE = {"drink_freq": "weekly", "drink_amount": "3", "drink_kinds": "Beer, cider or wine; Spirits"}
EXAMPLE_PARSED = {"drink_freq": "weekly", "drink_amount": 3.0, "drink_kinds": ("beer", "spirits")}

Texts = dict[str, str]


# ------------------------------------------------------------------------------- answer forms


def _text_forms(question: Question, value: Any, *, one_line: bool) -> st.SearchStrategy[str]:
    """Texts a person or a spreadsheet would write for ``value`` (what a CSV cell holds)."""
    if value == SKIP:
        return st.sampled_from(["Prefer not to say", "PREFER NOT TO SAY", " prefer-not-to-say ", "skip"])
    if question.kind == "yesno":
        return st.sampled_from(["yes", "Yes", "y", "TRUE", "ja"] if value else ["no", "No", "n", "false", "nein"])
    if question.kind == "number":
        text = repr(int(value)) if question.integer else repr(value)
        return st.sampled_from([text, f" {text} ", text.replace(".", ",")])
    labels = {o.value: o.label for o in question.options}
    if question.kind == "multi":
        return _multi_texts(list(value), labels, one_line=one_line)
    return st.sampled_from([value, labels[value], labels[value].upper(), f"  {labels[value].lower()} "])


def _multi_texts(values: list[str], labels: dict[str, str], *, one_line: bool) -> st.SearchStrategy[str]:
    """Picks as text: labels or values in any case, joined by ';', a new line, or ', ' as
    Google Forms joins them (in option order)."""
    named = st.lists(st.sampled_from([str.strip, str.upper, str.casefold]), min_size=len(values),
                     max_size=len(values))
    separators = [", ", ", ", "; ", ";"] + ([] if one_line else ["\n"])

    def join(cases: list[Callable[[str], str]], separator: str, by_value: bool) -> str:
        items = [values[i] if by_value else case(labels[values[i]]) for i, case in enumerate(cases)]
        return separator.join(items)

    return st.builds(join, named, st.sampled_from(separators), st.sampled_from([False, False, True]))


def _native_form(question: Question, value: Any) -> st.SearchStrategy[object]:
    """What a YAML or JSON file may hold instead of text: a boolean, a number, a list."""
    if value == SKIP:
        return st.just(SKIP)
    if question.kind == "yesno":
        return st.just(bool(value))
    if question.kind == "number":
        return st.sampled_from([int(value), value] if question.integer else [value])
    if question.kind == "multi":
        labels = {o.value: o.label for o in question.options}
        return st.sampled_from([list(value), [labels[v] for v in value]])
    return st.just(value)


def _typed_forms(question: Question, value: Any) -> st.SearchStrategy[str]:
    """What a person types in plain mode: the numbers of the choices, or the text itself."""
    text = _text_forms(question, value, one_line=True)
    if question.kind == "number":
        return text
    picked = list(value) if question.kind == "multi" and value != SKIP else [value]
    wanted = {"yes": True, "no": False} if question.kind == "yesno" else {}
    numbers = [str(n) for n, c in enumerate(choices_for(question), 1) if wanted.get(c.value, c.value) in picked]
    return st.one_of(text, st.sampled_from([", ".join(numbers), " ".join(numbers)]))


def _parsed(question: Question) -> st.SearchStrategy[Any]:
    """A parsed answer a text can say (no pick at all is said by leaving the cell empty)."""
    return answer_for(question).filter(lambda value: value != ())


@st.composite
def answer_sets(draw: st.DrawFn, rules: RuleBase, *, complete: bool = False) -> tuple[dict[str, Any], Texts, dict[str, object]]:
    """Parsed answers, the same answers as cell texts, and as a file's mix of texts and natives."""
    parsed: dict[str, Any] = {}
    texts: Texts = {}
    natives: dict[str, object] = {}
    asked = draw(st.sets(st.sampled_from([q.id for q in rules.questions]), min_size=1))
    for question in rules.questions:
        if complete or question.id in asked:
            value = draw(_parsed(question))
            parsed[question.id] = value
            texts[question.id] = draw(_text_forms(question, value, one_line=False))
            natives[question.id] = draw(st.one_of(st.just(texts[question.id]), _native_form(question, value)))
    return parsed, texts, natives


# ------------------------------------------------------------------------------- the routes


def _write_csv(path: Path, texts: Texts, *, rows: int = 1) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(texts))
    writer.writerows([list(texts.values())] * rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _files(folder: Path, texts: Texts, natives: dict[str, object]) -> dict[str, Path]:
    """The answers written as every kind of file a route reads."""
    yaml_file = folder / "answers.yaml"
    yaml_file.write_text(yaml.safe_dump(natives, allow_unicode=True), encoding="utf-8")
    json_file = folder / "answers.json"
    json_file.write_text(json.dumps(natives), encoding="utf-8")
    jsonl = folder / "clients.jsonl"
    jsonl.write_text(json.dumps(natives) + "\n" + json.dumps(texts) + "\n", encoding="utf-8")
    response = folder / "response.json"
    response.write_text(json.dumps(_response(natives)), encoding="utf-8")
    responses = folder / "responses.ndjson"
    responses.write_text(json.dumps(_response(natives)) + "\n" + json.dumps(_response(texts)) + "\n", encoding="utf-8")
    return {
        "yaml": yaml_file,
        "json": json_file,
        "csv": _write_csv(folder / "answers.csv", texts),
        "fhir": response,
        "batch-csv": _write_csv(folder / "clients.csv", texts, rows=2),
        "batch-jsonl": jsonl,
        "batch-fhir": responses,
    }


def _response(answers: dict[str, object]) -> dict[str, Any]:
    """The answers as a FHIR QuestionnaireResponse a form filler might write: texts as strings,
    yes/no as booleans, numbers as numbers, a list as codings named by display only."""
    def values(value: object) -> list[dict[str, Any]]:
        if isinstance(value, bool):
            return [{"valueBoolean": value}]
        if isinstance(value, (int, float)):
            return [{"valueDecimal": value}]
        if isinstance(value, list):
            return [{"valueCoding": {"display": str(item)}} for item in value]
        return [{"valueString": str(value)}]

    items = [{"linkId": qid, "answer": values(value)} for qid, value in answers.items()]
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def _batch_rows(path: Path) -> list[dict[str, Any]]:
    with open_batch(COACH, str(path)) as batch:
        rows = list(batch.rows())
    assert all(isinstance(row, ParsedRow) for row in rows), rows
    return [row.answers for row in rows if isinstance(row, ParsedRow)]


def _parsed_by_route(files: dict[str, Path], texts: Texts, expected: dict[str, Any]) -> dict[str, Any]:
    """The parsed answers each route reads, keyed by route."""
    found: dict[str, Any] = {
        name: read_parsed_answers(COACH, str(files[name]))[0] for name in ("yaml", "json", "csv", "fhir")
    }
    for name in ("batch-csv", "batch-jsonl", "batch-fhir"):
        for number, answers in enumerate(_batch_rows(files[name]), 1):
            found[f"{name} row {number}"] = answers
    found["--answers prefill"] = read_prefill(COACH, files["yaml"])
    found["draft kept and resumed"] = _through_a_draft(found["yaml"])
    found["cell texts through Question.parse"] = {qid: COACH.by_id[qid].parse(t) for qid, t in texts.items()}
    found["questionary results"] = {qid: COACH.by_id[qid].parse(_picked(qid, v)) for qid, v in expected.items()}
    return found


def _through_a_draft(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers kept as a quiz draft in the history store, and read back as a resumed quiz does."""
    with History.open() as store:
        drafts = Drafts(store, "routes:coach", warn=pytest.fail)
        drafts.save(answers, 0)
        restored = drafts.load(COACH)
        drafts.clear()
    assert restored is not None and restored.dropped == 0
    return restored.answers


def _picked(qid: str, value: Any) -> object:
    """What a questionary prompt returns for ``value``: a choice value, the values ticked, or text."""
    kind = COACH.by_id[qid].kind
    if kind == "multi":
        return [SKIP] if value == SKIP else list(value)
    if value == SKIP or kind in ("choice", "scale"):
        return value
    if kind == "yesno":
        return "yes" if value else "no"
    return repr(value)


def _assessment(result_out: str) -> dict[str, Any]:
    data = json.loads(result_out)
    data.pop("taken_at")
    data.pop("client", None)
    return dict(data)


def _assessments_by_route(files: dict[str, Path], folder: Path) -> dict[str, dict[str, Any]]:
    """The Assessment JSON (minus taken_at and the client name) each command gives."""
    found: dict[str, dict[str, Any]] = {}
    for name in ("yaml", "json", "csv", "fhir"):
        result = run("score", str(files[name]), "--rules", COACH_RULES, "--format", "json")
        assert result.code == 0, result.err
        found[f"score {name}"] = _assessment(result.out)
    for name in ("batch-csv", "batch-jsonl", "batch-fhir"):
        reports = folder / f"reports-{name}"
        result = run("batch", str(files[name]), "--rules", COACH_RULES, "--reports", str(reports),
                     "--report-format", "json", "--format", "json")
        assert result.code == 0, result.err
        for report in sorted(reports.glob("*.json")):
            found[f"{name} {report.name}"] = _assessment(report.read_text(encoding="utf-8"))
    return found


# ------------------------------------------------------------------------------- the properties


GOOGLE_FORMS = {"drink_kinds": "Spirits, Beer, cider or wine, Alcopops, mixers, or cocktails"}


@ROUTES
@given(answer_sets(COACH))
@example(({"drink_kinds": ("beer", "spirits", "mixers")}, GOOGLE_FORMS, GOOGLE_FORMS))
def test_every_file_route_reads_the_same_answers_and_scores_them_alike(
    drawn: tuple[dict[str, Any], Texts, dict[str, object]],
) -> None:
    parsed, texts, natives = drawn
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = _files(folder, texts, natives)
        for route, answers in _parsed_by_route(files, texts, parsed).items():
            assert answers == parsed, route
        assessments = _assessments_by_route(files, folder)
    assert len(assessments) == 10
    first = assessments.pop("score yaml")
    assert {route: found for route, found in assessments.items() if found != first} == {}


def _shown_only(rules: RuleBase, parsed: dict[str, Any]) -> dict[str, Any]:
    """The answers the quiz would ask for: those of the questions the answers leave shown."""
    states = rules.walk(parsed)[2]
    return {qid: value for qid, value in parsed.items() if states[qid] is not HIDDEN}


@st.composite
def quiz_answers(draw: st.DrawFn, rules: RuleBase) -> tuple[dict[str, Any], list[str]]:
    """Parsed answers to every shown question, and the lines a person types for them."""
    parsed = _shown_only(rules, draw(answer_sets(rules, complete=True))[0])
    typed = [draw(_typed_forms(rules.by_id[qid], parsed[qid])) for qid in parsed]
    return parsed, typed


@ROUTES
@given(quiz_answers(COACH))
def test_plain_typing_and_prefill_score_like_a_file(drawn: tuple[dict[str, Any], list[str]]) -> None:
    parsed, typed = drawn
    native = {qid: list(v) if isinstance(v, tuple) else v for qid, v in parsed.items()}
    with tempfile.TemporaryDirectory() as name:
        answers = Path(name) / "answers.json"
        answers.write_text(json.dumps(native), encoding="utf-8")
        scored = run("score", str(answers), "--rules", COACH_RULES, "--format", "json")
        quiz = ("--rules", COACH_RULES, "--plain", "--no-save", "--format", "json")
        typed_in = run(*quiz, stdin="".join(f"{line}\n" for line in ["y", *typed]))
        prefilled = run(*quiz, "--answers", str(answers), stdin="y\n")
    for result in (scored, typed_in, prefilled):
        assert result.code == 0, result.err
    assert _assessment(typed_in.out) == _assessment(scored.out)
    assert _assessment(prefilled.out) == _assessment(scored.out)


# ------------------------------------------------------------------------------- the issue's example


@pytest.fixture()
def example_files(tmp_path: Path) -> dict[str, Path]:
    """The issue's answers as every file a route reads."""
    natives: dict[str, object] = {**ISSUE_EXAMPLE, "drink_amount": 3}
    return _files(tmp_path, ISSUE_EXAMPLE, natives)


def test_the_issue_example_reads_as_two_options_by_every_route(example_files: dict[str, Path]) -> None:
    found = _parsed_by_route(example_files, ISSUE_EXAMPLE, EXAMPLE_PARSED)
    assert len(found) == 14
    for route, answers in found.items():
        assert answers["drink_kinds"] == ("beer", "spirits"), route


def test_the_issue_example_scores_alike_from_every_command(
    example_files: dict[str, Path], tmp_path: Path
) -> None:
    found = _assessments_by_route(example_files, tmp_path)
    kinds = {
        route: next(a["value"] for a in data["answers"] if a["question"] == "drink_kinds")
        for route, data in found.items()
    }
    assert kinds == {route: ["beer", "spirits"] for route in found} and len(kinds) == 10
    typed = run("--rules", COACH_RULES, "--plain", "--no-save", "--format", "json",
                stdin="y\nno\nweekly\n3\nBeer, cider or wine; Spirits\nyes\n1\n20\n")
    assert typed.code == 0, typed.err
    assert next(a for a in json.loads(typed.out)["answers"] if a["question"] == "drink_kinds")["value"] == [
        "beer", "spirits"]
