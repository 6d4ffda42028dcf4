"""Report file names made from client ids: always safe, and never the same file twice."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from hypothesis import given
from hypothesis import strategies as st

from gutcheck.files.safe_names import MAX_STEM_BYTES, MAX_STEM_CHARS, ReportNames, safe_stem

IDS = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["CON", "con.txt", "Lpt1", "..", ".", "../etc/passwd", "a\\b", "NUL ", "COM¹", "ann", "Ann"]),
)


@given(IDS)
def test_a_stem_is_one_plain_non_empty_file_name(client_id: str) -> None:
    stem = safe_stem(client_id)
    assert stem and stem not in (".", "..")
    assert len(stem) <= MAX_STEM_CHARS and len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    for path in (PurePosixPath(stem + ".md"), PureWindowsPath(stem + ".md")):
        assert path.name == stem + ".md" and len(path.parts) == 1
    assert not any(unicodedata.category(char).startswith("C") for char in stem)
    assert stem.split(".")[0].casefold() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


@given(st.lists(IDS, max_size=12))
def test_names_never_collide_on_case_insensitive_file_systems(client_ids: list[str]) -> None:
    names = ReportNames(".html")
    given_names = [names.name_for(client_id) for client_id in client_ids]
    keys = [unicodedata.normalize("NFKC", name).casefold() for name in given_names]
    assert len(set(keys)) == len(keys)
    assert all(name.endswith(".html") for name in given_names)


@given(st.lists(IDS, max_size=8))
def test_the_same_ids_in_the_same_order_get_the_same_names(client_ids: list[str]) -> None:
    first, second = ReportNames("md"), ReportNames("md")
    assert [first.name_for(c) for c in client_ids] == [second.name_for(c) for c in client_ids]
