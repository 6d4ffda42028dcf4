"""The history database's schema, by version, and the steps that migrate an older file forward in place."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from gutcheck.history.records import draft_profile, now_stamp, utc_stamp

SCHEMA_VERSION = 2


APPLICATION_ID = 0x67757463  # "gutc": marks the file as a gutcheck history database


TABLES = frozenset({"profiles", "assessments", "drafts"})


# Version 1 of the schema, as the first gutcheck history wrote it: what migration 1 -> 2 starts
# from (kept as the record of it; new databases get SCHEMA_CURRENT).
_SCHEMA_V1 = """
CREATE TABLE profiles (name TEXT PRIMARY KEY);
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX assessments_by_profile ON assessments (profile, taken_at);
CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    answers TEXT NOT NULL,
    position INTEGER NOT NULL,
    saved_at TEXT NOT NULL
);
"""


SCHEMA_CURRENT = """
CREATE TABLE profiles (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL REFERENCES profiles (name),
    taken_at TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    rules_id TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    rules_hash TEXT NOT NULL,
    overall_percent REAL,
    overall_level TEXT,
    document TEXT NOT NULL
);
CREATE INDEX assessments_by_profile_time ON assessments (profile, taken_at, id);
CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    answers TEXT NOT NULL,
    position INTEGER NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE INDEX drafts_by_profile ON drafts (profile);
"""


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run ';'-separated statements inside the current transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


# -- migrations: MIGRATIONS[n] turns schema n into n + 1, inside the open transaction ---------


def migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Version 2 adds the indexed rule-base and overall fields, profile creation times and
    draft profiles; the new fields are filled from each stored JSON document."""
    for statement in (
        "ALTER TABLE profiles ADD COLUMN created_at TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE assessments ADD COLUMN saved_at TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE assessments ADD COLUMN rules_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE assessments ADD COLUMN rules_version TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE assessments ADD COLUMN rules_hash TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE assessments ADD COLUMN overall_percent REAL",
        "ALTER TABLE assessments ADD COLUMN overall_level TEXT",
        "ALTER TABLE drafts ADD COLUMN profile TEXT NOT NULL DEFAULT ''",
        "DROP INDEX IF EXISTS assessments_by_profile",
        "CREATE INDEX assessments_by_profile_time ON assessments (profile, taken_at, id)",
        "CREATE INDEX drafts_by_profile ON drafts (profile)",
        "INSERT OR IGNORE INTO profiles (name) SELECT DISTINCT profile FROM assessments",
    ):
        db.execute(statement)
    _fill_indexed_fields(db)
    db.execute(
        "UPDATE profiles SET created_at = coalesce((SELECT min(taken_at) FROM assessments "
        "WHERE profile = profiles.name), ?) WHERE created_at = ''",
        (now_stamp(),),
    )
    for (key,) in db.execute("SELECT key FROM drafts").fetchall():
        db.execute("UPDATE drafts SET profile = ? WHERE key = ?", (draft_profile(key), key))


def _fill_indexed_fields(db: sqlite3.Connection) -> None:
    """Copy rule base and overall fields out of every document; unreadable ones keep blanks."""
    rows = db.execute("SELECT id, taken_at, document FROM assessments").fetchall()
    for row_id, taken_at, document in rows:
        try:
            data = json.loads(document)
            rules, overall = data["rules"], data["overall"]
            found = [rules["id"], rules["version"], rules["hash"]]
            values = (*found, overall["percent"], overall["level"])
        except (ValueError, KeyError, TypeError):
            continue
        db.execute(
            "UPDATE assessments SET rules_id = ?, rules_version = ?, rules_hash = ?, "
            "overall_percent = ?, overall_level = ?, taken_at = ?, saved_at = ? WHERE id = ?",
            (*values, utc_stamp(taken_at), utc_stamp(taken_at), row_id),
        )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: migrate_1_to_2}
