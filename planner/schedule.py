"""Turns planned weeks into dated, day-by-day rows with cues and the sources behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner import evidence
from typing import TYPE_CHECKING

from planner.load import DEFAULT_MODEL, LCDA, reference_walk_watts
from planner.profile import ClientProfile
from planner.progression import (FLARE, HIKE_KIND, HOLD, MICRO_WALK, NOT_LOGGED, RAMP, REST, STEP_BACK, STOPPED,
                                 Session, Week)
from planner.safety import leg_symptom_rule

if TYPE_CHECKING:
    from planner.plan import Plan

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SESSION_COLUMNS = (
    "date", "week", "weekday", "phase", "kind", "bouts", "bout_minutes", "rest_minutes",
    "total_minutes", "surface", "grade_percent", "pack_kg", "speed_kmh", "load_kj",
    "load_flat_minutes", "cues", "session_cues", "sources", "status", "planned_minutes", "check_in",
)

Cue = tuple[str, str]  # (text, source tags)

WARM_UP: Cue = ("Warm up: gentle hamstring, glute and hip-flexor stretches, arm swings, hip circles",
                "S1, S4, S5")
COOL_DOWN: Cue = ("Afterwards: knee-to-chest, cat-cow, supine twist", "S4, S5")
#: Disc and flare-up cool-down: no forward-bending (flexion) stretches such as knee-to-chest.
NO_FLEXION_COOL_DOWN: Cue = ("Afterwards: gentle standing stretches for hip flexors, hamstrings (back straight) and "
                             "calves; leave out knee-to-chest and other forward-bending stretches for now", "S5")
UPPER_WARM_UP: Cue = ("Warm up: arm swings, shoulder rolls and a gentle upper-back (thoracic) stretch", "S4")
UPPER_COOL_DOWN: Cue = ("Afterwards: a gentle upper-back (thoracic) stretch or wall angels, shoulder blades down "
                        "and back", "S1, S4")
LOG_IT: Cue = ("Log the walk with its pain (\"20 min, pain stayed 3/10\")", "S2")
FLARE_PAIN_RULE: Cue = ("A little pain is OK if it goes back to your baseline when you stop; "
                        "stop if it flares", "S1")
PAIN_RULE: Cue = (f"Pain during the walk up to {evidence.PAIN_DURING_ACTIVITY_MAX}/10 is acceptable; "
                  "it must settle by next morning", "S11")
FORM_CUE: Cue = ("Walk tall: upright, head up and eyes ahead (not down at your phone), shoulders relaxed, "
                 "arms swinging gently; shorter, even strides rather than overstriding", "S1, S2, S3, S5")
TALK_TEST_CUE: Cue = ("Pace: comfortable, not rushing, one you can talk at without running out of breath",
                      "S3, S5")
SHOES_WATER_CUE: Cue = ("Supportive shoes with tread and cushioning; drink a glass of water before you go",
                        "S1, S2, S3")
MICRO_WALK_CUE: Cue = ("Three short walks today on a flat, even surface; if continuous walking is too "
                       f"much: {evidence.INTERVAL_WALK_MINUTES} min walking + "
                       f"{evidence.INTERVAL_STAND_MINUTES} min standing tall", "S2")
RAMP_CUE: Cue = ("Only once the flare has settled (pain back to your usual level after the micro-walks); "
                 "if not, repeat the micro-walks. Spread the walks over the day", "S1, S2, S4")
STENOSIS_CUE: Cue = ("Walk in bouts with standing rests; legs heavy or numb while walking that ease when you sit "
                     "or bend forward are expected: lean forward (shopping-cart position) or sit until they ease, "
                     "then carry on; flexion exercises from your physio", "S2")
DISC_CUE: Cue = ("A soft, flat surface; avoid concrete", "S2")
#: The disc client's one pace message (S2 says brisk, S3 comfortable: the sources differ, and the cue says so).
DISC_PACE_CUE: Cue = ("Pace: brisk and rhythmic rather than a slow shuffle, yet one you can still talk at; another "
                      "source says comfortable, not rushing, so if a brisk pace hurts, slow to comfortable",
                      "S2, S3, S5")
UPPER_BACK_CUE: Cue = ("Upper back: shoulders relaxed, blades down and back; chin parallel to the ground",
                       "S1, S5")
UPHILL_CUE: Cue = ("Uphill: short, steady stride, engage glutes and core, don't arch your back", "S1")
DOWNHILL_POLES_CUE: Cue = ("Downhill: slight knee bend; use your trekking poles to offload the lower back",
                           "S1")
DOWNHILL_CUE: Cue = ("Downhill: slight knee bend; trekking poles would offload the lower back", "S1")
PACK_CUE: Cue = (f"Pack at most {evidence.PACK_MAX_KG:g} kg, hip and chest straps on, heavy items near "
                 "the centre", "S1")
NO_PACK_CUE: Cue = ("No pack yet: new hikers start without one", "S1")
BOOTS_CUE: Cue = ("Hiking boots with deep tread, support and a ½–1 inch heel", "S1")
CHECKS_CUE: Cue = ("If pain rises, check posture, footwear, pack weight and intensity before quitting", "S1")
HOLD_CUE: Cue = ("Hold week: same walks as last week, no longer and no harder", "S11")
STEP_BACK_CUE: Cue = (f"Step-back week: a slower pace first ({evidence.DEFAULT_STEP_BACK_PACE_PERCENT:g} % "
                      "slower), flatter ground, shorter walks; then rebuild gradually", "S1")
REST_DAY_CUE = "Rest day: easy movement is fine"
STOPPED_CUE = "No walking plan after the red flag: see the notice"
NOT_LOGGED_CUE = "Not logged: counted as walked as planned; log it if you can"
LEG_CUE: Cue = ("If pain spreads further down your leg, stop this walk and step back; pain moving toward the "
                "middle of the back is a good sign", "S2")


def leg_cue(condition: str) -> Cue:
    """The leg-symptom stop cue in the words of :data:`planner.safety.LEG_SYMPTOM_WORDS`, read for
    ``condition``: with stenosis, heavy legs that ease are expected (:data:`STENOSIS_CUE`), and only
    spreading pain that does not ease, or new weakness or numbness that does not ease, stops a walk."""
    if condition != "spinal_stenosis":
        return LEG_CUE
    spreading = leg_symptom_rule("peripheralising", condition)
    numb = leg_symptom_rule("numb_weak_not_easing", condition)
    return (f"Pain spreading down the leg, {spreading.action}; new weakness, or numbness that does not ease: "
            f"{numb.action}", "S2, S3")


def _no_flexion(profile: ClientProfile, phase: str) -> bool:
    """Disc herniation or a flare-up: no forward-bending stretches in the cool-down."""
    return profile.pain.condition == "disc_herniation" or phase in (FLARE, RAMP)


def phase_wide_cues(profile: ClientProfile, phase: str) -> list[Cue]:
    """The cues for every session of a phase (warm-up, pain rule, form, pace, shoes, condition, ...)."""
    pain = profile.pain
    upper = pain.location == "upper"
    disc_pace = pain.condition == "disc_herniation" and phase not in (FLARE, RAMP)
    cues = [UPPER_WARM_UP if upper else WARM_UP, FLARE_PAIN_RULE if phase in (FLARE, RAMP) else PAIN_RULE, FORM_CUE,
            DISC_PACE_CUE if disc_pace else TALK_TEST_CUE, SHOES_WATER_CUE]
    if phase == RAMP:
        cues.append(RAMP_CUE)
    if pain.condition == "spinal_stenosis":
        cues.append(STENOSIS_CUE)
    if pain.condition == "disc_herniation":
        cues.append(DISC_CUE)
    if pain.location == "upper":
        cues.append(UPPER_BACK_CUE)
    if pain.leg_symptoms != "none" or pain.condition == "spinal_stenosis":
        cues.append(leg_cue(pain.condition))
    cool_down = UPPER_COOL_DOWN if upper else NO_FLEXION_COOL_DOWN if _no_flexion(profile, phase) else COOL_DOWN
    cues.extend([CHECKS_CUE, cool_down, LOG_IT])
    return cues


def specific_cues(profile: ClientProfile, session: Session, adjustment: str = "") -> list[Cue]:
    """The cues particular to one session: micro-walks, hills, pack, boots, a hold or a step back."""
    cues: list[Cue] = []
    if session.kind == MICRO_WALK:
        cues.append(MICRO_WALK_CUE)
    elif session.bouts > 1 and not session.rest_minutes:
        if session.bouts * session.bout_minutes == session.minutes:
            cues.append((f"{session.bouts} walks of {session.bout_minutes} min today, spread over the day", "S2, S4"))
        else:
            cues.append((f"{session.minutes} min today in {session.bouts} walks spread over the day, the longest "
                         f"{session.bout_minutes} min", "S2, S4"))
    if adjustment == HOLD:
        cues.append(HOLD_CUE)
    elif adjustment == STEP_BACK:
        cues.append(STEP_BACK_CUE)
    if session.grade_percent > 0:
        cues.append(UPHILL_CUE)
        cues.append(DOWNHILL_POLES_CUE if profile.terrain.trekking_poles else DOWNHILL_CUE)
    if session.kind == HIKE_KIND:
        cues.append(BOOTS_CUE)
        cues.append(PACK_CUE if session.pack_kg > 0 else NO_PACK_CUE)
    elif session.pack_kg > 0:
        cues.append(PACK_CUE)
    return cues


def session_cues(profile: ClientProfile, session: Session, phase: str, adjustment: str = "") -> list[Cue]:
    """All cues for one session (phase-wide, then session-specific), each with its source tags."""
    wide = phase_wide_cues(profile, phase)
    return wide[:-2] + specific_cues(profile, session, adjustment) + wide[-2:]


def phase_cues(plan: Plan) -> dict[str, list[Cue]]:
    """The cues shared by every session of each phase of ``plan``, in phase order: show once per phase.

    Rows of ``plan.sessions`` then need only their ``session_cues`` column.
    """
    phases = dict.fromkeys(week.phase for week in plan.weeks if week.sessions)
    return {phase: phase_wide_cues(plan.profile, phase) for phase in phases}


def _sources(cues: list[Cue], extra: tuple[str, ...]) -> str:
    tags = {tag.strip() for _, source in cues for tag in source.split(",")} | set(extra)
    return ", ".join(sorted(tags, key=lambda tag: (not tag.startswith("S"), len(tag), tag)))


def _text(cues: list[Cue]) -> str:
    return "; ".join(f"{text} ({source})" for text, source in cues)


def session_columns(profile: ClientProfile, weeks: list[Week], model: str = DEFAULT_MODEL) -> dict[str, list[Any]]:
    """One row per day of the plan (rest days included), as columns named in :data:`SESSION_COLUMNS`."""
    start = profile.goal.start_date
    reference_kj_per_minute = reference_walk_watts(profile.fitness.body_mass_kg, model) * evidence.KJ_PER_WATT_MINUTE
    load_model_sources = ("S13",) if model == LCDA else ("S8", "S12")
    columns: dict[str, list[Any]] = {name: [] for name in SESSION_COLUMNS}
    # Cues depend on the profile and a session's shape only: work them out once per shape.
    cue_texts: dict[tuple, tuple[str, str, str]] = {}
    check_ins = set(check_in_weeks(len(weeks)))
    for week in weeks:
        by_offset = {session.day_offset: session for session in week.sessions}
        for offset in range(7):
            day = start + dt.timedelta(days=week.index * 7 + offset)
            session = by_offset.get(offset)
            if session is None:
                stopped = week.stopped_from_offset is not None and offset >= week.stopped_from_offset
                row = (day, week.index + 1, WEEKDAY_NAMES[day.weekday()], week.phase, REST, 0, 0, 0, 0, "",
                       0.0, 0.0, 0.0, 0.0, 0.0, STOPPED_CUE if stopped else REST_DAY_CUE, "", "",
                       STOPPED if stopped else REST, 0)
            else:
                shape = (session.kind, week.phase, session.grade_percent > 0, session.pack_kg > 0,
                         week.adjustment, session.status == NOT_LOGGED,
                         (session.bouts, session.bout_minutes, session.minutes) if session.bouts > 1 and not session.rest_minutes else None)
                if shape not in cue_texts:
                    cues = session_cues(profile, session, week.phase, week.adjustment)
                    specific = specific_cues(profile, session, week.adjustment)
                    # Load figures: the model (S13, or S8 + S12), terrain factors (S9), Tobler on hills (S10).
                    load_sources = load_model_sources + ("S9",) + (("S10",) if session.grade_percent else ())
                    phase_sources = (("S2",) if week.phase in (FLARE, RAMP) else
                                     ("S1",) if session.kind == HIKE_KIND else ("S3", "S6"))
                    specific_text = _text(specific)
                    if session.status == NOT_LOGGED:
                        specific_text = NOT_LOGGED_CUE + ("; " + specific_text if specific_text else "")
                    cue_texts[shape] = (_text(cues), specific_text, _sources(cues, load_sources + phase_sources))
                cue_text, specific_text, sources = cue_texts[shape]
                row = (day, week.index + 1, WEEKDAY_NAMES[day.weekday()], week.phase, session.kind,
                       session.bouts, session.bout_minutes, session.rest_minutes, session.minutes,
                       evidence.SURFACE_LABELS[session.surface], session.grade_percent, session.pack_kg,
                       session.speed_kmh, round(session.load_kj, 1),
                       round(session.load_kj / reference_kj_per_minute, 1), cue_text, specific_text, sources,
                       session.status,
                       session.minutes if session.planned_minutes is None else session.planned_minutes)
            # A clinician check-in on the first day of its week (S6; see :func:`check_in_weeks`).
            row = row + (offset == 0 and week.index + 1 in check_ins,)
            for name, value in zip(SESSION_COLUMNS, row):
                columns[name].append(value)
    return columns


def check_in_weeks(plan_weeks: int) -> tuple[int, ...]:
    """The 1-based weeks that start with a clinician check-in: every DEFAULT_CHECK_IN_WEEKS weeks in a
    plan longer than 6 weeks (S6: WalkBack's six physiotherapist sessions over six months)."""
    if plan_weeks < evidence.CHECK_IN_MIN_PLAN_WEEKS:
        return ()
    return tuple(range(evidence.DEFAULT_CHECK_IN_WEEKS + 1, plan_weeks + 1, evidence.DEFAULT_CHECK_IN_WEEKS))
