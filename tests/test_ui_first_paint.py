"""What the page's first paint carries (issue 22): a budget of widget models; the panels below the
fold (the diary, the files, the trail picker) built once the page has drawn its chart, with what the
kernel set on them meanwhile; and the Fitness, Terrain and Goal tabs' fields drawn then too (or when a
tab is opened first), holding their values all along."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
from ipywidgets.widgets.widget import _instances

from planner import ClientProfile, Goal, Pain
from planner.ui import build_app
from planner.ui.plotly_view import DRAWN
from planner.ui.sharing import _all

# Measured: 146 models at open once the diary, files and trail picker are built after the chart and
# the client bar's question rows on first use (198 when everything was built at once). A new panel on
# the first paint must fit in the few left.
FIRST_PAINT_MODEL_BUDGET = 150

START = dt.date(2026, 1, 5)  # a Monday
TODAY = dt.date(2026, 1, 20)  # Tuesday of week 3
PROFILE = ClientProfile(name="", pain=Pain(pain_now=3), goal=Goal(start_date=START, weeks=12))


def shown(root: w.Widget) -> set[int]:
    """Ids of the widgets in ``root``'s tree (what the page draws)."""
    return {id(widget) for widget in _all(root)}


def chart_drawn(app) -> None:
    """What plotly_view.js sends once it has drawn the charts for the first time."""
    app.charts.widget._on_message(app.charts.widget, DRAWN, [])


def test_the_first_paint_stays_under_its_widget_model_budget():
    before = len(_instances)
    app = build_app(PROFILE, today=TODAY)
    assert len(_instances) - before <= FIRST_PAINT_MODEL_BUDGET
    assert [panel.built for panel in app.built_later] == [False, False, False]


def test_the_panels_below_the_fold_are_built_once_the_chart_is_drawn():
    app = build_app(PROFILE, today=TODAY)
    before = len(_instances)
    chart_drawn(app)
    assert [panel.built for panel in app.built_later] == [True, True, True]
    on_page = shown(app.widget)
    diary, files, trail = app.clients.diary_panel, app.files, app.trail
    for widget in (diary.date, diary.log_button, app.clients.recordings_panel.open_button, files.csv, files.upload,
                   trail.upload, trail.sample):
        assert id(widget) in on_page
    assert id(diary.open_button) not in on_page and id(files.open_button) not in on_page
    built = len(_instances) - before
    assert built > 20
    chart_drawn(app)  # another view of the chart (the page redrawn): nothing more is built
    assert len(_instances) - before == built


def test_the_diary_built_later_shows_the_day_and_minutes_the_kernel_set_before():
    app = build_app(PROFILE, today=TODAY)
    diary = app.clients.diary_panel
    sessions = app.current_plan.sessions
    other_day = sessions["date"].iloc[2]
    diary.day = other_day  # set by the kernel before the page drew
    assert not diary.built
    chart_drawn(app)
    minutes = int(sessions.loc[sessions["date"] == other_day, "total_minutes"].iloc[0])
    assert (diary.date.value, diary.minutes_walked.value) == (other_day, minutes)


def test_a_page_whose_chart_never_draws_opens_the_diary_and_files_by_their_buttons():
    app = build_app(PROFILE, today=TODAY)
    app.clients.diary_panel.open_button.click()
    app.files.open_button.click()
    assert app.clients.diary_panel.built and app.files.built and not app.trail.built
    tabs = next(child for child in app.form.widget.children if isinstance(child, w.Tab))  # opening Terrain builds the picker
    tabs.selected_index = list(tabs.titles).index("Terrain")
    assert app.trail.built and id(app.trail.upload) in shown(app.widget)


def test_a_trail_loaded_before_the_chart_drew_can_still_be_cleared():
    app = build_app(PROFILE, today=TODAY)
    app.trail.sample.value = next(iter(app.trail._samples))  # a coach quicker than the first chart
    assert app.trail.trail is not None
    chart_drawn(app)  # the panels built then must leave the trail's own widgets as they were
    app.trail.clear()
    assert app.trail.trail is None and app.trail.sample.value != next(iter(app.trail._samples))


def test_the_fitness_terrain_and_goal_fields_are_drawn_after_the_chart_and_hold_their_values_before():
    app = build_app(PROFILE, today=TODAY)
    fields = app.form.fields
    on_page = shown(app.widget)
    assert id(fields["pain_now"].widget) in on_page  # the Pain tab, open at first, is drawn at once
    later = ("walking_minutes_per_week", "grade_percent", "weeks", "start_date")
    assert not [name for name in later if id(fields[name].widget) in on_page]
    assert app.read_profile().goal == PROFILE.goal  # the fields hold the profile all the same
    fields["weeks"].widget.value = 16  # and a change made meanwhile (e.g. a loaded client) replans
    assert len(app.current_plan.weekly) == 16
    chart_drawn(app)
    on_page = shown(app.widget)
    assert all(id(fields[name].widget) in on_page for name in later)
    assert fields["weeks"].widget.value == 16


def test_opening_a_tab_before_the_chart_drew_draws_its_fields():
    app = build_app(PROFILE, today=TODAY)
    tabs = app.form.tabs
    tabs.selected_index = list(tabs.titles).index("Goal")
    assert id(app.form.fields["weeks"].widget) in shown(app.widget)
    tabs.selected_index = 0
    chart_drawn(app)  # nothing left to fill: the tabs keep their one set of fields
    goal = tabs.children[list(tabs.titles).index("Goal")]
    assert [id(child) for child in goal.children] == [id(app.form.fields[name].row) for name in
                                                      ("kind", "target_session_minutes", "sessions_per_week", "weeks",
                                                       "start_date", "progression_cap_percent", "acwr_ceiling")]
