"""Recorded walks: FIT (watches), TCX and GPX (phones, Strava, Garmin Connect) read into :class:`Activity`.

Each file gives one activity, or several (a multisport FIT file: one per session). An activity says
the sport as the file records it, the device, when it started, its elapsed and moving minutes,
distance and climb, and its points (seconds, distance, elevation) for the load along the way
(:func:`planner.diary_import.import_recordings`). Whether it is a walk or a hike comes from the
file's own sport when it has one, else from its speed (``walk_verdict``). A file that cannot be
used raises :class:`RecordingFileError`, whose ``str()`` is a plain sentence for the coach.

Totals follow the file's own summary where it has one (a FIT session, TCX laps), so the diary says
what the watch said; points fill in where it has none (GPX).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import struct
import warnings
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from dataclasses import dataclass, field

import numpy as np

from planner import evidence
from planner.profile import PlannerInputError, _number, text_field

FIELD = "recording"
FORMATS = ("FIT", "TCX", "GPX")
ADVICE = "Export the walk again from the watch or app (as FIT, TCX or GPX), or log it by hand."

#: Sports (as files name them, lower case) that are a walk or a hike.
WALK_SPORTS = frozenset({"walking", "walk", "hiking", "hike", "mountaineering", "snowshoeing", "trekking",
                         "backpacking", "nordic_walking"})
#: Sports that are something else; any other named sport (e.g. "generic", TCX's "Other") is judged by speed.
OTHER_SPORTS = frozenset({"running", "run", "cycling", "biking", "ride", "e_biking", "swimming", "transition",
                          "fitness_equipment", "rowing", "driving", "motorcycling", "training", "skiing",
                          "cross_country_skiing", "alpine_skiing", "inline_skating", "ice_skating", "paddling",
                          "kayaking", "sailing", "flying", "boating", "multisport", "tennis", "soccer",
                          "trail_running", "virtual_run", "virtual_ride", "golf"})
#: Sub-sports that mean indoors (no ground covered outside): flagged even when the sport is walking.
INDOOR_SUB_SPORTS = frozenset({"treadmill", "indoor_walking", "indoor_running", "indoor_cycling", "virtual_activity",
                               "indoor_rowing", "lap_swimming", "spin", "elliptical", "stair_climbing",
                               "indoor_skiing", "track_me"})
#: Strava's numeric GPX ``<type>`` codes for the activities it writes most.
STRAVA_GPX_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking"}


class RecordingFileError(PlannerInputError):
    """A recording the planner cannot use: ``reason`` in plain words; ``str()`` adds what to do."""

    def __init__(self, file_name: str, reason: str, advice: str = ADVICE):
        super().__init__(FIELD, "a recorded walk (FIT, TCX or GPX)", reason)
        self.file_name = file_name
        self.reason = reason
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason}. {self.advice}"


@dataclass(frozen=True)
class WalkVerdict:
    """Whether an activity is a walk or hike, and why (plain words)."""

    is_walk: bool
    reason: str


@dataclass(frozen=True, eq=False)
class Activity:
    """One recorded activity. ``seconds`` (from the start), ``distance_m`` (cumulative) and
    ``elevation_m`` (NaN where missing) are per point, in time order; ``moving`` marks the steps
    (between point i and i+1) spent moving."""

    file_name: str
    checksum: str  # sha256 of the whole file, hex
    index: int  # which activity of the file, from 0
    file_format: str  # FIT / TCX / GPX
    sport: str  # as the file records it ("" when it has none)
    sub_sport: str
    device: str  # "" when unknown
    start: dt.datetime  # UTC
    elapsed_minutes: float
    moving_minutes: float
    distance_km: float
    climb_m: float
    has_positions: bool
    seconds: np.ndarray = field(repr=False)
    distance_m: np.ndarray = field(repr=False)
    elevation_m: np.ndarray = field(repr=False)
    moving: np.ndarray = field(repr=False)
    utc_offset_s: float = 0.0  # the recording's own offset from UTC (0 where the file does not say it)

    @property
    def date(self) -> dt.date:
        """The walker's day: the start in the recording's own local time where the file says it (a
        FIT activity's local timestamp; a GPX or TCX time written with its offset, "+02:00"), else
        the UTC day (a time written "Z", as most apps write them)."""
        return (self.start + dt.timedelta(seconds=self.utc_offset_s)).date()

    @property
    def median_moving_kmh(self) -> float:
        """Median speed over the moving steps, km/h (NaN without any)."""
        steps_s = np.diff(self.seconds)
        steps_m = np.diff(self.distance_m)
        ok = self.moving & (steps_s > 0)
        if not ok.any():
            return math.nan
        speeds = steps_m[ok] / steps_s[ok] * 3.6
        weights = steps_s[ok]
        order = np.argsort(speeds)
        cumulative = np.cumsum(weights[order])
        return float(speeds[order][np.searchsorted(cumulative, cumulative[-1] / 2)])

    @property
    def fast_km(self) -> float:
        """Distance covered in steps faster than ``DEFAULT_TRAIL_VEHICLE_SPEED_KMH`` (at least
        ``DEFAULT_TRAIL_MIN_TIME_STEP_S`` apart), km: riding or driving, not walking."""
        steps_s = np.diff(self.seconds)
        steps_m = np.diff(self.distance_m)
        timed = steps_s >= evidence.DEFAULT_TRAIL_MIN_TIME_STEP_S
        with np.errstate(divide="ignore", invalid="ignore"):
            fast = timed & (steps_m / np.where(timed, steps_s, 1.0) * 3.6 > evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH)
        return float(steps_m[fast].sum()) / 1000

    @property
    def label(self) -> str:
        """``file name`` (and ``#n`` for the n-th activity of a multi-activity file)."""
        return self.file_name if self.index == 0 else f"{self.file_name} #{self.index + 1}"


def checksum(data: bytes) -> str:
    """SHA-256 of a file's bytes, hex: the same file imported twice has the same checksum."""
    return hashlib.sha256(data).hexdigest()


def read_recording(name: str, data: bytes | bytearray | memoryview) -> list[Activity]:
    """The activities in one uploaded file (its name decides nothing: the content does).

    Raises :class:`RecordingFileError` (a plain sentence) for an empty, corrupt or cut-short file, a
    file that is not a recorded activity (settings, a planned course, a route without times) and an
    activity without a date."""
    return read_checked(name, data, None)


def read_checked(name: str, data: bytes | bytearray | memoryview, digest: str | None) -> list[Activity]:
    """:func:`read_recording`, given the file's checksum when the caller has it already (the import
    has: it skips a file already in the diary without reading it), so the bytes are hashed once."""
    if not isinstance(name, str):
        raise PlannerInputError("file name", "text", type(name).__name__)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise PlannerInputError(FIELD, "the file's bytes", type(data).__name__)
    raw = bytes(data)
    if not raw.strip():
        raise RecordingFileError(name, "the file is empty")
    if len(raw) > evidence.DEFAULT_RECORDING_MAX_FILE_BYTES:
        raise RecordingFileError(name, f"the file is {len(raw) / 1e6:.0f} MB, more than the "
                                 f"{evidence.DEFAULT_RECORDING_MAX_FILE_BYTES / 1e6:.0f} MB a recorded walk needs")
    digest = digest or checksum(raw)
    kind = _format_of(raw)
    if kind == "FIT":
        activities = _read_fit(name, raw, digest)
    elif kind == "TCX":
        activities = _read_tcx(name, raw, digest)
    elif kind == "GPX":
        activities = _read_gpx(name, raw, digest)
    else:
        raise RecordingFileError(name, "this is not a FIT, TCX or GPX recording")
    if not activities:
        raise RecordingFileError(name, "the file holds no recorded activity")
    return activities


def _format_of(raw: bytes) -> str:
    if len(raw) >= 12 and raw[8:12] == b".FIT":
        return "FIT"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    head_text = head.decode("latin-1")
    if "<trainingcenterdatabase" in head_text:
        return "TCX"
    if re.search(r"<(\w+:)?gpx[\s>]", head_text):
        return "GPX"
    if head_text.startswith("<?xml") or head_text.startswith("<"):
        if "trainingcenterdatabase" in raw[:200_000].decode("latin-1").lower():
            return "TCX"
    return ""


# --- Shared arithmetic --------------------------------------------------------------------------

def _haversine_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance between consecutive points, m (NaN where either point has no position)."""
    phi = np.radians(lat)
    a = (np.sin(np.diff(phi) / 2) ** 2
         + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(np.radians(np.diff(lon)) / 2) ** 2)
    return 2 * evidence.EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _cumulative_from_positions(lat: np.ndarray, lon: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """Cumulative 2-D distance along the points, m; steps without positions (or across ``breaks``,
    a mask of steps between separate segments) add nothing."""
    if len(lat) < 2:
        return np.zeros(len(lat))
    steps = _haversine_m(lat, lon)
    steps = np.where(np.isfinite(steps), steps, 0.0)
    if breaks is not None:
        steps = np.where(breaks, 0.0, steps)
    return np.concatenate(([0.0], np.cumsum(steps)))


def _climb_m(elevation_m: np.ndarray) -> float:
    """Total ascent counted in rises of at least ``DEFAULT_TRAIL_HYSTERESIS_MIN_M`` from the last
    counted level: smaller wiggles (GPS and barometer noise) do not add up."""
    values = elevation_m[np.isfinite(elevation_m)].tolist()
    if len(values) < 2:
        return 0.0
    threshold = evidence.DEFAULT_TRAIL_HYSTERESIS_MIN_M
    gain, level = 0.0, values[0]
    for value in values:
        if value - level >= threshold:
            gain += value - level
            level = value
        elif level - value >= threshold:
            level = value
    return gain


def _moving_steps(seconds: np.ndarray, distance_m: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """Steps spent moving: at least ``DEFAULT_RECORDING_MOVING_MIN_KMH`` and not between segments."""
    steps_s = np.diff(seconds)
    steps_m = np.diff(distance_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        kmh = np.where(steps_s > 0, steps_m / np.where(steps_s > 0, steps_s, 1.0) * 3.6, 0.0)
    moving = (steps_s > 0) & (kmh >= evidence.DEFAULT_RECORDING_MOVING_MIN_KMH)
    if breaks is not None:
        moving &= ~breaks
    return moving


def _activity(name: str, digest: str, index: int, file_format: str, sport: str, sub_sport: str, device: str,
              start: dt.datetime | None, seconds: np.ndarray, distance_m: np.ndarray, elevation_m: np.ndarray,
              has_positions: bool, *, elapsed_s: float | None = None, moving_s: float | None = None,
              total_m: float | None = None, climb_m: float | None = None,
              breaks: np.ndarray | None = None, utc_offset_s: float = 0.0) -> Activity:
    """An :class:`Activity` from per-point arrays (``seconds`` absolute, since 1970), the file's own
    totals where it has them, and the points' otherwise."""
    if start is None and len(seconds):
        start = dt.datetime.fromtimestamp(float(seconds[0]), dt.timezone.utc)
    if start is None or start.year < evidence.DEFAULT_TRAIL_EARLIEST_YEAR:
        raise RecordingFileError(name, "the recording has no date (the device's clock was not set), so it "
                                 "cannot go on a day of the diary")
    relative = seconds - start.timestamp() if len(seconds) else seconds
    moving = _moving_steps(relative, distance_m, breaks)
    if elapsed_s is None:
        elapsed_s = float(relative[-1] - relative[0]) if len(relative) >= 2 else 0.0
    if moving_s is None:
        moving_s = float(np.diff(relative)[moving].sum()) if len(relative) >= 2 else 0.0
    if total_m is None:
        total_m = float(distance_m[-1] - distance_m[0]) if len(distance_m) else 0.0
    if climb_m is None:
        climb_m = _climb_m(elevation_m)
    return Activity(name, digest, index, file_format, sport, sub_sport, device, start, elapsed_s / 60,
                    min(moving_s, elapsed_s) / 60 if elapsed_s else moving_s / 60, total_m / 1000, climb_m,
                    has_positions, relative, distance_m, elevation_m, moving, utc_offset_s)


def walk_verdict(activity: Activity) -> WalkVerdict:
    """Walk or hike, or not: the file's sport where it names one, else the speed (median moving
    speed at most ``DEFAULT_RECORDING_WALK_MAX_KMH``); indoor recordings are not walks outside."""
    sport = activity.sport.strip().lower()
    sub_sport = activity.sub_sport.strip().lower()
    speed = activity.median_moving_kmh
    fast = math.isfinite(speed) and speed > evidence.DEFAULT_RECORDING_WALK_MAX_KMH
    speed_text = f"{speed:.1f} km/h" if math.isfinite(speed) else "no speed"
    if sub_sport in INDOOR_SUB_SPORTS or (not activity.has_positions and activity.distance_km < 0.01):
        what = sub_sport.replace("_", " ") if sub_sport in INDOOR_SUB_SPORTS else "no ground covered"
        return WalkVerdict(False, f"recorded indoors ({what}): not a walk outside")
    fast_km = activity.fast_km
    if sport in WALK_SPORTS:
        if fast_km >= evidence.DEFAULT_TRAIL_VEHICLE_MIN_KM:
            return WalkVerdict(False, f"recorded as {sport}, but {fast_km:.1f} km of it faster than "
                               f"{evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH:g} km/h: a ride or drive")
        return WalkVerdict(True, f"recorded as {sport}")
    if sport in OTHER_SPORTS:
        return WalkVerdict(False, f"recorded as {sport.replace('_', ' ')}, not a walk or hike")
    said = f"recorded as {sport}; " if sport else ""
    if fast:
        return WalkVerdict(False, f"{said}median moving speed {speed_text}, faster than walking "
                           f"(over {evidence.DEFAULT_RECORDING_WALK_MAX_KMH:g} km/h)")
    if not math.isfinite(speed):
        return WalkVerdict(False, f"{said}no movement recorded")
    if fast_km >= evidence.DEFAULT_TRAIL_VEHICLE_MIN_KM:
        return WalkVerdict(False, f"{said}{fast_km:.1f} km of it faster than "
                           f"{evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH:g} km/h: a ride or drive")
    return WalkVerdict(True, f"{said}median moving speed {speed_text}, a walking pace")


# --- FIT ----------------------------------------------------------------------------------------

_SEMICIRCLE_DEGREES = 180.0 / 2 ** 31
_FIT_EPOCH_S = 631065600  # 1989-12-31 00:00 UTC, the FIT epoch, in Unix seconds


def _fit_text(value: object) -> str:
    if value is None:
        return ""
    return str(value) if not isinstance(value, int) else f"type {value}"


def _fit_seconds(value: object) -> float:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp()
    if isinstance(value, (int, float)):
        return float(value) + _FIT_EPOCH_S if value >= 0x10000000 else math.nan
    return math.nan


def _fit_offset_s(timestamp: object, local_timestamp: object) -> float:
    """The walker's offset from UTC, s (whole minutes), from a FIT activity message's timestamp and
    local timestamp; 0 when either is missing or the difference is beyond 14 h."""
    utc_s, local_s = _fit_seconds(timestamp), _fit_seconds(local_timestamp)
    if not (math.isfinite(utc_s) and math.isfinite(local_s)) or abs(local_s - utc_s) > 14 * 3600:
        return 0.0
    return round((local_s - utc_s) / 60) * 60.0


@dataclass
class _FitData:
    """What the diary needs from a FIT file: its type, device, sports, sessions (fitdecode's field
    names and units) and the records' columns (Unix seconds, degrees, m; NaN where missing)."""

    file_type: str = ""
    device: str = ""
    sports: list[tuple[str, str]] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    seconds: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lon: np.ndarray = field(default_factory=lambda: np.zeros(0))
    distance_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    altitude_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    utc_offset_s: float = 0.0  # the activity message's local timestamp less its timestamp (0 without one)


def _device(maker: object, product: object) -> str:
    parts = [_fit_text(maker), "" if product is None else str(product)]
    return " ".join(part for part in parts if part).replace("_", " ")


def _read_fit(name: str, raw: bytes, digest: str) -> list[Activity]:
    """FIT: the quick reader (:func:`_fit_quick`) for plain activity files, else fitdecode (CRC not
    checked: many phone apps write none). A file that stops making sense before its end is refused
    whole: what was read may be a part of the walk."""
    data = _fit_quick(raw)
    if data is None:
        data = _fit_fitdecode(name, raw)
    return _fit_activities(name, digest, data)


def _fit_fitdecode(name: str, raw: bytes) -> _FitData:
    """Every FIT file, by fitdecode: the reference, and the reader for what :func:`_fit_quick` leaves."""
    import fitdecode  # a FIT parser; imported here so the planner starts without it

    data = _FitData()
    columns: dict[str, list] = {"t": [], "lat": [], "lon": [], "dist": [], "alt": []}
    t_append, lat_append, lon_append = columns["t"].append, columns["lat"].append, columns["lon"].append
    dist_append, alt_append = columns["dist"].append, columns["alt"].append
    try:
        with fitdecode.FitReader(io.BytesIO(raw), check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.WARN) as reader, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # odd field sizes (e.g. COROS) are read as raw bytes and skipped
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                message = frame.name
                if message == "record":
                    values = {f.name: f.value for f in frame.fields}
                    t_append(_fit_seconds(values.get("timestamp")))
                    lat_append(values.get("position_lat"))
                    lon_append(values.get("position_long"))
                    dist_append(values.get("distance"))
                    altitude = values.get("enhanced_altitude")
                    alt_append(values.get("altitude") if altitude is None else altitude)
                elif message == "session":
                    data.sessions.append({f.name: f.value for f in frame.fields})
                elif message == "file_id" and not data.file_type:
                    values = {f.name: f.value for f in frame.fields}
                    data.file_type = _fit_text(values.get("type"))
                    product = next((values[key] for key in ("garmin_product", "favero_product", "product")
                                    if values.get(key) is not None), None)
                    data.device = _device(values.get("manufacturer"), product)
                elif message == "activity" and not data.utc_offset_s:
                    values = {f.name: f.value for f in frame.fields}
                    data.utc_offset_s = _fit_offset_s(values.get("timestamp"), values.get("local_timestamp"))
                elif message == "sport":
                    values = {f.name: f.value for f in frame.fields}
                    data.sports.append((_fit_text(values.get("sport")), _fit_text(values.get("sub_sport"))))
    except fitdecode.FitHeaderError:
        if not columns["t"] and not data.sessions:
            raise RecordingFileError(name, "this is not a FIT file the planner can read (its header is "
                                     "damaged)") from None
        raise RecordingFileError(name, "the FIT file is damaged part-way (a second part of it does not read)") \
            from None
    except fitdecode.FitEOFError:
        raise RecordingFileError(name, "the FIT file is cut short (it ends in the middle of the recording): "
                                 "nothing was imported from it") from None
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError, OverflowError, struct.error):
        raise RecordingFileError(name, "the FIT file is damaged (part of it does not read as a recording): "
                                 "nothing was imported from it") from None

    def column(values: list, scale: float = 1.0) -> np.ndarray:
        return np.array([math.nan if v is None or isinstance(v, (str, bytes, tuple)) else float(v) * scale
                         for v in values], dtype=float)

    data.seconds = np.array(columns["t"], dtype=float)
    data.lat = column(columns["lat"], _SEMICIRCLE_DEGREES)
    data.lon = column(columns["lon"], _SEMICIRCLE_DEGREES)
    data.distance_m = column(columns["dist"])
    data.altitude_m = column(columns["alt"])
    return data


# The quick reader: plain FIT activity files (most watches), about 30x faster than fitdecode, which
# reads everything else. Field numbers and scales from the FIT profile (fitdecode.profile).
_FIT_FIELDS = {  # message number: {field number: size in bytes}
    20: {253: 4, 0: 4, 1: 4, 5: 4, 2: 2, 78: 4},  # record: timestamp, lat, long, distance, altitude, enhanced
    18: {2: 4, 5: 1, 6: 1, 7: 4, 8: 4, 9: 4, 22: 2},  # session: start, sport, sub-sport, elapsed, timer, km, ascent
    0: {0: 1, 1: 2, 2: 2},  # file_id: type, manufacturer, product
    12: {0: 1, 1: 1},  # sport: sport, sub-sport
    34: {253: 4, 5: 4},  # activity: timestamp, local timestamp
}
_FIT_INVALID = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFFFFFF}
_GARMIN_PRODUCT_MAKERS = frozenset({1, 13, 15, 89})  # garmin, dynastream_oem, dynastream, tacx (FIT profile)
_FAVERO = 263
_COMPRESSED_SPEED_DISTANCE = 8  # a record field fitdecode expands into distance: left to fitdecode


def _fit_quick(raw: bytes) -> _FitData | None:
    """Read a plain FIT activity file quickly, or None for anything unusual (damaged or cut short,
    compressed timestamps, relative times, odd field sizes): fitdecode reads those."""
    try:
        return _fit_quick_unchecked(raw)
    except (IndexError, KeyError, ValueError, struct.error):
        return None


def _fit_quick_unchecked(raw: bytes) -> _FitData | None:
    import fitdecode.profile  # the FIT profile's names (sports, makers, products)

    size = len(raw)
    pos = 0
    definitions: list[tuple[int, bool, int, dict[int, tuple[int, int]]]] = []
    positions: list[list[int]] = []
    while pos < size:
        header_size = raw[pos]
        if header_size not in (12, 14) or raw[pos + 8:pos + 12] != b".FIT":
            return None
        end = pos + header_size + int.from_bytes(raw[pos + 4:pos + 8], "little")
        if end + 2 > size:
            return None
        pos += header_size
        local: dict[int, int] = {}
        while pos < end:
            header = raw[pos]
            if header & 0x80:
                return None
            if header & 0x40:
                little = raw[pos + 2] == 0
                number = int.from_bytes(raw[pos + 3:pos + 5], "little" if little else "big")
                fields: dict[int, tuple[int, int]] = {}
                offset, cursor = 0, pos + 6
                for _ in range(raw[pos + 5]):
                    fields[raw[cursor]] = (offset, raw[cursor + 1])
                    offset += raw[cursor + 1]
                    cursor += 3
                if header & 0x20:
                    count = raw[cursor]
                    cursor += 1
                    for _ in range(count):
                        offset += raw[cursor + 1]
                        cursor += 3
                local[header & 0x0F] = len(definitions)
                definitions.append((number, little, offset, fields))
                positions.append([])
                pos = cursor
            else:
                index = local[header & 0x0F]
                positions[index].append(pos + 1)
                pos += 1 + definitions[index][2]
        if pos != end:
            return None
        pos = end + 2
    buffer = np.frombuffer(raw, dtype=np.uint8)
    data = _FitData()
    names = fitdecode.profile.FIELD_TYPES

    def enum(kind: str, value: int | None) -> object:
        return None if value is None else names[kind].enum.get(value, value)

    record_parts: list[tuple[np.ndarray, dict[int, np.ndarray]]] = []
    small: dict[int, list[tuple[int, dict[int, int | None]]]] = {0: [], 18: [], 12: [], 34: []}
    for (number, little, _, fields), starts in zip(definitions, positions):
        wanted = _FIT_FIELDS.get(number)
        if wanted is None or not starts:
            continue
        if number == 20 and _COMPRESSED_SPEED_DISTANCE in fields:
            return None
        usable = {num: offset for num, (offset, width) in fields.items() if wanted.get(num) == width}
        if any(num in wanted and num not in usable for num in fields):
            return None  # a field we need with an unexpected size
        if number == 20:
            at = np.asarray(starts, dtype=np.int64)
            columns = {}
            for num, offset in usable.items():
                width = wanted[num]
                kind = ("<" if little else ">") + ("i" if num in (0, 1) else "u") + str(width)
                chunk = buffer[(at + offset)[:, None] + np.arange(width)]
                columns[num] = np.ascontiguousarray(chunk).view(kind).ravel()
            record_parts.append((at, columns))
        else:
            order = "little" if little else "big"
            for start in starts:
                values: dict[int, int | None] = {}
                for num, offset in usable.items():
                    value = int.from_bytes(raw[start + offset:start + offset + wanted[num]], order)
                    values[num] = None if value == _FIT_INVALID[wanted[num]] else value
                small[number].append((start, values))
    for _, values in sorted(small[0])[:1]:
        data.file_type = _fit_text(enum("file", values.get(0)))
        maker, product = values.get(1), values.get(2)
        if product is not None and maker in _GARMIN_PRODUCT_MAKERS:
            product = enum("garmin_product", product)
        elif product is not None and maker == _FAVERO:
            product = enum("favero_product", product)
        data.device = _device(enum("manufacturer", maker), product)
    data.sports = [(_fit_text(enum("sport", v.get(0))), _fit_text(enum("sub_sport", v.get(1))))
                   for _, v in sorted(small[12])]
    for _, v in sorted(small[34])[:1]:
        data.utc_offset_s = _fit_offset_s(v.get(253), v.get(5))
    for _, v in sorted(small[18]):
        if v.get(2) is not None and v[2] < 0x10000000:
            return None  # a time relative to the device's power-on: fitdecode says what it can
        data.sessions.append({
            "start_time": v.get(2), "sport": enum("sport", v.get(5)), "sub_sport": enum("sub_sport", v.get(6)),
            "total_elapsed_time": None if v.get(7) is None else v[7] / 1000,
            "total_timer_time": None if v.get(8) is None else v[8] / 1000,
            "total_distance": None if v.get(9) is None else v[9] / 100, "total_ascent": v.get(22)})
    if not record_parts:
        return data
    at = np.concatenate([part[0] for part in record_parts])
    order = np.argsort(at, kind="stable")

    def column(num: int, invalid: int, scale: float = 1.0, offset: float = 0.0) -> np.ndarray:
        pieces = []
        for starts, columns in record_parts:
            values = columns.get(num)
            if values is None:
                pieces.append(np.full(len(starts), math.nan))
            else:
                pieces.append(np.where(values == invalid, math.nan, values.astype(float) * scale - offset))
        return np.concatenate(pieces)[order]

    timestamps = column(253, 0xFFFFFFFF)
    if np.any(np.isfinite(timestamps) & (timestamps < 0x10000000)):
        return None
    data.seconds = timestamps + _FIT_EPOCH_S
    data.lat = column(0, 0x7FFFFFFF, _SEMICIRCLE_DEGREES)
    data.lon = column(1, 0x7FFFFFFF, _SEMICIRCLE_DEGREES)
    data.distance_m = column(5, 0xFFFFFFFF, 0.01)
    enhanced = column(78, 0xFFFFFFFF, 0.2, 500.0)
    data.altitude_m = np.where(np.isfinite(enhanced), enhanced, column(2, 0xFFFF, 0.2, 500.0))
    return data


def _fit_activities(name: str, digest: str, data: _FitData) -> list[Activity]:
    """Activities from a FIT file's sessions (or its records, when it has no session)."""
    file_type, device, sports, sessions = data.file_type, data.device, data.sports, data.sessions
    if file_type and file_type != "activity":
        what = {"settings": "a settings file", "monitoring_b": "a daily monitoring file (steps through the day)",
                "monitoring_a": "a daily monitoring file", "monitoring_daily": "a daily monitoring file",
                "course": "a planned course", "workout": "a planned workout", "device": "a device file",
                "sport": "a sport settings file", "totals": "a totals file", "goals": "a goals file",
                "schedules": "a schedule"}.get(file_type, f"a FIT file of type {file_type}")
        raise RecordingFileError(name, f"this is {what}, not a recorded activity")
    n = len(data.seconds)
    seconds, lat, lon, elevation = data.seconds, data.lat, data.lon, data.altitude_m
    recorded_m = data.distance_m
    has_positions = bool(np.isfinite(lat).any())
    if np.isfinite(recorded_m).any():
        distance_m = _filled_forward(recorded_m)
    else:
        distance_m = _cumulative_from_positions(lat, lon)
    if not sessions:
        if n < 2:
            raise RecordingFileError(name, "the FIT file holds no recorded activity")
        sport, sub_sport = sports[0] if sports else ("", "")
        keep = np.isfinite(seconds)
        return [_activity(name, digest, 0, "FIT", sport, sub_sport, device, None, seconds[keep], distance_m[keep],
                          elevation[keep], has_positions, utc_offset_s=data.utc_offset_s)]
    activities = []
    for session in sessions:
        start_s = _fit_seconds(session.get("start_time"))
        if not math.isfinite(start_s):
            raise RecordingFileError(name, "the recording has no date (the device's clock was not set), so it "
                                     "cannot go on a day of the diary")
        start = dt.datetime.fromtimestamp(start_s, dt.timezone.utc)
        elapsed = _float_or_none(session.get("total_elapsed_time"))
        timer = _float_or_none(session.get("total_timer_time"))
        end_s = start_s + (elapsed if elapsed is not None else math.inf)
        inside = (seconds >= start_s) & (seconds <= end_s)
        points_m = distance_m[inside] - (distance_m[inside][0] if inside.any() else 0.0)
        total = _float_or_none(session.get("total_distance"))
        ascent = _float_or_none(session.get("total_ascent"))
        activities.append(_activity(
            name, digest, len(activities), "FIT", _fit_text(session.get("sport")),
            _fit_text(session.get("sub_sport")), device, start, seconds[inside], points_m, elevation[inside],
            bool(np.isfinite(lat[inside]).any()), elapsed_s=elapsed, moving_s=timer, total_m=total, climb_m=ascent,
            utc_offset_s=data.utc_offset_s))
    return activities


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def _filled_forward(values: np.ndarray) -> np.ndarray:
    """NaNs replaced by the last value before them (0 at the start); never decreasing."""
    filled = values.copy()
    valid = np.isfinite(filled)
    index = np.where(valid, np.arange(len(filled)), 0)
    np.maximum.accumulate(index, out=index)
    filled = np.where(valid[index], filled[index], 0.0)
    return np.maximum.accumulate(filled) if len(filled) else filled


# --- The quick XML reader (TCX and GPX) ---------------------------------------------------------
# Most recordings are plain machine-written XML, every point the same few elements; building an
# ElementTree of them (an object per element, seven per TCX point) was most of an import's time.
# The quick reader cuts each block of points (a TCX <Track>, a GPX <trkseg>) out with one strict
# pattern that must take every point of the block whole, reads the points' numbers and times as
# columns, and leaves the rest of the file (activities, laps, creator, tracks) to ElementTree with a
# numbered placeholder where each block was. The blocks are well-formed when every byte in them but
# whitespace is a point's own (its tags and values: counted); when the points hold more (heart
# rate, extensions), expat checks the whole file instead (no objects made). A file with a comment,
# CDATA or a DTD, or a block holding any point the pattern does not take whole, is read entirely by
# ElementTree: the result is the same either way (the tests compare both readers on every real file).

_NUMBER = rb"[-+.\deE]+"  # a number: numpy's float() then refuses anything else in these characters
_TIME = rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?)(Z|[+-]\d\d:\d\d)?"
_BLOCK = "trailback-block"  # the placeholder's attribute: the block's number


def _rest_of_point(point_tag: bytes, read_tags: bytes) -> bytes:
    """A pattern for the rest of a point (heart rate, extensions...): any markup but the point's own
    tag and the tags read, so each of those is read from its one place."""
    return rb"[^<]*(?:<(?!/?(?:" + point_tag + rb"|" + read_tags + rb")[\s/>])[^<]*)*"


_GPX_POINT = re.compile(
    rb'<trkpt\s+(lat|lon)\s*=\s*"(' + _NUMBER + rb')"\s+(?!\1)(?:lat|lon)\s*=\s*"(' + _NUMBER + rb')"\s*>'
    # (double quotes only: the count of a point's bytes cannot tell "1' from "1")
    rb"\s*(?:<ele>(" + _NUMBER + rb")</ele>\s*)?(?:<time>" + _TIME + rb"</time>)?"
    rb"(" + _rest_of_point(rb"trkpt", rb"ele|time") + rb")</trkpt>")
# A GPX point's tags, bytes other than whitespace: always (less its first attribute's name, a column),
# and with an elevation, a time.
_GPX_TAG_BYTES = (len(b'<trkpt=""lon="">' b"</trkpt>"), (3, len(b"<ele></ele>")), (4, len(b"<time></time>")))
_TCX_POINT = re.compile(
    rb"<Trackpoint>\s*<Time>" + _TIME + rb"</Time>\s*"
    rb"(?:<Position>\s*<LatitudeDegrees>(" + _NUMBER + rb")</LatitudeDegrees>\s*<LongitudeDegrees>(" + _NUMBER
    + rb")</LongitudeDegrees>\s*</Position>\s*)?(?:<AltitudeMeters>(" + _NUMBER + rb")</AltitudeMeters>\s*)?"
    rb"(?:<DistanceMeters>(" + _NUMBER + rb")</DistanceMeters>)?"
    rb"(" + _rest_of_point(rb"Trackpoint", rb"Track|Time|Position|LatitudeDegrees|LongitudeDegrees|AltitudeMeters|"
                           rb"DistanceMeters") + rb")</Trackpoint>")
_TCX_TAG_BYTES = (len(b"<Trackpoint><Time></Time></Trackpoint>"),
                  (2, len(b"<Position><LatitudeDegrees></LatitudeDegrees><LongitudeDegrees></LongitudeDegrees>"
                          b"</Position>")),
                  (4, len(b"<AltitudeMeters></AltitudeMeters>")), (5, len(b"<DistanceMeters></DistanceMeters>")))
_XML_SPACE = b" \t\r\n"


def _well_formed(raw: bytes) -> bool:
    """Whether ``raw`` is well-formed XML (namespaces bound)."""
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(raw, True)
    except expat.ExpatError:
        return False
    return True


def _cut_blocks(raw: bytes, tag: bytes, point: re.Pattern,
                point_tag: bytes) -> tuple[bytes, list[list[tuple]], int] | None:
    """``raw`` with each ``<tag>...</tag>`` block replaced by ``<tag trailback-block="n"/>``, the
    fields (``point``'s groups) of each block's points and how many bytes of the blocks are not
    whitespace; None when a block holds a point ``point`` does not take whole, nothing was cut, or
    the file has a comment, CDATA or a DTD (whose text could hold a tag). Blocks written another way
    (``<tag >``) stay in place."""
    if b"<!" in raw:
        return None
    opening, closing, point_opening = b"<" + tag + b">", b"</" + tag + b">", b"<" + point_tag
    pieces: list[bytes] = []
    blocks: list[list[tuple]] = []
    solid_bytes = 0
    position = 0
    while (start := raw.find(opening, position)) >= 0:
        inner = start + len(opening)
        end = raw.find(closing, inner)
        if end < 0 or raw.find(opening, inner, end) >= 0:
            return None
        found = point.findall(raw, inner, end)
        if len(found) != raw.count(point_opening, inner, end):
            return None
        pieces += [raw[position:start], b'<%s %s="%d"/>' % (tag, _BLOCK.encode(), len(blocks))]
        blocks.append(found)
        solid_bytes += len(raw[inner:end].translate(None, _XML_SPACE))
        position = end + len(closing)
    if not blocks:
        return None
    pieces.append(raw[position:])
    return b"".join(pieces), blocks, solid_bytes


def _blocks_well_formed(raw: bytes, points: np.ndarray, solid_bytes: int, tag_bytes: tuple) -> bool:
    """Whether the cut blocks are well-formed: every byte in them but whitespace (``solid_bytes``) is
    a point's tags (``tag_bytes``: always, then ``(column, bytes)`` for an element there where that
    column is read) or values (``points``, the last column the rest of each point); or, where the
    points hold more than is read or the count differs, expat finds the whole file well-formed."""
    if not len(points[:, -1].tobytes().translate(None, _XML_SPACE + b"\0")):  # nothing else in any point
        lengths = np.char.str_len(points[:, :-1])
        counted = len(points) * tag_bytes[0] + int(lengths.sum())
        counted += sum(int(np.count_nonzero(lengths[:, column])) * size for column, size in tag_bytes[1:])
        if counted == solid_bytes:
            return True
    return _well_formed(raw)


def _quick_numbers(texts: np.ndarray) -> np.ndarray | None:
    """Floats of ``_NUMBER`` texts (a bytes array), NaN where empty; None where one is not a number."""
    try:
        return np.where(texts == b"", b"nan", texts).astype(float)
    except ValueError:
        return None


def _quick_seconds(stamps: np.ndarray, zones: np.ndarray) -> np.ndarray | None:
    """Unix seconds of ``_TIME`` matches (bytes arrays: date and time; zone "Z", "+hh:mm" or empty
    for UTC), NaN where empty; None for a date that does not exist or a zone beyond 14 h."""
    missing = stamps == b""
    try:
        micro = np.where(missing, b"NaT", stamps).astype("datetime64[us]").astype(np.int64)
    except ValueError:
        return None
    seconds = micro / 1e6
    seconds[missing] = math.nan
    for zone in set(np.unique(zones).tolist()) - {b"", b"Z"}:
        offset_s = (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60) * (-1 if zone[:1] == b"-" else 1)
        if abs(offset_s) > 14 * 3600:
            return None
        seconds[zones == zone] -= offset_s
    return seconds


def _columns(blocks: list[list[tuple]], groups: int) -> tuple[np.ndarray, list[slice]]:
    """All blocks' points as one bytes array (a row per point, a column per group), and each block's
    slice of its rows."""
    points: list[tuple] = []
    slices = []
    for found in blocks:
        slices.append(slice(len(points), len(points) + len(found)))
        points += found
    return (np.array(points, dtype=bytes) if points else np.zeros((0, groups), dtype=bytes)), slices


# --- TCX ----------------------------------------------------------------------------------------

def _parse_xml(name: str, raw: bytes, what: str) -> ET.Element:
    try:
        return ET.fromstring(raw)
    except ET.ParseError as error:
        line = getattr(error, "position", (0, 0))[0]
        where = f" at line {line}" if line else ""
        raise RecordingFileError(name, f"the {what} file is broken or cut short{where} (its XML does not read): "
                                 "nothing was imported from it") from None


def _iso_seconds(texts: list[str | None]) -> np.ndarray:
    """Unix seconds of ISO 8601 times (NaN where missing or unreadable)."""
    if texts and all(text and text.endswith("Z") for text in texts):
        try:  # the usual case, all in UTC: numpy reads them at once
            stamps = np.array([text[:-1] for text in texts], dtype="datetime64[ms]")
            return stamps.astype(np.int64) / 1000.0
        except ValueError:
            pass
    out = np.full(len(texts), math.nan)
    for i, text in enumerate(texts):
        if not text:
            continue
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        out[i] = moment.timestamp()
    return out


def _quick_tcx(raw: bytes) -> tuple[ET.Element, list[tuple[np.ndarray, ...]]] | None:
    """The quick reader's TCX: the file's skeleton (each ``<Track>`` a placeholder) and each track's
    columns (seconds, latitude, longitude, altitude, distance); None: read it all with ElementTree."""
    cut = _cut_blocks(raw, b"Track", _TCX_POINT, b"Trackpoint")
    if cut is None:
        return None
    skeleton, blocks, solid_bytes = cut
    points, slices = _columns(blocks, 7)  # time, zone, latitude, longitude, altitude, distance, the rest
    if not _blocks_well_formed(raw, points, solid_bytes, _TCX_TAG_BYTES):
        return None
    seconds = _quick_seconds(points[:, 0], points[:, 1])
    numbers = _quick_numbers(points[:, 2:6])
    if seconds is None or numbers is None:
        return None
    columns = (seconds, *numbers.T)
    try:
        root = ET.fromstring(skeleton)
    except ET.ParseError:
        return None
    return root, [tuple(column[part] for column in columns) for part in slices]


def _tcx_track_columns(track: ET.Element, ns: str) -> tuple[np.ndarray, ...]:
    """One ``<Track>``'s columns (seconds, latitude, longitude, altitude, distance) by ElementTree."""
    time_tag, position_tag = f"{ns}Time", f"{ns}Position"
    wanted = (time_tag, f"{ns}LatitudeDegrees", f"{ns}LongitudeDegrees", f"{ns}AltitudeMeters",
              f"{ns}DistanceMeters")
    count = len(track.findall(f"{ns}Trackpoint"))
    columns = [[element.text for element in track.iter(tag)] for tag in wanted]
    if not all(len(column) == count for column in columns):  # not every point has every field: one by one
        columns = [[] for _ in wanted]
        for point in track.iterfind(f"{ns}Trackpoint"):
            values = dict.fromkeys(wanted)
            for child in point:
                if child.tag == position_tag:
                    for part in child:
                        values[part.tag] = part.text
                else:
                    values[child.tag] = child.text
            for column, tag in zip(columns, wanted):
                column.append(values[tag])
    return (_iso_seconds(columns[0]), *(_numbers(column) for column in columns[1:]))


def _read_tcx(name: str, raw: bytes, digest: str) -> list[Activity]:
    """TCX: one activity per ``<Activity>``; a ``<Course>`` is a plan, refused. Elements are found in
    the root's namespace, whatever it is (or none). The points come from the quick reader where it
    takes them (:func:`_quick_tcx`), else from ElementTree."""
    quick = _quick_tcx(raw)
    root, quick_tracks = quick if quick is not None else (_parse_xml(name, raw, "TCX"), None)
    ns = root.tag[:root.tag.index("}") + 1] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    activity_elements = root.findall(f"{ns}Activities/{ns}Activity")
    if not activity_elements:
        if root.find(f".//{ns}Course") is not None:
            raise RecordingFileError(name, "this is a planned course (a route to follow), not a recorded walk")
        raise RecordingFileError(name, "the TCX file holds no recorded activity")
    offset_s = _utc_offset_s(raw, _TCX_FIRST_TIME)
    activities = []
    for element in activity_elements:
        sport = element.get("Sport", "")
        device = (element.findtext(f"{ns}Creator/{ns}Name") or "").strip()
        tracks: list[tuple[np.ndarray, ...]] = []
        lap_m = lap_s = 0.0
        lap_m_known = lap_s_known = False
        try:
            for lap in element.iterfind(f"{ns}Lap"):
                text = lap.findtext(f"{ns}DistanceMeters")
                if text and text.strip():  # the lap's own total
                    lap_m += float(text)
                    lap_m_known = True
                text = lap.findtext(f"{ns}TotalTimeSeconds")
                if text and text.strip():
                    lap_s += float(text)
                    lap_s_known = True
                for track in lap.iterfind(f"{ns}Track"):
                    block = track.get(_BLOCK) if quick_tracks is not None else None
                    tracks.append(quick_tracks[int(block)] if block is not None else _tcx_track_columns(track, ns))
        except ValueError:
            raise RecordingFileError(name, "the TCX file has a lap whose time or distance is not a number") from None
        tracks = [columns for columns in tracks if len(columns[0])]
        seconds, lat, lon, altitude, recorded = (np.concatenate([columns[i] for columns in tracks]) if tracks
                                                 else np.zeros(0) for i in range(5))
        track_starts = np.zeros(len(seconds), dtype=bool)  # a new track: no distance or time across the gap
        track_starts[np.cumsum([len(columns[0]) for columns in tracks])[:-1].astype(int)] = True
        keep = np.isfinite(seconds)
        if keep.sum() < 2:
            raise RecordingFileError(name, "the TCX activity has no recorded points with times")
        lat, lon, recorded = lat[keep], lon[keep], recorded[keep]
        step_breaks = track_starts[keep][1:]
        distance_m = (_filled_forward(recorded) if np.isfinite(recorded).any()
                      else _cumulative_from_positions(lat, lon, step_breaks))
        activities.append(_activity(
            name, digest, len(activities), "TCX", sport, "", device, None, seconds[keep], distance_m,
            altitude[keep], bool(np.isfinite(lat).any()), moving_s=lap_s if lap_s_known else None,
            total_m=lap_m if lap_m_known else None, breaks=step_breaks, utc_offset_s=offset_s))
    return activities


def _numbers(texts: list[str | None]) -> np.ndarray:
    """Floats of number texts, NaN where missing or not a number."""
    try:
        return np.array([math.nan if not text else float(text) for text in texts], dtype=float)
    except ValueError:
        out = np.full(len(texts), math.nan)
        for i, text in enumerate(texts):
            try:
                out[i] = float(text) if text else math.nan
            except ValueError:
                pass
        return out


# --- GPX ----------------------------------------------------------------------------------------

def _quick_gpx(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[int, ...], str] | None:
    """The quick reader's GPX tracks, as :func:`gpx_points` gives them; None when the file has no
    track segment of two points or more, or anything the quick reader leaves to the trail reader."""
    cut = _cut_blocks(raw, b"trkseg", _GPX_POINT, b"trkpt")
    if cut is None:
        return None
    skeleton, blocks, solid_bytes = cut
    points, slices = _columns(blocks, 7)  # "lat" or "lon", its value, the other, elevation, time, zone, the rest
    if not _blocks_well_formed(raw, points, solid_bytes, _GPX_TAG_BYTES):
        return None
    try:
        root = ET.fromstring(skeleton)
    except ET.ParseError:
        return None
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    if root.tag[len(ns):] != "gpx":
        return None
    used = []  # as the trail reader: the segments of two points or more, in the file's order
    for track in root.findall(ns + "trk"):
        for segment in track.findall(ns + "trkseg"):
            block = segment.get(_BLOCK)
            if block is None:
                if segment.find(ns + "trkpt") is not None:
                    return None
            elif len(blocks[int(block)]) >= 2:
                used.append(slices[int(block)])
    if not used:
        return None
    if len(used) < len(slices):
        points = np.concatenate([points[part] for part in used])
    starts = (0, *np.cumsum([part.stop - part.start for part in used]).tolist())
    seconds = _quick_seconds(points[:, 4], points[:, 5])
    numbers = _quick_numbers(points[:, 1:4])
    if seconds is None or numbers is None:
        return None
    lat_first = points[:, 0] == b"lat"
    lat = np.where(lat_first, numbers[:, 0], numbers[:, 1])
    lon = np.where(lat_first, numbers[:, 1], numbers[:, 0])
    elevation = numbers[:, 2]
    # the trail reader refuses a point without a finite position and an elevation given but not finite
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()) or np.isinf(elevation).any():
        return None
    return lat, lon, elevation, seconds, starts, "track"


def gpx_points(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[int, ...], str]:
    """Points of a GPX file: lat, lon, elevation (NaN where missing), Unix seconds (NaN where
    missing), where each segment starts (ending with the count), and "track" / "route" / "waypoints".

    Plain tracks come from the quick reader (:func:`_quick_gpx`); the rest from the trail reader
    (``planner.trail``), the one place the recordings call it: re-point it here if that reader
    moves. Raises ``PlannerInputError`` for a file it cannot read."""
    quick = _quick_gpx(raw)
    if quick is not None:
        return quick
    from planner.trail import _points

    points = _points(raw)
    return points.lat, points.lon, points.elevation_m, points.seconds, points.starts, points.source


_GPX_FIRST_TIME = re.compile(rb"<(?:\w+:)?trkpt[\s>].*?<(?:\w+:)?time>\s*([^<]{0,64}?)\s*</", re.S)
_TCX_FIRST_TIME = re.compile(rb"<(?:\w+:)?Trackpoint[\s>].*?<(?:\w+:)?Time>\s*([^<]{0,64}?)\s*</", re.S)


def _utc_offset_s(raw: bytes, first_time: re.Pattern) -> float:
    """The recording's own offset from UTC, s: that of its first point's time where it is written
    with one ("2025-03-04T00:20:00+01:00"), else 0 (a time in UTC, "Z", or without a zone)."""
    match = first_time.search(raw)
    if match is None:
        return 0.0
    try:
        offset = dt.datetime.fromisoformat(match.group(1).decode("ascii").replace("Z", "+00:00")).utcoffset()
    except (UnicodeDecodeError, ValueError):
        return 0.0
    return offset.total_seconds() if offset is not None and abs(offset) <= dt.timedelta(hours=14) else 0.0


_CREATOR = re.compile(rb"""<(?:\w+:)?gpx\b[^>]*?\bcreator\s*=\s*["']([^"']*)["']""", re.S)
_TYPE = re.compile(rb"<(?:\w+:)?type>\s*([^<]{1,40}?)\s*</(?:\w+:)?type>")


def _read_gpx(name: str, raw: bytes, digest: str) -> list[Activity]:
    """GPX: all the tracks' points as one activity (segments are pauses: no time counts between them)."""
    try:
        lat, lon, elevation, seconds, starts, source = gpx_points(raw)
    except PlannerInputError as error:
        if "XML" in str(error):
            raise RecordingFileError(name, "the GPX file is broken or cut short (its XML does not read): nothing "
                                     "was imported from it") from None
        raise RecordingFileError(name, "the GPX file does not read as a recording") from None
    if source != "track" or len(lat) < 2:
        raise RecordingFileError(name, "the GPX file holds no recorded track (only a planned route or waypoints)")
    timed = np.isfinite(seconds)
    if timed.sum() < 2:
        raise RecordingFileError(name, "the GPX track has no times: it looks like a planned route, not a recorded "
                                 "walk, so its minutes are unknown")
    creator_match = _CREATOR.search(raw[:4096])
    creator = creator_match.group(1).decode("utf-8", "replace").strip() if creator_match else ""
    type_match = _TYPE.search(raw)
    sport = type_match.group(1).decode("utf-8", "replace").strip() if type_match else ""
    if sport.isdigit() and "strava" in creator.lower():
        sport = STRAVA_GPX_TYPES.get(sport, f"Strava type {sport}")
    segment_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    keep = timed & np.isfinite(lat) & np.isfinite(lon)
    order = np.argsort(seconds[keep], kind="stable")
    lat, lon, elevation = lat[keep][order], lon[keep][order], elevation[keep][order]
    seconds, segment_of = seconds[keep][order], segment_of[keep][order]
    breaks = np.diff(segment_of) != 0
    distance_m = _cumulative_from_positions(lat, lon, breaks)
    device = re.sub(r"\s+-\s+https?://\S*$", "", creator)
    # One activity per day (the walker's): a file of several days' walks fills several days of the diary.
    offset_s = _utc_offset_s(raw, _GPX_FIRST_TIME)
    days = ((seconds + offset_s) // 86400).astype(np.int64)
    cuts = np.flatnonzero(np.diff(days)) + 1
    activities = []
    for first, last in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(seconds)]))):
        if last - first < 2:
            continue
        part = slice(first, last)
        distance_part = distance_m[part] - distance_m[first]
        activities.append(_activity(name, digest, len(activities), "GPX", sport, "", device, None, seconds[part],
                                    distance_part, elevation[part], True, breaks=breaks[first:last - 1],
                                    utc_offset_s=offset_s))
    return activities


@dataclass(frozen=True)
class RecordingSource:
    """Where a diary entry's walk came from: the file, the device, the file's checksum, which of
    its activities, and what it recorded (moving minutes, distance, climb) with the load along it."""

    file_name: str
    checksum: str
    activity_index: int = 0
    file_format: str = ""
    device: str = ""
    sport: str = ""
    start: str = ""  # ISO 8601, UTC
    moving_minutes: float = 0.0
    distance_km: float = 0.0
    climb_m: float = 0.0
    load_kj: float = 0.0

    def __post_init__(self) -> None:
        text_field("file_name", self.file_name, 255)
        if not (isinstance(self.checksum, str) and re.fullmatch(r"[0-9a-f]{64}", self.checksum)):
            raise PlannerInputError("checksum", "a SHA-256 checksum (64 hex digits)", self.checksum)
        if isinstance(self.activity_index, bool) or not isinstance(self.activity_index, int) \
                or not 0 <= self.activity_index < 10_000:
            raise PlannerInputError("activity_index", "a whole number from 0", self.activity_index)
        for name in ("file_format", "device", "sport", "start"):
            text_field(name, getattr(self, name), 255)
        for name, top in (("moving_minutes", 24 * 60), ("distance_km", 10_000), ("climb_m", 100_000),
                          ("load_kj", 1_000_000)):
            object.__setattr__(self, name, _number(name, getattr(self, name), 0, top))

    @property
    def key(self) -> tuple[str, int]:
        """What makes a recording the same one: the file's checksum and the activity in it."""
        return self.checksum, self.activity_index

    def to_dict(self) -> dict:
        """A JSON-safe dict."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> RecordingSource:
        """Rebuild from :meth:`to_dict` output, validating every field."""
        if not isinstance(data, dict):
            raise PlannerInputError("recording", "a JSON object", type(data).__name__)
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise PlannerInputError("recording", "fields " + ", ".join(cls.__dataclass_fields__), sorted(unknown)[0])
        for required in ("file_name", "checksum"):
            if required not in data:
                raise PlannerInputError(required, "present in every recording", None)
        return cls(**data)


__all__ = ["Activity", "FORMATS", "RecordingFileError", "RecordingSource", "WalkVerdict", "checksum", "read_recording",
           "walk_verdict"]
