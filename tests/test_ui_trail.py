"""The Terrain panel's GPX trail in-process: figures, chart and readiness agree with planner.trail;
the trail stands in for the terrain inputs; clearing restores them; bad files get a message."""

import datetime as dt
import html
import re
import json
from dataclasses import replace

import ipywidgets
import numpy as np
import pytest

from planner import ClientProfile, Goal, plan
from planner.profile import PlannerInputError
from planner.trail import read_gpx, sample_trails, trail_readiness
from planner.ui import build_app
from gpx_reference import DATA, SHARED_GPX, need
from planner.ui.trail_panel import ALL_PIECES, NO_SAMPLE, minutes_text, piece_label, steep_runs_km

SAMPLES = sample_trails()
ONE_POINT = ("<?xml version='1.0'?><gpx version='1.1' creator='t' xmlns='http://www.topografix.com/GPX/1/1'>"
             "<trk><trkseg><trkpt lat='47.0' lon='8.0'><ele>500</ele></trkpt></trkseg></trk></gpx>")


@pytest.fixture
def app():
    return build_app()


def engine_result(profile: ClientProfile, key: str):
    """What the engine says for ``profile`` with sample ``key`` standing in for its terrain."""
    trail = read_gpx(SAMPLES[key])
    terrain = profile.terrain
    trail_terrain = trail.as_terrain(surface=terrain.surface, pack_mass_kg=terrain.pack_mass_kg,
                                     trekking_poles=terrain.trekking_poles, snow_depth_cm=terrain.snow_depth_cm)
    # the dashboard plans with the climbing grade to 0.1 %
    with_trail = replace(profile, terrain=replace(trail_terrain, grade_percent=round(trail_terrain.grade_percent, 1)))
    expected_plan = plan(with_trail)
    effort = trail.analyse_for(with_trail)
    return trail, expected_plan, effort, trail_readiness(expected_plan, effort)


def figure(app, label_start: str) -> str:
    return next(value for label, value in app.trail.figures_rows() if label.startswith(label_start))


def upload(app, name: str, payload: bytes) -> None:
    app.trail.upload.value = ({"name": name, "type": "application/gpx+xml", "size": len(payload),
                               "content": memoryview(payload),
                               "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)},)


def test_no_trail_at_start_and_no_chart_widget_until_one_is_loaded(app):
    assert app.trail.trail is None and app.trail.figure is None
    assert app.trail.details is None and app.trail.clear_button is None  # created at the first trail
    assert not app.form.fields["grade_percent"].widget.disabled
    assert app.trail.sample.value == NO_SAMPLE
    assert [value for _, value in app.trail.sample.options[1:]] == list(SAMPLES)
    tabs = next(child for child in app.form.widget.children if isinstance(child, ipywidgets.Tab))
    app.form.fill_tabs()  # the Terrain tab's fields are drawn once the chart has drawn (or the tab opened)
    assert app.trail.widget in tabs.children[list(tabs.titles).index("Terrain")].children


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_sample_sets_figures_readiness_and_plan_terrain_like_the_engine(app, key):
    app.trail.sample.value = key
    trail, expected_plan, effort, readiness = engine_result(app.form.profile(), key)
    assert app.current_plan.profile == expected_plan.profile
    assert app.current_plan.profile.terrain.grade_percent == pytest.approx(trail.climbing_grade_percent, abs=0.05)
    assert app.current_plan.weekly["load_kj"].tolist() == expected_plan.weekly["load_kj"].tolist()
    assert figure(app, "Distance (km)") == f"{trail.distance_km:.1f}"
    assert figure(app, "Elevation gain / loss (m)") == f"{trail.gain_m:.0f} / {trail.loss_m:.0f}"
    assert figure(app, "Highest / lowest") == f"{trail.max_elevation_m:.0f} / {trail.min_elevation_m:.0f}"
    assert figure(app, "Moving time") == minutes_text(effort.moving_minutes)
    assert figure(app, "Load (kJ)") == f"{effort.load_kj:.0f}"
    assert figure(app, "DIN 33466") == minutes_text(effort.din_minutes)
    assert app.trail.effort.load_kj == effort.load_kj
    assert html.escape(readiness.message) in app.trail.readiness_box.value
    for suggestion in readiness.suggestions:
        assert html.escape(suggestion) in app.trail.readiness_box.value
    assert app.trail.details.layout.display != "none"
    # the chart: distance vs elevation, steep parts drawn and shaded
    elevation, steep = app.trail.figure.data
    assert np.allclose(elevation.x, trail.distances_km) and np.allclose(elevation.y, trail.elevations_m)
    steep_points = [y for y in steep.y if y is not None]
    assert (len(steep_points) > 0) == (trail.steep_share > 0)
    assert len(app.trail.figure.layout.shapes) == len(steep_runs_km(trail))
    assert app.form.fields["grade_percent"].widget.disabled
    assert "Ignored while a trail is loaded" in app.trail.grade_note.value
    assert app.trail.grade_note in app.form.fields["grade_percent"].row.children
    assert app.trail.clear_button in app.trail.picker.children and app.trail.details in app.trail.widget.children


def test_steep_runs_cover_the_steep_share():
    trail = read_gpx(SAMPLES["steep_mountain"])
    runs = steep_runs_km(trail)
    assert runs and sum(end - start for start, end in runs) == pytest.approx(trail.steep_share * trail.distance_km)
    assert steep_runs_km(read_gpx(SAMPLES["riverside_flat"])) == []


def test_ready_week_line_when_the_plan_reaches_the_trail(app):
    app.form.fields["target_session_minutes"].widget.value = 60
    app.form.fields["weeks"].widget.value = 20
    app.trail.load_sample("riverside_flat")
    _, _, _, readiness = engine_result(app.form.profile(), "riverside_flat")
    assert readiness.ready_week is not None
    assert f"Ready for this trail in week {readiness.ready_week}." in app.trail.readiness_box.value
    assert f"data-ready-week='{readiness.ready_week}'" in app.trail.readiness_box.value
    app.form.fields["weeks"].widget.value = 12  # too short now: suggestions instead
    assert "Not ready within this plan" in app.trail.readiness_box.value
    assert "More weeks" in app.trail.readiness_box.value or "Longer sessions" in app.trail.readiness_box.value


def test_upload_widget_loads_a_gpx_file(app):
    upload(app, "hill.gpx", SAMPLES["rolling_hill_loop"].encode())
    trail, expected_plan, _, _ = engine_result(app.form.profile(), "rolling_hill_loop")
    assert app.trail.trail.distance_km == trail.distance_km
    assert "hill.gpx" in app.trail.message.value
    assert app.current_plan.profile == expected_plan.profile
    assert app.trail.upload.value == ()  # ready for the same file again


def test_clearing_restores_the_manual_terrain(app):
    app.form.fields["grade_percent"].widget.value = 6
    manual = app.current_plan.profile
    app.trail.load_sample("steep_mountain")
    assert app.current_plan.profile.terrain.grade_percent != 6
    app.form.fields["grade_percent"].widget.value = 9  # ignored while the trail is loaded
    assert app.current_plan.profile.terrain.grade_percent == round(
        read_gpx(SAMPLES["steep_mountain"]).climbing_grade_percent, 1)
    app.form.fields["grade_percent"].widget.value = 6
    app.trail.clear_button.click()
    assert app.trail.trail is None and app.trail.sample.value == NO_SAMPLE
    assert app.current_plan.profile == manual
    assert app.current_plan.weekly["load_kj"].tolist() == plan(manual).weekly["load_kj"].tolist()
    assert not app.form.fields["grade_percent"].widget.disabled and app.trail.grade_note.value == ""
    assert app.trail.details.layout.display == "none" and app.trail.clear_button.disabled


def test_choosing_no_sample_in_the_dropdown_clears(app):
    app.trail.sample.value = "rolling_hill_loop"
    assert app.trail.trail is not None
    app.trail.sample.value = NO_SAMPLE
    assert app.trail.trail is None and app.current_plan.profile.terrain.grade_percent == 0


def test_second_trail_updates_the_same_chart_in_place(app):
    app.trail.load_sample("steep_mountain")
    chart = app.trail.figure
    app.trail.load_sample("riverside_flat")
    flat = read_gpx(SAMPLES["riverside_flat"])
    assert app.trail.figure is chart and app.trail.chart_box.children == (chart.widget,)
    assert len(chart.data[0].x) == len(flat.distances_km)
    assert all(y is None for y in chart.data[1].y) and len(chart.layout.shapes) == 0
    assert "Riverside flat walk" in chart.layout.title.text
    assert chart.layout.yaxis.range[1] - chart.layout.yaxis.range[0] >= 50  # flat stays flat, not GPS dust
    assert tuple(chart.layout.xaxis.range) == (0, flat.distance_km) and chart.data[1].showlegend is False
    page = json.loads(chart.widget.figure_json)  # what the page draws
    assert len(page["data"][0]["x"]) == len(flat.distances_km) and "Riverside" in page["layout"]["title"]["text"]
    assert page["layout"].get("shapes", []) == []


@pytest.mark.parametrize("payload", [b"not xml at all", b"", b"<html><body/></html>", ONE_POINT.encode()])
def test_bad_file_shows_the_engine_message_and_the_dashboard_keeps_working(app, payload):
    with pytest.raises(PlannerInputError) as raised:
        read_gpx(payload)
    before = app.current_plan.profile
    upload(app, "bad.gpx", payload)
    assert html.escape(str(raised.value)) in app.trail.message.value
    assert "tb-error-text" in app.trail.message.value and "Traceback" not in app.trail.message.value
    assert "Load another GPX file or pick a sample" in app.trail.message.value  # what to do on this page
    assert app.trail.trail is None and app.current_plan.profile == before and app.trail.details is None
    app.form.fields["weeks"].widget.value = 8  # the rest still replans
    assert len(app.current_plan.weekly) == 8


def test_bad_file_keeps_the_loaded_trail(app):
    app.trail.load_sample("rolling_hill_loop")
    upload(app, "bad.gpx", b"<gpx")
    assert "Still using Rolling hill loop" in app.trail.message.value
    assert app.trail.trail.name == "Rolling hill loop" and app.trail.details.layout.display != "none"


@pytest.mark.parametrize("field, value", [("body_mass_kg", 95), ("pack_mass_kg", 8), ("speed_kmh", 4),
                                          ("surface", "sand"), ("weeks", 30)])
def test_input_changes_update_figures_and_readiness(app, field, value):
    app.trail.load_sample("rolling_hill_loop")
    before_figures, before_readiness = app.trail.figures.value, app.trail.readiness_box.value
    app.form.fields[field].widget.value = value
    _, expected_plan, effort, readiness = engine_result(app.form.profile(), "rolling_hill_loop")
    assert app.current_plan.profile == expected_plan.profile
    assert figure(app, "Load (kJ)") == f"{effort.load_kj:.0f}"
    assert figure(app, "Moving time") == minutes_text(effort.moving_minutes)
    assert html.escape(readiness.message) in app.trail.readiness_box.value
    assert (app.trail.figures.value, app.trail.readiness_box.value) != (before_figures, before_readiness)
    if field == "pack_mass_kg":
        assert app.current_plan.profile.terrain.pack_mass_kg == 8


def test_red_flag_with_a_trail_loaded_says_there_is_no_plan(app):
    app.trail.load_sample("riverside_flat")
    app.safety.boxes["bladder_bowel"].value = True
    assert "tb-hidden" in app.plan_box._dom_classes
    assert "No plan to fit" in app.trail.readiness_box.value
    app.safety.boxes["bladder_bowel"].value = False
    assert "No plan to fit" not in app.trail.readiness_box.value


def test_trail_profile_reaches_the_plan_with_a_hiking_goal():
    app = build_app(ClientProfile(goal=Goal(kind="hiking")))
    app.trail.load_sample("steep_mountain")
    hikes = app.current_plan.walking_sessions
    assert (hikes["grade_percent"] > 0).any()


def test_unexpected_reader_error_is_a_message_not_a_traceback(app, monkeypatch):
    def broken(content, **_options):
        raise RuntimeError("reader bug")

    monkeypatch.setattr("planner.ui.trail_panel.read_gpx", broken)
    upload(app, "odd.gpx", b"<gpx/>")
    message = app.trail.message.value  # issue 20: in the coach's words, no Python class or library message
    assert "could not be read as a GPX file" in message
    assert "RuntimeError" not in message and "reader bug" not in message
    assert app.trail.trail is None


def test_imperial_units_show_trail_figures_and_chart_in_miles_and_feet(app):
    app.trail.load_sample("steep_mountain")
    trail = read_gpx(SAMPLES["steep_mountain"])
    load_before = figure(app, "Load (kJ)")
    chart = app.trail.figure
    app.form.units.value = "imperial"
    assert figure(app, "Distance (mi)") == f"{trail.distance_km / 1.609344:.1f}"
    assert figure(app, "Elevation gain / loss (ft)") == f"{trail.gain_m / 0.3048:.0f} / {trail.loss_m / 0.3048:.0f}"
    assert figure(app, "Highest / lowest point (ft)") == \
        f"{trail.max_elevation_m / 0.3048:.0f} / {trail.min_elevation_m / 0.3048:.0f}"
    assert figure(app, "Load (kJ)") == load_before  # the same plan, only shown in other units
    assert f"({trail.distance_km / 1.609344:.1f} mi," in app.trail.readiness_box.value
    assert " km" not in app.trail.readiness_box.value
    assert app.trail.figure is chart  # redrawn in place
    page = json.loads(chart.widget.figure_json)
    assert page["layout"]["xaxis"]["title"]["text"] == "Distance (mi)"
    assert page["layout"]["yaxis"]["title"]["text"] == "Elevation (ft)"
    assert np.allclose(page["data"][0]["x"], trail.distances_km / 1.609344)
    assert np.allclose(page["data"][0]["y"], trail.elevations_m / 0.3048)
    assert page["layout"]["xaxis"]["range"][1] == pytest.approx(trail.distance_km / 1.609344)
    shape_ends_mi = [end for shape in page["layout"]["shapes"] for end in (shape["x0"], shape["x1"])]
    assert shape_ends_mi == pytest.approx([end / 1.609344 for run in steep_runs_km(trail) for end in run])
    app.form.units.value = "metric"
    assert figure(app, "Distance (km)") == f"{trail.distance_km:.1f}"
    assert json.loads(chart.widget.figure_json)["layout"]["xaxis"]["title"]["text"] == "Distance (km)"


# --- Real recordings with several pieces (issue 10) ----------------------------------------------------

REAL = DATA  # gpxpy's recordings in ../shared/data/gpx/gpxpy (skipped, saying why, where absent)


def test_a_multi_piece_file_lists_its_pieces_and_the_coach_picks_one(app):
    payload = need(REAL / "korita-zbevnica.gpx").read_bytes()
    upload(app, "korita-zbevnica.gpx", payload)
    loaded = read_gpx(payload)
    panel = app.trail
    assert panel.pieces.layout.display != "none"
    labels = [label for label, _ in panel.pieces.options]
    assert labels[0].startswith("All 2 pieces, as separate legs")
    assert labels[1:] == [piece_label(piece, "metric") for piece in loaded.pieces]
    assert "03-OCT-10 #2 — 8.6 km, " in labels[1] and " m up" in labels[1]
    assert figure(app, "Distance (km)") == f"{loaded.distance_km:.1f}"
    legs_chart = panel.figure.data[0]
    assert list(legs_chart.y).count(None) == 1  # a gap where the second leg starts: never walked
    panel.choose_piece(1)
    second = loaded.piece(1)
    assert panel.trail.name == second.name and figure(app, "Distance (km)") == f"{second.distance_km:.1f}"
    assert app.current_plan.profile.terrain.grade_percent == pytest.approx(second.climbing_grade_percent, abs=0.05)
    assert list(panel.figure.data[0].y).count(None) == 0
    assert second.name in panel.figure.layout.title.text
    assert panel.readiness is not None and html.escape(panel.readiness.message) in panel.readiness_box.value
    app.form.units.value = "imperial"  # re-read for the notes in miles: the choice stays
    assert panel.pieces.value == 1 and panel.trail.name == second.name
    assert figure(app, "Distance (mi)") == f"{second.distance_km / 1.609344:.1f}"
    app.form.units.value = "metric"
    panel.choose_piece(ALL_PIECES)
    assert figure(app, "Distance (km)") == f"{loaded.distance_km:.1f}"
    panel.choose_piece(1)
    upload(app, "cerknicko-jezero.gpx", need(REAL / "cerknicko-jezero.gpx").read_bytes())  # a new file: all again
    assert panel.pieces.value == ALL_PIECES and panel.trail is panel.loaded
    assert panel.trail.distance_km == read_gpx(need(REAL / "cerknicko-jezero.gpx").read_bytes()).distance_km


def test_notices_say_what_was_left_out_in_the_display_units(app):
    upload(app, "cerknicko-jezero.gpx", need(REAL / "cerknicko-jezero.gpx").read_bytes())
    notices = app.trail.notices.value
    assert notices.count("looks like a drive") == 2 and " km at " in notices
    app.form.units.value = "imperial"
    assert " mi at " in app.trail.notices.value and " mph left out" in app.trail.notices.value
    assert all(" mi," in label or "All" in label for label, _ in app.trail.pieces.options)


def test_no_elevation_offers_the_grade_input_and_plans_with_it(app):
    upload(app, "zero.gpx", need(REAL / "cerknicko-jezero-with-elevations-zero.gpx").read_bytes())
    panel, grade = app.trail, app.form.fields["grade_percent"].widget
    assert panel.trail is not None and not panel.trail.has_elevation
    assert "this file has no elevation" in panel.notices.value.lower()
    assert not grade.disabled and "has no elevation" in panel.grade_note.value
    assert "no elevation in the file: drawn flat" in panel.figure.layout.title.text
    grade.value = 8
    assert app.current_plan.profile.terrain.grade_percent == 8  # the coach's grade, not the file's flat 0 %


def test_a_drive_only_file_says_why_and_what_to_do(app):
    # GPSLogger's recording of a 17 km drive at 48 km/h between stops (simon-techkid/SpotifyGPX, MIT)
    upload(app, "sample.gpx", need(SHARED_GPX / "simon-techkid__SpotifyGPX" / "sample.gpx").read_bytes())
    message = app.trail.message.value
    assert "Could not load sample.gpx" in message and "looks like a drive" in message
    assert "pick a sample" in message and app.trail.trail is None


def test_a_more_weeks_suggestion_with_a_diary_hold_is_ready_at_the_length_it_names():
    """Issue 20: with a diary hold the panel said "a plan of 19 weeks or more makes you ready in week
    19", yet at 19 and 20 weeks it said "not ready" and repeated the advice."""
    import re

    from planner import DiaryEntry
    from planner.ui.form import default_profile

    today = dt.date(2026, 3, 16)  # a Monday: week one is logged, the plan goes on from here
    start = default_profile(today - dt.timedelta(days=8))
    profile = replace(start, goal=replace(start.goal, start_date=today - dt.timedelta(days=7)))
    app = build_app(profile, today=today)
    walk = "".join(f'<trkpt lat="{46 + i * 0.0005:.4f}" lon="7.0"><ele>{500 + (i % 40) * 2}</ele></trkpt>'
                   for i in range(110))  # 6.1 km, rolling
    text = f'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{walk}</trkseg></trk></gpx>'
    assert app.trail.load_gpx(text, "walk.gpx")
    week_one = app.current_plan.walking_sessions.query("week == 1")
    for day, minutes in zip(week_one["date"], week_one["total_minutes"]):
        assert app.clients.log_entry(DiaryEntry(day, minutes, 6, 6, 6))
    assert app.current_plan.weekly["adjustment"].isin(["hold", "step back"]).any()  # the diary changed the plan
    box = html.unescape(app.trail.readiness_box.value)
    assert "Not ready" in box
    match = re.search(r"(?:target session of (\d+) min.*?)?a plan of (\d+) weeks(?: or more)? makes you ready "
                      r"in week (\d+)", box)
    assert match, box
    target, weeks, week = match.groups()
    if target:
        app.form.fields["target_session_minutes"].widget.value = int(target)
    app.form.fields["weeks"].widget.value = int(weeks)
    box = html.unescape(app.trail.readiness_box.value)
    assert f"Ready for this trail in week {week}." in box, box


def test_a_messy_file_gives_a_handful_of_choices_and_notes_in_two_lines():
    """Issue 20: a file of many pieces listed 29 radio options named "A, part 2 + A, part 3 + …" and
    ~25 "left out" bullets; now at most MAX_PIECE_CHOICES pieces, the rest as one choice, each named
    short, and the notes in one or two lines with every note on demand."""
    from gpx_reference import SHARED_GPX
    from planner.ui.trail_panel import MAX_NAME_CHARS, MAX_PIECE_CHOICES, OTHER_PIECES

    app = build_app()
    payload = need(SHARED_GPX / "twpayne__go-gpx" / "hhs_77yl9msjcr.gpx").read_bytes()  # 24 pieces, 157 km
    upload(app, "hhs.gpx", payload)
    panel = app.trail
    assert len(panel.loaded.pieces) > MAX_PIECE_CHOICES
    options = panel.pieces.options
    assert len(options) == 1 + (MAX_PIECE_CHOICES - 1) + 1 and options[-1][1] == OTHER_PIECES
    assert all(len(label.split(" — ")[0]) <= MAX_NAME_CHARS + 1 for label, _ in options[1:-1])
    singles = [panel.loaded.pieces[value] for _, value in options[1:-1]]
    rest = [piece for piece in panel.loaded.pieces if piece not in singles]
    assert min(p.distance_km for p in singles) >= max(p.distance_km for p in rest)  # the longest are offered
    panel.choose_piece(OTHER_PIECES)
    assert panel.trail.distance_km == pytest.approx(sum(p.distance_km for p in rest))
    assert "ready" in panel.readiness_box.value.lower()  # the readiness of the chosen group
    lines = re.findall(r"<div class='tb-trail-notice-line'>", panel.notices.value)
    assert 1 <= len(lines) <= 2 and "<details" in panel.notices.value
    assert panel.notices.value.count("<li>") == len(panel.loaded.notes)
    children = panel.details.children
    assert list(children).index(panel.readiness_box) < list(children).index(panel.chart_box)  # in view first


def test_a_loaded_trail_asks_for_its_surface():
    """Issue 20: the surface stayed "dirt road" for an alpine trail at 31.7 % grade, silently."""
    app = build_app()
    surface = app.form.fields["surface"].widget
    surface.value = "dirt_road"
    app.trail.load_sample("steep_mountain")
    panel = app.trail
    assert panel.surface.value == "" and "What is this trail's surface?" in panel.surface_note.value
    assert "dirt road" in panel.surface_note.value
    panel.surface.value = "rough_trail"
    assert surface.value == "rough_trail" and app.current_plan.profile.terrain.surface == "rough_trail"
    assert "What is this trail's surface?" not in panel.surface_note.value
    app.trail.load_sample("riverside_flat")  # a new file: asked again
    assert panel.surface.value == "" and "What is this trail's surface?" in panel.surface_note.value
