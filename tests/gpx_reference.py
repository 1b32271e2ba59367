"""gpxpy's own figures for the points of one piece (test helper): 2D length and uphill/downhill
after ``smooth()``, per recorded segment, summed; the short joins between segments added."""

from __future__ import annotations

import copy
from pathlib import Path

import gpxpy
import gpxpy.gpx

import pytest

# the same path as conftest.SHARED_DATA (this module is imported by name, conftest is not)
SHARED_GPX = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gpx"
DATA = SHARED_GPX / "gpxpy"  # gpxpy's test_files (Apache-2.0), not copied into the project
ABSENT = (f"real GPX recordings absent: {SHARED_GPX} (they live in ../shared/data beside the clone, "
          "not in the project; a user's own clone has none)")


def need(path: Path) -> Path:
    """``path`` if it exists, else skip the test saying why."""
    if not path.exists():
        pytest.skip(ABSENT)
    return path


def parse(path: Path) -> gpxpy.gpx.GPX:
    return gpxpy.parse(path.read_bytes().decode("utf-8-sig"))


def usable_segments(gpx: gpxpy.gpx.GPX) -> list[gpxpy.gpx.GPXTrackSegment]:
    """Track segments with two points or more, in file order (what read_gpx numbers points over)."""
    return [segment for track in gpx.tracks for segment in track.segments if len(segment.points) >= 2]


def track_point_count(path: Path) -> int:
    return sum(len(segment.points) for segment in usable_segments(parse(path)))


def reference(path: Path, first: int, last: int) -> dict[str, float]:
    """gpxpy's distance (km), uphill and downhill (m) over points ``first``..``last`` (1-based, file order)."""
    groups: list[list] = []
    number = 0
    for segment in usable_segments(parse(path)):
        group = []
        for point in segment.points:
            number += 1
            if first <= number <= last:
                group.append(point)
        if group:
            groups.append(group)
    distance_m = uphill = downhill = 0.0
    for index, group in enumerate(groups):
        segment = gpxpy.gpx.GPXTrackSegment(points=copy.deepcopy(group))
        distance_m += segment.length_2d()
        segment.smooth()
        up_down = segment.get_uphill_downhill()
        uphill += up_down.uphill
        downhill += up_down.downhill
        if index:
            distance_m += groups[index - 1][-1].distance_2d(group[0])
    return {"distance_km": distance_m / 1000, "gain_m": uphill, "loss_m": downhill}


def padded(content: str | bytes, size: int = 2_000_000) -> str | bytes:
    """The same GPX with an XML comment before ``</gpx>`` that makes it about ``size`` long (a 2 kB
    file as a 2 MB one: the reader must not care)."""
    comment = "<!-- " + "x" * size + " -->"
    if isinstance(content, bytes):
        end = content.rfind(b"</gpx>")
        return content[:end] + comment.encode("ascii") + content[end:] if end >= 0 else content + comment.encode()
    end = content.rfind("</gpx>")
    return content[:end] + comment + content[end:] if end >= 0 else content + comment
