"""Properties of plan() over the whole input space (Hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from planner import plan
from planner.progression import FLARE, MICRO_WALK
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
    walks = sessions[sessions["kind"] != MICRO_WALK]
    assert walks.empty or walks.groupby("week").size().max() <= goal.sessions_per_week
    micro_days = sessions[sessions["kind"] == MICRO_WALK].groupby("week").size()
    assert (micro_days == len(fitness.available_weekdays)).all()

    # Never beyond the goal: no continuous bout and no session longer than the target.
    assert (sessions["bout_minutes"] <= goal.target_session_minutes).all()
    not_micro = sessions[sessions["kind"] != MICRO_WALK]
    assert (not_micro["total_minutes"] <= goal.target_session_minutes).all()

    # The starting dose never exceeds what the person tolerates now.
    first_week = sessions[sessions["week"] == 1]
    assert (first_week["bout_minutes"] <= max(1, int(fitness.longest_walk_minutes))).all()

    # Weekly load rises at most by the cap, once the flare-up protocol is over (domain.md).
    loads = weekly["load_kj"].tolist()
    phases = weekly["phase"].tolist()
    cap = goal.progression_cap_percent / 100
    for week in range(1, len(loads)):
        if phases[week - 1] != FLARE:
            # weekly loads are rounded to 0.1 kJ: each may be 0.05 off, the previous one scaled by the cap
            assert loads[week] <= loads[week - 1] * (1 + cap) + 0.05 * (2 + cap) + 1e-9, (week, loads)

    # The acute:chronic ratio stays under its ceiling except at a phase's starting dose.
    for _, row in weekly.iterrows():
        if row["phase"] != FLARE and not row["at_starting_dose"]:
            assert not row["acwr"] > goal.acwr_ceiling + 0.01, row.to_dict()

    # Packs: never over 4.5 kg (S1).
    assert (sessions["pack_kg"] <= 4.5).all()
    # Dates are consecutive days from the start.
    assert result.sessions["date"].iloc[0] == goal.start_date
    assert result.sessions["date"].iloc[-1] == goal.start_date + dt.timedelta(days=7 * goal.weeks - 1)
