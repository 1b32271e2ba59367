"""Real trails: a GPX file to a :class:`TrailProfile`, what it asks of the body, and when the plan
makes it a safe outing.

``read_gpx(text_or_bytes)`` takes the file's content (no file access here) and returns a
``TrailProfile`` of all the file's *pieces* as separate legs; ``.pieces`` holds each piece and
``.piece(i)`` picks one (``None``: all, as separate legs). A profile has distance, elevation gain and
loss, highest and lowest point, a resampled elevation profile with the grade of each segment and the
share of steep ground. ``TrailProfile.analyse(...)`` gives a :class:`TrailEffort`: moving time by
Tobler's hiking function scaled to the person's flat pace (S10), metabolic load by Pandolf (S8) with
Santee's downhill term (S12) and the surface's terrain factor (S9), summed over segments, and the
DIN 33466 hiking time for comparison. ``trail_readiness(plan, effort)`` finds the first week whose
biggest session the trail could replace.

Pieces. Each track segment is a piece (tracks with two points or more; else routes; else the
waypoints in file order). Distance, gain and time add up inside a piece; the gap between two pieces
is never walked (a leg ends, the next starts: a zero-length step in the legs' profile). Pieces whose
end and next start lie within ``DEFAULT_TRAIL_JOIN_M`` join into one.

Real recordings are evidence, not law (all thresholds are ``DEFAULT_TRAIL_*`` in
:mod:`planner.evidence`; everything done is said in ``notes``, in the display ``units``):

- timestamps before ``DEFAULT_TRAIL_EARLIEST_YEAR`` or in the future are ignored (a device without a
  set clock); speeds only come from points at least a second apart (sub-second steps over more than
  walking could cover are said); a single point whose time is out of line with its neighbours loses
  its time; time that still goes backwards refuses the file (its points are out of order);
- isolated outliers are dropped (a track point far from two neighbours that are close to each other,
  unless its timestamps say it was walked to, or an elevation spike of more than
  ``DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M`` steeper than 100 %);
- transport legs (by contrast with the file's own pace, or averaging ``DEFAULT_TRAIL_TRANSPORT_KMH``
  between stops; pauses and stops judged by time), jumps longer than ``DEFAULT_TRAIL_MAX_GAP_KM`` that
  the times do not show walked, and cliff steps in elevation are left out and named; the piece splits
  there; pieces shorter than ``DEFAULT_TRAIL_MIN_PIECE_M`` are left out, and a file with no walkable
  stretch that long is refused;
- a file moving faster than ``DEFAULT_TRAIL_WALK_MAX_KMH`` throughout is kept whole with a note
  ("recorded at about 14 km/h — a ride?");
- missing or all-zero heights: "this file has no elevation", the trail counts as flat;
  non-finite heights are refused; UTF-16 and byte-order-marked files are read.

Gain that survives noise and keeps summits (docs/trail-gain.md compares the methods). Per piece:

1. the elevation noise sd is estimated robustly from how far each point lies off the chord between
   its neighbours;
2. elevation is averaged over a window of *distance* (``DEFAULT_TRAIL_SMOOTHING_M_PER_NOISE_M2`` x
   noise variance, clamped to ``DEFAULT_TRAIL_SMOOTHING_MIN_M``–``MAX_M``): the exact mean of the
   piecewise-linear raw profile, from its cumulative integral; near the ends the window shrinks;
3. sampled every ``DEFAULT_TRAIL_STEP_M`` (20 m) plus the end point; grades clamped to
   +/-``DEFAULT_TRAIL_MAX_GRADE_PERCENT`` for speed and load;
4. gain and loss count a swing only once it reaches the hysteresis threshold
   (``DEFAULT_TRAIL_HYSTERESIS_MIN_M`` or ``DEFAULT_TRAIL_HYSTERESIS_NOISE_FACTOR`` x noise sd), as
   bike computers do;
5. the highest (lowest) point is the highest (lowest) elevation held over three consecutive points.

Horizontal distance is the haversine distance between consecutive raw points (elevation change is
not added: on a 15 % slope it is 1 % longer).

A file that cannot be used raises :class:`TrailFileError` (a
:class:`~planner.profile.PlannerInputError`, field ``"gpx"``) whose text says, in the coach's words,
what is wrong and what to do on the page: never a parser's or library's message, a Python repr or a
traceback. Bad arguments (not content) raise plain ``PlannerInputError``.

Reading: one reader for every size: the standard library's ElementTree straight into arrays, with
namespaces taken off the tags (``<trkpt>``, ``<gpx:trkpt>`` and ``<ns2:trkpt>`` read alike; a prefix
used but never declared is taken off too). A route's or waypoints' times are ignored (when each point
was planned, not a recording). :func:`recorded_points` gives the cleaned points with their times, for
analysing a recording.

Transport legs (a drive to the trailhead, a bus, a ferry, a lift) are found by contrast within the
file and by sustained speed, never by a fixed walking speed: a recording at run or ride speed
throughout is the route, with a note (times are at the client's own pace anyway). See
:func:`_transport_steps`.
"""

from __future__ import annotations

import codecs
import datetime
import math
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from planner import evidence
from planner.load import DEFAULT_MODEL, energy_kj, terrain_factor, tobler_speed_kmh, walking_watts
from planner.units import DISTANCE, ELEVATION, MASS, SPEED, SYSTEMS
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
    point_numbers: tuple[int, int] = (1, 1)  # first and last point (1-based, file order) of this piece or legs
    leg_starts_km: tuple[float, ...] = (0.0,)  # where each leg starts along distances_km
    pieces: tuple[TrailProfile, ...] = field(default=(), repr=False)  # read_gpx's result: the file's pieces

    def piece(self, index: int | None) -> TrailProfile:
        """Piece ``index`` (0-based) of the file, or ``None`` for all pieces as separate legs (this)."""
        if index is None:
            return self
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self.pieces):
            raise PlannerInputError("piece", f"None or a piece number 0–{len(self.pieces) - 1}", index)
        return self.pieces[index]

    def legs(self, indexes: list[int] | tuple[int, ...]) -> TrailProfile:
        """Pieces ``indexes`` (0-based) of the file as separate legs, as one trail (one piece: itself)."""
        chosen = [self.piece(index) for index in indexes]
        if not chosen:
            raise PlannerInputError("pieces", "one piece number or more", "none")
        if len(chosen) == 1:
            return chosen[0]
        return _as_legs(chosen, f"{len(chosen)} pieces, as separate legs", self.notes)

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
                snow_depth_cm: float = 0.0, model: str = DEFAULT_MODEL) -> TrailEffort:
        """Moving time (Tobler, S10), load (``model``: LCDA, S13, or Pandolf + Santee, S8/S12; surface
        factor S9) and the DIN 33466 time of walking this trail, segment by segment. Use the plan's
        ``load_model`` so that a trail and the plan's sessions are weighed alike."""
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
        watts = walking_watts(body, pack, speeds_kmh / 3.6, grades, eta, model=model)
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

    def analyse_for(self, profile: ClientProfile, model: str = DEFAULT_MODEL) -> TrailEffort:
        """:meth:`analyse` with a :class:`~planner.profile.ClientProfile`'s mass, pace, pack and surface."""
        fitness, terrain = profile.fitness, profile.terrain
        return self.analyse(fitness.body_mass_kg, fitness.speed_kmh, terrain.pack_mass_kg, terrain.surface,
                            terrain.snow_depth_cm, model=model)


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

class TrailFileError(PlannerInputError):
    """A GPX file the planner cannot use, in plain words: ``reason`` says what is wrong with the file
    and ``advice`` what the coach can do on the page. ``str()`` gives both."""

    def __init__(self, allowed: str, reason: str, advice: str = ""):
        super().__init__(FIELD, allowed, reason)
        self.reason = reason
        self.advice = advice or ADVICE

    def __str__(self) -> str:
        return f"{self.reason.rstrip('.')} (Trailback needs {self.allowed}). {self.advice}"


ADVICE = "Load another GPX file or pick a sample; or clear the trail and set the hill grade by hand."


def read_gpx(text_or_bytes: str | bytes, *, name: str | None = None, units: str = "metric") -> TrailProfile:
    """Read GPX content (text, or bytes such as an upload widget's memoryview) into a
    :class:`TrailProfile` of all its pieces as separate legs (``.pieces`` holds each piece; pick one
    with :meth:`TrailProfile.piece`). ``name`` overrides the file's own; ``units`` ("metric" or
    "imperial") is how distances read in the notes. Bad content raises ``PlannerInputError``
    (a :class:`TrailFileError` for a file that reads but cannot be walked). The size limit counts
    bytes, or characters for text."""
    if name is not None and not isinstance(name, str):
        raise PlannerInputError("name", "text or None", name)
    return _profile_from_points(_points(_checked_content(text_or_bytes, units)), name, units)


def _checked_content(text_or_bytes: str | bytes, units: str = "metric") -> str | bytes:
    """The content as text or bytes to parse (UTF-16 decoded), refused when too large or empty."""
    if units not in SYSTEMS:
        raise PlannerInputError("units", " or ".join(SYSTEMS), repr(units))
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
        raise _refused(f"a GPX file of at most {evidence.DEFAULT_TRAIL_MAX_FILE_BYTES / 1e6:g} MB",
                       f"this file is {size / 1e6:.1f} MB, more than the "
                       f"{evidence.DEFAULT_TRAIL_MAX_FILE_BYTES / 1e6:g} MB Trailback reads")
    if isinstance(raw, bytes):
        raw = _decoded_utf16(raw)
    if not raw.strip():
        raise _refused(_GPX_ALLOWED, "this file is empty")
    return raw


@dataclass(frozen=True)
class _Points:
    """Raw points from either reader, all segments end to end: name from the file, source kind,
    arrays, and where each segment starts (``starts``, with ``len`` at the end) and its name."""

    file_name: str
    source: str
    lat: np.ndarray
    lon: np.ndarray
    elevation_m: np.ndarray  # NaN where missing
    seconds: np.ndarray  # NaN where missing
    starts: tuple[int, ...]
    segment_names: tuple[str, ...]


def _decoded_utf16(raw: bytes) -> str | bytes:
    """UTF-16 bytes (with a byte-order mark, or ``<?`` as UTF-16) as text without the XML
    declaration's encoding; other bytes unchanged."""
    for marks, codec in (((codecs.BOM_UTF16_LE, b"<\x00?\x00"), "utf-16-le"),
                         ((codecs.BOM_UTF16_BE, b"\x00<\x00?"), "utf-16-be")):
        if raw.startswith(marks):
            try:
                text = raw.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise _refused(_GPX_ALLOWED, "this file starts as UTF-16 text but breaks off: not a GPX file "
                               "Trailback can read") from None
            return _without_encoding(text)
    return raw


_ENCODING_DECLARATION = re.compile(r"""\A(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _without_encoding(text: str) -> str:
    """Text without its XML declaration's encoding (it is decoded already)."""
    head = _ENCODING_DECLARATION.sub(r"\1", text[:500], count=1)
    return head + text[500:]


def _text(raw: str | bytes) -> str:
    """Text: str as given (without a byte-order mark); bytes as UTF-8, else Latin-1."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _refused(allowed: str, reason: str) -> TrailFileError:
    """A file that cannot be read as GPX, in the coach's words (what to do: load another or a sample)."""
    return TrailFileError(allowed, reason)


def _not_xml(error: ET.ParseError) -> TrailFileError:
    line, column = getattr(error, "position", (0, 0))
    where = f" (it breaks off at line {line}, character {column + 1})" if line else ""
    return _refused(_GPX_ALLOWED, f"this file is text that is not valid XML, so not a GPX file{where}")


def _non_finite_elevation(index: int, value: Any) -> TrailFileError:
    return TrailFileError("points whose elevation, when given, is a number",
                          f"point {index + 1} has the elevation “{value}”, which is not a number of metres")


_PREFIXED_TAG = re.compile(r"<(/?)[A-Za-z_][\w.-]*:")
_PREFIXED_ATTRIBUTE = re.compile(r"""\s[A-Za-z_][\w.-]*:[\w.-]+\s*=\s*("[^"]*"|'[^']*')""")


def _parsed_root(raw: str | bytes) -> ET.Element:
    """The XML tree of ``raw`` (bytes in their declared encoding, else UTF-8, else Latin-1), with
    every namespace taken off the tags: ``<gpx:trkpt>``, ``<ns2:trkpt>`` and ``<trkpt>`` read alike,
    whatever the file's size. A prefix the file uses but never declares (some apps write them) is
    taken off before parsing."""
    text: str | bytes = raw.lstrip("\ufeff") if isinstance(raw, str) else raw
    if isinstance(text, str):
        text = _without_encoding(text)  # the text is decoded already
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        if isinstance(text, bytes) and "invalid token" in str(error):
            try:  # bytes in an undeclared 8-bit encoding: Latin-1 reads any byte
                text.decode("utf-8")
            except UnicodeDecodeError:
                return _parsed_root(text.decode("latin-1"))
        if "unbound prefix" not in str(error):
            raise _not_xml(error) from None
        if isinstance(text, bytes):
            text = _text(text)
            text = _without_encoding(text)
        text = _PREFIXED_ATTRIBUTE.sub("", _PREFIXED_TAG.sub(r"<\1", text))
        try:
            root = ET.fromstring(text)
        except ET.ParseError as second:
            raise _not_xml(second) from None
    tag = root.tag if isinstance(root.tag, str) else "?"
    if tag.rpartition("}")[2] != "gpx":
        raise _refused(_GPX_ALLOWED, f"this file is XML whose root element is <{tag.rpartition('}')[2]}>, not <gpx>: "
                       "not a GPX file")
    return root


def _namespace(root: ET.Element) -> str:
    """The prefix for finding GPX elements: the root's namespace (``<gpx:trkpt>`` and ``<ns2:trkpt>``
    resolve to it, as ``<trkpt>`` does), or any namespace when the file mixes them."""
    namespace = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    if root.find(f"{namespace}trk") is None and root.find(f"{namespace}rte") is None \
            and root.find(f"{namespace}wpt") is None:
        return "{*}"
    return namespace


def _segment_name(track_name: str | None, track: int, segment: int, segments: int) -> str:
    base = (track_name or "").strip()
    return f"{base}, part {segment + 1}" if base and segments > 1 else base


def _choose_source(segments: list, routes: list, waypoints: list) -> tuple[str, list]:
    """Tracks with two points or more; else routes; else the waypoints as one piece; else whatever
    single points there are (refused later)."""
    usable = [item for item in segments if len(item[1]) >= 2]
    if usable:
        return "track", usable
    usable = [item for item in routes if len(item[1]) >= 2]
    if usable:
        return "route", usable
    if waypoints:
        return "waypoints", [("", waypoints)]
    return "track", [item for item in [*segments, *routes] if item[1]]


def _starts(chosen: list) -> tuple[int, ...]:
    return tuple(int(x) for x in np.concatenate(([0], np.cumsum([len(points) for _, points in chosen]))))


def _coordinates(elements: list[ET.Element], key: str) -> np.ndarray:
    texts = [element.get(key) for element in elements]
    try:
        values = np.array(texts, dtype=float)
    except (TypeError, ValueError):  # a missing or unreadable one: find which, below
        values = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        i = int(bad[0])
        word = "latitude" if key == "lat" else "longitude"
        given = f"“{texts[i]}”" if texts[i] is not None else "none"
        raise _refused(f"points with a latitude and a longitude in degrees",
                       f"point {i + 1} has the {word} {given}, which is not a number of degrees")
    return values


def _seconds(texts: list[str | None]) -> np.ndarray:
    """Seconds since 1970 (UTC; a time without a zone counts as UTC) of ISO 8601 times, NaN where
    missing or unreadable; times beyond pandas' range (year 2262 on) are read one by one."""
    try:
        times = pd.to_datetime(pd.Series(texts, dtype=object), utc=True, format="ISO8601", errors="coerce")
        return (times - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(float)
    except (OverflowError, ValueError):  # pandas' OutOfBoundsDatetime is a ValueError
        return np.array([_one_time(text) for text in texts], dtype=float)


def _one_time(text: str | None) -> float:
    if not text:
        return math.nan
    try:
        when = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return math.nan
    return (when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)).timestamp()


def _points(raw: str | bytes) -> _Points:
    """The file's points (tracks, else routes, else waypoints), whatever its size: one reader,
    ElementTree straight into arrays."""
    root = _parsed_root(raw)
    ns = _namespace(root)

    def name_of(element: ET.Element) -> str | None:
        return (element.findtext(ns + "name") or "").strip() or None

    tracks = root.findall(ns + "trk")
    segments = [(_segment_name(name_of(track), t, s, len(track.findall(ns + "trkseg"))),
                 segment.findall(ns + "trkpt"))
                for t, track in enumerate(tracks) for s, segment in enumerate(track.findall(ns + "trkseg"))]
    routes = [(name_of(route) or "", route.findall(ns + "rtept")) for route in root.findall(ns + "rte")]
    source, chosen = _choose_source(segments, routes, root.findall(ns + "wpt"))
    file_name = ""
    for path in (f"{ns}trk/{ns}name", f"{ns}rte/{ns}name", f"{ns}metadata/{ns}name", f"{ns}name"):
        found = root.find(path)
        if found is not None and found.text and found.text.strip():
            file_name = found.text.strip()
            break
    elements = [element for _, segment in chosen for element in segment]
    lat = _coordinates(elements, "lat")
    lon = _coordinates(elements, "lon")
    elevation_text = pd.Series([element.findtext(ns + "ele") for element in elements], dtype=object)
    elevation = pd.to_numeric(elevation_text, errors="coerce").to_numpy(float)
    for index in np.flatnonzero(elevation_text.notna().to_numpy() & ~np.isfinite(elevation)):
        text = elevation_text.iloc[index].strip()
        if text:  # given, but not a finite number (an empty <ele/> is missing)
            raise _non_finite_elevation(int(index), text)
    seconds = _seconds([element.findtext(ns + "time") for element in elements])
    return _Points(file_name, source, lat, lon, elevation, seconds, _starts(chosen),
                   tuple(segment_name for segment_name, _ in chosen))


# --- From points to pieces ---------------------------------------------------------------------

def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance, m, between points given in degrees (mean Earth radius)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlambda = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * evidence.EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(eq=False)
class _Run:
    """Point indexes (into the file's arrays, in order) that form one piece, and its name."""

    name: str
    indexes: np.ndarray
    notes: list[str] = field(default_factory=list)


class _Texts:
    """Distances and speeds in the display units, for notes."""

    def __init__(self, units: str):
        self.units = units

    def km(self, km: float) -> str:
        return f"{DISTANCE.from_metric(km, self.units):.1f} {DISTANCE.unit(self.units)}"

    def distance(self, km: float) -> str:
        """Kilometres (miles), or metres (feet) under 1 km."""
        return self.km(km) if km >= 1 else self.m(km * 1000)

    def m(self, metres: float) -> str:
        return f"{ELEVATION.from_metric(metres, self.units):.0f} {ELEVATION.unit(self.units)}"

    def kmh(self, kmh: float) -> str:
        return f"{SPEED.from_metric(kmh, self.units):.0f} {SPEED.unit(self.units)}"


@dataclass(frozen=True)
class _Cleaned:
    """The file's points after cleaning (elevation NaN where missing or none; seconds NaN where
    unknown or not evidence), the walked runs (point indexes, in order) and the notes so far."""

    lat: np.ndarray
    lon: np.ndarray
    elevation_m: np.ndarray
    seconds: np.ndarray
    runs: list[_Run]
    notes: list[str]


def _profile_from_points(points: _Points, name: str | None, units: str) -> TrailProfile:
    cleaned = _cleaned(points, units)
    lat, lon, elevation, runs, file_notes = cleaned.lat, cleaned.lon, cleaned.elevation_m, cleaned.runs, cleaned.notes
    pieces = [_piece_profile(run, lat, lon, elevation, points.source, file_notes)
              for run in runs]
    pieces = [piece for piece in pieces if piece is not None]
    if not pieces:
        raise _same_place()
    if len(pieces) == 1:
        only = pieces[0]
        own = "" if only.name.startswith(_FALLBACK_NAME) else only.name
        title = (name if name is not None else points.file_name or own) or "Unnamed trail"
        piece = replace(only, name=title)
        return replace(piece, pieces=(piece,))
    title = name if name is not None else f"All {len(pieces)} pieces, as separate legs"
    return _as_legs(pieces, title, tuple(file_notes))


def recorded_points(text_or_bytes: str | bytes, *, units: str = "metric") -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The points :func:`read_gpx` keeps, cleaned, with their times, for analysing a recording:
    a table with one row per kept point (``piece`` 0-based, ``point`` 1-based in file order, ``lat``,
    ``lon``, ``elevation_m`` (NaN: none), ``time`` (UTC, NaT: unknown or not evidence)) and the
    notes saying what was dropped or cut and why. Refuses what ``read_gpx`` refuses."""
    cleaned = _cleaned(_points(_checked_content(text_or_bytes, units)), units)
    rows = [(piece, int(i)) for piece, run in enumerate(cleaned.runs) for i in run.indexes]
    indexes = np.array([i for _, i in rows], dtype=int)
    table = pd.DataFrame({
        "piece": np.array([piece for piece, _ in rows], dtype=int), "point": indexes + 1,
        "lat": cleaned.lat[indexes], "lon": cleaned.lon[indexes], "elevation_m": cleaned.elevation_m[indexes],
        "time": pd.to_datetime(cleaned.seconds[indexes], unit="s", utc=True)})
    return table, tuple(cleaned.notes)


def _cleaned(points: _Points, units: str) -> _Cleaned:
    """Checks, stray points, times, joins, transport legs, jumps and short bits (see the module docstring)."""
    lat, lon, elevation, seconds = points.lat, points.lon, points.elevation_m.copy(), points.seconds.copy()
    n = len(lat)
    texts = _Texts(units)
    if n == 0:
        raise _refused(_GPX_ALLOWED, "this GPX file has no track, route or waypoint points: nothing to walk")
    if n == 1 or all(b - a < 2 for a, b in zip(points.starts[:-1], points.starts[1:])):
        raise _refused("a GPX file with at least two points", "this GPX file has a single point: no route to walk")
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    if bad.any():
        i = int(np.argmax(bad))
        raise _refused("points with latitude -90–90 and longitude -180–180",
                       f"point {i + 1} lies at latitude {lat[i]:g}, longitude {lon[i]:g}, which is not on Earth")
    low, high = evidence.DEFAULT_TRAIL_ELEVATION_RANGE_M
    implausible = np.isfinite(elevation) & ((elevation < low) | (elevation > high))
    if implausible.any():
        i = int(np.argmax(implausible))
        raise TrailFileError(f"elevations between {texts.m(low)} and {texts.m(high)}",
                             f"point {i + 1} lies at {texts.m(elevation[i])}, which is not on Earth's surface")
    file_notes: list[str] = []
    if points.source == "route":
        file_notes.append("Read from the file's planned route (no recorded track).")
    elif points.source == "waypoints":
        file_notes.append("Read from the file's waypoints in file order (no track or route): a rough outline.")
    finite = np.isfinite(elevation)
    if not finite.any() or not np.any(elevation[finite] != 0):
        what = "all its heights are 0" if finite.any() else "no heights"
        file_notes.append(f"This file has no elevation ({what}): the trail counts as flat, so time and load "
                          "are for flat ground only (flat-only load). If it climbs, set the hill grade by hand.")
        elevation[:] = np.nan
    if points.source != "track" and np.isfinite(seconds).any():
        # a planned route's or waypoints' times are when each point was made, not a recording
        seconds[:] = np.nan
    _ignore_impossible_times(seconds, file_notes)

    runs: list[_Run] = []
    outliers = 0
    for index, (start, end) in enumerate(zip(points.starts[:-1], points.starts[1:])):
        indexes = np.arange(start, end)
        if len(indexes) < 2:
            continue
        if points.source == "track":
            keep = _not_outliers(lat[indexes], lon[indexes], elevation[indexes], seconds[indexes])
            outliers += int((~keep).sum())
            indexes = indexes[keep]
        segment_name = points.segment_names[index] or f"{_FALLBACK_NAME}{index + 1}"
        one_unnamed = not points.segment_names[index] and len(points.starts) == 2
        _check_time_order(indexes, seconds, "this file" if one_unnamed else segment_name)
        runs.append(_Run(segment_name, indexes))
    if outliers:
        file_notes.append(f"{outliers} stray point(s) dropped: each lay far from two neighbours that were close "
                          "together (a GPS glitch).")
    runs = _joined(runs, lat, lon, texts)
    left_out: list[str] = []
    all_speeds = [_run_speeds(run, lat, lon, seconds) for run in runs]
    brisk_pace_kmh = _own_pace_kmh(all_speeds, evidence.DEFAULT_TRAIL_OWN_PACE_QUANTILE)
    runs = [part for run, speeds in zip(runs, all_speeds)
            for part in _split_at_transport_and_jumps(run, speeds, brisk_pace_kmh, lat, lon, elevation, seconds, texts,
                                                      left_out, file_notes)]
    lengths = [_length_m(run, lat, lon) for run in runs]
    if runs and not left_out and max(lengths) == 0:
        raise _same_place()
    runs, short = _without_short(runs, lengths)
    if short:
        bits = ", ".join(f"{run.name} {texts.distance(km)}" for run, km in short)
        left_out.append(f"{len(short)} bit(s) shorter than {texts.distance(evidence.DEFAULT_TRAIL_MIN_PIECE_M / 1000)} "
                        f"left out: too short to be a walk ({bits}).")
    if not runs:
        shortest = texts.distance(evidence.DEFAULT_TRAIL_MIN_PIECE_M / 1000)
        if len(short) == len(lengths) and short:  # nothing else left out: the file itself is short
            reason = (f"its route is only {texts.distance(sum(lengths) / 1000)} long, too short to plan a walk "
                      f"on (at least {shortest})")
            raise TrailFileError(f"a walk of at least {shortest}", reason)
        reason = " ".join(left_out) or "no stretch of points that moves along a route"
        raise TrailFileError("a walk of at least "
                             f"{texts.distance(evidence.DEFAULT_TRAIL_MIN_PIECE_M / 1000)} somewhere in the file",
                             f"nothing in this file looks like a walk: {reason}")
    pace_kmh = _own_pace_kmh([_run_speeds(run, lat, lon, seconds) for run in runs])
    if pace_kmh is not None and pace_kmh > evidence.DEFAULT_TRAIL_WALK_MAX_KMH:
        kind = "a run" if pace_kmh <= evidence.DEFAULT_TRAIL_RUN_MAX_KMH else "a ride"
        file_notes.append(f"Recorded at about {texts.kmh(pace_kmh)} — {kind}? The route is used; times are at the "
                          "client's pace.")
    file_notes += left_out
    return _Cleaned(lat, lon, elevation, seconds, runs, file_notes)


_FALLBACK_NAME = "Piece "


def _same_place() -> TrailFileError:
    return TrailFileError("points that move along a route",
                          "points that all lie at the same place: there is no route to walk")


def _ignore_impossible_times(seconds: np.ndarray, notes: list[str]) -> None:
    """Times before ``DEFAULT_TRAIL_EARLIEST_YEAR`` or in the future become unknown (said in ``notes``)."""
    earliest = pd.Timestamp(year=evidence.DEFAULT_TRAIL_EARLIEST_YEAR, month=1, day=1, tz="UTC").timestamp()
    latest = time.time() + 86_400  # a day's grace for time zones
    impossible = np.isfinite(seconds) & ((seconds < earliest) | (seconds > latest))
    if impossible.any():
        notes.append(f"{int(impossible.sum())} timestamp(s) before {evidence.DEFAULT_TRAIL_EARLIEST_YEAR} or in "
                     "the future ignored (the device's clock was not set): speeds are not checked there.")
        seconds[impossible] = np.nan


def _not_outliers(lat: np.ndarray, lon: np.ndarray, elevation: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """False at isolated spikes: a point far from both neighbours, which are close to each other
    (in position, or in elevation by more than ``DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M`` steeper than 100 %),
    unless its timestamps say it was walked to and from (both steps timed, neither faster than
    ``DEFAULT_TRAIL_VEHICLE_SPEED_KMH``)."""
    keep = np.ones(len(lat), dtype=bool)
    if len(lat) < 3:
        return keep
    steps = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    dt = np.diff(seconds)
    with np.errstate(divide="ignore", invalid="ignore"):
        walkable = (np.isfinite(dt) & (dt >= evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S)
                    & (steps / np.where(dt > 0, dt, 1.0) * 3.6 <= evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH))
    before, after = steps[:-1], steps[1:]
    across = haversine_m(lat[:-2], lon[:-2], lat[2:], lon[2:])
    far = np.minimum(before, after) > np.maximum(evidence.DEFAULT_TRAIL_OUTLIER_MIN_M,
                                                  evidence.DEFAULT_TRAIL_OUTLIER_RATIO * across)
    jump = evidence.DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M
    with np.errstate(invalid="ignore"):
        up = elevation[1:-1] - elevation[:-2]
        down = elevation[1:-1] - elevation[2:]
        spike = ((np.minimum(np.abs(up), np.abs(down)) > jump) & (np.sign(up) == np.sign(down))
                 & (np.abs(up) > before) & (np.abs(down) > after)
                 & (np.abs(elevation[:-2] - elevation[2:]) < jump / 2))
    keep[1:-1] = ~((far & ~(walkable[:-1] & walkable[1:])) | spike)
    # an end point far from a close-knit rest
    limit = evidence.DEFAULT_TRAIL_OUTLIER_MIN_M
    if steps[0] > max(limit, evidence.DEFAULT_TRAIL_OUTLIER_RATIO * steps[1]) and not walkable[0]:
        keep[0] = False
    if steps[-1] > max(limit, evidence.DEFAULT_TRAIL_OUTLIER_RATIO * steps[-2]) and not walkable[-1]:
        keep[-1] = False
    return keep


def _clock(seconds: float) -> str:
    return pd.Timestamp(seconds, unit="s", tz="UTC").strftime("%H:%M:%S")


def _check_time_order(indexes: np.ndarray, seconds: np.ndarray, name: str) -> None:
    """A single point whose time is out of line with its neighbours loses its time; time that still
    goes backwards refuses the file (its points are out of order)."""
    times = seconds[indexes]
    timed = np.flatnonzero(np.isfinite(times))
    if len(timed) < 2:
        return
    t = times[timed]
    if len(t) >= 3:
        odd = np.zeros(len(t), dtype=bool)
        around = t[:-2] < t[2:]
        odd[1:-1] = around & ((t[1:-1] < t[:-2]) | (t[1:-1] > t[2:]))
        seconds[indexes[timed[odd]]] = np.nan
        timed, t = timed[~odd], t[~odd]
    backwards = np.flatnonzero(np.diff(t) < 0)
    if len(backwards):
        i = int(backwards[0])
        raise TrailFileError(
            "points in the order they were recorded",
            f"in {name} the time goes backwards: point {int(indexes[timed[i + 1]]) + 1} is timed {_clock(t[i + 1])}, "
            f"earlier than point {int(indexes[timed[i]]) + 1} before it ({_clock(t[i])}), so the points are out of "
            "order and cannot be read as a walk",
            "Load another GPX file (the recording as the device or app exported it) or pick a sample.")


def _gap_m(lat: np.ndarray, lon: np.ndarray, a: int, b: int) -> float:
    return float(haversine_m(lat[a], lon[a], lat[b], lon[b]))


def _joined(runs: list[_Run], lat: np.ndarray, lon: np.ndarray, texts: _Texts) -> list[_Run]:
    """Consecutive runs whose end and next start are within ``DEFAULT_TRAIL_JOIN_M`` become one."""
    joined: list[_Run] = []
    for run in runs:
        if joined and _gap_m(lat, lon, joined[-1].indexes[-1], run.indexes[0]) <= evidence.DEFAULT_TRAIL_JOIN_M:
            last = joined[-1]
            name = last.name if run.name in last.name.split(" + ") else f"{last.name} + {run.name}"
            joined[-1] = _Run(name, np.concatenate((last.indexes, run.indexes)), last.notes)
        else:
            joined.append(run)
    return joined


def _windowed_speeds_kmh(idx: np.ndarray, steps_m: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Speed of each step, km/h, over the ``DEFAULT_TRAIL_SPEED_WINDOW_S`` of recording around it
    (path distance over time, so a pause counts by how long it lasts, not by how many points it
    has); NaN where the times say nothing (untimed points)."""
    speeds = np.full(len(steps_m), np.nan)
    t = seconds[idx]
    timed = np.flatnonzero(np.isfinite(t))
    if len(timed) < 2:
        return speeds
    tt = t[timed]
    cumulative = np.concatenate(([0.0], np.cumsum(steps_m)))[timed]
    middle = (tt[:-1] + tt[1:]) / 2
    half = evidence.DEFAULT_TRAIL_SPEED_WINDOW_S / 2
    k = np.arange(len(tt) - 1)
    lo = np.minimum(np.searchsorted(tt, middle - half, side="left"), k)
    hi = np.maximum(np.searchsorted(tt, middle + half, side="right") - 1, k + 1)
    span = tt[hi] - tt[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        timed_speeds = np.where(span >= evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S,
                                (cumulative[hi] - cumulative[lo]) / span * 3.6, np.nan)
    # each original step takes the speed of the timed step that spans it
    speeds[timed[0]:timed[-1]] = np.repeat(timed_speeds, np.diff(timed))
    return speeds


def _stopped_steps(idx: np.ndarray, lat: np.ndarray, lon: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Steps inside a stop: ``DEFAULT_TRAIL_STOP_S`` or more of recording that ends within
    ``DEFAULT_TRAIL_STOP_RADIUS_M`` of where it began, or a single step that long (a pause, or a
    device that stopped recording). Judged by time, however many points the stop has."""
    n = len(idx)
    stopped = np.zeros(n - 1, dtype=bool)
    t = seconds[idx]
    timed = np.flatnonzero(np.isfinite(t))
    if len(timed) < 2:
        return stopped
    tt = t[timed]
    later = np.searchsorted(tt, tt + evidence.DEFAULT_TRAIL_STOP_S, side="left")
    ok = later < len(tt)
    a, b = timed[ok], timed[later[ok]]
    still = haversine_m(lat[idx[a]], lon[idx[a]], lat[idx[b]], lon[idx[b]]) < evidence.DEFAULT_TRAIL_STOP_RADIUS_M
    marks = np.zeros(n, dtype=int)
    np.add.at(marks, a[still], 1)
    np.add.at(marks, b[still], -1)
    stopped |= np.cumsum(marks)[:-1] > 0
    long_steps = timed[:-1][np.diff(tt) >= evidence.DEFAULT_TRAIL_STOP_S]
    stopped[long_steps] = True  # a timed point and the next, that long apart (untimed ones between)
    return stopped


@dataclass(frozen=True)
class _Speeds:
    """Per run: each step's length, windowed speed (km/h, NaN untimed) and whether it is in a stop."""

    steps_m: np.ndarray
    speeds_kmh: np.ndarray
    stopped: np.ndarray
    dt_s: np.ndarray


def _run_speeds(run: _Run, lat: np.ndarray, lon: np.ndarray, seconds: np.ndarray) -> _Speeds:
    idx = run.indexes
    steps_m = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
    return _Speeds(steps_m, _windowed_speeds_kmh(idx, steps_m, seconds), _stopped_steps(idx, lat, lon, seconds),
                   np.diff(seconds[idx]))


def _own_pace_kmh(all_speeds: list[_Speeds], quantile: float = 0.5) -> float | None:
    """The file's own moving speed, km/h: the median (or ``quantile``) of the windowed speeds over
    the time spent moving (stops left out; each step weighs its time, at most one window), or None
    when untimed."""
    speeds = np.concatenate([s.speeds_kmh[~s.stopped] for s in all_speeds]) if all_speeds else np.array([])
    weights = np.concatenate([s.dt_s[~s.stopped] for s in all_speeds]) if all_speeds else np.array([])
    usable = np.isfinite(speeds) & np.isfinite(weights) & (weights > 0)
    if not usable.any():
        return None
    speeds = speeds[usable]
    weights = np.minimum(weights[usable], evidence.DEFAULT_TRAIL_SPEED_WINDOW_S)
    order = np.argsort(speeds)
    cumulative = np.cumsum(weights[order])
    return float(speeds[order][min(np.searchsorted(cumulative, cumulative[-1] * quantile), len(speeds) - 1)])


def _transport_steps(speeds: _Speeds, seconds_at: np.ndarray, own_pace_kmh: float) -> np.ndarray:
    """Steps of transport legs: (a) by contrast, stretches moving at least
    ``DEFAULT_TRAIL_TRANSPORT_CONTRAST`` x the file's own pace (and faster than
    ``DEFAULT_TRAIL_VEHICLE_SPEED_KMH``), a pause shorter than ``DEFAULT_TRAIL_STOP_S`` inside one
    bridged; (b) legs between stops averaging ``DEFAULT_TRAIL_TRANSPORT_KMH`` or more, a speed no one
    walks, runs or rides on a trail. Either over at least ``DEFAULT_TRAIL_VEHICLE_MIN_KM``."""
    threshold = max(evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH, evidence.DEFAULT_TRAIL_TRANSPORT_CONTRAST * own_pace_kmh)
    with np.errstate(invalid="ignore"):
        fast = speeds.speeds_kmh >= threshold
    runs = _true_runs(fast)
    for (_, end), (start, _) in zip(runs[:-1], runs[1:]):  # pauses by time, not by point count
        if np.isfinite(seconds_at[start]) and np.isfinite(seconds_at[end]) \
                and seconds_at[start] - seconds_at[end] < evidence.DEFAULT_TRAIL_STOP_S:
            fast[end:start] = True
    transport = np.zeros(len(fast), dtype=bool)
    minimum_m = evidence.DEFAULT_TRAIL_VEHICLE_MIN_KM * 1000
    timed = np.isfinite(speeds.dt_s) & (speeds.dt_s >= evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S)
    with np.errstate(divide="ignore", invalid="ignore"):
        slow_step = timed & (speeds.steps_m / np.where(timed, speeds.dt_s, 1.0) * 3.6 < threshold)
    for start, end in _true_runs(fast):
        # the window smears a leg's speed over the steps either side: its ends are where the steps are fast
        while start < end and slow_step[start]:
            start += 1
        while end > start and slow_step[end - 1]:
            end -= 1
        if speeds.steps_m[start:end].sum() >= minimum_m:
            transport[start:end] = True
    for start, end in _true_runs(~speeds.stopped):
        metres = float(speeds.steps_m[start:end][timed[start:end]].sum())
        hours = float(speeds.dt_s[start:end][timed[start:end]].sum()) / 3600
        if metres >= minimum_m and hours > 0 and metres / 1000 / hours >= evidence.DEFAULT_TRAIL_TRANSPORT_KMH:
            transport[start:end] = True
    return transport


def _split_at_transport_and_jumps(run: _Run, speeds: _Speeds, own_pace_kmh: float | None, lat: np.ndarray,
                                  lon: np.ndarray, elevation: np.ndarray, seconds: np.ndarray, texts: _Texts,
                                  left_out: list[str], time_notes: list[str]) -> list[_Run]:
    """Cut out transport legs (see :func:`_transport_steps`) and jumps (steps longer than
    ``DEFAULT_TRAIL_MAX_GAP_KM`` that the times do not show walked, or elevation steps over
    ``DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M`` steeper than 100 %): never walked, named in ``left_out``.
    Returns the walked parts."""
    idx = run.indexes
    steps_m, dt = speeds.steps_m, speeds.dt_s
    timed = np.isfinite(dt) & (dt >= evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S)
    # steps under a second apart that move further than walking could: their times are not evidence
    hasty = np.isfinite(dt) & ~timed & (steps_m > evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH / 3.6
                                         * evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S)
    if hasty.any():
        time_notes.append(f"{run.name}: {int(hasty.sum())} step(s) less than a second apart over up to "
                          f"{texts.distance(float(steps_m[hasty].max()) / 1000)}: those times ignored (no device "
                          "walks that fast), speeds not checked there.")
    cut = np.zeros(len(steps_m), dtype=bool)
    if own_pace_kmh is not None:
        cut = _transport_steps(speeds, seconds[idx], own_pace_kmh)
        for start, end in _true_runs(cut):
            metres = float(steps_m[start:end].sum())
            hours = float(np.nansum(np.where(timed[start:end], dt[start:end], 0.0))) / 3600
            at = f" at {texts.kmh(metres / 1000 / hours)}" if hours > 0 else ""
            left_out.append(f"{run.name}: {texts.distance(metres / 1000)}{at} left out: looks like a drive "
                            "(or a bus, ferry or lift), not walked.")
    with np.errstate(divide="ignore", invalid="ignore"):
        walked_to = timed & (steps_m / np.where(timed, dt, 1.0) * 3.6 <= evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH)
    jumps = np.flatnonzero(~cut & ~walked_to & (steps_m > evidence.DEFAULT_TRAIL_MAX_GAP_KM * 1000))
    for i in jumps:
        cut[i] = True
        left_out.append(f"{run.name}: a jump of {texts.distance(steps_m[i] / 1000)} between points {idx[i] + 1} and "
                        f"{idx[i + 1] + 1} left out (never walked: separate recordings or a lost signal).")
    with np.errstate(invalid="ignore"):
        rises = np.abs(np.diff(elevation[idx]))
        high = ~cut & (rises > evidence.DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M) & (rises > steps_m)
    for i in np.flatnonzero(high):
        cut[i] = True
        left_out.append(f"{run.name}: an elevation jump of {texts.m(rises[i])} between points {idx[i] + 1} and "
                        f"{idx[i + 1] + 1} left out (a GPS glitch: not walked).")
    if not cut.any():
        return [run]
    parts, start = [], 0
    for i in np.flatnonzero(cut):
        parts.append(idx[start:i + 1])
        start = i + 1
    parts.append(idx[start:])
    parts = [part for part in parts if len(part) >= 2]
    return [_Run(f"{run.name} ({k + 1} of {len(parts)})" if len(parts) > 1 else run.name, part, run.notes)
            for k, part in enumerate(parts)]


def _true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True values."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def _length_m(run: _Run, lat: np.ndarray, lon: np.ndarray) -> float:
    idx = run.indexes
    return float(haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]]).sum())


def _without_short(runs: list[_Run], lengths: list[float]) -> tuple[list[_Run], list[tuple[_Run, float]]]:
    """Runs of at least ``DEFAULT_TRAIL_MIN_PIECE_M`` (``lengths`` in m) and the short ones left out
    (with km); a file with none is refused (too short to plan a walk on)."""
    minimum = evidence.DEFAULT_TRAIL_MIN_PIECE_M
    long_enough = [run for run, metres in zip(runs, lengths) if metres >= minimum]
    short = [(run, metres / 1000) for run, metres in zip(runs, lengths) if run not in long_enough and metres > 0]
    return long_enough, short


def _piece_profile(run: _Run, lat: np.ndarray, lon: np.ndarray, elevation_all: np.ndarray, source: str,
                   file_notes: list[str]) -> TrailProfile | None:
    """One piece's profile (``None`` when its points do not move)."""
    idx = run.indexes
    steps_m = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
    cumulative_m = np.concatenate(([0.0], np.cumsum(steps_m)))
    total_m = float(cumulative_m[-1])
    if not total_m > 0:
        return None
    elevation = elevation_all[idx]
    notes = list(file_notes) + run.notes
    has_elevation_mask = np.isfinite(elevation)
    has_elevation = int(has_elevation_mask.sum()) >= 2
    keep = np.concatenate(([True], steps_m > 0))  # drop repeated positions
    max_m = min_m = None
    if has_elevation:
        missing = int((~has_elevation_mask).sum())
        if missing:
            elevation = np.interp(cumulative_m, cumulative_m[has_elevation_mask], elevation[has_elevation_mask])
            notes.append(f"{missing} point(s) had no elevation: filled in along the distance.")
        noise_sd_m = _noise_sd_m(cumulative_m[keep], elevation[keep])
        window_m = float(np.clip(evidence.DEFAULT_TRAIL_SMOOTHING_M_PER_NOISE_M2 * noise_sd_m ** 2,
                                 evidence.DEFAULT_TRAIL_SMOOTHING_MIN_M, evidence.DEFAULT_TRAIL_SMOOTHING_MAX_M))
        threshold_m = max(evidence.DEFAULT_TRAIL_HYSTERESIS_MIN_M,
                          evidence.DEFAULT_TRAIL_HYSTERESIS_NOISE_FACTOR * noise_sd_m)
        distance_m, elevation_m = _smooth_and_resample(cumulative_m[keep], elevation[keep], window_m)
        gain, loss = hysteresis_gain_loss_m(elevation_m, threshold_m)
        max_m, min_m = _held_extremes_m(elevation[keep], elevation_m)
    else:
        if not any("no elevation" in note for note in notes):
            notes.append("No elevation in this piece: the profile is flat, and time and load are for flat "
                         "ground only (flat-only load). If it climbs, set the hill grade by hand.")
        distance_m = _resample_positions(total_m)
        elevation_m = np.zeros_like(distance_m)
        gain = loss = 0.0
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
    return TrailProfile(
        name=run.name, source=source, point_count=len(idx), distance_km=total_m / 1000.0,
        gain_m=gain, loss_m=loss, max_elevation_m=max_m, min_elevation_m=min_m,
        distances_km=distances_km, elevations_m=elevation_m, grades_percent=grades, steep_share=steep_share,
        steep_grade_percent=steep, has_elevation=has_elevation, notes=tuple(notes),
        point_numbers=(int(idx[0]) + 1, int(idx[-1]) + 1))


def _noise_sd_m(distance_m: np.ndarray, elevation_m: np.ndarray) -> float:
    """Robust estimate of the elevation noise sd, m: how far each point lies off the chord between its
    neighbours (median absolute deviation, scaled for Gaussian noise at uneven spacing)."""
    if len(distance_m) < 3:
        return 0.0
    h1, h2 = np.diff(distance_m)[:-1], np.diff(distance_m)[1:]
    chord = (elevation_m[:-2] * h2 + elevation_m[2:] * h1) / (h1 + h2)
    scale = np.sqrt(1 + (h1 ** 2 + h2 ** 2) / (h1 + h2) ** 2)
    return float(1.4826 * np.median(np.abs((elevation_m[1:-1] - chord) / scale)))


def hysteresis_gain_loss_m(elevation_m: np.ndarray, threshold_m: float) -> tuple[float, float]:
    """Climb and descent, m, counting a swing only once it reaches ``threshold_m`` from the last
    turning point (as bike computers do); gain - loss is the end-to-end change."""
    values = np.asarray(elevation_m, dtype=float).tolist()
    gain = loss = 0.0
    last = candidate = values[0]
    direction = 0
    for x in values[1:]:
        if direction == 0:
            if x - last >= threshold_m:
                direction, candidate = 1, x
            elif last - x >= threshold_m:
                direction, candidate = -1, x
        elif direction == 1:
            if x > candidate:
                candidate = x
            elif candidate - x >= threshold_m:
                gain += candidate - last
                last, direction, candidate = candidate, -1, x
        else:
            if x < candidate:
                candidate = x
            elif x - candidate >= threshold_m:
                loss += last - candidate
                last, direction, candidate = candidate, 1, x
    end = values[-1]
    if direction == 1:
        gain += candidate - last
        loss += candidate - end
    elif direction == -1:
        loss += last - candidate
        gain += end - candidate
    else:
        gain += max(end - last, 0.0)
        loss += max(last - end, 0.0)
    return gain, loss


def _held_extremes_m(raw_m: np.ndarray, smoothed_m: np.ndarray) -> tuple[float, float]:
    """Highest and lowest elevation held over three consecutive points (a one-point spike is not a
    summit); the smoothed profile's when there are fewer points."""
    if len(raw_m) < 3:
        return float(smoothed_m.max()), float(smoothed_m.min())
    a, b, c = raw_m[:-2], raw_m[1:-1], raw_m[2:]
    return float(np.minimum(np.minimum(a, b), c).max()), float(np.maximum(np.maximum(a, b), c).min())


def _as_legs(pieces: list[TrailProfile], title: str, notes: tuple[str, ...]) -> TrailProfile:
    """All pieces one after another as separate legs: distances add up, each leg starts where the
    last ended (a zero-length step, never walked), gain and loss add up."""
    offsets_km = np.concatenate(([0.0], np.cumsum([piece.distance_km for piece in pieces])))
    distances = np.concatenate([piece.distances_km + offset for piece, offset in zip(pieces, offsets_km)])
    elevations = np.concatenate([piece.elevations_m for piece in pieces])
    grades = np.concatenate([np.concatenate((piece.grades_percent, [0.0])) for piece in pieces])[:-1]
    lengths = np.diff(distances)
    steep = evidence.DEFAULT_TRAIL_STEEP_GRADE_PERCENT
    total_km = float(offsets_km[-1])
    with_elevation = [piece for piece in pieces if piece.has_elevation]
    for array in (distances, elevations, grades):
        array.setflags(write=False)
    return TrailProfile(
        name=title, source=pieces[0].source, point_count=sum(piece.point_count for piece in pieces),
        distance_km=total_km, gain_m=sum(piece.gain_m for piece in pieces),
        loss_m=sum(piece.loss_m for piece in pieces),
        max_elevation_m=max(piece.max_elevation_m for piece in with_elevation) if with_elevation else None,
        min_elevation_m=min(piece.min_elevation_m for piece in with_elevation) if with_elevation else None,
        distances_km=distances, elevations_m=elevations, grades_percent=grades,
        steep_share=float(lengths[np.abs(grades) > steep].sum() / total_km), steep_grade_percent=steep,
        has_elevation=bool(with_elevation), notes=notes,
        point_numbers=(pieces[0].point_numbers[0], pieces[-1].point_numbers[1]),
        leg_starts_km=tuple(float(x) for x in offsets_km[:-1]), pieces=tuple(pieces))


def _resample_positions(total_m: float) -> np.ndarray:
    """Every ``DEFAULT_TRAIL_STEP_M`` from 0, then the end; the last segment is 0.5–1.5 steps long."""
    step = evidence.DEFAULT_TRAIL_STEP_M
    positions = np.arange(0.0, total_m, step)
    if len(positions) > 1 and total_m - positions[-1] < step / 2:
        positions = positions[:-1]
    return np.append(positions, total_m)


def _smooth_and_resample(distance_m: np.ndarray, elevation_m: np.ndarray,
                         window_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Window mean (``window_m`` wide) of the piecewise-linear profile every ``DEFAULT_TRAIL_STEP_M``."""
    total = float(distance_m[-1])
    positions = _resample_positions(total)
    half = window_m / 2
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


def _trail_needs(effort: TrailEffort) -> tuple[int, float]:
    """What a session must reach for the trail to replace it: the trail's moving time in whole
    minutes (sessions are whole minutes) and its load to 0.1 kJ (the sessions table's precision)."""
    return round(effort.moving_minutes), round(effort.load_kj, 1)


def ready_week(plan: Plan, effort: TrailEffort) -> int | None:
    """The first week (1-based) whose longest session is at least ``effort``'s moving time and whose
    largest session load is at least its load, or None: the one rule behind
    :func:`trail_readiness` and :func:`planner.compare`. Reads the plan's weeks directly (no
    tables), so it is cheap enough for every replan."""
    minutes, load_kj = _trail_needs(effort)
    for week in plan.weeks:
        if week.sessions and (max(session.minutes for session in week.sessions) >= minutes
                              and max(round(session.load_kj, 1) for session in week.sessions) >= load_kj):
            return week.index + 1
    return None


def _week_caps(plan: Plan, effort: TrailEffort) -> pd.DataFrame:
    """Per planned week: its longest session and largest session load, and whether the trail fits
    under each (the table behind :func:`ready_week`, for the readiness panel)."""
    sessions = plan.walking_sessions
    columns = ["week", "longest_minutes", "largest_load_kj", "fits_minutes", "fits_load", "fits"]
    if sessions.empty:
        return pd.DataFrame({column: [] for column in columns})
    caps = sessions.groupby("week", sort=True).agg(longest_minutes=("total_minutes", "max"),
                                                    largest_load_kj=("load_kj", "max")).reset_index()
    minutes, load_kj = _trail_needs(effort)
    caps["fits_minutes"] = minutes <= caps["longest_minutes"]
    caps["fits_load"] = load_kj <= caps["largest_load_kj"]
    caps["fits"] = caps["fits_minutes"] & caps["fits_load"]
    return caps[columns]


def _minutes_text(minutes: float) -> str:
    hours, rest = divmod(int(round(minutes)), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _shortest_ready_plan(make_plan: Callable[[ClientProfile], Plan], profile: ClientProfile, effort: TrailEffort,
                         longest_weeks: int, shortest_weeks: int) -> tuple[int, int] | None:
    """(plan length in weeks, ready week) of the shortest plan, made by ``make_plan``, in which the
    trail is ready; None when even ``longest_weeks`` is not. Every length named is checked: a plan
    of that length, made (and adapted) the same way, is ready in the week given."""

    def ready_in(weeks: int) -> int | None:
        return ready_week(make_plan(replace(profile, goal=replace(profile.goal, weeks=weeks))), effort)

    if ready_in(longest_weeks) is None:
        return None
    low, high = max(shortest_weeks, WEEKS_RANGE[0]), longest_weeks  # high is ready; find the first ready length
    if low > high:
        return None
    results: dict[int, int | None] = {}
    while low < high:  # bisection (plans grow steadily with their length), then checked one by one below
        middle = (low + high) // 2
        results[middle] = ready_in(middle)
        if results[middle] is not None:
            high = middle
        else:
            low = middle + 1
    week = results.get(high) if high in results else ready_in(high)
    while week is None and high < longest_weeks:  # never name a length that is not ready
        high += 1
        week = ready_in(high)
    return (high, week) if week is not None else None


def trail_readiness(plan: Plan, effort: TrailEffort, units: str = "metric", *,
                    make_plan: Callable[[ClientProfile], Plan] | None = None) -> TrailReadiness:
    """First week in which ``effort``'s trail could replace the week's biggest session without
    raising load: moving time <= that week's longest session and load <= its largest session load.
    ``units`` ("metric" or "imperial") only changes how distances and masses read in the texts.

    ``plan`` is the plan the coach sees (adapted to the diary, if any); ``make_plan`` makes that kind
    of plan from a profile (default :func:`planner.plan.plan`; the dashboard passes plan-then-adapt
    with the client's diary), so that a suggested plan length is one that, made and adapted the same
    way, is actually ready (issue 20: a diary hold made "19 weeks" not ready at 19).

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
    ready = ready_week(plan, effort)
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
    if ready is not None:
        message = (f"Ready for {what} in week {ready}: it fits under that week's longest session and "
                   "its largest session load, so it can replace that session.")
        return TrailReadiness(ready, message, (), caps, share, moving, load)
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
        if make_plan is None:
            from planner.plan import plan as make_plan  # local: plan.py does not import trail.py

        target = max(profile.goal.target_session_minutes, min(round(moving), evidence.HIKE_MAX_MINUTES))
        change = (f"a target session of {target} min (now {profile.goal.target_session_minutes}; S1 allows "
                  f"up to {evidence.HIKE_MAX_MINUTES} min)" if target > profile.goal.target_session_minutes else "")
        found = _shortest_ready_plan(make_plan, replace(profile, goal=replace(profile.goal,
                                                                              target_session_minutes=target)),
                                     effort, longest_weeks=WEEKS_RANGE[1], shortest_weeks=last_week + 1)
        if found is not None and change:
            weeks, week = found
            suggestions.append(f"Longer sessions and more weeks: with {change}, a plan of {weeks} weeks makes "
                               f"you ready in week {week}.")
        elif found is not None:
            weeks, week = found
            suggestions.append(f"More weeks: a plan of {weeks} weeks makes you ready in week {week}.")
        else:
            suggestions.append(f"More weeks: even a {WEEKS_RANGE[1]}-week plan"
                               f"{' with ' + change if change else ''} does not reach it.")
    if effort.pack_mass_kg > 0:
        pack = f"{MASS.to_display(effort.pack_mass_kg, units):g} {MASS.unit(units)}"
        light = effort.trail.analyse(effort.body_mass_kg, effort.flat_speed_kmh, 0.0, effort.surface,
                                     effort.snow_depth_cm)
        light_week = ready_week(plan, light)
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
