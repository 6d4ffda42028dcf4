"""The HTML report opened in a real browser: headless Chromium (Debian's ``chromium`` package).

Chromium loads the saved report from a file:// URL, as a person opening it would. The tests
read the DOM Chromium built (page text, the SVG chart and its bars), check that the page's
Content Security Policy blocked nothing of its own, and take a screenshot and a PDF print; the
short report of the bundled rules is printed on A4 and Letter and its pages counted.
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
import yaml
from markupsafe import escape
from report_samples import WHEN, flagged

from gutcheck.engine.scoring import score
from gutcheck.render import ReportFormat, ReportStyle, render
from gutcheck.render.html import render_html, style_hash
from gutcheck.rulebook.loading import load_rules

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


EXAMPLE = yaml.safe_load((Path(__file__).parents[2] / "docs" / "example-answers.yaml").read_text(encoding="utf-8"))
PEOPLE = {
    "example answers": EXAMPLE,
    # an alarm symptom and a risk marker: the notice in full, with both of its parts
    "red flag": {**EXAMPLE, "blood_in_stool": "yes", "family_history": "yes"},
}
A4_POINTS = (595, 842)  # 210 x 297 mm
LETTER_POINTS = (612, 792)


def pdf_pages(data: bytes) -> list[tuple[int, int]]:
    """The size in points of each page object of a PDF (the /Pages tree nodes are not pages)."""
    pages = re.split(rb"/Type\s*/Page(?![a-zA-Z])", data)[1:]
    assert pages, "no page objects in the PDF"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "no page size in the PDF"
    width, height = (round(float(value)) for value in boxes[0])
    return [(width, height)] * len(pages)


def on_paper(html: str, paper: str) -> str:
    """The page as printed on ``paper``. Headless Chromium prints on Letter unless the page asks
    for a size, and the report leaves the size to the reader (their print dialog); so for A4 the
    stylesheet asks for it here, and the page's Content Security Policy is given its new hash."""
    if paper == "Letter":
        return html
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    sized = "@page { size: A4; }\n" + css.group(1)
    old_hash, new_hash = str(escape(style_hash(css.group(1)))), str(escape(style_hash(sized)))
    assert html.count(old_hash) == 1
    return html.replace(css.group(1), sized).replace(old_hash, new_hash)


def print_pages(tmp_path: Path, html: str, paper: str) -> list[tuple[int, int]]:
    """Print ``html`` on ``paper`` with headless Chromium; the size of each printed page."""
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(on_paper(html, paper), encoding="utf-8")
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    return pdf_pages(data)


@pytest.mark.parametrize(("person", "paper"), [
    ("example answers", "A4"), ("red flag", "A4"), ("example answers", "Letter"),
])
def test_the_short_report_prints_on_one_or_two_pages(tmp_path: Path, person: str, paper: str) -> None:
    assessment = score(load_rules(), PEOPLE[person], taken_at=WHEN)
    assert assessment.has_red_flags == (person == "red flag")
    html = render(assessment, ReportFormat.HTML, style=ReportStyle.SHORT)
    pages = print_pages(tmp_path, html, paper)
    assert set(pages) == {A4_POINTS if paper == "A4" else LETTER_POINTS}
    assert 1 <= len(pages) <= 2, f"the short report of the {person} printed on {len(pages)} {paper} pages"

