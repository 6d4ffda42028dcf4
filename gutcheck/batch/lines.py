"""The lines of a CSV input, handed to ``csv.reader`` one record at a time.

Each record is bounded: one that grows past :data:`~gutcheck.batch.rows.MAX_RECORD_CHARS`
(a runaway quote, or a cell of megabytes) is skipped to its end without being held in memory,
and the reader is told with :class:`RecordTooLong`, so that row alone is rejected. A record
holding bytes that were not UTF-8 (decoded as lone surrogates) is flagged, for the same reason.

Every line passes through here, so the checks are the cheapest that are exact: an ASCII line
(one C call) holds no undecodable bytes, and quotes are only counted once a record runs on
past its first line or past the limit.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from gutcheck.batch.rows import MAX_RECORD_CHARS

_LINE_ENDS = ("\n", "\r")
_SKIP_CHUNK = 64 * 1024


def has_bad_bytes(text: str) -> bool:
    """True when ``text`` holds bytes that were not UTF-8 (read as lone surrogates)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")  # only a lone surrogate cannot be encoded, and only bad bytes make one
    except UnicodeEncodeError:
        return True
    return False


class RecordTooLong(Exception):
    """The current record is longer than the limit; its text has been skipped."""


class RecordLines:
    """A line iterator over the sampled text, then the rest of the stream, that watches each record.

    Call :meth:`start_record` before asking ``csv.reader`` for the next record; afterwards
    ``size`` is the record's length in characters and ``bad_bytes`` says whether it held text
    that was not UTF-8.
    """

    def __init__(self, sample: str, stream: IO[str]) -> None:
        self.sample: io.StringIO | None = io.StringIO(sample, newline="")
        self.sample_end = len(sample)
        self.stream = stream
        self.split_crlf = False  # the sample ended between the \r and the \n of a line end
        self.size = 0
        self.first = ""  # the record's first line: its quotes are counted only when needed
        self.odd_quotes = 0  # the parity of the quotes in the record's later lines
        self.bad_bytes = False
        # where lines come from: the sample, then (once it is used up) the stream's own readline
        self.read_line: Callable[[int], str] = self._readline

    def start_record(self) -> None:
        """Forget the record before: the next line starts a new one (setting ``size`` to 0 is
        enough; the rest is reset with that line)."""
        self.size = 0

    def __iter__(self) -> RecordLines:
        return self

    def __next__(self) -> str:
        line = self.read_line(MAX_RECORD_CHARS + 1 - self.size)
        if not line:
            raise StopIteration
        if self.size:
            self.odd_quotes ^= line.count('"') & 1
        else:
            self.first, self.odd_quotes, self.bad_bytes = line, 0, False
        self.size += len(line)
        if self.size > MAX_RECORD_CHARS:
            self.odd_quotes ^= self.first.count('"') & 1
            self._skip_rest(line)
            raise RecordTooLong
        if not self.bad_bytes and not line.isascii() and has_bad_bytes(line):
            self.bad_bytes = True
        return line

    def _readline(self, limit: int) -> str:
        """The next line (at most ``limit`` characters): from the sample first, then the stream."""
        if self.sample is None:
            return self.stream.readline(limit)
        line = self.sample.readline(limit)
        if line.endswith(_LINE_ENDS) or len(line) >= limit:
            self.split_crlf = line.endswith("\r") and self.sample.tell() >= self.sample_end
            return line
        self.sample = None  # used up; its last line may go on in the stream
        rest = self.stream.readline(limit - len(line))
        if self.split_crlf:  # the \n that ends the sample's last line is not a line of its own
            self.split_crlf = False
            if rest.startswith("\n"):
                rest = rest[1:] or self.stream.readline(limit - len(line))
        self.read_line = self.stream.readline  # from now on, one C call a line
        return line + rest

    def _skip_rest(self, line: str) -> None:
        """Read past the rest of an over-long record: up to a line end outside quotes."""
        while not (line.endswith(_LINE_ENDS) and not self.odd_quotes):
            line = self._readline(_SKIP_CHUNK)
            if not line:
                return
            self.odd_quotes ^= line.count('"') & 1
