"""Times on screens are local and in words; files keep ISO 8601 with an offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from gutcheck.quiz.drafts import Restored
from gutcheck.quiz.flow import offer_resume
from gutcheck.render.when import iso_local, local_zone, when_words
from gutcheck.rulebook.model import RuleBase

NOW = datetime(2026, 11, 29, 22, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(("stamp", "words"), [
    ("2026-11-29T21:54:10Z", "today at 21:54"),
    ("2026-11-29T00:00:00+00:00", "today at 00:00"),
    ("2026-11-28T09:10:00Z", "yesterday at 09:10"),
    ("2026-11-27T23:59:00Z", "27 Nov 2026"),
    ("2026-11-03T18:30:00+00:00", "3 Nov 2026"),
    ("2025-12-31T12:00:00", "31 Dec 2025"),  # no offset: read as UTC
    ("2026-12-01T08:00:00Z", "1 Dec 2026"),  # a clock ahead of now: the date, not 'today'
    ("not a time", "not a time"),
])
def test_times_in_words_in_utc(stamp: str, words: str) -> None:
    assert when_words(stamp, NOW, timezone.utc) == words


def test_the_local_zone_decides_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "JST-9")  # nine hours ahead of UTC: 22:30 UTC is 07:30 next morning
    assert local_zone().utcoffset(None) == timedelta(hours=9)
    assert when_words("2026-11-29T21:54:10Z", NOW) == "today at 06:54"
    assert when_words("2026-11-29T09:00:00Z", NOW) == "yesterday at 18:00"
    monkeypatch.setenv("TZ", "EST+5")
    assert when_words("2026-11-29T02:00:00Z", NOW) == "yesterday at 21:00"
    assert iso_local(NOW) == "2026-11-29T17:30:00-05:00"


class _Drafts:
    def __init__(self, saved_at: str) -> None:
        self.saved_at = saved_at

    def load(self, rules: RuleBase) -> Restored:
        return Restored({"blood": False}, 1, self.saved_at, 0)

    def clear(self) -> None:
        raise AssertionError("the draft was kept")


class _Asker:
    message = ""

    def choose(self, message: str, choices: Any) -> str:
        self.message = message
        return "resume"


def test_the_resume_offer_says_when_in_local_words(mini_rules: RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST+5")
    asker = _Asker()
    restored = offer_resume(mini_rules, asker, _Drafts("2026-11-29T02:54:10Z"), NOW)  # type: ignore[arg-type]
    assert restored is not None and restored.answers == {"blood": False}
    assert asker.message == "You have an unfinished check from yesterday at 21:54 (1 answer)."
