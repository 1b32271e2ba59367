"""Planner speed: median time of one 12-week plan, and a roster of 1,000 diverse clients.

Goals (issue 2): one plan <= 5 ms; 1,000 clients <= 2 s on a 2-core machine. Prints figures.
Run: .venv/bin/python benchmarks/bench_planner.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

if __name__ == "__main__":
    parse_args(__doc__)

from planner import ClientProfile, Fitness, Goal, Pain, Terrain, plan
from planner.evidence import TERRAIN_FACTORS


def random_profile(rng: random.Random) -> ClientProfile:
    """A plausible, varied client (no red flags, so every plan is built in full)."""
    days = tuple(sorted(rng.sample(range(7), rng.randint(1, 7))))
    return ClientProfile(
        name=f"client {rng.randint(0, 10**6)}",
        pain=Pain(pain_now=rng.randint(0, 9), in_flare=rng.random() < 0.2,
                  location=rng.choice(["lower", "upper"]),
                  leg_symptoms=rng.choice(["none", "centralising", "peripheralising"]),
                  condition=rng.choice(["none", "disc_herniation", "spinal_stenosis"])),
        fitness=Fitness(walking_minutes_per_week=rng.uniform(0, 400), longest_walk_minutes=rng.uniform(3, 90),
                        available_weekdays=days, body_mass_kg=rng.uniform(45, 130), speed_kmh=rng.uniform(3, 6.5)),
        terrain=Terrain(surface=rng.choice(list(TERRAIN_FACTORS)), grade_percent=rng.uniform(0, 20),
                        pack_mass_kg=rng.uniform(0, 10), trekking_poles=rng.random() < 0.5),
        goal=Goal(kind=rng.choice(["walking", "hiking"]), target_session_minutes=rng.randint(20, 90),
                  sessions_per_week=rng.randint(2, 7), weeks=rng.randint(4, 52), start_date=dt.date(2026, 1, 5)),
    )


def main() -> None:
    rng = random.Random(42)
    twelve_weeks = ClientProfile(
        fitness=Fitness(walking_minutes_per_week=90, longest_walk_minutes=25),
        terrain=Terrain(surface="trail", grade_percent=8, pack_mass_kg=3),
        goal=Goal(kind="hiking", target_session_minutes=60, weeks=12))
    plan(twelve_weeks)  # warm-up: imports and caches
    timings = []
    for _ in range(200):
        start = time.perf_counter()
        plan(twelve_weeks)
        timings.append(time.perf_counter() - start)
    print(f"one 12-week plan: median {statistics.median(timings) * 1000:.2f} ms "
          f"(p90 {sorted(timings)[180] * 1000:.2f} ms; goal <= 5 ms)")
    with_tables = []
    for _ in range(200):
        start = time.perf_counter()
        result = plan(twelve_weeks)
        result.sessions, result.weekly  # the tables are built on first use
        with_tables.append(time.perf_counter() - start)
    print(f"one 12-week plan with its sessions and weekly tables: median "
          f"{statistics.median(with_tables) * 1000:.2f} ms (goal <= 5 ms)")

    roster = [random_profile(rng) for _ in range(1000)]
    start = time.perf_counter()
    for profile in roster:
        plan(profile)
    elapsed = time.perf_counter() - start
    print(f"roster of 1,000 diverse clients (4-52 weeks): {elapsed:.2f} s (goal <= 2 s)")


if __name__ == "__main__":
    main()
