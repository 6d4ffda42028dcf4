"""One naming scheme for the CSV columns of `batch` and `export`, and README documents exactly the
header each writes: the documented columns are compared with a header each command generates."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from helpers import run

from gutcheck.rulebook.loading import load_rules

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
RULES = load_rules()
ANSWERS = "client,alcohol_frequency,sleep_hours,diet_plant_meals\nanna,Monthly or less,\"6,5\",Two\n"


def documented(marker: str) -> list[str]:
    """The column names README gives in the code block after ``<!-- columns:MARKER -->``."""
    after = README.read_text(encoding="utf-8").split(f"<!-- columns:{marker} -->", 1)[1]
    found = re.match(r"\s*```\n\s*(.*?)\n\s*```", after, re.S)
    assert found, f"README: no code block after the columns:{marker} marker"
    return found.group(1).strip().split(",")


def expanded(columns: list[str]) -> list[str]:
    """README's columns for the bundled rules: the ``<factor>`` run repeated for each factor."""
    run_of = [i for i, name in enumerate(columns) if "<factor>" in name]
    assert run_of == list(range(run_of[0], run_of[-1] + 1)), "the factor columns stand together"
    per_factor = [name.replace("<factor>", f.id) for f in RULES.factors for name in columns[run_of[0]:run_of[-1] + 1]]
    return [*columns[:run_of[0]], *per_factor, *columns[run_of[-1] + 1:]]


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.fixture
def clients(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_readme_names_every_column_of_the_batch_csv_in_order(clients: Path) -> None:
    result = run("batch", str(clients), "--format", "csv")
    assert result.code == 0, result.err
    assert header(result.out) == expanded(documented("batch-csv"))


def test_readme_names_every_column_of_the_export_csv_in_order(clients: Path) -> None:
    saved = run("batch", str(clients), "--save")
    assert saved.code == 0, saved.err
    result = run("export", "--format", "csv")
    assert result.code == 0, result.err
    columns = expanded(documented("export-csv"))
    assert columns[-1] == "answer:<question>"
    generated = header(result.out)
    assert generated[:len(columns) - 1] == columns[:-1]
    answers = generated[len(columns) - 1:]
    assert answers == ["answer:alcohol_frequency", "answer:sleep_hours", "answer:diet_plant_meals"]


def test_readme_examples_of_answer_columns_are_columns_export_writes(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("drink_freq: weekly\ndrink_amount: 4\n", encoding="utf-8")
    mini = str(ROOT / "tests" / "data" / "mini.yaml")
    assert run("score", str(answers), "--rules", mini, "--save", "-f", "json").code == 0
    (tmp_path / "sleep.yaml").write_text("sleep_hours: 6.5\n", encoding="utf-8")
    assert run("score", str(tmp_path / "sleep.yaml"), "--save", "-f", "json").code == 0
    generated = set(header(run("export", "--format", "csv").out))
    examples = set(re.findall(r"`(answer:[^`<]+)`", README.read_text(encoding="utf-8")))
    assert examples == {"answer:drink_amount (drinks)", "answer:sleep_hours"}
    assert examples <= generated


def test_batch_and_export_name_the_same_fields_alike(clients: Path) -> None:
    assert run("batch", str(clients), "--save").code == 0
    batch = set(header(run("batch", str(clients), "--format", "csv").out))
    export = set(header(run("export", "--format", "csv").out))
    shared = {"rules.id", "rules.version", "overall.percent", "overall.level", "red_flags",
              *(f"factors.{f.id}.{part}" for f in RULES.factors for part in ("percent", "level"))}
    assert shared <= batch & export
    assert not any(name.endswith(("_percent", "_level")) for name in batch | export)
