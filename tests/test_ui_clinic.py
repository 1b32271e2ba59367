"""The clinic features in the client bar, in-process (issue 14's UI part): each client's state in the
picker, the version check on every save / log / removal / delete with the conflict message and Reload,
the History with export and import of a client file, and the public-demo notice on Binder."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from planner import ClientProfile, DiaryEntry, Goal, Pain
from planner.store import PUBLIC_DEMO_NOTICE, Store, sqlite_url
from planner.ui import build_app

START = dt.date(2026, 1, 5)  # a Monday
TODAY = dt.date(2026, 1, 20)  # Tuesday of week 3
PROFILE = ClientProfile(name="", pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))


def walk(day: int, during: float = 2, red_flags: frozenset[str] = frozenset()) -> DiaryEntry:
    return DiaryEntry(START + dt.timedelta(days=day), 15, during, during, during, red_flags=red_flags)


@pytest.fixture
def url(tmp_path) -> str:
    return sqlite_url(tmp_path / "clinic.sqlite")


@pytest.fixture
def store(url):
    with Store(url, coach="Coach Ann") as opened:
        yield opened


def seeded(store) -> dict[str, int]:
    """Four clients, one per state: on track, step back (pain far over the limit), stopped (a red flag in
    the diary), nothing logged since the start."""
    named = lambda name: ClientProfile(name=name, pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))
    return {
        "Alice": store.create_client(named("Alice"), [walk(day) for day in (0, 2, 4, 7, 9, 11, 14)]),
        "Bob": store.create_client(named("Bob"), [walk(day, during=9) for day in (7, 9, 11)] + [walk(14)]),
        "Carol": store.create_client(named("Carol"), [walk(0), walk(8, red_flags=frozenset({"bladder_bowel"}))]),
        "Dan": store.create_client(named("Dan")),
    }


def open_as(app, client_id: int) -> None:
    app.clients.bar.pick.value = client_id
    assert app.clients.client_id == client_id


def text_of(html_text: str) -> str:
    return re.sub(r"<[^>]+>", " ", html_text)


# --- 1. states in the picker -----------------------------------------------------------------------
def test_the_picker_lists_each_client_with_their_state_most_urgent_first(store):
    ids = seeded(store)
    app = build_app(PROFILE, today=TODAY, store=store)
    labels = [label.replace("\xa0", " ") for label in app.clients.bar.listed_labels()]
    states = {line.name: line.state.state for line in store.roster(TODAY)}
    assert states == {"Alice": "on track", "Bob": "step back", "Carol": "stopped: red flag",
                      "Dan": "nothing logged for 7 days"}
    assert labels == ["Carol  ·  ✖ stopped: red flag", "Bob  ·  ▼ step back", "Dan  ·  … nothing logged for 7 days",
                      "Alice  ·  ✓ on track"]
    assert app.clients.bar.listed_names() == ["Carol", "Bob", "Dan", "Alice"]
    line = text_of(app.clients.bar.state.value)
    assert "Needing a look in the list: 1 stopped: red flag, 1 step back, 1 nothing logged for 7 days" in line
    open_as(app, ids["Carol"])
    badge = app.clients.bar.state.value
    assert "data-state='stopped: red flag'" in badge and "Tue 13 Jan 2026" in badge  # the diary's red flag and when
    reason = re.search(r"<span class='tb-state-reason' title='([^']*)'>([^<]*)</span>", badge)
    assert reason.group(2).endswith("emergency department now.")  # the banner says the rest...
    assert "cauda equina" in reason.group(1) and "cauda equina" not in reason.group(2)  # ...and the tooltip
    open_as(app, ids["Alice"])
    assert "data-state='on track'" in app.clients.bar.state.value


def test_the_roster_is_one_store_query_and_follows_a_logged_entry(store, monkeypatch):
    ids = seeded(store)
    calls = []
    original = store.roster
    monkeypatch.setattr(store, "roster", lambda today, search="": calls.append(today) or original(today, search))
    app = build_app(PROFILE, today=TODAY, store=store)
    assert calls == [TODAY]
    monkeypatch.setattr(store, "load_client", lambda *a: pytest.fail("the roster must not load clients one by one"))
    app.clients.refresh_roster()
    assert len(calls) == 2
    monkeypatch.undo()
    monkeypatch.setattr(store, "roster", lambda today, search="": calls.append(today) or original(today, search))
    app = build_app(PROFILE, today=TODAY, store=store)
    assert len(calls) == 3
    open_as(app, ids["Dan"])
    assert "data-state='nothing logged for 7 days'" in app.clients.bar.state.value
    app.clients.log_entry(DiaryEntry(TODAY - dt.timedelta(days=1), 12, 2, 2, 2))
    assert "data-state='on track'" in app.clients.bar.state.value  # the state follows the entry at once
    assert "Dan  ·  ✓ on track" in [label.replace("\xa0", " ") for label in app.clients.bar.listed_labels()]
    app.clients.log_entry(DiaryEntry(TODAY, 12, 9, 9, 9))
    app.form.fields["pain_now"].widget.value = 4
    app.clients.bar.save_button.click()
    assert len(calls) == 3  # open, log, save re-judge only the client this page changed
    assert [(line.name, line.state.state) for line in store.roster(TODAY)] == [
        (line.name, line.state.state) for line in sorted(app.clients.roster_lines, key=lambda line: line.name)]


# --- 2. version check end to end ---------------------------------------------------------------------
@pytest.fixture
def two_coaches(url):
    """Two apps (two coaches' pages) on one database, both with "Alice" open."""
    with Store(url, coach="Coach Ann") as first_store, Store(url, coach="Coach Ben") as second_store:
        alice = first_store.create_client(ClientProfile(name="Alice", pain=Pain(pain_now=3),
                                                        goal=Goal(start_date=START, weeks=12)))
        first = build_app(PROFILE, today=TODAY, store=first_store)
        second = build_app(PROFILE, today=TODAY, store=second_store)
        open_as(first, alice)
        open_as(second, alice)
        yield first, second, alice, first_store


def test_the_second_save_is_told_of_the_first_and_keeps_its_edits(two_coaches):
    first, second, alice, store = two_coaches
    first.form.fields["pain_now"].widget.value = 5
    first.clients.bar.save_button.click()
    assert "Saved Alice" in first.clients.bar.message.value
    second.form.fields["pain_now"].widget.value = 7
    second.clients.bar.save_button.click()
    bar = second.clients.bar
    shown = text_of(bar.conflict_text.value)
    assert bar.conflict_shown() and "Alice changed since you opened it" in shown
    assert re.search(r"\(last change: saved by Coach Ann on [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4} at \d\d:\d\d UTC\)",
                     shown), shown  # the day as the rest of the page writes it
    assert "nothing was saved" in shown and "Reload" in shown
    assert store.load_client(alice).profile.pain.pain_now == 5  # the first coach's change stands
    assert second.read_profile().pain.pain_now == 7 and second.clients.dirty()  # the edit is still in the form
    bar.reload_button.click()
    assert not bar.conflict_shown() and second.read_profile().pain.pain_now == 5
    second.form.fields["pain_now"].widget.value = 6
    bar.save_button.click()
    assert "Saved Alice" in bar.message.value and store.load_client(alice).profile.pain.pain_now == 6
    assert [(h.note, h.changed_by) for h in store.history(alice)][-2:] == [("saved", "Coach Ann"), ("saved", "Coach Ben")]


def test_keep_my_edits_hides_the_message_and_a_later_save_still_checks(two_coaches):
    first, second, alice, store = two_coaches
    first.clients.bar.save_button.click()
    second.form.fields["pain_now"].widget.value = 7
    second.clients.bar.save_button.click()
    second.clients.bar.keep_button.click()
    assert not second.clients.bar.conflict_shown() and second.read_profile().pain.pain_now == 7
    second.clients.bar.save_button.click()  # still the old version: refused again, not written over
    assert second.clients.bar.conflict_shown() and store.load_client(alice).profile.pain.pain_now == 3


def test_logging_removing_and_deleting_check_the_version(two_coaches):
    first, second, alice, store = two_coaches
    first.clients.log_entry(DiaryEntry(START + dt.timedelta(days=8), 14, 3, 3, 3))
    assert first.clients.version == 2
    entry = DiaryEntry(START + dt.timedelta(days=9), 14, 3, 3, 3)
    assert not second.clients.log_entry(entry)
    assert second.clients.bar.conflict_shown()
    assert "changed elsewhere" in second.clients.diary_panel.message.value
    assert [e.date for e in store.load_client(alice).diary] == [START + dt.timedelta(days=8)]
    second.clients.bar.reload_button.click()
    assert second.clients.diary == list(store.load_client(alice).diary) and second.clients.version == 2
    assert second.clients.log_entry(entry)
    first.clients.remove_entry(START + dt.timedelta(days=8))  # the first coach has not seen the second's entry
    assert first.clients.bar.conflict_shown() and len(store.load_client(alice).diary) == 2
    first.clients.delete_client()
    assert first.clients.bar.conflict_shown() and store.load_client(alice).profile.name == "Alice"
    first.clients.bar.reload_button.click()
    first.clients.delete_client()
    assert "Deleted Alice" in first.clients.bar.message.value and store.list_clients() == []


def test_saving_twice_on_one_page_is_no_conflict(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    app.clients.bar.name.value = "Eve"
    app.clients.bar.save_button.click()
    for pain in (4, 5, 6):
        app.form.fields["pain_now"].widget.value = pain
        app.clients.bar.save_button.click()
        assert not app.clients.bar.conflict_shown()
    app.clients.log_entry(DiaryEntry(START + dt.timedelta(days=1), 14, 3, 3, 3))
    app.clients.bar.name.value = "Eve Adams"
    assert app.clients.save_client()
    assert app.clients.version == 6 and store.load_client(app.clients.client_id).version == 6


# --- 3. history, export, import -----------------------------------------------------------------------
def test_history_shows_when_who_and_what_newest_first(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    bar = app.clients.bar
    bar.name.value = "Fay"
    bar.save_button.click()
    app.form.fields["pain_now"].widget.value = 5
    bar.save_button.click()
    assert bar.history_table.value == ""  # built only when the section is opened
    bar.history.selected_index = 0
    rows = re.findall(r"<tr class='tb-history-row'.*?</tr>", bar.history_table.value)
    assert [text_of(row).split() for row in rows][-1][-1] == "created"
    assert len(rows) == 2 and "Coach Ann" in rows[0] and "saved" in rows[0]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0])
    app.clients.log_entry(DiaryEntry(START + dt.timedelta(days=1), 14, 3, 3, 3))  # an open History follows
    assert "logged" in text_of(re.findall(r"<tr class='tb-history-row'.*?</tr>", bar.history_table.value)[0])


def test_export_then_import_makes_the_same_client(store, tmp_path):
    app = build_app(PROFILE, today=TODAY, store=store)
    bar = app.clients.bar
    bar.name.value = "Gus"
    bar.save_button.click()
    app.clients.log_entry(DiaryEntry(START + dt.timedelta(days=2), 16, 3, 2, 2, note="hills"))
    filename, mime, data = bar.export_button.payload()
    assert filename == "trailback-gus-client.json" and mime == "application/json"
    assert json.loads(data)["profile"]["name"] == "Gus"
    with Store(sqlite_url(tmp_path / "other.sqlite"), coach="Coach Ben") as other:
        elsewhere = build_app(PROFILE, today=TODAY, store=other)
        elsewhere.clients.import_file(data)
        assert "Imported Gus as a new client" in elsewhere.clients.bar.history_message.value
        assert elsewhere.clients.client_id is not None  # opened (nothing unsaved on that page)
        assert elsewhere.read_profile() == store.load_client(app.clients.client_id).profile
        assert elsewhere.clients.diary == list(store.load_client(app.clients.client_id).diary)
        assert other.history(elsewhere.clients.client_id)[0].note == "imported from a client file"


def test_importing_with_unsaved_edits_asks_before_opening(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    data = json.dumps({"name": "Hal", "pain": {"pain_now": 2}}).encode()  # a bare profile is a client file too
    app.form.fields["pain_now"].widget.value = 8
    app.clients.import_file(data)
    assert app.clients.bar.guard_open() and app.read_profile().pain.pain_now == 8
    app.clients.bar.guard_cancel.click()
    assert app.clients.client_id is None and "Hal" in app.clients.bar.listed_names()


BAD_FILES = [
    (b"not json at all", "not a Trailback client file"),
    (b"\xff\xfe\x00garbage", "not a Trailback client file"),
    (b"[1, 2, 3]", "not a Trailback client file"),
    (b"[" * 100_000 + b"]" * 100_000, "not a Trailback client file"),
    (json.dumps({"format": "trailback-client", "version": 2, "profile": {"pain": {"pain_now": int("9" * 400)}},
                 "diary": []}).encode(), "pain now"),
    (json.dumps({"name": "\ud800"}).encode(), "name"),
    (json.dumps({"name": "Ivy", "pain": {"red_flags": [[0]]}}).encode(), "red flags"),
    (json.dumps({"format": "trailback-client", "version": 2, "profile": {"name": "Jo"}, "diary": {"a": 1}}).encode(),
     "diary"),
    (b"{" * 10 + b"}", "not a Trailback client file"),
    (b"9" * 3_000_000, "too large"),
]


@pytest.mark.parametrize("content, words", BAD_FILES)
def test_a_bad_client_file_ends_in_a_message_and_adds_no_client(store, content, words):
    app = build_app(PROFILE, today=TODAY, store=store)
    app.clients.bar.history.selected_index = 0
    app.clients.import_file(content)
    message = app.clients.bar.history_message.value
    assert "tb-error-text" in message and words in message, message
    assert store.list_clients() == [] and app.clients.client_id is None


def test_the_upload_widget_imports_the_chosen_file(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    upload = app.clients.bar.import_upload
    upload.value = ({"name": "x.json", "type": "application/json", "size": 8, "content": memoryview(b"nonsense"),
                     "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)},)
    assert "not a Trailback client file" in app.clients.bar.history_message.value and upload.value == ()


def test_export_without_an_open_client_says_so(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    _name, _mime, data = app.clients.bar.export_button.payload()
    assert data == b"" and "Open or save a client first" in app.clients.bar.history_message.value


# --- 4. the public demo on Binder -----------------------------------------------------------------
def test_on_binder_the_page_opens_with_the_public_demo_notice(store, monkeypatch):
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.1")
    app = build_app(PROFILE, today=TODAY, store=store)
    assert app.widget.children[0].children[0] is app.demo_notice  # first thing on the page
    assert "Public demo: do not enter real client data" in app.demo_notice.value
    assert PUBLIC_DEMO_NOTICE.split(".")[0] in app.demo_notice.value


def test_elsewhere_there_is_no_demo_notice(store, monkeypatch):
    for name in ("BINDER_SERVICE_HOST", "BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST"):
        monkeypatch.delenv(name, raising=False)
    app = build_app(PROFILE, today=TODAY, store=store)
    assert app.demo_notice.value == ""


def test_plan_a_is_forgotten_when_another_client_or_a_new_one_comes_on_the_page(store):
    ids = seeded(store)
    app = build_app(store=store, today=START + dt.timedelta(days=15))
    open_as(app, ids["Alice"])
    app.compare.keep_button.click()
    assert app.compare.pinned is not None and app.compare.pinned.profile.name == "Alice"
    open_as(app, ids["Dan"])  # Alice's plan A must not be compared with Dan's plan
    assert app.compare.pinned is None
    app.compare.keep_button.click()
    assert app.compare.pinned.profile.name == "Dan"
    app.clients.bar.new_button.click()
    assert app.compare.pinned is None
