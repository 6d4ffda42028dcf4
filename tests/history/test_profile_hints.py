"""Hints that name a profile: quoted for the shell, "did you mean" for a near miss, and the
profiles that do hold assessments when the one asked for holds none."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from helpers import run
from rich.console import Console

from gutcheck.commands.quiz_run import QuizSettings
from gutcheck.engine.scoring import score
from gutcheck.errors import ExitCode
from gutcheck.history.store import History
from gutcheck.rulebook.loading import load_rules

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
CLIENTS = [f"client {number:02d}" for number in range(1, 41)] + ["Priya Raman"]


@pytest.fixture
def coach() -> None:
    """41 client profiles, as after a coach's `batch --save`; nothing under the default profile."""
    rules = load_rules(MINI)
    assessment = score(rules, {"drink_freq": "weekly"}, taken_at="2026-01-05T09:00:00+00:00")
    with History.open() as store:
        for name in CLIENTS:
            store.save(assessment, profile=name)


def last_command(text: str) -> list[str]:
    """The words of the command a message ends with, as a shell would split them."""
    command = text.strip().rsplit(": ", 1)[1].split(" (")[0]
    return shlex.split(command)


@pytest.mark.usefixtures("coach")
def test_plain_history_lists_the_profiles_that_hold_assessments() -> None:
    result = run("history")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert text.startswith("Nothing is saved under the default profile, but 41 other profiles hold "
                           "assessments: 'Priya Raman', 'client 01', 'client 02',")
    assert "'client 09' and 31 more. See one with: gutcheck history -p 'Priya Raman'" in text
    assert "'gutcheck profiles' lists them all with their dates" in text


@pytest.mark.usefixtures("coach")
def test_a_near_miss_gets_did_you_mean_and_a_command_that_pastes_whole() -> None:
    result = run("history", "-p", "Priya Ramen")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert text == ("No assessments are saved for profile 'Priya Ramen' (did you mean 'Priya Raman'?): "
                    "gutcheck history -p 'Priya Raman'")
    assert last_command(text) == ["gutcheck", "history", "-p", "Priya Raman"]


@pytest.mark.usefixtures("coach")
@pytest.mark.parametrize(("args", "command"), [
    (("compare", "-p", "priya raman"), ["gutcheck", "compare", "-p", "Priya Raman"]),
    (("report", "last", "-p", "Priya Ramen"), ["gutcheck", "report", "last", "-p", "Priya Raman"]),
])
def test_compare_and_report_name_the_profile_meant(args: tuple[str, ...], command: list[str]) -> None:
    result = run(*args)
    assert result.code == ExitCode.USAGE
    assert len(result.err.strip().splitlines()) == 1
    assert "(did you mean 'Priya Raman'?)" in result.err
    assert last_command(result.err) == command


@pytest.mark.usefixtures("coach")
def test_export_of_a_profile_that_holds_nothing_says_so_on_stderr() -> None:
    result = run("export", "-p", "Priya Ramen", "-f", "csv")
    assert result.code == 0
    assert result.err.startswith("Warning: No assessments are saved for profile 'Priya Ramen' (did you mean "
                                 "'Priya Raman'?)")
    assert last_command(result.err) == ["gutcheck", "export", "-f", "csv", "-p", "Priya Raman"]


@pytest.mark.usefixtures("coach")
def test_forget_of_an_unknown_profile_offers_the_closest() -> None:
    result = run("forget", "-p", "Priya Ramen", "--yes")
    assert result.code == 0
    assert "There is no profile 'Priya Ramen' (did you mean 'Priya Raman'?); nothing was deleted." in result.err


def test_with_nothing_saved_the_hint_saves_under_that_profile_quoted() -> None:
    lines = run("history", "-p", "Mary Ann").out.splitlines()
    assert " ".join(" ".join(lines[:-2]).split()) == (
        "No assessments are saved for profile 'Mary Ann' yet. Take the quiz under it, or score an "
        "answers file into it:")
    assert lines[-2:] == ["  gutcheck -p 'Mary Ann'", "  gutcheck score FILE -p 'Mary Ann'"]
    assert run("history").out.splitlines()[-2:] == ["  gutcheck", "  gutcheck score FILE --save"]


@pytest.mark.usefixtures("coach")
def test_on_a_narrow_terminal_the_command_stays_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = run("history", "-p", "priya raman").out.splitlines()
    assert "  gutcheck history -p 'Priya Raman'" in lines  # any case finds the profile meant
    assert "did you mean 'Priya Raman'?" in " ".join(" ".join(lines).split())


@pytest.mark.parametrize("profile", ["Mary Ann", "O'Brien", "anna", "default"])
def test_the_results_screen_and_the_resume_hint_quote_the_profile(profile: str) -> None:
    from gutcheck.render.terminal import results_view

    rules = load_rules()
    diet = {"diet_plant_meals": "one", "diet_fibre_kinds": ["fruit"], "diet_fermented": "rarely",
            "diet_processed": "several_a_day", "diet_added_sugar": "daily", "diet_polyphenols": "rarely"}
    assessment = score(rules, diet, taken_at="2026-01-05T09:00:00+00:00")
    saved_to = f"/data/history.sqlite3 as assessment #3 in profile {profile!r}"
    console = Console(width=300, no_color=True)
    with console.capture() as captured:
        console.print(results_view(assessment, saved_to=saved_to))
    line = next(line for line in captured.get().splitlines() if "more answer" in line)
    assert shlex.split(line.split("see them all with: ")[1]) == [
        "gutcheck", "report", "last", *(["--profile", profile] if profile != "default" else []), "--format", "md"]
    resume = QuizSettings(profile=profile, rules=Path("my rules.yaml")).resume_command()
    words = ["--profile", profile] if profile != "default" else []
    assert shlex.split(resume) == ["gutcheck", "--rules", "my rules.yaml", *words]
