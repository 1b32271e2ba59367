"""Clients and diary in a real browser: create a client, log a painful session, see the next week held
with the reason, then reopen the dashboard (a new kernel) and find the client and diary as left.

Voila runs with ``TRAILBACK_DATA_DIR`` set to a temporary folder (``voila_data_dir``), and the
kernel's "today" is the computer's date, so the plan is started two weeks before today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from test_dashboard import OFFLINE_CDN_ERROR, open_tab, replans, wait_for_replan

from planner import plan
from planner.ui.dates import day_text
from planner.ui.form import default_profile

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WAIT_MS = 15_000
CLIENT = "Nora Diarytest"


def wait_for_client_message(page, text: str) -> None:
    page.wait_for_function("(text) => { const m = document.querySelector('.tb-client-message');"
                           " return m && m.innerText.includes(text); }", arg=text, timeout=WAIT_MS)


def set_diary_number(page, field: str, value: float) -> None:
    """Type a value into a diary number box."""
    box = page.locator(f".tb-diary-{field} input")
    box.fill(str(value))
    box.press("Enter")


def roster(page) -> list[str]:
    """Client names in the client picker (ipywidgets shows spaces as no-break spaces; each label ends
    with " · " and the client's state)."""
    return [text.replace("\xa0", " ").split(" · ")[0].strip()
            for text in page.locator(".tb-client-pick select option").all_inner_texts()][1:]


def chart_adjustments(page) -> list[str]:
    """Texts of the held / stepped-back week labels as plotly has them (waits for the chart to have one:
    widgets' messages are drawn in no fixed order)."""
    return page.wait_for_function("""() => { const notes = (document.querySelector('.tb-chart-plot-minutes').layout
        .annotations || []).filter(a => a.name === 'adjustment').map(a => `${a.x}:${a.text}`);
        return notes.length ? notes : false; }""", timeout=WAIT_MS).json_value()


def test_painful_session_holds_next_week_and_survives_a_reload(open_page, voila_data_dir, console_errors):
    today = dt.date.today()
    start = today - dt.timedelta(days=14)  # today is in week 3
    painful_day = start + dt.timedelta(days=8)  # week 2
    with open_page() as page:
        open_tab(page, "Goal")
        count = replans(page)
        start_box = page.locator(".tb-field-start_date input")
        start_box.fill(start.isoformat())
        start_box.press("Enter")
        wait_for_replan(page, count)

        page.fill(".tb-client-name input", CLIENT)
        page.locator(".tb-client-name input").press("Enter")
        page.click(".tb-client-save")
        wait_for_client_message(page, f"Saved {CLIENT} as a new client")
        assert CLIENT in roster(page)

        page.fill(".tb-diary-date input", painful_day.isoformat())
        page.locator(".tb-diary-date input").press("Enter")
        planned = plan(replace(default_profile(), goal=replace(default_profile().goal, start_date=start))).sessions
        planned_minutes = int(planned.loc[planned["date"] == painful_day, "total_minutes"].item())
        page.wait_for_function(  # picking the date prefills the planned minutes: then type over them
            "(m) => document.querySelector('.tb-diary-minutes_walked input').value === String(m)",
            arg=planned_minutes, timeout=WAIT_MS)
        page.fill(".tb-diary-minutes_walked input", "20")
        page.locator(".tb-diary-minutes_walked input").press("Enter")
        set_diary_number(page, "pain_during", 4)
        set_diary_number(page, "pain_after", 5)
        assert page.input_value(".tb-diary-pain_after input") == "5"  # "5", not "5.00"
        page.select_option(".tb-diary-pain_next_morning select", label="7")
        count = replans(page)
        page.click(".tb-diary-log")
        wait_for_replan(page, count)

        page.wait_for_selector(".tb-changes li[data-week='3'][data-adjustment='hold']", timeout=WAIT_MS)
        change = page.inner_text(".tb-changes li[data-week='3']")
        assert "Week 3: hold" in change
        assert f"had not settled by the morning after {day_text(painful_day)} (7/10" in change
        assert chart_adjustments(page) == ["3:<b>hold</b>"]
        entry = page.inner_text(".tb-diary-entries")
        assert day_text(painful_day) in entry and "20 min" in entry and "pain 4 / 5 / 7" in entry
        assert "saved for " + CLIENT in page.inner_text(".tb-diary-message")
        assert "1 session logged" in page.inner_text(".tb-diary-heading")
        assert "Traceback" not in page.inner_text("body")
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("document.querySelector('.tb-diary').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "diary_hold.png"))
        page.evaluate("document.querySelector('.tb-changes').scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / "diary_hold_changes.png"))

    assert (voila_data_dir / "trailback.sqlite").exists() or any(voila_data_dir.iterdir())

    with open_page() as page:  # a new kernel: everything comes back from the store
        page.wait_for_function("() => document.querySelectorAll('.tb-client-pick select option').length > 1",
                               timeout=WAIT_MS)  # the roster loaded
        assert CLIENT in roster(page)
        count = replans(page)
        page.select_option(".tb-client-pick select", index=roster(page).index(CLIENT) + 1)
        wait_for_replan(page, count)
        wait_for_client_message(page, f"Opened {CLIENT}.")
        assert page.input_value(".tb-client-name input") == CLIENT
        open_tab(page, "Goal")
        assert page.input_value(".tb-field-start_date input") == start.isoformat()
        assert day_text(painful_day) in page.inner_text(".tb-diary-entries")
        page.wait_for_selector(".tb-changes li[data-week='3'][data-adjustment='hold']", timeout=WAIT_MS)
        assert chart_adjustments(page) == ["3:<b>hold</b>"]
        page.screenshot(path=str(ARTIFACTS / "diary_reloaded.png"))
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []
