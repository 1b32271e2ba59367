"""compare(plan_a, plan_b): the difference table, read against each plan's own tables."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import planner
from planner import DiaryEntry, PlannerInputError, adapt, compare, plan
from planner.compare import COMPARE_COLUMNS, MEASURES
from planner.examples import EXAMPLES
from planner.trail import read_gpx, sample_trails, trail_readiness

HIKER = EXAMPLES["hiker with a pack on hills"]


def _with(profile, **goal_changes):
    return dataclasses.replace(profile, goal=dataclasses.replace(profile.goal, **goal_changes))


def _row(table, measure):
    return table.set_index("measure").loc[measure]


def test_compare_is_exported_from_the_package():
    assert planner.compare is compare and "compare" in planner.__all__


def test_rows_and_columns_without_a_trail():
    table = compare(plan(HIKER), plan(_with(HIKER, weeks=12)))
    assert tuple(table.columns) == COMPARE_COLUMNS
    assert list(table["measure"]) == [m for m in MEASURES if m != "ready-for-trail week"]


def test_figures_are_read_off_each_plans_tables():
    plan_a = plan(HIKER)
    plan_b = plan(_with(HIKER, weeks=10, target_session_minutes=60))
    table = compare(plan_a, plan_b)
    for measure, column, result in (("peak weekly minutes", "A", plan_a), ("peak weekly minutes", "B", plan_b)):
        assert _row(table, measure)[column] == result.weekly["total_minutes"].max()
    for column, result in (("A", plan_a), ("B", plan_b)):
        assert _row(table, "weeks in plan")[column] == len(result.weekly)
        assert _row(table, "peak acute:chronic")[column] == pytest.approx(result.weekly["acwr"].max(), abs=0.005)
        hikes = result.walking_sessions[result.walking_sessions["kind"] == "hike"]
        assert _row(table, "first hike week")[column] == hikes["week"].min()
        target = result.profile.goal.target_session_minutes
        reaching = hikes[hikes["total_minutes"] >= target]
        assert _row(table, "weeks to goal")[column] == (None if reaching.empty else reaching["week"].min())
    assert _row(table, "weeks in plan")["different"]
    assert _row(table, "weeks to goal")["different"] == (_row(table, "weeks to goal")["A"]
                                                         != _row(table, "weeks to goal")["B"])
    assert not _row(table, "red flags")["different"] and _row(table, "red flags")["A"] == "none"


def test_the_same_plan_twice_differs_nowhere():
    table = compare(plan(HIKER), plan(HIKER))
    assert not table["different"].any()


def test_ready_for_trail_week_matches_trail_readiness():
    trail = read_gpx(sample_trails()["riverside_flat"], name="Riverside flat")
    effort = trail.analyse_for(HIKER)
    plan_a, plan_b = plan(HIKER), plan(_with(HIKER, weeks=4))
    table = compare(plan_a, plan_b, effort)
    assert list(table["measure"]) == list(MEASURES)
    row = _row(table, "ready-for-trail week")
    assert row["A"] == trail_readiness(plan_a, effort).ready_week
    assert row["B"] == trail_readiness(plan_b, effort).ready_week
    assert row["A"] is not None  # the 16-week plan gets there; the 4-week one does not
    assert row["B"] is None and row["different"]


@pytest.mark.parametrize("trail_name", sorted(sample_trails()))
def test_ready_week_is_trail_readinesss_for_every_example_and_length(trail_name):
    trail = read_gpx(sample_trails()[trail_name])
    for name, profile in EXAMPLES.items():
        effort = trail.analyse_for(profile)
        for weeks in (4, 12, 30):
            for result in (plan(_with(profile, weeks=weeks)),
                           plan(_with(profile, weeks=weeks, target_session_minutes=90))):
                readiness = trail_readiness(result, effort)
                # compare and trail_readiness share planner.trail.ready_week (read off the weeks);
                # the readiness table, built from the sessions table, must name the same week.
                fits = readiness.weeks.loc[readiness.weeks["fits"], "week"]
                from_table = int(fits.iloc[0]) if len(fits) else None
                assert compare(result, result, effort).set_index("measure").loc["ready-for-trail week", "A"] == \
                    readiness.ready_week == from_table, (name, weeks)


def test_holds_and_step_backs_from_a_pain_diary():
    profile = EXAMPLES["deconditioned walker"]
    original = plan(profile)
    week_one = original.walking_sessions.query("week == 1")
    diary = [DiaryEntry(day, minutes, 6, 6, 6) for day, minutes in zip(week_one["date"], week_one["total_minutes"])]
    adapted = adapt(profile, original, diary, today=profile.goal.start_date + dt.timedelta(days=7))
    table = compare(original, adapted)
    holds = int((adapted.weekly["adjustment"] == "hold").sum())
    step_backs = int((adapted.weekly["adjustment"] == "step back").sum())
    assert holds + step_backs > 0
    assert _row(table, "hold weeks")["B"] == holds and _row(table, "step-back weeks")["B"] == step_backs
    assert _row(table, "hold weeks")["A"] == 0 and _row(table, "step-back weeks")["A"] == 0


def test_a_red_flag_plan_says_so_and_has_no_figures():
    table = compare(plan(EXAMPLES["deconditioned walker"]), plan(EXAMPLES["red flag"]))
    flags = _row(table, "red flags")
    assert flags["B"].startswith("emergency: New loss of bladder") and flags["different"]
    assert _row(table, "weeks in plan")["B"] == 0
    assert _row(table, "peak acute:chronic")["B"] is None
    assert _row(table, "weeks to goal")["B"] is None


def test_bad_arguments_name_the_parameter():
    with pytest.raises(PlannerInputError, match="plan_b"):
        compare(plan(HIKER), HIKER)
    with pytest.raises(PlannerInputError, match="trail_effort"):
        compare(plan(HIKER), plan(HIKER), trail_effort="rolling hill")
