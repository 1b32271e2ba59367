"""Input validation: field-named errors, and the JSON round trip."""

import datetime as dt
import json
import math

import pytest
from hypothesis import given, strategies as st

from planner import ClientProfile, Fitness, Goal, Pain, PlannerInputError, Terrain
from tests.conftest import profiles


def test_error_names_field_range_and_value():
    with pytest.raises(PlannerInputError) as error:
        Pain(pain_now=12)
    assert str(error.value) == "pain_now must be 0–10, got 12"
    assert (error.value.field, error.value.received) == ("pain_now", 12)


@pytest.mark.parametrize("make, field", [
    (lambda: Pain(pain_now=-1), "pain_now"),
    (lambda: Pain(pain_now=float("nan")), "pain_now"),
    (lambda: Pain(pain_now="3"), "pain_now"),
    (lambda: Pain(in_flare="yes"), "in_flare"),
    (lambda: Pain(location="neck"), "location"),
    (lambda: Pain(leg_symptoms="tingly"), "leg_symptoms"),
    (lambda: Pain(condition="sprain"), "condition"),
    (lambda: Pain(red_flags={"not_a_flag"}), "red_flags"),
    (lambda: Pain(red_flags="fever_unwell"), "red_flags"),
    (lambda: Pain(red_flags=[["fever_unwell"]]), "red_flags"),
    (lambda: Fitness(available_weekdays=([1],)), "available_weekdays"),
    (lambda: Goal(start_date=dt.date.max), "start_date"),
    (lambda: Fitness(walking_minutes_per_week=-5), "walking_minutes_per_week"),
    (lambda: Fitness(longest_walk_minutes=0), "longest_walk_minutes"),
    (lambda: Fitness(available_weekdays=()), "available_weekdays"),
    (lambda: Fitness(available_weekdays=(0, 0)), "available_weekdays"),
    (lambda: Fitness(available_weekdays=(7,)), "available_weekdays"),
    (lambda: Fitness(body_mass_kg=10), "body_mass_kg"),
    (lambda: Fitness(speed_kmh=math.inf), "speed_kmh"),
    (lambda: Fitness(speed_kmh=None), "speed_kmh"),
    (lambda: Terrain(surface="lava"), "surface"),
    (lambda: Terrain(grade_percent=55), "grade_percent"),
    (lambda: Terrain(pack_mass_kg=-1), "pack_mass_kg"),
    (lambda: Terrain(trekking_poles=1), "trekking_poles"),
    (lambda: Goal(kind="running"), "kind"),
    (lambda: Goal(target_session_minutes=120), "target_session_minutes"),
    (lambda: Goal(target_session_minutes=20.5), "target_session_minutes"),
    (lambda: Goal(weeks=0), "weeks"),
    (lambda: Goal(weeks=53), "weeks"),
    (lambda: Goal(sessions_per_week=8), "sessions_per_week"),
    (lambda: Goal(start_date="2026-01-01"), "start_date"),
    (lambda: Goal(progression_cap_percent=0), "progression_cap_percent"),
    (lambda: Goal(acwr_ceiling=3), "acwr_ceiling"),
    (lambda: ClientProfile(pain="sore"), "pain"),
])
def test_each_field_is_validated(make, field):
    with pytest.raises(PlannerInputError) as error:
        make()
    assert error.value.field == field
    assert str(error.value).startswith(field + " must be")


def test_elevation_gain_to_grade():
    # 50 m up per km of an up-and-back route: half the distance climbs, so a 10 % grade
    assert Terrain.from_elevation_gain(50, surface="trail").grade_percent == pytest.approx(10)
    with pytest.raises(PlannerInputError, match="elevation_gain_m_per_km"):
        Terrain.from_elevation_gain(-3)


def test_weekdays_are_sorted_and_kept():
    assert Fitness(available_weekdays=[5, 0, 2]).available_weekdays == (0, 2, 5)


@given(profiles)
def test_json_round_trip(profile):
    data = json.loads(json.dumps(profile.to_dict()))
    assert ClientProfile.from_dict(data) == profile


def test_from_dict_rejects_bad_json_with_field_names():
    good = ClientProfile().to_dict()
    with pytest.raises(PlannerInputError, match="profile"):
        ClientProfile.from_dict([1, 2])
    bad = json.loads(json.dumps(good))
    bad["goal"]["start_date"] = "next tuesday"
    with pytest.raises(PlannerInputError, match="start_date"):
        ClientProfile.from_dict(bad)
    bad = json.loads(json.dumps(good))
    bad["fitness"]["shoe_size"] = 44
    with pytest.raises(PlannerInputError, match="fitness.shoe_size"):
        ClientProfile.from_dict(bad)
    bad = json.loads(json.dumps(good))
    bad["nmae"] = "typo"
    with pytest.raises(PlannerInputError, match="nmae"):
        ClientProfile.from_dict(bad)
    bad = json.loads(json.dumps(good))
    bad["pain"]["pain_now"] = 11
    with pytest.raises(PlannerInputError, match="pain_now must be 0–10, got 11"):
        ClientProfile.from_dict(bad)


@given(st.dictionaries(st.sampled_from(["pain_now", "location", "in_flare"]),
                       st.one_of(st.integers(-5, 20), st.text(max_size=5), st.none(), st.booleans())))
def test_any_pain_dict_either_builds_or_raises_input_error(values):
    try:
        pain = Pain(**values)
    except PlannerInputError as error:
        assert error.field in values
    else:
        assert 0 <= pain.pain_now <= 10
