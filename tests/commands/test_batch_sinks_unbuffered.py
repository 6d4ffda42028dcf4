"""Batch records reach an unbuffered stdout in blocks, not one system call each."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from gutcheck.batch.summary import ClientSummary
from gutcheck.commands.batch_sinks import CHUNK_LINES, RecordLines
from gutcheck.render.batch_records import RecordMaker
from gutcheck.rulebook.loading import load_rules

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


class CountingRaw(io.RawIOBase):
    """A raw stream that counts the writes that reach it (each would be a system call)."""

    def __init__(self) -> None:
        self.writes = 0
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.writes += 1
        self.data += chunk
        return len(chunk)


@pytest.mark.parametrize("write_through", [True, False])
def test_records_reach_stdout_in_blocks_and_in_order(write_through: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = CountingRaw()
    stdout = io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=1), encoding="utf-8", write_through=write_through)
    monkeypatch.setattr(sys, "stdout", stdout)
    rules = load_rules(MINI)
    maker = RecordMaker(rules)
    empty = maker.empty_summary()
    summaries = [ClientSummary(n, f"c{n}", 50.0, "moderate", empty.factors, (), None, ()) for n in range(3 * CHUNK_LINES)]
    output = RecordLines("jsonl", maker)

    for summary in summaries[:-10]:
        output.add(summary)
    output.add_all(summaries[-10:])
    output.finish(None)  # type: ignore[arg-type]

    assert raw.data.decode("utf-8") == "".join(maker.json_line(s) for s in summaries)
    if write_through:  # one system call a block of records, not one a record
        assert raw.writes <= len(summaries) // CHUNK_LINES + 2
