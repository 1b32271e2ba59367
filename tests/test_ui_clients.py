"""The client bar and the Diary panel in-process: pick / new / save / delete, the unsaved-changes guard,
duplicate names, diary logging that replans, bad entries."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import pytest

from planner import ClientProfile, DiaryEntry, Goal, Pain, adapt, plan
from planner.store import Store, StoreError, sqlite_url
from planner.ui import build_app
from planner.ui.client_bar import NOT_SAVED
from planner.ui.dates import dates_in_words
from planner.ui.plotly_view import DRAWN
from planner.ui.style import is_visible

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
    return app.clients.bar.listed_names()


def create(app, name: str) -> int:
    """Start a new client (discarding unsaved edits), name them and save."""
    bar = app.clients.bar
    if app.clients.client_id is not None:
        bar.new_button.click()
        if bar.guard_open():
            bar.guard_discard.click()
    bar.name.value = name
    bar.save_button.click()
    return app.clients.client_id


def fill_entry(app, day: dt.date, minutes: float = 14, during: float = 4, after: float = 4, morning=6,
               leg: str = "none", flag: str = "", note: str = "") -> None:
    panel = app.clients.diary_panel
    panel.date.value = day
    panel.minutes_walked.value = minutes
    panel.pain_during.value, panel.pain_after.value = f"{during:g}", f"{after:g}"
    panel.pain_next_morning.value = morning
    panel.leg_symptoms.value, panel.red_flags.value, panel.note.value = leg, flag, note


def log(app, day: dt.date, **values) -> None:
    fill_entry(app, day, **values)
    app.clients.diary_panel.log_button.click()


def test_new_save_rename_and_delete_with_confirmation(app, store):
    bar = app.clients.bar
    alice = create(app, "Alice Walker")
    bob = create(app, "Bob Hill")
    assert roster_names(app) == ["Alice Walker", "Bob Hill"]
    assert bar.pick.value == bob and bar.name.value == "Bob Hill"
    assert [c.name for c in store.list_clients()] == ["Alice Walker", "Bob Hill"]

    bar.pick.value = alice
    assert app.clients.client_id == alice and bar.name.value == "Alice Walker"
    bar.name.value = "Alice Stone"  # one name field: renaming is saving
    bar.save_button.click()
    assert store.load_client(alice).profile.name == "Alice Stone"
    assert roster_names(app) == ["Alice Stone", "Bob Hill"]

    bar.delete_button.click()  # first click only asks
    assert is_visible(bar.confirm) and "Alice Stone" in bar.confirm_text.value
    bar.confirm_no.click()
    assert not is_visible(bar.confirm) and len(store.list_clients()) == 2

    bar.delete_button.click()
    bar.confirm_yes.click()
    assert [c.name for c in store.list_clients()] == ["Bob Hill"]
    assert roster_names(app) == ["Bob Hill"] and bar.pick.value == NOT_SAVED
    assert app.clients.client_id is None and "Deleted Alice Stone" in bar.message.value


def test_switching_with_unsaved_edits_asks_first(app, store):
    bar = app.clients.bar
    alice = create(app, "Alice")
    bob = create(app, "Bob")
    app.form.fields["pain_now"].widget.value = 6  # Bob's edit, not saved
    bar.pick.value = alice
    assert bar.guard_open() and is_visible(bar.guard) and "unsaved changes" in bar.guard_text.value
    assert app.clients.client_id == bob  # nothing switched yet
    bar.guard_cancel.click()  # keep editing
    assert app.clients.client_id == bob and bar.pick.value == bob
    assert app.form.fields["pain_now"].widget.value == 6
    bar.pick.value = alice
    bar.guard_save.click()  # save Bob's edit, then open Alice
    assert store.load_client(bob).profile.pain.pain_now == 6
    assert app.clients.client_id == alice and app.form.fields["pain_now"].widget.value == 3
    app.form.fields["pain_now"].widget.value = 8
    bar.pick.value = bob
    bar.guard_discard.click()
    assert store.load_client(alice).profile.pain.pain_now == 3 and app.clients.client_id == bob
    bar.pick.value = alice  # nothing unsaved now: no question
    assert not bar.guard_open() and app.clients.client_id == alice


def test_new_starts_from_the_default_inputs_after_asking(app, store):
    bar = app.clients.bar
    create(app, "Olga")
    app.form.fields["pain_now"].widget.value = 7
    bar.new_button.click()
    assert bar.guard_open()
    bar.guard_discard.click()
    assert app.clients.client_id is None and bar.name.value == "" and app.clients.diary == []
    assert app.form.fields["pain_now"].widget.value == 3 and bar.pick.value == NOT_SAVED
    assert store.load_client(store.list_clients()[0].id).profile.pain.pain_now == 3


def test_duplicate_names_are_warned_before_a_second_client_is_made(app, store):
    bar = app.clients.bar
    create(app, "Alice Walker")
    bar.new_button.click()
    bar.name.value = "alice  walker"
    bar.save_button.click()
    assert "already a client named Alice Walker" in bar.message.value
    assert len(store.list_clients()) == 1
    bar.save_button.click()  # the coach means it
    assert len(store.list_clients()) == 2


def test_open_message_does_not_go_stale(app, store):
    client = create(app, "Nina")
    log(app, START + dt.timedelta(days=8))
    log(app, START + dt.timedelta(days=9))
    app.clients.bar.pick.value = NOT_SAVED
    app.clients.bar.pick.value = client
    assert "Opened Nina." in app.clients.bar.message.value and "entries" not in app.clients.bar.message.value
    assert "2 sessions logged" in app.clients.diary_panel.heading.value


def test_picking_a_client_fills_the_form_and_loads_the_diary(app, store):
    other = ClientProfile(name="Cara", pain=Pain(pain_now=2), goal=Goal(start_date=START, weeks=8, kind="hiking"))
    entry = DiaryEntry(START + dt.timedelta(days=8), 14, 6, 6, 6)
    cara = store.create_client(other, [entry])
    app.clients.refresh_roster()
    assert roster_names(app) == ["Cara"]
    app.clients.bar.pick.value = cara
    assert app.read_profile() == other
    assert app.form.fields["weeks"].widget.value == 8 and app.form.fields["kind"].widget.value == "hiking"
    assert app.clients.diary == [entry]
    assert "data-date='2026-01-13'" in app.clients.diary_panel.entries.children[0].children[1].value
    assert app.current_plan.weekly.equals(adapt(other, plan(other), [entry], TODAY).weekly)
    assert app.charts.adjustment_labels() == {3: "hold"}


def test_save_stores_the_form_inputs(app, store):
    client = create(app, "Dee")
    app.form.fields["pain_now"].widget.value = 5
    assert store.load_client(client).profile.pain.pain_now == 3  # not yet saved
    app.clients.bar.save_button.click()
    assert store.load_client(client).profile.pain.pain_now == 5
    assert "Saved Dee" in app.clients.bar.message.value


def test_logging_a_painful_session_holds_next_week_with_the_reason(app, store):
    client = create(app, "Eve")
    before_bars = list(app.charts.load_bars['y'])
    replans = app.replan_count
    log(app, START + dt.timedelta(days=8), morning=6)  # pain not settled by next morning, in week 2

    assert app.replan_count > replans
    weekly = app.current_plan.weekly
    assert weekly.loc[weekly["week"] == 3, "adjustment"].item() == "hold"
    reason = weekly.loc[weekly["week"] == 3, "reason"].item()
    assert "had not settled by the morning after 2026-01-13" in reason
    assert "data-week='3' data-adjustment='hold'" in app.clients.changes.value
    assert dates_in_words(reason) in app.clients.changes.value.replace("&#x27;", "'")  # dates as the page writes them
    assert any(note.startswith("Week 3: hold — ") for note in app.current_plan.notes)
    assert app.charts.adjustment_labels() == {3: "hold"}
    assert list(app.charts.load_bars['y']) != before_bars
    assert list(app.charts.load_bars['y']) == weekly["load_kj"].tolist()
    assert list(app.charts.planned_load['y']) == plan(app.current_plan.profile).weekly["load_kj"].tolist()
    assert list(app.charts.planned_minutes["y"]) == plan(app.current_plan.profile).weekly["total_minutes"].tolist()
    assert app.charts.planned_minutes["visible"] is True  # the diary changed the plan: "as first planned" shows
    table = app.schedule.table.value
    first_plan = plan(app.current_plan.profile).sessions
    planned = first_plan.loc[first_plan["date"] == START + dt.timedelta(days=8), "total_minutes"].item()
    assert f"(done, planned {planned} min)" in table and "(not logged, planned" in table
    # saved at once
    assert [e.date for e in store.load_client(client).diary] == [dt.date(2026, 1, 13)]
    assert "saved for Eve" in app.clients.diary_panel.message.value


def test_removing_an_entry_replans_and_deletes_it_from_the_store(app, store):
    client = create(app, "Finn")
    log(app, START + dt.timedelta(days=8))
    assert app.charts.adjustment_labels() == {3: "hold"}
    (row,) = app.clients.diary_panel.entries.children
    remove = row.children[0]
    assert "tb-diary-remove-2026-01-13" in remove._dom_classes
    remove.click()
    assert app.clients.diary == [] and store.load_client(client).diary == ()
    assert app.charts.adjustment_labels() == {} and app.clients.changes.value == ""
    assert list(app.charts.load_bars['y']) == plan(app.current_plan.profile).weekly["load_kj"].tolist()


def test_same_day_entry_replaces_the_earlier_one(app, store):
    client = create(app, "Gus")
    log(app, START + dt.timedelta(days=8), morning=6)
    log(app, START + dt.timedelta(days=8), morning=2)
    assert [e.pain_next_morning for e in store.load_client(client).diary] == [2]
    assert len(app.clients.diary) == 1 and "Replaced Tue 13 Jan 2026" in app.clients.diary_panel.message.value
    weekly = app.current_plan.weekly
    assert weekly.loc[weekly["week"] == 3, "adjustment"].item() == "progress"


@pytest.mark.parametrize("values, field, words", [
    (dict(minutes=-5), "minutes_walked", "Minutes walked must be 0–1440 min (you entered -5)."),
    (dict(during=15), "pain_during", "Pain during must be 0–10 (you entered 15)."),
    (dict(day=dt.date(2025, 12, 1)), "date", "within the plan, 2026-01-05–2026-03-29"),
    (dict(day=TODAY + dt.timedelta(days=1)), "date", "today (2026-01-20) or earlier"),
    (dict(day=None), "date", "Date must be a date (you entered nothing)."),
])
def test_bad_entry_gets_a_message_beside_its_field(app, store, values, field, words):
    client = create(app, "Hal")
    bars = list(app.charts.load_bars['y'])
    day = values.pop("day", START + dt.timedelta(days=8))
    log(app, day, **values)
    assert words in app.clients.diary_panel.errors[field].value
    others = [name for name in app.clients.diary_panel.errors if name != field]
    assert all(app.clients.diary_panel.errors[name].value == "" for name in others)
    assert "Traceback" not in app.clients.diary_panel.errors[field].value
    assert app.clients.diary == [] and store.load_client(client).diary == ()
    assert list(app.charts.load_bars['y']) == bars
    log(app, START + dt.timedelta(days=8))  # a good entry clears the message
    assert app.clients.diary_panel.errors[field].value == "" and len(app.clients.diary) == 1


def test_red_flag_in_the_diary_stops_the_plan_and_shows_the_banner(app, store):
    create(app, "Ivy")
    log(app, START + dt.timedelta(days=9), flag="bladder_bowel", morning="not known")
    assert app.current_plan.stopped
    assert "emergency department" in app.summary.banner.value  # atop the results
    assert "data-tier='emergency'" in app.safety.banner.value  # and beside the answers
    assert "data-state='stopped'" in app.status.value
    walks = app.current_plan.walking_sessions
    assert len(walks) > 0 and (walks["date"] > dt.date(2026, 1, 14)).sum() == 0  # none after the red flag
    app.clients.diary_panel.entries.children[0].children[0].click()  # remove it: the plan is back
    assert not app.current_plan.stopped and app.summary.banner.value == ""


def test_diary_without_a_client_is_kept_and_saved_on_create(app, store):
    log(app, START + dt.timedelta(days=8))
    assert "not saved" in app.clients.diary_panel.message.value and len(app.clients.diary) == 1
    client = create(app, "Jo")
    assert [e.date for e in store.load_client(client).diary] == [dt.date(2026, 1, 13)]


def test_today_is_injectable_and_defaults_the_date_picker(store):
    app = build_app(PROFILE, today=TODAY, store=store)
    assert app.clients.diary_panel.date.value == TODAY and app.today == TODAY
    app.today = dt.date(2026, 1, 12)
    log(app, dt.date(2026, 1, 13))
    assert "today (2026-01-12) or earlier" in app.clients.diary_panel.errors["date"].value


def test_a_replan_keeps_the_minutes_the_coach_typed(app):
    app.clients.diary_panel.minutes_walked.value = 33
    app.form.fields["pain_now"].widget.value = 4
    assert app.clients.diary_panel.minutes_walked.value == 33


def test_date_pick_prefills_the_planned_minutes(app):
    planned = app.current_plan.sessions
    assert app.clients.diary_panel.minutes_walked.value == planned.loc[planned["date"] == TODAY, "total_minutes"].item()
    day = START + dt.timedelta(days=8)
    app.clients.diary_panel.date.value = day
    assert app.clients.diary_panel.minutes_walked.value == planned.loc[planned["date"] == day, "total_minutes"].item()


def test_store_opens_lazily_and_errors_are_messages(tmp_path):
    opened = []

    def broken_store():
        opened.append(1)
        raise StoreError("the database is not a Trailback database")

    app = build_app(PROFILE, today=TODAY, store=broken_store)
    assert opened == []  # not touched until the Clients panel is used
    app.clients.bar.name.value = "Kim"
    app.clients.bar.save_button.click()
    assert opened and "not a Trailback database" in app.clients.bar.message.value
    assert "tb-error-text" in app.clients.bar.message.value
    assert app.clients.client_id is None


def test_store_failure_while_logging_keeps_the_diary_unchanged(app, store, monkeypatch):
    create(app, "Lee")

    def fail(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "log_entry", fail)
    log(app, START + dt.timedelta(days=8))
    assert "Not saved, so not logged: disk full" in app.clients.diary_panel.message.value
    assert app.clients.diary == [] and app.charts.adjustment_labels() == {}


def test_default_app_shows_unadapted_plan_and_no_store(monkeypatch):
    import planner.store

    monkeypatch.setattr(planner.store, "Store", lambda *a, **k: pytest.fail("store opened"))
    app = build_app()
    assert list(app.charts.load_bars['y']) == plan(app.current_plan.profile).weekly["load_kj"].tolist()
    assert re.search(r"No sessions logged yet", app.clients.diary_panel.entries.children[0].value)


def test_a_preheated_app_refreshes_today_and_the_roster_when_its_page_first_draws(store, monkeypatch):
    """voila.json pre-heats a kernel: the app may be built long before the page is opened. The refresh
    waits for the visitor's page (its first chart drawing), not for the kernel's start."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")  # what Voila sets in a pre-heated kernel
    app = build_app(PROFILE, store=store)  # "today" from the clock
    app.clients.diary_panel.day = dt.date(2020, 1, 1)  # as if built days before the visit
    store.create_client(replace(PROFILE, name="Added later"))  # by another page
    assert roster_names(app) == []
    app.charts.widget._on_message(app.charts.widget, DRAWN, [])  # the visitor's page drew its chart
    assert app.clients.diary_panel.date.value == dt.date.today()
    assert roster_names(app) == ["Added later"]
    app.clients.diary_panel.date.value = dt.date(2020, 1, 2)  # the coach picks a day: no later refresh undoes it
    app.charts.widget._on_message(app.charts.widget, DRAWN, [])
    assert app.clients.diary_panel.date.value == dt.date(2020, 1, 2)


def test_a_preheated_default_plan_moves_its_start_to_the_visit_week():
    app = build_app(today=dt.date(2026, 11, 25))  # warmed up on a Wednesday
    assert app.current_plan.profile.goal.start_date == dt.date(2026, 11, 30)
    app.today = dt.date(2026, 12, 8)  # the page is opened on a Tuesday two weeks later
    app.refresh_for_visit()
    assert app.current_plan.profile.goal.start_date == dt.date(2026, 12, 14)
    edited = build_app(today=dt.date(2026, 11, 25))
    edited.form.fields["start_date"].widget.value = dt.date(2026, 12, 1)  # a chosen date stays
    edited.today = dt.date(2026, 12, 8)
    edited.refresh_for_visit()
    assert edited.current_plan.profile.goal.start_date == dt.date(2026, 12, 1)


def test_voila_json_preheats_a_kernel_for_the_readme_command():
    import json
    from pathlib import Path

    config = json.loads((Path(__file__).resolve().parents[1] / "voila.json").read_text())
    assert config["VoilaConfiguration"]["preheat_kernel"] is True


def test_log_session_readies_the_form_for_the_next_entry(app):
    """Issue 23.2: a bad day's note and pains are not logged again with the next entries."""
    panel = app.clients.diary_panel
    planned = app.clients.planned_plan.sessions
    walking_days = sorted(day for day, minutes in zip(planned["date"], planned["total_minutes"]) if minutes > 0)
    bad_day = walking_days[1]
    log(app, bad_day, minutes=14, during=6, after=6, morning=7, leg="centralising",
        note="hilly detour, back sore that evening")
    assert [entry.note for entry in app.clients.diary] == ["hilly detour, back sore that evening"]
    next_day = walking_days[2]
    assert panel.date.value == next_day  # the next planned day, its planned minutes
    assert panel.minutes_walked.value == planned.loc[planned["date"] == next_day, "total_minutes"].item()
    assert (panel.pain_during.value, panel.pain_after.value, panel.note.value) == ("", "", "")
    assert (panel.pain_next_morning.value, panel.leg_symptoms.value, panel.red_flags.value) == ("not known", "none", "")
    panel.log_button.click()  # pains not typed: a message, nothing logged
    assert len(app.clients.diary) == 1
    assert "Pain during must be a number from 0 to 10 (you entered nothing)" in panel.errors["pain_during"].value
    panel.pain_during.value, panel.pain_after.value = "3", "3"
    panel.log_button.click()
    assert [(entry.date, entry.note) for entry in app.clients.diary] == [
        (bad_day, "hilly detour, back sore that evening"), (next_day, "")]
    assert panel.date.value == walking_days[3] and panel.note.value == ""


def test_the_form_stays_on_today_after_logging_today(app):
    log(app, TODAY, during=2, after=2, note="easy")
    assert app.clients.diary_panel.date.value == TODAY and app.clients.diary_panel.note.value == ""


def test_the_top_says_what_the_diary_changed_this_week_and_why(app, store):
    """Issue 23.3: after a bad day the summary line leads with this week's decision and its reason,
    linked to the detail, in the client bar's words; the charts' legend keys the hold band."""
    create(app, "Fay")
    assert "tb-why" not in app.summary.line.value  # no diary: nothing to say
    log(app, START + dt.timedelta(days=8), morning=6)  # week 2 not settled: week 3 (TODAY's) holds
    line = app.summary.line.value.replace("&#x27;", "'")
    assert "data-adjustment='hold'" in line and "This week holds at last week's walks</b> (week 3)" in line
    assert "had not settled by the morning after Tue 13 Jan 2026" in line and "href='#tb-changes'" in line
    assert line.index("tb-why") < line.index("The plan:")  # first thing at the top
    assert "id='tb-changes'" in app.clients.changes.value
    assert app.summary.compact.value == app.summary.line.value  # a phone's top says it too
    assert "Check in with the client</b>: no entries since Tue 13 Jan 2026." in line  # as the client bar says
    assert "nothing logged for 7 days" in app.clients.bar.pick.label
    legend = [trace.get("name") for trace in app.charts.live.figures["minutes"]["data"]
              if trace.get("legendgroup") == "diary"]
    assert legend == ["hold"]
    minutes = next(chart for chart in json.loads(app.charts.widget.figure_json)["charts"] if chart["name"] == "minutes")
    key = [(entry["group"], entry["name"], entry["swatch"]["kind"]) for entry in minutes["key"]]
    assert ("", "As first planned", "tick") in key and key[-1] == ("Diary changed:", "hold", "bar")  # the page's key
    app.clients.diary_panel.entries.children[0].children[0].click()  # removed: the sentence goes
    assert "tb-why" not in app.summary.line.value
    assert [trace.get("name") for trace in app.charts.live.figures["minutes"]["data"]
            if trace.get("legendgroup") == "diary"] == []


def test_edits_are_marked_unsaved_until_saved(app, store):
    """Issue 23.6: "Saved Dee." no longer stays beside edits that are not saved."""
    create(app, "Dee")
    bar = app.clients.bar
    assert "Saved Dee" in bar.message.value and not bar.unsaved
    app.form.fields["pain_now"].widget.value = 5
    assert bar.unsaved and "Unsaved changes" in bar.message.value and "Saved Dee" not in bar.message.value
    bar.save_button.click()
    assert not bar.unsaved and "Saved Dee." in bar.message.value
    bar.name.value = "Dee Walker"  # a new name is an edit too
    assert bar.unsaved and "Unsaved changes" in bar.message.value
    app.form.fields["pain_now"].widget.value = 5
    bar.name.value = "Dee"  # back to what is saved: no mark
    assert not bar.unsaved and "Unsaved changes" not in bar.message.value


def test_type_to_search_filters_the_client_picker(app, store):
    for name in ("Alice Walker", "Bob Hill", "Alina Stone"):
        create(app, name)
    bar = app.clients.bar
    bar.find.value = "ali"
    assert sorted(bar.listed_names()) == ["Alice Walker", "Alina Stone"]
    assert bar.find.description == "2 of 3"
    bar.find.value = "ali sto"  # every word
    assert bar.listed_names() == ["Alina Stone"]
    alina = next(value for label, value in bar.pick.options if label.startswith("Alina"))
    bar.pick.value = alina  # picking from the filtered list opens the client
    assert app.clients.client_id == alina and bar.name.value == "Alina Stone"
    bar.find.value = "bob"  # the open client stays listed (the picker keeps its value)
    assert sorted(bar.listed_names()) == ["Alina Stone", "Bob Hill"] and bar.pick.value == alina
    bar.find.value = ""
    assert len(bar.listed_names()) == 3 and bar.find.description == "Find"


def test_diary_red_flags_say_what_they_mean(app):
    """Issue 23.7: "[review soon]" and the like read as what to do."""
    labels = [label for label, _ in app.clients.diary_panel.red_flags.options]
    assert not [label for label in labels if "[" in label]
    assert any(label.endswith("(check with a clinician soon)") for label in labels)
    assert any(label.endswith("(call 999 or go to A&E now)") for label in labels)  # the NHS words of the Safety tab
