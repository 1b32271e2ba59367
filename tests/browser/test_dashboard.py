"""The dashboard in a real browser: Voila serves the notebook, Playwright drives Debian's Chromium."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
from icalendar import Calendar

from planner import ClientProfile, Pain, Terrain, plan
from planner.ui.form import default_profile

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
REPLAN_TIMEOUT_MS = 15_000
LOAD_BARS = ".tb-charts g.subplot.xy g.trace.bars g.point path"
MINUTE_BARS = ".tb-charts g.subplot.x2y3 g.trace.bars g.point path"


def replans(page) -> int:
    """The kernel's replan counter from the status marker (updated last after each replan)."""
    return int(page.get_attribute(".tb-status-text", "data-replans"))


def wait_for_replan(page, after: int, state: str = "ok") -> None:
    """Wait until the kernel finished a replan after count ``after`` with ``state``."""
    page.wait_for_function(
        """([after, state]) => { const s = document.querySelector('.tb-status-text');
             return s && Number(s.dataset.replans) > after && s.dataset.state === state; }""",
        arg=[after, state], timeout=REPLAN_TIMEOUT_MS)


def load_bar_heights(page) -> list[float]:
    """Bar heights (kJ) as plotly drew them (``gd.calcdata``)."""
    return page.evaluate("Array.from(document.querySelector('.tb-charts').calcdata[0]).map(p => p.s)")


def wait_for_bars(page, expected: list[float]) -> None:
    page.wait_for_function(
        """(expected) => { const gd = document.querySelector('.tb-charts');
             if (!gd || !gd.calcdata) return false;
             const got = Array.from(gd.calcdata[0]).map(p => p.s);
             return got.length === expected.length && got.every((v, i) => Math.abs(v - expected[i]) < 1e-6); }""",
        arg=expected, timeout=REPLAN_TIMEOUT_MS)


def open_tab(page, title: str) -> None:
    page.click(f".tb-tabs .lm-TabBar-tab:has-text('{title}')")


def set_slider(page, field: str, value: float) -> None:
    """Type a value into a slider's editable readout."""
    readout = page.locator(f".tb-field-{field} .widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def set_number(page, field: str, value: float) -> None:
    box = page.locator(f".tb-field-{field} input")
    box.fill(str(value))
    box.press("Enter")


def schedule_text(page) -> str:
    """All the schedule's text (``textContent``: ``innerText`` leaves out weeks off screen, which the
    page does not lay out)."""
    return page.text_content(".tb-schedule")


# Offline, the lab template's CDN request for font-awesome CSS fails; that is the only error allowed.
OFFLINE_CDN_ERROR = "net::ERR_NAME_NOT_RESOLVED"


def test_chart_renders_with_one_bar_per_week(page, console_errors):
    expected = plan(ClientProfile())
    assert page.locator(LOAD_BARS).count() == len(expected.weekly)
    assert load_bar_heights(page) == expected.weekly["load_kj"].tolist()
    assert page.locator(MINUTE_BARS).count() == len(expected.sessions)
    assert page.locator(".tb-schedule tr.tb-session").count() == len(expected.walking_sessions)
    assert "education, not diagnosis" in page.inner_text(".tb-notice")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []


def test_pain_fitness_terrain_inputs_change_chart_and_table(page):
    heights, table = load_bar_heights(page), schedule_text(page)

    open_tab(page, "Pain")
    count = replans(page)
    set_slider(page, "pain_now", 7)
    wait_for_replan(page, count)
    expected = plan(ClientProfile(pain=Pain(pain_now=7)))
    wait_for_bars(page, expected.weekly["load_kj"].tolist())
    assert load_bar_heights(page) != heights and schedule_text(page) != table
    heights, table = load_bar_heights(page), schedule_text(page)

    open_tab(page, "Fitness")
    count = replans(page)
    set_number(page, "body_mass_kg", 95)
    wait_for_replan(page, count)
    wait_for_bars(page, plan(ClientProfile.from_dict(
        {**expected.profile.to_dict(), "fitness": {"body_mass_kg": 95}})).weekly["load_kj"].tolist())
    assert schedule_text(page) != table
    heights, table = load_bar_heights(page), schedule_text(page)

    open_tab(page, "Terrain")
    count = replans(page)
    page.select_option(".tb-field-surface select", label="loose sand")
    wait_for_replan(page, count)
    assert load_bar_heights(page) != heights
    assert "loose sand" in schedule_text(page) and schedule_text(page) != table


def test_bad_input_shows_message_not_traceback(page):
    open_tab(page, "Fitness")
    count = replans(page)
    set_number(page, "body_mass_kg", 900)
    wait_for_replan(page, count, state="invalid")
    assert "body_mass_kg must be 25–300 kg" in page.inner_text(".tb-error-body_mass_kg")
    assert "Traceback" not in page.inner_text("body")


def test_imperial_switch_converts_fields_not_plan(page):
    heights = load_bar_heights(page)
    open_tab(page, "Fitness")
    count = replans(page)
    page.click(".tb-units button:has-text('Imperial')")
    wait_for_replan(page, count)
    assert float(page.input_value(".tb-field-body_mass_kg input")) == 165.3
    assert "(lb)" in page.inner_text(".tb-field-body_mass_kg") and "(mph)" in page.inner_text(".tb-field-speed_kmh")
    assert "Pace (mph)" in schedule_text(page)
    assert load_bar_heights(page) == heights


def test_red_flag_shows_banner_and_hides_plan(page):
    count = replans(page)
    page.check(".tb-flag-bladder_bowel input[type=checkbox]")
    wait_for_replan(page, count, state="stopped")
    banner = page.locator(".tb-banner")
    assert banner.is_visible()
    assert "emergency department" in banner.inner_text()
    assert not page.locator(".tb-plan").is_visible()
    assert page.locator(".tb-download-csv").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "red_flag.png"), full_page=True)
    count = replans(page)
    page.uncheck(".tb-flag-bladder_bowel input[type=checkbox]")
    wait_for_replan(page, count)
    assert page.locator(".tb-plan").is_visible() and not banner.is_visible()


def test_downloads_parse_back_to_engine_sessions(page, tmp_path):
    open_tab(page, "Terrain")
    count = replans(page)
    set_slider(page, "grade_percent", 10)
    wait_for_replan(page, count)
    inputs = replace(default_profile(), terrain=Terrain(grade_percent=10))  # the page's defaults, 10 % grade
    expected = plan(inputs).walking_sessions.reset_index(drop=True)

    with page.expect_download() as csv_download:
        page.click(".tb-download-csv")
    csv = pd.read_csv(csv_download.value.path(), keep_default_na=False)
    assert list(csv["date"]) == [day.isoformat() for day in expected["date"]]
    assert csv["total_minutes"].tolist() == expected["total_minutes"].tolist()
    assert csv["load_kj"].tolist() == expected["load_kj"].tolist()
    assert csv["grade_percent"].tolist() == expected["grade_percent"].tolist()
    assert csv["cues"].tolist() == expected["cues"].tolist()

    with page.expect_download() as ics_download:
        page.click(".tb-download-ics")
    events = Calendar.from_ical(open(ics_download.value.path(), "rb").read()).walk("VEVENT")
    assert [event.decoded("dtstart") for event in events] == list(expected["date"])
    assert all(f"{minutes} min" in str(event["summary"])
               for event, minutes in zip(events, expected["total_minutes"]))

    with page.expect_download() as profile_download:
        page.click(".tb-download-profile")
    saved = ClientProfile.from_dict(json.load(open(profile_download.value.path())))
    assert saved == inputs


def test_profile_upload_replans(page, tmp_path):
    profile = ClientProfile(name="Upload test", terrain=Terrain(surface="trail", grade_percent=5),
                            pain=Pain(pain_now=2))
    path = tmp_path / "client.json"
    path.write_text(json.dumps(profile.to_dict()))
    count = replans(page)
    with page.expect_file_chooser() as chooser:
        page.click(".tb-upload")
    chooser.value.set_files(str(path))
    wait_for_replan(page, count)
    wait_for_bars(page, plan(profile).weekly["load_kj"].tolist())
    assert "Upload test" in page.inner_text(".tb-upload-message")
