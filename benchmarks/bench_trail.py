"""Trail speed and memory: read and analyse a 100,000-point multi-segment GPX track built in memory.

Goals (issues 6 and 10): read + analyse <= 1 s median; peak memory <= 200 MB in a fresh process.
Prints figures (not a timed test). The track has elevation and a timestamp on every point, ~10 m
apart, with sigma 4 m elevation noise, in ``SEGMENTS`` segments over two tracks: every other segment
starts 1 km away from where the last ended (a separate piece), the rest carry on (joined).
Memory: tracemalloc's peak of Python allocations (numpy arrays included) during one read + analyse,
and the peak resident set size (VmHWM) of a fresh child process that only imports the planner,
takes the GPX bytes on stdin and reads + analyses them (interpreter and libraries included).
One reader serves every size (issue 20), so there is no second reader to time.
Run: .venv/bin/python benchmarks/bench_trail.py  (--help for options)
"""

from __future__ import annotations

import datetime as dt
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


POINTS = 100_000
SEGMENTS = 10


def big_gpx(points: int = POINTS, seed: int = 7, segments: int = SEGMENTS) -> str:
    """A winding ~1,000 km track: 10 m steps, rolling hills, GPS noise, one point every 5 s, cut
    into ``segments`` segments (two tracks); every other segment starts 1 km on (a new piece)."""
    import numpy as np  # here, not at the top: --help answers at once

    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0.0, 0.05, points))
    step_m = np.full(points, 10.0)
    size = points // segments
    step_m[size::2 * size] = 1000.0  # the first point of every other segment: 1 km on
    metres_per_degree = math.radians(1) * 6_371_000.0
    lat = 46.0 + np.cumsum(step_m * np.cos(heading)) / metres_per_degree
    lon = 7.0 + np.cumsum(step_m * np.sin(heading)) / (metres_per_degree * np.cos(np.radians(lat)))
    s = np.arange(points) * 10.0
    ele = 1200 + 300 * np.sin(s / 3000) + 80 * np.sin(s / 700) + rng.normal(0.0, 4.0, points)
    start = dt.datetime(2024, 6, 1, 6, 0, tzinfo=dt.timezone.utc)
    times = [(start + dt.timedelta(seconds=5 * i + 600 * (i // size))).strftime("%Y-%m-%dT%H:%M:%SZ")
             for i in range(points)]
    rows = [f'<trkpt lat="{a:.7f}" lon="{b:.7f}"><ele>{e:.1f}</ele><time>{t}</time></trkpt>'
            for a, b, e, t in zip(lat, lon, ele, times)]
    parts = ["\n".join(rows[k * size:(k + 1) * size if k < segments - 1 else points]) for k in range(segments)]
    half = segments // 2
    tracks = [f"<trk><name>Benchmark {n + 1}</name>"
              + "".join(f"<trkseg>\n{part}\n</trkseg>" for part in chunk) + "</trk>"
              for n, chunk in enumerate((parts[:half], parts[half:]))]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
            f'xmlns="http://www.topografix.com/GPX/1/1">{"".join(tracks)}</gpx>\n')


def read_and_analyse(text: str):
    from planner.trail import read_gpx

    trail = read_gpx(text)
    return trail, trail.analyse(body_mass_kg=75, flat_speed_kmh=5.0, pack_mass_kg=4.5, surface="trail")


def main(points: int = POINTS) -> None:
    text = big_gpx(points)
    print(f"GPX: {points:,} points in {SEGMENTS} segments, {len(text) / 1e6:.1f} MB of text; machine load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings grow with it)")
    read_and_analyse(text)  # warm-up: imports
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        trail, effort = read_and_analyse(text)
        timings.append(time.perf_counter() - start)
    print(f"read + analyse: median {statistics.median(timings):.3f} s over 5 runs "
          f"(min {min(timings):.3f} s, max {max(timings):.3f} s; goal <= 1 s)")
    tracemalloc.start()
    read_and_analyse(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    child = subprocess.run([sys.executable, __file__, "--child"], input=text.encode("utf-8"),
                           capture_output=True, check=True)
    before_mb, peak_mb = (float(value) for value in child.stdout.split())
    print(f"peak memory: tracemalloc {peak / 1e6:.0f} MB during read + analyse; fresh process peak RSS "
          f"{peak_mb:.0f} MB ({before_mb:.0f} MB after imports and reading stdin) (goal <= 200 MB)")
    print(f"trail: {len(trail.pieces)} pieces, {trail.distance_km:.1f} km, gain {trail.gain_m:.0f} m, "
          f"{len(trail.distances_km):,} resampled "
          f"points; moving {effort.moving_minutes / 60:.1f} h, DIN 33466 {effort.din_minutes / 60:.1f} h, "
          f"load {effort.load_kj / 1000:.1f} MJ")


def child() -> None:
    """Read the GPX bytes from stdin, then read + analyse; print RSS before and peak, MB."""
    import planner.trail  # noqa: F401  (imported before "after imports" is measured)

    data = sys.stdin.buffer.read()
    before = peak_rss_mb()
    read_and_analyse(data)
    print(f"{before:.1f} {peak_rss_mb():.1f}")


def peak_rss_mb() -> float:
    """This process's peak resident set size, MB: Linux VmHWM (reset at exec, unlike ru_maxrss,
    which keeps the parent's high-water mark across fork + exec), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    from _cli import parse_args  # the script's own folder is on sys.path

    arguments = parse_args(__doc__, hidden=("--child",), counts=(
        ("--points", POINTS, "points in the track (fewer for a quick check that the benchmark runs)"),))
    child() if arguments.child else main(arguments.points)
