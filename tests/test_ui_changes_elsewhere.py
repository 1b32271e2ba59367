"""Issue 23, item 6: a client changed on another page (another coach, another tab) shows on this page
without a reload. Two apps on one database stand for two pages; ``ClientWork.check_for_changes`` is
what the kernel's timer runs every few seconds (``ClientWork.watch``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from event_loops import run_async  # tests/ is on sys.path for its own modules
import sqlalchemy as sa

from planner import ClientProfile, DiaryEntry, Goal, Pain
from planner.store import Store, sqlite_url
from planner.ui import build_app
from planner.ui.dates import day_text

START = dt.date(2026, 1, 5)  # a Monday
TODAY = dt.date(2026, 1, 20)  # Tuesday of week 3: nothing logged since the start is "nothing logged for 7 days"
PROFILE = ClientProfile(name="", pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))
BAD_DAY = DiaryEntry(TODAY - dt.timedelta(days=6), 14, 7, 7, 7, note="hilly detour")  # last week: this week holds


def text_of(html_text: str) -> str:
    return re.sub(r"<[^>]+>", " ", html_text).replace("\xa0", " ")


@pytest.fixture
def pages(tmp_path):
    """Two pages (apps) on one database, one store each (Coach Ann's and Coach Bea's), both with
    "Dan" open: nothing logged yet."""
    url = sqlite_url(tmp_path / "shared.sqlite")
    with Store(url, coach="Coach Ann") as ann_store, Store(url, coach="Coach Bea") as bea_store:
        dan = ann_store.create_client(ClientProfile(name="Dan", pain=Pain(pain_now=3),
                                                    goal=Goal(start_date=START, weeks=12)))
        first = build_app(PROFILE, today=TODAY, store=ann_store)
        second = build_app(PROFILE, today=TODAY, store=bea_store)
        for app in (first, second):
            app.clients.bar.pick.value = dan
            assert app.clients.client_id == dan
        yield first, second, dan, ann_store


def test_another_pages_diary_entry_shows_in_the_status_line_diary_and_plan(pages):
    first, second, dan, store = pages
    bar = first.clients.bar
    assert "data-state='nothing logged for 7 days'" in bar.state.value
    assert "tb-why" not in first.summary.line.value  # no diary: no "what changed and why" line yet
    assert first.clients.check_for_changes() == ""  # nothing changed yet: nothing happens
    assert second.clients.log_entry(BAD_DAY)

    assert first.clients.check_for_changes() == "updated"
    message = text_of(bar.message.value)
    assert f"Updated: Coach Bea logged an entry of {day_text(BAD_DAY.date)} at " in message, message
    assert "nothing logged" not in bar.state.value and "data-state='hold'" in bar.state.value
    assert bar.state.value == second.clients.bar.state.value
    assert first.clients.diary == [BAD_DAY] and "data-entries='1'" in first.clients.diary_panel.heading.value
    assert first.summary.line.value == second.summary.line.value  # the "what changed and why" line follows
    assert "<div class='tb-why' data-adjustment='hold'>" in first.summary.line.value
    assert not first.clients.dirty() and "data-unsaved" not in bar.message.value
    assert first.clients.version == store.client_version(dan)
    assert first.clients.check_for_changes() == ""  # told once
    first.form.fields["pain_now"].widget.value = 4  # the next save is no conflict
    bar.save_button.click()
    assert "Saved Dan" in bar.message.value and not bar.conflict_shown()
    assert store.load_client(dan).diary == (BAD_DAY,) and store.load_client(dan).profile.pain.pain_now == 4


def test_an_unchanged_client_costs_one_small_query(pages):
    first, _second, _dan, store = pages
    statements = []
    listener = lambda conn, cursor, statement, *rest: statements.append(statement)
    sa.event.listen(store.engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert first.clients.check_for_changes() == ""
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listener)
    queries = [text for text in statements if text != "BEGIN"]  # SQLite's transaction start (planner.store)
    assert len(queries) == 3 and all(re.fullmatch(r"SELECT clients.version\s+FROM clients\s+WHERE clients.id = \?",
                                                  text) for text in queries), queries


def test_no_client_open_means_no_query(tmp_path):
    with Store(sqlite_url(tmp_path / "empty.sqlite")) as store:
        app = build_app(PROFILE, today=TODAY, store=store)
        store.client_version = lambda client_id: pytest.fail("no client is open: nothing to check")
        assert app.clients.check_for_changes() == ""


def test_unsaved_edits_are_kept_and_the_coach_told_what_to_do(pages):
    first, second, dan, store = pages
    first.form.fields["pain_now"].widget.value = 6  # an unsaved edit on the first page
    assert second.clients.log_entry(BAD_DAY)

    assert first.clients.check_for_changes() == "kept"
    bar = first.clients.bar
    shown = text_of(bar.conflict_text.value)
    assert bar.conflict_shown() and "Dan was changed on another page (Coach Bea logged an entry of" in shown
    assert "Your unsaved edits are still here, but saving them would be refused" in shown and "Reload" in shown
    assert first.read_profile().pain.pain_now == 6 and first.clients.diary == []  # nothing replaced
    bar.keep_button.click()
    assert first.clients.check_for_changes() == "kept" and not bar.conflict_shown()  # told once, not every check
    bar.save_button.click()  # the existing conflict flow: refused, nothing written over
    assert bar.conflict_shown() and store.load_client(dan).profile.pain.pain_now == 3
    bar.reload_button.click()
    assert first.clients.diary == [BAD_DAY] and first.read_profile().pain.pain_now == 3


def test_edits_undone_let_the_next_check_take_the_stored_client(pages):
    first, second, _dan, _store = pages
    first.form.fields["pain_now"].widget.value = 6
    assert second.clients.log_entry(BAD_DAY)
    assert first.clients.check_for_changes() == "kept"
    first.form.fields["pain_now"].widget.value = 3  # back to the saved answer
    first.clients.bar.keep_button.click()
    assert first.clients.check_for_changes() == "updated" and first.clients.diary == [BAD_DAY]


def test_a_profile_saved_elsewhere_comes_on_the_page(pages):
    first, second, _dan, _store = pages
    second.form.fields["pain_now"].widget.value = 5
    second.clients.bar.save_button.click()
    assert first.clients.check_for_changes() == "updated"
    assert first.read_profile().pain.pain_now == 5 and not first.clients.dirty()
    assert "Updated: Coach Bea saved at " in text_of(first.clients.bar.message.value)


def test_a_client_deleted_elsewhere_leaves_the_page_as_an_unsaved_new_client(pages):
    first, second, _dan, store = pages
    second.clients.delete_client()
    assert first.clients.check_for_changes() == "deleted"
    assert first.clients.client_id is None and first.clients.bar.pick.value == 0
    assert "Dan was deleted on another page" in text_of(first.clients.bar.message.value)
    assert "Dan" not in first.clients.bar.listed_names()
    first.clients.bar.save_button.click()  # Save keeps what the page shows as a new client
    assert [client.name for client in store.list_clients()] == ["Dan"]


def test_the_watch_checks_on_the_event_loop_every_few_seconds(pages):
    first, second, _dan, _store = pages

    async def run() -> None:
        first.clients.watch(asyncio.get_running_loop(), seconds=0.05)
        await asyncio.sleep(0.12)
        assert second.clients.log_entry(BAD_DAY)
        await asyncio.sleep(0.2)

    run_async(run())
    assert first.clients.diary == [BAD_DAY] and "Updated: Coach Bea" in first.clients.bar.message.value


def test_the_dashboard_in_a_kernel_starts_the_watch(pages, monkeypatch):
    """``App`` in a kernel (an event loop running) checks by itself; outside one (these tests) it does not."""
    import planner.ui.app as app_module
    import planner.ui.clients as clients_module

    _first, second, dan, store = pages
    monkeypatch.setattr(clients_module, "DEFAULT_CHANGE_CHECK_SECONDS", 0.05)

    async def run():
        monkeypatch.setattr(app_module, "_kernel_loop", asyncio.get_running_loop)
        app = build_app(PROFILE, today=TODAY, store=store)
        app.clients.bar.pick.value = dan
        assert second.clients.log_entry(BAD_DAY)
        await asyncio.sleep(0.3)
        return app

    app = run_async(run())
    assert app.clients.diary == [BAD_DAY] and "Updated: Coach Bea" in app.clients.bar.message.value
