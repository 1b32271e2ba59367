"""Issue 21: a diary entry imported from a recording keeps where it came from in the store and its
history (file name, device, checksum), on SQLite and PostgreSQL, and in a client's JSON file."""

from __future__ import annotations

import datetime as dt

from planner import ClientProfile, DiaryEntry, Goal
from planner.recordings import RecordingSource
from planner.store import ClientRecord, Store, client_from_json, client_to_json

START = dt.date(2026, 1, 5)
SOURCE = RecordingSource("Morning walk.fit", "0f" * 32, 1, "FIT", "garmin fenix5", "walking",
                         "2026-01-06T07:30:00+00:00", 41.5, 3.2, 85.0, 912.4)


def test_a_recorded_entry_keeps_its_source_in_the_diary_and_the_history(store_url):
    store = Store(store_url, coach="desk")
    client_id = store.create_client(ClientProfile(name="Recorded", goal=Goal(start_date=START, weeks=8)))
    imported = DiaryEntry(START + dt.timedelta(days=1), 41.5, 0, 0, recordings=(SOURCE,), pains_missing=True)
    store.log_entry(client_id, imported)
    (loaded,) = store.load_client(client_id).diary
    assert loaded == imported
    assert loaded.recordings[0].file_name == "Morning walk.fit" and loaded.recordings[0].device == "garmin fenix5"
    assert loaded.recordings[0].checksum == "0f" * 32 and loaded.pains_missing
    # the coach adds the pains later: the entry keeps its source, the history has both
    with_pains = DiaryEntry(loaded.date, loaded.minutes_walked, 2, 3, recordings=loaded.recordings)
    store.log_entry(client_id, with_pains)
    diary_changes = [item for item in store.history(client_id) if item.kind == "diary"]
    assert [item.entry for item in diary_changes] == [imported, with_pains]
    assert all(item.entry.recordings == (SOURCE,) for item in diary_changes)


def test_a_client_file_carries_the_sources():
    record = ClientRecord(1, ClientProfile(name="Recorded", goal=Goal(start_date=START, weeks=8)),
                          (DiaryEntry(START, 41.5, 0, 0, recordings=(SOURCE,), pains_missing=True),), 1)
    profile, diary = client_from_json(client_to_json(record))
    assert tuple(diary) == record.diary and profile == record.profile
