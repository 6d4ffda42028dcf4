"""``gutcheck template``: every question with its allowed answers, in a form the readers accept."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from helpers import run

from gutcheck.rulebook.loading import load_rules

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"


def template(fmt: str, rules: Path | None = MINI) -> str:
    """The template printed for ``rules`` in ``fmt``."""
    args = ["template", "--format", fmt] + (["--rules", str(rules)] if rules else [])
    result = run(*args)
    assert result.code == 0, result.err
    return result.out


def test_csv_template_names_every_question_with_its_text_and_answers() -> None:
    rows = list(csv.reader(io.StringIO(template("csv"))))
    rules = load_rules(MINI)

    assert rows[0] == ["client", *(q.id for q in rules.questions)]
    questions, answers = dict(zip(rows[0], rows[1], strict=True)), dict(zip(rows[0], rows[2], strict=True))
    assert questions["client"].startswith("#") and answers["client"].startswith("#")
    assert questions["drink_freq"] == "How often do you drink?"
    assert answers["drink_freq"] == "one of: Never | Weekly | Daily (or Prefer not to say)"
    assert answers["food_fibre"].startswith("any of: Vegetables | Beans | Sweets | Fried food | None of these")
    assert "pick 1 to 3" in answers["food_fibre"]
    assert answers["drink_amount"].startswith("a whole number from 0 to 40 drinks")
    assert "leave it empty if it does not apply" in answers["drink_amount"]
    assert answers["blood"] == "yes or no"


def test_filled_csv_template_is_scored_by_batch_as_it_is(tmp_path: Path) -> None:
    filled = tmp_path / "clients.csv"
    filled.write_text(template("csv") + "ann,no,no,Weekly,2,No,Vegetables; Beans,A little\n", encoding="utf-8")

    result = run("batch", str(filled), "--rules", str(MINI), "--format", "jsonl")

    assert result.code == 0, result.err
    (record,) = [json.loads(line) for line in result.out.splitlines()]
    assert record["client"] == "ann" and record["row"] == 4
    assert "Warning" not in result.err


def test_yaml_template_is_an_answers_file_with_comments(tmp_path: Path) -> None:
    text = template("yaml")
    data = yaml.safe_load(text)
    rules = load_rules(MINI)

    assert list(data) == [q.id for q in rules.questions]
    assert all(value is None for value in data.values())
    assert "# How often do you drink?\n# one of: Never | Weekly | Daily (or Prefer not to say)\ndrink_freq:" in text
    assert "# --- Red flags" in text and "# --- Drinking ---" in text


def test_filled_yaml_template_is_scored(tmp_path: Path) -> None:
    filled = tmp_path / "answers.yaml"
    filled.write_text(template("yaml").replace("drink_freq:", "drink_freq: Daily")
                      .replace("food_stress:", "food_stress: A lot"), encoding="utf-8")

    result = run("score", str(filled), "--rules", str(MINI), "--format", "json")

    assert result.code == 0, result.err
    answers = {a["question"]: a["value"] for a in json.loads(result.out)["answers"]}
    assert answers == {"drink_freq": "daily", "food_stress": "s3"}


def test_json_template_guides_and_can_be_scored_once_filled(tmp_path: Path) -> None:
    document = json.loads(template("json"))
    assert document["questions"]["food_fibre"]["options"][0] == {"value": "veg", "label": "Vegetables"}
    assert document["questions"]["drink_amount"]["type"] == "number"
    document["answers"]["drink_freq"] = "never"
    filled = tmp_path / "answers.json"
    filled.write_text(json.dumps(document), encoding="utf-8")

    result = run("score", str(filled), "--rules", str(MINI), "--format", "json")

    assert result.code == 0, result.err
    assert [a["question"] for a in json.loads(result.out)["answers"]] == ["drink_freq"]


@pytest.mark.parametrize("fmt", ["csv", "yaml", "json"])
def test_bundled_rules_template_covers_every_question(fmt: str) -> None:
    text = template(fmt, rules=None)

    for question in load_rules(None).questions:
        assert question.id in text
