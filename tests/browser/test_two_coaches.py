"""Two coaches on one server, served the README's way (``voila notebooks/planner.ipynb`` from the
repository root, voila.json applies, XSRF checks on): both open the same client, the first saves, the
second's save is refused with the conflict message beside the client bar and the store keeps the first's
change; the roster's states are in the picker; the History opens. Screenshots at 1366 × 800 and
390 × 844 go to the artifacts folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import REPO, open_dashboard, voila_server
from test_dashboard import LAPTOP, PHONE, open_tab, screenshot

from planner import ClientProfile, DiaryEntry, Goal, Pain
from planner.store import DEFAULT_DB_FILE, Store, sqlite_url

WAIT_MS = 30_000


def seed(data_dir: Path) -> dict[str, int]:
    """Three clients whose plans started two weeks before today: on track, stopped (red flag), quiet."""
    today = dt.date.today()
    start = today - dt.timedelta(days=14)
    profile = lambda name, **pain: ClientProfile(name=name, pain=Pain(pain_now=3, **pain),
                                                  goal=Goal(start_date=start, weeks=12))
    walks = [DiaryEntry(start + dt.timedelta(days=day), 15, 2, 2, 2) for day in (0, 2, 4, 7, 9, 11, 13)]
    with Store(sqlite_url(data_dir / DEFAULT_DB_FILE), coach="front desk") as store:
        return {"Pat Twocoach": store.create_client(profile("Pat Twocoach"), walks),
                "Rita Redflag": store.create_client(profile("Rita Redflag", red_flags=frozenset({"bladder_bowel"}))),
                "Sam Quiet": store.create_client(profile("Sam Quiet"))}


def labels(page) -> list[str]:
    return [text.replace("\xa0", " ") for text in page.locator(".tb-client-pick select option").all_inner_texts()]


def pick(page, name: str) -> None:
    page.wait_for_function("(name) => [...document.querySelectorAll('.tb-client-pick select option')]"
                           ".some(o => o.innerText.replace(/\\u00a0/g, ' ').startsWith(name))", arg=name, timeout=WAIT_MS)
    index = next(i for i, label in enumerate(labels(page)) if label.startswith(name))
    page.select_option(".tb-client-pick select", index=index)
    wait_for_text(page, ".tb-client-message", f"Opened {name}")


def wait_for_text(page, selector: str, text: str) -> None:
    """Wait until ``selector`` says ``text``; if it never does, fail with what it says instead."""
    try:
        page.wait_for_function("([selector, text]) => { const m = document.querySelector(selector);"
                               " return m && m.innerText.replace(/\\u00a0/g, ' ').includes(text); }",
                               arg=[selector, text], timeout=WAIT_MS)
    except PlaywrightTimeoutError:
        said = page.evaluate("(selector) => { const m = document.querySelector(selector); return m && m.innerText; }",
                             selector)
        raise AssertionError(f"{selector} did not say {text!r} within {WAIT_MS} ms; it says {said!r}") from None


def set_pain(page, value: int) -> None:
    open_tab(page, "Pain")
    box = page.locator(".tb-field-pain_now input")
    box.fill(str(value))
    box.press("Enter")


def open_history(page) -> None:
    page.click(".tb-client-history .jupyter-widget-Collapse-header")
    wait_for_text(page, ".tb-history", "When")


def test_two_coaches_saving_one_client_and_the_roster_states(browser, tmp_path):
    ids = seed(tmp_path)
    with voila_server(Path("notebooks") / "planner.ipynb", tmp_path, cwd=REPO, xsrf=True) as url:
        with open_dashboard(browser, url, viewport=LAPTOP) as first, open_dashboard(browser, url, viewport=PHONE) as second:
            for page in (first, second):  # the roster with states, the most urgent first
                page.wait_for_function("() => document.querySelectorAll('.tb-client-pick select option').length > 3",
                                       timeout=WAIT_MS)
                assert labels(page)[1:] == ["Rita Redflag  ·  ✖ stopped: red flag",
                                            "Sam Quiet  ·  … nothing logged for 7 days", "Pat Twocoach  ·  ✓ on track"]
                wait_for_text(page, ".tb-client-state", "Needing a look in the list: 1 stopped: red flag, 1 nothing logged for 7 days")
            pick(first, "Rita Redflag")
            wait_for_text(first, ".tb-client-state", "stopped: red flag")
            screenshot(first, "clinic-states-laptop")
            pick(second, "Sam Quiet")
            wait_for_text(second, ".tb-client-state", "nothing logged since the start")
            screenshot(second, "clinic-states-phone")

            pick(first, "Pat Twocoach")
            pick(second, "Pat Twocoach")
            # The second coach's edit is in their page before the first saves: a page without unsaved
            # edits takes another page's save within seconds (test_live_status.py), one with them keeps them.
            set_pain(second, 7)
            wait_for_text(second, ".tb-client-message", "Unsaved changes")
            set_pain(first, 5)
            first.click(".tb-client-save")
            wait_for_text(first, ".tb-client-message", "Saved Pat Twocoach")
            second.click(".tb-client-save")
            wait_for_text(second, ".tb-conflict", "Pat Twocoach changed since you opened it")
            conflict = second.inner_text(".tb-conflict").replace("\xa0", " ")
            assert "nothing was saved" in conflict and "Your edits are still in the form" in conflict
            second.locator(".tb-conflict-reload").wait_for(state="visible", timeout=WAIT_MS)  # Reload beside it
            assert second.input_value(".tb-field-pain_now input") == "7"  # the second coach's edit is kept
            with Store(sqlite_url(tmp_path / DEFAULT_DB_FILE)) as store:
                assert store.load_client(ids["Pat Twocoach"]).profile.pain.pain_now == 5  # the first's change stands
            second.locator(".tb-client-bar").scroll_into_view_if_needed()
            screenshot(second, "clinic-conflict-phone")

            second.click(".tb-conflict-reload")  # the second coach reloads and makes the change again
            wait_for_text(second, ".tb-client-message", "Opened Pat Twocoach")
            assert second.input_value(".tb-field-pain_now input") == "5"
            set_pain(first, 4)  # the first coach edits while the second saves: now the first's page is the stale one
            wait_for_text(first, ".tb-client-message", "Unsaved changes")
            set_pain(second, 6)
            second.click(".tb-client-save")
            wait_for_text(second, ".tb-client-message", "Saved Pat Twocoach")
            second.locator(".tb-conflict").wait_for(state="hidden", timeout=WAIT_MS)

            first.click(".tb-client-save")
            wait_for_text(first, ".tb-conflict", "Pat Twocoach changed since you opened it")
            screenshot(first, "clinic-conflict-laptop")

            for page, name in ((first, "laptop"), (second, "phone")):
                open_history(page)
                rows = page.locator(".tb-history-row")
                assert rows.count() == 3  # created by the front desk, saved, saved
                assert "saved" in rows.nth(0).inner_text() and "created" in rows.nth(2).inner_text()
                assert "front desk" in rows.nth(2).inner_text()
                page.locator(".tb-client-history").scroll_into_view_if_needed()
                screenshot(page, f"clinic-history-{name}")
            with Store(sqlite_url(tmp_path / DEFAULT_DB_FILE)) as store:
                assert store.load_client(ids["Pat Twocoach"]).profile.pain.pain_now == 6


def test_on_binder_the_public_demo_notice_is_the_first_thing_on_the_page(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("BINDER_SERVICE_HOST", "10.0.0.1")  # as mybinder.org's containers have it
    with voila_server(Path("notebooks") / "planner.ipynb", tmp_path, cwd=REPO, xsrf=True) as url:
        for viewport, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
            with open_dashboard(browser, url, viewport=viewport) as page:
                notice = page.locator(".tb-demo-notice")
                assert "Public demo: do not enter real client data" in notice.inner_text()
                top = page.evaluate("() => document.querySelector('.tb-demo-notice').getBoundingClientRect().top")
                title = page.evaluate("() => document.querySelector('.tb-title').getBoundingClientRect().top")
                assert 0 <= top < title  # above the title, in view when the page opens
                screenshot(page, f"clinic-binder-{name}")
