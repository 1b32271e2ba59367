"""Issue 21 in a real browser: "Add recorded walks" takes three recordings (a watch's FIT, a phone's
GPX, a TCX export) for a saved client at once; they show in the diary (pains not logged) and in the
load chart (from recordings) and the schedule's week ("done: recorded (3 walks)"), the plan adapts;
the same three files again change nothing.

The recordings are written by the benchmark's writers (``benchmarks/bench_recordings.py``), dated in
the plan's second week (the kernel's "today" is the computer's date, so the plan starts two weeks
before it).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

from test_dashboard import OFFLINE_CDN_ERROR, PHONE, open_tab, replans, wait_for_replan
from test_diary import WAIT_MS, roster, wait_for_client_message

from planner.ui.charts import LOAD_BARS, PLANNED_LOAD

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CLIENT = "Rita Recorded"
BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_recordings.py"


def recording_files(folder: Path, first_day: dt.date) -> list[Path]:
    """A FIT, a GPX and a TCX walk on three days from ``first_day``."""
    if str(BENCH.parent) not in sys.path:
        sys.path.append(str(BENCH.parent))  # its _cli module
    spec = importlib.util.spec_from_file_location("bench_recordings", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    paths = []
    for offset, writer in enumerate((bench.fit_file, bench.gpx_file, bench.tcx_file)):
        points = bench.walk_points(offset)
        day_shift = (dt.datetime.combine(first_day + dt.timedelta(days=offset), dt.time(8), dt.timezone.utc)
                     .timestamp() - points["unix"][0])
        points["unix"] = points["unix"] + day_shift
        path = folder / f"walk-{offset + 1}.{writer.__name__[:3]}"
        path.write_bytes(writer(points))
        paths.append(path)
    return paths


def diary_heading(page) -> str:
    return page.inner_text(".tb-diary-heading")


def test_three_recordings_fill_the_diary_and_the_chart_and_again_change_nothing(open_page, voila_data_dir,
                                                                              console_errors, tmp_path):
    today = dt.date.today()
    start = today - dt.timedelta(days=14)  # today is in week 3
    files = recording_files(tmp_path, start + dt.timedelta(days=7))  # week 2
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

        page.click(".tb-recordings-open")  # built when first opened (issue 22)
        page.wait_for_selector(".tb-recordings-upload")
        count = replans(page)
        with page.expect_file_chooser() as chooser:
            page.click(".tb-recordings-upload")
        chooser.value.set_files([str(path) for path in files])
        wait_for_replan(page, count)
        page.wait_for_function("() => document.querySelectorAll('.tb-diary-entry').length === 3", timeout=WAIT_MS)
        entries = page.inner_text(".tb-diary-entries")
        for path in files:
            assert f"recorded: {path.name}" in entries
        assert entries.count("pains not logged") == 3
        assert "3 sessions logged" in diary_heading(page)
        report = page.inner_text(".tb-recordings-report")
        assert report.count("min moving") == 3 and "kJ" in report
        # the load chart: week 2's bar comes from the recordings, and differs from the plan's marker
        chart = page.wait_for_function(
            """([bars, planned]) => { const gd = document.querySelector('.tb-chart-plot-load');
                 const d = gd && gd.data; if (!d || !d[bars].customdata) return false;
                 return {hover: Array.from(d[bars].customdata), plannedShown: d[planned].visible !== false}; }""",
            arg=[LOAD_BARS, PLANNED_LOAD], timeout=WAIT_MS).json_value()
        assert chart["hover"][1] == " (from recordings)" and chart["plannedShown"]
        assert page.locator(".tb-recordings-weekly tr[data-week='2']").count() == 1
        assert "recorded (3 walks)" in page.inner_text(".tb-recordings-weekly tr[data-week='2']")
        # the schedule's week 2 says its walks come from recordings
        assert page.inner_text(".tb-week[data-week='2'] .tb-week-done") == "done: recorded (3 walks)"
        assert "Traceback" not in page.inner_text("body")
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("document.querySelector('.tb-recordings').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "recorded_walks.png"))
        viewport = page.viewport_size
        page.set_viewport_size(dict(zip(("width", "height"), PHONE)))  # the same at a phone's width (390 x 844)
        page.evaluate("document.querySelector('.tb-recordings').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "recorded_walks_390x844.png"))
        page.set_viewport_size(viewport)

        # the same three files again: nothing changes
        with page.expect_file_chooser() as chooser:
            page.click(".tb-recordings-upload")
        chooser.value.set_files([str(path) for path in files])
        page.wait_for_function("() => (document.querySelector('.tb-recordings-report') || {}).innerText"
                               " && document.querySelector('.tb-recordings-report').innerText"
                               ".split('already in the diary').length === 4", timeout=WAIT_MS)
        assert page.locator(".tb-diary-entry").count() == 3
        assert page.inner_text(".tb-diary-entries") == entries
    assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []
