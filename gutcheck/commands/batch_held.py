"""The records of a pass that may be read again: held back, or written where they can be undone.

When stdout is a regular file of its own (``> summary.jsonl``, not also stderr), records go
straight into it, and if the input must be read again the file is cut back to where they
began; anywhere else (a pipe, a terminal) they wait in a temporary file, copied out when the
pass is kept. Either way nothing of a pass that is read again reaches its reader.
"""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Any


class HeldOutput:
    """Where a held pass writes its records (:attr:`stream`), and how they are kept or undone."""

    def __init__(self) -> None:
        self.start = _own_file_start()
        self.spool: IO[str] | None = None
        if self.start is None:
            import tempfile

            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 - closed by __exit__

    @property
    def stream(self) -> IO[str]:
        """The stream records are written to."""
        return self.spool if self.spool is not None else sys.stdout

    def publish(self) -> None:
        """Keep the records: copy the held ones onto stdout."""
        if self.spool is not None:
            _copy_out(self.spool)

    def discard(self) -> None:
        """Undo the records: cut stdout back to where they began (held ones are just dropped)."""
        if self.start is not None:
            sys.stdout.flush()
            fd = sys.stdout.fileno()
            os.ftruncate(fd, self.start)
            os.lseek(fd, self.start, os.SEEK_SET)

    def __enter__(self) -> HeldOutput:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.spool is not None:
            self.spool.close()


def _own_file_start() -> int | None:
    """Where the next byte lands in stdout when stdout is a regular file that stderr does not
    share (so cutting it back undoes only what this run wrote); None otherwise."""
    import stat

    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or _is_stderr(info):
            return None
        import fcntl

        appending = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND
        return info.st_size if appending else os.lseek(fd, 0, os.SEEK_CUR)
    except (AttributeError, OSError, ValueError, ImportError, io.UnsupportedOperation):
        return None  # no file beneath (a test's stream), or a system without these calls


def _is_stderr(info: os.stat_result) -> bool:
    try:
        err = os.fstat(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    return (err.st_dev, err.st_ino) == (info.st_dev, info.st_ino)


def _copy_out(spool: IO[str]) -> None:
    """The records held in ``spool``, onto stdout: by the kernel when stdout is a file or pipe
    that takes UTF-8, else through Python's streams."""
    import shutil
    import sys

    spool.flush()
    out = sys.stdout
    raw = getattr(out, "buffer", None)
    if raw is None or (getattr(out, "encoding", "") or "").lower().replace("-", "") != "utf8":
        spool.seek(0)
        shutil.copyfileobj(spool, out, 1 << 20)
        out.flush()
        return
    out.flush()
    raw.flush()
    if not _sent(spool.fileno(), raw):
        spool.seek(0)
        shutil.copyfileobj(spool.buffer, raw, 1 << 20)  # type: ignore[attr-defined]
        raw.flush()


def _sent(source: int, raw: IO[bytes]) -> bool:
    """Copy all of file ``source`` to ``raw``'s file with ``os.sendfile``; False when that
    cannot be done (no file beneath, or a system without it), before anything is sent."""
    import io
    import os

    try:
        target = raw.fileno()
        size = os.fstat(source).st_size
        sent = os.sendfile(target, source, 0, size) if size else 0
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    while sent < size:
        sent += os.sendfile(target, source, sent, size - sent)
    return True
