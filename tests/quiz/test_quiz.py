"""The interactive quiz driven in-process through questionary with prompt_toolkit pipe input.

Every key a person would press is sent up front and the pipe is closed, so a prompt that waits
for a key nobody sent ends with EOFError instead of hanging the test run.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from gutcheck.answers.parse import SKIP
from gutcheck.commands.quiz_run import Outcome, QuizSettings, run_session
from gutcheck.engine.scoring import score, score_parsed
from gutcheck.errors import ExitCode, Interrupted, StorageError, UsageError
from gutcheck.history.store import History, database_path
from gutcheck.quiz.drafts import Drafts, restore_answers
from gutcheck.quiz.flow import take_quiz
from gutcheck.quiz.questionary_prompter import BACK_LABEL, QuestionaryPrompter, build_prompt
from gutcheck.quiz.steps import INPUT_ENDED, Step, problem_with
from gutcheck.rulebook.model import RuleBase

DOWN, UP, LEFT, ENTER, SPACE = "\x1b[B", "\x1b[A", "\x1b[D", "\r", " "
CTRL_C, CTRL_D, CTRL_U, BACKSPACE = "\x03", "\x04", "\x15", "\x7f"
WHEN = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)

CONTINUE = "y"  # the welcome's "Continue?" (a confirm prompt takes y at once)
# A safety question starts on a neutral "(choose Yes or No)" entry, so Yes is one step down.
YES, NO = DOWN + ENTER, DOWN + DOWN + ENTER
NO_FLAGS = [NO, NO]  # blood: No, weight_loss: No
WEEKLY_FOUR_BINGE = [DOWN + ENTER, "4" + ENTER, ENTER]  # weekly, 4 drinks, binge: Yes
VEG_AND_BEANS = SPACE + DOWN + SPACE + ENTER
A_LOT = DOWN + DOWN + ENTER
NEVER = ENTER  # drink_freq asked the first time: the pointer starts on Never


class Session:
    """One quiz run: the console text the person saw, and the outcome."""

    def __init__(self) -> None:
        self.screen = io.StringIO()
        self.outcome: Outcome | None = None

    @property
    def text(self) -> str:
        """Everything printed around the prompts (headings, progress lines, notices)."""
        return self.screen.getvalue()


@contextmanager
def keyboard(*keys: str) -> Iterator[None]:
    """A prompt_toolkit session fed ``keys``; input ends after the last one."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        yield


def take(rules: RuleBase, *keys: str, prefill: dict[str, Any] | None = None,
         **settings: Any) -> Session:
    """Run the quiz session on ``rules`` with ``keys``; the outcome lands in the result."""
    session = Session()
    prompter = QuestionaryPrompter(session.screen)
    with keyboard(*keys):
        session.outcome = run_session(
            QuizSettings(**settings), rules, prompter, clock=lambda: WHEN, prefill=prefill
        )
    return session


def answers_of(outcome: Outcome | None) -> dict[str, Any]:
    assert outcome is not None
    return {record.question: record.value for record in outcome.assessment.answers}


def draft(rules: RuleBase, profile: str = "default") -> Any:
    with History.open() as store:
        return store.load_draft(f"{profile}:{rules.id}")


# -- a whole quiz ------------------------------------------------------------------------------


def test_full_run_scores_exactly_like_score_and_is_saved(mini_rules: RuleBase) -> None:
    session = take(mini_rules, CONTINUE, *NO_FLAGS, *WEEKLY_FOUR_BINGE, VEG_AND_BEANS, A_LOT)
    outcome = session.outcome
    assert outcome is not None
    same_answers_from_a_file = {
        "blood": "no", "weight_loss": "No", "drink_freq": "Weekly", "drink_amount": "4",
        "drink_binge": "yes", "food_fibre": "Vegetables; Beans", "food_stress": "A lot",
    }
    expected = score(mini_rules, same_answers_from_a_file, taken_at=WHEN)
    assert outcome.assessment.to_dict() == expected.to_dict()
    with History.open() as store:
        assert store.get("last").to_dict() == expected.to_dict()
        assert outcome.saved_to is not None and store.location in outcome.saved_to
    assert draft(mini_rules) is None  # a finished quiz leaves no draft behind


def test_welcome_shows_the_disclaimer_and_progress_counts_shown_questions(
    mini_rules: RuleBase,
) -> None:
    session = take(mini_rules, CONTINUE, *NO_FLAGS, NEVER, SPACE + ENTER, ENTER)
    assert mini_rules.disclaimer in session.text
    lines = [line for line in session.text.splitlines() if line.startswith("Question ")]
    assert lines == [
        "Question 1 of 5 to 7 · Safety questions",  # two drinking follow-ups may appear
        "Question 2 of 5 to 7 · Safety questions",
        "Question 3 of 5 to 7 · Drinking",
        "Question 4 of 5 · Food",  # 'Never' settled it: no follow-up can appear any more
        "Question 5 of 5 · Food",
    ]
    assert answers_of(session.outcome)["drink_freq"] == "never"


def test_declining_to_continue_saves_nothing(mini_rules: RuleBase, gutcheck_home: Path) -> None:
    session = take(mini_rules, "n")
    assert session.outcome is None
    assert draft(mini_rules) is None


# -- back navigation ---------------------------------------------------------------------------


def test_going_back_and_changing_an_answer_drops_the_questions_it_hides(
    mini_rules: RuleBase,
) -> None:
    back_to_frequency = LEFT + LEFT + LEFT + LEFT  # fibre -> binge -> amount (2 keys) -> freq
    session = take(
        mini_rules, CONTINUE, *NO_FLAGS, *WEEKLY_FOUR_BINGE,
        back_to_frequency, UP + ENTER,  # the pointer starts on Weekly; Never is above it
        SPACE + ENTER, ENTER,
    )
    answers = answers_of(session.outcome)
    assert answers["drink_freq"] == "never"
    assert "drink_amount" not in answers and "drink_binge" not in answers
    assert session.text.count("Question 3 of") == 2  # frequency was asked twice
    assert "Question 4 of 5 · Food" in session.text  # the count shrank with the hidden ones


def test_back_keeps_the_previous_answer_as_default(mini_rules: RuleBase) -> None:
    session = take(
        mini_rules, CONTINUE, *NO_FLAGS, *WEEKLY_FOUR_BINGE,
        LEFT,  # at the fibre question: back to binge, where Yes is still chosen
        LEFT,  # back to the amount, whose line still holds "4" with the cursor after it
        LEFT + "1" + ENTER,  # ← only moves the cursor while editing: "1" lands before the 4
        ENTER,  # binge: Enter keeps Yes
        VEG_AND_BEANS, A_LOT,
    )
    answers = answers_of(session.outcome)
    assert (answers["drink_freq"], answers["drink_amount"], answers["drink_binge"]) == (
        "weekly", 14.0, True)
    progress = [line.split(" · ")[0] for line in session.text.splitlines()
                if line.startswith("Question ")]
    assert progress == [
        "Question 1 of 5 to 7", "Question 2 of 5 to 7", "Question 3 of 5 to 7", "Question 4 of 6 to 7",
        "Question 5 of 7", "Question 6 of 7", "Question 5 of 7", "Question 4 of 7",
        "Question 5 of 7", "Question 6 of 7", "Question 7 of 7",
    ]


def test_the_back_choice_returns_to_the_previous_question(mini_rules: RuleBase) -> None:
    back_choice = DOWN * 3 + ENTER  # (choose), Yes, No, ← Back (the separator is skipped)
    yes_instead = UP + ENTER  # the pointer starts on the earlier answer, No
    session = take(mini_rules, CONTINUE, NO, back_choice, yes_instead, NO,
                   NEVER, SPACE + ENTER, ENTER)
    answers = answers_of(session.outcome)
    assert answers["blood"] is True  # re-answered Yes after going back
    assert [line for line in session.text.splitlines() if line.startswith("Question")][:3] == [
        "Question 1 of 5 to 7 · Safety questions",
        "Question 2 of 5 to 7 · Safety questions",
        "Question 1 of 5 to 7 · Safety questions",
    ]


def test_there_is_no_back_on_the_first_question(mini_rules: RuleBase) -> None:
    first = Step(mini_rules.questions[0], 0, 1, 5, "Safety questions")
    second = Step(mini_rules.questions[1], 1, 2, 5, "Safety questions", can_go_back=True)
    assert BACK_LABEL not in _choice_titles(first) and BACK_LABEL in _choice_titles(second)


def _choice_titles(step: Step) -> list[str]:
    from questionary.prompts.common import InquirerControl

    prompt = build_prompt(step)
    controls = [w.content for w in prompt.application.layout.find_all_windows()]
    control = next(c for c in controls if isinstance(c, InquirerControl))
    return [str(choice.title) for choice in control.choices]


# -- validation: numbers and multi-select ---------------------------------------------------------


def test_an_invalid_number_is_refused_and_asked_again(mini_rules: RuleBase) -> None:
    amount = mini_rules.by_id["drink_amount"]
    assert problem_with(amount, "lots") == "'lots' is not a number."
    assert "is not a whole number from 0 to 40" in (problem_with(amount, "50") or "")
    assert problem_with(amount, "2,5") == "2.5 is not a whole number."
    assert problem_with(amount, " ") == "Please type a whole number from 0 to 40 drinks."
    fix_it = UP + BACKSPACE + ",0"  # the line starts empty; ↑ brings "50" back: "5,0"
    session = take(mini_rules, CONTINUE, *NO_FLAGS, DOWN + ENTER,
                   "lots" + ENTER, "50" + ENTER, fix_it + ENTER,
                   DOWN + ENTER, VEG_AND_BEANS, A_LOT)
    assert "'lots' is not a number. Please try again." in session.text
    assert "50 is not a whole number from 0 to 40 drinks. Please try again." in session.text
    answers = answers_of(session.outcome)
    assert answers["drink_amount"] == 5.0  # decimal comma accepted
    assert answers["drink_binge"] is False
    assert session.text.count("Question 4 of 6 to 7 · Drinking") == 3  # asked until a number fitted


def test_multi_select_enforces_its_limits_and_exclusive_option(mini_rules: RuleBase) -> None:
    fibre = mini_rules.by_id["food_fibre"]
    assert problem_with(fibre, []) == "Pick at least 1."
    assert problem_with(fibre, ["veg", "beans", "sweets", "fried"]) == "Pick at most 3."
    assert problem_with(fibre, ["veg", "none"]) == (
        "'None of these' cannot be combined with other choices.")
    assert problem_with(fibre, ["veg", SKIP]) == (
        "'Prefer not to say' cannot be combined with other choices.")
    four = (SPACE + DOWN) * 4
    untick_fried = DOWN * 3 + SPACE  # asked again with the four ticked, pointer at the top
    session = take(mini_rules, CONTINUE, *NO_FLAGS, NEVER,
                   ENTER, four + ENTER, untick_fried + ENTER, ENTER)
    assert "Pick at least 1. Please try again." in session.text
    assert "Pick at most 3. Please try again." in session.text
    assert answers_of(session.outcome)["food_fibre"] == ["veg", "beans", "sweets"]

    veg_and_none = SPACE + DOWN * 4 + SPACE
    untick_veg = SPACE
    session = take(mini_rules, CONTINUE, *NO_FLAGS, NEVER,
                   veg_and_none + ENTER, untick_veg + ENTER, ENTER)
    assert "'None of these' cannot be combined with other choices. Please try again." in (
        session.text)
    assert answers_of(session.outcome)["food_fibre"] == ["none"]


def test_prefer_not_to_say_is_offered_where_allowed(mini_rules: RuleBase) -> None:
    skip = DOWN * 3 + ENTER  # Never, Weekly, Daily, Prefer not to say
    session = take(mini_rules, CONTINUE, *NO_FLAGS, skip, SPACE + ENTER, ENTER)
    outcome = session.outcome
    assert outcome is not None
    assert "drink_freq" in outcome.assessment.unanswered
    assert answers_of(outcome)["drink_freq"] == SKIP


# -- never lose answers: Ctrl-C, resume, Ctrl-D --------------------------------------------------


def test_ctrl_c_keeps_every_answer_and_the_next_run_resumes(mini_rules: RuleBase) -> None:
    with pytest.raises(Interrupted) as stopped:
        take(mini_rules, CONTINUE, NO, YES, *WEEKLY_FOUR_BINGE[:2], CTRL_C)
    assert stopped.value.exit_code == ExitCode.INTERRUPTED
    assert stopped.value.lines() == [
        "Stopped; your 4 answers so far are kept: run 'gutcheck' to pick up where you left off."
    ]
    kept = draft(mini_rules)
    assert kept.answers == {"blood": False, "weight_loss": True, "drink_freq": "weekly",
                            "drink_amount": 4.0}

    resume = ENTER  # "Resume where I left off" is the first choice
    session = take(mini_rules, CONTINUE, resume, ENTER, VEG_AND_BEANS, A_LOT)
    answers = answers_of(session.outcome)
    assert {key: answers[key] for key in kept.answers} == kept.answers
    assert answers["drink_binge"] is True
    assert "Question 5 of 7 · Drinking" in session.text  # resumed at the binge question
    assert "Question 1 of" not in session.text
    assert session.outcome is not None and session.outcome.assessment.has_red_flags


def test_after_resuming_back_reaches_answers_from_the_earlier_run(mini_rules: RuleBase) -> None:
    with pytest.raises(Interrupted):
        take(mini_rules, CONTINUE, *NO_FLAGS, DOWN + DOWN + ENTER, CTRL_C)
    session = take(mini_rules, CONTINUE, ENTER, LEFT, ENTER, "9" + ENTER, ENTER,
                   VEG_AND_BEANS, A_LOT)
    answers = answers_of(session.outcome)
    assert (answers["drink_freq"], answers["drink_amount"]) == ("daily", 9.0)


def test_starting_over_forgets_the_draft(mini_rules: RuleBase) -> None:
    with pytest.raises(Interrupted):
        take(mini_rules, CONTINUE, YES, CTRL_C)
    start_over = DOWN + ENTER
    session = take(mini_rules, CONTINUE, start_over, *NO_FLAGS, NEVER,
                   SPACE + ENTER, ENTER)
    assert answers_of(session.outcome)["blood"] is False
    assert "Question 1 of 5 to 7 · Safety questions" in session.text


def test_drafts_are_kept_per_profile(mini_rules: RuleBase) -> None:
    with pytest.raises(Interrupted) as stopped:
        take(mini_rules, CONTINUE, YES, CTRL_C, profile="anna")
    assert "run 'gutcheck --profile anna'" in stopped.value.message
    assert draft(mini_rules, "anna").answers == {"blood": True}
    assert draft(mini_rules) is None


def test_ctrl_d_or_the_end_of_input_stops_with_one_sentence_and_keeps_answers(
    mini_rules: RuleBase,
) -> None:
    with pytest.raises(UsageError) as ended:
        take(mini_rules, CONTINUE, YES, CTRL_D)
    assert ended.value.lines() == [
        f"Stopped; your 1 answer so far is kept: run 'gutcheck' to pick up where you left off. {INPUT_ENDED}"
    ]
    assert ended.value.exit_code == ExitCode.USAGE
    assert draft(mini_rules).answers == {"blood": True}
    with pytest.raises(UsageError):
        take(mini_rules, CONTINUE, ENTER)  # the keys simply run out


def test_a_draft_that_no_longer_fits_the_rules_is_kept_in_part(mini_rules: RuleBase) -> None:
    answers, dropped = restore_answers(
        mini_rules,
        {"blood": True, "drink_freq": "hourly", "gone_question": 3, "food_fibre": ["veg", "beans"]},
    )
    assert answers == {"blood": True, "food_fibre": ("veg", "beans")}
    assert dropped == 2


# -- options: --no-save, a data folder that cannot be written, --answers -----------------------


def test_no_save_writes_nothing(mini_rules: RuleBase, gutcheck_home: Path) -> None:
    session = take(mini_rules, CONTINUE, *NO_FLAGS, NEVER, SPACE + ENTER, ENTER, save=False)
    assert session.outcome is not None and session.outcome.not_saved == "not saved (--no-save)"
    assert list(gutcheck_home.iterdir()) == []
    with pytest.raises(Interrupted) as stopped:
        take(mini_rules, CONTINUE, ENTER, CTRL_C, save=False)
    assert stopped.value.message == "Stopped; nothing was kept because of --no-save."
    assert list(gutcheck_home.iterdir()) == []


def test_an_unusable_data_folder_still_gives_results(
    mini_rules: RuleBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GUTCHECK_HOME", str(blocker / "gutcheck"))
    session = take(mini_rules, CONTINUE, *NO_FLAGS, NEVER, SPACE + ENTER, ENTER)
    outcome = session.outcome
    assert outcome is not None and outcome.saved_to is None
    assert outcome.not_saved is not None and outcome.not_saved.startswith("not saved: ")
    assert str(blocker) in outcome.not_saved
    assert outcome.assessment.overall.level is not None


def test_prefilled_answers_are_not_asked_again(mini_rules: RuleBase) -> None:
    prefill = {"blood": False, "weight_loss": False, "drink_freq": "never"}
    session = take(mini_rules, CONTINUE, VEG_AND_BEANS, ENTER, prefill=prefill)
    lines = [line for line in session.text.splitlines() if line.startswith("Question ")]
    assert lines == ["Question 1 of 2 · Food", "Question 2 of 2 · Food"]
    parsed = {**prefill, "food_fibre": ("veg", "beans"), "food_stress": "s1"}
    outcome = session.outcome
    assert outcome is not None
    assert outcome.assessment == score_parsed(mini_rules, parsed, taken_at=WHEN)


def test_bad_profile_name_is_refused_before_any_question(mini_rules: RuleBase) -> None:
    with pytest.raises(UsageError, match="profile name cannot be empty"):
        take(mini_rules, profile=" ")
    assert not database_path().exists()


class _FailingStore:
    """A history store whose disk fills up: every write of a draft fails."""

    def __init__(self) -> None:
        self.attempts = 0

    def save_draft(self, key: str, answers: dict[str, object], position: int) -> None:
        self.attempts += 1
        raise StorageError("Cannot write the history database (disk full).")

    def load_draft(self, key: str) -> None:
        return None  # readable at the start; the disk fills up during the quiz

    def clear_draft(self, key: str) -> None:
        raise StorageError("Cannot write the history database (disk full).")


def test_a_failing_draft_store_is_reported_once_and_the_quiz_goes_on(
    mini_rules: RuleBase,
) -> None:
    screen = io.StringIO()
    prompter = QuestionaryPrompter(screen)
    store = _FailingStore()
    drafts = Drafts(store, "default:mini", prompter.warn)
    with keyboard(*NO_FLAGS, NEVER, SPACE + ENTER, CTRL_C), pytest.raises(Interrupted) as stopped:
        take_quiz(mini_rules, prompter, drafts=drafts)
    assert screen.getvalue().count("Your answers cannot be kept between runs.") == 1
    assert store.attempts == 1  # after the first failure no more writes are tried
    assert stopped.value.message == (
        "Stopped; your answers could not be kept. Cannot write the history database (disk full).")


# -- long questions wrap at spaces -----------------------------------------------------------------


def test_long_questions_wrap_at_spaces_under_the_question_mark() -> None:
    from gutcheck.quiz.questionary_prompter import wrapped

    ask = ("Are you about 50 or older, and have your bowel habits changed in recent months, for "
           "example new diarrhoea or constipation that has lasted?")
    message, instruction = wrapped(ask, "(↑/↓ to move, Enter to choose, ← to go back)", width=50)
    lines = message.split("\n")
    assert len(lines[0]) + 2 <= 49 and all(len(line) <= 49 for line in lines)  # "? " leads the first
    assert " ".join(message.split()) == ask  # every word whole: no "constipat/ion"
    assert all(line.startswith("  ") for line in lines[1:-1]) and lines[-1] == " "
    assert instruction.startswith("(↑/↓") and message.endswith("\n ")  # its own line: no room after
    short = wrapped("How often do you drink?", "(↑/↓ to move)", width=80)
    assert short == ("How often do you drink?", "(↑/↓ to move)")  # short text is left alone


def test_prompts_wrap_to_the_terminal_width(mini_rules: RuleBase) -> None:
    from dataclasses import replace as with_

    from prompt_toolkit.formatted_text import fragment_list_to_text, to_formatted_text
    from prompt_toolkit.layout.controls import FormattedTextControl

    long_ask = "How often do you drink, counting every glass of wine, beer, cider or spirits with friends?"
    question = with_(mini_rules.by_id["drink_freq"], ask=long_ask)
    with create_app_session(output=DummyOutput()):  # 80 columns
        prompt = build_prompt(Step(question, 2, 3, 5, "Drinking"))
    texts = [fragment_list_to_text(to_formatted_text(w.content.text))
             for w in prompt.application.layout.find_all_windows() if isinstance(w.content, FormattedTextControl)]
    first = next(text for text in texts if "How often" in text).rstrip()
    assert len(first) <= 80 and first.startswith("? How often")
    assert long_ask[len(first) - 2] == " "  # the first line ends between two words
# -- safety questions need a deliberate answer; about questions come before them ------------------


def _with_about(mini_rules: RuleBase) -> RuleBase:
    from gutcheck.rulebook.loading import load_rules_text

    text = Path(mini_rules.source).read_text(encoding="utf-8").replace(
        "\nfactors:\n",
        "\nabout:\n  - id: age_band\n    ask: How old are you?\n    type: choice\n"
        "    options: [{value: young, label: Under 50}, {value: older, label: 50 or over}]\n"
        "factors:\n", 1)
    return load_rules_text(text, "about.yaml")


def test_a_single_enter_on_a_safety_question_records_nothing(mini_rules: RuleBase) -> None:
    session = take(mini_rules, CONTINUE, ENTER, NO, NO, NEVER, SPACE + ENTER, ENTER)
    answers = answers_of(session.outcome)
    assert answers["blood"] is False and answers["weight_loss"] is False
    assert "Please choose Yes or No." in session.text
    assert "Please choose Yes or No. Please try again." not in session.text  # one request, said once
    progress = [line for line in session.text.splitlines() if line.startswith("Question")]
    assert progress[:2] == ["Question 1 of 5 to 7 · Safety questions"] * 2  # asked again
    first = Step(mini_rules.questions[0], 0, 1, 5, "Safety questions", deliberate=True)
    assert _choice_titles(first)[:3] == ["(choose Yes or No)", "Yes", "No"]


def test_y_and_n_pick_yes_or_no_and_enter_confirms(mini_rules: RuleBase) -> None:
    # A safety question can be answered by typing y or n (either case); the letter only moves
    # the pointer, so Enter is still needed and a stray key records nothing by itself.
    session = take(mini_rules, CONTINUE, "y" + ENTER, "N" + ENTER, NEVER, SPACE + ENTER, ENTER)
    answers = answers_of(session.outcome)
    assert answers["blood"] is True and answers["weight_loss"] is False
    # the instruction on a real terminal says so: tests/quiz/test_resize.py waits for "(↑/↓ or y/n to"



def test_about_questions_come_before_the_red_flags_and_may_be_declined(mini_rules: RuleBase) -> None:
    # Age and sex come first: they decide which safety questions apply and how urgent they are.
    rules = _with_about(mini_rules)
    decline = DOWN * 2 + ENTER  # Under 50, 50 or over, Prefer not to say
    session = take(rules, CONTINUE, decline, *NO_FLAGS, NEVER, SPACE + ENTER, ENTER)
    assert session.outcome is not None
    assert session.outcome.assessment.about == ()
    assert "age_band" in session.outcome.assessment.unanswered
    headings = [line for line in session.text.splitlines() if line.startswith("Question")]
    assert headings[0] == "Question 1 of 6 to 8 · About you"
    assert headings[1] == "Question 2 of 6 to 8 · Safety questions"
    assert "Optional, and never scored" in session.text
    told = take(rules, CONTINUE, DOWN + ENTER, *NO_FLAGS, NEVER, SPACE + ENTER, ENTER)
    assert told.outcome is not None
    assert [(a.question, a.value) for a in told.outcome.assessment.about] == [("age_band", "older")]
    assert told.outcome.assessment.overall == session.outcome.assessment.overall  # never scored
