"""The one front door: ``plan(profile) -> Plan``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import pandas as pd

from planner import evidence
from planner.load import DEFAULT_MODEL, MODELS, reference_walk_watts
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import (DONE, EXTRA, FLARE, HIKE, HIKE_ENTRY, HIKE_KIND, RAMP, Week, WeekPlanner,
                                 acute_chronic_ratios, baseline_load_kj)
from planner.safety import (LEG_SPREADING_WINDOW_DAYS, LEG_SYMPTOM_WORDS, SafetyVerdict, Tier,
                            check_red_flags, leg_symptom_rule, profile_notices)
from planner.schedule import SESSION_COLUMNS, check_in_weeks, session_columns

WEEKLY_COLUMNS = (
    "week", "start_date", "phase", "sessions", "total_minutes", "longest_bout_minutes", "load_kj",
    "load_flat_minutes", "load_change_percent", "acwr", "acwr_above_ceiling", "acwr_reason", "at_starting_dose",
    "difficulty_change", "adjustment", "reason", "check_in",
)

EDUCATION_NOTICE = (
    "Trailback is education, not diagnosis or treatment: a plan to discuss with your clinician or "
    "coach. Stop and get checked if symptoms change."
)


@dataclass(frozen=True)
class Plan:
    """A plan: the profile it was made for, its day-by-day sessions, its weeks and its notes.

    ``notes`` are plain-language notes, each with its source; a plan ending short of its goal ends
    them with where it ends and how many more weeks would reach the goal.

    ``sessions`` has one row per day (rest days included), columns :data:`SESSION_COLUMNS`:
    date, week (1-based), weekday, phase, kind (micro-walk / walk / hike / rest), bouts,
    bout_minutes, rest_minutes, total_minutes, surface, grade_percent, pack_kg, speed_kmh
    (mean), load_kj, load_flat_minutes, cues, sources; ``check_in`` is True on the first day of a week
    that starts with a clinician check-in (:func:`planner.schedule.check_in_weeks`).
    ``status`` is planned / done / missed / extra / rest / stopped; ``planned_minutes`` is what
    the plan asked for (``total_minutes`` is what was done, on logged days).
    ``session_cues`` holds only the cues particular to that session (hills, pack, micro-walks, a
    hold or step back); the cues shared by every session of a phase are in :func:`phase_cues`.
    ``weekly`` has one row per week, columns :data:`WEEKLY_COLUMNS`; ``longest_bout_minutes`` is
    the week's longest continuous walk; ``acwr`` is the acute:chronic load ratio (S14) and
    ``acwr_reason`` says why it is above ``acwr_ceiling`` when it is (empty otherwise: never
    silently above); ``at_starting_dose`` marks weeks held at a phase's starting dose (S2's
    micro-walks included) although the cap or the ratio asked for less; ``difficulty_change`` says
    which one dimension changed that week (time, bouts, grade, surface, pack or pace) and why;
    ``adjustment`` and ``reason`` say what a pain diary changed (see :func:`planner.adapt`);
    ``check_in`` marks the weeks that start with a clinician check-in (:func:`check_in_weeks`).
    ``weeks`` holds the undated weeks behind the tables, which are built from them on first use.
    Both tables are empty when a red flag stops a new plan. ``load_model`` names the metabolic
    model of every load figure (``"lcda"``, S13, by default; ``"pandolf"``, S8 + S12).
    """

    profile: ClientProfile
    safety: SafetyVerdict
    base_notes: tuple[str, ...]
    weeks: tuple[Week, ...] = ()
    load_model: str = DEFAULT_MODEL
    #: Works out the "ends short of the goal" note on first use (it plans on past the last week).
    shortfall: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def notes(self) -> tuple[str, ...]:
        """Plain-language notes with their sources: ``base_notes``, then where a plan ending short of its
        goal ends and how many more weeks would reach it (worked out on first use)."""
        shortfall = self.shortfall() if self.shortfall is not None else ""
        return self.base_notes + ((shortfall,) if shortfall else ())

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """One row per day, columns :data:`SESSION_COLUMNS`."""
        return pd.DataFrame(session_columns(self.profile, list(self.weeks), self.load_model),
                            columns=list(SESSION_COLUMNS))

    @cached_property
    def weekly(self) -> pd.DataFrame:
        """One row per week, columns :data:`WEEKLY_COLUMNS`."""
        return _weekly_table(self.profile, self.weeks, self.load_model)

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


def plan(profile: ClientProfile, model: str = DEFAULT_MODEL) -> Plan:
    """Build the plan for one validated profile (see ``docs/evidence.md`` for every rule).

    ``model``: the metabolic model behind every load figure, ``"lcda"`` (S13, default) or
    ``"pandolf"`` (Pandolf S8 with Santee's downhill term S12).
    """
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)
    if model not in MODELS:
        raise PlannerInputError("model", "one of " + ", ".join(MODELS), model)
    safety = assess(profile)
    if safety.stops_plan:
        return Plan(profile, safety, (safety.note, EDUCATION_NOTICE), (), model)
    planner = WeekPlanner(profile, model)
    weeks = [planner.plan_week(index) for index in range(profile.goal.weeks)]
    return build_plan(profile, safety, weeks, shortfall=lambda: shortfall_note(profile, planner, len(weeks)),
                      model=model)


def assess(profile: ClientProfile) -> SafetyVerdict:
    """Red flags ticked on the Safety tab plus review notices from the Pain and Fitness tabs (S2, S3, NHS)."""
    return check_red_flags(profile.pain.red_flags,
                           profile_notices(profile.pain.leg_symptoms, profile.fitness.new_to_exercise,
                                           profile.pain.condition, profile.pain.location))


def shortfall_note(profile: ClientProfile, planner: WeekPlanner, next_index: int) -> str:
    """"Ends short of the goal" note: where the plan ends and how many more weeks would reach the goal.

    Empty when the goal is reached. Runs ``planner`` on (as if every week went as planned), so call
    it last.
    """
    if planner.goal_reached():
        return ""
    context = planner.context
    hiking = context.hiking and planner.hike_weeks > 0
    minutes = planner.hike_minutes if hiking else planner.walk_minutes
    target = context.hike_target if context.hiking else context.walk_target
    kind = "hikes" if context.hiking else "walks"
    step, goal_step = context.steps[min(planner.level, len(context.steps) - 1)], context.steps[-1]
    if planner.last_phase in (FLARE, RAMP):
        where = f"still easing out of the flare-up ({planner.ramp_bout}-minute bouts)"
    elif context.hiking and not planner.hike_weeks:
        where = f"at {minutes}-minute walks, before the hikes start"
    else:
        where = f"at {minutes}-minute {kind}"
        if planner.level < len(context.steps) - 1:
            where += (f" on {evidence.SURFACE_LABELS[step.surface]}, {step.grade_percent:g} % grade, "
                      f"{step.pack_kg:g} kg pack")
    goal = f"{target}-minute {kind}"
    if (goal_step.grade_percent, goal_step.pack_kg, goal_step.surface) != (0.0, 0.0, context.steps[0].surface):
        goal += (f" on {evidence.SURFACE_LABELS[goal_step.surface]}, {goal_step.grade_percent:g} % grade, "
                 f"{goal_step.pack_kg:g} kg pack")
    extra = planner.weeks_to_goal(next_index, evidence.DEFAULT_SHORTFALL_HORIZON_WEEKS)
    more = (f"about {extra} more week{'s' if extra != 1 else ''} at the same pace of progress would reach it"
            if extra is not None else
            f"more than {evidence.DEFAULT_SHORTFALL_HORIZON_WEEKS} more weeks would be needed")
    return (f"This plan ends {where}, short of the goal ({goal}): {more} (weekly rise capped at "
            f"{profile.goal.progression_cap_percent:g} %, S15).")


def build_plan(profile: ClientProfile, safety: SafetyVerdict, weeks: list[Week],
               extra_notes: tuple[str, ...] = (), shortfall: Callable[[], str] | None = None,
               model: str = DEFAULT_MODEL) -> Plan:
    """Assemble a :class:`Plan` from undated weeks (planned or logged); ``shortfall`` makes the
    "ends short of the goal" note on first use of :attr:`Plan.notes`."""
    notes = _notes(profile, safety, weeks, model)
    if safety.stops_plan:
        notes.insert(0, safety.note)
    return Plan(profile, safety, tuple(notes[:1] + list(extra_notes) + notes[1:]), tuple(weeks), model, shortfall)


def _ratios(profile: ClientProfile, weeks: list[Week] | tuple[Week, ...], model: str = DEFAULT_MODEL) -> list[float]:
    return acute_chronic_ratios([week.load_kj for week in weeks], baseline_load_kj(profile, model))


def acwr_reason(week: Week, ratio: float, ceiling: float) -> str:
    """Why a week's acute:chronic ratio is above the ceiling (S14), in plain words; empty if it is not."""
    if not ratio > ceiling:
        return ""
    if week.phase == FLARE:
        return ("S2's micro-walk protocol is a fixed starting dose, more than you walked before; the ratio "
                "is unreliable from a low base (S2, S14)")
    if week.phase == RAMP:
        return ("the ramp out of the flare-up rises from S2's micro-walks by at most the weekly cap; "
                "from a low base the ratio is unreliable (S2, S14)")
    logged = [session for session in week.sessions if session.status in (DONE, EXTRA)]
    if logged:
        asked = sum(s.minutes if s.planned_minutes is None else s.planned_minutes for s in logged if s.status == DONE)
        if sum(s.minutes for s in logged) > asked:
            return "you walked more than planned this week (diary); keep the next weeks steady (S14)"
        return ("the weeks before were lighter (missed or shorter walks, or a gap); this week, walked as "
                "planned, is high next to them, so build up steadily from here (S14)")
    if week.at_starting_dose:
        return ("this phase's starting dose (S1, S3, S4) is more than you walked before; the ratio is "
                "unreliable from a low base (S14)")
    return "the weeks before were lighter than planned (S14)"


def _weekly_table(profile: ClientProfile, weeks: tuple[Week, ...], model: str = DEFAULT_MODEL) -> pd.DataFrame:
    baseline = baseline_load_kj(profile, model)
    ratios = _ratios(profile, weeks, model)
    reference_kj_per_minute = reference_walk_watts(profile.fitness.body_mass_kg, model) * evidence.KJ_PER_WATT_MINUTE
    columns: dict[str, list] = {name: [] for name in WEEKLY_COLUMNS}
    check_ins = set(check_in_weeks(len(weeks)))
    previous = baseline
    for week, ratio in zip(weeks, ratios):
        change = (week.load_kj / previous - 1) * 100 if previous > 0 else math.nan
        record = {
            "week": week.index + 1,
            "start_date": profile.goal.start_date + dt.timedelta(days=7 * week.index),
            "phase": week.phase,
            "sessions": len(week.sessions),
            "total_minutes": sum(session.minutes for session in week.sessions),
            "longest_bout_minutes": max((session.bout_minutes for session in week.sessions if session.minutes),
                                        default=0),
            "load_kj": round(week.load_kj, 1),
            "load_flat_minutes": round(week.load_kj / reference_kj_per_minute, 1),
            "load_change_percent": round(change, 1),
            "acwr": round(ratio, 2),
            "acwr_above_ceiling": bool(ratio > profile.goal.acwr_ceiling),
            "acwr_reason": acwr_reason(week, ratio, profile.goal.acwr_ceiling),
            "at_starting_dose": week.at_starting_dose,
            "difficulty_change": week.difficulty_change,
            "adjustment": week.adjustment,
            "reason": week.reason,
            "check_in": week.index + 1 in check_ins,
        }
        for name, value in record.items():
            columns[name].append(value)
        previous = week.load_kj
    return pd.DataFrame(columns, columns=list(WEEKLY_COLUMNS))


def _notes(profile: ClientProfile, safety: SafetyVerdict, weeks: list[Week], model: str = DEFAULT_MODEL) -> list[str]:
    """Plain-language notes that explain the plan, each with its source."""
    pain, fitness, terrain, goal = profile.pain, profile.fitness, profile.terrain, profile.goal
    notes = [EDUCATION_NOTICE]
    if safety.tier == Tier.REVIEW and safety.triggered:
        notes.append(safety.note)
    notes.extend(start_dose_notes(profile, weeks))
    phases = [week.phase for week in weeks]
    if phases and phases[0] == FLARE:
        reason = ("you are in a flare-up" if pain.in_flare else
                  "pain spreads down the leg" if pain.leg_symptoms == "peripheralising" else
                  f"pain is above {evidence.PAIN_DURING_ACTIVITY_MAX}/10 (S11: more than 5/10 during activity is "
                  "not acceptable, so it is treated as a flare-up)")
        notes.append(f"Week 1 is micro-walks because {reason}: wait for the worst to settle before "
                     "longer walks or hikes (S1, S2).")
        ramp = [week.index + 1 for week in weeks if week.phase == RAMP]
        if ramp:
            notes.append(f"Weeks {ramp[0]}–{ramp[-1]} ease out of the flare-up, one change a week: either a "
                         f"day's minutes grow (by at most {goal.progression_cap_percent:g} % a week, back toward "
                         "what you walked before the flare) or the longest bout grows so bouts merge. Start them "
                         "only once the flare has settled (pain back to your usual level after the micro-walks, "
                         "S1); if it has not, repeat the micro-walks (S2).")
    if weeks and weeks[0].phase == FLARE and pain.pain_now >= evidence.SEVERE_PAIN_MIN:
        notes.append(f"Pain of {pain.pain_now:g}/10 is severe: the plan starts at its most cautious. See your "
                     f"clinician if this does not settle within {evidence.DEFAULT_SEVERE_PAIN_REVIEW_DAYS} days "
                     "(NHS: see a GP if back pain does not improve after a few weeks; a default of 2 weeks here "
                     "for severe pain).")
    check_ins = check_in_weeks(len(weeks))
    if check_ins:
        notes.append("Check in with your clinician at the start of week" + ("s " if len(check_ins) > 1 else " ")
                     + ", ".join(str(week) for week in check_ins)
                     + f" (every {evidence.DEFAULT_CHECK_IN_WEEKS} weeks; WalkBack had six physiotherapist "
                     "sessions over six months, S6).")
    plateau = _plateau_minutes(weeks)
    if plateau is not None and goal.kind == "walking":
        notes.append(f"This plan levels off at {plateau} min a week, below the {evidence.GUIDELINE_WEEKLY_MINUTES} "
                     "min a week of the guideline (S6: 30 min on 5 days): the goal is not reached until more "
                     "walking days or longer walks fit your week.")
    if pain.leg_symptoms != "none":
        rule = leg_symptom_rule(pain.leg_symptoms, pain.condition)
        words = LEG_SYMPTOM_WORDS[pain.leg_symptoms]
        again = (f" If it happens again within {LEG_SPREADING_WINDOW_DAYS} days, or with new numbness or weakness, "
                 "stop and see a doctor today (S2, S3)." if pain.leg_symptoms == "peripheralising" else "")
        notes.append(f"{words[:1].upper()}{words[1:]}: {rule.action} ({rule.source}).{again}")
    days = len(fitness.available_weekdays)
    if goal.sessions_per_week > days:
        notes.append(f"You asked for {goal.sessions_per_week} sessions a week but have {days} days "
                     f"available; the plan uses {days}.")
    notes.append(f"Weekly load rises at most {goal.progression_cap_percent:g} % a week (a convention, "
                 "not evidence: S15) and the acute:chronic ratio is watched against "
                 f"{goal.acwr_ceiling:g} (S14, a warning line, not a proven rule).")
    for week, ratio in zip(weeks, _ratios(profile, weeks, model)):
        reason = acwr_reason(week, ratio, goal.acwr_ceiling)
        if reason:
            notes.append(f"Week {week.index + 1}: the acute:chronic ratio is {ratio:.2f}, above "
                         f"{goal.acwr_ceiling:g}, because {reason}.")
    if terrain.pack_mass_kg > evidence.PACK_MAX_KG:
        notes.append(f"Pack capped at {evidence.PACK_MAX_KG:g} kg (you gave {terrain.pack_mass_kg:g} kg): "
                     "keep it to 10 lb or less (S1).")
    if pain.condition == "disc_herniation":
        notes.append("Disc herniation: soft, flat surfaces and, once any flare-up has settled, a brisk pace help "
                     "(S2); S3 advises a comfortable pace and says structural "
                     "problems may benefit less from walking. The sources disagree, so check with your "
                     "clinician.")
        if terrain.surface in evidence.DISC_AVOID_SURFACES:
            notes.append("Concrete is hard on disc pain: the plan uses a flat dirt trail instead (S2).")
    if pain.condition == "spinal_stenosis":
        notes.append(f"Spinal stenosis: a walk longer than your first bouts is split into bouts with "
                     f"{evidence.INTERVAL_STAND_MINUTES}-minute standing rests (S2's intervals, a default here); the "
                     "bouts lengthen as the walks grow; legs heavy or numb while walking that ease when you sit or "
                     "bend forward are expected: lean forward or sit, then carry on (S2); pain spreading down the leg "
                     "that does not ease, or new weakness or numbness that does not ease, stops that walk (S2, S3).")
    if model == DEFAULT_MODEL:
        notes.append("Loads use the LCDA walking equation (Looney et al. 2019, S13; a pack counts as extra "
                     "body mass, a default) and Tobler's hill pace (S10).")
    else:
        notes.append("Loads use Pandolf's equation (S8) with Santee's downhill correction (S12) and Tobler's "
                     "hill pace (S10).")
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
                         "settles (S1, S3): not within these weeks.")
        notes.append(f"First hikes go on mild terrain ({evidence.SURFACE_LABELS[_first_step(weeks, terrain)]}, at most "
                     f"{evidence.DEFAULT_MILD_GRADE_PERCENT:g} % grade, no pack) whatever the goal terrain; then "
                     "grade, surface and pack step up one at a time, each step held a week before the next "
                     "(S1: increase time and difficulty gradually).")
        if terrain.surface in ("trail", "rough_trail"):
            notes.append("Uneven ground works more stabilising muscles: one physician's view (S1).")
    longest = max((session.minutes for week in weeks for session in week.sessions
                   if session.kind != HIKE_KIND), default=0)
    if longest >= evidence.BASE_GOAL_MINUTES:
        notes.append("Long term, more total walking time lowers the risk of chronic back pain; "
                     "over 100 minutes a day was the lowest-risk group (S7, a population finding).")
    return notes


def _plateau_minutes(weeks: list[Week] | tuple[Week, ...]) -> int | None:
    """The weekly minutes a plan levels off at when that is below the 150-min guideline (S6), else None.

    Levels off: the last weeks hold the same minutes, at the goal's session length, and no week is longer.
    """
    totals = [sum(session.minutes for session in week.sessions) for week in weeks]
    if len(totals) < 3 or totals[-1] >= evidence.GUIDELINE_WEEKLY_MINUTES:
        return None
    if totals[-1] == totals[-2] == totals[-3] and totals[-1] == max(totals):
        return totals[-1]
    return None


def start_dose_notes(profile: ClientProfile, weeks: list[Week] | tuple[Week, ...]) -> list[str]:
    """Why week 1 is what it is: the share of the longest comfortable walk, and any start below
    today's walking or at or above the goal (issue 19)."""
    if not weeks:
        return []
    context = WeekPlanner(profile).context
    dose = context.dose
    fitness = profile.fitness
    notes = []
    source_name = "EPIPHA-KNEE's walking programme" if dose.fraction_source == "S16" else "graded activity"
    notes.append(f"First bouts are at most {dose.fraction * 100:g} % of your longest comfortable walk "
                 f"({dose.first_bout_max_minutes} of {dose.tolerance_minutes} min), never all of it: "
                 f"{source_name} starts there ({dose.fraction_source}).")
    week1_minutes = sum(session.minutes for session in weeks[0].sessions)
    usual = fitness.walking_minutes_per_week
    if dose.at_or_above_goal and profile.goal.kind == "walking":
        when = ("Once the flare has settled, the plan builds back to walks of "
                if weeks[0].phase == FLARE else "The plan does not cut your walks below ")
        notes.append(f"You already walk more than this plan's goal ({usual:g} min a week; the goal is "
                     f"{profile.goal.target_session_minutes} min x {len(context.walk_offsets)}). {when}"
                     f"{context.walk_target} min, keeps your other walking as it is, and progresses terrain and "
                     "regularity rather than minutes.")
    if week1_minutes < usual:
        why = ("micro-walks while the flare settles (S2), never more than you walked before it"
               if weeks[0].phase == FLARE else
               f"first bouts of at most {dose.first_bout_max_minutes} min ({dose.fraction * 100:g} % of your "
               f"longest walk, {dose.fraction_source}), at most {evidence.MICRO_WALK_BOUTS_PER_DAY} a day, on "
               f"{len(context.walk_offsets)} day{'s' if len(context.walk_offsets) != 1 else ''} a week")
        notes.append(f"Week 1 has {week1_minutes} min of walking, below the {usual:g} min a week you walk now, "
                     f"because of {why}. The plan builds back from there.")
    return notes


def _first_step(weeks: list[Week], terrain) -> str:
    """The surface of the first hike (mild terrain), or the default gentle surface."""
    for week in weeks:
        for session in week.sessions:
            if session.kind == HIKE_KIND:
                return session.surface
    gentle = evidence.DEFAULT_GENTLE_SURFACE
    return terrain.surface if evidence.TERRAIN_FACTORS.get(terrain.surface, 9) <= evidence.TERRAIN_FACTORS[gentle] else gentle
