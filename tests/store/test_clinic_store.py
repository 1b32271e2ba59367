"""Several coaches on one database (issue 14): a version check so nothing is overwritten silently,
the history of every profile and diary change (when, by whom), the schema upgrade from version 1,
and the Binder demo's throwaway roster."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from planner import ClientProfile, DiaryEntry, Goal, Pain, PlannerInputError
from planner.store import (BINDER_DB_FOLDER, PUBLIC_DEMO_NOTICE, SCHEMA_VERSION, Store, StoreConflictError, StoreError,
                           default_url, on_binder, public_demo_notice, sqlite_url)

START = dt.date(2026, 1, 5)


def client(name: str, pain_now: float = 3) -> ClientProfile:
    return ClientProfile(name=name, pain=Pain(pain_now=pain_now), goal=Goal(start_date=START, weeks=8))


def entry(offset: int, pain: float = 3) -> DiaryEntry:
    return DiaryEntry(START + dt.timedelta(days=offset), 20, pain, pain, pain)


def test_the_second_coach_saving_the_same_client_is_told_and_nothing_is_lost(store_url):
    with Store(store_url, coach="Ann") as ann_store, Store(store_url, coach="Bob") as bob_store:
        client_id = ann_store.create_client(client("Carol"))
        ann_sees, bob_sees = ann_store.load_client(client_id), bob_store.load_client(client_id)
        assert ann_sees.version == bob_sees.version == 1
        assert ann_store.save_client(client_id, client("Carol", 5), expected_version=ann_sees.version) == 2
        with pytest.raises(StoreConflictError, match="changed since you opened it.*by Ann") as conflict:
            bob_store.save_client(client_id, client("Carol", 7), expected_version=bob_sees.version)
        assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
        assert isinstance(conflict.value, StoreError)
        for change in (lambda: bob_store.log_entry(client_id, entry(0), expected_version=1),
                       lambda: bob_store.rename_client(client_id, "Caroline", expected_version=1),
                       lambda: bob_store.delete_entry(client_id, START, expected_version=1),
                       lambda: bob_store.delete_client(client_id, expected_version=1)):
            with pytest.raises(StoreConflictError):
                change()
        kept = bob_store.load_client(client_id)
        assert (kept.profile.pain.pain_now, kept.version, kept.diary) == (5, 2, ())  # Ann's save, untouched
        assert bob_store.log_entry(client_id, entry(0), expected_version=kept.version) == 3  # after a reload: fine
        assert bob_store.save_client(client_id, client("Carol", 6)) == 4  # no expected version: last write wins
        with pytest.raises(PlannerInputError, match="client_id"):
            bob_store.save_client(999, client("Nobody"), expected_version=1)


def test_concurrent_saves_from_one_version_only_one_wins(store_url):
    with Store(store_url) as store:
        client_id = store.create_client(client("Dana"))
    outcomes: list[str] = []

    def save(pain: int) -> None:
        with Store(store_url, coach=f"coach {pain}") as own:
            try:
                own.save_client(client_id, client("Dana", pain), expected_version=1)
                outcomes.append(f"saved {pain}")
            except StoreConflictError:
                outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(pain,)) for pain in (4, 5, 6, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes).count("conflict") == 3
    winner = int(next(o for o in outcomes if o.startswith("saved")).split()[1])
    with Store(store_url) as store:
        record = store.load_client(client_id)
        assert (record.profile.pain.pain_now, record.version) == (winner, 2)
        assert [(h.note, h.changed_by) for h in store.history(client_id)] == [("created", None),
                                                                             ("saved", f"coach {winner}")]


def test_history_keeps_every_profile_and_diary_change_with_when_and_who(store_url, monkeypatch):
    monkeypatch.setenv("TRAILBACK_COACH", "Eve (front desk)")
    with Store(store_url) as store:
        client_id = store.create_client(client("Finn"), [entry(0)])
        store.log_entry(client_id, entry(2, 4), coach="Gus")
        store.save_client(client_id, client("Finn", 2))
        store.delete_entry(client_id, START)
        store.delete_entry(client_id, START)  # nothing there any more: no change, no history line
        store.rename_client(client_id, "Finn Hill")
        history = store.history(client_id)
    assert [(h.kind, h.note, h.changed_by, h.version) for h in history] == [
        ("profile", "created", "Eve (front desk)", 1),
        ("diary", "logged an entry of 2026-01-07", "Gus", 2),
        ("profile", "saved", "Eve (front desk)", 3),
        ("diary", "deleted the entry of 2026-01-05", "Eve (front desk)", 4),
        ("profile", "renamed to Finn Hill", "Eve (front desk)", 5)]
    assert history[1].entry == entry(2, 4) and history[3].entry == entry(0)
    assert history[1].profile.pain.pain_now == 3 and history[2].profile.pain.pain_now == 2
    times = [dt.datetime.fromisoformat(h.saved_at) for h in history]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    with pytest.raises(PlannerInputError, match="coach"):
        Store(store_url, coach="\ud800")


def test_export_and_import_keep_working_and_are_in_the_history(store_url):
    with Store(store_url, coach="Hal") as store:
        client_id = store.create_client(client("Ivy"), [entry(0), entry(1, 5)])
        copy_id = store.import_client(store.export_client(client_id))
        copy = store.load_client(copy_id)
        assert (copy.profile, copy.diary) == (store.load_client(client_id).profile, store.load_client(client_id).diary)
        assert [(h.note, h.changed_by) for h in store.history(copy_id)] == [("imported from a client file", "Hal")]


V1_SCHEMA = """
CREATE TABLE trailback_meta (key VARCHAR(64) PRIMARY KEY, value VARCHAR(256) NOT NULL);
CREATE TABLE clients (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL, profile_json TEXT NOT NULL,
                      created_at VARCHAR(40) NOT NULL, updated_at VARCHAR(40) NOT NULL);
CREATE TABLE diary_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, client_id INTEGER NOT NULL REFERENCES clients(id)
                            ON DELETE CASCADE, date VARCHAR(10) NOT NULL, entry_json TEXT NOT NULL,
                            CONSTRAINT one_entry_per_day UNIQUE (client_id, date));
CREATE TABLE plan_history (id INTEGER PRIMARY KEY AUTOINCREMENT, client_id INTEGER NOT NULL REFERENCES clients(id)
                           ON DELETE CASCADE, saved_at VARCHAR(40) NOT NULL, profile_json TEXT NOT NULL,
                           note TEXT NOT NULL);
INSERT INTO trailback_meta VALUES ('app', 'trailback'), ('schema_version', '1');
"""


def test_a_version_1_database_is_upgraded_in_place_keeping_everything(tmp_path):
    path = tmp_path / "old.sqlite"
    profile = json.dumps(client("Jo").to_dict(), sort_keys=True)
    flagged = DiaryEntry(START, 10, 6, 6, red_flags=frozenset({"bladder_bowel"}))
    with sqlite3.connect(path) as connection:
        connection.executescript(V1_SCHEMA)
        connection.execute("INSERT INTO clients VALUES (1, 'Jo', ?, '2026-01-01', '2026-01-02')", (profile,))
        connection.execute("INSERT INTO diary_entries VALUES (1, 1, ?, ?)", (START.isoformat(), json.dumps(flagged.to_dict())))
        connection.execute("INSERT INTO plan_history VALUES (1, 1, '2026-01-01T00:00:00+00:00', ?, 'created')", (profile,))
    with Store(sqlite_url(path)) as store:
        record = store.load_client(1)
        assert (record.profile.name, record.diary, record.version) == ("Jo", (flagged,), 1)
        assert [(h.note, h.changed_by, h.kind) for h in store.history(1)] == [("created", None, "profile")]
        assert store.roster(START + dt.timedelta(days=3))[0].state.state == "stopped: red flag"
        assert store.save_client(1, client("Jo", 4), expected_version=1) == 2
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM trailback_meta WHERE key='schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)


# --- Binder ------------------------------------------------------------------------------------

def test_on_binder_the_roster_is_a_throwaway_file_and_the_page_is_told(monkeypatch, tmp_path):
    for name in ("TRAILBACK_DB_URL", "TRAILBACK_DATA_DIR", "BINDER_SERVICE_HOST", "BINDER_REPO_URL", "BINDER_REF_URL",
                 "BINDER_LAUNCH_HOST", "BINDER_REQUEST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    assert not on_binder() and public_demo_notice() is None
    assert str(tmp_path) not in default_url()
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/trailback/trailback")
    assert on_binder()
    assert public_demo_notice() == PUBLIC_DEMO_NOTICE and "do not enter real client data" in PUBLIC_DEMO_NOTICE
    assert default_url() == sqlite_url(tmp_path / BINDER_DB_FOLDER / "trailback.sqlite")
    with Store() as store:
        store.create_client(client("Demo"))
    assert (tmp_path / BINDER_DB_FOLDER / "trailback.sqlite").exists()
    monkeypatch.setenv("TRAILBACK_DATA_DIR", str(tmp_path / "chosen"))  # an explicit choice still wins
    assert default_url() == sqlite_url(tmp_path / "chosen" / "trailback.sqlite")
    monkeypatch.delenv("BINDER_REPO_URL")
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.1")
    assert on_binder()


def test_a_page_asks_the_version_cheaply_and_reads_only_the_changes_after_its_own(store_url):
    """What a page open on a client checks every few seconds (issue 23): the version now, and when it
    moved, only the history after the version the page holds."""
    with Store(store_url, coach="Ann") as ann_store, Store(store_url, coach="Bob") as bob_store:
        client_id = ann_store.create_client(client("Erin"))
        assert ann_store.client_version(client_id) == 1 and ann_store.client_version(client_id + 1) is None
        assert bob_store.log_entry(client_id, entry(1), expected_version=1) == 2
        assert bob_store.save_client(client_id, client("Erin", 4), expected_version=2) == 3
        assert ann_store.client_version(client_id) == 3
        assert [(item.note, item.changed_by, item.version) for item in ann_store.history(client_id, after_version=1)] \
            == [(f"logged an entry of {entry(1).date.isoformat()}", "Bob", 2), ("saved", "Bob", 3)]
        assert ann_store.history(client_id, after_version=3) == []
        assert len(ann_store.history(client_id)) == 3
        bob_store.delete_client(client_id)
        assert ann_store.client_version(client_id) is None
