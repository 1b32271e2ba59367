"""The dashboard app in-process: widget changes replan, red flags stop, bad input is explained in the
coach's words, the schedule fits and pages, charts read at a glance, files follow the units."""

import ast
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from planner import ClientProfile, Fitness, Goal, Pain, Terrain, plan
from planner.export import CHECK_IN_SUMMARY
from planner.sources import SOURCES
from planner.summary import plan_summary
from planner.ui import build_app
from planner.ui.charts import LOAD, LOAD_BARS, MINUTES
from planner.ui.files import profile_file_bytes, read_profile_file
from planner.ui.form import default_profile
from planner.ui.schedule import PAGE_WEEKS, phase_cues, split_cues
from planner.ui.style import is_visible

UI = Path(__file__).resolve().parents[1] / "planner" / "ui"


@pytest.fixture
def app():
    return build_app()


def page_charts(app) -> dict:
    """The charts as the page gets them (the chart widget's JSON), by name."""
    return {chart["name"]: chart for chart in json.loads(app.charts.widget.figure_json)["charts"]}


def bar_heights(app):
    """Weekly load bars (kJ) as the page gets them, checked against the Python figure."""
    heights = page_charts(app)[LOAD]["figure"]["data"][LOAD_BARS]["y"]
    assert heights == list(app.charts.load_bars["y"])
    return heights


def download(button) -> tuple[str, str, bytes]:
    """What clicking a download button sends: the kernel builds it only now."""
    sent = []
    button.send = lambda content, buffers=None: sent.append((content, buffers))
    button._on_message(button, {"kind": "request"}, [])
    (content, buffers), = sent
    return content["filename"], content["mime"], bytes(buffers[0])


def test_default_plan_starts_next_monday():
    assert default_profile(dt.date(2026, 11, 25)).goal.start_date == dt.date(2026, 11, 30)
    assert default_profile(dt.date(2026, 11, 30)).goal.start_date == dt.date(2026, 11, 30)
    assert build_app(today=dt.date(2026, 11, 25)).current_plan.profile.goal.start_date == dt.date(2026, 11, 30)


def test_first_load_shows_summary_charts_and_first_page_of_schedule(app):
    expected = plan(default_profile())
    assert bar_heights(app) == expected.weekly["load_kj"].tolist()
    assert list(app.charts.minute_bars["y"]) == expected.weekly["total_minutes"].tolist()
    assert plan_summary(expected).text in app.summary.line.value
    shown_weeks = re.findall(r"data-week='(\d+)'", app.schedule.table.value)
    assert shown_weeks == [str(week) for week in range(1, PAGE_WEEKS + 1)]
    first_page = expected.walking_sessions[expected.walking_sessions["week"] <= PAGE_WEEKS]
    assert app.schedule.table.value.count("<tr class='tb-session'") == len(first_page)
    assert expected.notes[0] in app.notice.value  # education, not diagnosis
    assert is_visible(app.plan_box) and app.summary.banner.value == ""
    assert "data-state='ok'" in app.status.value


def test_app_is_composed_of_panels_without_a_mixin_or_an_import_circle():
    from planner.ui.app import App

    assert App.__bases__ == (object,)
    imports = {}
    for path in UI.glob("*.py"):
        tree = ast.parse(path.read_text())
        imports[path.stem] = {node.module.split(".")[-1] for node in ast.walk(tree)
                              if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planner.ui")}
    for module, used in imports.items():
        assert "app" not in used or module == "__init__", f"{module} imports the app"
    for module in ("client_bar", "safety", "form", "summary", "charts", "schedule", "sources", "diary", "files"):
        assert module in imports["app"] or module in imports["clients"], module


def test_no_widget_layout_is_changed_after_it_is_built():
    """Layouts are shared between widgets (sharing.py): the app hides and shows with a CSS class, so a
    change to a shared layout cannot happen by accident."""
    for path in UI.glob("*.py"):
        if path.name == "trail_panel.py":  # its boxes are made after sharing, with their own layouts
            continue
        assert not re.search(r"\.layout\.\w+\s*=", path.read_text()), path.name


@pytest.mark.parametrize("field, value", [
    ("pain_now", 7), ("in_flare", True), ("body_mass_kg", 110), ("walking_minutes_per_week", 200),
    ("grade_percent", 12), ("surface", "sand"), ("target_session_minutes", 45), ("weeks", 8),
])
def test_each_input_replans_chart_and_table(app, field, value):
    app.schedule.show_more(None)  # all weeks: some inputs change only later weeks
    before_bars, before_table = bar_heights(app), app.schedule.table.value
    app.form.fields[field].widget.value = value
    assert bar_heights(app) != before_bars
    assert app.schedule.table.value != before_table
    assert bar_heights(app) == app.current_plan.weekly["load_kj"].tolist()


def test_bars_match_engine_for_the_same_inputs(app):
    app.form.fields["pack_mass_kg"].widget.value = 4
    app.form.fields["kind"].widget.value = "hiking"
    app.form.fields["surface"].widget.value = "trail"
    expected = plan(ClientProfile(terrain=Terrain(surface="trail", pack_mass_kg=4),
                                  goal=Goal(kind="hiking", start_date=app.current_plan.profile.goal.start_date)))
    assert bar_heights(app) == expected.weekly["load_kj"].tolist()


@pytest.mark.parametrize("flag, wording", [("bladder_bowel", "Emergency"), ("weight_loss", "See a doctor today")])
def test_red_flag_replaces_plan_with_banner_beside_the_answers_and_atop_the_results(app, flag, wording):
    app.safety.boxes[flag].value = True
    assert wording in app.safety.banner.value and wording in app.summary.banner.value
    assert not is_visible(app.plan_box) and not is_visible(app.files.plan_files)
    assert app.summary.line.value == ""
    assert "education, not diagnosis" in app.notice.value
    app.safety.boxes[flag].value = False
    assert app.safety.banner.value == "" and is_visible(app.plan_box)


def test_review_flag_keeps_plan_with_note(app):
    app.safety.boxes["severe_or_worsening"].value = True
    assert is_visible(app.plan_box)
    assert "see a clinician soon" in app.summary.review.value.lower()


def test_not_used_to_exercise_is_a_fitness_checkbox_with_a_review_note(app):
    assert "not_used_to_exercise" not in app.safety.boxes
    app.form.fields["new_to_exercise"].widget.value = True
    assert is_visible(app.plan_box)
    assert "Not used to exercise" in app.summary.review.value


def test_messages_use_the_fields_label_and_display_units_and_never_clamp(app):
    before = bar_heights(app)
    mass = app.form.fields["body_mass_kg"]
    assert mass.row.children == (mass.widget,)  # no message widget until there is a message
    mass.widget.value = 1000
    assert "Body mass: enter 25–300 kg (you entered 1000)." in mass.error.value
    assert "body_mass_kg" not in mass.error.value
    assert "data-state='invalid'" in app.status.value and bar_heights(app) == before
    assert "Fix Body mass (Fitness)" in app.stale.value and app.form.tabs.titles[1] == "Fitness ⚠"
    app.form.units.value = "imperial"
    assert "Body mass: enter 55.2–661.3 lb" in mass.error.value and "metric" not in mass.error.value
    app.form.units.value = "metric"
    mass.widget.value = 80
    for field, typed, words in [("pain_now", 15, "Pain now: enter 0–10 (you entered 15)."),
                                ("grade_percent", 60, "Typical hill grade: enter 0–40 % (you entered 60)."),
                                ("weeks", 0, "Plan length: enter a whole number 1–52 weeks (you entered 0)."),
                                ("walking_minutes_per_week", -5, "Walking now: enter 0–10080 min a week")]:
        app.form.fields[field].widget.value = typed
        assert app.form.fields[field].widget.value == typed  # not clamped
        assert words in app.form.fields[field].error.value
        app.form.fields[field].widget.value = {"pain_now": 3, "grade_percent": 0, "weeks": 12,
                                               "walking_minutes_per_week": 60}[field]
    app.form.fields["available_weekdays"].widget.value = []
    assert "Days available: pick at least one day." in app.form.fields["available_weekdays"].error.value
    app.form.fields["available_weekdays"].widget.value = [0, 2, 4]
    assert all(field.error.value == "" for field in app.form.fields.values())
    assert "data-state='ok'" in app.status.value
    assert set(app.current_plan.walking_sessions["date"].map(lambda d: d.weekday())) <= {0, 2, 4}


def test_weekday_toggles_press_and_release_days(app):
    days = app.form.fields["available_weekdays"].widget
    assert days.value == [0, 1, 2, 3, 4, 5, 6] and days.labels[0] == "Mon"
    days.toggle(6)
    days.toggle(5)
    assert days.value == [0, 1, 2, 3, 4]
    assert app.current_plan.profile.fitness.available_weekdays == (0, 1, 2, 3, 4)


def test_contradictions_are_warned(app):
    app.form.fields["available_weekdays"].widget.value = [1]
    assert "5 walks a week, but only 1 day is available" in app.summary.warnings.value
    app.form.fields["walking_minutes_per_week"].widget.value = 150
    assert "less than the 150 min a week the client walks now" in app.summary.warnings.value
    app.form.fields["target_session_minutes"].widget.value = 90
    app.form.fields["weeks"].widget.value = 4
    assert "not reached in these 4 weeks" in app.summary.warnings.value
    app.load_profile_file(json.dumps(default_profile().to_dict()))
    assert app.summary.warnings.value == ""


def test_metric_page_never_says_lb():
    app = build_app(ClientProfile(terrain=Terrain(pack_mass_kg=8), goal=Goal(kind="hiking", weeks=20)))
    app.schedule.show_more(None)
    assert "keep it to 4.5 kg or less" in app.notes.value  # the engine's note says "10 lb"
    for text in (app.notes.value, app.schedule.table.value, app.summary.widget.children[1].value):
        assert not re.search(r"\d\s?lb\b", text)
    app.form.units.value = "imperial"
    assert "keep it to 10 lb or less" in app.notes.value


def test_imperial_switch_converts_display_not_plan(app):
    before = bar_heights(app)
    app.form.units.value = "imperial"
    body = app.form.fields["body_mass_kg"].widget
    assert body.description == "Body mass (lb)" and body.value == pytest.approx(165.3)
    assert app.form.fields["speed_kmh"].widget.description == "Comfortable pace (mph)"
    assert "3.1 mph" in app.schedule.table.value and "km/h" not in app.schedule.table.value
    assert bar_heights(app) == before  # same person, same plan
    body.value = 220  # lb
    assert app.current_plan.profile.fitness.body_mass_kg == pytest.approx(99.79, abs=0.01)


def test_schedule_pages_weeks_on_demand_and_states_phase_cues_once():
    app = build_app(ClientProfile(goal=Goal(kind="hiking", target_session_minutes=60, weeks=16)))
    weekly = app.current_plan.weekly
    assert re.findall(r"data-week='(\d+)'", app.schedule.table.value) == [str(w) for w in range(1, PAGE_WEEKS + 1)]
    assert "Weeks 1–4 of 16" in app.schedule.count.value and is_visible(app.schedule.controls)
    app.schedule.more.click()
    assert len(re.findall(r"class='tb-week'", app.schedule.table.value)) == 2 * PAGE_WEEKS
    app.schedule.all.click()
    table = app.schedule.table.value
    assert len(re.findall(r"class='tb-week'", table)) == len(weekly) and not is_visible(app.schedule.controls)
    headings = re.findall(r"<h3 class='tb-week-heading'>Week (\d+) · ([^·]+?) ·", table)
    assert headings == [(str(week), phase) for week, phase in zip(weekly["week"], weekly["phase"])]
    walks = app.current_plan.walking_sessions
    shared = phase_cues(walks)
    for phase, cues in shared.items():
        assert table.count(f"data-phase='{phase}'") == 1  # the phase's cues: once
        assert cues and all(cue in split_cues(row) for row in walks.loc[walks["phase"] == phase, "cues"] for cue in cues)
    warm_up = shared[walks["phase"].iloc[0]][0]
    assert table.count(warm_up.split(" (")[0]) == len(shared)  # not on every row
    app.form.fields["pain_now"].widget.value = 5  # a replan keeps the weeks the coach opened
    assert len(re.findall(r"class='tb-week'", app.schedule.table.value)) == len(weekly)


def test_sources_are_short_links_to_the_full_list(app):
    links = set(re.findall(r"href='#tb-source-(S\d+)'", app.schedule.table.value))
    assert links and links <= set(SOURCES)
    for tag in SOURCES:
        assert f"id='tb-source-{tag}'" in app.sources.widget.value
    assert list(SOURCES) == [f"S{number}" for number in range(1, 18)] + ["NICE", "NHS"]  # the red flags' guidance


def test_charts_one_legend_each_weeks_only_phase_key_and_a_sentence_each():
    app = build_app(ClientProfile(goal=Goal(kind="hiking", weeks=16)))
    charts = page_charts(app)
    assert set(charts) == {MINUTES, LOAD}
    for chart in charts.values():
        layout = chart["figure"]["layout"]
        assert layout["xaxis"]["range"] == [0.5, 16.5]
        assert layout["showlegend"] is False  # the key is the page's HTML list (chart["key"])
        assert chart["caption"]
    assert "acute:chronic ratio compares" in charts[LOAD]["caption"]
    phases = list(dict.fromkeys(app.current_plan.weekly["phase"]))
    assert app.charts.phase_key() == phases
    minutes_key, load_key = charts[MINUTES]["key"], charts[LOAD]["key"]
    assert [(entry["group"], entry["name"]) for entry in minutes_key] == \
        [("", "Minutes per week")] + [("Phases:", phase) for phase in phases]
    assert minutes_key[0]["swatch"] == {"kind": "bar", "colour": "rgba(11,92,173,0.85)"}  # the bars' blue
    assert [entry["name"] for entry in load_key] == ["Load (kJ)", "Usual ratio range 0.8–1.3", "Acute:chronic ratio"]
    assert [entry["swatch"]["kind"] for entry in load_key] == ["bar", "band", "line"]
    bands = [shape for shape in charts[MINUTES]["figure"]["layout"]["shapes"] if shape["name"] == "phase"]
    assert len(bands) == len(phases)
    labels = [note for note in charts[MINUTES]["figure"]["layout"]["annotations"] if note["name"] == "phase"]
    positions = sorted(note["x"] for note in labels)
    assert all(second - first >= 2 for first, second in zip(positions, positions[1:]))  # no two labels collide


def test_no_chart_axis_has_plotly_measure_its_tick_labels_on_each_redraw():
    """Hiding labels past the chart measures each label (a forced layout each) on every key press's
    redraw; the axes draw them as they are (the browser tests check none reaches past its chart)."""
    app = build_app(ClientProfile(goal=Goal(kind="hiking", weeks=52)))
    for chart in page_charts(app).values():
        axes = [key for key in chart["figure"]["layout"] if key.startswith(("xaxis", "yaxis"))]
        assert axes
        for axis in axes:
            assert chart["figure"]["layout"][axis].get("ticklabeloverflow") == "allow", axis


def test_chart_can_lay_a_second_faint_plan_over_the_minutes(app):
    other = plan(ClientProfile(goal=Goal(weeks=12, sessions_per_week=3)))
    app.charts.update(app.current_plan, compare=other)
    assert app.charts.compare_minutes["y"] == other.weekly["total_minutes"].tolist()
    assert app.charts.compare_minutes["visible"] is True
    key = {entry["name"]: entry["swatch"] for entry in page_charts(app)[MINUTES]["key"]}
    assert "B (now): minutes per week" in key and "Minutes per week" not in key
    assert key["A (kept): minutes per week"] == {"kind": "line", "colour": "rgba(106,61,154,0.6)", "dash": "dot",
                                                 "marker": True}
    app.charts.update(app.current_plan)
    assert app.charts.compare_minutes["visible"] is False
    assert [entry["name"] for entry in page_charts(app)[MINUTES]["key"] if entry["name"].startswith(("A ", "B "))] == []


def test_downloads_are_built_on_click_in_the_display_units(app):
    app.form.fields["pack_mass_kg"].widget.value = 4
    before = app.files.csv.requests
    name, mime, data = download(app.files.csv)
    assert app.files.csv.requests == before + 1 and mime == "text/csv" and name.endswith(".csv")
    csv = pd.read_csv(io.StringIO(data.decode()))
    assert csv["load_kj"].tolist() == app.current_plan.walking_sessions["load_kj"].tolist()
    assert "pack_kg" in csv.columns and csv["pack_kg"].max() <= 4
    app.form.units.value = "imperial"
    csv = pd.read_csv(io.StringIO(download(app.files.csv)[2].decode()))
    assert "pack_lb" in csv.columns and "speed_mph" in csv.columns and "pack_kg" not in csv.columns
    assert csv["speed_mph"].iloc[0] == pytest.approx(3.1)
    ics = download(app.files.ics)[2]
    events = [event for event in Calendar.from_ical(ics).walk("VEVENT")
              if str(event.get("summary")) != CHECK_IN_SUMMARY]  # and the clinician check-ins (issue 19)
    assert len(events) == len(app.current_plan.walking_sessions)
    assert "mph" in str(events[0]["description"]) and "km/h" not in str(events[0]["description"])


def test_profile_file_remembers_the_units_and_old_plain_files_still_open(app):
    custom = ClientProfile(
        name="Sam", pain=Pain(pain_now=4.5, condition="disc_herniation"),
        fitness=Fitness(walking_minutes_per_week=90, longest_walk_minutes=20, available_weekdays=(1, 3, 5),
                        body_mass_kg=82.5, speed_kmh=4.6),
        terrain=Terrain(surface="trail", grade_percent=7, pack_mass_kg=2, trekking_poles=True),
        goal=Goal(kind="hiking", weeks=16, start_date=dt.date(2026, 4, 6)))
    app.load_profile_file(json.dumps(custom.to_dict()))  # an old plain file
    assert app.current_plan.profile == custom and app.clients.bar.name.value == "Sam"
    assert bar_heights(app) == plan(custom).weekly["load_kj"].tolist()
    app.form.units.value = "imperial"
    saved = download(app.files.profile)[2]
    profile, units, missing = read_profile_file(saved)
    assert profile == custom and units == "imperial" and missing == []
    other = build_app()
    other.load_profile_file(saved)
    assert other.form.system == "imperial" and other.current_plan.profile == custom
    other.load_profile_file(profile_file_bytes(custom, "metric"))
    assert other.form.system == "metric"


def test_a_profile_file_without_a_section_is_named_and_a_bad_file_explained(app):
    app.load_profile_file(json.dumps({"name": "Partial", "pain": {"pain_now": 2}}))
    assert "no Fitness, Terrain, Goal section" in app.files.message.value
    app.load_profile_file(b'{"pain": {"pain_now": 12}}')
    assert "Pain now must be 0–10 (the file has 12)" in app.files.message.value
    app.load_profile_file(b"not json")
    assert "not a Trailback profile file (not JSON" in app.files.message.value
    assert app.current_plan.profile.name == "Partial"


def test_upload_widget_loads_profile(app):
    custom = ClientProfile(name="Upload", goal=Goal(weeks=6))
    payload = json.dumps(custom.to_dict()).encode()
    app.files.upload.value = ({"name": "c.json", "type": "application/json", "size": len(payload),
                               "content": memoryview(payload), "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)},)
    assert app.current_plan.profile == custom
    assert len(app.charts.load_bars["y"]) == 6


def test_float_noise_from_browser_is_rounded(app):
    app.form.fields["progression_cap_percent"].widget.value = 10.000000000000002
    assert app.current_plan.profile.goal.progression_cap_percent == 10.0


def test_burst_of_changes_in_a_kernel_makes_one_replan(monkeypatch):
    import asyncio

    import planner.ui.app as app_module

    async def typing():
        monkeypatch.setattr(app_module, "_kernel_loop", asyncio.get_running_loop)
        app = build_app()
        before = app.replan_count
        box = app.form.fields["grade_percent"].widget
        for step in range(1, 21):  # 20 values before the kernel gets to replan
            box.value = step * 0.5
        assert app.replan_count == before  # nothing drawn yet, nothing queued
        await asyncio.sleep(0.2)
        return app, before

    from event_loops import run_async

    app, before = run_async(typing())
    assert app.replan_count == before + 1
    assert app.current_plan.profile.terrain.grade_percent == 10.0


def test_the_sources_heading_names_the_numbered_sources_and_nice():
    from planner.ui.sources import sources_html

    heading = re.search(r"<summary>(.*?)</summary>", sources_html()).group(1)
    numbered = [tag for tag in SOURCES if tag.startswith("S")]
    assert f"{numbered[0]}–{numbered[-1]}" in heading and "NICE" in heading and "S16" not in heading


def test_one_date_format_on_the_page():
    """Issue 23.7: "Tue 13 Jan 2026" everywhere (the engine's ISO dates are rewritten for the page)."""
    from planner.ui.dates import dates_in_words, day_text

    assert day_text(dt.date(2026, 1, 13)) == "Tue 13 Jan 2026" and day_text(dt.date(2026, 1, 13), year=False) == "Tue 13 Jan"
    assert dates_in_words("pain on 2026-01-13 and 2026-12-07 (S11)") == "pain on Tue 13 Jan 2026 and Mon 7 Dec 2026 (S11)"
    assert dates_in_words("not a date 2026-13-45") == "not a date 2026-13-45"
    app = build_app(default_profile(dt.date(2026, 1, 5)), today=dt.date(2026, 1, 20))
    page = app.schedule.table.value + app.notes.value
    assert not re.search(r"\d{4}-\d\d-\d\d<|\b\d{2}/\d{2}/\d{4}\b", page.replace("data-date='", ""))
    assert "Mon 5 Jan" in app.schedule.table.value and "Mon 05 Jan" not in app.schedule.table.value
