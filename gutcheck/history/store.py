"""The local history store: assessments, profiles and quiz drafts in one SQLite file.

The database lives in :func:`gutcheck.files.paths.data_dir` (``$GUTCHECK_HOME`` or the platform's
user data folder) as ``history.sqlite3``; the folder is created 0700 and the file 0600. Each
assessment is kept whole (its ``gutcheck.assessment/1`` JSON document) next to the fields that
are queried: profile, time taken, rule base id/version/hash, overall percent and level.

Safety: every write is one ``BEGIN IMMEDIATE`` transaction, so a process killed mid-save leaves
either the whole assessment or none of it. The database runs in WAL mode with a busy timeout,
so several gutcheck processes can save at once. A file at the database path that is not a
gutcheck history (damaged, or another program's database) is never written to: opening it
raises :class:`~gutcheck.errors.StorageError` naming the path and what to do. The schema
version is kept in ``PRAGMA user_version`` and older databases are migrated forward in place.

``sqlite3`` is imported only here, and only commands that store or read history import this
module (lazily), so start-up stays lean.
"""

from __future__ import annotations

import builtins
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from gutcheck.engine.assessment import Assessment
from gutcheck.errors import StorageError, UsageError
from gutcheck.files.paths import HISTORY_FILENAME, HOME_ENV, data_dir, is_read_only
from gutcheck.history import DEFAULT_PROFILE
from gutcheck.history import sqlite_file as db_file
from gutcheck.history.migrations import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_CURRENT,
    SCHEMA_VERSION,
    TABLES,
    run_script,
)
from gutcheck.history.records import (
    Draft,
    ProfileSummary,
    StoredAssessment,
    answers_key,
    check_profile,
    draft_profile,
    json_default,
    now_stamp,
    utc_stamp,
)

DB_FILENAME = HISTORY_FILENAME
DEFAULT_TIMEOUT = 5.0
_LAST_REF = re.compile(r"^last(?:~(\d+))?$")

# Every query of whole assessments selects these columns, document last.
_SELECT = "SELECT id, profile, taken_at, saved_at, document FROM assessments "
_SELECT_BY_PROFILE = _SELECT + "WHERE profile = ? ORDER BY taken_at, id"
_SELECT_ALL = _SELECT + "ORDER BY profile, taken_at, id"
_SELECT_BY_ID = _SELECT + "WHERE id = ?"
_SELECT_BACK = _SELECT + "WHERE profile = ? ORDER BY taken_at DESC, id DESC LIMIT 1 OFFSET ?"
# Every profile, its count and first/last time taken, and its last assessment's overall percent
# and rule base (the overview compares a batch's clients with them).
_PROFILE_SUMMARIES = (
    "SELECT p.name, count(a.id), min(a.taken_at), max(a.taken_at), "
    "(SELECT overall_percent FROM assessments AS l WHERE l.profile = p.name ORDER BY taken_at DESC, id DESC LIMIT 1), "
    "(SELECT rules_hash FROM assessments AS l WHERE l.profile = p.name ORDER BY taken_at DESC, id DESC LIMIT 1) "
    "FROM (SELECT name FROM profiles UNION SELECT profile FROM drafts) AS p "
    "LEFT JOIN assessments AS a ON a.profile = p.name GROUP BY p.name ORDER BY p.name"
)


def database_path(directory: Path | None = None) -> Path:
    """Where the history database is (or would be) for ``directory`` or the data folder."""
    return (directory if directory is not None else data_dir()) / DB_FILENAME


class History:
    """An open history database. Use ``with History.open() as store:``."""

    def __init__(self, connection: sqlite3.Connection, path: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._db = connection
        self.path = path
        self.timeout = timeout

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path | None = None, *, timeout: float = DEFAULT_TIMEOUT,
             reading: bool = False) -> History:
        """Open (creating if needed) the history database in ``directory`` or the data folder.

        Raises StorageError naming the path when the folder or file cannot be used (one made
        read-only is never changed), when the file is not a gutcheck history, or when it stays
        locked longer than ``timeout`` seconds. For ``reading`` only, a database in a folder
        made read-only is still read, without writing anything.
        """
        path = database_path(directory)
        frozen = reading and (is_read_only(path.parent) or is_read_only(path))
        if not frozen:
            db_file.ensure_directory(path.parent)
            db_file.ensure_file(path)
        connection = db_file.connect_frozen(path) if frozen else db_file.connect(path, timeout)
        store = cls(connection, path, timeout)
        try:
            store._check_frozen() if frozen else store._prepare()
        except BaseException:
            connection.close()
            raise
        return store

    @property
    def location(self) -> str:
        """The database path as text, for messages such as 'saved to ...'."""
        return str(self.path)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _prepare(self) -> None:
        """Check what is at the path, then set it up: never writes to a file that is not ours."""
        with self._guard():
            state = self._inspect_snapshot()
            db_file.enable_wal(self._db, self.timeout)
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute("PRAGMA foreign_keys=ON")
            if state != SCHEMA_VERSION:
                self._create_or_migrate()
        db_file.tighten(self.path)

    def _check_frozen(self) -> None:
        """A read-only database must be ours and current: it cannot be set up or upgraded."""
        with self._guard():
            if self._inspect() != SCHEMA_VERSION:
                reason = "it needs an upgrade, and its folder or file is read-only"
                raise StorageError(db_file.unwritable(self.path, reason))

    def _inspect_snapshot(self) -> int:
        """:meth:`_inspect` within one read transaction: another process creating the schema
        at this moment is seen either wholly or not at all."""
        self._db.execute("BEGIN")
        try:
            return self._inspect()
        finally:
            self._db.execute("COMMIT")

    def _inspect(self) -> int:
        """The schema version of the file (0 = empty, new); raise if it is not ours."""
        app_id = self._scalar("PRAGMA application_id")
        version = self._scalar("PRAGMA user_version")
        found = self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in found}
        tables.discard("sqlite_sequence")
        if app_id == 0 and version == 0 and not tables:
            return 0
        if app_id != APPLICATION_ID or not tables >= TABLES:
            raise StorageError(self._foreign_message())
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"The history database {self.path} was written by a newer gutcheck (schema "
                f"{version}; this one knows {SCHEMA_VERSION}). Upgrade gutcheck, or set "
                f"{HOME_ENV} to another folder."
            )
        return int(version)

    def _foreign_message(self) -> str:
        return (
            f"{self.path} is not a gutcheck history database (it belongs to another program or is "
            f"damaged). gutcheck has left it untouched: move it elsewhere, or set {HOME_ENV} "
            "to another folder."
        )

    def _create_or_migrate(self) -> None:
        """Create the schema in a new file, or migrate an older one, in one transaction."""
        with self._transaction():
            version = self._inspect()  # again, now under the write lock
            if version == 0:
                run_script(self._db, SCHEMA_CURRENT)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            else:
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](self._db)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- assessments --------------------------------------------------------------------------

    def save(self, assessment: Assessment, profile: str = DEFAULT_PROFILE) -> int:
        """Store ``assessment`` under ``profile`` in one transaction; return its new id."""
        check_profile(profile)
        with self._guard(), self._transaction():
            return self._insert(assessment, profile)

    def save_once(
        self, assessment: Assessment, profile: str = DEFAULT_PROFILE, *, same_time: bool = False
    ) -> int | None:
        """Store ``assessment`` unless ``profile`` holds one already made by the same rule base
        (same content hash) from the same answers (with ``same_time``: and taken at the same
        time, as a form's own date gives it); the new id, or None when it was there.

        Checked and stored in one transaction, so running a batch again, or after it was
        stopped half-way, never saves anyone twice, even with two runs at once."""
        check_profile(profile)
        key = answers_key(assessment.to_dict())
        when = utc_stamp(assessment.taken_at) if same_time else None
        with self._guard(), self._transaction():
            found = self._db.execute(
                "SELECT document, taken_at FROM assessments WHERE profile = ? AND rules_hash = ?",
                (profile, assessment.rules.hash),
            )
            if any(answers_key(document) == key and when in (None, taken) for document, taken in found):
                return None
            return self._insert(assessment, profile)

    def _insert(self, assessment: Assessment, profile: str) -> int:
        """Insert ``assessment`` (inside the caller's transaction); its new id."""
        document = json.dumps(assessment.to_dict(), ensure_ascii=False, sort_keys=True)
        rules, overall = assessment.rules, assessment.overall
        self._db.execute(
            "INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?, ?)", (profile, now_stamp())
        )
        cursor = self._db.execute(
            "INSERT INTO assessments (profile, taken_at, saved_at, rules_id, rules_version, "
            "rules_hash, overall_percent, overall_level, document) VALUES (?,?,?,?,?,?,?,?,?)",
            (profile, utc_stamp(assessment.taken_at), now_stamp(), rules.id, rules.version,
             rules.hash, overall.percent, overall.level, document),
        )
        return int(cursor.lastrowid or 0)

    def list(self, profile: str = DEFAULT_PROFILE) -> list[StoredAssessment]:
        """Every assessment of ``profile``, oldest first (by time taken, then id)."""
        with self._guard():
            rows = self._db.execute(_SELECT_BY_PROFILE, (profile,)).fetchall()
        return [self._stored(row) for row in rows]

    def all(self) -> Iterator[StoredAssessment]:
        """Every assessment of every profile, by profile, then oldest first (for export)."""
        with self._guard():
            rows = self._db.execute(_SELECT_ALL).fetchall()
        return (self._stored(row) for row in rows)

    def find(self, ref: str | int, profile: str = DEFAULT_PROFILE) -> StoredAssessment:
        """The assessment named by ``ref``: ``last``, ``last~N`` (N before the last) of
        ``profile``, or a numeric id (ids are unique across profiles).

        Raises UsageError saying what exists when there is no such assessment.
        """
        text = str(ref).strip()
        if text.isdigit():
            return self._by_id(int(text))
        match = _LAST_REF.match(text)
        if not match:
            raise UsageError(
                f"{text!r} does not name an assessment: use an id from 'gutcheck history', "
                "'last' or 'last~1' (the one before the last)."
            )
        return self._by_offset(int(match.group(1) or 0), profile)

    def get(self, ref: str | int, profile: str = DEFAULT_PROFILE) -> Assessment:
        """The assessment named by ``ref`` (see :meth:`find`)."""
        return self.find(ref, profile).assessment

    def _by_id(self, row_id: int) -> StoredAssessment:
        with self._guard():
            row = self._db.execute(_SELECT_BY_ID, (row_id,)).fetchone()
        if row is None:
            raise UsageError(
                f"There is no saved assessment with id {row_id}; 'gutcheck history' lists them."
            )
        return self._stored(row)

    def _by_offset(self, back: int, profile: str) -> StoredAssessment:
        with self._guard():
            row = self._db.execute(_SELECT_BACK, (profile, back)).fetchone()
            count = self.count(profile) if row is None else 0
        if row is not None:
            return self._stored(row)
        if count == 0:
            raise UsageError(f"No assessments are saved for profile {profile!r} yet.")
        name = "last" if back == 0 else f"last~{back}"
        raise UsageError(
            f"Profile {profile!r} has only {count} saved {'assessment' if count == 1 else 'assessments'}, "
            f"so there is no {name!r}."
        )

    def count(self, profile: str | None = None) -> int:
        """How many assessments ``profile`` (or every profile, for None) holds."""
        with self._guard():
            if profile is None:
                return self._scalar("SELECT count(*) FROM assessments")
            return self._scalar("SELECT count(*) FROM assessments WHERE profile = ?", (profile,))

    def _stored(self, row: tuple[Any, ...]) -> StoredAssessment:
        row_id, profile, taken_at, saved_at = row[0], row[1], row[2], row[3]
        try:
            assessment = Assessment.from_dict(json.loads(row[-1]))
        except (ValueError, TypeError) as exc:
            raise StorageError(
                f"Saved assessment {row_id} in {self.path} cannot be read ({exc}); "
                f"'gutcheck export --format jsonl' still shows the rest."
            ) from None
        return StoredAssessment(row_id, profile, taken_at, assessment, saved_at)

    # -- profiles -----------------------------------------------------------------------------

    def profiles(self) -> builtins.list[str]:
        """Names of every profile that has assessments or drafts, sorted."""
        return [summary.name for summary in self.profile_summaries()]

    def profile_summaries(self) -> builtins.list[ProfileSummary]:
        """Every profile with its number of assessments, first/last time taken and last overall, by name."""
        with self._guard():
            rows = self._db.execute(_PROFILE_SUMMARIES).fetchall()
        return [ProfileSummary(*row) for row in rows]

    def forget(self, profile: str) -> int:
        """Delete every assessment and draft of ``profile``, then compact the file so the
        deleted data is gone from disk. Returns how many assessments were deleted."""
        with self._guard():
            with self._transaction():
                cursor = self._db.execute("DELETE FROM assessments WHERE profile = ?", (profile,))
                deleted = cursor.rowcount
                self._db.execute("DELETE FROM drafts WHERE profile = ?", (profile,))
                self._db.execute("DELETE FROM profiles WHERE name = ?", (profile,))
            self._compact()
        return int(deleted)

    def forget_all(self) -> int:
        """Delete every assessment, profile and draft, then compact the file."""
        with self._guard():
            with self._transaction():
                deleted = self._db.execute("DELETE FROM assessments").rowcount
                self._db.execute("DELETE FROM drafts")
                self._db.execute("DELETE FROM profiles")
                self._db.execute("DELETE FROM sqlite_sequence")
            self._compact()
        return int(deleted)

    def _compact(self) -> None:
        """Rewrite the file without free pages and empty the write-ahead log."""
        self._db.execute("VACUUM")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- drafts -------------------------------------------------------------------------------

    def save_draft(self, key: str, answers: dict[str, object], position: int) -> None:
        """Store (or replace) the quiz draft under ``key`` (``profile:rules_id``) atomically."""
        payload = json.dumps(answers, ensure_ascii=False, default=json_default)
        with self._guard(), self._transaction():
            self._db.execute(
                "INSERT INTO drafts (key, profile, answers, position, saved_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT (key) DO UPDATE SET answers = excluded.answers, "
                "position = excluded.position, saved_at = excluded.saved_at",
                (key, draft_profile(key), payload, int(position), now_stamp()),
            )

    def load_draft(self, key: str) -> Draft | None:
        """The draft saved under ``key``, or None when there is none (or it cannot be read)."""
        with self._guard():
            row = self._db.execute(
                "SELECT answers, position, saved_at FROM drafts WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        try:
            answers = json.loads(row[0])
        except ValueError:
            return None
        return Draft(answers, int(row[1]), row[2]) if isinstance(answers, dict) else None

    def clear_draft(self, key: str) -> None:
        """Remove the draft saved under ``key`` (nothing happens if there is none)."""
        with self._guard(), self._transaction():
            self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))

    # -- plumbing -----------------------------------------------------------------------------

    def _scalar(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        row = self._db.execute(sql, params).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction taken up front (IMMEDIATE), so concurrent writers queue."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn sqlite errors into StorageError sentences naming the database."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StorageError(db_file.explain(exc, self.path)) from exc


def save_assessment(assessment: Assessment, profile: str) -> tuple[int, str]:
    """Save ``assessment`` under ``profile`` in the user's history; return (new id, database path)."""
    with History.open() as store:
        return store.save(assessment, profile), store.location
