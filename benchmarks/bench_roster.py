"""Roster speed: load 1,000 clients with 12 weeks of diary each from SQLite and re-plan them all;
the median of one ``adapt`` call; and the roster with each client's state (``Store.roster``).

Goals (issue 5): whole roster <= 2 s on a 2-core machine; one adapt <= 5 ms. Issue 14: every
client's state (on track, hold, step back, stopped, nothing logged) <= 1 s. The dashboard's client
bar on that roster: open a client, save, log a diary entry (each refreshes the picker's states).
Prints figures.
Run: .venv/bin/python benchmarks/bench_roster.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

if __name__ == "__main__":
    parse_args(__doc__)

from bench_planner import random_profile  # noqa: E402

from planner import DiaryEntry, adapt, plan  # noqa: E402
from planner.store import Store, sqlite_url  # noqa: E402

CLIENTS = 1000
WEEKS = 12


def diary_for(rng: random.Random, profile) -> list[DiaryEntry]:
    """Twelve weeks of plausible entries on the planned walking days (some missed, some painful)."""
    sessions = plan(profile).walking_sessions.query("week <= @WEEKS")
    entries = []
    for date, minutes in zip(sessions["date"], sessions["total_minutes"]):
        if rng.random() < 0.15:
            continue  # missed
        pain = rng.choice([2, 3, 3, 4, 4, 5, 6])
        entries.append(DiaryEntry(date, minutes, pain, max(0, pain - 1), rng.choice([None, pain - 1, pain])))
    return entries


def main() -> None:
    rng = random.Random(7)
    start = dt.date(2026, 1, 5)
    today = start + dt.timedelta(days=7 * WEEKS)
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "roster.sqlite")
        with Store(url) as store:
            for number in range(CLIENTS):
                profile = random_profile(rng)
                profile = type(profile)(name=profile.name, pain=profile.pain, fitness=profile.fitness,
                                        terrain=profile.terrain,
                                        goal=type(profile.goal)(**{**profile.goal.__dict__, "weeks": WEEKS + 4,
                                                                   "start_date": start}))
                store.create_client(profile, diary_for(rng, profile))
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            with Store(url) as store:
                records = store.load_all()
            loaded = time.perf_counter()
            for record in records:
                adapt(record.profile, plan(record.profile), record.diary, today)
            timings.append((loaded - began, time.perf_counter() - began))
        load_s, total_s = min(timings, key=lambda t: t[1])
        entries = sum(len(r.diary) for r in records)
        print(f"roster: {CLIENTS} clients, {entries} diary entries; load {load_s:.2f} s, "
              f"load + re-plan all {total_s:.2f} s (best of 3; goal <= 2 s)")

        sample = records[:200]
        single = []
        for record in sample:
            original = plan(record.profile)
            began = time.perf_counter()
            adapt(record.profile, original, record.diary, today)
            single.append(time.perf_counter() - began)
        print(f"one adapt call: median {statistics.median(single) * 1000:.2f} ms (goal <= 5 ms)")

        roster_timings = []
        for _ in range(3):
            began = time.perf_counter()
            with Store(url) as store:  # opening (with its integrity check) included
                lines = store.roster(today)
            roster_timings.append(time.perf_counter() - began)
        counts = Counter(line.state.state for line in lines)
        print(f"roster with states: {len(lines)} clients in {min(roster_timings):.2f} s (best of 3, "
              f"open + query + judge; goal <= 1 s); {dict(sorted(counts.items()))}")

        bar_timings = client_bar_timings(url, [line.id for line in lines[:5]], today)
        print("client bar on this roster (median of 5): " + ", ".join(
            f"{action} {statistics.median(seconds) * 1000:.0f} ms" for action, seconds in bar_timings.items()))


def client_bar_timings(url: str, client_ids: list[int], today: dt.date) -> dict[str, list[float]]:
    """Seconds the dashboard takes to open a client, save them and log an entry (with the roster's states)."""
    from planner.ui import build_app

    timings: dict[str, list[float]] = {"open": [], "save": [], "log": []}
    with Store(url) as store:
        app = build_app(today=today, store=store)
        for client_id in client_ids:
            began = time.perf_counter()
            app.clients.bar.pick.value = client_id
            timings["open"].append(time.perf_counter() - began)
            began = time.perf_counter()
            assert app.clients.save_client(), app.clients.bar.message.value
            timings["save"].append(time.perf_counter() - began)
            began = time.perf_counter()
            app.clients.log_entry(DiaryEntry(today, 20, 2, 2, 2))
            timings["log"].append(time.perf_counter() - began)
    return timings


if __name__ == "__main__":
    main()
