"""The plan summary: figures read off the plan's own weeks, and the one-line text."""

import dataclasses
import datetime as dt

import pytest

from planner import ClientProfile, Fitness, Goal, plan
from planner.examples import EXAMPLES
from planner.summary import plan_summary


def _walks(result):
    return result.walking_sessions


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name != "red flag"])
def test_summary_figures_match_the_tables(name):
    result = plan(EXAMPLES[name])
    summary = plan_summary(result)
    weekly = result.weekly
    assert summary.weeks == len(weekly) == EXAMPLES[name].goal.weeks
    assert summary.peak_weekly_minutes == weekly["total_minutes"].max()
    assert summary.peak_acwr == pytest.approx(weekly["acwr"].max())
    last_week = _walks(result)[_walks(result)["week"] == weekly["week"].max()]
    assert summary.sessions_per_week == len(last_week)
    target = EXAMPLES[name].goal.target_session_minutes
    kind = "hike" if EXAMPLES[name].goal.kind == "hiking" else "walk"
    reaching = _walks(result)[(_walks(result)["kind"] == kind) & (_walks(result)["total_minutes"] >= target)]
    if kind == "walk":  # a walking goal needs a week of the 150-min guideline too (S6; issue 19: 11)
        full_weeks = weekly.loc[weekly["total_minutes"] >= min(150, target * 7), "week"]
        reaching = reaching[reaching["week"].isin(full_weeks)]
    assert summary.goal_reached_week == (None if reaching.empty else int(reaching["week"].min()))
    assert f"{summary.weeks} weeks" in summary.text
    assert ("reached in week" in summary.text) == (summary.goal_reached_week is not None)


def test_flare_summary_starts_with_the_first_micro_walk_bout():
    summary = plan_summary(plan(EXAMPLES["flare-up"]))
    first = plan(EXAMPLES["flare-up"]).walking_sessions.iloc[0]
    assert summary.starts_with_micro_walks
    assert summary.start_minutes == first["bout_minutes"]
    assert f"micro-walks of {first['bout_minutes']} min" in summary.text


def test_hiking_summary_names_the_first_hike_week():
    result = plan(EXAMPLES["hiker with a pack on hills"])
    hikes = result.walking_sessions[result.walking_sessions["kind"] == "hike"]
    summary = plan_summary(result)
    assert summary.first_hike_week == hikes["week"].min()
    assert f"hikes from week {summary.first_hike_week}" in summary.text


def test_goal_not_reached_is_said():
    profile = ClientProfile(fitness=Fitness(walking_minutes_per_week=0, longest_walk_minutes=5),
                            goal=Goal(weeks=2, start_date=dt.date(2026, 1, 5)))
    summary = plan_summary(plan(profile))
    assert summary.goal_reached_week is None
    assert "not reached" in summary.text


def test_red_flag_summary_has_no_sessions():
    summary = plan_summary(plan(EXAMPLES["red flag"]))
    assert summary.stopped and summary.weeks == 0
    assert "clinician" in summary.text
    assert dataclasses.asdict(summary)["peak_weekly_minutes"] == 0


def test_summary_days_match_every_week_of_a_flare_plan():
    # Issue 19 (12): a flare plan was summarised "5 walks a week" while weeks 1-3 had 7 walking days.
    result = plan(EXAMPLES["flare-up"])
    days = result.walking_sessions.groupby("week").size()
    summary = plan_summary(result)
    assert summary.sessions_per_week == days.max() and summary.fewest_sessions_per_week == days.min()
    shown = f"{days.min()}–{days.max()}" if days.min() != days.max() else f"{days.max()}"
    assert f"{shown} walks a week" in summary.text


def test_a_weekends_only_plan_levelling_off_below_150_minutes_says_so_and_is_not_reached():
    # Issue 19 (11): weekends-only plans plateau at 60 min/week and counted the goal as reached.
    profile = ClientProfile(fitness=Fitness(available_weekdays=(5, 6)), goal=Goal(weeks=16, start_date=dt.date(2026, 1, 5)))
    result = plan(profile)
    assert result.weekly["total_minutes"].max() < 150
    summary = plan_summary(result)
    assert summary.goal_reached_week is None and "not reached" in summary.text
    assert any("below the 150 min a week of the guideline" in note for note in result.notes)
