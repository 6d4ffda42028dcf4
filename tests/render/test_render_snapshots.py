"""Snapshot tests: each report format of two fixed assessments, compared byte for byte.

The assessments come from tests/report_samples.py (mini rules, fixed answers, fixed clock).
The expected outputs live in tests/snapshots/<sample>.<ext>. A change to a renderer that
alters a report fails here until the snapshots are updated deliberately:

    GUTCHECK_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/render/test_render_snapshots.py

That run rewrites the files (and reports each as skipped with "updated"); review the diff
with ``git diff tests/snapshots`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_samples import SAMPLES

from gutcheck.render import STYLED_FORMATS, ReportFormat, ReportStyle, render

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
UPDATE_ENV = "GUTCHECK_UPDATE_SNAPSHOTS"
EXTENSIONS = {
    ReportFormat.MARKDOWN: "md",
    ReportFormat.HTML: "html",
    ReportFormat.JSON: "json",
    ReportFormat.TEXT: "txt",
    ReportFormat.FHIR: "fhir.json",
}


def test_every_report_format_has_snapshots() -> None:
    assert set(EXTENSIONS) == set(ReportFormat)


@pytest.mark.parametrize("fmt", list(EXTENSIONS), ids=lambda fmt: fmt.value)
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_report_matches_its_snapshot(sample: str, fmt: ReportFormat) -> None:
    actual = render(SAMPLES[sample](), fmt)
    path = SNAPSHOTS / f"{sample}.{EXTENSIONS[fmt]}"
    if os.environ.get(UPDATE_ENV) == "1":
        path.write_text(actual, encoding="utf-8", newline="")
        pytest.skip(f"updated {path.name}")
    assert path.exists(), f"no snapshot {path.name}; create it with {UPDATE_ENV}=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs; if the change is intended, rerun with {UPDATE_ENV}=1"


@pytest.mark.parametrize("fmt", sorted(STYLED_FORMATS, key=lambda fmt: fmt.value), ids=lambda fmt: fmt.value)
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_short_report_matches_its_snapshot(sample: str, fmt: ReportFormat) -> None:
    """The short style of the md and html reports: tests/snapshots/<sample>.short.<ext>."""
    actual = render(SAMPLES[sample](), fmt, style=ReportStyle.SHORT)
    path = SNAPSHOTS / f"{sample}.short.{EXTENSIONS[fmt]}"
    if os.environ.get(UPDATE_ENV) == "1":
        path.write_text(actual, encoding="utf-8", newline="")
        pytest.skip(f"updated {path.name}")
    assert path.exists(), f"no snapshot {path.name}; create it with {UPDATE_ENV}=1 and review it"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs; if intended, rerun with {UPDATE_ENV}=1"


def test_reports_do_not_depend_on_the_wall_clock_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = {fmt: render(SAMPLES["flagged"](), fmt) for fmt in EXTENSIONS}
    monkeypatch.setenv("GUTCHECK_NOW", "2030-06-01T12:00:00+00:00")
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.delenv("NO_COLOR", raising=False)
    second = {fmt: render(SAMPLES["flagged"](), fmt) for fmt in EXTENSIONS}
    assert first == second
