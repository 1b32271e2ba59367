"""Properties of plan() over the whole input space (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, given, settings

from planner import plan
from planner.progression import FLARE, MICRO_WALK, RAMP, WeekPlanner
from planner.safety import Tier
from tests.conftest import profiles

TOLERANCE_KJ = 1e-6
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(profiles)
def test_any_valid_profile_plans_without_crash_and_respects_the_rules(profile):
    result = plan(profile)
    goal, fitness = profile.goal, profile.fitness
    assert result.notes and "education, not diagnosis" in result.notes[-1 if result.stopped else 0]

    if result.safety.tier >= Tier.URGENT:
        # Red flags stop the plan: no sessions at all, and the notes say why.
        assert result.stopped and result.sessions.empty and result.weekly.empty
        assert any(flag.label in result.notes[0] for flag in result.safety.triggered)
        return
    assert not result.stopped
    sessions, weekly = result.walking_sessions, result.weekly
    assert len(weekly) == goal.weeks
    assert len(result.sessions) == 7 * goal.weeks

    # Sessions only on available days, never more per week than asked (but S2's micro-walks are
    # daily: every available day of a flare-up week).
    weekdays = {d.weekday() for d in sessions["date"]}
    assert weekdays <= set(fitness.available_weekdays)
    walks = sessions[(sessions["kind"] != MICRO_WALK) & (sessions["phase"] != RAMP)]  # ramp days are daily too
    assert walks.empty or walks.groupby("week").size().max() <= goal.sessions_per_week
    micro_days = sessions[sessions["kind"] == MICRO_WALK].groupby("week").size()
    assert (micro_days == min(goal.sessions_per_week, len(fitness.available_weekdays))).all()

    # Never beyond the goal (or beyond the walks of someone already above it): no continuous bout
    # and no session longer than the target.
    context = WeekPlanner(profile).context
    longest_allowed = max(goal.target_session_minutes, context.walk_target)
    assert (sessions["bout_minutes"] <= longest_allowed).all()
    # (S2's micro-walks and the ramp's bouts are spread over the day: their bouts count, not the day.)
    not_micro = sessions[(sessions["kind"] != MICRO_WALK) & ~((sessions["phase"] == RAMP) & (sessions["bouts"] > 1))]
    assert (not_micro["total_minutes"] <= longest_allowed).all()

    # The starting dose never exceeds 80 % of what the person tolerates now (S16; issue 19: 4).
    first_week = sessions[sessions["week"] == 1]
    assert (first_week["bout_minutes"] <= max(1, math.floor(int(fitness.longest_walk_minutes) * 0.8))).all()

    # Weekly load rises at most by the cap, once the flare-up protocol is over (domain.md).
    loads = weekly["load_kj"].tolist()
    phases = weekly["phase"].tolist()
    cap = goal.progression_cap_percent / 100
    for week in range(1, len(loads)):
        if phases[week - 1] != FLARE and not weekly["at_starting_dose"].iloc[week]:
            # weekly loads are rounded to 0.1 kJ: each may be 0.05 off, the previous one scaled by the cap
            assert loads[week] <= loads[week - 1] * (1 + cap) + 0.05 * (2 + cap) + 1e-9, (week, loads)

    # The acute:chronic ratio stays under its ceiling except at a phase's starting dose, and a ratio
    # above the ceiling always comes with its reason (never silently).
    for _, row in weekly.iterrows():
        if not row["at_starting_dose"]:
            assert not row["acwr"] > goal.acwr_ceiling + 0.01, row.to_dict()
        if row["acwr_above_ceiling"]:
            assert row["acwr_reason"], row.to_dict()

    # Packs: never over 4.5 kg (S1).
    assert (sessions["pack_kg"] <= 4.5).all()
    # Dates are consecutive days from the start.
    assert result.sessions["date"].iloc[0] == goal.start_date
    assert result.sessions["date"].iloc[-1] == goal.start_date + dt.timedelta(days=7 * goal.weeks - 1)


@SETTINGS
@given(profiles)
def test_ramp_out_of_a_flare_is_continuous(profile):
    """Longest bout never rises more than the cap (one minute at least) week on week; weekly minutes
    never fall more than DEFAULT_MAX_VOLUME_DROP_PERCENT; the only exceptions are those the plan
    states: a phase's starting dose and the fixed S2 protocol inside the flare week."""
    result = plan(profile)
    if result.stopped:
        return
    weekly = result.weekly
    cap = profile.goal.progression_cap_percent / 100
    bouts, minutes, phases = (weekly["longest_bout_minutes"].tolist(), weekly["total_minutes"].tolist(),
                              weekly["phase"].tolist())
    for week in range(1, len(weekly)):
        allowed = max(bouts[week - 1] + 1, math.ceil(bouts[week - 1] * (1 + cap)))
        if phases[week - 1] in (FLARE, RAMP) or phases[week] == RAMP:
            assert bouts[week] <= allowed, (week, bouts)
            assert minutes[week] >= math.floor(minutes[week - 1] * 0.7) - 1, (week, minutes)


def _terrain_steps(weekly) -> list[tuple[int, str]]:
    """(week, dimension) for every week whose terrain stepped up."""
    steps = []
    for week, change in zip(weekly["week"], weekly["difficulty_change"]):
        for dimension in ("grade", "surface", "pack"):
            if change.startswith(dimension + " "):
                steps.append((week, dimension))
    return steps


@SETTINGS
@given(profiles)
def test_terrain_steps_one_dimension_at_a_time_each_held_a_week(profile):
    result = plan(profile)
    if result.stopped:
        return
    sessions = result.walking_sessions
    terrain_kind = "hike" if profile.goal.kind == "hiking" else "walk"
    terrain = sessions[sessions["kind"] == terrain_kind]
    if profile.goal.kind == "walking":
        terrain = terrain[~terrain["phase"].isin([FLARE, RAMP])]
    per_week = terrain.groupby("week").agg(surface=("surface", "first"), grade=("grade_percent", "max"),
                                           pack=("pack_kg", "max"), load=("load_kj", "max")).reset_index()
    # Mild first: whatever the goal, the first terrain sessions are gentle, <= 5 %, no pack (S1).
    if not per_week.empty:
        first = per_week.iloc[0]
        assert first["grade"] <= 5 and first["pack"] == 0
        assert first["surface"] in ("treadmill", "synthetic track", "pavement / concrete",
                                    "dirt road / flat dirt trail")
    rows = per_week.to_dict("records")
    for before, after in zip(rows, rows[1:]):
        changed = [key for key in ("surface", "grade", "pack") if before[key] != after[key]]
        harder = [key for key in ("grade", "pack") if after[key] > before[key]] + (
            ["surface"] if before["surface"] != after["surface"] else [])
        assert len(changed) <= 1 or not harder, (before, after)  # one dimension at a time
        if harder and after["week"] == before["week"] + 1:
            # a terrain step raises a session's load by no more than the cap (loads rounded to 0.1 kJ)
            cap = profile.goal.progression_cap_percent / 100
            assert after["load"] <= before["load"] * (1 + cap) + 0.1, (before, after)
    steps = _terrain_steps(result.weekly)
    for (week_a, _), (week_b, _) in zip(steps, steps[1:]):
        assert week_b - week_a >= 2, steps  # a step is held a week before the next
