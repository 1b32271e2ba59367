"""Pain diary entries, and ``adapt``: the rest of a plan rebuilt from what was actually done.

Rules (``docs/evidence.md``): the pain-monitoring model (S11) — pain during a walk up to 5/10,
after it up to 5/10 and settled by the next morning, no rise week on week — decides whether the
next week progresses or holds, judged against the person's own usual level (:func:`usual_pain`:
the intake answer, then the median of recent settled diary days): pain at the usual level is no
reason to hold; more than ``PAIN_RISE_MCID_POINTS`` (the 2-point minimal clinically important
difference, MCID) over it is. During a flare-up S1's stricter rule applies (pain must go back to
the usual level when you stop). A "getting worse" answer, or pain rising over
``DEFAULT_RISING_PAIN_DAYS`` logged days, never progresses. Pain spreading down the leg (S2),
repeated breaches, or a second held week in a row step back (S1: shorter, flatter, slower; then
rebuild). A step back has fewer minutes and less load than the week before it; a hold never
exceeds it. A red flag reported in the diary stops the plan (S2, S3). Pain moving further down the
leg (peripheralising) adds a "review soon" notice naming it; a second time within
``LEG_SPREADING_WINDOW_DAYS`` days, or together with new numbness or weakness, stops the plan ("see
a doctor today", S2, S3) — except that with spinal stenosis leg symptoms on walking are often
neurogenic claudication (S2): legs heavy or numb that ease with sitting or bending forward are
expected, spreading leg pain holds for a review, and numbness or weakness that does not ease is
reviewed. Holds and step backs carry S1's advice to check posture, footwear, pack weight and
intensity before quitting. The cap and the acute:chronic ratio are measured from the load actually
done, so missed sessions cause no catch-up spike.

Days without an entry: a past day with a planned session and no diary entry is ``not logged`` (its
own status) and counts as walked as planned in load, cap and ratio (a missing entry is missing
data, not a rest day: counting it as 0 min made the ratio jump when logging resumed). But silence
is not success: once logging has begun, a finished week without any entry holds the next week ("no
entries since <date>: check in with the client"), and ``DEFAULT_SILENT_WEEKS_STEP_DOWN`` such weeks
in a row step down to the last dose logged as comfortable. A walk that was skipped is logged as 0
minutes: status ``missed``, and it counts as 0.
"""

from __future__ import annotations

import datetime as dt
import copy
import math
import statistics
from dataclasses import dataclass, field, replace
from typing import Iterable

from planner import evidence
from planner.load import energy_kj
from planner.plan import Plan, assess, build_plan, shortfall_note
from planner.plan import plan as plan_for
from planner.profile import (LEG_SYMPTOMS, MAX_NOTE_CHARACTERS, ClientProfile, PlannerInputError, _choice, _number,
                              red_flag_keys, text_field)
from planner.progression import (DIRECTIVES, DONE, EXTRA, FLARE, HOLD, MICRO_WALK, MISSED, NOT_LOGGED, PLANNED,
                                 PROGRESS, RAMP, STEP_BACK, STOPPED, WALK, Session, Week, WeekPlanner)
from planner.recordings import RecordingSource
from planner.safety import (LEG_SPREADING, LEG_SPREADING_REPEATED, LEG_SPREADING_WINDOW_DAYS, LEGACY_RED_FLAG_KEYS,
                            TIER_MESSAGES, TIER_WORDS, SafetyVerdict, Tier, check_red_flags)

#: S1: "If pain worsens, consider evaluating factors such as posture, footwear, pack weight, and intensity
#: rather than quitting outright" - carried by every hold and step back.
S1_CHECKS = "before quitting, check posture, footwear, pack weight and intensity (S1)"
#: Diary red flags that, with spreading leg pain, mean new numbness or weakness (S3).
NUMBNESS_OR_WEAKNESS = frozenset({"new_numbness_tingling", "both_legs_weakness"})

MAX_DIARY_MINUTES = 24 * 60

#: The diary's leg-symptom answers: the Pain tab's (:data:`planner.safety.LEG_SYMPTOM_WORDS`), among them
#: neurogenic claudication that eases with sitting or bending forward (expected with spinal stenosis,
#: S2), and new weakness or numbness that does not ease (reviewed, S3).
LEGS_EASE_WITH_SITTING = "heavy_easing"
LEGS_NOT_EASING = "numb_weak_not_easing"
DIARY_LEG_SYMPTOMS = LEG_SYMPTOMS
assert {LEGS_EASE_WITH_SITTING, LEGS_NOT_EASING} <= set(DIARY_LEG_SYMPTOMS)
#: The diary's "getting worse" answer (S3's "pain that is severe, getting worse ...").
GETTING_WORSE = "severe_or_worsening"


@dataclass(frozen=True)
class DiaryEntry:
    """How one day's walk went. Pain is 0–10; ``pain_next_morning`` is None until known.

    ``recordings``: the recorded walks (watch or phone files) behind the entry, if any; their load
    is the day's load. ``pains_missing``: imported from a recording and no pains logged yet (the
    0/10 in ``pain_during`` and ``pain_after`` are placeholders): the pain rules skip the entry.
    """

    date: dt.date
    minutes_walked: float
    pain_during: float
    pain_after: float
    pain_next_morning: float | None = None
    leg_symptoms: str = "none"
    red_flags: frozenset[str] = field(default_factory=frozenset)
    note: str = ""
    recordings: tuple[RecordingSource, ...] = ()
    pains_missing: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise PlannerInputError("date", "a date", self.date)
        object.__setattr__(self, "minutes_walked", _number(
            "minutes_walked", self.minutes_walked, 0, MAX_DIARY_MINUTES, "min"))
        object.__setattr__(self, "pain_during", _number("pain_during", self.pain_during, 0, 10))
        object.__setattr__(self, "pain_after", _number("pain_after", self.pain_after, 0, 10))
        if self.pain_next_morning is not None:
            object.__setattr__(self, "pain_next_morning", _number(
                "pain_next_morning", self.pain_next_morning, 0, 10))
        _choice("leg_symptoms", self.leg_symptoms, DIARY_LEG_SYMPTOMS)
        object.__setattr__(self, "red_flags", red_flag_keys("red_flags", self.red_flags))
        text_field("note", self.note, MAX_NOTE_CHARACTERS, multiline=True)
        if isinstance(self.recordings, (str, bytes)) or not hasattr(self.recordings, "__iter__") or not all(
                isinstance(item, RecordingSource) for item in self.recordings):
            raise PlannerInputError("recordings", "a list of RecordingSource", type(self.recordings).__name__)
        object.__setattr__(self, "recordings", tuple(self.recordings))
        if not isinstance(self.pains_missing, bool):
            raise PlannerInputError("pains_missing", "True or False", self.pains_missing)
        if self.pains_missing and (self.pain_during or self.pain_after or self.pain_next_morning is not None):
            raise PlannerInputError("pains_missing", "False when pains are given", True)

    @property
    def recorded_load_kj(self) -> float | None:
        """The load of the day's recorded walks, kJ (None when it was not recorded)."""
        return sum(item.load_kj for item in self.recordings) if self.recordings else None

    def to_dict(self) -> dict:
        """A JSON-safe dict (``recordings`` and ``pains_missing`` only when set, as older diaries)."""
        data = {"date": self.date.isoformat(), "minutes_walked": self.minutes_walked,
                "pain_during": self.pain_during, "pain_after": self.pain_after,
                "pain_next_morning": self.pain_next_morning, "leg_symptoms": self.leg_symptoms,
                "red_flags": sorted(self.red_flags), "note": self.note}
        if self.recordings:
            data["recordings"] = [item.to_dict() for item in self.recordings]
        if self.pains_missing:
            data["pains_missing"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict) -> DiaryEntry:
        """Rebuild an entry from :meth:`to_dict` output, validating every field."""
        if not isinstance(data, dict):
            raise PlannerInputError("diary entry", "a JSON object", type(data).__name__)
        values = dict(data)
        known = {"date", "minutes_walked", "pain_during", "pain_after", "pain_next_morning",
                 "leg_symptoms", "red_flags", "note", "recordings", "pains_missing"}
        if set(values) - known:
            raise PlannerInputError("diary entry", "fields " + ", ".join(sorted(known)),
                                    sorted(set(values) - known)[0])
        for required in ("date", "minutes_walked", "pain_during", "pain_after"):
            if required not in values:
                raise PlannerInputError(required, "present in every diary entry", None)
        try:
            values["date"] = dt.date.fromisoformat(values["date"])
        except (TypeError, ValueError):
            raise PlannerInputError("date", "a date as YYYY-MM-DD", data.get("date")) from None
        flags = values.get("red_flags", ())
        if isinstance(flags, (list, tuple, set, frozenset)):
            # Older diaries may carry flags that are no longer red flags (e.g. "not used to exercise").
            flags = [key for key in flags if not (isinstance(key, str) and key in LEGACY_RED_FLAG_KEYS)]
        values["red_flags"] = red_flag_keys("red_flags", flags)
        recordings = values.get("recordings", [])
        if not isinstance(recordings, list):
            raise PlannerInputError("recordings", "a list", type(recordings).__name__)
        values["recordings"] = tuple(RecordingSource.from_dict(item) for item in recordings)
        return cls(**values)


@dataclass(frozen=True)
class Verdict:
    """What a week's diary says for the next week, and why (with the source tag)."""

    directive: str
    reasons: tuple[str, ...]
    breached: bool  # pain broke a limit (a second such week in a row steps back)


def usual_pain(intake_pain: float, earlier: Iterable[DiaryEntry]) -> float:
    """The person's usual pain level: the median next-morning pain of their last
    ``DEFAULT_USUAL_PAIN_DAYS`` settled diary days (next-morning pain no higher than after the walk),
    once at least ``DEFAULT_USUAL_PAIN_MIN_DAYS`` are logged; before that, the intake answer. Never
    above the intake answer, so a slow upward drift is not taken as the new normal."""
    settled = [entry.pain_next_morning for entry in sorted(earlier, key=lambda entry: entry.date)
               if entry.pain_next_morning is not None and entry.pain_next_morning <= entry.pain_after
               and not entry.red_flags and entry.leg_symptoms in ("none", "centralising")]
    recent = settled[-evidence.DEFAULT_USUAL_PAIN_DAYS:]
    if len(recent) < evidence.DEFAULT_USUAL_PAIN_MIN_DAYS:
        return intake_pain
    return min(intake_pain, statistics.median(recent))


def _worst(entry: DiaryEntry) -> float:
    return max(entry.pain_during, entry.pain_after, entry.pain_next_morning or 0.0)


def _days(days: list[str]) -> str:
    return ", ".join(days)


def judge_week(entries: list[DiaryEntry], previous: list[DiaryEntry], baseline_pain: float,
               in_flare: bool, previous_breached: bool, *, last_logged: dt.date | None = None,
               empty_weeks: int = 0, stenosis: bool = False, earlier: Iterable[DiaryEntry] | None = None) -> Verdict:
    """Apply the pain-monitoring rules to one week's entries (S1, S2, S11, MCID).

    ``baseline_pain`` is the person's usual level (:func:`usual_pain`). Pain at the usual level is
    no reason to hold: pain during or after a walk breaks the limit above S11's 5/10 *and* more than
    ``PAIN_RISE_MCID_POINTS`` over the usual level; next-morning pain more than that over the usual
    level has not settled (S11). A finished week without entries after logging began
    (``last_logged``; ``empty_weeks`` in a row, this one included) holds, and
    ``DEFAULT_SILENT_WEEKS_STEP_DOWN`` such weeks step back: silence is not success. A "getting
    worse" answer, or pain rising over ``DEFAULT_RISING_PAIN_DAYS`` logged days, never progresses.
    ``earlier``: entries before this week, for the rising-pain run (default: ``previous``).
    With spinal stenosis (``stenosis``), leg symptoms that ease with sitting or bending forward are
    expected (S2) and spreading leg pain holds for a review instead of stepping back.
    Entries imported from a recording without pains (``pains_missing``) are not judged as
    comfortable: a week whose only entries are such walks holds until the pains are logged.
    """
    recorded_only = [entry for entry in entries if entry.pains_missing]
    entries = [entry for entry in entries if not entry.pains_missing]
    previous = [entry for entry in previous if not entry.pains_missing]
    if earlier is not None:
        earlier = [entry for entry in earlier if not entry.pains_missing]
    if recorded_only and not entries:
        days = _days([entry.date.isoformat() for entry in recorded_only])
        return Verdict(HOLD, (f"walks recorded on {days} but no pains logged: hold until the diary says how they "
                              "went (a walk without pains is not a walk that went well, S11)",), False)
    usual = baseline_pain
    rise = evidence.PAIN_RISE_MCID_POINTS
    during_limit = max(evidence.PAIN_DURING_ACTIVITY_MAX, usual + rise)
    after_limit = max(evidence.PAIN_AFTER_ACTIVITY_MAX, usual + rise)
    morning_limit = usual + rise
    if not entries:
        if last_logged is not None and empty_weeks >= 1:
            since = f"no entries since {last_logged.isoformat()}: check in with the client"
            if empty_weeks == evidence.DEFAULT_SILENT_WEEKS_STEP_DOWN:
                return Verdict(STEP_BACK, (f"{since}; {empty_weeks} weeks without a diary entry: step down to the "
                                           "last dose logged as comfortable (a missing entry is not a walk that "
                                           "went well)",), False)
            return Verdict(HOLD, (f"{since}; hold until the diary says how the walks went (a missing entry "
                                  "is not a walk that went well)",), False)
        return Verdict(PROGRESS, ("no walks logged yet: nothing to judge (S11)",), False)
    holds: list[str] = []
    step_backs: list[str] = []
    found: dict[str, list[str]] = {}
    breached_days: set[dt.date] = set()

    def breach(rule: str, entry: DiaryEntry, value: float | None = None) -> None:
        found.setdefault(rule, []).append(entry.date.isoformat() + ("" if value is None else f" ({value:g}/10)"))
        if rule not in ("stenosis spreading", "claudication"):  # leg symptoms to review, not pain over a limit
            breached_days.add(entry.date)

    for entry in entries:
        if entry.leg_symptoms == "peripheralising":
            breach("stenosis spreading" if stenosis else "spreading", entry)
        elif entry.leg_symptoms == LEGS_NOT_EASING:
            breach("not easing", entry)
        elif entry.leg_symptoms == LEGS_EASE_WITH_SITTING and not stenosis:
            breach("claudication", entry)
        if GETTING_WORSE in entry.red_flags:
            breach("worse", entry)
        if in_flare and entry.pain_after > usual:
            breach("flare", entry, entry.pain_after)
        if entry.pain_during > during_limit:
            breach("during", entry, entry.pain_during)
        if entry.pain_after > after_limit:
            breach("after", entry, entry.pain_after)
        if entry.pain_next_morning is not None and entry.pain_next_morning > morning_limit:
            breach("morning", entry, entry.pain_next_morning)
    over = f"above {evidence.PAIN_DURING_ACTIVITY_MAX}/10 (S11) and more than {rise:g} points over your usual " \
           f"{usual:g}/10 (MCID)" if usual + rise > evidence.PAIN_DURING_ACTIVITY_MAX else \
           f"above {evidence.PAIN_DURING_ACTIVITY_MAX}/10 (S11)"
    messages = {
        "spreading": ("pain moved further down the leg (peripheralising) on {}: stop that walk, step back, and have "
                      "it reviewed soon (S2, S3)"),
        "stenosis spreading": ("pain spreading down the leg on {}: with spinal stenosis this is often neurogenic "
                               "claudication; if it eases when you sit or bend forward, log it as such; hold and "
                               "have it reviewed soon (S2, S3)"),
        "not easing": ("leg numbness or weakness that did not ease with sitting or bending forward, or new "
                       "weakness, on {}: hold and have it reviewed soon; neurological symptoms can't be walked "
                       "off (S3)"),
        "claudication": ("legs heavy, numb or aching while walking, easing with rest, on {}: hold and mention it "
                         "to your clinician (S2, S3)"),
        "worse": "you logged pain getting worse on {}: no progress; see a clinician soon (S3)",
        "flare": (f"pain after the walk did not go back to your usual {usual:g}/10 on {{}}, the stricter rule "
                  "during a flare-up (S1)"),
        "during": "pain during the walk was " + over + " on {}",
        "after": "pain after the walk was " + over + " on {}",
        "morning": (f"pain had not settled by the morning after {{}}: more than {rise:g} points over your usual "
                    f"{usual:g}/10 (S11, MCID)"),
    }
    for rule, days in found.items():
        text = messages[rule].format(_days(days))
        (step_backs if rule == "spreading" else holds).append(text)
    breaches = len(breached_days)
    if previous:
        now = sum(e.pain_during for e in entries) / len(entries)
        before = sum(e.pain_during for e in previous) / len(previous)
        if now > before and now > usual:
            holds.append(f"pain during walks rose week on week ({before:.1f} → {now:.1f}/10), above your usual "
                         f"{usual:g}/10 (S11)")
            breaches = max(breaches, 1)
    before = list(previous) if earlier is None else list(earlier)  # entries logged before this week
    run = sorted(before + list(entries), key=lambda e: e.date)[-evidence.DEFAULT_RISING_PAIN_DAYS:]
    if (len(run) == evidence.DEFAULT_RISING_PAIN_DAYS and run[-1] in entries
            and all(_worst(a) < _worst(b) for a, b in zip(run, run[1:]))):
        holds.append(f"pain rose on {len(run)} logged days in a row ("
                     + " → ".join(f"{_worst(e):g}" for e in run) + "/10): no progress until it settles (S11)")
        breaches = max(breaches, 1)
    if breaches >= evidence.DEFAULT_REPEATED_BREACHES and holds:
        step_backs.append(f"pain broke the limits on {breaches} walks this week: repeated (S11, S1)")
    if (holds or step_backs) and previous_breached:
        step_backs.append("a second week in a row with pain over the limits (S11, S1)")
    if step_backs:
        return Verdict(STEP_BACK, tuple(step_backs + holds + [S1_CHECKS]), True)
    if holds:
        return Verdict(HOLD, tuple(holds + [S1_CHECKS]), True)
    expected = [e.date.isoformat() for e in entries if stenosis and e.leg_symptoms == LEGS_EASE_WITH_SITTING]
    return Verdict(PROGRESS, ("pain stayed within the limits and settled by the next morning (S11)",)
                   + ((f"legs heavy or numb while walking, easing with sitting or bending forward, on "
                       f"{_days(expected)}: expected with spinal stenosis, carry on with rests (S2)",)
                      if expected else ()), False)


def _logged_week(planned: Week, entries: dict[dt.date, DiaryEntry], week_start: dt.date,
                 planner: WeekPlanner, until_offset: int = 7) -> list[Session]:
    """Sessions of a planned week as actually walked, for days before ``until_offset``."""
    context = planner.context
    by_offset = {session.day_offset: session for session in planned.sessions}
    sessions = []
    for offset in range(until_offset):
        entry = entries.get(week_start + dt.timedelta(days=offset))
        session = by_offset.get(offset)
        if session is None and entry is None:
            continue
        if session is None:
            # A walk logged on a rest day counts as an extra walk on the plan's walking terrain.
            surface, grade, pack = context.terrain_of(WALK, planner.level)
            watts, speed = context.rate(surface, grade, pack)
            minutes = math.floor(entry.minutes_walked)
            load = energy_kj(watts, minutes) if entry.recorded_load_kj is None else entry.recorded_load_kj
            sessions.append(Session(offset, WALK, minutes, 1, minutes, 0, surface, grade, pack, round(speed, 2),
                                    watts, load, EXTRA, 0))
            continue
        planned_minutes = session.minutes if session.planned_minutes is None else session.planned_minutes
        if entry is None:
            # No entry: missing data, counted as walked as planned (see the module docstring).
            sessions.append(replace(session, status=NOT_LOGGED, planned_minutes=planned_minutes))
            continue
        done = math.floor(entry.minutes_walked)
        per_minute = session.load_kj / session.minutes if session.minutes else 0.0
        sessions.append(replace(session, minutes=done, bout_minutes=done if session.bouts == 1 else min(
                                    session.bout_minutes, done),
                                load_kj=per_minute * done if entry.recorded_load_kj is None else entry.recorded_load_kj,
                                status=DONE if done > 0 else MISSED, planned_minutes=planned_minutes))
    return sessions


def adapt(profile: ClientProfile, plan: Plan, diary: Iterable[DiaryEntry], today: dt.date) -> Plan:
    """The plan with the past as logged in ``diary`` and the rest rebuilt from what was done.

    Days before ``today`` are past: each shows what was walked (or ``missed``). From the week that
    holds ``today`` on, weeks are planned again from the load actually done; each week's diary
    decides how the next week moves (progress / hold / step back, with the reason and source in
    ``weekly['reason']`` and the notes). A red flag in the diary stops every session from that day.
    A hold never exceeds the week it holds, and a step back has fewer minutes and less load than the
    week it steps back from (a week with something walked in it).
    """
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)
    if not isinstance(plan, Plan):
        raise PlannerInputError("plan", "a Plan", type(plan).__name__)
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise PlannerInputError("today", "a date", today)
    entries = _validate_diary(diary, profile, today)
    safety = assess(profile)
    if plan.stopped or safety.stops_plan:
        return plan_for(profile, plan.load_model)  # a red flag in the profile: no sessions at all
    start, weeks_total = profile.goal.start_date, profile.goal.weeks
    current_index = max(0, (today - start).days // 7)
    planner = WeekPlanner(profile, plan.load_model)
    stenosis = profile.pain.condition == "spinal_stenosis"
    leg_stop, leg_notes = _leg_symptoms(entries, stenosis)
    weeks: list[Week] = []
    extra_notes: list[str] = []
    stop_date: dt.date | None = None
    verdict = Verdict(PROGRESS, (), False)
    previous_entries: list[DiaryEntry] = []
    previous_week_logged = False
    empty_weeks = 0
    rebuilding = False  # the week before was shortened by a hold or step back (or is still rebuilding)
    comfortable: Week | None = None  # the last week logged within the limits
    planned_weeks = plan.weeks or tuple(WeekPlanner.plan_all(profile, plan.load_model))
    dates = sorted(entries)

    for index in range(weeks_total):
        week_start = start + dt.timedelta(days=7 * index)
        planned_before = planned_weeks[index] if index < len(planned_weeks) else None
        week_entries = [entries[d] for d in dates if week_start <= d < week_start + dt.timedelta(days=7)]
        reported = check_red_flags(frozenset().union(*(e.red_flags for e in week_entries)))
        flag_dates = [e.date for e in week_entries if check_red_flags(e.red_flags).stops_plan]
        if leg_stop is not None and week_start <= leg_stop < week_start + dt.timedelta(days=7):
            flag_dates.append(leg_stop)
            reported = SafetyVerdict(max(reported.tier, Tier.URGENT), reported.triggered + (LEG_SPREADING_REPEATED,))
        if reported.tier >= Tier.URGENT and stop_date is None:
            stop_date = min(flag_dates)
            safety = SafetyVerdict(max(safety.tier, reported.tier), safety.triggered + reported.triggered)
        elif reported.tier == Tier.REVIEW:
            extra_notes.append(f"Week {index + 1}: {reported.message} "
                               f"({'; '.join(f.label for f in reported.triggered)}).")
        step_down_to = comfortable if verdict.directive == STEP_BACK and empty_weeks else None
        if verdict.directive == STEP_BACK and empty_weeks and comfortable is None:
            verdict = replace(verdict, reasons=tuple(
                reason.replace("step down to the last dose logged as comfortable",
                               "step back (no week was logged as comfortable yet)") for reason in verdict.reasons))
        reference = weeks[-1] if weeks else None

        if index < current_index and planned_before is not None:
            # A past week: what its previous week's diary called for, with the days as logged.
            judged = index > 0 and verdict.reasons
            directive = verdict.directive if judged else PROGRESS
            peeked = _peek(planner, index, directive)
            asked = _within(peeked, reference, directive if directive != PROGRESS or rebuilding else "",
                            planner, step_down_to)
            rebuilding = asked is not peeked or (rebuilding and directive == PROGRESS and asked is not peeked)
            sessions = _logged_week(asked, entries, week_start, planner)
            adjustment = directive if judged else planned_before.adjustment
            reason = "; ".join(verdict.reasons) if judged else planned_before.reason
            week = Week(index, asked.phase, tuple(sessions), sum(s.load_kj for s in sessions),
                        asked.at_starting_dose, adjustment, reason, difficulty_change=asked.difficulty_change)
            planner.record_done(week)
            if judged and verdict.directive != PROGRESS:
                extra_notes.append(f"Week {index + 1}: {verdict.directive} — {reason}.")
        else:
            # A verdict speaks for the week after a finished week, or after this week's logged walks.
            judged = index > 0 and (index <= current_index or previous_week_logged)
            directive = verdict.directive if judged else PROGRESS
            until = (today - week_start).days if index == current_index and planned_before is not None else 0
            worse = [e.date.isoformat() for e in week_entries if e.date < today and GETTING_WORSE in e.red_flags]
            if until > 0 and worse and directive == PROGRESS:
                # Logged earlier this week: the rest of the week does not progress either (S3).
                directive, judged = HOLD, True
                verdict = Verdict(HOLD, (f"you logged pain getting worse on {_days(worse)}: no progress for the "
                                         "rest of this week; see a clinician soon (S3)",), verdict.breached)
            # Days of this week before today: as logged, or (not logged) as this week's directive asked.
            past = (_logged_week(_peek(planner, index, directive), entries, week_start, planner, until)
                    if until > 0 else [])
            settled = (until > 0 and planned_before.phase == FLARE
                       and flare_settled([e for e in week_entries if e.date < today]))
            week = planner.plan_week(index, directive, from_offset=max(until, 0), flare_settled=settled,
                                     done_load_kj=sum(s.load_kj for s in past))
            reason = "; ".join(verdict.reasons) if judged else ""
            week = replace(week, adjustment=directive if reason else "", reason=reason)
            if until > 0:
                # Days of this week before today stay as logged; the rest was planned around them.
                sessions = tuple(past) + week.sessions
                week = replace(week, sessions=sessions, load_kj=sum(s.load_kj for s in sessions))
            fitted = _within(week, reference, directive if directive != PROGRESS or rebuilding else "",
                             planner, step_down_to)
            _sync(planner, fitted, shortened=fitted is not week)
            rebuilding = fitted is not week
            week = fitted
            if reason:
                extra_notes.append(f"Week {index + 1}: {directive} — {reason}.")
        weeks.append(week)
        in_flare = week.phase == FLARE
        finished = index < current_index
        empty_weeks = empty_weeks + 1 if finished and not week_entries and previous_entries else 0
        last_logged = max((d for d in dates if d < week_start + dt.timedelta(days=7)), default=None)
        usual = usual_pain(profile.pain.pain_now, (entries[d] for d in dates if d < week_start))
        earlier = [entries[d] for d in dates if d < week_start][-evidence.DEFAULT_RISING_PAIN_DAYS:]
        verdict = judge_week(week_entries, previous_entries, usual, in_flare, verdict.breached,
                             last_logged=last_logged, empty_weeks=empty_weeks, stenosis=stenosis, earlier=earlier)
        if week_entries and verdict.directive == PROGRESS:
            comfortable = week
        previous_week_logged = bool(week_entries)
        if week_entries:
            previous_entries = week_entries

    extra_notes = leg_notes + extra_notes
    shortfall = None
    if stop_date is not None:
        weeks = _stop_from(weeks, start, stop_date)
        why = ("pain moved further down the leg again within "
               f"{LEG_SPREADING_WINDOW_DAYS} days, or with new numbness or weakness"
               if stop_date == leg_stop else "a red flag was reported in the diary")
        extra_notes.insert(0, f"Stopped on {stop_date.isoformat()}: {why}. {TIER_MESSAGES[Tier.URGENT]}"
                           if stop_date == leg_stop else f"Stopped on {stop_date.isoformat()}: {why}.")
    else:
        def shortfall() -> str:
            return shortfall_note(profile, planner, weeks_total)
    return build_plan(profile, safety, weeks, tuple(extra_notes), shortfall, plan.load_model)


def _peek(planner: WeekPlanner, index: int, directive: str) -> Week:
    """The week ``planner`` would plan under ``directive``, without remembering it."""
    clone = copy.copy(planner)
    clone.loads = list(planner.loads)
    return clone.plan_week(index, directive)


def _minutes(week: Week) -> int:
    return sum(session.minutes for session in week.sessions)


def _within(week: Week, reference: Week | None, directive: str, planner: WeekPlanner,
            step_down_to: Week | None = None) -> Week:
    """``week`` with its planned sessions shortened so that a hold does not exceed ``reference`` (the
    week before) in minutes or load, and a step back stays below it in both (by DEFAULT_STEP_BACK_PERCENT
    when the planner's own step back did not); ``step_down_to``: not above that week either (the last
    dose logged as comfortable). ``PROGRESS`` (rebuilding after a shortened week): at most the cap
    above it (one whole minute at least, as the planner grows sessions); any other directive: ``week``
    as it is. Logged days stay as they were."""
    if directive not in DIRECTIVES or reference is None or _minutes(reference) == 0:
        return week
    max_minutes, max_load = float(_minutes(reference)), reference.load_kj
    if directive == PROGRESS:
        # Rebuilding after a shortened hold or step back: within the weekly cap, not back to the
        # phase's starting dose in one go (S1: then rebuild gradually; S15).
        cap = planner.context.cap
        max_minutes = max(max_minutes + 1, math.floor(max_minutes * (1 + cap)))
        max_load = max_load * (1 + cap) * max_minutes / max(1.0, math.floor(_minutes(reference) * (1 + cap)))
    if directive == STEP_BACK:
        shorter = 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100
        if _minutes(week) >= max_minutes or week.load_kj >= max_load:
            max_minutes, max_load = math.floor(max_minutes * shorter), max_load * shorter
        else:
            max_minutes, max_load = max_minutes - 1, max_load - 1e-6
    if step_down_to is not None and _minutes(step_down_to) > 0:
        max_minutes = min(max_minutes, _minutes(step_down_to))
        max_load = min(max_load, step_down_to.load_kj)
    if directive == HOLD:
        week = _no_walk_longer(week, reference)
    if _minutes(week) <= max_minutes and week.load_kj <= max_load + 1e-6:
        return week
    movable = [i for i, s in enumerate(week.sessions) if s.status in (PLANNED, NOT_LOGGED) and s.minutes > 0]
    fixed = [s for i, s in enumerate(week.sessions) if i not in movable]
    room_minutes = max_minutes - sum(s.minutes for s in fixed)
    room_load = max_load + 1e-6 - sum(s.load_kj for s in fixed)

    def fits(candidate: dict[int, Session]) -> bool:
        return (sum(s.minutes for s in candidate.values()) <= room_minutes
                and sum(s.load_kj for s in candidate.values()) <= room_load)

    # First every session a little shorter, down to S2's shortest walk; then fewer sessions,
    # spread over the week, rather than walks of a minute or two.
    shortest = evidence.MICRO_WALK_EARLY_MINUTES
    chosen: dict[int, Session] = {}
    factor = 1.0
    while factor > 0:
        factor = round(factor - 0.02, 2)
        trial = {i: _shorter(week.sessions[i], factor) for i in movable}
        if any(s is None or s.minutes < min(shortest, week.sessions[i].minutes) for i, s in trial.items()):
            break
        chosen = trial
        if fits(trial):
            break
    else:
        chosen = {}
    extra: list[Session] = []
    found = sum(s.minutes for s in chosen.values()) if chosen and fits(chosen) else 0
    if not found or found < room_minutes:
        best, chosen = chosen if found else {}, {}
        # As many walks of at least the shortest length as the room allows, spread over the week,
        # the minutes shared out evenly (never longer than planned).
        total = int(min(room_minutes, sum(_length(week.sessions[i]) for i in movable)))
        while total > found and not chosen:
            trial = _spread(week, movable, total, shortest)
            if trial and fits(trial):
                chosen = trial
            total -= 1
        chosen = chosen or best
    if not chosen and directive == HOLD:
        # A hold that cannot be made smaller than the week before repeats that week's walks (S11).
        taken = {s.day_offset for s in fixed}
        again = [replace(s, status=PLANNED, planned_minutes=None) for s in reference.sessions
                 if s.minutes > 0 and s.day_offset not in taken and s.day_offset >= min(
                     (week.sessions[i].day_offset for i in movable), default=7)]
        pool = _fewest(list(range(len(again))), dict(enumerate(again)), fits)
        extra = [pool[i] for i in sorted(pool)]
    if not chosen and not extra and movable:
        # Nothing smaller than one short walk: keep one (S1: back off, don't quit outright).
        first = week.sessions[movable[0]]
        bout = min(shortest, first.bout_minutes)
        chosen = {movable[0]: _resized(first, bout) if first.kind != MICRO_WALK else _resized(first, bout / first.bouts)}
    sessions = tuple(chosen.get(i) if i in movable else s for i, s in enumerate(week.sessions))
    sessions = tuple(sorted((s for s in sessions + tuple(extra) if s is not None), key=lambda s: s.day_offset))
    note = {HOLD: "hold: no more minutes or load than last week (S11)",
            STEP_BACK: "step back: fewer minutes and less load than last week (S1)",
            PROGRESS: (f"rebuilding: at most +{planner.context.cap * 100:g} % on last week, not straight back to "
                       "the starting dose (S1, S15)")}[directive]
    change = "; ".join(part for part in (week.difficulty_change, note) if part)
    return replace(week, sessions=sessions, load_kj=sum(s.load_kj for s in sessions), difficulty_change=change)


def _spread(week: Week, movable: list[int], total: int, shortest: int) -> dict[int, Session]:
    """``total`` minutes over as many of the ``movable`` sessions as can have ``shortest`` minutes
    each (fewer when some were planned shorter), spread over the week."""
    count = min(len(movable), max(1, total // shortest))
    keep = [movable[int(k * len(movable) / count)] for k in range(count)]
    share, left = divmod(total, count)
    chosen: dict[int, Session] = {}
    for k, i in enumerate(keep):
        session = week.sessions[i]
        length = min(_length(session), share + (k < left))
        if session.kind == MICRO_WALK:
            length = min(session.bout_minutes, max(1, (share + (k < left)) // session.bouts))
        resized = _resized(session, length)
        if resized is not None:
            chosen[i] = resized
    return chosen


def _fewest(indices: list[int], sessions: dict[int, Session | None], fits) -> dict[int, Session]:
    """The most of ``sessions`` (spread over the week) that ``fits`` allows; empty if not even one."""
    for count in range(len(indices), 0, -1):
        keep = {indices[int(k * len(indices) / count)] for k in range(count)}
        trial = {i: sessions[i] for i in keep if sessions[i] is not None}
        if trial and fits(trial):
            return trial
    return {}


def _length(session: Session) -> int:
    """What :func:`_resized` sets: a micro-walk's bout, any other session's walking minutes."""
    return session.bout_minutes if session.kind == MICRO_WALK else session.minutes


def _no_walk_longer(week: Week, reference: Week) -> Week:
    """A hold's planned walks no longer than the longest walk of the week it holds ("same walks as last
    week, no longer", S11): fewer, longer walks would not be the same dose. Micro-walks keep their bouts."""
    longest = max((s.minutes for s in reference.sessions if s.kind != MICRO_WALK), default=0)
    if not longest:
        return week
    sessions = [(_resized(s, longest) or s) if s.status in (PLANNED, NOT_LOGGED) and s.kind != MICRO_WALK
                and s.minutes > longest else s for s in week.sessions]
    if sessions == list(week.sessions):
        return week
    return replace(week, sessions=tuple(sessions), load_kj=sum(s.load_kj for s in sessions))


def _shorter(session: Session, factor: float) -> Session | None:
    """``session`` at ``factor`` of its length in whole minutes, or None when nothing is left of it."""
    return _resized(session, math.floor(_length(session) * factor + 1e-9))


def _resized(session: Session, length: int) -> Session | None:
    """``session`` with ``length`` minutes (a micro-walk: per bout), same terrain and pace, bouts no
    longer than before; None for 0 minutes."""
    if length <= 0:
        return None
    walking_kj = session.watts * session.minutes * evidence.KJ_PER_WATT_MINUTE
    rest_kj_per_gap = (session.load_kj - walking_kj) / (session.bouts - 1) if session.bouts > 1 else 0.0
    shortest_bout = min(evidence.MICRO_WALK_EARLY_MINUTES, session.bout_minutes)
    if session.kind == MICRO_WALK and length >= shortest_bout:
        length = math.floor(length)
        minutes, bouts, bout_minutes = length * session.bouts, session.bouts, length
    elif session.kind == MICRO_WALK:
        # Shorter than S2's 5-minute bout: fewer bouts that day instead.
        bouts = min(session.bouts, math.floor(length * session.bouts / shortest_bout))
        if bouts <= 0:
            return None
        minutes, bout_minutes = bouts * shortest_bout, shortest_bout
    else:
        minutes = length
        bouts = max(1, math.ceil(minutes / max(1, session.bout_minutes)))
        bout_minutes = min(session.bout_minutes, math.ceil(minutes / bouts))
    load = session.watts * minutes * evidence.KJ_PER_WATT_MINUTE + rest_kj_per_gap * (bouts - 1)
    return replace(session, minutes=minutes, bouts=bouts, bout_minutes=bout_minutes, load_kj=load,
                   rest_minutes=session.rest_minutes if bouts > 1 else 0)


def _sync(planner: WeekPlanner, week: Week, shortened: bool) -> None:
    """Tell ``planner`` the week it planned last is ``week`` as finally planned (with this week's
    logged days in it, or ``shortened`` by :func:`_within`), so the next week grows from it."""
    planner.loads[-1] = week.load_kj
    planner.last_minutes = _minutes(week)
    if not shortened:
        return
    walks = [s.minutes for s in week.sessions if s.kind == WALK and s.bouts == 1 and s.status == PLANNED]
    if week.phase not in (FLARE, RAMP) and walks and planner.started:
        planner.walk_minutes = min(planner.walk_minutes, max(walks))
    bouts = [s.bout_minutes for s in week.sessions if s.minutes > 0]
    if week.phase in (FLARE, RAMP) and bouts:
        planner.ramp_bout = min(planner.ramp_bout, max(bouts))


def flare_settled(entries: list[DiaryEntry]) -> bool:
    """True when a flare-up week's diary says pain has settled: its last ``DEFAULT_FLARE_SETTLED_DAYS``
    entries all within S11's limits (during and after a walk at most 5/10, next morning too when
    known), with no spreading leg pain and no red flag."""
    recent = sorted(entries, key=lambda entry: entry.date)[-evidence.DEFAULT_FLARE_SETTLED_DAYS:]
    return len(recent) == evidence.DEFAULT_FLARE_SETTLED_DAYS and all(
        entry.pain_during <= evidence.PAIN_DURING_ACTIVITY_MAX and entry.pain_after <= evidence.PAIN_AFTER_ACTIVITY_MAX
        and (entry.pain_next_morning is None or entry.pain_next_morning <= evidence.PAIN_AFTER_ACTIVITY_MAX)
        and entry.leg_symptoms != "peripheralising" and not entry.red_flags and entry.minutes_walked > 0
        and not entry.pains_missing for entry in recent)


def leg_symptom_stop(entries: Iterable[DiaryEntry], stenosis: bool = False) -> dt.date | None:
    """The day spreading leg pain in the diary means stop (S2, S3), or None: see :func:`adapt`."""
    return _leg_symptoms({entry.date: entry for entry in entries}, stenosis)[0]


def _leg_symptoms(entries: dict[dt.date, DiaryEntry], stenosis: bool = False) -> tuple[dt.date | None, list[str]]:
    """Spreading leg pain in the diary (S2, S3): the day it means stop (or None) and the review notices.

    With spinal stenosis, leg symptoms on walking are often neurogenic claudication (S2): spreading
    leg pain again is reviewed, not a stop; with new numbness or weakness it still stops the plan.
    Numbness or weakness that does not ease gets a review notice for everyone (S3)."""
    spreading = sorted(day for day, entry in entries.items() if entry.leg_symptoms == "peripheralising")
    stop: dt.date | None = None
    notes: list[str] = []
    for day in sorted(day for day, entry in entries.items() if entry.leg_symptoms == LEGS_NOT_EASING):
        notes.append(f"{day.isoformat()}: leg numbness or weakness that did not ease with sitting or bending "
                     f"forward, or new weakness [{TIER_WORDS[Tier.REVIEW]}]. {TIER_MESSAGES[Tier.REVIEW]}")
    for i, day in enumerate(spreading):
        entry = entries[day]
        earlier = [d for d in spreading[:i] if (day - d).days <= LEG_SPREADING_WINDOW_DAYS]
        if (earlier and not stenosis) or entry.red_flags & NUMBNESS_OR_WEAKNESS:
            stop = day
            break
        then = ("With spinal stenosis this is often neurogenic claudication: if it eases when you sit or bend "
                "forward it is expected (S2); with new numbness or weakness, stop and see a doctor today (S3)."
                if stenosis else f"If it happens again within {LEG_SPREADING_WINDOW_DAYS} days, or with new "
                "numbness or weakness, stop and see a doctor today (S2, S3).")
        notes.append(f"{day.isoformat()}: {LEG_SPREADING.label} [{TIER_WORDS[Tier.REVIEW]}]. "
                     f"{TIER_MESSAGES[Tier.REVIEW]} {then}")
    return stop, notes


def _stop_from(weeks: list[Week], start: dt.date, stop_date: dt.date) -> list[Week]:
    """No sessions from the red-flag day on (what was logged before it stays)."""
    stopped = []
    for week in weeks:
        week_start = start + dt.timedelta(days=7 * week.index)
        offset = (stop_date - week_start).days
        if offset >= 7:
            stopped.append(week)
            continue
        # The walk logged on the red-flag day itself stays; nothing after it does.
        kept = tuple(s for s in week.sessions
                     if offset >= 0 and (s.day_offset < offset or (s.day_offset == offset and s.status != "planned")))
        offset = max(0, offset)
        stopped.append(replace(week, phase=week.phase if offset else STOPPED, sessions=kept,
                               load_kj=sum(s.load_kj for s in kept), adjustment=STOPPED,
                               reason="a red flag was reported: see a clinician (S2, S3)",
                               stopped_from_offset=offset))
    return stopped


def _validate_diary(diary: Iterable[DiaryEntry], profile: ClientProfile, today: dt.date) -> dict[dt.date, DiaryEntry]:
    if isinstance(diary, (str, bytes)) or not hasattr(diary, "__iter__"):
        raise PlannerInputError("diary", "a list of DiaryEntry", type(diary).__name__)
    start = profile.goal.start_date
    end = start + dt.timedelta(days=7 * profile.goal.weeks - 1)
    entries: dict[dt.date, DiaryEntry] = {}
    for entry in diary:
        if not isinstance(entry, DiaryEntry):
            raise PlannerInputError("diary", "DiaryEntry items", type(entry).__name__)
        if entry.date > today:
            raise PlannerInputError("date", f"today ({today.isoformat()}) or earlier", entry.date.isoformat())
        if not start <= entry.date <= end:
            raise PlannerInputError("date", f"within the plan, {start.isoformat()}–{end.isoformat()}",
                                    entry.date.isoformat())
        if entry.date in entries:
            raise PlannerInputError("date", "one diary entry per day", entry.date.isoformat())
        entries[entry.date] = entry
    return entries


__all__ = ["DIARY_LEG_SYMPTOMS", "DIRECTIVES", "DiaryEntry", "GETTING_WORSE", "LEGS_EASE_WITH_SITTING", "LEGS_NOT_EASING",
           "Verdict", "adapt", "judge_week", "usual_pain"]
