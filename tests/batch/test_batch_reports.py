"""``gutcheck batch --reports`` and ``--save``: one file or one history profile per client, safely."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from helpers import run

from gutcheck.errors import ExitCode
from gutcheck.files.safe_names import ReportNames, safe_stem

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
BATCH = ROOT / "tests" / "data" / "batch"

HOSTILE_IDS = [
    "../../x", "..", ".hidden", "", "dup", "dup", "DUP", "CON", "con.txt", "LPT1", "a" * 300,
    "a" * 299 + "b", "zoë", "zoe\u0308", "Ünïcødé 名前", "a/b", "a\\b", "a?b", "x\ty", "-rf", "~", "/etc/passwd",
    "NUL ", "what:ever*<>|\"", "\u202eevil",
]


def write_ids(path: Path, ids: list[str]) -> None:
    """A CSV with one client per id, everyone answering the same."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "drink_freq", "food_stress"])
        for client in ids:
            writer.writerow([client, "weekly", "s2"])


def test_hostile_ids_give_safe_distinct_names_inside_the_reports_folder(tmp_path: Path) -> None:
    source, reports = tmp_path / "clients.csv", tmp_path / "out" / "reports"
    write_ids(source, HOSTILE_IDS)
    before = set(tmp_path.rglob("*")) - set(reports.rglob("*"))

    result = run("batch", str(source), "--rules", str(MINI), "--reports", str(reports),
                 "--report-format", "json", "--duplicates", "all")  # every row, the same id twice too

    assert result.code == 0, result.err
    names = sorted(os.listdir(reports))
    assert len(names) == len(HOSTILE_IDS)
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert name.endswith(".json") and not name.startswith((".", "-"))
        assert "/" not in name and "\\" not in name and len(name.encode()) <= 255
        assert name.split(".")[0].casefold() not in {"con", "nul", "lpt1", "prn", "aux"}
        assert (reports / name).is_file()
    after = set(tmp_path.rglob("*")) - set(reports.rglob("*"))
    assert after - before == {tmp_path / "out", reports}  # nothing written outside the folder


def test_each_report_belongs_to_its_client(tmp_path: Path) -> None:
    source, reports = tmp_path / "clients.csv", tmp_path / "reports"
    write_ids(source, HOSTILE_IDS)

    run("batch", str(source), "--rules", str(MINI), "--reports", str(reports), "--report-format", "json",
        "--duplicates", "all")

    clients = sorted(json.loads(p.read_text(encoding="utf-8"))["client"] for p in reports.iterdir())
    expected = sorted(client.strip() or f"row {row}" for row, client in enumerate(HOSTILE_IDS, start=2))
    assert clients == expected


def test_rerun_replaces_reports_instead_of_adding_copies(tmp_path: Path) -> None:
    source, reports = tmp_path / "clients.csv", tmp_path / "reports"
    write_ids(source, ["ann", "ann", "bob"])

    for _ in range(2):
        run("batch", str(source), "--rules", str(MINI), "--reports", str(reports), "--report-format", "json",
            "--duplicates", "all")

    assert sorted(os.listdir(reports)) == ["ann-2.json", "ann.json", "bob.json"]


def test_a_client_on_two_rows_gets_one_report_from_the_latest_row(tmp_path: Path) -> None:
    source, reports = tmp_path / "clients.csv", tmp_path / "reports"
    source.write_text("id,drink_freq\nAnn,never\nbob,never\nAnn ,daily\n", encoding="utf-8")

    result = run("batch", str(source), "--rules", str(MINI), "--reports", str(reports), "--report-format", "json")

    assert result.code == 0, result.err
    assert sorted(os.listdir(reports)) == ["Ann.json", "bob.json"]
    kept = json.loads((reports / "Ann.json").read_text(encoding="utf-8"))
    assert kept["answers"][0]["value"] == "daily"
    assert "'Ann' (rows 2 and 4; the latest is row 4)" in result.err
    assert "2 scored, 0 rejected, 1 left out" in result.err and "3 rows read" in result.err


@pytest.mark.parametrize(("fmt", "needle"), [("md", "# "), ("html", "<html")])
def test_markdown_and_html_reports(tmp_path: Path, fmt: str, needle: str) -> None:
    reports = tmp_path / "reports"

    result = run("batch", str(BATCH / "google_forms.csv"), "--rules", str(MINI), "--reports",
                 str(reports), "--report-format", fmt)

    assert result.code == 0, result.err
    files = sorted(reports.iterdir())
    assert [p.name for p in files] == [f"{c}@example.com.{fmt}" for c in ("ann", "bob", "cat", "dan")]
    cat = files[2].read_text(encoding="utf-8")
    assert needle in cat and "cat@example.com" in cat
    assert "4 reports written to" in result.err


def test_html_report_escapes_a_hostile_client_id(tmp_path: Path) -> None:
    source, reports = tmp_path / "clients.csv", tmp_path / "reports"
    write_ids(source, ["<script>alert(1)</script>"])

    run("batch", str(source), "--rules", str(MINI), "--reports", str(reports), "--report-format", "html")

    (page,) = reports.iterdir()
    assert page.name == "script-alert-1-script.html"
    assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8")


def test_reports_folder_that_cannot_be_made_is_refused_before_reading(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")

    result = run("batch", str(BATCH / "google_forms.csv"), "--rules", str(MINI), "--reports",
                 str(blocker / "reports"))

    assert result.code == ExitCode.USAGE
    assert "cannot create the reports folder" in result.err
    assert result.out == ""


def test_save_stores_each_client_under_its_own_profile(tmp_path: Path) -> None:
    from gutcheck.history.store import History

    result = run("batch", str(BATCH / "google_forms.csv"), "--rules", str(MINI), "--save")

    assert result.code == 0, result.err
    assert "Saved 4 assessments" in result.err
    with History.open() as store:
        assert sorted(store.profiles()) == [f"{c}@example.com" for c in ("ann", "bob", "cat", "dan")]
        cat = store.get("last", profile="cat@example.com")
    assert cat.client == "cat@example.com" and [f.id for f in cat.red_flags] == ["blood"]


def test_save_rejects_rows_without_a_client_id(tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    source.write_text("id,drink_freq\nann,weekly\n,daily\n", encoding="utf-8")

    result = run("batch", str(source), "--rules", str(MINI), "--save", "--format", "csv")

    assert result.code == ExitCode.INVALID_INPUT
    assert "row 3, column 'id': no client id to save the assessment under" in result.err
    assert "1 scored, 1 rejected, 2 rows read" in result.err


def test_save_needs_an_id_column(tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    source.write_text("drink_freq\nweekly\n", encoding="utf-8")

    result = run("batch", str(source), "--rules", str(MINI), "--save")

    assert result.code == ExitCode.INVALID_INPUT
    assert "no id column" in result.err and len(result.err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- the names themselves


@pytest.mark.parametrize(
    ("client", "stem"),
    [
        ("../../x", "x"), ("", "client"), ("   ", "client"), ("CON", "client-CON"),
        ("con.txt", "client-con.txt"), ("Ann Smith", "Ann-Smith"), ("ann@example.com", "ann@example.com"),
        ("zoë", "zoë"), ("zoe\u0308", "zoë"), ("a/b\\c", "a-b-c"), ("...", "client"), ("COM¹", "client-COM¹"),
    ],
)
def test_safe_stem(client: str, stem: str) -> None:
    assert safe_stem(client) == stem


def test_long_ids_are_cut_with_a_hash_that_keeps_them_apart() -> None:
    first, second = safe_stem("a" * 300), safe_stem("a" * 299 + "b")

    assert first != second
    assert len(first) <= 80 and first.startswith("a" * 60)
    assert len(safe_stem("é" * 300).encode("utf-8")) <= 180


def test_report_names_never_collide_even_ignoring_case() -> None:
    names = ReportNames("md")

    given = [names.name_for(c) for c in ("Ann", "ann", "ANN", "a/nn", "a?nn", "ann-2", "Ann")]

    assert given == ["Ann.md", "ann-2.md", "ANN-3.md", "a-nn.md", "a-nn-2.md", "ann-2-2.md", "Ann-4.md"]
    assert len({g.casefold() for g in given}) == len(given)
