"""Files a person names: reading them with one clear sentence per failure, and writing outputs
atomically without ever replacing a link, a device or a pipe.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO

from gutcheck.errors import GutcheckError, UsageError
from gutcheck.files.yaml_located import YamlProblems, read_text_limited


def read_user_text(path: Path, display: str, *, error: type[GutcheckError], hint: str) -> str:
    """Read a UTF-8 text file, turning every failure into ``error`` naming the file.

    ``hint`` says what to give instead when the path is missing or a folder.
    """
    try:
        return read_text_limited(path, display)
    except OSError as exc:
        raise refusal(exc, display, error, hint) from None
    except YamlProblems as exc:
        raise error(f"{display}: cannot read this file", tuple(exc.problems)) from None


def open_user_text(
    path: Path, display: str, *, error: type[GutcheckError], hint: str, errors: str = "strict"
) -> IO[str]:
    """Open a UTF-8 text file (a byte-order mark is skipped) for streaming, as
    :func:`read_user_text` reads one: every failure is ``error`` naming the file.

    With ``errors="surrogateescape"`` bytes that are not UTF-8 are kept as lone surrogates, so
    a reader can reject the row holding them and write them back unchanged."""
    try:
        return path.open(encoding="utf-8-sig", errors=errors, newline="")
    except OSError as exc:
        raise refusal(exc, display, error, hint) from None


def refusal(exc: OSError, display: str, error: type[GutcheckError], hint: str) -> GutcheckError:
    """The one sentence for a file that cannot be opened."""
    if isinstance(exc, FileNotFoundError):
        return error(f"{display}: no such file; {hint}")
    if isinstance(exc, IsADirectoryError):
        return error(f"{display}: is a folder; {hint}")
    if isinstance(exc, PermissionError):
        return error(f"{display}: permission denied; check the file's permissions")
    return error(f"{display}: cannot be read ({exc.strerror or exc}); {hint}")


class AtomicTextFile:
    """An output file that appears whole or not at all: written to a temporary file in the same
    folder, then renamed over the target on :meth:`commit`.

    A symbolic link is followed (the file it points to is replaced, the link stays); a device
    or pipe such as ``/dev/stdout`` is written to directly, since a rename would replace it. A
    new file is readable by its owner only (outputs hold health information); a replaced file
    keeps its permissions. Failures raise :class:`UsageError` naming the path.
    """

    def __init__(self, path: Path, what: str = "the output") -> None:
        self.path = path
        self.what = what
        self.temp: str | None = None
        self.target = path
        self.mode: int | None = None
        if path.is_dir():
            raise UsageError(f"{path}: is a folder; give a file name for {what}")
        try:
            self.stream = self._open()
        except OSError as exc:
            raise self.unwritable(exc) from None

    def _open(self) -> IO[str]:
        if self.path.exists() and not self.path.is_file():
            return self.path.open("w", encoding="utf-8", errors="surrogateescape", newline="")
        target = Path(os.path.realpath(self.path))
        self.target = target
        self.mode = target.stat().st_mode & 0o777 if target.exists() else None
        handle, self.temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        # Bytes of an input that were not UTF-8 (read as lone surrogates) are written back as
        # they were, so a rejected row is copied unchanged.
        return os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape", newline="")

    def write(self, text: str) -> None:
        """Add ``text`` to the file."""
        try:
            self.stream.write(text)
        except OSError as exc:
            self.discard()
            raise self.unwritable(exc) from None

    def commit(self) -> None:
        """Close the file and move it into place."""
        try:
            self.stream.close()
            if self.temp is not None:
                if self.mode is not None:
                    os.chmod(self.temp, self.mode)
                os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise self.unwritable(exc) from None

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temp is not None:
            Path(self.temp).unlink(missing_ok=True)

    def unwritable(self, exc: OSError) -> UsageError:
        """The one sentence for an output that cannot be written."""
        reason = exc.strerror or str(exc)
        return UsageError(f"{self.path}: cannot write {self.what} ({reason}); choose a folder you can write to.")


def write_text_atomic(path: Path, text: str, what: str = "the output") -> None:
    """Write the whole of ``text`` to ``path`` as :class:`AtomicTextFile` does."""
    output = AtomicTextFile(path, what)
    output.write(text)
    output.commit()
