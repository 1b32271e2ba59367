"""The Terrain panel's GPX trail in a real browser: upload a sample through the file chooser, see the
elevation profile and the "ready in week N" line, clear it, and get a message for a bad file."""

from __future__ import annotations

from dataclasses import replace
import datetime as dt
import re
from pathlib import Path

import pytest

from planner import ClientProfile, Goal, plan
from planner.trail import read_gpx, sample_trails, trail_readiness
from planner.ui.trail_panel import PROFILE_HEIGHT_PX

from test_dashboard import (ARTIFACTS, OFFLINE_CDN_ERROR, REPLAN_TIMEOUT_MS, open_tab, overflowing, replans, set_number,
                            set_slider, wait_for_replan)

SAMPLE = "riverside_flat"
PROFILE_CHART = ".tb-trail-profile"


def choose_file(page, selector: str, path) -> None:
    """FileUpload has no <input type=file> in the DOM: click it and answer the file chooser."""
    with page.expect_file_chooser() as chooser:
        page.click(selector)
    chooser.value.set_files(str(path))


def session_grades(page) -> set[str]:
    """The hill grades (%) of the schedule's sessions."""
    return set(page.eval_on_selector_all(".tb-schedule tr.tb-session",
                                         "rows => rows.map(row => row.dataset.gradePercent)"))


def test_upload_sample_gpx_shows_profile_and_ready_week_then_clear(page, tmp_path, console_errors):
    # a plan long enough for the flat sample: 60 min target sessions over 20 weeks
    profile = ClientProfile(goal=Goal(target_session_minutes=60, weeks=20))
    trail = read_gpx(sample_trails()[SAMPLE])
    terrain = trail.as_terrain(surface=profile.terrain.surface)
    with_trail = replace(profile, terrain=replace(terrain, grade_percent=round(terrain.grade_percent, 1)))
    readiness = trail_readiness(plan(with_trail), trail.analyse_for(with_trail))
    assert readiness.ready_week is not None

    open_tab(page, "Goal")
    count = replans(page)
    set_slider(page, "target_session_minutes", 60)
    wait_for_replan(page, count)
    count = replans(page)
    set_slider(page, "weeks", 20)
    wait_for_replan(page, count)
    assert page.locator(PROFILE_CHART).count() == 0  # no chart widget before a trail is loaded

    open_tab(page, "Terrain")
    count = replans(page)
    set_slider(page, "grade_percent", 10)  # the manual grade, ignored while the trail is loaded
    wait_for_replan(page, count)
    path = tmp_path / f"{SAMPLE}.gpx"
    path.write_text(sample_trails()[SAMPLE])
    count = replans(page)
    choose_file(page, ".tb-trail-upload", path)
    wait_for_replan(page, count)

    # the elevation profile: a drawn line with one point per resampled distance
    page.wait_for_function(
        """([selector, n]) => { const gd = document.querySelector(selector);
             const line = gd && gd.querySelector('g.trace.scatter path.js-line');
             return gd.calcdata && gd.calcdata[0].length === n && line && line.getAttribute('d').length > 10; }""",
        arg=[PROFILE_CHART, len(trail.distances_km)], timeout=REPLAN_TIMEOUT_MS)
    ready = page.locator(f".tb-trail-ready[data-ready-week='{readiness.ready_week}']")
    ready.wait_for(timeout=REPLAN_TIMEOUT_MS)
    assert f"Ready for this trail in week {readiness.ready_week}" in ready.inner_text()
    figures = page.inner_text(".tb-trail-figures")
    assert "Distance (km)" in figures and f"{trail.distance_km:.1f}" in figures and "Load (kJ)" in figures
    assert f"{SAMPLE}.gpx" in page.inner_text(".tb-trail-message")
    assert "Ignored while a trail is loaded" in page.inner_text(".tb-trail-grade-note")
    assert session_grades(page) == {f"{round(trail.climbing_grade_percent, 1):g}"}  # the trail's grade, not 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".tb-trail").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "trail.png"), full_page=True)

    # a sample from the dropdown redraws the same chart in place, steep parts shaded
    steep = read_gpx(sample_trails()["steep_mountain"])
    count = replans(page)
    page.select_option(".tb-trail-sample select", label="steep mountain")
    wait_for_replan(page, count)
    page.wait_for_function(
        """([selector, n]) => { const gd = document.querySelector(selector);
             return gd && gd.calcdata && gd.calcdata[0].length === n && gd.layout.shapes.length > 0; }""",
        arg=[PROFILE_CHART, len(steep.distances_km)], timeout=REPLAN_TIMEOUT_MS)
    assert page.locator(PROFILE_CHART).count() == 1
    assert "Not ready within this plan" in page.inner_text(".tb-trail-readiness")
    page.screenshot(path=str(ARTIFACTS / "trail_steep.png"), full_page=True)

    count = replans(page)
    page.click(".tb-trail-clear")
    wait_for_replan(page, count)
    page.locator(".tb-trail-details").wait_for(state="hidden", timeout=REPLAN_TIMEOUT_MS)
    assert page.inner_text(".tb-trail-grade-note") == ""
    assert page.locator(".tb-field-grade_percent").is_visible()
    assert page.input_value(".tb-trail-sample select") == "choose…"
    # back to the manual hill grade: the plan's own terrain steps toward 10 % (S1: one step at a time)
    manual = plan(replace(profile, terrain=replace(profile.terrain, grade_percent=10)))
    planned_grades = {f"{grade:g}" for grade in manual.walking_sessions["grade_percent"]}
    assert "10" in planned_grades
    assert session_grades(page) and session_grades(page) <= planned_grades
    assert session_grades(page) != {f"{round(trail.climbing_grade_percent, 1):g}"}

    bad = tmp_path / "broken.gpx"
    bad.write_text("this is not a GPX file")
    choose_file(page, ".tb-trail-upload", bad)
    message = page.locator(".tb-trail-message .tb-error-text")
    message.wait_for(timeout=REPLAN_TIMEOUT_MS)
    assert "broken.gpx" in message.inner_text() and "not valid XML" in message.inner_text()
    assert "Traceback" not in page.inner_text("body")
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []


REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gpx" / "gpxpy"  # conftest.SHARED_DATA
MULTI_TRACK = "cerknicko-jezero.gpx"  # gpxpy's test recording: 7 tracks, two drives between walks
VIEWPORTS = [(1366, 800), (390, 844)]


def test_upload_a_real_multi_track_file_pick_a_piece_and_see_when_it_is_ready(page, console_errors):
    from planner.ui.form import default_profile

    if not REAL.is_dir():
        pytest.skip(f"real GPX recordings absent: {REAL} (they live in ../shared/data beside the clone)")
    loaded = read_gpx((REAL / MULTI_TRACK).read_bytes())
    assert len(loaded.pieces) == 3
    piece = loaded.piece(0)
    profile = default_profile()
    terrain = piece.as_terrain(surface=profile.terrain.surface)
    with_piece = replace(profile, terrain=replace(terrain, grade_percent=round(terrain.grade_percent, 1)))
    readiness = trail_readiness(plan(with_piece), piece.analyse_for(with_piece))
    assert readiness.ready_week is not None

    open_tab(page, "Terrain")
    count = replans(page)
    choose_file(page, ".tb-trail-upload", REAL / MULTI_TRACK)
    wait_for_replan(page, count)
    pieces = page.locator(".tb-trail-pieces")
    pieces.wait_for(state="visible", timeout=REPLAN_TIMEOUT_MS)
    assert "All 3 pieces, as separate legs" in pieces.inner_text()
    assert f"{piece.name} — {piece.distance_km:.1f} km" in pieces.inner_text()
    assert "part(s) of the file left out" in page.inner_text(".tb-trail-notices")
    page.click(".tb-trail-notes-all summary")  # every note on demand
    notices = page.inner_text(".tb-trail-notices")
    assert notices.count("looks like a drive") == 2

    count = replans(page)
    pieces.locator("label", has_text=f"{piece.name} — ").click()
    wait_for_replan(page, count)
    page.wait_for_function(
        """([selector, n]) => { const gd = document.querySelector(selector);
             return gd && gd.calcdata && gd.calcdata[0].length === n; }""",
        arg=[PROFILE_CHART, len(piece.distances_km)], timeout=REPLAN_TIMEOUT_MS)
    ready = page.locator(f".tb-trail-ready[data-ready-week='{readiness.ready_week}']")
    ready.wait_for(timeout=REPLAN_TIMEOUT_MS)
    assert f"Ready for this trail in week {readiness.ready_week}" in ready.inner_text()
    assert f"{piece.distance_km:.1f}" in page.inner_text(".tb-trail-figures")
    assert piece.name in page.inner_text(PROFILE_CHART)  # the chart's title names the piece

    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)  # let the layout settle
        page.locator(".tb-trail-pieces").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"trail_pieces_{width}x{height}.png"))
        # the whole trail panel: picker, pieces, notices, profile, figures and the ready week
        # the whole trail panel at this width (a tall window: the page scrolls inside an element)
        page.set_viewport_size({"width": width, "height": 2400})
        page.wait_for_timeout(500)
        page.locator(".tb-trail").scroll_into_view_if_needed()
        chart, box, shown_height = page.evaluate("""(selector) => { const gd = document.querySelector(selector);
            return [Number(gd.querySelector('.main-svg').getAttribute('width')),
                    document.querySelector('.tb-trail').clientWidth, gd.clientHeight]; }""", PROFILE_CHART)
        assert box - 40 <= chart <= box, f"elevation profile {chart} px wide in a {box} px panel at {width} px"
        assert shown_height == PROFILE_HEIGHT_PX, f"elevation profile {shown_height} px high at {width} px"
        assert overflowing(page) == []  # e.g. the Clear trail button cut short beside the samples
        page.locator(".tb-trail").screenshot(path=str(ARTIFACTS / f"trail_panel_{width}px_wide.png"))
    assert "Traceback" not in page.inner_text("body")
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []


MESSY = REAL.parent / "twpayne__go-gpx" / "hhs_77yl9msjcr.gpx"  # a 157 km waymarked trail in 24 pieces, no time


def rolling_walk(path: Path) -> Path:
    """A 6.1 km rolling walk (1 h 29 min at the default pace): not ready in the default 12 weeks."""
    points = "".join(f'<trkpt lat="{46 + i * 0.0005:.4f}" lon="7.0"><ele>{500 + (i % 40) * 2}</ele></trkpt>'
                     for i in range(110))
    path.write_text(f'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Rolling walk</name><trkseg>{points}'
                    "</trkseg></trk></gpx>")
    return path


def test_readiness_with_a_diary_hold_and_a_messy_file_stay_readable(open_page, tmp_path, console_errors):
    """Issue 20 in the browser: with a diary hold, the "more weeks" suggestion names a plan length
    that is ready when the coach sets it; a 24-piece file gives a handful of choices, notes in a
    line or two and the readiness in view, at 1366 x 800 and 390 x 844."""
    if not MESSY.exists():
        pytest.skip(f"real GPX recordings absent: {MESSY.parent} (they live in ../shared/data beside the clone)")
    from planner.ui.form import default_profile

    today = dt.date.today()
    start = today - dt.timedelta(days=14)  # today is in week 3
    painful_day = start + dt.timedelta(days=8)  # week 2
    planned = plan(replace(default_profile(), goal=replace(default_profile().goal, start_date=start))).sessions
    painful_day = next(day for day in planned["date"] if day >= painful_day)
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in VIEWPORTS:
        with open_page(viewport=(width, height)) as page:
            open_tab(page, "Goal")
            count = replans(page)
            start_box = page.locator(".tb-field-start_date input")
            start_box.fill(start.isoformat())
            start_box.press("Enter")
            wait_for_replan(page, count)
            open_tab(page, "Terrain")
            count = replans(page)
            choose_file(page, ".tb-trail-upload", rolling_walk(tmp_path / "rolling.gpx"))
            wait_for_replan(page, count)
            page.locator(".tb-trail-not-ready").wait_for(timeout=REPLAN_TIMEOUT_MS)

            page.fill(".tb-diary-date input", painful_day.isoformat())
            page.locator(".tb-diary-date input").press("Enter")
            page.wait_for_timeout(300)
            page.fill(".tb-diary-minutes_walked input", "20")
            page.locator(".tb-diary-minutes_walked input").press("Enter")
            for field, value in (("pain_during", 4), ("pain_after", 5)):
                box = page.locator(f".tb-diary-{field} input")
                box.fill(str(value))
                box.press("Enter")
            page.select_option(".tb-diary-pain_next_morning select", label="7")
            count = replans(page)
            page.click(".tb-diary-log")
            wait_for_replan(page, count)
            page.wait_for_selector(".tb-changes li[data-adjustment='hold']", timeout=REPLAN_TIMEOUT_MS)

            box = page.inner_text(".tb-trail-readiness")
            match = re.search(r"(?:target session of (\d+) min.*?)?a plan of (\d+) weeks(?: or more)? makes you ready "
                              r"in week (\d+)", box, re.S)
            assert "Not ready" in box and match, box
            target, weeks, week = match.groups()
            page.locator(".tb-trail-readiness").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"trail_diary_hold_suggestion_{width}x{height}.png"))
            open_tab(page, "Goal")
            if target:
                count = replans(page)
                set_number(page, "target_session_minutes", int(target))
                wait_for_replan(page, count)
            count = replans(page)
            set_number(page, "weeks", int(weeks))
            wait_for_replan(page, count)
            open_tab(page, "Terrain")
            ready = page.locator(f".tb-trail-ready[data-ready-week='{week}']")
            ready.wait_for(timeout=REPLAN_TIMEOUT_MS)
            assert f"Ready for this trail in week {week}." in ready.inner_text()
            ready.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"trail_diary_hold_ready_{width}x{height}.png"))

            count = replans(page)
            choose_file(page, ".tb-trail-upload", MESSY)
            wait_for_replan(page, count)
            pieces = page.locator(".tb-trail-pieces")
            pieces.wait_for(state="visible", timeout=REPLAN_TIMEOUT_MS)
            assert pieces.locator("input[type=radio]").count() <= 6
            assert "The other " in pieces.inner_text() and "+" not in pieces.inner_text()
            lines = page.locator(".tb-trail-notice-line").count()
            assert 1 <= lines <= 2
            assert page.locator(".tb-trail-notes-all li").first.is_visible() is False  # details on demand
            assert "What is this trail's surface?" in page.inner_text(".tb-trail-surface-row")
            page.locator(".tb-trail").scroll_into_view_if_needed()
            panel_top = page.evaluate("document.querySelector('.tb-trail').getBoundingClientRect().top")
            ready_top = page.evaluate("document.querySelector('.tb-trail-readiness').getBoundingClientRect().top")
            assert ready_top - panel_top < (700 if width > 1000 else 1000), (panel_top, ready_top)
            page.screenshot(path=str(ARTIFACTS / f"trail_messy_{width}x{height}.png"))
            # the diary's "Log session" button is cut at 390 px (the diary panel's, not the trail's: reported)
            assert [item for item in overflowing(page) if '"Log session"' not in item] == []
            assert "Traceback" not in page.inner_text("body")
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []
