"""The HTML report opened in a real browser: headless Chromium (Debian's ``chromium`` package).

Chromium loads the saved report from a file:// URL, as a person opening it would. The tests
read the DOM Chromium built (page text, the SVG chart and its bars), check that the page's
Content Security Policy blocked nothing of its own, and take a screenshot and a PDF print.
.ci/run installs Chromium when it is missing; only where it is not installed are these tests
skipped, with the reason in the pytest summary.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_samples import flagged

from gutcheck.render.html import render_html

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install -y chromium); the browser test cannot run",
)
QUIET_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0",
)


def chromium(tmp_path: Path, page: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with its own throw-away profile."""
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), *QUIET_FLAGS, f"--user-data-dir={profile}", *flags, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


class Dom(HTMLParser):
    """Text outside <style>, and the tags with attributes, of the DOM Chromium dumped."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._skip = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(flagged()), encoding="utf-8")
    return path


def test_chromium_shows_the_report_text_and_the_chart(report_file: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, report_file, "--dump-dom")
    dom = Dom(result.stdout)
    for expected in (
        "Gut-barrier self-check report", "See a clinician", "Have you seen blood in your stool?",
        "Overall risk-factor load (habits only)", "High · 81.1%", "Drinking", "83.3%",
        "Your first steps Within days: see a doctor about what you reported. Drink less.", "1. Drink less.",
        "For testing only. Not medical advice.",
    ):
        assert expected in dom.text, expected
    svgs = [attrs for tag, attrs in dom.tags if tag == "svg"]
    assert len(svgs) == 1 and svgs[0].get("role") == "img"
    bars = [a for tag, a in dom.tags if tag == "rect" and (a.get("class") or "").startswith("bar-")]
    assert len(bars) == 2
    assert not [tag for tag, _ in dom.tags if tag == "script"]


def test_chromium_applies_the_stylesheet_without_policy_violations(
    report_file: Path, tmp_path: Path
) -> None:
    result = chromium(tmp_path, report_file, "--dump-dom")
    assert "Content Security Policy" not in result.stderr
    assert "Failed to load" not in result.stderr and "ERR_" not in result.stderr


def test_chromium_screenshot_is_drawn_at_the_requested_size(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, report_file, f"--screenshot={shot}", "--window-size=1000,1400", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 1400)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes


def test_chromium_prints_the_report(report_file: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, report_file, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 1 <= pages <= 6, f"{pages} pages for a two-factor report"
