"""Shared fixtures and Hypothesis strategies for the engine tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import strategies as st

from planner import ClientProfile, Fitness, Goal, Pain, Terrain
from planner.evidence import TERRAIN_FACTORS
from planner.safety import RED_FLAGS

#: Files from other projects (never committed): ``shared/data`` beside the repository's clone.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """:data:`SHARED_DATA` (a fixture, as ``tests/browser`` has a ``conftest`` module of its own)."""
    return SHARED_DATA

red_flag_keys = st.frozensets(st.sampled_from([flag.key for flag in RED_FLAGS]), max_size=3)

pains = st.builds(
    Pain,
    pain_now=st.integers(0, 10),
    in_flare=st.booleans(),
    location=st.sampled_from(["lower", "upper"]),
    leg_symptoms=st.sampled_from(["none", "centralising", "peripheralising"]),
    condition=st.sampled_from(["none", "disc_herniation", "spinal_stenosis"]),
    red_flags=st.one_of(st.just(frozenset()), red_flag_keys),
)
fitnesses = st.builds(
    Fitness,
    walking_minutes_per_week=st.floats(0, 1500),
    longest_walk_minutes=st.floats(1, 240),
    available_weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(tuple),
    body_mass_kg=st.floats(35, 200),
    speed_kmh=st.floats(1.5, 7.5),
)
terrains = st.builds(
    Terrain,
    surface=st.sampled_from(list(TERRAIN_FACTORS)),
    grade_percent=st.floats(0, 40),
    pack_mass_kg=st.floats(0, 40),
    trekking_poles=st.booleans(),
    snow_depth_cm=st.floats(0, 100),
)
goals = st.builds(
    Goal,
    kind=st.sampled_from(["walking", "hiking"]),
    target_session_minutes=st.integers(5, 90),
    sessions_per_week=st.integers(1, 7),
    weeks=st.integers(1, 52),
    start_date=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    progression_cap_percent=st.floats(1, 50),
    acwr_ceiling=st.floats(1.0, 2.0),
)
profiles = st.builds(ClientProfile, name=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20), pain=pains, fitness=fitnesses,
                     terrain=terrains, goal=goals)

