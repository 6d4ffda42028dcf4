"""The one formula rule for CSV cells, both ways: what a spreadsheet would run gets an apostrophe,
plain numbers never do, and reading a file back takes off exactly the apostrophe that was added."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gutcheck.files.formulas import FORMULA_STARTS, is_formula_like, neutralise, unneutralise

TEXTS = st.text(alphabet=st.sampled_from([*FORMULA_STARTS, "'", "1", ".", ",", "e", "a", " ", "(", "é"]), max_size=8)
NUMBERS = st.one_of(
    st.integers(-10**9, 10**9).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: repr(x).replace(".", ",")),
    st.integers(0, 999).map(lambda n: f"+{n}"),
)


def written_by_a_person(text: str) -> bool:
    """Texts that do not already look like a neutralised cell (which would read back without it)."""
    return not (text.startswith("'") and is_formula_like(text[1:]))


@given(TEXTS.filter(written_by_a_person))
def test_reading_back_undoes_writing(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


@given(TEXTS)
def test_a_written_cell_is_never_run_as_a_formula_and_writing_twice_changes_nothing(text: str) -> None:
    safe = neutralise(text)
    assert not is_formula_like(safe)
    assert neutralise(safe) == safe
    assert safe in (text, "'" + text)


@given(TEXTS)
def test_a_cell_read_back_is_written_again_as_it_was(text: str) -> None:
    cell = neutralise(text)
    assert neutralise(unneutralise(cell)) == cell


@given(NUMBERS)
def test_plain_numbers_are_left_alone_both_ways(number: str) -> None:
    assert not is_formula_like(number)
    assert neutralise(number) == number
    assert unneutralise("'" + number) == "'" + number


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("@cmd", "'@cmd"), ("-", "'-"), ("+", "'+"),
     ("-1-1", "'-1-1"), ("\t1", "'\t1"), ("1=1", "1=1"), ("'quoted", "'quoted")],
)
def test_formula_like_text(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_an_apostrophe_a_person_typed_before_a_formula_is_read_as_gutcheck_s_own() -> None:
    # The one case the two directions cannot tell apart: it reads as the text without it.
    assert unneutralise("'=1+1") == "=1+1"
    assert unneutralise("'ann") == "'ann"
