"""``--style short`` on ``report``, ``score`` and the quiz: the one-to-two page Markdown or HTML
report, and a clear refusal (before any work) for a format that has no short style."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_RULES
from helpers import run

from gutcheck.errors import ExitCode

# The mini rules' answers with a red flag (see tests/quiz/test_quiz_plain.py for the typed form).
ANSWERS = "blood: 'yes'\nweight_loss: no\ndrink_freq: weekly\ndrink_amount: 4\ndrink_binge: 'yes'\nfood_stress: s3\n"
# continue; blood No; weight loss No; Weekly; 4 drinks; binge Yes; Vegetables + Beans; A lot
TYPED = "".join(line + "\n" for line in ["y", "2", "2", "2", "4", "1", "1, 2", "3"])


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_score_writes_the_short_html_and_markdown_reports(answers: Path) -> None:
    html = run("score", str(answers), "--rules", str(MINI_RULES), "-f", "html", "--style", "short")
    markdown = run("score", str(answers), "--rules", str(MINI_RULES), "-f", "md", "--style", "short")
    assert html.code == 0 and markdown.code == 0, html.err + markdown.err
    assert '<body class="short">' in html.out and 'class="notice"' in html.out
    assert "What moved each score" not in html.out and "What moved each score" not in markdown.out
    assert markdown.out.startswith("# Gut-barrier self-check report") and "## Your first steps" in markdown.out


@pytest.mark.parametrize("fmt", ["text", "json", "fhir"])
def test_score_refuses_the_short_style_for_a_format_without_one(answers: Path, fmt: str) -> None:
    result = run("score", str(answers), "--rules", str(MINI_RULES), "-f", fmt, "--style", "short", "--save")
    assert result.code == ExitCode.USAGE
    assert result.err.strip() == f"--style short applies to md and html reports, not {fmt}; add --format md or html"
    assert result.out == "" and "Saved" not in result.err


def test_report_writes_the_short_version_of_a_saved_assessment(answers: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text(run("score", str(answers), "--rules", str(MINI_RULES), "-f", "json").out, encoding="utf-8")
    out = tmp_path / "client.html"

    result = run("report", str(saved), "-o", str(out), "--style", "short")

    assert result.code == 0, result.err
    assert result.err.strip() == f"Wrote {out} (html, short)."
    assert '<body class="short">' in out.read_text(encoding="utf-8")
    full = run("report", str(saved), "-f", "html")
    assert '<body class="short">' not in full.out and "What moved each score" in full.out


def test_report_refuses_the_short_style_for_a_text_file(answers: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text(run("score", str(answers), "--rules", str(MINI_RULES), "-f", "json").out, encoding="utf-8")
    result = run("report", str(saved), "-o", str(tmp_path / "out.txt"), "--style", "short")
    assert result.code == ExitCode.USAGE
    assert "--style short applies to md and html reports, not text" in result.err
    assert not (tmp_path / "out.txt").exists()


def test_the_quiz_gives_the_short_report() -> None:
    result = run("--rules", str(MINI_RULES), "--plain", "--no-save", "-f", "html", "--style", "short",
                 stdin=TYPED)
    assert result.code == 0, result.err
    assert '<body class="short">' in result.out


def test_the_quiz_refuses_the_short_style_before_the_first_question() -> None:
    result = run("--rules", str(MINI_RULES), "--plain", "--no-save", "--style", "short", stdin=TYPED)
    assert result.code == ExitCode.USAGE
    assert "--style short applies to md and html reports, not text" in result.err
    assert "Question" not in result.err


def test_style_before_another_command_is_refused(answers: Path) -> None:
    result = run("--style", "short", "score", str(answers))
    assert result.code == ExitCode.USAGE
    assert "--style before 'score' only applies to the quiz" in result.err
