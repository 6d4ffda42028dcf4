"""Golden scores: fixed answer sets with the assessment and batch record every Python must give.

The answer sets come from a seeded generator over the bundled rule base and ``tests/data/mini.yaml``
(with answers missing, declined, hidden and at the edges of number ranges), so the weighted means
and prorated bands that float sums would round differently on different Pythons are covered.
Record them again, only when a change of scores is intended, with
``python tests/engine/golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from gutcheck.answers.parse import SKIP
from gutcheck.batch.summary import conditional_questions, hidden_answers, safety_questions, summarise
from gutcheck.engine.scoring import score
from gutcheck.render.batch_records import RecordMaker
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import Question, RuleBase

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = DATA / "golden-scores.jsonl"
WHEN = "2026-01-31T09:00:00+00:00"
CASES_PER_RULE_BASE = 40
SEED = 20261129


def rule_bases() -> dict[str, RuleBase]:
    """The rule bases of the golden file by name."""
    return {"bundled": load_rules(None), "mini": load_rules(DATA / "mini.yaml")}


def raw_answer(question: Question, rnd: random.Random) -> object:
    """A random valid raw answer (JSON-ready) to ``question``."""
    if question.allow_skip and rnd.random() < 0.05:
        return SKIP
    if question.kind == "yesno":
        return rnd.random() < 0.4
    if question.kind == "number":
        value = rnd.uniform(question.minimum, min(question.maximum, question.minimum + 30))
        return int(value) if question.integer else round(value, rnd.choice([0, 1, 2]))
    if question.kind == "multi":
        plain = [o.value for o in question.options if not o.exclusive]
        most = min(question.max_picks or len(plain), len(plain))
        return rnd.sample(plain, rnd.randint(min(max(1, question.min_picks), most), most))
    return rnd.choice(question.options).value


def answer_sets(rules: RuleBase, rnd: random.Random) -> list[dict[str, object]]:
    """The golden answer sets for one rule base: complete ones and ones with gaps."""
    sets = []
    for case in range(CASES_PER_RULE_BASE):
        gaps = 0.0 if case % 4 == 0 else rnd.choice([0.1, 0.3, 0.6])
        sets.append({q.id: raw_answer(q, rnd) for q in rules.questions if rnd.random() >= gaps})
    return sets


def expected(rules: RuleBase, answers: dict[str, object], row: int) -> dict[str, Any]:
    """What scoring ``answers`` gives: the assessment's scores and the batch record line."""
    assessment = score(rules, answers, taken_at=WHEN, client=f"client-{row}")
    ignored = hidden_answers(conditional_questions(rules), answers, {a.question for a in assessment.answers})
    summary = summarise(assessment, row, ignored, safety_questions(rules))
    return {"scores": scores_of(assessment.to_dict()), "record": RecordMaker(rules).json_line(summary)}


def scores_of(document: dict[str, Any]) -> dict[str, Any]:
    """The numbers and choices of an assessment's JSON form (its texts are the rule base's)."""
    return {
        "overall": document["overall"],
        "factors": [
            [f["id"], f["raw"], f["max"], f["percent"], f["level"], f["unanswered"],
             [[c["question"], c["answer"], c["points"]] for c in f["contributions"]]]
            for f in document["factors"]
        ],
        "red_flags": [[r["id"], r["kind"], r["urgency"]] for r in document["red_flags"]],
        "suggestions": [s["id"] for s in document["suggestions"]],
        "first_steps": document["first_steps"],
        "instruments": [[i["id"], i["total"], i["max"], i["at_least"], i["positive"], i["note"]]
                        for i in document["instruments"]],
        "answers": [[a["question"], a["value"], a["label"]] for a in document["answers"]],
        "about": [[a["question"], a["value"]] for a in document["about"]],
        "unanswered": document["unanswered"],
        "cited": sorted(document["references"]),
    }


def cases() -> list[dict[str, Any]]:
    """Every golden case with the scores this Python gives for it."""
    rnd = random.Random(SEED)
    out = []
    for name, rules in rule_bases().items():
        for row, answers in enumerate(answer_sets(rules, rnd), start=2):
            out.append({"rules": name, "row": row, "answers": answers, **expected(rules, answers, row)})
    return out


def main() -> None:
    """Write the golden file from this Python's scores."""
    lines = [json.dumps(case, ensure_ascii=False, sort_keys=True) + "\n" for case in cases()]
    GOLDEN.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {len(lines)} cases to {GOLDEN}")


if __name__ == "__main__":
    main()
