"""A page a clinic can adopt (issue 23), served by the README command as written (voila.json, XSRF
checks on): a coach's session asks no server but the dashboard's own, and no chart offers to share a
client's data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, open_dashboard, voila_server
from test_dashboard import PHONE, REPLAN_TIMEOUT_MS, open_tab, replans, screenshot, set_number, wait_for_replan

LAPTOP = (1366, 800)
CLOUD_WORDS = ("cloud", "share", "chart studio", "plotly.com", "edit in")


@pytest.fixture(scope="module")
def readme_url(tmp_path_factory):
    """``voila notebooks/planner.ipynb`` from the repository root, XSRF on (the README's command)."""
    with voila_server(Path("notebooks") / "planner.ipynb", tmp_path_factory.mktemp("clinic-page"), cwd=REPO,
                      xsrf=True) as url:
        yield url


def log_diary_entry(page, day: dt.date, minutes: float, during: float, after: float, note: str = "") -> None:
    """Fill the diary form and click Log session; waits for the replan."""
    page.locator(".tb-diary").scroll_into_view_if_needed()
    date_box = page.locator(".tb-diary-date input")
    date_box.fill(day.isoformat())
    date_box.press("Enter")
    for field, value in (("minutes_walked", minutes), ("pain_during", during), ("pain_after", after)):
        box = page.locator(f".tb-diary-{field} input")
        box.fill(str(value))
        box.press("Enter")
    if note:
        page.fill(".tb-diary-note input", note)
        page.locator(".tb-diary-note input").press("Enter")
    count = replans(page)
    page.click(".tb-diary-log")
    wait_for_replan(page, count)


def chart_share_offers(page) -> list[str]:
    """What each drawn chart offers that could send its data away: its plotly config's cloud switches
    and its modebar buttons' titles."""
    return page.evaluate("""(words) => {
        const found = [];
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
          const c = gd._context || {};
          if (c.showSendToCloud || c.showEditInChartStudio || c.showLink) found.push('config: ' + JSON.stringify(
              {showSendToCloud: c.showSendToCloud, showEditInChartStudio: c.showEditInChartStudio, showLink: c.showLink}));
          if (c.plotlyServerURL) found.push('plotlyServerURL: ' + c.plotlyServerURL);
          for (const button of gd.querySelectorAll('.modebar-btn')) {
            const title = (button.getAttribute('data-title') || '').toLowerCase();
            if (words.some(w => title.includes(w))) found.push('button: ' + title);
          }
          for (const link of gd.querySelectorAll('a[href]')) found.push('link: ' + link.href);
        }
        return found; }""", list(CLOUD_WORDS))


def test_a_coach_session_asks_no_other_server_and_no_chart_offers_to_share(browser, readme_url):
    dashboard_host = urlsplit(readme_url).netloc
    requested: list[str] = []
    errors: list[str] = []
    context = browser.new_context(accept_downloads=True, viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(f"{readme_url}/", timeout=60_000)
        page.wait_for_selector(".tb-status-text[data-replans]", timeout=60_000)
        page.wait_for_selector(".tb-charts g.subplot.xy g.trace.bars g.point path", timeout=60_000)
        assert chart_share_offers(page) == []
        page.hover(".tb-chart-plot-minutes")  # the modebar as the coach sees it
        assert page.locator(".tb-charts .modebar-btn").count() > 0
        assert chart_share_offers(page) == []

        count = replans(page)  # change inputs
        set_number(page, "pain_now", 5)
        wait_for_replan(page, count)
        open_tab(page, "Goal")
        start = dt.date.today() - dt.timedelta(days=14)  # two weeks of plan to log
        count = replans(page)
        set_number(page, "start_date", start.isoformat())
        wait_for_replan(page, count)
        count = replans(page)  # a red flag, then not
        page.check(".tb-flag-weight_loss input[type=checkbox]")
        wait_for_replan(page, count, state="stopped")
        count = replans(page)
        page.uncheck(".tb-flag-weight_loss input[type=checkbox]")
        wait_for_replan(page, count)
        page.click(".tb-compare-keep")  # Keep as A: both plans on the charts
        page.wait_for_selector(".tb-compare-output table", timeout=REPLAN_TIMEOUT_MS)
        log_diary_entry(page, start, 10, 6, 6, "hilly detour")  # the diary
        why = page.locator(".tb-summary .tb-why")  # what the diary did, at the top (issue 23.3)
        why.wait_for(timeout=REPLAN_TIMEOUT_MS)
        assert why.locator("a[href^='#tb-']").count() == 1 and "week" in why.inner_text()
        page.wait_for_function(  # the logged entry's fields emptied (their messages may come after the why's)
            "() => document.querySelector('.tb-diary-note input').value === '' "
            "&& document.querySelector('.tb-diary-pain_during input').value === ''", timeout=REPLAN_TIMEOUT_MS)
        page.locator(".tb-title").scroll_into_view_if_needed()
        screenshot(page, "clinic-why-laptop")

        downloads = {}
        for name, selector in (("csv", ".tb-download-csv button"), ("ics", ".tb-download-ics button"),
                               ("profile", ".tb-download-profile button"), ("handout", ".tb-handout-button")):
            page.locator(selector).scroll_into_view_if_needed()
            with page.expect_download(timeout=60_000) as download:  # the PDF is built when asked (slow under load)
                page.click(selector)
            downloads[name] = Path(download.value.path()).read_bytes()
        assert downloads["handout"].startswith(b"%PDF")
        for name, content in downloads.items():
            lowered = content.lower()
            assert b"plotly.com" not in lowered and b"chart-studio" not in lowered, name
        assert chart_share_offers(page) == []
        screenshot(page, "clinic-session-laptop")
    finally:
        page.close(run_before_unload=True)
        context.close()
    others = sorted({url for url in requested if urlsplit(url).scheme not in ("data", "blob")
                     and urlsplit(url).netloc != dashboard_host})
    assert others == []
    assert len(requested) > 20  # the recorder saw the page's requests
    assert not [error for error in errors if "fontawesome" in error.lower() or "ERR_NAME" in error]


SCREENS = {"laptop": LAPTOP, "phone": PHONE}
BLOCKING_IMPACTS = ("critical", "serious", "moderate")  # issue 23: 0 of each (WCAG 2.1 AA and axe's best practices)


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as drawn (axe-playwright-python ships axe-core: no download),
    critical, serious and moderate only, one line each with the first elements hit."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['impact']}: {v['id']} ({len(v['nodes'])}×) {v['help']} — "
            + "; ".join(" ".join(node["target"][0] if isinstance(node["target"][0], list) else node["target"][:1])
                        + " " + (node.get("failureSummary") or "").replace("\n", " ")[:160] for node in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_axe_core_finds_nothing_on_the_drawn_page(browser, readme_url, screen):
    """The plan drawn, a review-soon red flag ticked (the plan goes on with its notice), a diary entry
    logged, a trail loaded and the diary in view; then the plan stopped by a see-a-doctor answer."""
    with open_dashboard(browser, readme_url, viewport=SCREENS[screen]) as page:
        screenshot(page, f"clinic-top-{screen}")
        assert page.locator("[title='null']").count() == 0  # labels carried title="null"
        count = replans(page)
        page.check(".tb-flag-severe_or_worsening input[type=checkbox]")
        wait_for_replan(page, count)
        open_tab(page, "Goal")
        count = replans(page)
        set_number(page, "start_date", (dt.date.today() - dt.timedelta(days=14)).isoformat())
        wait_for_replan(page, count)
        log_diary_entry(page, dt.date.today() - dt.timedelta(days=14), 10, 6, 6, "hilly detour")
        open_tab(page, "Terrain")  # a trail loaded: its elevation chart and readiness drawn
        count = replans(page)
        page.select_option(".tb-trail-sample select", label="steep mountain")
        wait_for_replan(page, count)
        page.wait_for_selector(".tb-trail-chart .js-plotly-plot .main-svg", timeout=REPLAN_TIMEOUT_MS)
        page.locator(".tb-diary").scroll_into_view_if_needed()
        screenshot(page, f"axe-{screen}")
        found = axe_violations(page)
        count = replans(page)
        page.check(".tb-flag-weight_loss input[type=checkbox]")
        wait_for_replan(page, count, state="stopped")
        found += ["(stopped) " + line for line in axe_violations(page)]
    assert found == [], "\n".join(found)


def focused(page) -> dict:
    """What has the keyboard focus: its tag, classes of it and its widget, text, and ring."""
    return page.evaluate("""() => { const el = document.activeElement; const style = getComputedStyle(el);
        const widget = el.closest('.jupyter-widgets, .widget-html, .tb-handout') || el;
        return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').slice(0, 60),
                classes: (el.className.baseVal ?? el.className) + ' ' + widget.className + ' ' +
                         Array.from(el.closest('[class*="tb-field-"], [class*="tb-diary-"], .tb-results, .tb-schedule-panel') ? [
                           ...['tb-results', 'tb-schedule-panel'].filter(c => el.closest('.' + c)),
                           ...(el.closest('[class*="tb-field-"], [class*="tb-diary-"]')?.className.split(' ') || [])] : []).join(' '),
                outline: parseFloat(style.outlineWidth) || 0, outlineStyle: style.outlineStyle, outlineColor: style.outlineColor}; }""")


def tab_until(page, wanted, limit: int, key: str = "Tab") -> list[dict]:
    """Press ``key`` until ``wanted(focused)`` (at most ``limit`` presses); the focus after each press."""
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stops.append(focused(page))
        if wanted(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} presses of {key}: {[s['text'] or s['classes'][:40] for s in stops]}")


def assert_ring(stop: dict) -> None:
    """WCAG 2.4.7 / 1.4.11: a solid ring at least 2 px wide (our #0b5cad: 6.9:1 on white)."""
    assert stop["outline"] >= 2 and stop["outlineStyle"] != "none", stop
    assert stop["outlineColor"] in ("rgb(11, 92, 173)",), stop


def test_keyboard_only_walk(browser, readme_url):
    """Tab to the answers, set the start date on the Goal tab, the pain on the Pain tab, reach the plan,
    log a diary entry and download the handout, with the keyboard only; screenshots of each focus."""
    start = dt.date.today() - dt.timedelta(days=14)
    with open_dashboard(browser, readme_url, viewport=LAPTOP) as page:
        page.evaluate("document.activeElement.blur()")
        stops = tab_until(page, lambda s: s["tag"] == "a" and "pain, fitness" in s["text"], 4)
        assert_ring(stops[-1])
        page.keyboard.press("Enter")  # skip the client bar and the red-flag boxes
        stops = tab_until(page, lambda s: s["text"].strip() == "Goal", 5)  # each tab a Tab stop
        assert_ring(stops[-1])
        screenshot(page, "keyboard-1-goal-tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(".tb-field-start_date input", state="visible", timeout=REPLAN_TIMEOUT_MS)
        tab_until(page, lambda s: "tb-field-start_date" in s["classes"], 12)
        count = replans(page)
        page.keyboard.type(f"{start:%m%d%Y}")  # Chromium's date box, en-US: month, day, year
        wait_for_replan(page, count)
        assert page.input_value(".tb-field-start_date input") == start.isoformat()

        stops = tab_until(page, lambda s: s["text"].strip() == "Pain", 20, key="Shift+Tab")
        page.keyboard.press("Enter")
        stops = tab_until(page, lambda s: "tb-field-pain_now" in s["classes"], 8)
        assert_ring(stops[-1])
        count = replans(page)
        page.keyboard.press("Control+A")
        page.keyboard.type("5")
        page.keyboard.press("Enter")
        wait_for_replan(page, count)
        assert page.input_value(".tb-field-pain_now input") == "5"
        screenshot(page, "keyboard-2-pain")

        stops = tab_until(page, lambda s: "tb-results" in s["classes"], 15)  # the plan
        assert_ring(stops[-1])
        screenshot(page, "keyboard-3-plan")
        stops = tab_until(page, lambda s: "tb-diary-date" in s["classes"], 30)
        in_schedule = [s for s in stops if "tb-schedule-panel" in s["classes"]]
        assert len(in_schedule) <= 3, in_schedule  # the sources link (and show-more buttons), not every S-link
        assert not [s for s in stops if " tb-src " in f" {s['classes']} "]
        for field in ("minutes_walked", "pain_during", "pain_after"):
            tab_until(page, lambda s, field=field: f"tb-diary-{field}" in s["classes"], 6)  # a date box: 3 stops
            page.keyboard.press("Control+A")
            page.keyboard.type("12" if field == "minutes_walked" else "3")
        stops = tab_until(page, lambda s: "tb-diary-log" in s["classes"], 8)
        assert_ring(stops[-1])
        screenshot(page, "keyboard-4-log")
        count = replans(page)
        page.keyboard.press("Enter")
        wait_for_replan(page, count)
        page.wait_for_selector(".tb-diary-heading[data-entries='1']", timeout=REPLAN_TIMEOUT_MS)

        stops = tab_until(page, lambda s: "tb-handout-button" in s["classes"], 40)
        assert_ring(stops[-1])
        screenshot(page, "keyboard-5-handout")
        with page.expect_download(timeout=30_000) as download:
            page.keyboard.press("Enter")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_ticked_red_flag_does_not_move_the_checklist(browser, readme_url, screen):
    """Issue 23.8: the box just clicked stays under the pointer (it moved ~380 px down), uncovered,
    and the banner is on screen."""
    where = """(sel) => { const box = document.querySelector(sel).getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return {y: box.y, covered: !(hit && hit.closest('.tb-flag'))}; }"""
    with open_dashboard(browser, readme_url, viewport=SCREENS[screen]) as page:
        for flag, state in (("weight_loss", "stopped"), ("bladder_bowel", "stopped")):
            selector = f".tb-flag-{flag} input[type=checkbox]"
            page.locator(selector).scroll_into_view_if_needed()
            before = page.evaluate(where, selector)
            count = replans(page)
            page.check(selector)
            wait_for_replan(page, count, state=state)
            page.wait_for_selector(".tb-banner-safety .tb-banner-box", timeout=REPLAN_TIMEOUT_MS)
            page.wait_for_timeout(100)
            after = page.evaluate(where, selector)
            assert abs(after["y"] - before["y"]) < 2, (flag, before, after)
            assert not after["covered"], flag
            scrollers = page.evaluate("""() => { const out = []; let el = document.querySelector('.tb-banner-safety');
                while (el) { const s = getComputedStyle(el); if (s.overflowY !== 'visible' || s.overflowX !== 'visible')
                out.push(el.className + ':' + s.overflowX + '/' + s.overflowY); el = el.parentElement; } return out; }""")
            banner = page.locator(".tb-banner-strip .tb-strip-box").bounding_box()  # the whole banner is under the list
            assert banner["y"] >= 0 and banner["y"] + banner["height"] <= SCREENS[screen][1] + 1, scrollers
            screenshot(page, f"red-flag-still-{flag}-{screen}")


def test_phone_diary_buttons_line_up_and_keep_their_words(browser, readme_url):
    """Issue 23.5 at 390 × 844: each Remove beside its own entry; "Log session" whole beside its message."""
    today = dt.date.today()
    with open_dashboard(browser, readme_url, viewport=PHONE) as page:
        open_tab(page, "Goal")
        count = replans(page)
        set_number(page, "start_date", (today - dt.timedelta(days=14)).isoformat())
        wait_for_replan(page, count)
        for days_ago, note in ((13, "hilly detour, back sore that evening and the next morning too"), (11, "")):
            log_diary_entry(page, today - dt.timedelta(days=days_ago), 12, 4, 4, note)
        page.wait_for_selector(".tb-diary-heading[data-entries='2']", timeout=REPLAN_TIMEOUT_MS)
        rows = page.evaluate("""() => Array.from(document.querySelectorAll('.tb-diary-entry')).map(row => {
            const button = row.querySelector('.tb-diary-remove').getBoundingClientRect();
            const text = row.querySelector('.tb-diary-entry-text').getBoundingClientRect();
            return {button_top: button.top, text_top: text.top, text_left: text.left, button_right: button.right,
                    row_bottom: row.getBoundingClientRect().bottom, text_bottom: text.bottom}; })""")
        assert len(rows) == 2
        for row in rows:
            assert abs(row["button_top"] - row["text_top"]) < 8, row  # side by side, on one line
            assert row["text_left"] >= row["button_right"] - 1, row
            assert row["text_bottom"] <= row["row_bottom"] + 1, row
        log = page.evaluate("""() => { const b = document.querySelector('.tb-diary-log');
            return {client: b.clientWidth, scroll: b.scrollWidth, text: b.innerText,
                    message: document.querySelector('.tb-diary-message').innerText}; }""")
        assert "Logged" in log["message"]  # the confirmation is shown...
        assert log["scroll"] <= log["client"] and log["text"].strip() == "Log session", log  # ...and the button whole
        page.locator(".tb-diary-actions").scroll_into_view_if_needed()
        screenshot(page, "diary-phone")
