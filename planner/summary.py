"""A plan at a glance: the figures a coach reads first, and the one-line summary built from them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner import evidence
from planner.plan import Plan
from planner.progression import HIKE_KIND, HOLD, MICRO_WALK, STEP_BACK, Session, Week

SEPARATOR = " · "


@dataclass(frozen=True)
class PlanSummary:
    """What a plan amounts to. Weeks are 1-based; ``None`` where a thing never happens.

    ``start_minutes``: the plan's first session (one bout, for micro-walks); ``end_minutes``: the
    longest session of the last week with sessions. ``goal_reached_week``: the first week with a session of the goal's kind at
    least ``target_minutes`` long. ``peak_acwr`` is the highest acute:chronic ratio (S14), NaN when
    the plan has no weeks.
    """

    weeks: int
    sessions_per_week: int  # the most walking days of any week (``fewest_sessions_per_week`` the fewest)
    starts_with_micro_walks: bool
    start_minutes: int
    end_minutes: int
    goal_kind: str
    target_minutes: int
    goal_reached_week: int | None
    first_hike_week: int | None
    peak_weekly_minutes: int
    peak_acwr: float
    hold_weeks: int
    step_back_weeks: int
    stopped: bool
    fewest_sessions_per_week: int | None = None

    @property
    def text(self) -> str:
        """The one-line summary, e.g. "16 weeks · 5 walks a week · 10 → 30 min · goal reached in week 14"."""
        if self.stopped and self.weeks == 0:
            return "No walking plan: a red flag needs a clinician first"
        fewest = self.sessions_per_week if self.fewest_sessions_per_week is None else self.fewest_sessions_per_week
        days = (f"{fewest}–{self.sessions_per_week}" if fewest != self.sessions_per_week
                else f"{self.sessions_per_week}")
        parts = [f"{self.weeks} week{'s' if self.weeks != 1 else ''}",
                 f"{days} walk{'s' if self.sessions_per_week != 1 else ''} a week"]
        start = f"micro-walks of {self.start_minutes} min" if self.starts_with_micro_walks else f"{self.start_minutes} min"
        parts.append(f"{start} → {self.end_minutes} min")
        if self.goal_kind == "hiking":
            parts.append(f"hikes from week {self.first_hike_week}" if self.first_hike_week else "no hikes yet")
        goal = f"{self.target_minutes}-min {'hike' if self.goal_kind == 'hiking' else 'walk'}"
        parts.append(f"{goal} reached in week {self.goal_reached_week}" if self.goal_reached_week
                     else f"{goal} not reached in these weeks")
        if self.stopped:
            parts.append("stopped by a red flag")
        return SEPARATOR.join(parts)


def weekly_goal_met(goal, week: Week) -> bool:
    """A walking goal counts as reached only in a week of at least the 150-min guideline (S6), or of
    the target walked every day when that is less (issue 19: a weekends-only plan is not "reached")."""
    needed = min(evidence.GUIDELINE_WEEKLY_MINUTES, goal.target_session_minutes * 7)
    return sum(session.minutes for session in week.sessions) >= needed


def _session_minutes(session: Session) -> int:
    return session.bout_minutes if session.kind == MICRO_WALK else session.minutes


def _longest(week: Week) -> int:
    return max((_session_minutes(session) for session in week.sessions), default=0)


def plan_summary(plan: Plan) -> PlanSummary:
    """The figures of :class:`PlanSummary` for one plan (planned or adapted)."""
    goal = plan.profile.goal
    weeks = plan.weeks
    goal_kind_session = HIKE_KIND if goal.kind == "hiking" else None
    goal_reached = first_hike = None
    for week in weeks:
        for session in week.sessions:
            if session.kind == HIKE_KIND and first_hike is None:
                first_hike = week.index + 1
            reaches = session.kind == goal_kind_session if goal_kind_session else session.kind != MICRO_WALK
            if (goal_reached is None and reaches and session.minutes >= goal.target_session_minutes
                    and (goal.kind == "hiking" or weekly_goal_met(goal, week))):
                goal_reached = week.index + 1
    ratios = [ratio for ratio in plan.weekly["acwr"] if not math.isnan(ratio)] if weeks else []
    last_full = [week for week in weeks if week.sessions and week.stopped_from_offset is None]
    last_full = last_full or [week for week in weeks if week.sessions]
    days = [len(week.sessions) for week in last_full]
    return PlanSummary(
        weeks=len(weeks),
        sessions_per_week=max(days, default=0),
        fewest_sessions_per_week=min(days, default=0),
        starts_with_micro_walks=bool(weeks) and any(s.kind == MICRO_WALK for s in weeks[0].sessions),
        start_minutes=_session_minutes(last_full[0].sessions[0]) if last_full else 0,
        end_minutes=_longest(last_full[-1]) if last_full else 0,
        goal_kind=goal.kind,
        target_minutes=goal.target_session_minutes,
        goal_reached_week=goal_reached,
        first_hike_week=first_hike,
        peak_weekly_minutes=max((sum(s.minutes for s in week.sessions) for week in weeks), default=0),
        peak_acwr=max(ratios) if ratios else math.nan,
        hold_weeks=sum(week.adjustment == HOLD for week in weeks),
        step_back_weeks=sum(week.adjustment == STEP_BACK for week in weeks),
        stopped=plan.stopped or any(week.stopped_from_offset is not None for week in weeks),
    )
