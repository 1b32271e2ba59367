"""Example clients: the five cases a newcomer should be able to read a plan for."""

from __future__ import annotations

import datetime as dt

from planner.profile import ClientProfile, Fitness, Goal, Pain, Terrain

EXAMPLE_START = dt.date(2026, 1, 5)

EXAMPLES: dict[str, ClientProfile] = {
    "flare-up": ClientProfile(
        name="Flare-up", pain=Pain(pain_now=7, in_flare=True),
        fitness=Fitness(walking_minutes_per_week=0, longest_walk_minutes=10, body_mass_kg=70),
        terrain=Terrain(surface="track"),
        goal=Goal(weeks=8, start_date=EXAMPLE_START)),
    "deconditioned walker": ClientProfile(
        name="Deconditioned walker", pain=Pain(pain_now=3),
        fitness=Fitness(walking_minutes_per_week=20, longest_walk_minutes=15, body_mass_kg=95, speed_kmh=4.5),
        terrain=Terrain(surface="pavement"),
        goal=Goal(weeks=16, start_date=EXAMPLE_START)),
    "hiker with a pack on hills": ClientProfile(
        name="Hiker", pain=Pain(pain_now=2),
        fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=40,
                        available_weekdays=(0, 2, 3, 5, 6), body_mass_kg=80),
        terrain=Terrain(surface="trail", grade_percent=10, pack_mass_kg=4, trekking_poles=True),
        goal=Goal(kind="hiking", target_session_minutes=90, weeks=16, start_date=EXAMPLE_START)),
    "spinal stenosis": ClientProfile(
        name="Stenosis", pain=Pain(pain_now=4, condition="spinal_stenosis", leg_symptoms="centralising"),
        fitness=Fitness(walking_minutes_per_week=30, longest_walk_minutes=8, body_mass_kg=78, speed_kmh=4.0),
        terrain=Terrain(surface="treadmill"),
        goal=Goal(weeks=12, start_date=EXAMPLE_START)),
    "red flag": ClientProfile(
        name="Red flag", pain=Pain(pain_now=6, red_flags=frozenset({"bladder_bowel"})),
        goal=Goal(start_date=EXAMPLE_START)),
}
