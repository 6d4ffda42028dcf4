"""CSV rows scored by the generated row scorer give exactly what the general path gives."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from gutcheck.batch.rows import ParsedRow, RejectedRow
from gutcheck.batch.sources import open_batch
from gutcheck.batch.summary import ClientSummary, Summaries, SummaryScorer
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import RuleBase

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
CELLS = {
    "blood": ["yes", "No", "n", "TRUE", "0", "", "maybe"],
    "weight_loss": ["no", "Nein", "", "y"],
    "drink_freq": ["never", "Weekly", "DAILY", "prefer not to say", "", "sometimes", " weekly "],
    "drink_amount": ["0", "2", "4,5", "7", "", "-3", "lots", "12"],
    "drink_binge": ["yes", "no", ""],
    "food_fibre": ["Vegetables, Beans", "veg; sweets", "None of these", "Fried food", "", "veg, none", "pizza"],
    "food_stress": ["Not at all", "a little", "s3", "", "A LOT"],
}


def _messy(rules: RuleBase, rows: int, seed: int) -> str:
    """Shuffled columns named by text or id, an unknown column, bad cells, ragged and blank rows."""
    rnd = random.Random(seed)
    questions = [q for q in rules.questions if q.id in CELLS]
    rnd.shuffle(questions)
    header = ["Timestamp", "Client ID", *(q.ask if rnd.random() < 0.5 else q.id.upper() for q in questions)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(rows):
        record = ["2026-01-01", f"c{n}", *(rnd.choice(CELLS[q.id]) for q in questions)]
        if rnd.random() < 0.05:
            record = record[:-1] if rnd.random() < 0.5 else [*record, "extra"]
        writer.writerow(record if rnd.random() > 0.02 else [""] * len(header))
    return out.getvalue()


def _results(rules: RuleBase, path: Path, *, fast: bool) -> list[object]:
    summarise = SummaryScorer(rules, taken_at="2026-01-31T09:00:00+00:00")
    out: list[object] = []
    with open_batch(rules, str(path)) as batch:
        for item in batch.summaries_or_rows() if fast else batch.rows():
            if isinstance(item, Summaries):  # a run of rows the generated scorer took
                out.extend(item)
            else:
                out.append(summarise(item) if isinstance(item, ParsedRow) else item)
        out.append(batch.rows_read)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_messy_exports_give_the_same_summaries_and_rejections_both_ways(seed: int, tmp_path: Path) -> None:
    rules = load_rules(MINI)
    path = tmp_path / "export.csv"
    path.write_text(_messy(rules, 400, seed), encoding="utf-8")
    fast, general = _results(rules, path, fast=True), _results(rules, path, fast=False)
    assert fast == general
    kinds = {type(item) for item in fast}
    assert {ClientSummary, RejectedRow} <= kinds  # both paths were taken
    assert sum(isinstance(item, ClientSummary) for item in fast) >= 50


def test_a_column_of_many_different_texts_keeps_the_row_scorer_memory_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gutcheck.batch import compiled_rows
    from gutcheck.batch.rows import CELL_CACHE_LIMIT

    learners: list[compiled_rows.Learner] = []
    real = compiled_rows.Learner

    def kept(*args: object) -> compiled_rows.Learner:
        learner = real(*args)  # type: ignore[arg-type]
        learners.append(learner)
        return learner

    monkeypatch.setattr(compiled_rows, "Learner", kept)
    rules = load_rules(MINI)
    path = tmp_path / "amounts.csv"
    # the same few amounts, written in more different ways than the dictionaries keep
    texts = [f"{'0' * (n // 41 % 10)}{n % 41}{' ' * (n // 410 % 4)}" for n in range(3 * CELL_CACHE_LIMIT)]
    assert len(set(texts)) > CELL_CACHE_LIMIT
    rows = "".join(f"c{n},{text},weekly\n" for n, text in enumerate(texts))
    path.write_text("id,drink_amount,drink_freq\n" + rows, encoding="utf-8")

    fast, general = _results(rules, path, fast=True), _results(rules, path, fast=False)

    assert fast == general and all(isinstance(item, ClientSummary) for item in fast[:-1])
    assert len({summary.overall_percent for summary in fast[:-1]}) > 1  # the amounts were read
    assert learners and max(len(cells) for cells in learners[0].cells) <= CELL_CACHE_LIMIT
