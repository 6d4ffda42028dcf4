"""A new month into last month's ``--reports`` folder: older reports are named, and removed only
with ``--clean-reports``, only once every row was scored, and never a file gutcheck did not write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINI_RULES
from helpers import run
from report_samples import flagged

from gutcheck.commands.batch_stale import stale_reports
from gutcheck.errors import ExitCode
from gutcheck.render import ReportFormat, ReportStyle, render
from gutcheck.render.report_files import looks_like_report

MARCH = "id,drink_freq,food_stress\nann,weekly,s2\nbob,daily,s1\ncy,weekly,s1\n"
APRIL = "id,drink_freq,food_stress\nann,weekly,s2\ndan,daily,s1\n"


def batch(source: Path, reports: Path, *extra: str, fmt: str = "md") -> tuple[int, str]:
    result = run("batch", str(source), "--rules", str(MINI_RULES), "--reports", str(reports),
                 "--report-format", fmt, *extra)
    return result.code, result.err


@pytest.fixture
def month(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A reports folder from March (ann, bob, cy), and April's export (ann, dan)."""
    march, april, reports = tmp_path / "march.csv", tmp_path / "april.csv", tmp_path / "reports"
    march.write_text(MARCH, encoding="utf-8")
    april.write_text(APRIL, encoding="utf-8")
    code, err = batch(march, reports)
    assert code == 0, err
    return march, april, reports


def keepsakes(reports: Path, tmp_path: Path) -> dict[str, Path]:
    """Files in the reports folder that are not reports this run could have left behind."""
    elsewhere = tmp_path / "kept-elsewhere.md"
    elsewhere.write_bytes((reports / "bob.md").read_bytes())
    files = {
        "notes": reports / "notes.md",  # the coach's own notes
        "look-alike": reports / "looks-like.md",  # the title, but not the rest of a report
        "hidden": reports / ".bob-copy.md",
        "folder": reports / "old.md",
        "link": reports / "link.md",  # a link to a report kept elsewhere
        "html": reports / "bob.html",  # a report in another format
    }
    files["notes"].write_text("# My notes on the group\n", encoding="utf-8")
    files["look-alike"].write_text("# Gut-barrier self-check report\n\nmine, by hand\n", encoding="utf-8")
    files["hidden"].write_bytes((reports / "bob.md").read_bytes())
    files["folder"].mkdir()
    files["link"].symlink_to(elsewhere)
    files["html"].write_text(render(flagged(), ReportFormat.HTML), encoding="utf-8")
    return {**files, "target": elsewhere}


def test_older_reports_are_named_after_the_count_and_left_in_place(
    month: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, april, reports = month
    others = keepsakes(reports, tmp_path)

    code, err = batch(april, reports)

    assert code == 0, err
    lines = err.splitlines()
    written = lines.index(f"2 reports written to {reports}.")
    assert lines[written + 1] == (f"Warning: 2 older reports in {reports} were not written by this run "
                                  "(clients not in this input?): bob.md, cy.md. --clean-reports removes them.")
    assert {"bob.md", "cy.md"} <= set(os.listdir(reports))
    assert all(path.exists() or path.is_symlink() for path in others.values())


def test_a_run_that_writes_every_report_says_nothing_of_older_ones(month: tuple[Path, Path, Path]) -> None:
    march, _, reports = month
    code, err = batch(march, reports)
    assert code == 0 and "older report" not in err


def test_clean_reports_removes_only_the_gutcheck_reports_this_run_did_not_write(
    month: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, april, reports = month
    others = keepsakes(reports, tmp_path)

    code, err = batch(april, reports, "--clean-reports")

    assert code == 0, err
    assert f"Removed 2 older reports from {reports} that this run did not write: bob.md, cy.md." in err
    assert not (reports / "bob.md").exists() and not (reports / "cy.md").exists()
    assert (reports / "ann.md").is_file() and (reports / "dan.md").is_file()
    for name, path in others.items():
        assert path.exists() or path.is_symlink(), f"{name} was touched"
    assert others["link"].is_symlink() and others["target"].is_file()


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_clean_reports_works_for_every_report_format(tmp_path: Path, fmt: str) -> None:
    march, april, reports = tmp_path / "march.csv", tmp_path / "april.csv", tmp_path / "reports"
    march.write_text(MARCH, encoding="utf-8")
    april.write_text(APRIL, encoding="utf-8")
    assert batch(march, reports, fmt=fmt)[0] == 0
    (reports / f"mine.{fmt}").write_text("{}\n" if fmt == "json" else "<!DOCTYPE html>\n<p>mine</p>\n",
                                         encoding="utf-8")

    code, err = batch(april, reports, "--clean-reports", fmt=fmt)

    assert code == 0, err
    assert sorted(os.listdir(reports)) == sorted([f"ann.{fmt}", f"dan.{fmt}", f"mine.{fmt}"])


def test_the_same_file_under_another_name_is_not_older(tmp_path: Path) -> None:
    """As on a case-insensitive file system, where the entry 'Ann.md' is the 'ann.md' just written
    (here two names of one file), while a copy is a file of its own."""
    report = render(flagged(), ReportFormat.MARKDOWN)
    (tmp_path / "Ann.md").write_text(report, encoding="utf-8")
    os.link(tmp_path / "Ann.md", tmp_path / "ann.md")
    (tmp_path / "ann-copy.md").write_text(report, encoding="utf-8")

    assert stale_reports(tmp_path, ReportFormat.MARKDOWN, {"ann.md"}) == [tmp_path / "ann-copy.md"]


def test_with_rejected_rows_older_reports_are_kept_and_the_coach_is_told_why(
    month: tuple[Path, Path, Path],
) -> None:
    _, april, reports = month
    april.write_text(APRIL + "bob,sometimes,s1\n", encoding="utf-8")

    code, err = batch(april, reports, "--clean-reports")

    assert code == ExitCode.INVALID_INPUT
    assert (f"2 older reports in {reports} that this run did not write were kept, as 1 row was rejected: "
            "bob.md, cy.md. Fix the rows, then run again with --clean-reports.") in err
    assert (reports / "bob.md").is_file() and (reports / "cy.md").is_file()


def test_when_reading_stops_early_nothing_is_called_older_or_removed(tmp_path: Path) -> None:
    march, reports = tmp_path / "march.csv", tmp_path / "reports"
    march.write_text(MARCH, encoding="utf-8")
    assert batch(march, reports)[0] == 0
    cut = tmp_path / "april.json"
    cut.write_text('[{"id": "ann", "drink_freq": "weekly", "food_stress": "s2"}, {"id": "dan", "drink', encoding="utf-8")

    code, err = batch(cut, reports, "--clean-reports")

    assert code == ExitCode.INVALID_INPUT, err
    assert f"Older reports in {reports} were kept, as reading stopped early." in err
    assert sorted(os.listdir(reports)) == ["ann.md", "bob.md", "cy.md"]
    assert "older report" not in batch(cut, reports)[1]  # without the option: not listed either


@pytest.mark.parametrize("option", [["--clean-reports"], ["--report-style", "short"]])
def test_report_options_without_a_reports_folder_are_refused(tmp_path: Path, option: list[str]) -> None:
    source = tmp_path / "april.csv"
    source.write_text(APRIL, encoding="utf-8")
    result = run("batch", str(source), "--rules", str(MINI_RULES), *option)
    assert result.code == ExitCode.USAGE
    assert "only applies with --reports DIR" in result.err and result.out == ""


def test_short_reports_in_batch(tmp_path: Path) -> None:
    source, reports = tmp_path / "april.csv", tmp_path / "reports"
    source.write_text(APRIL, encoding="utf-8")
    code, err = batch(source, reports, "--report-style", "short", fmt="html")
    assert code == 0, err
    page = (reports / "ann.html").read_text(encoding="utf-8")
    assert '<body class="short">' in page and "What moved each score" not in page
    refused = run("batch", str(source), "--rules", str(MINI_RULES), "--reports", str(reports),
                  "--report-format", "json", "--report-style", "short")
    assert refused.code == ExitCode.USAGE
    assert "--report-style short applies to md and html reports, not json" in refused.err


@pytest.mark.parametrize(("fmt", "style"), [
    (ReportFormat.MARKDOWN, ReportStyle.FULL), (ReportFormat.MARKDOWN, ReportStyle.SHORT),
    (ReportFormat.HTML, ReportStyle.FULL), (ReportFormat.HTML, ReportStyle.SHORT),
    (ReportFormat.JSON, ReportStyle.FULL),
])
def test_every_report_is_recognised_and_a_cut_or_edited_one_is_not(fmt: ReportFormat, style: ReportStyle) -> None:
    data = render(flagged(), fmt, style=style).encode("utf-8")
    assert looks_like_report(fmt, data[:4096], data[-2048:])
    assert not looks_like_report(fmt, data[:4096], data[: len(data) // 2][-2048:])  # the end is missing
    assert not looks_like_report(fmt, b"my notes\n" + data[:4096], data[-2048:])  # something before it
    other = next(f for f in (ReportFormat.MARKDOWN, ReportFormat.HTML, ReportFormat.JSON) if f is not fmt)
    assert not looks_like_report(other, data[:4096], data[-2048:])
