"""A QuestionnaireResponse's `authored` is the assessment's date: in the result, its Bundle and the
history, for `score` and `batch` alike; a response without one is dated when it is scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run
from test_fhir_response import MINI, response, write

from gutcheck.errors import ExitCode
from gutcheck.interop.authored import authored_time

NOW = "2026-01-31T09:00:00+00:00"  # GUTCHECK_NOW in every test (conftest)


def bundle_times(bundle: dict) -> set[str]:
    """Every time a Bundle gives: its timestamp, the response's authored, each effectiveDateTime."""
    times = {bundle["timestamp"]}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        times.add(resource.get("authored") or resource.get("effectiveDateTime"))
    return times


def test_score_dates_the_assessment_by_authored_in_json_bundle_and_history(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", response(authored="2026-03-14T10:30:00+01:00"))
    result = run("score", path, "--rules", MINI, "-f", "json", "--profile", "anna")
    assert result.code == 0, result.err
    assert json.loads(result.out)["taken_at"] == "2026-03-14T10:30:00+01:00"
    fhir = run("score", path, "--rules", MINI, "-f", "fhir")
    assert bundle_times(json.loads(fhir.out)) == {"2026-03-14T10:30:00+01:00"}
    history = json.loads(run("history", "-p", "anna", "-f", "json").out)
    assert [a["taken_at"] for a in history["assessments"]] == ["2026-03-14T09:30:00Z"]


def test_a_response_without_authored_is_dated_when_scored(tmp_path: Path) -> None:
    result = run("score", write(tmp_path, "r.json", response()), "--rules", MINI, "-f", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["taken_at"] == NOW


def test_a_scored_bundle_scores_again_to_the_same_assessment_time_included(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", response(authored="2026-02-01T08:00:00Z"))
    first = json.loads(run("score", path, "--rules", MINI, "-f", "json").out)
    bundle = write(tmp_path, "b.json", run("score", path, "--rules", MINI, "-f", "fhir").out)
    again = json.loads(run("score", bundle, "--rules", MINI, "-f", "json").out)
    assert again == first and again["taken_at"] == "2026-02-01T08:00:00+00:00"


def test_batch_dates_each_client_by_their_own_response(tmp_path: Path) -> None:
    lines = [response(authored="2026-03-02T18:05:00Z", identifier={"value": "Priya Raman"}),
             response(authored="2026-04-01", identifier={"value": "José Núñez"}),
             response(identifier={"value": "Wang Xiuying"})]
    path = write(tmp_path, "responses.ndjson", "".join(json.dumps(line) + "\n" for line in lines))
    reports = tmp_path / "reports"
    result = run("batch", path, "--rules", MINI, "--save", "-f", "fhir", "--reports", str(reports),
                 "--report-format", "json")
    assert result.code == 0, result.err
    bundles = [json.loads(line) for line in result.out.splitlines()]
    assert [bundle_times(b) for b in bundles] == [
        {"2026-03-02T18:05:00+00:00"}, {"2026-04-01T00:00:00+00:00"}, {NOW}]
    saved = {name: json.loads(run("history", "-p", name, "-f", "json").out)["assessments"][0]["taken_at"]
             for name in ("Priya Raman", "José Núñez", "Wang Xiuying")}
    assert saved == {"Priya Raman": "2026-03-02T18:05:00Z", "José Núñez": "2026-04-01T00:00:00Z",
                     "Wang Xiuying": "2026-01-31T09:00:00Z"}
    report = json.loads((reports / "Priya-Raman.json").read_text(encoding="utf-8"))
    assert report["taken_at"] == "2026-03-02T18:05:00+00:00"


@pytest.mark.parametrize(("zone", "day", "expected"), [
    ("UTC", "2026-03-14", "2026-03-14T00:00:00+00:00"),
    ("Asia/Tokyo", "2026-03-14", "2026-03-14T00:00:00+09:00"),
    ("America/New_York", "2026-07-01", "2026-07-01T00:00:00-04:00"),  # summer time on that day
])
def test_a_date_alone_is_midnight_of_that_day_where_it_is_read(
    monkeypatch: pytest.MonkeyPatch, zone: str, day: str, expected: str
) -> None:
    monkeypatch.setenv("TZ", zone)
    assert authored_time(day) == (expected, None)


@pytest.mark.parametrize(("authored", "why"), [
    ("2026-03", "'2026-03' gives no day; give the full date the form was filled in (YYYY-MM-DD)"),
    ("2026-03-14T10:30:00", "'2026-03-14T10:30:00' has a time but no time zone; add one, such as Z or +01:00"),
    ("2026-02-30", "'2026-02-30' is not a real date and time; correct it"),
    ("14/03/2026", "'14/03/2026' is not a FHIR date and time; give one such as 2026-03-14T10:30:00+01:00"),
    (20260314, "20260314 is not a date and time; give one such as 2026-03-14T10:30:00+01:00"),
])
def test_an_authored_that_is_not_a_day_and_time_rejects_the_response_saying_why(
    tmp_path: Path, authored: object, why: str
) -> None:
    path = write(tmp_path, "r.json", response(authored=authored))
    alone = run("score", path, "--rules", MINI, "-f", "json")
    assert alone.code == ExitCode.INVALID_INPUT
    assert f"r.json, authored: {why}" in alone.err
    lines = [response(authored=authored), response(authored="2026-03-14")]
    many = run("batch", write(tmp_path, "r.ndjson", "".join(json.dumps(r) + "\n" for r in lines)), "--rules", MINI)
    assert many.code == ExitCode.INVALID_INPUT
    assert f"line 1, authored: {why}" in many.err
    assert "1 scored, 1 rejected, 2 rows read" in many.err


def test_fractions_of_a_second_and_offsets_are_kept() -> None:
    assert authored_time("2026-03-14T10:30:00.123456789+05:30") == ("2026-03-14T10:30:00.123456+05:30", None)
    assert authored_time(" 2026-03-14T10:30:00.5-03:00 ") == ("2026-03-14T10:30:00.500000-03:00", None)
    assert authored_time(None) == (None, None)
