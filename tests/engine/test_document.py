"""Issue 12, reproduction 7: saved assessments from a newer gutcheck, and careful JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

from gutcheck.engine.document import parse_assessment
from gutcheck.errors import ExitCode, InputError

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "mini.yaml")


@pytest.fixture
def saved(tmp_path: Path) -> str:
    """A saved assessment document, as ``score --format json`` writes it."""
    answers = tmp_path / "a.yaml"
    answers.write_text("drink_freq: weekly\n", encoding="utf-8")
    result = run("score", str(answers), "--rules", MINI, "--format", "json")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("schema", ["gutcheck.assessment/2", "gutcheck.assessment/17"])
def test_a_document_from_a_newer_gutcheck_says_to_upgrade(tmp_path: Path, saved: str, schema: str) -> None:
    file = tmp_path / "new.json"
    file.write_text(saved.replace('"gutcheck.assessment/1"', f'"{schema}"'), encoding="utf-8")

    result = run("report", str(file))

    assert result.code == ExitCode.INVALID_INPUT
    assert result.err.strip() == (
        f"{file}: was written by a newer gutcheck ({schema}; this one reads "
        "gutcheck.assessment/1); upgrade gutcheck to read it"
    )


@pytest.mark.parametrize("schema", ["gutcheck.assessment/0", "other/1", None, 2])
def test_other_documents_are_still_not_a_saved_assessment(saved: str, schema: object) -> None:
    data = json.loads(saved)
    data["schema"] = schema
    with pytest.raises(InputError, match="not a saved assessment"):
        parse_assessment(json.dumps(data), "x.json")


def test_a_duplicate_key_in_a_saved_assessment_is_refused_with_its_place(saved: str) -> None:
    text = saved.replace('"schema":', '"taken_at": "2020-01-01T00:00:00+00:00",\n  "schema":', 1)

    with pytest.raises(InputError) as caught:
        parse_assessment(text, "x.json")

    assert caught.value.message.startswith("x.json: the assessment document is damaged")
    assert [str(p) for p in caught.value.problems] == ["x.json:10:3: duplicate key 'taken_at'"]
