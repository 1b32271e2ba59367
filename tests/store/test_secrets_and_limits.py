"""Issue 24: no database password on any page message or log line (item 2), the store's limits on
client files and diaries (item 7), the integrity check of a damaged file writing nothing beside it
(item 8), and the JupyterHub user as the coach in the history (item 3's store part)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import traceback
import uuid

import pytest
import sqlalchemy as sa

from planner import ClientProfile, DiaryEntry, Goal, Pain
from planner.store import (DEFAULT_MAX_CLIENT_FILE_BYTES, DEFAULT_MAX_DIARY_ENTRIES, EXPORT_FORMAT, Store,
                           StoreError, client_from_json, scrub, shown_url, sqlite_url)

PASSWORD = "pw-" + uuid.uuid4().hex  # nothing else on the page or in a log could contain this by chance
START = dt.date(2026, 1, 5)


def profile(name: str = "Ada") -> ClientProfile:
    return ClientProfile(name=name, pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))


def entry(day: dt.date) -> DiaryEntry:
    return DiaryEntry(day, 20, 2, 2, 2)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def everything_said(error: BaseException) -> str:
    """All a page or a log could show of an exception: its text, repr and the formatted traceback."""
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


# --- item 2: the password ----------------------------------------------------------------------------

def test_shown_url_hides_the_password_and_scrub_hides_it_in_any_text():
    url = f"postgresql+psycopg://trailback:{PASSWORD}@db.example.org:5432/trailback"
    assert shown_url(url) == "postgresql+psycopg://trailback:***@db.example.org:5432/trailback"
    driver_text = f"could not connect with {url} (password {PASSWORD!r})"
    assert PASSWORD not in scrub(driver_text, url)
    assert "db.example.org" in scrub(driver_text, url)  # the rest of the message is kept
    assert PASSWORD not in shown_url(f"not a url but user:{PASSWORD}@host")


def test_an_unreachable_database_never_shows_its_password_on_the_page_or_in_the_log(caplog):
    from planner.ui import build_app

    caplog.set_level(logging.DEBUG)
    url = f"postgresql+psycopg://trailback:{PASSWORD}@127.0.0.1:{closed_port()}/trailback"
    with pytest.raises(StoreError) as raised:
        Store(url)
    said = everything_said(raised.value)
    assert "could not" in said or "cannot open" in said
    assert "trailback:***@127.0.0.1" in str(raised.value)  # the page still says which database
    assert PASSWORD not in said

    app = build_app(store=lambda: Store(url))  # a new page on a server whose database is down
    app.clients.refresh_roster()
    message = app.clients.bar.message.value
    assert "cannot be opened" in message
    assert PASSWORD not in message
    assert PASSWORD not in caplog.text


def test_a_database_lost_after_opening_never_shows_its_password(postgres_admin_url, caplog):
    """The issue's case: the page opened, then PostgreSQL went away; Save's message names the database
    without its password (the throwaway cluster trusts loopback, so any password opens it)."""
    caplog.set_level(logging.DEBUG)
    name = f"trailback_secret_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(postgres_admin_url).set(database=name, password=PASSWORD).render_as_string(
        hide_password=False)
    try:
        store = Store(url, coach="Ann")
        client_id = store.create_client(profile())
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        errors = []
        for call in (lambda: store.save_client(client_id, profile("Bea")), lambda: store.roster(START),
                     lambda: store.history(client_id), lambda: store.log_entry(client_id, entry(START))):
            with pytest.raises(StoreError) as raised:
                call()
            errors.append(everything_said(raised.value))
        store.close()
        assert all("trailback:***@" in text for text in errors)
        assert not any(PASSWORD in text for text in errors)
        assert PASSWORD not in caplog.text
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- item 3 (store part): the signed-in coach --------------------------------------------------------

def test_the_jupyterhub_user_is_the_coach_in_the_history(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAILBACK_COACH", "front desk")
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        client_id = store.create_client(profile())
        store.log_entry(client_id, entry(START))
        assert [item.changed_by for item in store.history(client_id)] == ["ann", "ann"]
    monkeypatch.delenv("JUPYTERHUB_USER")
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:  # standalone: the server's coach
        assert store.coach == "front desk"


# --- item 7: limits ----------------------------------------------------------------------------------

def client_file(entries: list[dict], note: str = "") -> str:
    return json.dumps({"format": EXPORT_FORMAT, "version": 2, "profile": profile().to_dict(),
                       "diary": entries, "padding": note})


def test_a_client_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    big = client_file([], note="x" * (DEFAULT_MAX_CLIENT_FILE_BYTES + 1))
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        with pytest.raises(StoreError, match="limit is 2 MB"):
            store.import_client(big)
        with pytest.raises(StoreError, match="limit is 2 MB"):
            store.import_client(big.encode())
        assert store.list_clients() == []


def test_a_diary_over_the_entry_limit_is_refused_through_every_door(tmp_path):
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=n) for n in range(DEFAULT_MAX_DIARY_ENTRIES + 1)]
    compact = client_file([{"date": day.isoformat(), "minutes_walked": 1, "pain_during": 0, "pain_after": 0}
                           for day in days])
    assert len(compact.encode()) < DEFAULT_MAX_CLIENT_FILE_BYTES  # the entry count, not the size, refuses it
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        with pytest.raises(StoreError, match="at most 3,660"):
            store.import_client(compact)
        with pytest.raises(StoreError, match="at most 3,660"):
            store.create_client(profile(), [entry(day) for day in days])
        client_id = store.create_client(profile(), [entry(day) for day in days[:-1]])
        with pytest.raises(StoreError, match="full"):
            store.log_entry(client_id, entry(days[-1]))
        store.log_entry(client_id, entry(days[0]))  # replacing a day's entry is still allowed
        assert len(store.load_client(client_id).diary) == DEFAULT_MAX_DIARY_ENTRIES
        assert len(store.list_clients()) == 1


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(9999, 12, 31),
                                 dt.date.today() + dt.timedelta(days=400)])
def test_diary_dates_outside_a_sane_range_are_refused(tmp_path, day):
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        with pytest.raises(StoreError, match="outside 1900-01-01"):
            store.import_client(client_file([entry(day).to_dict()]))
        with pytest.raises(StoreError, match="outside"):
            store.create_client(profile(), [entry(day)])
        client_id = store.create_client(profile(), [entry(START)])
        with pytest.raises(StoreError, match="outside"):
            store.log_entry(client_id, entry(day))
        with pytest.raises(StoreError, match="outside"):
            client_from_json(client_file([entry(day).to_dict()]))
        assert [e.date for e in store.load_client(client_id).diary] == [START]


# --- item 8: checking a damaged file writes nothing beside it -----------------------------------------

def test_checking_a_damaged_wal_file_leaves_nothing_beside_it(tmp_path):
    path = tmp_path / "roster.sqlite"
    with Store(sqlite_url(path)) as store:  # a WAL-mode file, as every store leaves it
        for number in range(60):
            store.create_client(profile(f"client {number}"), [entry(START)])
    assert path.read_bytes()[18:20] == b"\x02\x02"  # the header's WAL mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.sqlite"]
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[3 * page_size:3 * page_size + 64] = b"\xff" * 64  # a B-tree page's header turned to garbage
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|malformed"):
        Store(sqlite_url(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.sqlite"]
    assert path.read_bytes() == bytes(data)
