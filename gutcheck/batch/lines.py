"""The lines of a CSV input, handed to ``csv.reader`` one record at a time.

Each record is bounded: one that grows past :data:`~gutcheck.batch.rows.MAX_RECORD_CHARS`
(a runaway quote, or a cell of megabytes) is skipped to its end without being held in memory,
and the reader is told with :class:`RecordTooLong`, so that row alone is rejected. A record
holding bytes that were not UTF-8 (decoded as lone surrogates) is flagged, for the same reason.
"""

from __future__ import annotations

import io
import re
from typing import IO

from gutcheck.batch.rows import MAX_RECORD_CHARS

NOT_UTF8_CHAR = re.compile("[\udc80-\udcff]")
_LINE_ENDS = ("\n", "\r")
_SKIP_CHUNK = 64 * 1024


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
        self.odd_quotes = 0
        self.bad_bytes = False

    def start_record(self) -> None:
        """Forget the record before: the next line starts a new one."""
        self.size = 0
        self.odd_quotes = 0
        self.bad_bytes = False

    def __iter__(self) -> RecordLines:
        return self

    def __next__(self) -> str:
        line = self._readline(MAX_RECORD_CHARS + 1 - self.size)
        if not line:
            raise StopIteration
        self.size += len(line)
        self.odd_quotes ^= line.count('"') & 1
        if self.size > MAX_RECORD_CHARS:
            self._skip_rest(line)
            raise RecordTooLong
        if not self.bad_bytes and NOT_UTF8_CHAR.search(line):
            self.bad_bytes = True
        return line

    def _readline(self, limit: int) -> str:
        """The next line (at most ``limit`` characters): from the sample first, then the stream."""
        line = ""
        if self.sample is not None:
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
        return line + rest

    def _skip_rest(self, line: str) -> None:
        """Read past the rest of an over-long record: up to a line end outside quotes."""
        while not (line.endswith(_LINE_ENDS) and not self.odd_quotes):
            line = self._readline(_SKIP_CHUNK)
            if not line:
                return
            self.odd_quotes ^= line.count('"') & 1
