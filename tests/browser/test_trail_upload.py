"""The Terrain panel's GPX trail in a real browser: upload a sample through the file chooser, see the
elevation profile and the "ready in week N" line, clear it, and get a message for a bad file."""

from __future__ import annotations

from dataclasses import replace

from planner import ClientProfile, Goal, plan
from planner.trail import read_gpx, sample_trails, trail_readiness

from test_dashboard import (ARTIFACTS, OFFLINE_CDN_ERROR, REPLAN_TIMEOUT_MS, open_tab, replans, set_slider, wait_for_replan)

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
    assert session_grades(page) == {"10"}  # back to the manual hill grade

    bad = tmp_path / "broken.gpx"
    bad.write_text("this is not a GPX file")
    choose_file(page, ".tb-trail-upload", bad)
    message = page.locator(".tb-trail-message .tb-error-text")
    message.wait_for(timeout=REPLAN_TIMEOUT_MS)
    assert "broken.gpx" in message.inner_text() and "not valid XML" in message.inner_text()
    assert "Traceback" not in page.inner_text("body")
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []
