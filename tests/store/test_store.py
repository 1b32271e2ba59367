"""The client roster store on SQLite and PostgreSQL: nothing lost, clear errors."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import pytest
import sqlalchemy as sa

from planner import ClientProfile, DiaryEntry, Fitness, Goal, Pain, PlannerInputError
from planner.store import SCHEMA_VERSION, Store, StoreError, client_from_json, default_url, sqlite_url

START = dt.date(2026, 1, 5)


def client(name: str, pain_now: float = 3) -> ClientProfile:
    return ClientProfile(name=name, pain=Pain(pain_now=pain_now),
                         fitness=Fitness(walking_minutes_per_week=60), goal=Goal(start_date=START, weeks=8))


def entry(offset: int, pain: float = 3, note: str = "") -> DiaryEntry:
    return DiaryEntry(START + dt.timedelta(days=offset), 20, pain, pain, pain, note=note)


def test_create_load_rename_delete_and_search(store_url):
    with Store(store_url) as store:
        ann = store.create_client(client("Ann Walker"), [entry(0), entry(2, 4)])
        bob = store.create_client(client("Bob Hill"))
        assert [c.name for c in store.list_clients()] == ["Ann Walker", "Bob Hill"]
        assert [c.name for c in store.list_clients("HILL")] == ["Bob Hill"]
        assert store.list_clients("100%") == []  # LIKE wildcards are taken literally
        record = store.load_client(ann)
        assert record.profile == client("Ann Walker")
        assert [e.date for e in record.diary] == [START, START + dt.timedelta(days=2)]
        store.rename_client(bob, "Robert Hill")
        assert store.load_client(bob).profile.name == "Robert Hill"
        store.delete_client(ann)
        assert [c.id for c in store.list_clients()] == [bob]
        with pytest.raises(PlannerInputError, match="client_id"):
            store.load_client(ann)


def test_reopen_finds_everything_as_left(store_url):
    with Store(store_url) as store:
        ann = store.create_client(client("Ann"))
        store.log_entry(ann, entry(0, 2))
        store.log_entry(ann, entry(0, 6))  # the same day again replaces it
        store.log_entry(ann, entry(1, 3))
        store.save_client(ann, client("Ann", pain_now=5))
    with Store(store_url) as store:
        record = store.load_client(ann)
        assert record.profile.pain.pain_now == 5
        assert [(e.date, e.pain_during) for e in record.diary] == [(START, 6), (START + dt.timedelta(days=1), 3)]
        assert [item.note for item in store.history(ann)] == [
            "created", "logged an entry of 2026-01-05", "replaced the entry of 2026-01-05",
            "logged an entry of 2026-01-06", "saved"]  # the profile's and the diary's changes
        assert [item.kind for item in store.history(ann)] == ["profile", "diary", "diary", "diary", "profile"]
        assert store.history(ann)[0].profile.pain.pain_now == 3
        assert store.history(ann)[2].entry.pain_during == 6
        store.delete_entry(ann, START)
        assert len(store.load_client(ann).diary) == 1


def test_save_is_all_or_nothing(store_url):
    with Store(store_url) as store:
        ann = store.create_client(client("Ann"), [entry(0)])
        with pytest.raises(PlannerInputError, match="one diary entry per day"):
            store.save_client(ann, client("Changed"), [entry(1), entry(1)])
        record = store.load_client(ann)
        assert record.profile.name == "Ann" and len(record.diary) == 1


def test_json_export_import_round_trip_and_validation(store_url):
    with Store(store_url) as store:
        ann = store.create_client(client("Ann"), [entry(0), entry(3, 5)])
        text = store.export_client(ann)
        copy = store.import_client(text)
        assert store.load_client(copy).profile == store.load_client(ann).profile
        assert store.load_client(copy).diary == store.load_client(ann).diary
        bad = json.loads(text)
        bad["profile"]["pain"]["pain_now"] = 14
        with pytest.raises(PlannerInputError, match="pain_now must be 0–10, got 14"):
            store.import_client(json.dumps(bad))
        with pytest.raises(PlannerInputError, match="JSON"):
            store.import_client(b"\x89PNG not json")
        assert len(store.list_clients()) == 2  # nothing half-imported
    profile, diary = client_from_json(json.dumps(client("Bare").to_dict()))
    assert profile.name == "Bare" and diary == []


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from planner import ClientProfile, DiaryEntry, Goal, Pain
    from planner.store import Store
    url, client_id, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(url)
    start = dt.date(2026, 1, 5)
    print("ready", flush=True)
    for round_ in range(first, first + 100000):
        diary = [DiaryEntry(start + dt.timedelta(days=d), 20, 3, 3, note=f"round {round_}") for d in range(56)]
        store.save_client(client_id, ClientProfile(name=f"round {round_}", goal=Goal(start_date=start, weeks=8)),
                          diary)
""")


def test_a_process_killed_mid_save_leaves_the_previous_state(store_url):
    with Store(store_url) as store:
        ann = store.create_client(client("round 0"))
    for attempt in range(3):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(ann), str(attempt * 100000)],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.4 + 0.15 * attempt)  # many saves in flight by now
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        with Store(store_url) as store:
            record = store.load_client(ann)
            # Profile and diary come from one and the same save: never half of one.
            notes = {e.note for e in record.diary}
            assert len(notes) <= 1
            if record.diary:
                assert notes == {record.profile.name} and len(record.diary) == 56


CREATOR = textwrap.dedent("""
    import sys
    from planner import ClientProfile
    from planner.store import Store
    url, prefix = sys.argv[1], sys.argv[2]
    store = Store(url)
    for number in range(25):
        store.create_client(ClientProfile(name=f"{prefix} {number}"))
""")


def test_two_processes_saving_different_clients_both_succeed(store_url):
    Store(store_url).close()  # the schema exists before both start
    writers = [subprocess.Popen([sys.executable, "-c", CREATOR, store_url, prefix], stderr=subprocess.PIPE, text=True)
               for prefix in ("left", "right")]
    for writer in writers:
        _, error = writer.communicate(timeout=120)
        assert writer.returncode == 0, error
    with Store(store_url) as store:
        names = [c.name for c in store.list_clients()]
    assert len(names) == 50 and sum(n.startswith("left") for n in names) == 25


# --- SQLite files: corrupt, foreign, too new ---------------------------------------------------

def test_corrupt_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "roster.sqlite"
    path.write_bytes(b"this is not a database at all" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(sqlite_url(path))
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another application's tables"):
        Store(sqlite_url(path))
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path):
    url = sqlite_url(tmp_path / "roster.sqlite")
    Store(url).close()
    with sqlite3.connect(tmp_path / "roster.sqlite") as connection:
        connection.execute("UPDATE trailback_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer than this Trailback"):
        Store(url)


def test_truncated_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "roster.sqlite"
    with Store(sqlite_url(path)) as store:
        for number in range(50):
            store.create_client(client(f"c{number}"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"roster.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreError, match="malformed|not a database|could not be read|cannot open"):
        with Store(sqlite_url(path)) as store:
            store.load_all()


def test_default_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAILBACK_DB_URL", raising=False)
    monkeypatch.setenv("TRAILBACK_DATA_DIR", str(tmp_path / "data"))
    assert default_url() == sqlite_url(tmp_path / "data" / "trailback.sqlite")
    with Store() as store:
        store.create_client(client("Ann"))
    assert (tmp_path / "data" / "trailback.sqlite").exists()
    monkeypatch.setenv("TRAILBACK_DB_URL", "sqlite:///" + str(tmp_path / "elsewhere.sqlite"))
    assert default_url().endswith("elsewhere.sqlite")


def test_bad_url_is_a_clear_error():
    with pytest.raises(StoreError, match="not a database URL"):
        Store("definitely not a url")


def test_profiles_are_validated_on_the_way_out(store_url):
    with Store(store_url) as store:
        with pytest.raises(PlannerInputError, match="profile"):
            store.create_client({"name": "dict"})
        ann = store.create_client(client("Ann"))
        store.save_client(ann, replace(client("Ann"), name="Ann B"))
        assert store.load_client(ann).profile.name == "Ann B"


def test_damaged_diary_row_gives_a_store_error(tmp_path):
    path = tmp_path / "roster.sqlite"
    with Store(sqlite_url(path)) as store:
        ann = store.create_client(client("Ann"), [entry(0)])
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE diary_entries SET entry_json = '{\"date\": \"nope\"}'")
    with Store(sqlite_url(path)) as store:
        with pytest.raises(StoreError, match="diary entry of client"):
            store.load_client(ann)
        with pytest.raises(StoreError, match="diary entry of client"):
            store.load_all()


def test_reading_does_not_wait_for_a_writer(tmp_path):
    url = sqlite_url(tmp_path / "roster.sqlite")
    with Store(url) as writer, Store(url) as reader:
        ann = writer.create_client(client("Ann"))
        with writer._write() as connection:  # a write transaction held open
            connection.execute(sa.text("UPDATE clients SET name = 'Held' WHERE id = :id"), {"id": ann})
            began = time.perf_counter()
            assert [c.name for c in reader.list_clients()] == ["Ann"]  # the last committed state
            assert time.perf_counter() - began < 1.0


def test_client_file_must_be_text():
    with pytest.raises(PlannerInputError, match="client file"):
        client_from_json(5)


def test_one_name_limit_and_only_storable_names_on_every_backend(store_url):
    from planner.profile import MAX_NAME_CHARACTERS

    longest = "Ł" * MAX_NAME_CHARACTERS  # characters, not bytes: 400 bytes in UTF-8
    with Store(store_url) as store:
        client_id = store.create_client(client(longest))
        assert store.load_client(client_id).profile.name == longest
        assert [c.name for c in store.list_clients()] == [longest]
        for bad in ("Ł" * (MAX_NAME_CHARACTERS + 1), "\ud800", "Ann\x00"):
            with pytest.raises(PlannerInputError, match="name"):
                store.rename_client(client_id, bad)
            with pytest.raises(PlannerInputError, match="name"):
                store.import_client(json.dumps({"name": bad}))
        assert [c.name for c in store.list_clients()] == [longest]


# --- never write a damaged file; WAL from the first open; path mix-ups --------------------------

def _damage_a_page(path, page: int = 3) -> None:
    """Overwrite one b-tree page past the header with noise (the header stays valid)."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) >= (page + 1) * page_size
    data[page * page_size: page * page_size + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_refused_before_anything_is_written(tmp_path):
    import hashlib

    path = tmp_path / "roster.sqlite"
    with Store(sqlite_url(path)) as store:
        for number in range(60):
            store.create_client(client(f"client {number}"), [entry(0, note="x" * 300)])
    with sqlite3.connect(path) as connection:  # fold the WAL into the file, back to rollback mode
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    _damage_a_page(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="damaged|malformed"):
        Store(sqlite_url(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # not even the WAL header bytes
    assert path.read_bytes()[18:20] == b"\x01\x01"  # still a rollback-journal file
    assert not (tmp_path / "roster.sqlite-wal").exists()


def test_a_new_database_is_in_wal_mode_from_its_first_open(tmp_path):
    path = tmp_path / "new.sqlite"
    Store(sqlite_url(path)).close()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # file format write/read versions 2 = WAL
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_path_mix_ups_are_plain_store_errors(tmp_path, monkeypatch):
    (tmp_path / "a_folder.sqlite").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(sqlite_url(tmp_path / "a_folder.sqlite"))
    (tmp_path / "data_file").write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store(sqlite_url(tmp_path / "data_file" / "roster.sqlite"))
    with pytest.raises(StoreError, match="cannot use"):
        Store(sqlite_url(tmp_path / "data_file" / "deeper" / "roster.sqlite"))
    monkeypatch.delenv("TRAILBACK_DB_URL", raising=False)
    monkeypatch.setenv("TRAILBACK_DATA_DIR", str(tmp_path / "data_file"))
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store()
    assert (tmp_path / "data_file").read_text() == "not a folder"
