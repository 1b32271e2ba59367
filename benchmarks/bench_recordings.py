"""Recorded walks: import a year of daily recordings (365 files) into one client's diary.

Goal (issue 21): importing 365 daily recordings takes <= 5 s, for each format. Prints figures (not a
timed test). The files are built in memory before the clock starts: a 30-60 min walk every day on
rolling hills, one point a second (as a watch records), as FIT (a watch), GPX (a phone app) and TCX
(a Garmin Connect export). By default each format is timed alone (365 files of it), then the three
in turn; a --*-only flag times that format alone. The clock covers reading every file, the
walk-or-not check, the load along each recording and the diary entries
(:func:`planner.diary_import.import_recordings`); the re-plan from that diary
(:func:`planner.adapt`) and a second import of the same files (nothing changes) are timed apart.
Wall and CPU time are both printed, each against the goal: on a shared machine the wall time
includes waiting for the CPU (the load average is printed too).
Run: .venv/bin/python benchmarks/bench_recordings.py
"""

from __future__ import annotations

import datetime as dt
import math
import os
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

DAYS = 365
GOAL_S = 5.0

if __name__ == "__main__":
    ARGS = parse_args(__doc__, counts=(("--days", DAYS, "daily recordings to import"),),
                      flags=(("--fit-only", "every recording as FIT (a watch)"),
                             ("--gpx-only", "every recording as GPX (a phone app)"),
                             ("--tcx-only", "every recording as TCX")))

import numpy as np  # noqa: E402

from planner import ClientProfile, Fitness, Goal, adapt, plan  # noqa: E402
from planner.diary_import import ADDED, ALREADY, MERGED, import_recordings  # noqa: E402

START = dt.date(2025, 1, 6)  # a Monday
FIT_EPOCH = 631065600
SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180


def walk_points(day: int, seed: int = 21) -> dict[str, np.ndarray]:
    """One day's walk: 30-60 min at 1 point a second, about 4.8 km/h, hills, a short stop, GPS noise."""
    rng = np.random.default_rng(seed + day)
    seconds = int(rng.integers(30, 61)) * 60
    t = np.arange(seconds, dtype=float)
    speed = np.clip(1.33 + 0.15 * np.sin(t / 300) + rng.normal(0, 0.05, seconds), 0.3, 2.0)
    speed[seconds // 2: seconds // 2 + 90] = 0.0  # a 90 s stop (a gate, a chat)
    distance = np.concatenate(([0.0], np.cumsum(speed[1:])))
    heading = np.cumsum(rng.normal(0, 0.02, seconds))
    metres_per_degree = math.radians(1) * 6_371_000.0
    drift_m = np.convolve(rng.normal(0, 1.0, seconds + 59), np.ones(60) / np.sqrt(60), "valid")  # slow GPS drift
    lat = 47.0 + (np.cumsum(speed * np.cos(heading)) + drift_m) / metres_per_degree
    lon = 8.0 + np.cumsum(speed * np.sin(heading)) / (metres_per_degree * math.cos(math.radians(47)))
    hills = 450 + 40 * np.sin(distance / 800)
    elevation = hills + np.convolve(rng.normal(0, 1.0, seconds + 29), np.ones(30) / 30, "valid")
    start = dt.datetime.combine(START + dt.timedelta(days=min(day, 363)), dt.time(7 + day % 10),
                                dt.timezone.utc).timestamp()
    return {"unix": start + t, "lat": lat, "lon": lon, "ele": elevation, "dist": distance,
            "ascent": np.clip(np.diff(hills), 0, None).sum()}


def fit_file(points: dict[str, np.ndarray], utc_offset_s: int | None = None) -> bytes:
    """A FIT activity file as a watch writes it: file_id, records, one walking session (and, given
    ``utc_offset_s``, the activity message with the local timestamp)."""
    def definition(local: int, message: int, fields: list[tuple[int, int, int]]) -> bytes:
        return (struct.pack("<BBBHB", 0x40 | local, 0, 0, message, len(fields))
                + b"".join(struct.pack("BBB", *f) for f in fields))

    stamps = (points["unix"] - FIT_EPOCH).astype(np.uint32)
    body = definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)])
    body += struct.pack("<BBHHI", 0, 4, 1, 2697, int(stamps[0]))  # activity, garmin, fenix5
    body += definition(1, 20, [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (5, 4, 0x86)])
    records = np.zeros(len(stamps), dtype=[("h", "u1"), ("t", "<u4"), ("lat", "<i4"), ("lon", "<i4"),
                                           ("alt", "<u2"), ("dist", "<u4")])
    records["h"] = 1
    records["t"] = stamps
    records["lat"] = np.round(points["lat"] * SEMICIRCLES_PER_DEGREE)
    records["lon"] = np.round(points["lon"] * SEMICIRCLES_PER_DEGREE)
    records["alt"] = np.round((points["ele"] + 500) * 5)
    records["dist"] = np.round(points["dist"] * 100)
    body += records.tobytes()
    elapsed_ms = int((points["unix"][-1] - points["unix"][0]) * 1000)
    body += definition(2, 18, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86),
                               (5, 1, 0x00), (6, 1, 0x00), (22, 2, 0x84)])
    ascent = float(points["ascent"])
    body += struct.pack("<BIIIIIBBH", 2, int(stamps[-1]), int(stamps[0]), elapsed_ms, elapsed_ms - 90_000,
                        int(points["dist"][-1] * 100), 11, 0, int(ascent))
    if utc_offset_s is not None:
        body += definition(3, 34, [(253, 4, 0x86), (5, 4, 0x86)])
        body += struct.pack("<BII", 3, int(stamps[-1]), int(stamps[-1]) + utc_offset_s)
    return struct.pack("<BBHI4sH", 14, 0x20, 2132, len(body), b".FIT", 0) + body + b"\x00\x00"


def iso(unix: float) -> str:
    return dt.datetime.fromtimestamp(unix, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_file(points: dict[str, np.ndarray]) -> bytes:
    rows = [f'<trkpt lat="{a:.7f}" lon="{b:.7f}"><ele>{e:.1f}</ele><time>{iso(t)}</time></trkpt>'
            for a, b, e, t in zip(points["lat"], points["lon"], points["ele"], points["unix"])]
    return ('<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="Phone app" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>walking</type><trkseg>'
            + "".join(rows) + "</trkseg></trk></gpx>").encode()


def tcx_file(points: dict[str, np.ndarray]) -> bytes:
    rows = [f"<Trackpoint><Time>{iso(t)}</Time><Position><LatitudeDegrees>{a:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{b:.7f}</LongitudeDegrees></Position><AltitudeMeters>{e:.1f}</AltitudeMeters>"
            f"<DistanceMeters>{d:.1f}</DistanceMeters></Trackpoint>"
            for a, b, e, d, t in zip(points["lat"], points["lon"], points["ele"], points["dist"], points["unix"])]
    seconds = points["unix"][-1] - points["unix"][0] - 90
    return ('<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
            f'<Activity Sport="Other"><Id>{iso(points["unix"][0])}</Id><Lap StartTime="{iso(points["unix"][0])}">'
            f'<TotalTimeSeconds>{seconds:.0f}</TotalTimeSeconds><DistanceMeters>{points["dist"][-1]:.1f}'
            '</DistanceMeters><Track>' + "".join(rows) + '</Track></Lap><Creator><Name>Watch</Name></Creator>'
            '</Activity></Activities></TrainingCenterDatabase>').encode()


def verdict(seconds: float, days: int) -> str:
    return "met" if seconds * 365 / days <= GOAL_S else "NOT met"


def run(writers: list, days: int) -> tuple[float, float]:
    """Import ``days`` recordings written by ``writers`` in turn; print the figures; (wall s, CPU s)."""
    files = []
    for day in range(days):
        writer = writers[day % len(writers)]
        files.append((f"walk-{day + 1:03d}.{writer.__name__[:3]}", writer(walk_points(day))))
    sampled = range(0, days, max(1, days // 12))
    points = sum(len(walk_points(day)["unix"]) for day in sampled) / len(sampled)
    profile = ClientProfile(name="A year of walks", fitness=Fitness(walking_minutes_per_week=150,
                                                                     longest_walk_minutes=45),
                            goal=Goal(weeks=52, start_date=START))
    today = START + dt.timedelta(days=7 * 52 - 1)
    the_plan = plan(profile)
    print(f"{days} recordings ({', '.join(w.__name__[:3].upper() for w in writers)}"
          f"{' in turn' if len(writers) > 1 else ''}), about {points:,.0f} points each, "
          f"{sum(len(data) for _, data in files) / 1e6:.0f} MB in all")

    began, began_cpu = time.perf_counter(), time.process_time()
    result = import_recordings(profile, the_plan, [], files, today=today)
    import_s, import_cpu_s = time.perf_counter() - began, time.process_time() - began_cpu
    outcomes = [walk.outcome for walk in result.walks]
    assert outcomes.count(ADDED) + outcomes.count(MERGED) == days, set(outcomes)

    began = time.perf_counter()
    adapted = adapt(profile, the_plan, result.diary, today)
    adapt_s = time.perf_counter() - began
    began = time.perf_counter()
    again = import_recordings(profile, adapted, result.diary, files, today=today)
    again_s = time.perf_counter() - began
    assert again.diary == result.diary and all(walk.outcome == ALREADY for walk in again.walks)

    print(f"  import: wall {import_s:.2f} s ({import_s / days * 1000:.1f} ms each; goal <= {GOAL_S:g} s for 365: "
          f"{verdict(import_s, days)}), CPU {import_cpu_s:.2f} s ({verdict(import_cpu_s, days)}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  re-plan from the {len(result.diary)}-entry diary (adapt): {adapt_s:.2f} s; "
          f"importing the same files again (nothing changes): {again_s:.2f} s")
    return import_s, import_cpu_s


def main() -> None:
    formats = {"FIT": fit_file, "GPX": gpx_file, "TCX": tcx_file}
    chosen = [name for name in formats if getattr(ARGS, f"{name.lower()}_only")]
    runs = [[formats[name]] for name in chosen] if chosen else [[w] for w in formats.values()] + [
        list(formats.values())]
    figures = [(", ".join(w.__name__[:3].upper() for w in writers), *run(writers, ARGS.days)) for writers in runs]
    print(f"summary, {ARGS.days} recordings each (goal <= {GOAL_S:g} s for 365):")
    for name, wall_s, cpu_s in figures:
        print(f"  {name:<13} wall {wall_s:6.2f} s ({verdict(wall_s, ARGS.days)}), CPU {cpu_s:6.2f} s "
              f"({verdict(cpu_s, ARGS.days)})")


if __name__ == "__main__":
    main()
