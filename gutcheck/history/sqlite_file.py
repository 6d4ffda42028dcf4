"""The database file itself: a private folder and file, a connection, and SQLite errors in words."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from gutcheck.errors import StorageError
from gutcheck.files.paths import HOME_ENV, is_read_only

DIR_MODE = 0o700


FILE_MODE = 0o600


# -- files and connections --------------------------------------------------------------------


def ensure_directory(directory: Path) -> None:
    """Create the data folder 0700, or make an existing one of ours private (0700). A folder
    made read-only is never changed: saving there is refused, saying what to do."""
    if directory.is_dir():
        if is_read_only(directory):
            raise StorageError(read_only_folder(directory))
        make_private(directory, DIR_MODE)
        return
    try:
        directory.mkdir(mode=DIR_MODE, parents=True)
        directory.chmod(DIR_MODE)  # mkdir's mode is reduced by the umask
    except FileExistsError:
        if not directory.is_dir():
            raise StorageError(
                f"{directory} exists but is not a folder; set {HOME_ENV} to a folder."
            ) from None
    except OSError as exc:
        raise StorageError(
            f"Cannot create the gutcheck data folder {directory} ({exc.strerror}); make its parent "
            f"writable or set {HOME_ENV} to a writable folder."
        ) from None


def ensure_file(path: Path) -> None:
    """Create an empty database file with mode 0600 before sqlite would create it 0644."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        if not path.is_file():
            raise StorageError(
                f"{path} is not a file; move it away or set {HOME_ENV} to another folder."
            ) from None
        if is_read_only(path):
            raise StorageError(unwritable(path, "the file is read-only")) from None
        return
    except OSError as exc:
        raise StorageError(unwritable(path, exc.strerror or str(exc))) from None
    os.close(descriptor)


def tighten(path: Path) -> None:
    """Make our own database file private (0600), whatever created it."""
    make_private(path, FILE_MODE)


def make_private(path: Path, mode: int) -> None:
    """Take from ``path``, when it is ours, what ``mode`` does not allow (the data folder is
    gutcheck's alone, though another part of gutcheck may have created it first). Permissions
    are only ever taken away, never added: what its owner made read-only stays so."""
    try:
        info = path.stat()
        private = info.st_mode & 0o777 & mode
        if info.st_uid == os.geteuid() and info.st_mode & 0o777 != private:
            path.chmod(private)
    except OSError:
        pass  # not changeable here: reading and writing still work, nothing to add


def enable_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL once; a new file being set up by another process can refuse the switch
    at once (SQLite does not wait on its busy timeout there), so retry until the timeout."""
    if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(explain(exc, path)) from exc
    return connection


def connect_frozen(path: Path) -> sqlite3.Connection:
    """A connection that never writes, to a database whose folder or file was made read-only.

    SQLite cannot keep its shared-memory file beside a database in a read-only folder, so the
    file is opened as immutable: no process can change it there (every SQLite write needs a
    journal in that folder) unless a write-ahead log left behind holds changes not yet merged,
    which would then be missed; that case is refused instead.
    """
    log = path.with_name(path.name + "-wal")
    if log.exists() and log.stat().st_size > 0:
        raise StorageError(
            f"The history database {path} has changes not merged yet ({log.name}), and its folder is "
            "read-only; make the folder writable once (chmod u+w) so that gutcheck can read them."
        )
    if not path.is_file():
        raise StorageError(f"{path} is not a file; move it away or set {HOME_ENV} to another folder.")
    immutable = "&immutable=1" if is_read_only(path.parent) else ""
    try:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro{immutable}", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(explain(exc, path)) from exc


def read_only_folder(directory: Path) -> str:
    """The one sentence for a data folder its owner made read-only: what is wrong and what to do."""
    import shlex

    mode = directory.stat().st_mode & 0o777
    return (
        f"Cannot write the history database {directory / 'history.sqlite3'}: the data folder {directory} "
        f"is read-only (mode {mode:04o}), and gutcheck leaves it so. Make it writable (chmod u+w "
        f"{shlex.quote(str(directory))}), set {HOME_ENV} to a writable folder, or run without saving (--no-save "
        "for the quiz, without --save or --profile elsewhere)."
    )


def unwritable(path: Path, reason: str) -> str:
    return (
        f"Cannot write the history database {path} ({reason}): the folder or file is read-only. "
        f"Make it writable, set {HOME_ENV} to a writable folder, or use --no-save."
    )


def explain(exc: sqlite3.Error, path: Path) -> str:
    """One sentence for a sqlite error: what happened to which file, and what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The history database {path} is locked by another gutcheck (or another program); "
            "wait for it to finish and try again."
        )
    if "unable to open" in text and path.is_file() and not os.access(path, os.R_OK):
        return (
            f"Cannot read the history database {path} (permission denied); make it readable "
            f"and writable by you, or set {HOME_ENV} to another folder."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return unwritable(path, str(exc))
    if "full" in text:
        return f"The disk holding the history database {path} is full; free some space, try again."
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"{path} is not a readable gutcheck history database ({exc}). gutcheck has left it "
            f"untouched: move it elsewhere (keep it for recovery), or set {HOME_ENV} to another "
            "folder."
        )
    return f"The history database {path} could not be used ({exc})."
