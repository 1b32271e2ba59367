"""The compare panel and the handout button, driven without a browser."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from planner import compare, plan
from planner.examples import EXAMPLES
from planner.trail import read_gpx, sample_trails, trail_readiness
from planner.ui.compare_panel import ComparePanel, table_html, value_text
from planner.ui.handout_button import HandoutButton, handout_file_name

HIKER = EXAMPLES["hiker with a pack on hills"]


def _weeks(profile, weeks):
    return dataclasses.replace(profile, goal=dataclasses.replace(profile.goal, weeks=weeks))


def test_nothing_to_compare_until_a_plan_is_kept():
    panel = ComparePanel()
    assert panel.keep_button.disabled and panel.swap_button.disabled and panel.clear_button.disabled
    panel.show(plan(HIKER))
    assert not panel.keep_button.disabled and panel.swap_button.disabled
    assert panel.table is None and "Keep a plan as A" in panel.output.value


def test_keep_then_change_shows_the_difference_table():
    pinned_seen = []
    panel = ComparePanel(on_pinned_change=pinned_seen.append)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 12))
    panel.show(plan_a)
    panel.keep_button.click()
    assert panel.pinned is plan_a and pinned_seen == [plan_a]
    panel.show(plan_b)
    expected = compare(plan_a, plan_b)
    assert panel.table.equals(expected)
    assert "<td class='tb-compare-a'>16</td><td class='tb-compare-b'>12</td>" in panel.output.value
    assert panel.output.value.count("class='tb-compare-differs'") == int(expected["different"].sum())
    assert f"{int(expected['different'].sum())} of {len(expected)} measures differ" in panel.output.value


def test_swap_gives_the_app_plan_as_profile_and_keeps_b_as_a():
    loaded = []
    panel = ComparePanel(on_swap=loaded.append)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 12))
    panel.show(plan_a)
    panel.keep()
    panel.show(plan_b)
    panel.swap_button.click()
    assert panel.pinned is plan_b and panel.current is plan_a
    assert loaded == [plan_a.profile]
    row = panel.table.set_index("measure").loc["weeks in plan"]
    assert (row["A"], row["B"]) == (12, 16)


def test_clear_forgets_a():
    pinned_seen = []
    panel = ComparePanel(on_pinned_change=pinned_seen.append)
    panel.show(plan(HIKER))
    panel.keep()
    panel.clear_button.click()
    assert panel.pinned is None and pinned_seen[-1] is None and panel.table is None
    assert panel.swap_button.disabled and panel.clear_button.disabled


def test_the_loaded_trail_adds_the_ready_week_row():
    effort = read_gpx(sample_trails()["riverside_flat"]).analyse_for(HIKER)
    panel = ComparePanel(trail_effort=lambda: effort)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 4))
    panel.show(plan_a)
    panel.keep()
    panel.show(plan_b)
    row = panel.table.set_index("measure").loc["ready-for-trail week"]
    # The trail panel's own reading of the same plans (the 16-week plan gets there, 4 weeks do not).
    assert row["A"] == trail_readiness(plan_a, effort).ready_week is not None
    assert row["B"] is None and trail_readiness(plan_b, effort).ready_week is None
    assert "data-measure='ready-for-trail week'" in panel.output.value
    assert "<td class='tb-compare-b'>never</td>" in panel.output.value.split("ready-for-trail week")[2]


def test_values_read_as_words():
    assert value_text("first hike week", None) == "never"
    assert value_text("peak acute:chronic", None) == "–"
    assert value_text("peak acute:chronic", 1.1349) == "1.13"
    red = compare(plan(HIKER), plan(EXAMPLES["red flag"]))
    assert "emergency: New loss of bladder" in table_html(red)


def test_handout_button_builds_the_pdf_when_clicked():
    result = plan(dataclasses.replace(HIKER, name="Zoë Ångström"))
    sent = []
    button = HandoutButton(source=lambda: (result, "imperial"))
    button.send = lambda content, buffers=None: sent.append((content, buffers))
    button._on_message(button, {"event": "build"}, [])
    (content, buffers), = sent
    assert content == {"event": "file", "name": "trailback-handout-zo-ngstr-m.pdf"}
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(buffers[0])).pages)
    assert "Walking plan for Zoë Ångström" in text and "Units: imperial" in text


def test_handout_button_without_a_plan_says_so():
    sent = []
    button = HandoutButton(source=lambda: None)
    button.send = lambda content, buffers=None: sent.append(content)
    assert button.build() is None
    assert sent == [{"event": "error", "message": "No plan yet."}]


def test_handout_file_name_is_safe():
    assert handout_file_name(plan(EXAMPLES["spinal stenosis"])) == "trailback-handout-stenosis.pdf"
    assert handout_file_name(plan(dataclasses.replace(HIKER, name="李雷"))) == "trailback-handout.pdf"
    assert handout_file_name(plan(dataclasses.replace(HIKER, name="../../etc/passwd"))) == \
        "trailback-handout-etc-passwd.pdf"


# --- composed in the dashboard (App), driven without a browser ------------------------------------

def _dashboard(profile=HIKER):
    from planner.ui.app import build_app

    return build_app(profile, today=profile.goal.start_date)


def test_dashboard_keep_then_change_shows_a_and_b_on_both_charts_and_the_table():
    app = _dashboard()
    results = next(box for box in app.widget.children[-1].children if "tb-results" in box._dom_classes)
    assert results.children.index(app.compare.widget) == results.children.index(app.summary.widget) + 1
    plan_a = app.current_plan
    app.compare.keep_button.click()
    app.form.fields["weeks"].widget.value = 12  # replans (no kernel loop: at once)
    plan_b = app.current_plan
    assert (len(plan_a.weekly), len(plan_b.weekly)) == (16, 12) and app.compare.current is plan_b
    charts = app.charts
    assert charts.minute_bars["y"] == plan_b.weekly["total_minutes"].tolist()
    assert charts.compare_minutes["y"] == plan_a.weekly["total_minutes"].tolist() and charts.compare_minutes["visible"]
    assert charts.load_bars["y"] == plan_b.weekly["load_kj"].tolist()
    assert charts.compare_load["y"] == plan_a.weekly["load_kj"].tolist() and charts.compare_load["visible"]
    assert charts.minute_bars["name"].startswith("B") and charts.compare_minutes["name"].startswith("A")
    assert charts.load_bars["name"].startswith("B") and charts.compare_load["name"].startswith("A")
    assert charts.minutes_figure["layout"]["xaxis"]["range"] == [0.5, 16.5]  # A's longer plan fits on the axis
    assert app.compare.table.equals(compare(plan_a, plan_b))
    assert "<td class='tb-compare-a'>16</td><td class='tb-compare-b'>12</td>" in app.compare.output.value


def test_dashboard_swap_loads_a_into_the_form_and_clear_takes_a_off_the_charts():
    app = _dashboard()
    app.compare.keep()
    weeks = app.form.fields["weeks"].widget
    weeks.value = 12
    plan_b = app.current_plan
    count = app.replan_count
    app.compare.swap_button.click()
    assert weeks.value == 16 and app.replan_count == count + 1
    assert app.current_plan.profile == app.compare.current.profile and len(app.current_plan.weekly) == 16
    assert app.compare.pinned is plan_b
    assert app.charts.compare_minutes["y"] == plan_b.weekly["total_minutes"].tolist()
    assert app.charts.minutes_figure["layout"]["xaxis"]["range"] == [0.5, 16.5]
    app.compare.clear_button.click()
    assert not app.charts.compare_minutes["visible"] and not app.charts.compare_load["visible"]
    assert app.charts.compare_minutes["y"] == [] and app.charts.minute_bars["name"] == "Minutes per week"
    assert app.charts.load_bars["name"] == "Load (kJ)" and app.compare.table is None


def test_dashboard_trail_feeds_the_ready_for_trail_row():
    app = _dashboard()
    app.compare.keep()
    assert "ready-for-trail week" not in set(app.compare.table["measure"])
    assert app.trail.load_sample("riverside_flat")  # replans with the trail
    plan_with_trail = app.current_plan
    app.compare.keep()
    app.form.fields["weeks"].widget.value = 4
    row = app.compare.table.set_index("measure").loc["ready-for-trail week"]
    assert row["A"] == trail_readiness(plan_with_trail, app.trail.effort).ready_week
    assert row["B"] == trail_readiness(app.current_plan, app.trail.effort).ready_week


def test_dashboard_red_flag_after_keeping_a_shows_in_the_table():
    app = _dashboard()
    app.compare.keep()
    app.safety.boxes["bladder_bowel"].value = True
    assert app.current_plan.stopped and not len(app.current_plan.weekly)
    row = app.compare.table.set_index("measure").loc["red flags"]
    assert row["A"] == "none" and row["B"].startswith("emergency") and row["different"]


def test_dashboard_handout_is_among_the_plans_downloads_in_the_coachs_units():
    app = _dashboard(dataclasses.replace(HIKER, name="Zoë Ångström"))
    assert app.files.handout in app.files.plan_files.children
    app.form.set_system("imperial")
    app.form.fields["weeks"].widget.value = 12
    sent = []
    app.files.handout.send = lambda content, buffers=None: sent.append((content, buffers))
    app.files.handout._on_message(app.files.handout, {"event": "build"}, [])
    (content, buffers), = sent
    assert content["name"] == "trailback-handout-zo-ngstr-m.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(buffers[0])).pages)
    assert "Walking plan for Zoë Ångström" in text and "Units: imperial" in text and "12 weeks" in text


def test_dashboard_swap_with_a_trail_keeps_the_coachs_own_grade():
    app = _dashboard()
    grade = app.form.fields["grade_percent"].widget
    own = grade.value
    assert app.trail.load_sample("rolling_hill_loop")
    trail_grade = app.current_plan.profile.terrain.grade_percent
    assert trail_grade != own  # the trail sets the grade the plan uses
    app.compare.keep()
    app.form.fields["weeks"].widget.value = 12
    app.compare.swap()
    assert grade.value == own and app.form.fields["weeks"].widget.value == 16
    assert app.current_plan.profile.terrain.grade_percent == trail_grade
    app.trail.clear()
    app.replan()
    assert app.current_plan.profile.terrain.grade_percent == own


def test_technical_measures_are_explained_in_plain_words():
    """Issue 23.7: "hold weeks", "step-back weeks" and the peak ratio get a line of plain words."""
    from planner.examples import EXAMPLES
    from planner.ui.compare_panel import MEASURE_WORDS, table_html

    text = table_html(compare(plan(EXAMPLES["spinal stenosis"]), plan(EXAMPLES["flare-up"])))
    for measure, words in MEASURE_WORDS.items():
        assert f"{measure}<div class='tb-compare-words'>{words}</div>" in text.replace("&#x27;", "'")
