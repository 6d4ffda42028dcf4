"""Opening a batch input as text and telling its format (CSV and delimiter, JSON, JSON Lines)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from gutcheck.batch.lines import has_bad_bytes
from gutcheck.batch.rows import MAX_RECORD_CHARS, NOT_UTF8, SAMPLE_CHARS, InputFormat
from gutcheck.errors import InputError
from gutcheck.files.sniff import looks_like_fhir, sniff_delimiter

# --------------------------------------------------------------------------- input


@dataclass
class TextInput:
    """An open text input with its display name and, for a regular file, its size in bytes."""

    stream: IO[str]
    display: str
    size: int | None = None

    def position(self) -> int | None:
        """Roughly how many bytes have been read, for a progress bar (None if unknown)."""
        raw = getattr(self.stream, "buffer", None)
        if raw is None or self.size is None:
            return None
        try:
            return int(raw.tell())
        except (OSError, ValueError):
            return None


@contextmanager
def open_text(source: str, display: str | None = None) -> Iterator[TextInput]:
    """Open a path, or stdin for ``-``, as UTF-8 text (an Excel BOM is dropped), newlines kept;
    ``display`` names it in messages (default: the path)."""
    if source == "-":
        text_input = _stdin_input()
        try:
            yield text_input
        finally:
            if text_input.stream is not sys.stdin:
                text_input.stream.detach()  # type: ignore[attr-defined]  # leave stdin open
        return
    from gutcheck.files.access import open_user_text

    display = display or source
    hint = "give the path of a CSV, TSV, JSON or JSON Lines file, or - for stdin"
    with open_user_text(Path(source), display, error=InputError, hint=hint,
                        errors="surrogateescape") as stream:
        yield TextInput(stream, display, _regular_size(source))


def _regular_size(source: str) -> int | None:
    try:
        stat = os.stat(source)
    except OSError:
        return None
    return stat.st_size if Path(source).is_file() else None


def copy_stdin() -> str:
    """Copy all of stdin to a new temporary file (so it can be read more than once); its path.

    The caller removes the file. Bytes are copied as they are, so what cannot be decoded is
    reported as it would be from stdin itself.
    """
    import shutil
    import tempfile

    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise InputError("<stdin>: nothing was piped in; give a file path, or pipe the export to '-'")
    handle, path = tempfile.mkstemp(prefix="gutcheck-stdin-", suffix=".txt")
    try:
        with os.fdopen(handle, "wb") as copy:
            raw = getattr(stdin, "buffer", None)
            if raw is not None:
                shutil.copyfileobj(raw, copy, 1 << 20)
            else:  # a text stream with no bytes beneath (as in tests)
                for chunk in iter(lambda: stdin.read(1 << 16), ""):
                    copy.write(chunk.encode("utf-8", "surrogateescape"))
    except BaseException:
        os.unlink(path)
        raise
    return path


def _stdin_input() -> TextInput:
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise InputError("<stdin>: nothing was piped in; give a file path, or pipe the export to '-'")
    raw = getattr(stdin, "buffer", None)
    if raw is not None:
        stdin = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return TextInput(stdin, "<stdin>")


def read_sample(text_input: TextInput) -> str:
    """The first ~64 KiB of the input, completed to the end of its last line (within limits).

    A sample that is not UTF-8 text (or holds NUL bytes, as binary files do) refuses the whole
    file before anything is written: the file as a whole is in another encoding.
    """
    stream, display = text_input.stream, text_input.display
    try:
        sample = stream.read(SAMPLE_CHARS)
        if len(sample) == SAMPLE_CHARS and not sample.endswith(("\n", "\r")):
            sample += stream.readline(MAX_RECORD_CHARS)
    except UnicodeDecodeError:
        raise InputError(f"{display}: {NOT_UTF8}") from None
    except OSError as exc:
        raise InputError(f"{display}: cannot be read ({exc.strerror or exc})") from None
    sample = sample.removeprefix("\ufeff")
    if "\x00" in sample or has_bad_bytes(sample):
        raise InputError(f"{display}: {NOT_UTF8}")
    return sample


def sniff_format(sample: str, display: str, hint: str = "auto") -> InputFormat:
    """Tell CSV (and its delimiter), JSON array, JSON Lines and FHIR resources apart from the start of the input."""
    head = sample.lstrip()
    if not head:
        raise InputError(f"{display}: is empty; expected a header row of question ids or texts")
    if hint == "fhir" or (hint == "auto" and looks_like_fhir(head)):
        return InputFormat("fhir")
    if hint in ("json", "jsonl"):
        return InputFormat(hint)
    if hint == "tsv":
        return InputFormat("csv", "\t")
    if hint == "auto" and head[0] in "[{":
        return InputFormat("json" if head[0] == "[" else "jsonl")
    return InputFormat("csv", sniff_delimiter(sample))
