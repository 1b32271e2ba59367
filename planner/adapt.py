"""Pain diary entries, and ``adapt``: the rest of a plan rebuilt from what was actually done.

Rules (``docs/evidence.md``): the pain-monitoring model (S11) — pain during a walk up to 5/10,
after it up to 5/10 and back to baseline by the next morning, no rise week on week — decides
whether the next week progresses or holds; during a flare-up S1's stricter rule applies (pain must
go back to baseline when you stop). Pain spreading down the leg (S2), repeated breaches, or a
second held week in a row step back (S1: shorter, flatter, slower; then rebuild). A red flag
reported in the diary stops the plan (S2, S3). Pain moving further down the leg (peripheralising)
adds a "review soon" notice naming it; a second time within ``LEG_SPREADING_WINDOW_DAYS`` days, or
together with new numbness or weakness, stops the plan ("see a doctor today", S2, S3). Holds and
step backs carry S1's advice to check posture, footwear, pack weight and intensity before quitting.
The cap and the acute:chronic ratio are measured from the load actually done, so missed sessions
cause no catch-up spike.

Days without an entry: a past day with a planned session and no diary entry is ``not logged`` (its
own status) and counts as walked as planned, in load, cap and ratio. The reason: a missing entry is
missing data, not a rest day; counting it as 0 min made the following weeks look empty, and the
ratio then jumped when logging resumed and was blamed on the plan. A walk that was skipped is
logged as 0 minutes: status ``missed``, and it counts as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Iterable

from planner import evidence
from planner.load import energy_kj
from planner.plan import Plan, assess, build_plan, shortfall_note
from planner.plan import plan as plan_for
from planner.profile import (LEG_SYMPTOMS, MAX_NOTE_CHARACTERS, ClientProfile, PlannerInputError, _choice, _number,
                              red_flag_keys, text_field)
from planner.progression import (DIRECTIVES, DONE, EXTRA, FLARE, HOLD, MISSED, NOT_LOGGED, PROGRESS, STEP_BACK,
                                 STOPPED, WALK, Session, Week, WeekPlanner)
from planner.recordings import RecordingSource
from planner.safety import (LEG_SPREADING, LEG_SPREADING_REPEATED, LEG_SPREADING_WINDOW_DAYS, LEGACY_RED_FLAG_KEYS,
                            TIER_MESSAGES, TIER_WORDS, SafetyVerdict, Tier, check_red_flags)

#: S1: "If pain worsens, consider evaluating factors such as posture, footwear, pack weight, and intensity
#: rather than quitting outright" - carried by every hold and step back.
S1_CHECKS = "before quitting, check posture, footwear, pack weight and intensity (S1)"
#: Diary red flags that, with spreading leg pain, mean new numbness or weakness (S3).
NUMBNESS_OR_WEAKNESS = frozenset({"new_numbness_tingling", "both_legs_weakness"})

MAX_DIARY_MINUTES = 24 * 60


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
        _choice("leg_symptoms", self.leg_symptoms, LEG_SYMPTOMS)
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


def judge_week(entries: list[DiaryEntry], previous: list[DiaryEntry], baseline_pain: float,
               in_flare: bool, previous_breached: bool) -> Verdict:
    """Apply the pain-monitoring rules to one week's entries (S1, S2, S11). Entries imported from a
    recording without pains (``pains_missing``) are not judged: they count as days without pains."""
    entries = [entry for entry in entries if not entry.pains_missing]
    previous = [entry for entry in previous if not entry.pains_missing]
    holds: list[str] = []
    step_backs: list[str] = []
    breaches = 0
    for entry in entries:
        day = entry.date.isoformat()
        entry_breached = False
        if entry.leg_symptoms == "peripheralising":
            step_backs.append(f"pain moved further down the leg on {day} (peripheralising): stop that walk, step "
                              "back, and have it reviewed soon (S2, S3)")
            entry_breached = True
        if in_flare and entry.pain_after > baseline_pain:
            holds.append(f"pain after the walk on {day} ({entry.pain_after:g}/10) did not go back to your "
                         f"baseline ({baseline_pain:g}/10), the stricter rule during a flare-up (S1)")
            entry_breached = True
        if entry.pain_during > evidence.PAIN_DURING_ACTIVITY_MAX:
            holds.append(f"pain during the walk on {day} was {entry.pain_during:g}/10, above "
                         f"{evidence.PAIN_DURING_ACTIVITY_MAX}/10 (S11)")
            entry_breached = True
        if entry.pain_after > evidence.PAIN_AFTER_ACTIVITY_MAX:
            holds.append(f"pain after the walk on {day} was {entry.pain_after:g}/10, above "
                         f"{evidence.PAIN_AFTER_ACTIVITY_MAX}/10 (S11)")
            entry_breached = True
        if entry.pain_next_morning is not None and entry.pain_next_morning > baseline_pain:
            holds.append(f"pain had not settled by the morning after {day} ({entry.pain_next_morning:g}/10 "
                         f"vs your baseline {baseline_pain:g}/10) (S11)")
            entry_breached = True
        breaches += entry_breached
    if entries and previous:
        now = sum(e.pain_during for e in entries) / len(entries)
        before = sum(e.pain_during for e in previous) / len(previous)
        if now > before:
            holds.append(f"pain during walks rose week on week ({before:.1f} → {now:.1f}/10) (S11)")
            breaches = max(breaches, 1)
    if breaches >= evidence.DEFAULT_REPEATED_BREACHES:
        step_backs.append(f"pain broke the limits on {breaches} walks this week: repeated (S11, S1)")
    if (holds or step_backs) and previous_breached:
        step_backs.append("a second week in a row with pain over the limits (S11, S1)")
    if step_backs:
        return Verdict(STEP_BACK, tuple(step_backs + holds + [S1_CHECKS]), True)
    if holds:
        return Verdict(HOLD, tuple(holds + [S1_CHECKS]), True)
    if entries:
        return Verdict(PROGRESS, ("pain stayed within the limits and settled by the next morning (S11)",),
                       False)
    return Verdict(PROGRESS, ("no walks logged: days without an entry count as walked as planned; "
                              "nothing to judge (S11)",), False)


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
    leg_stop, leg_notes = _leg_symptoms(entries)
    baseline = profile.pain.pain_now
    weeks: list[Week] = []
    extra_notes: list[str] = []
    stop_date: dt.date | None = None
    verdict = Verdict(PROGRESS, (), False)
    previous_entries: list[DiaryEntry] = []
    previous_week_logged = False
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

        if index < current_index and planned_before is not None:
            sessions = _logged_week(planned_before, entries, week_start, planner)
            # A past week keeps the adjustment its previous week's diary called for.
            judged = index > 0 and verdict.reasons
            adjustment = verdict.directive if judged else planned_before.adjustment
            reason = "; ".join(verdict.reasons) if judged else planned_before.reason
            week = Week(index, planned_before.phase, tuple(sessions), sum(s.load_kj for s in sessions),
                        planned_before.at_starting_dose, adjustment, reason)
            planner.record_done(week)
            if judged and verdict.directive != PROGRESS:
                extra_notes.append(f"Week {index + 1}: {verdict.directive} — {reason}.")
        else:
            # A verdict speaks for the week after a finished week, or after this week's logged walks.
            judged = index > 0 and (index <= current_index or previous_week_logged)
            directive = verdict.directive if judged else PROGRESS
            until = (today - week_start).days if index == current_index and planned_before is not None else 0
            past = _logged_week(planned_before, entries, week_start, planner, until) if until > 0 else []
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
                planner.loads[-1] = week.load_kj
                planner.last_minutes = sum(s.minutes for s in sessions)
            if reason:
                extra_notes.append(f"Week {index + 1}: {directive} — {reason}.")
        weeks.append(week)
        in_flare = week.phase == FLARE
        verdict = judge_week(week_entries, previous_entries, baseline, in_flare, verdict.breached)
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


def leg_symptom_stop(entries: Iterable[DiaryEntry]) -> dt.date | None:
    """The day spreading leg pain in the diary means stop (S2, S3), or None: see :func:`adapt`."""
    return _leg_symptoms({entry.date: entry for entry in entries})[0]


def _leg_symptoms(entries: dict[dt.date, DiaryEntry]) -> tuple[dt.date | None, list[str]]:
    """Spreading leg pain in the diary (S2, S3): the day it means stop (or None) and the review notices."""
    spreading = sorted(day for day, entry in entries.items() if entry.leg_symptoms == "peripheralising")
    stop: dt.date | None = None
    notes: list[str] = []
    for i, day in enumerate(spreading):
        entry = entries[day]
        earlier = [d for d in spreading[:i] if (day - d).days <= LEG_SPREADING_WINDOW_DAYS]
        if earlier or entry.red_flags & NUMBNESS_OR_WEAKNESS:
            stop = day
            break
        notes.append(f"{day.isoformat()}: {LEG_SPREADING.label} [{TIER_WORDS[Tier.REVIEW]}]. "
                     f"{TIER_MESSAGES[Tier.REVIEW]} If it happens again within {LEG_SPREADING_WINDOW_DAYS} days, "
                     "or with new numbness or weakness, stop and see a doctor today (S2, S3).")
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


__all__ = ["DIRECTIVES", "DiaryEntry", "Verdict", "adapt", "judge_week"]
