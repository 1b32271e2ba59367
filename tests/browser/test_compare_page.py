"""Two scenarios and the handout on the real dashboard (issue 13), on a laptop (1366 × 800) and a
phone (390 × 844): keep the plan as A, change the weeks, read both plans off the plotly charts and the
difference table, download the handout. Screenshots of the compare state go to
``tests/browser/artifacts/`` (not committed)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from planner import compare, plan
from planner.ui.form import default_profile
from test_dashboard import (OFFLINE_CDN_ERROR, SCREENS, open_tab, overflowing, replans, screenshot, set_number,
                            wait_for_replan)

CLIENT = "Zoë Ångström"
TRACES = """(name) => { const gd = document.querySelector(`.tb-chart-plot-${name}`);
    return gd._fullData.map((trace, index) => ({name: trace.name, visible: trace.visible,
        y: trace.type === 'bar' ? Array.from(gd.calcdata[index]).map(p => p.s)
                                : Array.from(gd.calcdata[index]).map(p => p.y)})); }"""
LEGEND = """(name) => Array.from(document.querySelectorAll(`.tb-chart-${name} .tb-chart-key-item`))
    .map(e => e.textContent)"""  # the key under the chart, as the page shows it


def traces(page, chart: str) -> dict[str, list]:
    """Visible traces of a chart as plotly drew them: legend name -> y values."""
    return {trace["name"]: trace["y"] for trace in page.evaluate(TRACES, chart) if trace["visible"] is True}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_keep_a_change_weeks_see_both_plans_and_download_the_handout(open_page, console_errors, screen):
    with open_page(SCREENS[screen]) as page:
        count = replans(page)
        name = page.locator(".tb-client-name input")
        name.fill(CLIENT)
        name.press("Enter")
        wait_for_replan(page, count)
        page.click(".tb-compare-keep")
        page.wait_for_selector(".tb-compare-table", timeout=15_000)
        open_tab(page, "Goal")
        count = replans(page)
        set_number(page, "weeks", 8)
        wait_for_replan(page, count)
        page.wait_for_selector(".tb-compare-table tr.tb-compare-differs[data-measure='weeks in plan']",
                               timeout=15_000)

        profile_a = replace(default_profile(), name=CLIENT)
        plan_a = plan(profile_a)
        plan_b = plan(replace(profile_a, goal=replace(profile_a.goal, weeks=8)))
        minutes, load = traces(page, "minutes"), traces(page, "load")
        assert minutes["A (kept): minutes per week"] == plan_a.weekly["total_minutes"].tolist()
        assert minutes["B (now): minutes per week"] == plan_b.weekly["total_minutes"].tolist()
        assert load["A (kept): load (kJ)"] == pytest.approx(plan_a.weekly["load_kj"].tolist())
        assert load["B (now): load (kJ)"] == pytest.approx(plan_b.weekly["load_kj"].tolist())
        for chart in ("minutes", "load"):
            legend = page.evaluate(LEGEND, chart)
            assert any(text.startswith("A (kept)") for text in legend) and \
                any(text.startswith("B (now)") for text in legend), legend

        expected = compare(plan_a, plan_b)
        for row in expected.itertuples(index=False):
            shown = page.locator(f".tb-compare-table tr[data-measure='{row.measure}']")
            assert shown.get_attribute("class") == ("tb-compare-differs" if row.different else "tb-compare-same")
        assert page.inner_text(".tb-compare-table tr[data-measure='weeks in plan']").split() == \
            ["weeks", "in", "plan", str(len(plan_a.weekly)), "8"]
        table_fits = page.evaluate("""() => { const t = document.querySelector('.tb-compare-table');
            const r = t.getBoundingClientRect(); return r.right <= window.innerWidth
                && t.scrollWidth <= t.parentElement.clientWidth; }""")
        assert table_fits
        assert overflowing(page) == []
        page.evaluate("document.querySelector('.tb-compare').scrollIntoView()")
        screenshot(page, f"compare-table-{screen}")
        page.evaluate("document.querySelector('.tb-charts').scrollIntoView()")
        screenshot(page, f"compare-charts-{screen}")

        page.evaluate("document.querySelector('.tb-handout-button').scrollIntoView()")
        with page.expect_download(timeout=30_000) as download:
            page.click(".tb-handout-button")
        assert download.value.suggested_filename == "trailback-handout-zo-ngstr-m.pdf"
        pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
        text = " ".join(pdf_page.extract_text() for pdf_page in pdf.pages)
        assert f"Walking plan for {CLIENT}" in text and "8 weeks" in text and "Units: metric" in text
        screenshot(page, f"compare-files-{screen}")

        count = replans(page)
        page.click(".tb-compare-clear")
        page.wait_for_function("() => !document.querySelector('.tb-compare-table')", timeout=15_000)
        page.wait_for_function("""() => document.querySelector('.tb-chart-plot-minutes')._fullData
            .every(t => !t.name.startsWith('A (kept)') || t.visible !== true)""", timeout=15_000)
        assert "Minutes per week" in traces(page, "minutes")
        assert [error for error in console_errors if OFFLINE_CDN_ERROR not in error] == []
