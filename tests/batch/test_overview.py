"""``gutcheck batch --overview``: one page for a coach, who to contact first before any statistics.

The page is checked as a coach would read it (the order of the contact list, the clients who
left a safety question blank, the counts per level against the CSV output, the rows not scored,
links to each client's report) and as a browser opens it: headless Chromium draws it and
requests nothing beyond the file itself (its network log is read, and shown to catch a page
that does load something), with every text from the export escaped.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import Result, run

from gutcheck.errors import ExitCode

EXPORT = Path(__file__).resolve().parents[1] / "data" / "batch" / "coach_export.csv"
CONTACTS = ["Uma Iyer", "Grace Liu", "Ben Carter", "Noah Brown", "Sven Larsen"]
CHROMIUM = shutil.which("chromium")
BROWSER_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
)


class Page(HTMLParser):
    """Rows of each section's table, the links, and every element's source-like attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.section = ""
        self.rows: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.sources: list[str] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.section = found.get("id") or ""
        if tag == "tr":
            self.rows.setdefault(self.section, []).append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        self.sources += [str(value) for name, value in attrs if name in ("src", "srcset", "data", "poster")]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[self.section][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def column(self, section: str, index: int) -> list[str]:
        return [row[index] for row in self.rows.get(section, [])[1:]]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path, list[dict[str, Any]]]:
    """The export run with --overview (HTML), --reports and JSON Lines records."""
    folder = tmp_path_factory.mktemp("overview")
    overview, reports = folder / "overview.html", folder / "reports"
    result = run("batch", str(EXPORT), "--overview", str(overview), "--reports", str(reports),
                 "--report-format", "html", "--format", "jsonl")
    records = [json.loads(line) for line in result.out.splitlines()]
    return result, overview, reports, records


def test_the_page_lists_clients_to_contact_by_urgency_before_anything_else(outputs: Any) -> None:
    result, overview, _, _ = outputs
    page = Page(overview.read_text(encoding="utf-8"))
    assert result.code == ExitCode.INVALID_INPUT  # one row was rejected; the page is written all the same
    assert f"Overview written to {overview}" in result.err
    assert next(iter(page.rows)) == "contacts"  # first, before the statistics
    assert page.column("contacts", 0) == CONTACTS
    assert page.column("contacts", 2)[:2] == ["emergency: get help now", "same day: contact a doctor today"]
    assert page.column("contacts", 1)[-1] == (
        "A close relative with bowel cancer, IBD or coeliac disease (risk marker, not a symptom)")


def test_the_page_names_who_left_a_safety_question_blank(outputs: Any) -> None:
    _, overview, _, _ = outputs
    page = Page(overview.read_text(encoding="utf-8"))
    assert page.column("unanswered", 0) == ["Ines Duarte", "Theo Dubois"]
    assert page.column("unanswered", 1) == ["Bleeding from the back passage", "Belly pain or diarrhoea that wakes you"]


def test_the_counts_per_level_are_those_of_the_records(outputs: Any) -> None:
    _, overview, _, records = outputs
    html = overview.read_text(encoding="utf-8")
    levels = Counter(r["overall"]["level"] for r in records)
    caption = "Clients per overall level: " + "; ".join(f"{level} {levels[level]}" for level in ("low", "moderate", "high"))
    assert caption + "." in html
    alcohol = Counter(r["factors"]["alcohol"]["level"] for r in records)
    assert "Alcohol: " + "; ".join(f"{level} {alcohol[level]}" for level in ("low", "moderate", "high")) + "." in html
    tops = Counter(r["top_factor"] for r in records)
    assert f"Alcohol: {tops['alcohol']} clients" in html


def test_the_page_says_what_was_not_scored_and_by_which_rules(outputs: Any) -> None:
    _, overview, _, _ = outputs
    html = overview.read_text(encoding="utf-8")
    page = Page(html)
    assert page.column("rejected", 0) == ["row 25 (Marek Nowak)"]
    assert "&#39;Moderatly&#39; is not one of" in html
    assert "gut-barrier 2026.12.0" in html and "39 clients scored, 1 rejected, 41 rows read." in html


def test_each_contact_links_to_their_report_beside_it(outputs: Any) -> None:
    _, overview, _, _ = outputs
    page = Page(overview.read_text(encoding="utf-8"))
    assert len(page.links) == len(CONTACTS) + 2
    for link in page.links:
        assert link.startswith("reports/") and (overview.parent / link).is_file(), link
    assert not page.sources and "script" not in page.tags


def test_every_text_is_escaped(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("id,blood_in_stool,age_band\n<img src=x onerror=alert(1)>,yes,60 or over\n", encoding="utf-8")
    overview = tmp_path / "o.html"
    run("batch", str(hostile), "--overview", str(overview))
    html = overview.read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_markdown_overview_has_the_same_order(tmp_path: Path) -> None:
    overview = tmp_path / "overview.md"
    run("batch", str(EXPORT), "--overview", str(overview))
    text = overview.read_text(encoding="utf-8")
    positions = [text.index(f"| {name} |") for name in CONTACTS]
    assert positions == sorted(positions)
    assert text.index("## Clients to contact") < text.index("## Clients who left a safety question blank") < (
        text.index("## Overall level"))


def test_an_overview_that_is_not_html_or_markdown_is_refused_before_reading(tmp_path: Path) -> None:
    result = run("batch", str(EXPORT), "--overview", str(tmp_path / "overview.pdf"))
    assert result.code == ExitCode.USAGE and result.out == ""
    assert "name the --overview file .html (a page to open or print) or .md" in result.err


def test_with_save_the_page_shows_each_clients_change_since_last_month(tmp_path: Path) -> None:
    march = tmp_path / "march.csv"
    april = tmp_path / "april.csv"
    header = "Name,Timestamp,blood_in_stool,alcohol_frequency,stress_level\n"
    march.write_text(header + "Ann,2026-03-01 09:00,no,4 or more times a week,Very\n"
                     "Bob,2026-03-01 10:00,no,Never,A little\nCy,2026-03-02 11:00,no,Never,Very\n", encoding="utf-8")
    april.write_text(header + "Ann,2026-04-01 09:00,no,Never,A little\n"
                     "Bob,2026-04-01 10:00,no,4 or more times a week,Very\nDee,2026-04-02 11:00,no,Never,Not at all\n",
                     encoding="utf-8")
    run("batch", str(march), "--save", "--time-column", "Timestamp")
    overview = tmp_path / "april.html"
    result = run("batch", str(april), "--save", "--time-column", "Timestamp", "--overview", str(overview))
    assert result.code == 0, result.err
    page = Page(overview.read_text(encoding="utf-8"))
    changes = dict(zip(page.column("changes", 0), page.column("changes", 1), strict=True))
    assert changes == {"Ann": "less load", "Bob": "more load", "Dee": "first assessment", "Cy": "not in this run"}


# -- in a real browser --------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium); the browser test cannot run")


def requests_from_the_page(tmp_path: Path, page: Path) -> list[str]:
    """Every address the page itself asked for, read from Chromium's network log (Chromium's own
    background requests are told apart by their network isolation key, which is not the file's)."""
    log = tmp_path / "net.json"
    subprocess.run([str(CHROMIUM), *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={log}",
                    "--virtual-time-budget=3000", f"--screenshot={tmp_path / 'shot.png'}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    events = json.loads(log.read_text(encoding="utf-8"))["events"]
    return [e["params"]["url"] for e in events if "url" in e.get("params", {})
            and str(e["params"].get("network_isolation_key", "")).startswith("file://")
            and not e["params"]["url"].startswith("file:")]


@needs_chromium
def test_chromium_requests_nothing_beyond_the_file(outputs: Any, tmp_path: Path) -> None:
    _, overview, _, _ = outputs
    loading = tmp_path / "loading.html"  # the check itself catches a page that loads something
    loading.write_text('<!DOCTYPE html><img src="http://198.51.100.7/pixel.png">', encoding="utf-8")
    assert requests_from_the_page(tmp_path / "a", loading) == ["http://198.51.100.7/pixel.png"]
    assert requests_from_the_page(tmp_path / "b", overview) == []


@needs_chromium
def test_chromium_draws_the_page_with_the_contacts_first(outputs: Any, tmp_path: Path) -> None:
    _, overview, _, _ = outputs
    flags = (*BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}")
    dom = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", overview.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True)
    page = Page(dom.stdout)
    assert page.column("contacts", 0) == CONTACTS and "Content Security Policy" not in dom.stderr
    shot = tmp_path / "overview.png"
    subprocess.run([str(CHROMIUM), *flags, "--window-size=1000,1400", f"--screenshot={shot}", overview.as_uri()],
                   capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1000, 1400)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes
