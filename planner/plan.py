"""The one front door: ``plan(profile) -> Plan``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from planner import evidence
from planner.load import reference_walk_watts
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import (FLARE, HIKE, HIKE_ENTRY, HIKE_KIND, Week, acute_chronic_ratios,
                                 baseline_load_kj, plan_weeks)
from planner.safety import SafetyVerdict, Tier, check_red_flags
from planner.schedule import SESSION_COLUMNS, session_columns

WEEKLY_COLUMNS = (
    "week", "start_date", "phase", "sessions", "total_minutes", "load_kj", "load_flat_minutes",
    "load_change_percent", "acwr", "acwr_above_ceiling", "at_starting_dose", "adjustment", "reason",
)

EDUCATION_NOTICE = (
    "Trailback is education, not diagnosis or treatment: a plan to discuss with your clinician or "
    "coach. Stop and get checked if symptoms change."
)


@dataclass(frozen=True)
class Plan:
    """A plan: the profile it was made for, its day-by-day sessions, its weeks and its notes.

    ``sessions`` has one row per day (rest days included), columns :data:`SESSION_COLUMNS`:
    date, week (1-based), weekday, phase, kind (micro-walk / walk / hike / rest), bouts,
    bout_minutes, rest_minutes, total_minutes, surface, grade_percent, pack_kg, speed_kmh
    (mean), load_kj, load_flat_minutes, cues, sources.
    ``status`` is planned / done / missed / extra / rest / stopped; ``planned_minutes`` is what
    the plan asked for (``total_minutes`` is what was done, on logged days).
    ``weekly`` has one row per week, columns :data:`WEEKLY_COLUMNS`; ``acwr`` is the
    acute:chronic load ratio (S14); ``at_starting_dose`` marks weeks held at a phase's starting dose
    although the cap or the ratio asked for less; ``adjustment`` and ``reason`` say what a pain
    diary changed (see :func:`planner.adapt`). ``weeks`` holds the undated weeks behind the
    tables, which are built from them on first use. Both tables are empty when a red flag stops a
    new plan.
    """

    profile: ClientProfile
    safety: SafetyVerdict
    notes: tuple[str, ...]
    weeks: tuple[Week, ...] = ()

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """One row per day, columns :data:`SESSION_COLUMNS`."""
        return pd.DataFrame(session_columns(self.profile, list(self.weeks)), columns=list(SESSION_COLUMNS))

    @cached_property
    def weekly(self) -> pd.DataFrame:
        """One row per week, columns :data:`WEEKLY_COLUMNS`."""
        return _weekly_table(self.profile, self.weeks)

    @property
    def education_notice(self) -> str:
        """The "education, not diagnosis" notice every plan shows (it is also among ``notes``)."""
        return EDUCATION_NOTICE

    @property
    def stopped(self) -> bool:
        """True when a red flag means no sessions at all."""
        return self.safety.stops_plan

    @property
    def walking_sessions(self) -> pd.DataFrame:
        """The sessions table without rest days."""
        return self.sessions[self.sessions["kind"] != "rest"]


def plan(profile: ClientProfile) -> Plan:
    """Build the plan for one validated profile (see ``shared/domain.md`` for every rule)."""
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)
    safety = check_red_flags(profile.pain.red_flags)
    if safety.stops_plan:
        return Plan(profile, safety, (_red_flag_note(safety), EDUCATION_NOTICE))

    return build_plan(profile, safety, plan_weeks(profile))


def build_plan(profile: ClientProfile, safety: SafetyVerdict, weeks: list[Week],
               extra_notes: tuple[str, ...] = ()) -> Plan:
    """Assemble a :class:`Plan` from undated weeks (planned or logged)."""
    notes = _notes(profile, safety, weeks)
    if safety.stops_plan:
        notes.insert(0, _red_flag_note(safety))
    return Plan(profile, safety, tuple(notes[:1] + list(extra_notes) + notes[1:]), tuple(weeks))


def _ratios(profile: ClientProfile, weeks: list[Week] | tuple[Week, ...]) -> list[float]:
    return acute_chronic_ratios([week.load_kj for week in weeks], baseline_load_kj(profile))


def _weekly_table(profile: ClientProfile, weeks: tuple[Week, ...]) -> pd.DataFrame:
    baseline = baseline_load_kj(profile)
    ratios = _ratios(profile, weeks)
    reference_kj_per_minute = reference_walk_watts(profile.fitness.body_mass_kg) * evidence.KJ_PER_WATT_MINUTE
    columns: dict[str, list] = {name: [] for name in WEEKLY_COLUMNS}
    previous = baseline
    for week, ratio in zip(weeks, ratios):
        change = (week.load_kj / previous - 1) * 100 if previous > 0 else math.nan
        record = {
            "week": week.index + 1,
            "start_date": profile.goal.start_date + dt.timedelta(days=7 * week.index),
            "phase": week.phase,
            "sessions": len(week.sessions),
            "total_minutes": sum(session.minutes for session in week.sessions),
            "load_kj": round(week.load_kj, 1),
            "load_flat_minutes": round(week.load_kj / reference_kj_per_minute, 1),
            "load_change_percent": round(change, 1),
            "acwr": round(ratio, 2),
            "acwr_above_ceiling": bool(ratio > profile.goal.acwr_ceiling),
            "at_starting_dose": week.at_starting_dose,
            "adjustment": week.adjustment,
            "reason": week.reason,
        }
        for name, value in record.items():
            columns[name].append(value)
        previous = week.load_kj
    return pd.DataFrame(columns, columns=list(WEEKLY_COLUMNS))


def _red_flag_note(safety: SafetyVerdict) -> str:
    answers = "; ".join(flag.label for flag in safety.triggered)
    return f"{safety.message} Because you answered: {answers}."


def _notes(profile: ClientProfile, safety: SafetyVerdict, weeks: list[Week]) -> list[str]:
    """Plain-language notes that explain the plan, each with its source."""
    pain, fitness, terrain, goal = profile.pain, profile.fitness, profile.terrain, profile.goal
    notes = [EDUCATION_NOTICE]
    if safety.tier == Tier.REVIEW and safety.triggered:
        notes.append(_red_flag_note(safety))
    phases = [week.phase for week in weeks]
    if phases and phases[0] == FLARE:
        reason = ("you are in a flare-up" if pain.in_flare else
                  "pain spreads down the leg" if pain.leg_symptoms == "peripheralising" else
                  f"pain is above {evidence.PAIN_DURING_ACTIVITY_MAX}/10")
        notes.append(f"Week 1 is micro-walks because {reason}: wait for the worst to settle before "
                     "longer walks or hikes (S1, S2).")
    if pain.leg_symptoms == "peripheralising":
        notes.append("Pain spreading down the leg means step back; if it keeps spreading, see a clinician (S2).")
    if pain.leg_symptoms == "centralising":
        notes.append("Pain moving toward the centre of the back is a good sign (S2).")
    notes.append(f"Sessions never start longer than your longest comfortable walk "
                 f"({fitness.longest_walk_minutes:g} min).")
    days = len(fitness.available_weekdays)
    if goal.sessions_per_week > days:
        notes.append(f"You asked for {goal.sessions_per_week} sessions a week but have {days} days "
                     f"available; the plan uses {days}.")
    notes.append(f"Weekly load rises at most {goal.progression_cap_percent:g} % a week (a convention, "
                 "not evidence: S15) and the acute:chronic ratio is watched against "
                 f"{goal.acwr_ceiling:g} (S14, a warning line, not a proven rule).")
    above = [week.index + 1 for week, ratio in zip(weeks, _ratios(profile, weeks)) if ratio > goal.acwr_ceiling]
    if above:
        notes.append(f"The acute:chronic ratio is above {goal.acwr_ceiling:g} in week(s) "
                     f"{', '.join(map(str, above))}: the plan starts from more walking "
                     "than you do now (the starting dose of S2/S3); the ratio is unreliable from a low "
                     "base (S14).")
    if terrain.pack_mass_kg > evidence.PACK_MAX_KG:
        notes.append(f"Pack capped at {evidence.PACK_MAX_KG:g} kg (you gave {terrain.pack_mass_kg:g} kg): "
                     "keep it to 10 lb or less (S1).")
    if pain.condition == "disc_herniation":
        notes.append("Disc herniation: soft, flat surfaces and a brisk pace help (S2); S3 says structural "
                     "problems may benefit less from walking. The sources disagree, so check with your "
                     "clinician.")
        if terrain.surface in evidence.DISC_AVOID_SURFACES:
            notes.append("Concrete is hard on disc pain: the plan uses a flat dirt trail instead (S2).")
    if pain.condition == "spinal_stenosis":
        notes.append(f"Spinal stenosis: walks are split into {evidence.INTERVAL_WALK_MINUTES}-minute bouts with "
                     f"{evidence.INTERVAL_STAND_MINUTES}-minute standing rests (S2's intervals, a default here); "
                     "leaning forward eases heavy or numb legs (S2).")
    if not evidence.MODERATE_PACE_KMH_LOW <= fitness.speed_kmh <= evidence.MODERATE_PACE_KMH_HIGH:
        notes.append(f"Your pace ({fitness.speed_kmh:g} km/h) is outside the moderate "
                     f"{evidence.MODERATE_PACE_KMH_LOW:g}–{evidence.MODERATE_PACE_KMH_HIGH:g} km/h of S5; "
                     "the plan uses your own pace.")
    if goal.kind == "hiking":
        hike_weeks = [week.index + 1 for week in weeks if week.phase in (HIKE_ENTRY, HIKE)]
        if hike_weeks:
            notes.append(f"Hikes start in week {hike_weeks[0]}: {evidence.HIKE_ENTRY_MINUTES_LOW}–"
                         f"{evidence.HIKE_ENTRY_MINUTES_HIGH} min on mild terrain, {evidence.HIKE_ENTRY_PER_WEEK} a "
                         f"week, for {evidence.HIKE_ENTRY_WEEKS} weeks before judging; then time and difficulty "
                         f"build gradually, up to 60–{evidence.HIKE_MAX_MINUTES} min if form holds and nothing "
                         "flares (S1).")
        else:
            notes.append(f"Hikes start once {evidence.BASE_GOAL_MINUTES}-minute walks are comfortable and pain "
                         "settles (S1, S3): "
                         "not within these weeks. More weeks would get there.")
        if terrain.surface in ("trail", "rough_trail"):
            notes.append("Uneven ground works more stabilising muscles: one physician's view (S1).")
    longest = max((session.minutes for week in weeks for session in week.sessions
                   if session.kind != HIKE_KIND), default=0)
    if longest >= evidence.BASE_GOAL_MINUTES:
        notes.append("Long term, more total walking time lowers the risk of chronic back pain; "
                     "over 100 minutes a day was the lowest-risk group (S7, a population finding).")
    return notes
