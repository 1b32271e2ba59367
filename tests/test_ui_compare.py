"""The compare panel and the handout button, driven without a browser."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from planner import compare, plan
from planner.examples import EXAMPLES
from planner.trail import read_gpx, sample_trails, trail_readiness
from planner.ui.compare_panel import ComparePanel, table_html, value_text
from planner.ui.handout_button import HandoutButton, handout_file_name

HIKER = EXAMPLES["hiker with a pack on hills"]


def _weeks(profile, weeks):
    return dataclasses.replace(profile, goal=dataclasses.replace(profile.goal, weeks=weeks))


def test_nothing_to_compare_until_a_plan_is_kept():
    panel = ComparePanel()
    assert panel.keep_button.disabled and panel.swap_button.disabled and panel.clear_button.disabled
    panel.show(plan(HIKER))
    assert not panel.keep_button.disabled and panel.swap_button.disabled
    assert panel.table is None and "Keep a plan as A" in panel.output.value


def test_keep_then_change_shows_the_difference_table():
    pinned_seen = []
    panel = ComparePanel(on_pinned_change=pinned_seen.append)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 12))
    panel.show(plan_a)
    panel.keep_button.click()
    assert panel.pinned is plan_a and pinned_seen == [plan_a]
    panel.show(plan_b)
    expected = compare(plan_a, plan_b)
    assert panel.table.equals(expected)
    assert "<td class='tb-compare-a'>16</td><td class='tb-compare-b'>12</td>" in panel.output.value
    assert panel.output.value.count("class='tb-compare-differs'") == int(expected["different"].sum())
    assert f"{int(expected['different'].sum())} of {len(expected)} measures differ" in panel.output.value


def test_swap_gives_the_app_plan_as_profile_and_keeps_b_as_a():
    loaded = []
    panel = ComparePanel(on_swap=loaded.append)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 12))
    panel.show(plan_a)
    panel.keep()
    panel.show(plan_b)
    panel.swap_button.click()
    assert panel.pinned is plan_b and panel.current is plan_a
    assert loaded == [plan_a.profile]
    row = panel.table.set_index("measure").loc["weeks in plan"]
    assert (row["A"], row["B"]) == (12, 16)


def test_clear_forgets_a():
    pinned_seen = []
    panel = ComparePanel(on_pinned_change=pinned_seen.append)
    panel.show(plan(HIKER))
    panel.keep()
    panel.clear_button.click()
    assert panel.pinned is None and pinned_seen[-1] is None and panel.table is None
    assert panel.swap_button.disabled and panel.clear_button.disabled


def test_the_loaded_trail_adds_the_ready_week_row():
    effort = read_gpx(sample_trails()["riverside_flat"]).analyse_for(HIKER)
    panel = ComparePanel(trail_effort=lambda: effort)
    plan_a, plan_b = plan(HIKER), plan(_weeks(HIKER, 4))
    panel.show(plan_a)
    panel.keep()
    panel.show(plan_b)
    row = panel.table.set_index("measure").loc["ready-for-trail week"]
    # The trail panel's own reading of the same plans (the 16-week plan gets there, 4 weeks do not).
    assert row["A"] == trail_readiness(plan_a, effort).ready_week is not None
    assert row["B"] is None and trail_readiness(plan_b, effort).ready_week is None
    assert "data-measure='ready-for-trail week'" in panel.output.value
    assert "<td class='tb-compare-b'>never</td>" in panel.output.value.split("ready-for-trail week")[2]


def test_values_read_as_words():
    assert value_text("first hike week", None) == "never"
    assert value_text("peak acute:chronic", None) == "–"
    assert value_text("peak acute:chronic", 1.1349) == "1.13"
    red = compare(plan(HIKER), plan(EXAMPLES["red flag"]))
    assert "emergency: New loss of bladder" in table_html(red)


def test_handout_button_builds_the_pdf_when_clicked():
    result = plan(dataclasses.replace(HIKER, name="Zoë Ångström"))
    sent = []
    button = HandoutButton(source=lambda: (result, "imperial"))
    button.send = lambda content, buffers=None: sent.append((content, buffers))
    button._on_message(button, {"event": "build"}, [])
    (content, buffers), = sent
    assert content == {"event": "file", "name": "trailback-handout-zo-ngstr-m.pdf"}
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(buffers[0])).pages)
    assert "Walking plan for Zoë Ångström" in text and "Units: imperial" in text


def test_handout_button_without_a_plan_says_so():
    sent = []
    button = HandoutButton(source=lambda: None)
    button.send = lambda content, buffers=None: sent.append(content)
    assert button.build() is None
    assert sent == [{"event": "error", "message": "No plan yet."}]


def test_handout_file_name_is_safe():
    assert handout_file_name(plan(EXAMPLES["spinal stenosis"])) == "trailback-handout-stenosis.pdf"
    assert handout_file_name(plan(dataclasses.replace(HIKER, name="李雷"))) == "trailback-handout.pdf"
    assert handout_file_name(plan(dataclasses.replace(HIKER, name="../../etc/passwd"))) == \
        "trailback-handout-etc-passwd.pdf"
