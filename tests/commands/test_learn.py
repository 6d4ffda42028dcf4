"""``gutcheck learn``: topics listed and rendered with their sources; learn files checked and linted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import run

from gutcheck.errors import ExitCode
from gutcheck.files.paths import bundled_rules_dir
from gutcheck.rulebook.learn import load_learn
from gutcheck.rulebook.loading import load_rules

RULES = load_rules(None)
BOOK = load_learn(RULES)
assert BOOK is not None
REQUIRED = {"barrier", "measurement", "zonulin-gluten", "autoimmunity", "how-long", "see-a-clinician"}


def test_learn_lists_every_topic_with_its_title() -> None:
    result = run("learn")
    assert result.code == 0, result.err
    assert set(BOOK.ids) >= REQUIRED
    for topic in BOOK.topics:
        assert topic.id in result.out and topic.title.split()[0] in result.out
    assert "Read one with: gutcheck learn barrier" in result.out


@pytest.mark.parametrize("topic_id", sorted(REQUIRED))
def test_each_topic_renders_with_its_sources_as_links(topic_id: str) -> None:
    topic = BOOK.topic(topic_id)
    assert topic is not None
    result = run("learn", topic_id)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())
    assert topic.title in flat
    assert " ".join(topic.paragraphs[0].text.split())[:60] in flat
    links = re.findall(r"https://\S+", result.out)
    assert links and all(link.startswith(("https://doi.org/10.", "https://pubmed.ncbi.nlm.nih.gov/",
                                          "https://www.ncbi.nlm.nih.gov/pmc/", "https://www.nice.org.uk/"))
                         for link in links)


def test_an_unknown_topic_is_bad_usage_and_names_the_topics() -> None:
    result = run("learn", "no-such-topic")
    assert result.code == ExitCode.USAGE  # README: 2 is bad usage (it was 3, as for a bad file)
    assert result.err.strip() == (
        "'no-such-topic' is not a learn topic; choose one of: " + ", ".join(BOOK.ids))


@pytest.mark.parametrize(("typed", "meant"), [("measurment", "measurement"), ("zonulin", "zonulin-gluten"),
                                              ("How-Long", "how-long")])
def test_a_misspelt_topic_offers_the_closest_one(typed: str, meant: str) -> None:
    result = run("learn", typed)
    if typed.lower() == meant:  # only the case differs: the topic is shown
        assert result.code == 0 and BOOK.topic(meant).title in result.out  # type: ignore[union-attr]
        return
    assert result.code == ExitCode.USAGE
    assert f"{typed!r} is not a learn topic (did you mean {meant!r}?); choose one of: barrier" in result.err


def learn_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The bundled rules and learn file copied to ``tmp_path``."""
    rules = tmp_path / "gut-barrier.yaml"
    shutil.copy(bundled_rules_dir() / "gut-barrier.yaml", rules)
    learn = tmp_path / "gut-barrier.learn.yaml"
    shutil.copy(bundled_rules_dir() / "gut-barrier.learn.yaml", learn)
    return rules, learn


def test_lint_fails_a_paragraph_without_a_checked_source(tmp_path: Path) -> None:
    rules, learn = learn_copy(tmp_path)
    text = learn.read_text(encoding="utf-8")
    # suzuki2009 is listed without any identifier, so it cannot back a paragraph on its own.
    learn.write_text(text.replace("references: [vanuytsel2021]\n", "references: [suzuki2009]\n", 1),
                     encoding="utf-8")
    result = run("rules", "lint", str(rules))
    assert result.code == ExitCode.INVALID_RULES
    line = next(i for i, row in enumerate(learn.read_text().splitlines(), 1) if "[suzuki2009]" in row)
    assert f"gut-barrier.learn.yaml:{line}:" in result.err
    assert "cites no source with a checked DOI, PMID, PMCID or https link" in result.err


def test_lint_fails_hype_in_a_topic(tmp_path: Path) -> None:
    rules, learn = learn_copy(tmp_path)
    data = learn.read_text(encoding="utf-8").replace("What the gut barrier is", "What will heal your gut", 1)
    learn.write_text(data, encoding="utf-8")
    result = run("rules", "lint", str(rules))
    assert result.code == ExitCode.INVALID_RULES
    assert "hype ('heal your gut')" in result.err


def test_a_learn_file_is_checked_with_locations(tmp_path: Path) -> None:
    rules, learn = learn_copy(tmp_path)
    data = yaml.safe_load(learn.read_text(encoding="utf-8"))
    data["rules"] = "other-rules"
    data["topics"][1]["paragraphs"][0]["references"] = ["nosuchref"]
    data["topics"][2]["colour"] = "red"
    learn.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("learn", "--rules", str(rules))
    assert result.code == ExitCode.INVALID_RULES
    assert "unknown key 'colour'" in result.err
    learn.write_text(yaml.safe_dump({**data, "topics": data["topics"][:2]}, sort_keys=False), encoding="utf-8")
    result = run("rules", "validate", str(rules))
    assert result.code == ExitCode.INVALID_RULES
    assert re.search(r"gut-barrier\.learn\.yaml:\d+:\d+: this learn file is for the rule base 'other-rules'",
                     result.err)
    assert re.search(r"gut-barrier\.learn\.yaml:\d+:\d+: unknown reference 'nosuchref'", result.err)


def test_a_changed_learn_file_is_read_again(tmp_path: Path) -> None:
    rules, learn = learn_copy(tmp_path)
    assert "What the gut barrier is" in run("learn", "--rules", str(rules)).out
    learn.write_text(learn.read_text(encoding="utf-8").replace("What the gut barrier is", "The gut lining"),
                     encoding="utf-8")
    listed = run("learn", "--rules", str(rules)).out
    assert "The gut lining" in listed and "What the gut barrier is" not in listed


def test_a_rule_base_without_a_learn_file_says_so() -> None:
    mini = Path(__file__).parents[1] / "data" / "mini.yaml"
    result = run("learn", "--rules", str(mini))
    assert result.code == ExitCode.INVALID_INPUT
    assert "the rule base mini has no learn file" in result.err


def test_a_missing_learn_file_stops_the_quiz_before_any_question(tmp_path: Path) -> None:
    rules, learn = learn_copy(tmp_path)
    learn.unlink()
    result = run("--rules", str(rules), "--plain", stdin="y\n")
    assert result.code == ExitCode.INVALID_RULES
    assert "gut-barrier.learn.yaml" in result.err and "Question 1" not in result.err
