"""Recorded walks into the diary: :func:`import_recordings`.

Each recorded walk becomes the diary entry of its day (the walker's local day where the file says
it, else UTC: :attr:`~planner.recordings.Activity.date`) with the minutes moving, and keeps where
it came from (:class:`~planner.recordings.RecordingSource`: file, device, checksum, distance, climb)
and the load computed from the recording itself: the plan's metabolic model (LCDA, S13, or
Pandolf/Santee, S8/S12) with the terrain factor (S9) along the recorded speed and grade, over
``DEFAULT_RECORDING_LOAD_STEP_M`` stretches. The surface and pack are the planned session's that
day; an unplanned walk is on the profile's surface with no pack.

The pains stay for the coach or client to log: a new entry is marked ``pains_missing`` and the pain
rules skip it (it counts as a day without pains, never as a comfortable one). A day that already
has an entry keeps its pains and note: a hand-typed entry takes the recording's minutes, an entry
that already has recordings adds this walk to them (two walks that day). The same recording
(checksum and activity) is never added twice. A file that cannot be read adds nothing and gives
its plain message; a recording that is not a walk or hike is left out unless ``confirm`` names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner import evidence
from planner.adapt import MAX_DIARY_MINUTES, DiaryEntry
from planner.load import DEFAULT_MODEL, energy_kj, terrain_factor, walking_watts
from planner.plan import Plan
from planner.plan import plan as plan_for
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import EXTRA, Session
from planner.recordings import (Activity, RecordingFileError, RecordingSource, checksum, read_checked,
                               walk_verdict)

ADDED = "added"
MERGED = "added to the day's entry"
ALREADY = "already in the diary"
NOT_A_WALK = "not a walk: confirm to add"
OUTSIDE = "outside the plan"
REFUSED = "refused"


@dataclass(frozen=True)
class ImportedWalk:
    """What became of one recorded activity (or of a file that could not be read)."""

    label: str  # file name, and #n for the n-th activity of a file
    outcome: str  # ADDED / MERGED / ALREADY / NOT_A_WALK / OUTSIDE / REFUSED
    message: str  # plain words for the coach
    date: dt.date | None = None
    planned_minutes: int | None = None  # the planned session of that day, None when unplanned
    source: RecordingSource | None = None


@dataclass(frozen=True)
class ImportResult:
    """The diary after the import (by date), what happened to each recording, and the entries that
    changed (to save: one per day)."""

    diary: tuple[DiaryEntry, ...]
    walks: tuple[ImportedWalk, ...]
    changed: tuple[DiaryEntry, ...]

    @property
    def messages(self) -> tuple[str, ...]:
        """One plain line per recording."""
        return tuple(walk.message for walk in self.walks)


def recording_load_kj(activity: Activity, body_mass_kg: float, pack_mass_kg: float, eta: float,
                      model: str = DEFAULT_MODEL) -> float:
    """Load of a recorded walk, kJ: the model's rate along the recorded speed and grade (over
    ``DEFAULT_RECORDING_LOAD_STEP_M`` stretches, moving time only), times the moving minutes."""
    seconds, distance_m, elevation_m = activity.seconds, activity.distance_m, activity.elevation_m
    if len(seconds) < 2 or activity.moving_minutes <= 0:
        return 0.0
    moving_s = np.concatenate(([0.0], np.cumsum(np.where(activity.moving, np.diff(seconds), 0.0))))
    marks = np.arange(0.0, float(distance_m[-1]), evidence.DEFAULT_RECORDING_LOAD_STEP_M)
    ends = np.unique(np.concatenate((np.searchsorted(distance_m, marks), [len(seconds) - 1])))
    ends = ends[ends < len(seconds)]
    if ends[0] != 0:
        ends = np.concatenate(([0], ends))
    known = np.isfinite(elevation_m)
    if known.sum() >= 2:
        elevation = np.interp(np.arange(len(elevation_m)), np.flatnonzero(known), elevation_m[known])
    else:
        elevation = np.zeros(len(elevation_m))
    stretch_m = np.diff(distance_m[ends])
    stretch_s = np.diff(moving_s[ends])
    rise_m = np.diff(elevation[ends])
    used = stretch_s > 0
    if not used.any():
        mean_watts = float(walking_watts(body_mass_kg, pack_mass_kg, 0.0, 0.0, eta, model))
        return float(energy_kj(mean_watts, activity.moving_minutes))
    speed_m_s = np.minimum(stretch_m[used] / stretch_s[used], evidence.DEFAULT_TRAIL_VEHICLE_SPEED_KMH / 3.6)
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(stretch_m[used] > 0, rise_m[used] / np.where(stretch_m[used] > 0, stretch_m[used], 1.0)
                         * 100, 0.0)
    limit = evidence.DEFAULT_TRAIL_MAX_GRADE_PERCENT
    watts = walking_watts(body_mass_kg, pack_mass_kg, speed_m_s, np.clip(grade, -limit, limit), eta, model)
    mean_watts = float(np.sum(np.asarray(watts) * stretch_s[used]) / np.sum(stretch_s[used]))
    return float(energy_kj(mean_watts, activity.moving_minutes))


def _planned_sessions(plan: Plan) -> dict[dt.date, Session]:
    """The plan's sessions by date (the plan's own extra walks are not planned)."""
    start = plan.profile.goal.start_date
    return {start + dt.timedelta(days=7 * week.index + session.day_offset): session
            for week in plan.weeks for session in week.sessions if session.status != EXTRA}


FROM_RECORDINGS = "recordings"
FROM_BOTH = "recordings and logged minutes"
FROM_MINUTES = "logged minutes"
NOTHING_DONE = "—"


def _walks(count: int) -> str:
    return f"{count} walk{'s' if count != 1 else ''}"


def done_text(recorded_walks: int, typed_walks: int) -> str:
    """A week's walks done, in words for the coach and the client: "recorded (3 walks)" (from the
    watch or phone), "logged by hand (2 walks)", both, or ``NOTHING_DONE``."""
    parts = ([f"recorded ({_walks(recorded_walks)})"] if recorded_walks else []) + \
        ([f"logged by hand ({_walks(typed_walks)})"] if typed_walks else [])
    return ", ".join(parts) or NOTHING_DONE


def weekly_sources(plan: Plan, diary: Iterable[DiaryEntry]) -> pd.DataFrame:
    """Per week of ``plan`` (adapted to ``diary``): the load done and where that figure comes from
    (``FROM_RECORDINGS``, ``FROM_BOTH``, ``FROM_MINUTES``, or "" for a week with no walk logged), how
    many walks were recorded and typed, and that in words (:func:`done_text`, the schedule's and
    the recorded walks table's "Done"). Columns: week, load_kj, recorded_walks, typed_walks, source,
    done."""
    start = plan.profile.goal.start_date
    recorded: dict[int, int] = {}
    typed: dict[int, int] = {}
    for entry in diary:
        if entry.minutes_walked <= 0:
            continue
        week = (entry.date - start).days // 7 + 1
        if entry.recordings:  # each recording a walk (two walks on one day: two recordings)
            recorded[week] = recorded.get(week, 0) + len(entry.recordings)
        else:
            typed[week] = typed.get(week, 0) + 1
    weekly = plan.weekly
    rows = []
    for week, load in zip(weekly["week"], weekly["load_kj"]):
        r, t = recorded.get(week, 0), typed.get(week, 0)
        source = FROM_BOTH if r and t else FROM_RECORDINGS if r else FROM_MINUTES if t else ""
        rows.append({"week": int(week), "load_kj": float(load), "recorded_walks": r, "typed_walks": t,
                     "source": source, "done": done_text(r, t)})
    return pd.DataFrame(rows, columns=["week", "load_kj", "recorded_walks", "typed_walks", "source", "done"])


def import_recordings(profile: ClientProfile, plan: Plan | None, diary: Iterable[DiaryEntry],
                      files: Iterable[tuple[str, bytes]], confirm: Iterable[str] | bool = (),
                      today: dt.date | None = None) -> ImportResult:
    """Add the recorded walks in ``files`` (``(file name, bytes)`` each) to ``diary``.

    ``plan``: the client's plan (None: the plan of ``profile``); its session of each day is matched
    and gives the surface and pack for the load. ``confirm``: labels (``file name`` or
    ``file name #n``) of recordings that are not walks but should be added anyway, or True for all.
    ``today``: recordings after it are refused (default: the latest day of the plan).
    """
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)
    if plan is None:
        plan = plan_for(profile)
    if not isinstance(plan, Plan):
        raise PlannerInputError("plan", "a Plan or None", type(plan).__name__)
    confirmed_all = confirm is True
    confirmed = set() if isinstance(confirm, bool) else {str(label) for label in confirm}
    entries: dict[dt.date, DiaryEntry] = {}
    for entry in diary:
        if not isinstance(entry, DiaryEntry):
            raise PlannerInputError("diary", "DiaryEntry items", type(entry).__name__)
        entries[entry.date] = entry
    seen = {item.key: day for day, entry in entries.items() for item in entry.recordings}
    start = profile.goal.start_date
    end = start + dt.timedelta(days=7 * profile.goal.weeks - 1)
    last_day = min(end, today) if today is not None else end
    planned = _planned_sessions(plan)
    model = plan.load_model or DEFAULT_MODEL
    body = profile.fitness.body_mass_kg
    changed: dict[dt.date, DiaryEntry] = {}
    walks: list[ImportedWalk] = []
    for name, data in files:
        digest = checksum(bytes(data)) if isinstance(data, (bytes, bytearray, memoryview)) else ""
        known = sorted(key for key in seen if key[0] == digest)
        if known and not confirmed_all and not any(label == name or label.startswith(name + " #")
                                                    for label in confirmed):
            # The same file again: what it added is in the diary; it is not read twice.
            for key in known:
                label = name if key[1] == 0 else f"{name} #{key[1] + 1}"
                walks.append(ImportedWalk(label, ALREADY, f"{label}: already in the diary on "
                                          f"{seen[key].isoformat()}; nothing changed.", seen[key]))
            continue
        try:
            activities = read_checked(name, data, digest or None)
        except RecordingFileError as error:
            walks.append(ImportedWalk(name, REFUSED, str(error)))
            continue
        for activity in activities:
            label, day = activity.label, activity.date
            if (activity.checksum, activity.index) in seen:
                walks.append(ImportedWalk(label, ALREADY, f"{label}: already in the diary on "
                                          f"{seen[(activity.checksum, activity.index)].isoformat()}; nothing changed.",
                                          day))
                continue
            verdict = walk_verdict(activity)
            if not verdict.is_walk and not (confirmed_all or label in confirmed):
                walks.append(ImportedWalk(label, NOT_A_WALK, f"{label} ({day.isoformat()}): {verdict.reason}. "
                                          "Left out; confirm it to add it as a walk.", day))
                continue
            if not start <= day <= last_day:
                walks.append(ImportedWalk(label, OUTSIDE, f"{label}: recorded on {day.isoformat()}, outside this "
                                          f"client's plan ({start.isoformat()} to {last_day.isoformat()}); not "
                                          "added.", day))
                continue
            session = planned.get(day)
            surface = session.surface if session is not None else profile.terrain.surface
            pack = session.pack_kg if session is not None else 0.0
            eta = terrain_factor(surface, profile.terrain.snow_depth_cm)
            load = recording_load_kj(activity, body, pack, eta, model)
            source = RecordingSource(
                activity.file_name[:255], activity.checksum, activity.index, activity.file_format,
                activity.device[:255], activity.sport[:255], activity.start.isoformat(),
                round(min(activity.moving_minutes, MAX_DIARY_MINUTES), 2), round(activity.distance_km, 3),
                round(activity.climb_m, 1), round(load, 1))
            old = entries.get(day)
            minutes = round(activity.moving_minutes, 1)
            if old is None:
                entry = DiaryEntry(day, min(minutes, MAX_DIARY_MINUTES), 0.0, 0.0, recordings=(source,),
                                   pains_missing=True)
                outcome = ADDED
            elif old.recordings:
                entry = replace(old, minutes_walked=min(old.minutes_walked + minutes, MAX_DIARY_MINUTES),
                                recordings=old.recordings + (source,))
                outcome = MERGED
            else:  # typed by hand: the recording is that walk, measured
                entry = replace(old, minutes_walked=min(minutes, MAX_DIARY_MINUTES), recordings=(source,))
                outcome = MERGED
            entries[day] = changed[day] = entry
            seen[source.key] = day
            planned_minutes = None
            if session is not None:
                planned_minutes = session.minutes if session.planned_minutes is None else session.planned_minutes
            against = (f"planned {planned_minutes} min" if planned_minutes is not None else "unplanned")
            pains = " Pains not logged yet." if entry.pains_missing else ""
            walks.append(ImportedWalk(label, outcome, f"{label}: {day.isoformat()}, {minutes:g} min moving, "
                                      f"{activity.distance_km:.2f} km, {activity.climb_m:.0f} m up, {load:.0f} kJ "
                                      f"({against}).{pains}", day, planned_minutes, source))
    diary_out = tuple(entries[day] for day in sorted(entries))
    return ImportResult(diary_out, tuple(walks), tuple(changed[day] for day in sorted(changed)))


__all__ = ["ImportResult", "ImportedWalk", "done_text", "import_recordings", "recording_load_kj", "weekly_sources"]
