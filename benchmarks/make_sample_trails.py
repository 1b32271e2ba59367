"""Write the sample GPX files shipped in ``planner/data/trails`` (run from the repository root).

The shapes are chosen so their figures can be computed by hand (tests/test_trail.py):

- ``riverside_flat``: 5.0 km straight north along a meridian at a constant 12 m: gain 0 m.
- ``rolling_hill_loop``: a circle of 8.0 km circumference (400 points), elevation
  300 + 50 sin(2 pi * 2 s / L): two full waves, gain = loss = 4 x 50 = 200 m, 250–350 m.
- ``steep_mountain``: 5.0 km north then back (10.0 km), elevation 600 + 400 (1 - cos(pi s / 5 km))
  on the way out and mirrored back: gain = loss = 800 m, 600–1400 m, steepest 8 pi % = 25 %.

Points every 20 m (the loop every 20 m of arc); distances use the mean Earth radius
(``planner.evidence.EARTH_RADIUS_M``), so north-south legs measure exactly.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

if __name__ == "__main__":
    parse_args(__doc__)

from planner.evidence import EARTH_RADIUS_M  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "planner" / "data" / "trails"
LAT0, LON0 = 46.5, 7.5
SPACING_M = 20.0


def gpx(name: str, points: list[tuple[float, float, float]]) -> str:
    rows = "\n".join(f'      <trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele></trkpt>'
                     for lat, lon, ele in points)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gpx version="1.1" creator="Trailback sample generator" xmlns="http://www.topografix.com/GPX/1/1">\n'
            f'  <metadata><name>{name}</name></metadata>\n'
            f'  <trk>\n    <name>{name}</name>\n    <trkseg>\n{rows}\n    </trkseg>\n  </trk>\n</gpx>\n')


def north(metres: float) -> float:
    return LAT0 + math.degrees(metres / EARTH_RADIUS_M)


def riverside() -> list[tuple[float, float, float]]:
    length = 5000.0
    return [(north(s), LON0, 12.0) for s in (i * SPACING_M for i in range(int(length / SPACING_M) + 1))]


def loop() -> list[tuple[float, float, float]]:
    length, n = 8000.0, 400
    radius = length / (2 * math.pi)
    metres_per_deg_lat = math.radians(1) * EARTH_RADIUS_M
    metres_per_deg_lon = metres_per_deg_lat * math.cos(math.radians(LAT0))
    points = []
    for i in range(n + 1):
        angle = 2 * math.pi * i / n
        x, y = radius * math.sin(angle), radius * (1 - math.cos(angle))
        ele = 300 + 50 * math.sin(2 * math.pi * 2 * i / n)
        points.append((LAT0 + y / metres_per_deg_lat, LON0 + x / metres_per_deg_lon, ele))
    return points


def mountain() -> list[tuple[float, float, float]]:
    half = 5000.0
    out = [i * SPACING_M for i in range(int(half / SPACING_M) + 1)]
    up = [(north(s), LON0, 600 + 400 * (1 - math.cos(math.pi * s / half))) for s in out]
    return up + up[-2::-1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, title, points in (("riverside_flat", "Riverside flat walk", riverside()),
                                ("rolling_hill_loop", "Rolling hill loop", loop()),
                                ("steep_mountain", "Steep mountain out-and-back", mountain())):
        path = OUT / f"{stem}.gpx"
        path.write_text(gpx(title, points), encoding="utf-8")
        print(path, path.stat().st_size, "bytes,", len(points), "points")


if __name__ == "__main__":
    main()
