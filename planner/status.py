"""A client's state today, for the roster: who needs a look (pure: profile, diary and a date in).

The state is what :func:`planner.adapt.adapt` decides for the week that holds ``today`` — the verdict
of the pain-monitoring rules (S11, S1, S2) on the last finished week, through the same
:func:`planner.adapt.judge_week` — except that a red flag stops everything (S2, S3) and a client
who has logged nothing for :data:`DEFAULT_NOTHING_LOGGED_DAYS` days while the plan runs is shown as
such (a coach's prompt, not a planning rule). Only the last :data:`STATE_WINDOW_WEEKS` weeks are
read (and entries with red flags or spreading leg pain), so a roster of a thousand clients is judged in well under a second;
a week-on-week rise is looked for within that window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from planner import evidence
from planner.adapt import GETTING_WORSE, DiaryEntry, judge_week, leg_symptom_stop, usual_pain
from planner.dose import treated_as_flare
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import HOLD, PROGRESS, STEP_BACK
from planner.safety import TIER_MESSAGES, Tier, check_red_flags

ON_TRACK = "on track"
STOPPED = "stopped: red flag"
NOTHING_LOGGED = "nothing logged for 7 days"
STATES = (STOPPED, STEP_BACK, HOLD, NOTHING_LOGGED, ON_TRACK)  # most urgent first
DEFAULT_NOTHING_LOGGED_DAYS = 7  # issue 14: "nothing logged for 7 days"
STATE_WINDOW_WEEKS = 4  # weeks of diary read before the current one


@dataclass(frozen=True)
class ClientState:
    """A roster state (one of :data:`STATES`) with the reason a coach reads."""

    state: str
    reason: str

    @property
    def urgency(self) -> int:
        """0 = most urgent (sort key)."""
        return STATES.index(self.state)


def starts_in_flare(profile: ClientProfile) -> bool:
    """Whether the plan starts with flare-up weeks (as :mod:`planner.progression` decides it)."""
    return treated_as_flare(profile)


def state_window_start(today: dt.date) -> dt.date:
    """The first diary date :func:`client_state` reads, whatever the client's start date."""
    return today - dt.timedelta(days=7 * (STATE_WINDOW_WEEKS + 1))


def client_state(profile: ClientProfile, diary: Iterable[DiaryEntry], today: dt.date,
                 last_logged: dt.date | None = None) -> ClientState:
    """The client's state on ``today``.

    ``diary``: at least the entries from :func:`state_window_start` on, plus every entry with a red
    flag or spreading leg pain (older ones are ignored); ``last_logged``: the date of the client's latest entry up to today,
    when the diary given is not whole.
    """
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise PlannerInputError("today", "a date", today)
    entries = sorted((e for e in diary if e.date <= today), key=lambda e: e.date)
    safety = check_red_flags(profile.pain.red_flags)
    if safety.stops_plan:
        return ClientState(STOPPED, f"{safety.message} (profile)")
    start = profile.goal.start_date
    for entry in entries:
        if entry.date >= start and check_red_flags(entry.red_flags).stops_plan:
            return ClientState(STOPPED, f"red flag reported in the diary on {entry.date.isoformat()}: "
                                        f"{check_red_flags(entry.red_flags).message}")
    leg_stop = leg_symptom_stop((entry for entry in entries if entry.date >= start),
                                profile.pain.condition == "spinal_stenosis")
    if leg_stop is not None:
        return ClientState(STOPPED, f"pain spreading down the leg again on {leg_stop.isoformat()} "
                                    f"(or with new numbness or weakness): {TIER_MESSAGES[Tier.URGENT]}")
    if today < start:
        return ClientState(ON_TRACK, f"the plan starts on {start.isoformat()}")
    weeks_total = profile.goal.weeks
    end = start + dt.timedelta(days=7 * weeks_total)
    latest = max([e.date for e in entries] + ([last_logged] if last_logged else []), default=None)
    quiet_since = latest or start
    if today < end and (today - quiet_since).days >= DEFAULT_NOTHING_LOGGED_DAYS:
        # The same words as adapt's hold after a silent week (issue 19: silence is not success).
        return ClientState(NOTHING_LOGGED, f"no entries since {latest.isoformat()}: check in with the client"
                           if latest else f"nothing logged since the start ({start.isoformat()})")
    current = min((today - start).days // 7, weeks_total)
    if current == 0:
        return ClientState(ON_TRACK, "first week of the plan")
    first = max(0, current - 1 - STATE_WINDOW_WEEKS)
    by_week: dict[int, list[DiaryEntry]] = {}
    for entry in entries:
        index = (entry.date - start).days // 7
        if first <= index < current:
            by_week.setdefault(index, []).append(entry)
    # The same walk through the past weeks as adapt: the first week of a flare-up, and each week a
    # hold or step back repeats its micro-walks, is judged by the stricter flare rule (S1).
    # Pain is judged against the person's usual level (intake, then settled diary days), and a finished
    # week without entries after logging began holds (two step down), as in adapt.
    flare_start = starts_in_flare(profile)
    stenosis = profile.pain.condition == "spinal_stenosis"
    logged = [entry for entry in entries if entry.date >= start]
    previous: list[DiaryEntry] = []
    breached = False
    verdict = None
    empty_weeks = 0
    flare_weeks = 0  # micro-walk weeks so far: a hold or step back after one repeats it (as the planner does)
    for index in range(first, current):
        week_entries = by_week.get(index, [])
        week_start = start + dt.timedelta(days=7 * index)
        week_end = week_start + dt.timedelta(days=7)
        earlier = [entry for entry in logged if entry.date < week_start]
        began = bool(earlier) or (last_logged is not None and start <= last_logged < week_start)
        empty_weeks = empty_weeks + 1 if not week_entries and began else 0
        last = max([entry.date for entry in logged if entry.date < week_end]
                   + ([last_logged] if last_logged is not None and last_logged < week_end else []), default=None)
        in_flare = flare_start and (index == 0 or (index == flare_weeks and verdict is not None
                                                   and verdict.directive in (HOLD, STEP_BACK)))
        flare_weeks += in_flare
        verdict = judge_week(week_entries, previous, usual_pain(profile.pain.pain_now, earlier),
                             in_flare, breached, last_logged=last, empty_weeks=empty_weeks, stenosis=stenosis,
                             earlier=earlier[-evidence.DEFAULT_RISING_PAIN_DAYS:])
        breached = verdict.breached
        if week_entries:
            previous = week_entries
    assert verdict is not None
    this_week = start + dt.timedelta(days=7 * current)
    worse = [e.date.isoformat() for e in entries if this_week <= e.date < today and GETTING_WORSE in e.red_flags]
    if verdict.directive == PROGRESS and worse:
        # As adapt: pain getting worse logged earlier this week holds the rest of it (S3).
        return ClientState(HOLD, f"you logged pain getting worse on {', '.join(worse)}: no progress for the rest "
                                 "of this week; see a clinician soon (S3)")
    if verdict.directive == PROGRESS:
        return ClientState(ON_TRACK, verdict.reasons[0] if verdict.reasons else "")
    return ClientState(verdict.directive, "; ".join(verdict.reasons))


__all__ = ["ClientState", "DEFAULT_NOTHING_LOGGED_DAYS", "HOLD", "NOTHING_LOGGED", "ON_TRACK", "STATES", "STEP_BACK",
           "STOPPED", "client_state", "state_window_start", "starts_in_flare"]
