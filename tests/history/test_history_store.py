"""The history store: saving and reading, drafts, forgetting, migration, and the faults a real
database meets (concurrent writers, kill -9, corrupt or foreign files, locks, permissions)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score
from gutcheck.errors import StorageError, UsageError
from gutcheck.history.migrations import APPLICATION_ID, SCHEMA_VERSION
from gutcheck.history.store import History, database_path
from gutcheck.rulebook.model import RuleBase

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"

HEAVY = {"drink_freq": "daily", "drink_amount": 8, "drink_binge": "yes",
         "food_fibre": ["sweets", "fried"], "food_stress": "s3"}
MIDDLE = {"drink_freq": "weekly", "drink_amount": 4, "drink_binge": "yes",
          "food_fibre": ["veg", "sweets"], "food_stress": "s2"}
LIGHT = {"drink_freq": "never", "food_fibre": ["veg", "beans"], "food_stress": "s1"}

# A child that saves in a loop, printing each new id; used for concurrency and kill -9 tests.
SAVER = """
import sys
from gutcheck.engine.scoring import score
from gutcheck.history.store import History
from gutcheck.rulebook.loading import load_rules
rules = load_rules(sys.argv[1])
profile, count = sys.argv[2], int(sys.argv[3])
answers = {"drink_freq": "daily", "drink_amount": 5, "food_fibre": ["veg"], "food_stress": "s2"}
n = 0
while count < 0 or n < count:
    assessment = score(rules, answers, taken_at=f"2026-01-01T09:{n % 60:02d}:00+00:00",
                       client=f"{profile}-{n}-" + "x" * 2000)
    with History.open() as store:
        row = store.save(assessment, profile)
    print(row, flush=True)
    n += 1
"""


def make(rules: RuleBase, answers: dict[str, object], when: str, client: str | None = None) -> Assessment:
    return score(rules, answers, taken_at=when, client=client)


def db_bytes(home: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    path = database_path(home)
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def saver(home: Path, profile: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "GUTCHECK_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-c", SAVER, str(MINI), profile, str(count)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_consistent(path: Path) -> int:
    """Assert the database passes integrity_check and every stored document parses; count rows."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = raw.execute("SELECT document, rules_id, overall_percent FROM assessments").fetchall()
    finally:
        raw.close()
    for document, rules_id, overall in rows:
        assessment = Assessment.from_dict(json.loads(document))
        assert assessment.rules.id == rules_id
        assert assessment.overall.percent == overall
    return len(rows)


# -- saving and reading ------------------------------------------------------------------------


def test_save_and_list_oldest_first_with_every_field_kept(mini_rules: RuleBase) -> None:
    later = make(mini_rules, LIGHT, "2026-03-01T09:00:00+00:00")
    earlier = make(mini_rules, HEAVY, "2026-01-01T10:00:00+01:00")
    with History.open() as store:
        first_id = store.save(later)
        second_id = store.save(earlier)
        items = store.list()
    assert second_id > first_id
    assert [item.id for item in items] == [second_id, first_id]  # by time taken, not by id
    assert items[0].taken_at == "2026-01-01T09:00:00Z"  # normalised to UTC for sorting
    assert items[0].assessment == earlier
    assert items[1].assessment == later
    assert {item.profile for item in items} == {"default"}


def test_get_by_last_offset_and_id(mini_rules: RuleBase) -> None:
    runs = [make(mini_rules, a, f"2026-0{m}-01T09:00:00+00:00")
            for m, a in ((1, HEAVY), (2, MIDDLE), (3, LIGHT))]
    with History.open() as store:
        ids = [store.save(a, "anna") for a in runs]
        assert store.get("last", "anna") == runs[2]
        assert store.get("last~1", "anna") == runs[1]
        assert store.get("last~2", "anna") == runs[0]
        assert store.get(str(ids[1])) == runs[1]
        assert store.find(ids[0], "someone-else").profile == "anna"  # ids are unique everywhere
        with pytest.raises(UsageError, match="only 3 saved assessment"):
            store.get("last~3", "anna")
        with pytest.raises(UsageError, match="No assessments are saved for profile 'bob'"):
            store.get("last", "bob")
        with pytest.raises(UsageError, match="no saved assessment with id 999"):
            store.get("999")
        with pytest.raises(UsageError, match="does not name an assessment"):
            store.get("yesterday", "anna")


def test_indexed_fields_are_stored_next_to_the_document(mini_rules: RuleBase) -> None:
    assessment = make(mini_rules, HEAVY, "2026-01-01T09:00:00+00:00")
    with History.open() as store:
        store.save(assessment, "anna")
        location = store.location
    raw = sqlite3.connect(location)
    row = raw.execute("SELECT profile, rules_id, rules_version, rules_hash, overall_percent, "
                      "overall_level, document FROM assessments").fetchone()
    raw.close()
    assert row[:6] == ("anna", "mini", "1.0.0", mini_rules.content_hash,
                       assessment.overall.percent, assessment.overall.level)
    assert json.loads(row[6]) == json.loads(json.dumps(assessment.to_dict()))


def test_profile_names_are_checked(mini_rules: RuleBase) -> None:
    assessment = make(mini_rules, LIGHT, "2026-01-01T09:00:00+00:00")
    with History.open() as store:
        for bad in ("", "   ", "a\nb", "x" * 101):
            with pytest.raises(UsageError, match="profile name"):
                store.save(assessment, bad)
        assert store.count() == 0


def test_profiles_lists_names_with_counts(mini_rules: RuleBase) -> None:
    with History.open() as store:
        store.save(make(mini_rules, LIGHT, "2026-01-01T09:00:00+00:00"), "bob")
        store.save(make(mini_rules, LIGHT, "2026-02-01T09:00:00+00:00"), "anna")
        store.save(make(mini_rules, LIGHT, "2026-03-01T09:00:00+00:00"), "anna")
        store.save_draft("carl:mini", {"drink_freq": "never"}, 1)
        assert store.profiles() == ["anna", "bob", "carl"]
        summary = {s.name: s for s in store.profile_summaries()}
    assert (summary["anna"].count, summary["anna"].first, summary["anna"].last) == (
        2, "2026-02-01T09:00:00Z", "2026-03-01T09:00:00Z")
    assert summary["carl"].count == 0


def test_drafts_upsert_load_and_clear() -> None:
    with History.open() as store:
        assert store.load_draft("default:mini") is None
        store.save_draft("default:mini", {"food_fibre": ("veg", "beans")}, 2)
        store.save_draft("default:mini", {"food_fibre": ("veg",), "drink_freq": "never"}, 3)
        draft = store.load_draft("default:mini")
        assert draft is not None
        assert draft.answers == {"food_fibre": ["veg"], "drink_freq": "never"}
        assert draft.position == 3
        assert draft.saved_at
        store.clear_draft("default:mini")
        assert store.load_draft("default:mini") is None
        store.clear_draft("default:mini")  # clearing twice is fine


# -- forgetting --------------------------------------------------------------------------------


def test_forget_removes_everything_of_one_profile_and_nothing_else(
    mini_rules: RuleBase, gutcheck_home: Path
) -> None:
    with History.open() as store:
        for month in (1, 2):
            when = f"2026-0{month}-01T09:00:00+00:00"
            store.save(make(mini_rules, HEAVY, when, client="zelda-secret-7f3a"), "zelda-7f3a")
            store.save(make(mini_rules, LIGHT, when, client="bob-keeps-91c2"), "bob")
        store.save_draft("zelda-7f3a:mini", {"drink_freq": "zelda-draft-answer"}, 1)
        store.save_draft("bob:mini", {"drink_freq": "never"}, 1)
        store.close()
        assert b"zelda-secret-7f3a" in db_bytes(gutcheck_home)  # the check below can fail
    with History.open() as store:
        assert store.forget("zelda-7f3a") == 2
        assert store.list("zelda-7f3a") == []
        assert store.load_draft("zelda-7f3a:mini") is None
        assert "zelda-7f3a" not in store.profiles()
        assert [item.assessment.client for item in store.list("bob")] == ["bob-keeps-91c2"] * 2
        assert store.load_draft("bob:mini") is not None
    raw = sqlite3.connect(database_path(gutcheck_home))
    assert raw.execute("PRAGMA freelist_count").fetchone() == (0,)  # compacted by VACUUM
    raw.close()
    on_disk = db_bytes(gutcheck_home)
    for secret in (b"zelda-secret-7f3a", b"zelda-7f3a", b"zelda-draft-answer"):
        assert secret not in on_disk
    assert b"bob-keeps-91c2" in on_disk


def test_forget_all_leaves_an_empty_working_store(mini_rules: RuleBase, gutcheck_home: Path) -> None:
    with History.open() as store:
        store.save(make(mini_rules, HEAVY, "2026-01-01T09:00:00+00:00", client="gone-1234"), "a")
        store.save(make(mini_rules, HEAVY, "2026-01-01T09:00:00+00:00"), "b")
        store.save_draft("a:mini", {}, 0)
        assert store.forget_all() == 2
        assert store.profiles() == []
        assert store.count() == 0
        assert store.save(make(mini_rules, LIGHT, "2026-02-01T09:00:00+00:00")) == 1
    assert b"gone-1234" not in db_bytes(gutcheck_home)


# -- migration ---------------------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE profiles (name TEXT PRIMARY KEY);
CREATE TABLE assessments (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL,
                          taken_at TEXT NOT NULL, document TEXT NOT NULL);
CREATE INDEX assessments_by_profile ON assessments (profile, taken_at);
CREATE TABLE drafts (key TEXT PRIMARY KEY, answers TEXT NOT NULL, position INTEGER NOT NULL,
                     saved_at TEXT NOT NULL);
"""


def make_v1_database(path: Path, documents: list[tuple[str, Assessment]]) -> None:
    """A database as the first schema version wrote it, built by hand."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(path)
    raw.executescript(V1_SCHEMA)
    for profile, assessment in documents:
        raw.execute("INSERT OR IGNORE INTO profiles (name) VALUES (?)", (profile,))
        raw.execute("INSERT INTO assessments (profile, taken_at, document) VALUES (?, ?, ?)",
                    (profile, assessment.taken_at, json.dumps(assessment.to_dict())))
    raw.execute("INSERT INTO drafts VALUES ('anna:mini', '{\"drink_freq\": \"weekly\"}', 2, "
                "'2026-01-05T10:00:00Z')")
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()


def test_a_version_1_database_is_migrated_in_place(mini_rules: RuleBase, gutcheck_home: Path) -> None:
    old = [("anna", make(mini_rules, HEAVY, "2026-01-01T10:00:00+01:00")),
           ("anna", make(mini_rules, LIGHT, "2026-02-01T09:00:00+00:00")),
           ("bob", make(mini_rules, MIDDLE, "2026-01-15T09:00:00+00:00"))]
    path = database_path(gutcheck_home)
    make_v1_database(path, old)
    with History.open() as store:
        items = store.list("anna")
        draft = store.load_draft("anna:mini")
        assert store.profiles() == ["anna", "bob"]
        new_id = store.save(make(mini_rules, MIDDLE, "2026-03-01T09:00:00+00:00"), "anna")
        assert store.forget("anna") == 3
        assert store.load_draft("anna:mini") is None  # the migrated draft knows its profile
    assert [item.assessment for item in items] == [old[0][1], old[1][1]]
    assert items[0].taken_at == "2026-01-01T09:00:00Z"
    assert draft is not None and draft.answers == {"drink_freq": "weekly"} and draft.position == 2
    assert new_id == 4
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    row = raw.execute("SELECT rules_id, rules_version, rules_hash, overall_percent, overall_level "
                      "FROM assessments WHERE profile = 'bob'").fetchone()
    raw.close()
    bob = old[2][1]
    assert row == ("mini", "1.0.0", mini_rules.content_hash, bob.overall.percent, bob.overall.level)
    assert check_consistent(path) == 1


def test_a_database_from_a_newer_gutcheck_is_refused_untouched(gutcheck_home: Path) -> None:
    path = database_path(gutcheck_home)
    raw = sqlite3.connect(path)
    raw.executescript(V1_SCHEMA)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer gutcheck") as caught:
        History.open()
    assert str(path) in caught.value.message
    assert path.read_bytes() == before


# -- faults ------------------------------------------------------------------------------------


def test_two_processes_saving_at_once_lose_nothing(gutcheck_home: Path) -> None:
    children = [saver(gutcheck_home, profile, 50) for profile in ("anna", "bob")]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    ids = [int(line) for out, _ in outputs for line in out.split()]
    assert len(ids) == 100 and len(set(ids)) == 100
    with History.open() as store:
        assert store.count("anna") == 50
        assert store.count("bob") == 50
        assert sorted(item.id for p in ("anna", "bob") for item in store.list(p)) == sorted(ids)
    assert check_consistent(database_path(gutcheck_home)) == 100


def test_kill_9_in_the_middle_of_saving_leaves_a_consistent_database(gutcheck_home: Path) -> None:
    confirmed = 0
    for round_number in range(3):
        child = saver(gutcheck_home, f"loop{round_number}", -1)
        assert child.stdout is not None
        for _ in range(15 + 7 * round_number):  # let it save a while, then kill it mid-stream
            assert child.stdout.readline(), child.stderr.read() if child.stderr else ""
            confirmed += 1
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
    rows = check_consistent(database_path(gutcheck_home))
    assert rows >= confirmed  # every save reported done is there; no half assessment anywhere
    with History.open() as store:
        assert sum(len(store.list(f"loop{n}")) for n in range(3)) == rows
        store.save(store.get("last", "loop0"), "after")
        assert store.count("after") == 1


def test_a_corrupt_file_is_reported_with_its_path_and_left_untouched(gutcheck_home: Path) -> None:
    path = database_path(gutcheck_home)
    garbage = b"not sqlite at all " + os.urandom(8192)
    path.write_bytes(garbage)
    with pytest.raises(StorageError) as caught:
        History.open()
    message = caught.value.message
    assert str(path) in message
    assert "not a readable gutcheck history database" in message
    assert "move it elsewhere" in message
    assert path.read_bytes() == garbage
    assert not path.with_name(path.name + "-wal").exists()


def test_a_damaged_sqlite_file_is_reported_and_left_untouched(
    mini_rules: RuleBase, gutcheck_home: Path
) -> None:
    with History.open() as store:
        for month in range(1, 10):
            store.save(make(mini_rules, HEAVY, f"2026-0{month}-01T09:00:00+00:00"))
    path = database_path(gutcheck_home)
    damaged = bytearray(path.read_bytes())
    damaged[4096:] = os.urandom(len(damaged) - 4096)  # keep the header, wreck every other page
    path.write_bytes(bytes(damaged))
    with pytest.raises(StorageError) as caught, History.open() as store:
        store.list()
    assert str(path) in caught.value.message
    assert path.read_bytes() == bytes(damaged)


def test_another_programs_database_is_reported_and_left_untouched(gutcheck_home: Path) -> None:
    path = database_path(gutcheck_home)
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    raw.execute("INSERT INTO contacts VALUES ('Ada', '555-0100')")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a gutcheck history database") as caught:
        History.open()
    assert str(path) in caught.value.message
    assert path.read_bytes() == before
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT * FROM contacts").fetchall() == [("Ada", "555-0100")]
    raw.close()


def test_a_locked_database_waits_then_says_so(mini_rules: RuleBase) -> None:
    assessment = make(mini_rules, LIGHT, "2026-01-01T09:00:00+00:00")
    with History.open() as store:
        path = store.location
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with History.open(timeout=0.2) as store, pytest.raises(StorageError) as caught:
            store.save(assessment)
        assert "locked by another gutcheck" in caught.value.message
        assert path in caught.value.message
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def test_a_briefly_locked_database_is_waited_for(mini_rules: RuleBase) -> None:
    assessment = make(mini_rules, LIGHT, "2026-01-01T09:00:00+00:00")
    with History.open() as store:
        path = store.location
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.3, lambda: locker.execute("ROLLBACK"))
    release.start()
    try:
        with History.open(timeout=10) as store:
            store.save(assessment)
            assert store.count() == 1
    finally:
        release.join()
        locker.close()


def test_folder_and_file_permissions_are_private(mini_rules: RuleBase, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "new" / "gutcheck"
    monkeypatch.setenv("GUTCHECK_HOME", str(home))
    old_umask = os.umask(0o022)
    try:
        with History.open() as store:
            store.save(make(mini_rules, LIGHT, "2026-01-01T09:00:00+00:00"))
            companions = [p for p in home.iterdir() if p.name != "history.sqlite3"]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in companions}
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(database_path(home).stat().st_mode) == 0o600
    assert modes and set(modes.values()) == {0o600}, modes  # the -wal and -shm files too


def test_an_existing_loose_folder_and_database_file_are_made_private(gutcheck_home: Path) -> None:
    path = database_path(gutcheck_home)
    with History.open():
        pass
    path.chmod(0o644)
    gutcheck_home.chmod(0o755)  # as when another part of gutcheck created the folder first
    with History.open():
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(gutcheck_home.stat().st_mode) == 0o700


READ_ONLY_PROBE = """
from gutcheck.errors import StorageError
from gutcheck.history.store import History
try:
    History.open()
except StorageError as error:
    print(error.message)
else:
    print("OPENED")
"""


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                    reason="as root, a read-only folder needs setpriv to drop privileges")
def test_a_read_only_data_folder_gives_a_clear_sentence() -> None:
    # root ignores folder permissions, so then the probe runs as 'nobody' via setpriv
    folder = Path(tempfile.mkdtemp(prefix="gutcheck-ro-"))
    try:
        folder.chmod(0o555)
        command = [sys.executable, "-c", READ_ONLY_PROBE]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "GUTCHECK_HOME": str(folder), "PYTHONPATH": str(ROOT)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                              check=False)
    finally:
        folder.chmod(0o700)
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    assert done.returncode == 0, done.stderr
    message = done.stdout.strip()
    assert message.startswith(f"Cannot write the history database {folder}/history.sqlite3")
    assert "read-only" in message and "--no-save" in message


def test_a_folder_where_the_file_should_be_is_reported(gutcheck_home: Path) -> None:
    database_path(gutcheck_home).mkdir()
    with pytest.raises(StorageError, match="is not a file"):
        History.open()


def test_cli_start_up_does_not_import_sqlite() -> None:
    probe = "import sys, gutcheck.cli; print('sqlite3' in sys.modules, 'gutcheck.history.store' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]

