"""The tables people read in a terminal, at 80 and 120 columns: history, compare, profiles, the
batch summary and ``rules show``, on the bundled rule base (six factors with long titles).

Each output is compared with tests/snapshots/tables/<view>-<width>.txt; rewrite them on purpose
with ``GUTCHECK_UPDATE_SNAPSHOTS=1 pytest tests/commands/test_table_snapshots.py`` and review the
diff. Whatever the snapshots say, no line may be wider than the terminal, nothing may be cut
with "…", and every date and factor title must be there whole (wrapped at spaces at most).
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
import yaml
from helpers import run

from gutcheck.files.paths import bundled_rules_path
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import Question, RuleBase

SNAPSHOTS = Path(__file__).parents[1] / "snapshots" / "tables"
UPDATE_ENV = "GUTCHECK_UPDATE_SNAPSHOTS"
WIDTHS = (80, 120)
WHEN = ("2026-11-03T18:30:00+00:00", "2026-11-28T09:10:00+00:00", "2026-11-29T21:54:00+00:00")
NOW = "2026-11-29T22:30:00+00:00"
RULES = load_rules(bundled_rules_path())


def answer(question: Question, rnd: random.Random) -> object:
    """A valid answer for ``question``, chosen by ``rnd``."""
    if question.kind == "number":
        return question.minimum + rnd.randint(0, 6)
    if question.kind == "yesno":
        return "yes" if question.factor is not None and rnd.random() < 0.4 else "no"
    if question.kind == "multi":
        plain = [o.value for o in question.options if not o.exclusive]
        return plain[: max(1, question.min_picks)]
    return rnd.choice(question.options).value


def answers_for(rules: RuleBase, seed: int) -> dict[str, object]:
    """Every question of ``rules`` answered, reproducibly."""
    rnd = random.Random(seed)
    return {question.id: answer(question, rnd) for question in rules.questions}


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three assessments in profile 'anna' (3 Nov, yesterday, today) and one for a long name."""
    for seed, when in enumerate(WHEN):
        file = tmp_path / f"a{seed}.yaml"
        file.write_text(yaml.safe_dump(answers_for(RULES, seed)), encoding="utf-8")
        monkeypatch.setenv("GUTCHECK_NOW", when)
        assert run("score", str(file), "-p", "anna", "-f", "json").code == 0
        if seed == 0:
            assert run("score", str(file), "-p", "client-with-a-rather-long-name", "-f", "json").code == 0
    monkeypatch.setenv("GUTCHECK_NOW", NOW)


def batch_input(tmp_path: Path) -> Path:
    """Four clients in a JSON array, one with a red flag."""
    clients = []
    for seed in range(4):
        row = {"id": f"client-{seed}@example.com", **answers_for(RULES, seed + 10)}
        row[RULES.red_flags[0].question.id] = "yes" if seed == 2 else "no"
        clients.append(row)
    path = tmp_path / "clients.json"
    path.write_text(json.dumps(clients), encoding="utf-8")
    return path


def whole(phrase: str, text: str) -> bool:
    """Every word of ``phrase`` is in ``text`` as a whole word (a table may wrap it at spaces)."""
    return all(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) for word in phrase.split())


def check(name: str, width: int, text: str, *, titles: bool = True) -> None:
    """The output fits, cuts nothing, and matches its snapshot."""
    assert text.strip(), f"{name}: no output"
    too_wide = [line for line in text.splitlines() if len(line) > width]
    assert not too_wide, f"{name} at {width}: lines wider than the terminal: {too_wide[:2]}"
    assert "…" not in text.replace("▁ 0% … █ 100%", ""), f"{name} at {width}: something was cut"
    for factor in RULES.factors if titles else ():
        assert whole(factor.title, text), f"{name} at {width}: {factor.title!r} is cut"
    path = SNAPSHOTS / f"{name}-{width}.txt"
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        pytest.skip(f"updated {path.name}")
    assert path.exists(), f"no snapshot {path.name}; create it with {UPDATE_ENV}=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs; rerun with {UPDATE_ENV}=1 if intended"


@pytest.mark.usefixtures("saved")
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", ["history", "compare", "profiles"])
def test_history_views_read_at_80_and_120_columns(view: str, width: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    args = ("profiles",) if view == "profiles" else (view, "-p", "anna")
    result = run(*args)
    assert result.code == 0, result.err
    if view != "profiles":
        assert whole("yesterday at 09:10", result.out) and whole("today at 21:54", result.out)
    if view == "history":
        assert whole("3 Nov 2026", result.out)
    if view == "profiles":
        assert "client-with-a-rather-long-name" in result.out and whole("3 Nov 2026", result.out)
    check(view, width, result.out, titles=view != "profiles")


@pytest.mark.parametrize("width", WIDTHS)
def test_batch_summary_reads_at_80_and_120_columns(width: int, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run("batch", str(batch_input(tmp_path)))
    assert result.code in (0, 3), result.err  # 3: a red flag was reported
    assert "client-2@example.com" in result.out
    assert any(whole(factor.title, result.out) for factor in RULES.factors)
    check("batch", width, result.out, titles=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_rules_show_reads_at_80_and_120_columns(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run("rules", "show")
    assert result.code == 0, result.err
    for question in RULES.questions:
        assert re.search(rf"(?<![\w]){re.escape(question.id)}(?![\w])", result.out), question.id
    check("rules-show", width, result.out)


def test_a_long_history_at_80_columns_shows_the_newest_that_fit(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for day in range(1, 10):
        file = tmp_path / f"d{day}.yaml"
        file.write_text(yaml.safe_dump(answers_for(RULES, day)), encoding="utf-8")
        monkeypatch.setenv("GUTCHECK_NOW", f"2026-11-0{day}T08:00:00+00:00")
        assert run("score", str(file), "-p", "kim", "-f", "json").code == 0
    monkeypatch.setenv("GUTCHECK_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run("history", "-p", "kim").out
    assert all(len(line) <= 80 for line in narrow.splitlines()) and "…" not in narrow.replace("0% … █", "")
    shown = re.findall(r"#(\d+)", narrow.split("Trend over", 1)[0])
    ids = sorted(int(number) for number in shown)
    assert 0 < len(ids) < 9 and ids == list(range(10 - len(ids), 10))  # the newest, as many as fit
    assert f"Showing the newest {len(shown)} of 9 assessments" in " ".join(narrow.split())
    monkeypatch.setenv("COLUMNS", "200")
    wide = run("history", "-p", "kim").out
    assert "Showing the newest" not in wide and "Taken" in wide  # one row per assessment: all nine
    assert all(re.search(rf"^ *{n} .*{n} Nov 2026", wide, re.M) for n in range(1, 10))
