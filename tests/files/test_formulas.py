"""Spreadsheet formulas are neutralised when written and restored when read back."""

from __future__ import annotations

import pytest

from gutcheck.files.formulas import is_formula_like, neutralise, unneutralise


@pytest.mark.parametrize("text", ["=SUM(A1)", "+cmd", "-x", "@foo", "\tx"])
def test_formula_like_text_gets_an_apostrophe_and_loses_it_on_reading(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["-3", "+1.5", "plain", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert unneutralise(text) == text
