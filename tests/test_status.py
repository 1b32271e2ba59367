"""Roster states (issue 14): on track, hold, step back, stopped by a red flag, nothing logged for 7
days — the same verdict ``adapt`` gives the current week, from a few weeks of diary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from planner import ClientProfile, DiaryEntry, Goal, Pain, adapt, plan
from planner.status import (DEFAULT_NOTHING_LOGGED_DAYS, HOLD, NOTHING_LOGGED, ON_TRACK, STATE_WINDOW_WEEKS, STATES,
                            STEP_BACK, STOPPED, client_state)
from planner.store import Store, sqlite_url
from tests.conftest import profiles

START = dt.date(2026, 1, 5)


def person(**pain) -> ClientProfile:
    return ClientProfile(name="Kim", pain=Pain(**{"pain_now": 3, **pain}), goal=Goal(start_date=START, weeks=12))


def walk(day: int, during: float = 3, after: float = 3, morning: float | None = 3, **extra) -> DiaryEntry:
    return DiaryEntry(START + dt.timedelta(days=day), 20, during, after, morning, **extra)


def week_of_walks(week: int, **pain) -> list[DiaryEntry]:
    return [walk(7 * week + day, **pain) for day in (0, 2, 4)]


@pytest.mark.parametrize("profile, diary, today, state", [
    (person(red_flags=frozenset({"bladder_bowel"})), [], START + dt.timedelta(days=10), STOPPED),
    (person(), week_of_walks(0) + [walk(8, red_flags=frozenset({"saddle_numbness"}))] + week_of_walks(2),
     START + dt.timedelta(days=20), STOPPED),
    (person(), week_of_walks(0) + week_of_walks(1), START + dt.timedelta(days=14), ON_TRACK),
    (person(), week_of_walks(0) + [walk(7), walk(9, during=7), walk(11)], START + dt.timedelta(days=15), HOLD),
    (person(), week_of_walks(0, during=7) + week_of_walks(1, during=7), START + dt.timedelta(days=15), STEP_BACK),
    (person(), week_of_walks(0) + [walk(9, leg_symptoms="peripheralising")], START + dt.timedelta(days=14), STEP_BACK),
    (person(), week_of_walks(0), START + dt.timedelta(days=4 + DEFAULT_NOTHING_LOGGED_DAYS), NOTHING_LOGGED),
    (person(), [], START + dt.timedelta(days=DEFAULT_NOTHING_LOGGED_DAYS), NOTHING_LOGGED),
    (person(), [], START + dt.timedelta(days=DEFAULT_NOTHING_LOGGED_DAYS - 1), ON_TRACK),
    (person(), [], START - dt.timedelta(days=3), ON_TRACK),
])
def test_each_state(profile, diary, today, state):
    found = client_state(profile, diary, today)
    assert found.state == state and found.reason
    assert found.state in STATES


def test_a_red_flag_in_the_diary_wins_over_everything_and_says_when():
    diary = week_of_walks(0, during=8) + [walk(3, red_flags=frozenset({"bladder_bowel"}))]
    found = client_state(person(), diary, START + dt.timedelta(days=30))
    assert found.state == STOPPED and "2026-01-08" in found.reason


dates_in_plan = st.integers(7, 7 * (STATE_WINDOW_WEEKS + 1) - 1)
entries = st.builds(walk, st.integers(0, 7 * (STATE_WINDOW_WEEKS + 1) - 1), st.sampled_from([2, 3, 4, 6, 7]),
                    st.sampled_from([2, 3, 6]), st.sampled_from([None, 2, 3, 5]),
                    leg_symptoms=st.sampled_from(["none", "none", "none", "peripheralising"]))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(profile=profiles, diary=st.lists(entries, max_size=14, unique_by=lambda e: e.date), day=dates_in_plan)
def test_the_state_is_the_verdict_adapt_gives_the_current_week(profile, diary, day):
    profile = ClientProfile(profile.name, profile.pain, profile.fitness, profile.terrain,
                            Goal(**{**profile.goal.__dict__, "start_date": START, "weeks": 12}))
    today = START + dt.timedelta(days=day)
    diary = [e for e in diary if e.date < today]
    found = client_state(profile, diary, today)
    if found.state in (STOPPED, NOTHING_LOGGED):
        return
    weekly = adapt(profile, plan(profile), diary, today).weekly
    adjustment = weekly.loc[weekly["week"] == (today - START).days // 7 + 1, "adjustment"].item()
    assert found.state == {"": ON_TRACK, "progress": ON_TRACK}.get(adjustment, adjustment)


def test_the_store_lists_every_client_with_their_state(tmp_path):
    today = START + dt.timedelta(days=15)
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        store.create_client(person(), week_of_walks(0) + [walk(7), walk(9, during=7), walk(11)])
        store.create_client(ClientProfile(name="Abe", goal=Goal(start_date=START)), week_of_walks(0) + week_of_walks(1))
        store.create_client(ClientProfile(name="Zed", goal=Goal(start_date=START)), week_of_walks(0)[:1])
        store.create_client(ClientProfile(name="Red", pain=Pain(red_flags=frozenset({"trauma"})),
                                          goal=Goal(start_date=START)))
        lines = store.roster(today)
        assert [(line.name, line.state.state) for line in lines] == [
            ("Abe", ON_TRACK), ("Kim", HOLD), ("Red", STOPPED), ("Zed", NOTHING_LOGGED)]
        assert [line.name for line in store.roster(today, search="e")] == ["Abe", "Red", "Zed"]
        for line in lines:  # the same as judging the whole saved diary
            record = store.load_client(line.id)
            assert line.state == client_state(record.profile, record.diary, today)


def test_spreading_leg_pain_twice_in_14_days_stops_even_weeks_later(tmp_path):
    # adapt stops the plan on the second spreading day (S2, S3); the roster says so however long ago.
    diary = [walk(8, leg_symptoms="peripheralising"), walk(15, leg_symptoms="peripheralising")]
    today = START + dt.timedelta(days=15 + 7 * (STATE_WINDOW_WEEKS + 3))
    diary += [walk((today - START).days - 1)]
    assert adapt(person(), plan(person()), diary, today).stopped
    assert client_state(person(), diary, today).state == STOPPED
    with Store(sqlite_url(tmp_path / "roster.sqlite")) as store:
        client_id = store.create_client(person(), diary)
        [line] = store.roster(today)
        assert line.id == client_id and line.state.state == STOPPED
