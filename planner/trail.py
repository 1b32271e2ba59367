"""Real trails: a GPX file to a :class:`TrailProfile`, what it asks of the body, and when the plan
makes it a safe outing.

``read_gpx(text_or_bytes)`` takes the file's content (no file access here) and returns a
``TrailProfile``: distance, elevation gain and loss, highest and lowest point, a resampled
elevation profile with the grade of each segment and the share of steep ground.
``TrailProfile.analyse(...)`` gives a :class:`TrailEffort`: moving time by Tobler's hiking
function scaled to the person's flat pace (S10), metabolic load by Pandolf (S8) with Santee's
downhill term (S12) and the surface's terrain factor (S9), summed over segments, and the DIN 33466
hiking time for comparison. ``trail_readiness(plan, effort)`` finds the first week whose biggest
session the trail could replace.

GPS noise. Raw GPS elevations jitter by metres from point to point; summing every little rise
invents climbs, and Tobler applied to those fake slopes inflates the time (domain "Load": resample
or smooth, clamp extreme slopes). So elevation is

1. averaged over a moving window of ``DEFAULT_TRAIL_SMOOTHING_M`` (200 m) of *distance* along the
   route: the exact mean of the piecewise-linear raw profile over ``[x - 100 m, x + 100 m]``,
   computed from its cumulative integral, so uneven point spacing and sparse routes are handled
   alike; near the ends the window shrinks symmetrically, so start and end keep their elevation;
2. sampled at a fixed step of ``DEFAULT_TRAIL_STEP_M`` (20 m) plus the end point (the last
   segment is 0.5–1.5 steps long);
3. grades of the 20 m segments are clamped to +/-``DEFAULT_TRAIL_MAX_GRADE_PERCENT`` (50 %) for
   speed and load. Gain, loss, highest and lowest point come from the smoothed profile.

Horizontal distance is the haversine distance between consecutive raw points (elevation change is
not added: on a 15 % slope it is 1 % longer).

Which points. Track points if the file has any (all tracks and segments in file order), else route
points, else waypoints in file order.

Bad files raise :class:`~planner.profile.PlannerInputError` (field ``"gpx"``) with a message that
says what is wrong, never a parser traceback: not XML, not GPX, no points, one point, points that
do not move, bad coordinates, implausible elevations, too large a file, and teleporting points.
Teleports (consecutive points more than ``DEFAULT_TRAIL_MAX_GAP_KM`` apart, faster than
``DEFAULT_TRAIL_MAX_SPEED_KMH`` when both have times, or an elevation jump of more than
``DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M`` steeper than 100 %) *reject the file*: a glitch or two
recordings joined together should be fixed by the user rather than guessed at; the message names
the point and where it is. A file without elevation still loads, with ``has_elevation=False``
and flat-only load (said in its notes); points missing elevation among others that have it get
it interpolated along the distance.

Reading: gpxpy parses files up to ``DEFAULT_TRAIL_GPXPY_MAX_BYTES``; larger ones are read with the
standard library's ElementTree straight into arrays (gpxpy's object model takes ~5 s for 100,000
timed points, over the 1 s goal). The tests check both readers give the same profile.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner import evidence
from planner.load import energy_kj, pandolf_watts, terrain_factor, tobler_speed_kmh
from planner.units import DISTANCE, MASS, SYSTEMS
from planner.profile import (BODY_MASS_KG_RANGE, GRADE_PERCENT_RANGE, PACK_MASS_KG_RANGE, SNOW_DEPTH_CM_RANGE,
                             SPEED_KMH_RANGE, SURFACES, WEEKS_RANGE, ClientProfile, PlannerInputError, Terrain)

if TYPE_CHECKING:  # plan.py may one day import this module
    from planner.plan import Plan

FIELD = "gpx"
_GPX_ALLOWED = "a GPX file (XML with a <gpx> root and track, route or waypoint points)"


# --- Results -----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class TrailProfile:
    """A route's shape after smoothing and resampling (see the module docstring for how).

    ``distances_km`` and ``elevations_m`` are the resampled profile (same length, starting at 0 km);
    ``grades_percent`` has one clamped grade per segment between them (one fewer). ``steep_share``
    is the share of distance (0–1) steeper than ``steep_grade_percent`` up or down. Without
    elevation (``has_elevation=False``) elevations are 0, gain/loss 0, highest/lowest ``None``.
    """

    name: str
    source: str  # "track", "route" or "waypoints"
    point_count: int
    distance_km: float
    gain_m: float
    loss_m: float
    max_elevation_m: float | None
    min_elevation_m: float | None
    distances_km: np.ndarray = field(repr=False)
    elevations_m: np.ndarray = field(repr=False)
    grades_percent: np.ndarray = field(repr=False)
    steep_share: float
    steep_grade_percent: float
    has_elevation: bool
    notes: tuple[str, ...] = ()

    @property
    def climbing_grade_percent(self) -> float:
        """Representative climbing grade, %: gain over half the distance (a route climbs about half
        of its length and descends the rest), clamped to Terrain's 0–40 %. Same rule as
        :meth:`planner.profile.Terrain.from_elevation_gain`."""
        if self.distance_km <= 0:
            return 0.0
        grade = self.gain_m / (self.distance_km * 1000 / 2) * 100
        return float(min(max(grade, GRADE_PERCENT_RANGE[0]), GRADE_PERCENT_RANGE[1]))

    def as_terrain(self, *, surface: str = "trail", pack_mass_kg: float = 0.0, trekking_poles: bool = False,
                   snow_depth_cm: float = 0.0) -> Terrain:
        """Terrain inputs for hike sessions standing in for this trail (grade:
        :attr:`climbing_grade_percent`, to 0.1 %)."""
        return Terrain(surface=surface, grade_percent=round(self.climbing_grade_percent, 1), pack_mass_kg=pack_mass_kg,
                       trekking_poles=trekking_poles, snow_depth_cm=snow_depth_cm)

    def analyse(self, body_mass_kg: float, flat_speed_kmh: float, pack_mass_kg: float, surface: str,
                snow_depth_cm: float = 0.0) -> TrailEffort:
        """Moving time (Tobler, S10), load (Pandolf + Santee, S8/S12, surface factor S9) and the
        DIN 33466 time of walking this trail, segment by segment."""
        body = _checked_number("body_mass_kg", body_mass_kg, BODY_MASS_KG_RANGE, "kg")
        speed = _checked_number("flat_speed_kmh", flat_speed_kmh, SPEED_KMH_RANGE, "km/h")
        pack = _checked_number("pack_mass_kg", pack_mass_kg, PACK_MASS_KG_RANGE, "kg")
        snow = _checked_number("snow_depth_cm", snow_depth_cm, SNOW_DEPTH_CM_RANGE, "cm")
        if surface not in SURFACES:
            raise PlannerInputError("surface", "one of " + ", ".join(SURFACES), surface)
        eta = terrain_factor(surface, snow)

        lengths_km = np.diff(self.distances_km)
        grades = self.grades_percent
        speeds_kmh = tobler_speed_kmh(speed, grades)
        minutes = lengths_km / speeds_kmh * 60.0
        watts = pandolf_watts(body, pack, speeds_kmh / 3.6, grades, eta)
        loads = energy_kj(watts, minutes)
        cumulative_minutes = np.concatenate(([0.0], np.cumsum(minutes)))
        cumulative_load = np.concatenate(([0.0], np.cumsum(loads)))
        cumulative_minutes.setflags(write=False)
        cumulative_load.setflags(write=False)
        moving = float(cumulative_minutes[-1])
        load = float(cumulative_load[-1])
        notes = []
        if not self.has_elevation:
            notes.append("No elevation in this file: time and load are for flat ground only (flat-only "
                         "load); the real route may be harder.")
        return TrailEffort(
            trail=self, body_mass_kg=body, flat_speed_kmh=speed, pack_mass_kg=pack, surface=surface,
            snow_depth_cm=snow, terrain_factor=eta, moving_minutes=moving, load_kj=load,
            mean_watts=load / (moving * evidence.KJ_PER_WATT_MINUTE) if moving > 0 else 0.0,
            din_minutes=din_33466_minutes(self.distance_km, self.gain_m, self.loss_m),
            cumulative_minutes=cumulative_minutes, cumulative_load_kj=cumulative_load,
            flat_only=not self.has_elevation, notes=tuple(notes))

    def analyse_for(self, profile: ClientProfile) -> TrailEffort:
        """:meth:`analyse` with a :class:`~planner.profile.ClientProfile`'s mass, pace, pack and surface."""
        fitness, terrain = profile.fitness, profile.terrain
        return self.analyse(fitness.body_mass_kg, fitness.speed_kmh, terrain.pack_mass_kg, terrain.surface,
                            terrain.snow_depth_cm)


@dataclass(frozen=True, eq=False)
class TrailEffort:
    """What walking a trail asks of one person.

    ``moving_minutes`` (no stops), ``load_kj`` and ``mean_watts`` follow S8/S9/S10/S12 per segment;
    ``din_minutes`` is the DIN 33466 hiking time for comparison. ``cumulative_minutes`` and
    ``cumulative_load_kj`` run along ``trail.distances_km`` (from 0).
    """

    trail: TrailProfile = field(repr=False)
    body_mass_kg: float
    flat_speed_kmh: float
    pack_mass_kg: float
    surface: str
    snow_depth_cm: float
    terrain_factor: float
    moving_minutes: float
    load_kj: float
    mean_watts: float
    din_minutes: float
    cumulative_minutes: np.ndarray = field(repr=False)
    cumulative_load_kj: np.ndarray = field(repr=False)
    flat_only: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class TrailReadiness:
    """When the plan makes a trail a safe outing.

    ``ready_week`` is the first week (1-based) whose longest session is at least the trail's moving
    time (to the whole minute, as sessions are) and whose largest session load is at least the
    trail's load (to 0.1 kJ, as in the plan's table), or ``None``. ``weeks`` has one row per plan
    week: week, longest_minutes, largest_load_kj, fits_minutes, fits_load, fits.
    ``fits_share`` is the share of the trail's distance (from its start) that fits the plan's
    biggest week; ``suggestions`` say what would need to change when it never fits.
    """

    ready_week: int | None
    message: str
    suggestions: tuple[str, ...]
    weeks: pd.DataFrame
    fits_share: float
    moving_minutes: float
    load_kj: float


# --- Reading -----------------------------------------------------------------------------------

def read_gpx(text_or_bytes: str | bytes, *, name: str | None = None) -> TrailProfile:
    """Read GPX content (text, or bytes such as an upload widget's memoryview) into a
    :class:`TrailProfile`; ``name`` overrides the file's own. Bad content raises ``PlannerInputError``.
    The size limit counts bytes, or characters for text."""
    if name is not None and not isinstance(name, str):
        raise PlannerInputError("name", "text or None", name)
    raw: str | bytes
    if isinstance(text_or_bytes, (bytes, bytearray, memoryview)):
        raw = bytes(text_or_bytes)
        size = len(raw)
    elif isinstance(text_or_bytes, str):
        raw = text_or_bytes
        size = len(text_or_bytes)
    else:
        raise PlannerInputError(FIELD, "GPX content as text or bytes", type(text_or_bytes).__name__)
    if size > evidence.DEFAULT_TRAIL_MAX_FILE_BYTES:
        raise PlannerInputError(FIELD, f"a GPX file of at most {evidence.DEFAULT_TRAIL_MAX_FILE_BYTES / 1e6:g} MB",
                                f"a file of {size / 1e6:.1f} MB")
    if not raw.strip():
        raise PlannerInputError(FIELD, _GPX_ALLOWED, "an empty file")
    if size <= evidence.DEFAULT_TRAIL_GPXPY_MAX_BYTES:
        points = _points_gpxpy(raw)
    else:
        points = _points_etree(raw)
    return _profile_from_points(points, name)


@dataclass(frozen=True)
class _Points:
    """Raw points from either reader: name from the file, source kind, arrays."""

    file_name: str
    source: str
    lat: np.ndarray
    lon: np.ndarray
    elevation_m: np.ndarray  # NaN where missing
    seconds: np.ndarray  # NaN where missing


def _text(raw: str | bytes) -> str:
    """Text for gpxpy: str as given (without a byte-order mark); bytes as UTF-8, else Latin-1."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _not_xml(error: Exception) -> PlannerInputError:
    return PlannerInputError(FIELD, _GPX_ALLOWED, f"text that is not valid XML ({error})")


def _points_gpxpy(raw: str | bytes) -> _Points:
    import gpxpy
    import gpxpy.gpx

    text = _text(raw)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise _not_xml(error) from None
    _check_root(root)
    try:
        gpx = gpxpy.parse(text)
    except Exception as error:  # gpxpy raises GPXException, ValueError, ... on bad fields
        raise PlannerInputError(FIELD, _GPX_ALLOWED, f"a GPX file gpxpy cannot read ({error})") from None
    track_points = [p for track in gpx.tracks for segment in track.segments for p in segment.points]
    route_points = [p for route in gpx.routes for p in route.points]
    if track_points:
        source, points = "track", track_points
    elif route_points:
        source, points = "route", route_points
    else:
        source, points = "waypoints", list(gpx.waypoints)
    file_name = next((item.name for item in [*gpx.tracks, *gpx.routes] if item.name), None) or gpx.name or ""
    n = len(points)
    lat = np.fromiter((p.latitude for p in points), float, n)
    lon = np.fromiter((p.longitude for p in points), float, n)
    elevation = np.fromiter((math.nan if p.elevation is None else p.elevation for p in points), float, n)
    seconds = np.fromiter((_timestamp(p.time) for p in points), float, n)
    return _Points(file_name.strip(), source, lat, lon, elevation, seconds)


def _timestamp(time: Any) -> float:
    if time is None:
        return math.nan
    try:
        return pd.Timestamp(time).tz_localize("UTC").timestamp() if time.tzinfo is None else time.timestamp()
    except (ValueError, OverflowError, OSError):
        return math.nan


def _check_root(root: ET.Element) -> str:
    """Namespace prefix of a ``<gpx>`` root (``"{...}"`` or ``""``); raises when the root is not gpx."""
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace, _, local = tag.rpartition("}")
    if local != "gpx":
        raise PlannerInputError(FIELD, _GPX_ALLOWED, f"XML whose root element is <{local or tag}>, not <gpx>")
    return namespace + "}" if namespace else ""


def _points_etree(raw: str | bytes) -> _Points:
    try:
        root = ET.fromstring(raw.lstrip("\ufeff") if isinstance(raw, str) else raw)
    except ET.ParseError as error:
        raise _not_xml(error) from None
    ns = _check_root(root)
    for source, tag in (("track", "trk/{ns}trkseg/{ns}trkpt"), ("route", "rte/{ns}rtept"), ("waypoints", "wpt")):
        elements = root.findall(ns + tag.format(ns=ns))
        if elements:
            break
    file_name = ""
    for path in (f"{ns}trk/{ns}name", f"{ns}rte/{ns}name", f"{ns}metadata/{ns}name", f"{ns}name"):
        found = root.find(path)
        if found is not None and found.text and found.text.strip():
            file_name = found.text.strip()
            break
    try:
        lat = np.array([element.attrib["lat"] for element in elements], dtype=float)
        lon = np.array([element.attrib["lon"] for element in elements], dtype=float)
    except (KeyError, ValueError) as error:
        raise PlannerInputError(FIELD, _GPX_ALLOWED, f"a point without a valid lat/lon ({error})") from None
    elevation_text = [element.findtext(ns + "ele") for element in elements]
    elevation = pd.to_numeric(pd.Series(elevation_text, dtype=object), errors="coerce").to_numpy(float)
    times = pd.to_datetime(pd.Series([element.findtext(ns + "time") for element in elements], dtype=object),
                           utc=True, format="ISO8601", errors="coerce")
    seconds = (times - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(float)  # NaN where missing
    return _Points(file_name, source, lat, lon, elevation, seconds)


# --- From points to a profile ------------------------------------------------------------------

def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance, m, between points given in degrees (mean Earth radius)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlambda = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * evidence.EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _profile_from_points(points: _Points, name: str | None) -> TrailProfile:
    lat, lon, elevation, seconds = points.lat, points.lon, points.elevation_m, points.seconds
    n = len(lat)
    if n == 0:
        raise PlannerInputError(FIELD, _GPX_ALLOWED, "a GPX file with no track, route or waypoint points")
    if n == 1:
        raise PlannerInputError(FIELD, "a GPX file with at least two points", "a file with a single point")
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    if bad.any():
        i = int(np.argmax(bad))
        raise PlannerInputError(FIELD, "points with latitude -90–90 and longitude -180–180",
                                f"point {i + 1} at lat {lat[i]}, lon {lon[i]}")
    elevation = np.where(np.isfinite(elevation), elevation, np.nan)
    low, high = evidence.DEFAULT_TRAIL_ELEVATION_RANGE_M
    implausible = np.isfinite(elevation) & ((elevation < low) | (elevation > high))
    if implausible.any():
        i = int(np.argmax(implausible))
        raise PlannerInputError(FIELD, f"elevations between {low:g} and {high:g} m",
                                f"{elevation[i]:g} m at point {i + 1}")

    steps_m = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    cumulative_m = np.concatenate(([0.0], np.cumsum(steps_m)))
    _check_teleports(steps_m, cumulative_m, elevation, seconds)
    total_m = float(cumulative_m[-1])
    if not total_m > 0:
        raise PlannerInputError(FIELD, "points that move along a route", "points that all lie at the same place")

    notes = []
    if points.source == "route":
        notes.append("Read from the file's planned route (no recorded track).")
    elif points.source == "waypoints":
        notes.append("Read from the file's waypoints in file order (no track or route): a rough outline.")
    has_elevation_mask = np.isfinite(elevation)
    has_elevation = int(has_elevation_mask.sum()) >= 2
    keep = np.concatenate(([True], steps_m > 0))  # drop repeated positions
    if has_elevation:
        missing = int((~has_elevation_mask).sum())
        if missing:
            elevation = np.interp(cumulative_m, cumulative_m[has_elevation_mask], elevation[has_elevation_mask])
            notes.append(f"{missing} point(s) had no elevation: filled in along the distance.")
        distance_m, elevation_m = _smooth_and_resample(cumulative_m[keep], elevation[keep])
    else:
        notes.append("No elevation in this file: the profile is flat, and time and load are for flat "
                     "ground only (flat-only load).")
        distance_m = _resample_positions(total_m)
        elevation_m = np.zeros_like(distance_m)

    rises = np.diff(elevation_m)
    lengths = np.diff(distance_m)
    # Rounded to 1e-6 %: float dust below zero would switch on Santee's downhill term (S12).
    grades = np.round(np.clip(rises / lengths * 100.0, -evidence.DEFAULT_TRAIL_MAX_GRADE_PERCENT,
                              evidence.DEFAULT_TRAIL_MAX_GRADE_PERCENT), 6)
    steep = evidence.DEFAULT_TRAIL_STEEP_GRADE_PERCENT
    steep_share = float(lengths[np.abs(grades) > steep].sum() / total_m)
    distances_km = distance_m / 1000.0
    for array in (distances_km, elevation_m, grades):
        array.setflags(write=False)
    title = (name if name is not None else points.file_name) or "Unnamed trail"
    return TrailProfile(
        name=title, source=points.source, point_count=n, distance_km=total_m / 1000.0,
        gain_m=float(rises[rises > 0].sum()), loss_m=float(-rises[rises < 0].sum()),
        max_elevation_m=float(elevation_m.max()) if has_elevation else None,
        min_elevation_m=float(elevation_m.min()) if has_elevation else None,
        distances_km=distances_km, elevations_m=elevation_m, grades_percent=grades, steep_share=steep_share,
        steep_grade_percent=steep, has_elevation=has_elevation, notes=tuple(notes))


def _check_teleports(steps_m: np.ndarray, cumulative_m: np.ndarray, elevation: np.ndarray,
                     seconds: np.ndarray) -> None:
    """Reject consecutive points that jump too far, too fast or too high (see module docstring)."""
    def where(i: int) -> str:
        return f"point {i + 2} (km {cumulative_m[i] / 1000:.2f})"

    suggestion = ": a GPS glitch or separate recordings joined together; remove the jump or split the file"
    max_gap_m = evidence.DEFAULT_TRAIL_MAX_GAP_KM * 1000
    far = steps_m > max_gap_m
    if far.any():
        i = int(np.argmax(far))
        raise PlannerInputError(FIELD, f"consecutive points at most {evidence.DEFAULT_TRAIL_MAX_GAP_KM:g} km apart",
                                f"{where(i)} {steps_m[i] / 1000:.1f} km from the one before{suggestion}")
    dt = np.diff(seconds)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed_kmh = np.where(np.isfinite(dt) & (dt > 0), steps_m / np.where(dt > 0, dt, 1.0) * 3.6, 0.0)
    fast = speed_kmh > evidence.DEFAULT_TRAIL_MAX_SPEED_KMH
    if fast.any():
        i = int(np.argmax(fast))
        raise PlannerInputError(FIELD, f"moves of at most {evidence.DEFAULT_TRAIL_MAX_SPEED_KMH:g} km/h between "
                                       "timed points", f"{where(i)} reached at {speed_kmh[i]:.0f} km/h{suggestion}")
    jumps = np.abs(np.diff(elevation))
    high = np.isfinite(jumps) & (jumps > evidence.DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M) & (jumps > steps_m)
    if high.any():
        i = int(np.argmax(high))
        raise PlannerInputError(FIELD, f"elevation steps of at most {evidence.DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M:g} m "
                                       "steeper than 100 %",
                                f"{where(i)} {jumps[i]:.0f} m above or below the one before, "
                                f"{steps_m[i]:.0f} m away{suggestion}")


def _resample_positions(total_m: float) -> np.ndarray:
    """Every ``DEFAULT_TRAIL_STEP_M`` from 0, then the end; the last segment is 0.5–1.5 steps long."""
    step = evidence.DEFAULT_TRAIL_STEP_M
    positions = np.arange(0.0, total_m, step)
    if len(positions) > 1 and total_m - positions[-1] < step / 2:
        positions = positions[:-1]
    return np.append(positions, total_m)


def _smooth_and_resample(distance_m: np.ndarray, elevation_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Window mean of the piecewise-linear profile every ``DEFAULT_TRAIL_STEP_M`` (module docstring)."""
    total = float(distance_m[-1])
    positions = _resample_positions(total)
    half = evidence.DEFAULT_TRAIL_SMOOTHING_M / 2
    slopes = np.diff(elevation_m) / np.diff(distance_m)
    integral = np.concatenate(([0.0], np.cumsum((elevation_m[:-1] + elevation_m[1:]) / 2 * np.diff(distance_m))))

    def integral_at(x: np.ndarray) -> np.ndarray:
        j = np.clip(np.searchsorted(distance_m, x, side="right") - 1, 0, len(distance_m) - 2)
        t = x - distance_m[j]
        return integral[j] + t * (elevation_m[j] + slopes[j] * t / 2)

    halves = np.minimum(np.minimum(positions, total - positions), half)
    halves[0] = halves[-1] = 0.0
    j = np.clip(np.searchsorted(distance_m, positions, side="right") - 1, 0, len(distance_m) - 2)
    point_values = elevation_m[j] + slopes[j] * (positions - distance_m[j])
    wide = halves > 1e-3  # below a millimetre, the window mean is the point value (and cancels badly)
    widths = np.where(wide, 2 * halves, 1.0)
    means = (integral_at(positions + halves) - integral_at(positions - halves)) / widths
    return positions, np.where(wide, means, point_values)


# --- Comparisons and readiness -----------------------------------------------------------------

def din_33466_minutes(distance_km: float, gain_m: float, loss_m: float) -> float:
    """DIN 33466 hiking time, min: 4 km/h flat, 300 m/h up, 500 m/h down; the larger of the
    horizontal and vertical times plus half the smaller."""
    horizontal = distance_km / evidence.DIN_33466_HORIZONTAL_KMH
    vertical = gain_m / evidence.DIN_33466_ASCENT_M_PER_HOUR + loss_m / evidence.DIN_33466_DESCENT_M_PER_HOUR
    return (max(horizontal, vertical) + min(horizontal, vertical) / 2) * 60.0


def _week_caps(plan: Plan, effort: TrailEffort) -> pd.DataFrame:
    sessions = plan.walking_sessions
    columns = ["week", "longest_minutes", "largest_load_kj", "fits_minutes", "fits_load", "fits"]
    if sessions.empty:
        return pd.DataFrame({column: [] for column in columns})
    caps = sessions.groupby("week", sort=True).agg(longest_minutes=("total_minutes", "max"),
                                                    largest_load_kj=("load_kj", "max")).reset_index()
    caps["fits_minutes"] = round(effort.moving_minutes) <= caps["longest_minutes"]  # sessions are whole minutes
    caps["fits_load"] = round(effort.load_kj, 1) <= caps["largest_load_kj"]  # the plan's precision
    caps["fits"] = caps["fits_minutes"] & caps["fits_load"]
    return caps[columns]


def _first_ready_week(caps: pd.DataFrame) -> int | None:
    ready = caps.loc[caps["fits"], "week"] if len(caps) else []
    return int(ready.iloc[0]) if len(ready) else None


def _minutes_text(minutes: float) -> str:
    hours, rest = divmod(int(round(minutes)), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def trail_readiness(plan: Plan, effort: TrailEffort, units: str = "metric") -> TrailReadiness:
    """First week in which ``effort``'s trail could replace the week's biggest session without
    raising load: moving time <= that week's longest session and load <= its largest session load.
    ``units`` ("metric" or "imperial") only changes how distances and masses read in the texts.

    If no week fits, the suggestions say what would: a longer plan (re-planned at the 52-week limit,
    with the target session raised to the trail's time when that is within S1's 90 min), a lighter
    pack (re-analysed without it), or a shorter section (the share of the trail, from its start,
    that fits the plan's biggest week). For hike sessions shaped like the trail, make the plan with
    ``terrain=trail.as_terrain(...)`` first.
    """
    if not isinstance(effort, TrailEffort):
        raise PlannerInputError("trail_effort", "a TrailEffort from TrailProfile.analyse", type(effort).__name__)
    if units not in SYSTEMS:
        raise PlannerInputError("units", " or ".join(SYSTEMS), repr(units))

    def distance_text(km: float) -> str:
        return f"{DISTANCE.from_metric(km, units):.1f} {DISTANCE.unit(units)}"

    caps = _week_caps(plan, effort)
    ready_week = _first_ready_week(caps)
    moving, load = effort.moving_minutes, effort.load_kj
    what = f"{effort.trail.name} ({distance_text(effort.trail.distance_km)}, {_minutes_text(moving)}, {load:.0f} kJ)"
    share = 0.0
    if len(caps):
        best_minutes = float(caps["longest_minutes"].max())
        best_load = float(caps["largest_load_kj"].max())
        fits = ((np.round(effort.cumulative_minutes) <= best_minutes)
                & (np.round(effort.cumulative_load_kj, 1) <= best_load))
        last = int(np.argmin(fits)) - 1 if not fits.all() else len(fits) - 1
        share = float(effort.trail.distances_km[max(last, 0)] / effort.trail.distance_km)
    if ready_week is not None:
        message = (f"Ready for {what} in week {ready_week}: it fits under that week's longest session and "
                   "its largest session load, so it can replace that session.")
        return TrailReadiness(ready_week, message, (), caps, share, moving, load)
    if plan.stopped or not len(caps):
        message = f"No plan to fit {what} into: the plan has no walking sessions."
        return TrailReadiness(None, message, (), caps, 0.0, moving, load)

    last_week = int(caps["week"].iloc[-1])
    message = (f"Not ready for {what} within this {last_week}-week plan: the plan's biggest session is "
               f"{_minutes_text(best_minutes)} and {best_load:.0f} kJ.")
    suggestions = []
    profile = plan.profile
    if round(moving) > evidence.HIKE_MAX_MINUTES:
        suggestions.append(f"At your pace it takes {_minutes_text(moving)} of walking, longer than the "
                           f"{evidence.HIKE_ENTRY_MINUTES_LOW}–{evidence.HIKE_MAX_MINUTES} min a hike builds up "
                           "to (S1): more weeks alone will not get there.")
    else:
        from planner.plan import plan as make_plan  # local: plan.py does not import trail.py

        target = max(profile.goal.target_session_minutes, min(round(moving), evidence.HIKE_MAX_MINUTES))
        longer = make_plan(replace(profile, goal=replace(profile.goal, weeks=WEEKS_RANGE[1],
                                                         target_session_minutes=target)))
        longer_week = _first_ready_week(_week_caps(longer, effort))
        change = (f"a target session of {target} min (now {profile.goal.target_session_minutes}; S1 allows "
                  f"up to {evidence.HIKE_MAX_MINUTES} min)" if target > profile.goal.target_session_minutes else "")
        if longer_week is not None and change:
            suggestions.append(f"Longer sessions and more weeks: with {change}, a plan of {longer_week} weeks "
                               f"or more makes you ready in week {longer_week}.")
        elif longer_week is not None:
            suggestions.append(f"More weeks: a plan of {longer_week} weeks or more makes you ready in week "
                               f"{longer_week}.")
        else:
            suggestions.append(f"More weeks: even a {WEEKS_RANGE[1]}-week plan"
                               f"{' with ' + change if change else ''} does not reach it.")
    if effort.pack_mass_kg > 0:
        pack = f"{MASS.to_display(effort.pack_mass_kg, units):g} {MASS.unit(units)}"
        light = effort.trail.analyse(effort.body_mass_kg, effort.flat_speed_kmh, 0.0, effort.surface,
                                     effort.snow_depth_cm)
        light_week = _first_ready_week(_week_caps(plan, light))
        if light_week is not None:
            suggestions.append(f"Lighter pack: without the {pack} pack it fits in week {light_week}.")
        else:
            suggestions.append(f"Lighter pack: leaving the {pack} pack at home saves "
                               f"{load - light.load_kj:.0f} kJ, not enough on its own.")
    section_km = share * effort.trail.distance_km
    suggestions.append(f"Shorter section: by week {last_week} about {math.floor(share * 100)} % of the trail "
                       f"fits, the first {distance_text(section_km)} (turn back sooner on an out-and-back).")
    return TrailReadiness(None, message, tuple(suggestions), caps, share, moving, load)


# --- Shipped samples and small helpers ---------------------------------------------------------

def sample_trails() -> dict[str, str]:
    """The sample GPX files shipped in ``planner/data/trails``: file stem -> GPX text.

    Reads package data only (read-only); everything else in this module takes content, not paths.
    """
    folder = resources.files("planner") / "data" / "trails"
    return {item.name.removesuffix(".gpx"): item.read_text(encoding="utf-8")
            for item in sorted(folder.iterdir(), key=lambda entry: entry.name) if item.name.endswith(".gpx")}


def _checked_number(name: str, value: Any, limits: tuple[float, float], unit: str) -> float:
    low, high = limits
    allowed = f"a number {low:g}–{high:g} {unit}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise PlannerInputError(name, allowed, value)
    return float(value)
