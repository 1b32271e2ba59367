"""Input dataclasses (``Pain``, ``Fitness``, ``Terrain``, ``Goal``, ``ClientProfile``).

Each validates itself on construction and raises :class:`PlannerInputError` naming the field, the
allowed values and the value received. They are frozen; ``to_dict``/``from_dict`` give a JSON-safe
round trip.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import reprlib
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from planner import evidence
from planner.safety import LEG_SYMPTOMS as SAFETY_LEG_SYMPTOMS
from planner.safety import LEGACY_RED_FLAG_KEYS, RED_FLAGS_BY_KEY

PAIN_LOCATIONS = ("lower", "upper")
LEG_SYMPTOMS = SAFETY_LEG_SYMPTOMS  # one vocabulary: planner.safety.LEG_SYMPTOM_WORDS
CONDITIONS = ("none", "disc_herniation", "spinal_stenosis")
GOAL_KINDS = ("walking", "hiking")
SURFACES = tuple(evidence.TERRAIN_FACTORS)

# Plausibility limits for validation only (not planning rules).
MAX_WEEKLY_WALKING_MINUTES = 7 * 24 * 60
MAX_LONGEST_WALK_MINUTES = 24 * 60
BODY_MASS_KG_RANGE = (25.0, 300.0)
SPEED_KMH_RANGE = (1.0, 8.0)
GRADE_PERCENT_RANGE = (0.0, 40.0)
PACK_MASS_KG_RANGE = (0.0, 40.0)
SNOW_DEPTH_CM_RANGE = (0.0, 100.0)
WEEKS_RANGE = (1, 52)
SESSION_MINUTES_RANGE = (5, evidence.HIKE_MAX_MINUTES)
PROGRESSION_CAP_PERCENT_RANGE = (1.0, 50.0)
ACWR_CEILING_RANGE = (1.0, 2.0)
START_DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2999, 12, 31))
MAX_NAME_CHARACTERS = 200  # a client's name, on every database backend
MAX_NOTE_CHARACTERS = 2000  # a diary entry's note
MAX_SHOWN_CHARACTERS = 80  # of a received value quoted in an error message


class _ShortRepr(reprlib.Repr):
    """A short repr of any value, even a huge int or a deeply nested list."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother = 3, MAX_SHOWN_CHARACTERS, MAX_SHOWN_CHARACTERS

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 64:  # str() of a huge int is slow, and refused past 4,300 digits
            return f"<a number of about {int(x.bit_length() * math.log10(2)) + 1} digits>"
        return repr(x)


def _shown(value: Any) -> str:
    """``value`` as quoted in an error message: short, and never an error itself."""
    try:
        text = _ShortRepr().repr(value)
    except Exception:  # a value whose own __repr__ fails
        return f"<a {type(value).__name__}>"
    return text if len(text) <= 2 * MAX_SHOWN_CHARACTERS else text[:2 * MAX_SHOWN_CHARACTERS] + "…"


class PlannerInputError(ValueError):
    """Bad input: carries the field name, what is allowed and the value received."""

    def __init__(self, field_name: str, allowed: str, received: Any):
        self.field = field_name
        self.allowed = allowed
        self.received = received
        super().__init__(f"{field_name} must be {allowed}, got {self.received_text}")

    @property
    def received_text(self) -> str:
        """The value received, quoted safely (short, whatever it is: a huge int, a surrogate, ...)."""
        return _shown(self.received)


def parse_json(text: str | bytes, what: str) -> Any:
    """JSON text (or UTF-8 bytes) parsed; anything unreadable is a :class:`PlannerInputError` about ``what``."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise PlannerInputError(what, "JSON text", type(text).__name__)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PlannerInputError(what, "JSON text", f"not JSON ({error.msg}, line {error.lineno})") from None
    except UnicodeDecodeError:
        raise PlannerInputError(what, "JSON text in UTF-8", "bytes that are not UTF-8") from None
    except ValueError as error:  # e.g. a number of more than 4,300 digits
        raise PlannerInputError(what, "JSON text", f"not JSON that can be read ({str(error)[:80]})") from None
    except RecursionError:
        raise PlannerInputError(what, "JSON text", "nesting too deep to read") from None


def _number(name: str, value: Any, low: float, high: float, unit: str = "") -> float:
    allowed = f"{_fmt(low)}–{_fmt(high)}{(' ' + unit) if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlannerInputError(name, f"a number {allowed}", value)
    # An int is compared exactly (a huge one has no float); a float must be finite.
    if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
        raise PlannerInputError(name, allowed, value)
    return float(value)


def _integer(name: str, value: Any, low: int, high: int, unit: str = "") -> int:
    allowed = f"a whole number {low}–{high}{(' ' + unit) if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlannerInputError(name, allowed, value)
    if isinstance(value, float) and not value.is_integer():
        raise PlannerInputError(name, allowed, value)
    if not low <= value <= high:
        raise PlannerInputError(name, allowed, value)
    return int(value)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise PlannerInputError(name, "one of " + ", ".join(choices), value)
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise PlannerInputError(name, "true or false", value)
    return value


def red_flag_keys(name: str, value: Any) -> frozenset[str]:
    """A validated frozenset of red-flag keys (see :data:`planner.safety.RED_FLAGS`)."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise PlannerInputError(name, "a collection of red-flag keys", value)
    try:
        flags = frozenset(value)
    except TypeError:
        raise PlannerInputError(name, "a collection of red-flag keys", value) from None
    unknown = sorted(_shown(key) if not isinstance(key, str) else key
                     for key in flags if key not in RED_FLAGS_BY_KEY)
    if unknown:
        raise PlannerInputError(name, "keys from " + ", ".join(RED_FLAGS_BY_KEY), unknown)
    return flags


def text_field(name: str, value: Any, max_characters: int, multiline: bool = False) -> str:
    """Validated text: a str of at most ``max_characters`` that every database can store
    (UTF-8 encodable, so no lone surrogates; no control characters such as NUL; tabs and line
    breaks only when ``multiline``)."""
    if not isinstance(value, str):
        raise PlannerInputError(name, "text", value)
    allowed = f"text of at most {max_characters} characters, without control characters"
    if len(value) > max_characters:
        raise PlannerInputError(name, allowed, value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PlannerInputError(name, "text without lone surrogate code points", value) from None
    if any(unicodedata.category(character) == "Cc" and not (multiline and character in "\t\r\n") for character in value):
        raise PlannerInputError(name, allowed, value)
    return value


def _fmt(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Pain:
    """Where the person's back pain stands today.

    ``pain_now`` is 0–10; ``red_flags`` holds keys of :data:`planner.safety.RED_FLAGS`.
    """

    pain_now: float = 3
    in_flare: bool = False
    location: str = "lower"
    leg_symptoms: str = "none"
    condition: str = "none"
    red_flags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pain_now", _number("pain_now", self.pain_now, 0, 10))
        _flag("in_flare", self.in_flare)
        _choice("location", self.location, PAIN_LOCATIONS)
        _choice("leg_symptoms", self.leg_symptoms, LEG_SYMPTOMS)
        _choice("condition", self.condition, CONDITIONS)
        object.__setattr__(self, "red_flags", red_flag_keys("red_flags", self.red_flags))


@dataclass(frozen=True)
class Fitness:
    """What the person does and tolerates now.

    ``available_weekdays`` uses 0=Monday … 6=Sunday; ``speed_kmh`` is the comfortable flat pace;
    ``new_to_exercise``: not used to exercise (S3: check with a doctor before starting; a review
    notice, no longer a red flag).
    """

    walking_minutes_per_week: float = 60
    longest_walk_minutes: float = 15
    available_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    body_mass_kg: float = 75
    speed_kmh: float = 5.0
    new_to_exercise: bool = False

    def __post_init__(self) -> None:
        _flag("new_to_exercise", self.new_to_exercise)
        object.__setattr__(self, "walking_minutes_per_week", _number(
            "walking_minutes_per_week", self.walking_minutes_per_week, 0,
            MAX_WEEKLY_WALKING_MINUTES, "min"))
        object.__setattr__(self, "longest_walk_minutes", _number(
            "longest_walk_minutes", self.longest_walk_minutes, 1, MAX_LONGEST_WALK_MINUTES, "min"))
        days = self.available_weekdays
        allowed_days = "1–7 different weekdays, each 0 (Monday)–6 (Sunday)"
        if isinstance(days, (str, bytes)) or not hasattr(days, "__iter__"):
            raise PlannerInputError("available_weekdays", allowed_days, days)
        days = tuple(days)
        if (not 1 <= len(days) <= 7
                or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days)
                or len(set(days)) != len(days)):
            raise PlannerInputError("available_weekdays", allowed_days, days)
        object.__setattr__(self, "available_weekdays", tuple(sorted(days)))
        object.__setattr__(self, "body_mass_kg", _number(
            "body_mass_kg", self.body_mass_kg, *BODY_MASS_KG_RANGE, "kg"))
        object.__setattr__(self, "speed_kmh", _number(
            "speed_kmh", self.speed_kmh, *SPEED_KMH_RANGE, "km/h"))


@dataclass(frozen=True)
class Terrain:
    """Where the person wants to walk or hike.

    ``grade_percent`` is the typical slope of the hills (the route climbs and descends it);
    ``snow_depth_cm`` only counts on ``surface="snow"``.
    """

    surface: str = "dirt_road"
    grade_percent: float = 0.0
    pack_mass_kg: float = 0.0
    trekking_poles: bool = False
    snow_depth_cm: float = 0.0

    def __post_init__(self) -> None:
        _choice("surface", self.surface, SURFACES)
        object.__setattr__(self, "grade_percent", _number(
            "grade_percent", self.grade_percent, *GRADE_PERCENT_RANGE, "%"))
        object.__setattr__(self, "pack_mass_kg", _number(
            "pack_mass_kg", self.pack_mass_kg, *PACK_MASS_KG_RANGE, "kg"))
        _flag("trekking_poles", self.trekking_poles)
        object.__setattr__(self, "snow_depth_cm", _number(
            "snow_depth_cm", self.snow_depth_cm, *SNOW_DEPTH_CM_RANGE, "cm"))

    @classmethod
    def from_elevation_gain(cls, elevation_gain_m_per_km: float, **kwargs: Any) -> Terrain:
        """Terrain whose typical grade comes from metres climbed per km of route.

        A route that climbs ``g`` m per km and comes back down spends half its distance climbing,
        so the climbing grade is ``2 * g / 10`` percent.
        """
        gain = _number("elevation_gain_m_per_km", elevation_gain_m_per_km, 0,
                       GRADE_PERCENT_RANGE[1] * 5, "m/km")
        return cls(grade_percent=gain * 2 / 10, **kwargs)


@dataclass(frozen=True)
class Goal:
    """What the plan builds toward, over how long, with which safety margins."""

    kind: str = "walking"
    target_session_minutes: int = evidence.BASE_GOAL_MINUTES
    sessions_per_week: int = evidence.BASE_GOAL_DAYS_PER_WEEK
    weeks: int = 12
    start_date: dt.date = dt.date(2026, 1, 5)
    progression_cap_percent: float = evidence.DEFAULT_PROGRESSION_CAP_PERCENT
    acwr_ceiling: float = evidence.DEFAULT_ACWR_CEILING

    def __post_init__(self) -> None:
        _choice("kind", self.kind, GOAL_KINDS)
        object.__setattr__(self, "target_session_minutes", _integer(
            "target_session_minutes", self.target_session_minutes, *SESSION_MINUTES_RANGE, "min"))
        object.__setattr__(self, "sessions_per_week", _integer(
            "sessions_per_week", self.sessions_per_week, 1, 7))
        object.__setattr__(self, "weeks", _integer("weeks", self.weeks, *WEEKS_RANGE))
        if (isinstance(self.start_date, dt.datetime) or not isinstance(self.start_date, dt.date)
                or not START_DATE_RANGE[0] <= self.start_date <= START_DATE_RANGE[1]):
            raise PlannerInputError("start_date", f"a date {START_DATE_RANGE[0]}–{START_DATE_RANGE[1]}",
                                    self.start_date)
        object.__setattr__(self, "progression_cap_percent", _number(
            "progression_cap_percent", self.progression_cap_percent,
            *PROGRESSION_CAP_PERCENT_RANGE, "%"))
        object.__setattr__(self, "acwr_ceiling", _number(
            "acwr_ceiling", self.acwr_ceiling, *ACWR_CEILING_RANGE))


@dataclass(frozen=True)
class ClientProfile:
    """Everything the planner needs about one person."""

    name: str = ""
    pain: Pain = field(default_factory=Pain)
    fitness: Fitness = field(default_factory=Fitness)
    terrain: Terrain = field(default_factory=Terrain)
    goal: Goal = field(default_factory=Goal)

    def __post_init__(self) -> None:
        text_field("name", self.name, MAX_NAME_CHARACTERS)
        for name, kind in (("pain", Pain), ("fitness", Fitness), ("terrain", Terrain), ("goal", Goal)):
            if not isinstance(getattr(self, name), kind):
                raise PlannerInputError(name, f"a {kind.__name__}", getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (dates as ISO text, sets as sorted lists)."""
        data = asdict(self)
        data["pain"]["red_flags"] = sorted(self.pain.red_flags)
        data["fitness"]["available_weekdays"] = list(self.fitness.available_weekdays)
        data["goal"]["start_date"] = self.goal.start_date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ClientProfile:
        """Rebuild a profile from :meth:`to_dict` output, validating every field."""
        if not isinstance(data, dict):
            raise PlannerInputError("profile", "a JSON object", type(data).__name__)
        unknown = sorted(set(data) - {"name", "pain", "fitness", "terrain", "goal"})
        if unknown:
            raise PlannerInputError(_key_name("", unknown[0], "profile"), "a known field: name, pain, fitness, terrain, goal",
                                    unknown[0])
        parts: dict[str, Any] = {}
        data = _map_legacy_keys(data)
        for name, kind in (("pain", Pain), ("fitness", Fitness), ("terrain", Terrain), ("goal", Goal)):
            section = data.get(name, {})
            if not isinstance(section, dict):
                raise PlannerInputError(name, "a JSON object", section)
            known = {f.name for f in fields(kind)}
            unknown = sorted(set(section) - known)
            if unknown:
                raise PlannerInputError(_key_name(name + ".", unknown[0], name),
                                        "a known field: " + ", ".join(sorted(known)), unknown[0])
            values = dict(section)
            if name == "goal" and "start_date" in values:
                values["start_date"] = _parse_date(values["start_date"])
            if name == "fitness" and isinstance(values.get("available_weekdays"), list):
                values["available_weekdays"] = tuple(values["available_weekdays"])
            if name == "pain" and "red_flags" in values:
                values["red_flags"] = red_flag_keys("red_flags", values["red_flags"])
            parts[name] = kind(**values)
        return cls(name=data.get("name", ""), **parts)


def _map_legacy_keys(data: dict[str, Any]) -> dict[str, Any]:
    """Older files: red-flag keys that moved elsewhere (:data:`LEGACY_RED_FLAG_KEYS`) are mapped there."""
    pain = data.get("pain")
    if not isinstance(pain, dict) or not isinstance(pain.get("red_flags"), (list, tuple, set, frozenset)):
        return data
    flags = list(pain["red_flags"])
    moved = [key for key in flags if isinstance(key, str) and key in LEGACY_RED_FLAG_KEYS]
    if not moved:
        return data
    data = dict(data)
    data["pain"] = {**pain, "red_flags": [key for key in flags if key not in moved]}
    for key in moved:
        section, field_name = LEGACY_RED_FLAG_KEYS[key].split(".")
        if isinstance(data.get(section, {}), dict):
            data[section] = {**data.get(section, {}), field_name: True}
    return data


def _key_name(prefix: str, key: str, otherwise: str) -> str:
    """An unknown key as a field name when it reads as one (short ASCII identifier), else ``otherwise``."""
    return prefix + key if key.isascii() and key.isidentifier() and len(key) <= 40 else otherwise


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PlannerInputError("start_date", "a date as YYYY-MM-DD", value) from None
