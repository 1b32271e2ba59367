"""The Clients and Diary panels in-process: roster actions, diary logging that replans, bad entries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from planner import ClientProfile, DiaryEntry, Goal, Pain, adapt, plan
from planner.store import Store, StoreError, sqlite_url
from planner.ui import build_app

START = dt.date(2026, 1, 5)  # a Monday
TODAY = dt.date(2026, 1, 20)  # Tuesday of week 3
PROFILE = ClientProfile(name="", pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))


@pytest.fixture
def store(tmp_path):
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as opened:
        yield opened


@pytest.fixture
def app(store):
    return build_app(PROFILE, today=TODAY, store=store)


def roster_names(app) -> list[str]:
    return [label for label, _ in app.clients.roster.options]


def create(app, name: str) -> int:
    app.clients.name.value = name
    app.clients.new_button.click()
    return app.client_id


def fill_entry(app, day: dt.date, minutes: float = 14, during: float = 4, after: float = 4, morning=6,
               leg: str = "none", flag: str = "", note: str = "") -> None:
    panel = app.diary_panel
    panel.date.value = day
    panel.minutes_walked.value = minutes
    panel.pain_during.value, panel.pain_after.value = during, after
    panel.pain_next_morning.value = morning
    panel.leg_symptoms.value, panel.red_flags.value, panel.note.value = leg, flag, note


def log(app, day: dt.date, **values) -> None:
    fill_entry(app, day, **values)
    app.diary_panel.log_button.click()


def test_create_rename_search_and_delete_with_confirmation(app, store):
    alice = create(app, "Alice Walker")
    bob = create(app, "Bob Hill")
    assert roster_names(app) == ["Alice Walker", "Bob Hill"]
    assert app.clients.roster.value == bob and app.form.client_name.value == "Bob Hill"
    assert [c.name for c in store.list_clients()] == ["Alice Walker", "Bob Hill"]

    app.clients.search.value = "ali"
    assert roster_names(app) == ["Alice Walker"]
    app.clients.search.value = ""

    app.clients.roster.value = alice
    app.clients.name.value = "Alice Stone"
    app.clients.rename_button.click()
    assert store.load_client(alice).profile.name == "Alice Stone"
    assert app.form.client_name.value == "Alice Stone"
    assert roster_names(app) == ["Alice Stone", "Bob Hill"]

    app.clients.delete_button.click()  # first click only asks
    assert app.clients.confirm.layout.display != "none"
    assert "Alice Stone" in app.clients.confirm_text.value
    app.clients.confirm_no.click()
    assert app.clients.confirm.layout.display == "none"
    assert len(store.list_clients()) == 2

    app.clients.delete_button.click()
    app.clients.confirm_yes.click()
    assert [c.name for c in store.list_clients()] == ["Bob Hill"]
    assert roster_names(app) == ["Bob Hill"] and app.clients.roster.value is None
    assert app.client_id is None and "Deleted Alice Stone" in app.clients.message.value


def test_picking_a_client_fills_the_form_and_loads_the_diary(app, store):
    other = ClientProfile(name="Cara", pain=Pain(pain_now=2), goal=Goal(start_date=START, weeks=8, kind="hiking"))
    entry = DiaryEntry(START + dt.timedelta(days=8), 14, 6, 6, 6)
    cara = store.create_client(other, [entry])
    app.refresh_roster()
    assert roster_names(app) == ["Cara"]
    app.clients.roster.value = cara
    assert app.form.profile() == other
    assert app.form.fields["weeks"].widget.value == 8 and app.form.fields["kind"].widget.value == "hiking"
    assert app.diary == [entry]
    assert "data-date='2026-01-13'" in app.diary_panel.entries.children[0].children[1].value
    assert app.current_plan.weekly.equals(adapt(other, plan(other), [entry], TODAY).weekly)
    assert app.charts.adjustment_labels() == {3: "hold"}


def test_save_stores_the_form_inputs(app, store):
    client = create(app, "Dee")
    app.form.fields["pain_now"].widget.value = 5
    assert store.load_client(client).profile.pain.pain_now == 3  # not yet saved
    app.clients.save_button.click()
    assert store.load_client(client).profile.pain.pain_now == 5
    assert "Saved Dee" in app.clients.message.value


def test_logging_a_painful_session_holds_next_week_with_the_reason(app, store):
    client = create(app, "Eve")
    before_bars = list(app.charts.load_bars.y)
    replans = app.replan_count
    log(app, START + dt.timedelta(days=8), morning=6)  # pain not settled by next morning, in week 2

    assert app.replan_count > replans
    weekly = app.current_plan.weekly
    assert weekly.loc[weekly["week"] == 3, "adjustment"].item() == "hold"
    reason = weekly.loc[weekly["week"] == 3, "reason"].item()
    assert "had not settled by the morning after 2026-01-13" in reason
    assert "data-week='3' data-adjustment='hold'" in app.changes.value
    assert reason in app.changes.value.replace("&#x27;", "'")
    assert any(note.startswith("Week 3: hold — ") for note in app.current_plan.notes)
    assert app.charts.adjustment_labels() == {3: "hold"}
    assert list(app.charts.load_bars.y) != before_bars
    assert list(app.charts.load_bars.y) == weekly["load_kj"].tolist()
    assert list(app.charts.planned_load.y) == plan(app.current_plan.profile).weekly["load_kj"].tolist()
    assert list(app.charts.planned_minutes.y) == app.current_plan.sessions["planned_minutes"].tolist()
    assert "(done, planned 14 min)" in app.table.value and "(not logged, planned" in app.table.value
    # saved at once
    assert [e.date for e in store.load_client(client).diary] == [dt.date(2026, 1, 13)]
    assert "saved for Eve" in app.diary_panel.message.value


def test_removing_an_entry_replans_and_deletes_it_from_the_store(app, store):
    client = create(app, "Finn")
    log(app, START + dt.timedelta(days=8))
    assert app.charts.adjustment_labels() == {3: "hold"}
    (row,) = app.diary_panel.entries.children
    remove = row.children[0]
    assert "tb-diary-remove-2026-01-13" in remove._dom_classes
    remove.click()
    assert app.diary == [] and store.load_client(client).diary == ()
    assert app.charts.adjustment_labels() == {} and app.changes.value == ""
    assert list(app.charts.load_bars.y) == plan(app.current_plan.profile).weekly["load_kj"].tolist()


def test_same_day_entry_replaces_the_earlier_one(app, store):
    client = create(app, "Gus")
    log(app, START + dt.timedelta(days=8), morning=6)
    log(app, START + dt.timedelta(days=8), morning=2)
    assert [e.pain_next_morning for e in store.load_client(client).diary] == [2]
    assert len(app.diary) == 1 and "Replaced 2026-01-13" in app.diary_panel.message.value
    weekly = app.current_plan.weekly
    assert weekly.loc[weekly["week"] == 3, "adjustment"].item() == "progress"


@pytest.mark.parametrize("values, field, words", [
    (dict(minutes=-5), "minutes_walked", "minutes_walked must be 0–1440 min, got -5"),
    (dict(day=dt.date(2025, 12, 1)), "date", "within the plan, 2026-01-05–2026-03-29"),
    (dict(day=TODAY + dt.timedelta(days=1)), "date", "today (2026-01-20) or earlier"),
    (dict(day=None), "date", "date must be a date"),
])
def test_bad_entry_gets_a_message_beside_its_field(app, store, values, field, words):
    client = create(app, "Hal")
    bars = list(app.charts.load_bars.y)
    day = values.pop("day", START + dt.timedelta(days=8))
    log(app, day, **values)
    assert words in app.diary_panel.errors[field].value
    others = [name for name in app.diary_panel.errors if name != field]
    assert all(app.diary_panel.errors[name].value == "" for name in others)
    assert "Traceback" not in app.diary_panel.errors[field].value
    assert app.diary == [] and store.load_client(client).diary == ()
    assert list(app.charts.load_bars.y) == bars
    log(app, START + dt.timedelta(days=8))  # a good entry clears the message
    assert app.diary_panel.errors[field].value == "" and len(app.diary) == 1


def test_red_flag_in_the_diary_stops_the_plan_and_shows_the_banner(app, store):
    create(app, "Ivy")
    log(app, START + dt.timedelta(days=9), flag="bladder_bowel", morning="not known")
    assert app.current_plan.stopped
    assert app.banner.layout.display != "none" and app.plan_box.layout.display == "none"
    assert "emergency department" in app.banner.value
    assert "data-state='stopped'" in app.status.value
    walks = app.current_plan.walking_sessions
    assert len(walks) > 0 and (walks["date"] > dt.date(2026, 1, 14)).sum() == 0  # none after the red flag
    app.diary_panel.entries.children[0].children[0].click()  # remove it: the plan is back
    assert not app.current_plan.stopped and app.banner.layout.display == "none"


def test_diary_without_a_client_is_kept_and_saved_on_create(app, store):
    log(app, START + dt.timedelta(days=8))
    assert "not saved" in app.diary_panel.message.value and len(app.diary) == 1
    client = create(app, "Jo")
    assert [e.date for e in store.load_client(client).diary] == [dt.date(2026, 1, 13)]


def test_today_is_injectable_and_defaults_the_date_picker(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    assert app.diary_panel.date.value == TODAY and app.today == TODAY
    app.today = dt.date(2026, 1, 12)
    log(app, dt.date(2026, 1, 13))
    assert "today (2026-01-12) or earlier" in app.diary_panel.errors["date"].value


def test_date_pick_prefills_the_planned_minutes(app):
    planned = app.current_plan.sessions
    assert app.diary_panel.minutes_walked.value == planned.loc[planned["date"] == TODAY, "total_minutes"].item()
    day = START + dt.timedelta(days=8)
    app.diary_panel.date.value = day
    assert app.diary_panel.minutes_walked.value == planned.loc[planned["date"] == day, "total_minutes"].item()


def test_store_opens_lazily_and_errors_are_messages(tmp_path):
    opened = []

    def broken_store():
        opened.append(1)
        raise StoreError("the database is not a Trailback database")

    app = build_app(PROFILE, today=TODAY, store=broken_store)
    assert opened == []  # not touched until the Clients panel is used
    app.clients.name.value = "Kim"
    app.clients.new_button.click()
    assert opened and "not a Trailback database" in app.clients.message.value
    assert "tb-error-text" in app.clients.message.value
    assert app.client_id is None


def test_store_failure_while_logging_keeps_the_diary_unchanged(app, store, monkeypatch):
    create(app, "Lee")

    def fail(*args):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "log_entry", fail)
    log(app, START + dt.timedelta(days=8))
    assert "Not saved, so not logged: disk full" in app.diary_panel.message.value
    assert app.diary == [] and app.charts.adjustment_labels() == {}


def test_default_app_shows_unadapted_plan_and_no_store(monkeypatch):
    import planner.store

    monkeypatch.setattr(planner.store, "Store", lambda *a, **k: pytest.fail("store opened"))
    app = build_app()
    assert list(app.charts.load_bars.y) == plan(app.current_plan.profile).weekly["load_kj"].tolist()
    assert re.search(r"No sessions logged yet", app.diary_panel.entries.children[0].value)


def test_a_preheated_app_refreshes_today_and_the_roster_when_the_page_is_requested(store):
    """voila.json pre-heats a kernel: the app may be built long before the page is opened."""
    app = build_app(PROFILE, store=store)  # "today" from the clock
    app.diary_panel.date.value = dt.date(2020, 1, 1)  # as if built days before the visit
    store.create_client(replace(PROFILE, name="Added later"))  # by another page
    assert roster_names(app) == []
    app._on_page_requested()
    assert app.diary_panel.date.value == dt.date.today()
    assert roster_names(app) == ["Added later"]


def test_a_preheated_default_plan_moves_its_start_to_the_visit_week():
    app = build_app(today=dt.date(2026, 11, 25))  # warmed up on a Wednesday
    assert app.current_plan.profile.goal.start_date == dt.date(2026, 11, 30)
    app.today = dt.date(2026, 12, 8)  # the page is opened on a Tuesday two weeks later
    app._on_page_requested()
    assert app.current_plan.profile.goal.start_date == dt.date(2026, 12, 14)
    edited = build_app(today=dt.date(2026, 11, 25))
    edited.form.fields["start_date"].widget.value = dt.date(2026, 12, 1)  # a chosen date stays
    edited.today = dt.date(2026, 12, 8)
    edited._on_page_requested()
    assert edited.current_plan.profile.goal.start_date == dt.date(2026, 12, 1)


def test_voila_json_preheats_a_kernel_for_the_readme_command():
    import json
    from pathlib import Path

    config = json.loads((Path(__file__).resolve().parents[1] / "voila.json").read_text())
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
