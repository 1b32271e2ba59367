"""Contradictions between a profile and the plan it gets, in words a coach can act on.

Pure: reads a :class:`planner.plan.Plan` (and its profile); the dashboard shows these under the plan
summary. They never change the plan.
"""

from __future__ import annotations

from planner.plan import Plan
from planner.summary import plan_summary

WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def plan_warnings(plan: Plan) -> list[str]:
    """Warnings for: more sessions a week than available days; a first week below what the client
    already walks; a goal not reached within the plan's weeks. Empty for a stopped plan."""
    if plan.stopped and not len(plan.weekly):
        return []
    profile = plan.profile
    goal, fitness = profile.goal, profile.fitness
    warnings = []
    days = len(fitness.available_weekdays)
    if goal.sessions_per_week > days:
        warnings.append(f"The goal asks for {goal.sessions_per_week} walks a week, but only {days} "
                        f"day{'s are' if days != 1 else ' is'} available: the plan has at most {days} a week. "
                        "Add days or lower the sessions per week.")
    weekly = plan.weekly
    if len(weekly):
        first_week_minutes = int(weekly["total_minutes"].iloc[0])
        if first_week_minutes < fitness.walking_minutes_per_week:
            warnings.append(f"Week 1 has {first_week_minutes} min of walking, less than the "
                            f"{fitness.walking_minutes_per_week:g} min a week the client walks now. Check "
                            "“Walking now” and “Longest comfortable walk”; a lower start is right during a flare-up.")
    summary = plan_summary(plan)
    if summary.goal_reached_week is None and not summary.stopped:
        kind = "hike" if goal.kind == "hiking" else "walk"
        warnings.append(f"The goal (a {goal.target_session_minutes}-min {kind}) is not reached in these "
                        f"{summary.weeks} weeks: make the plan longer or the target shorter.")
    return warnings
