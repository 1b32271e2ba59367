"""Two plans side by side: the figures a coach weighs when choosing between two scenarios."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from planner.plan import Plan
from planner.profile import PlannerInputError
from planner.summary import PlanSummary, plan_summary
from planner.trail import TrailEffort, ready_week

COMPARE_COLUMNS = ("measure", "A", "B", "different")

#: The measures, in the order of the table's rows (``ready-for-trail week`` only with a trail effort).
MEASURES = (
    "weeks in plan",
    "weeks to goal",
    "peak weekly minutes",
    "peak acute:chronic",
    "first hike week",
    "ready-for-trail week",
    "red flags",
    "hold weeks",
    "step-back weeks",
)


def _red_flags(plan: Plan) -> str:
    verdict = plan.safety
    if not verdict.triggered:
        return "none"
    return f"{verdict.tier.name.lower()}: " + "; ".join(flag.label for flag in verdict.triggered)


def _acwr(summary: PlanSummary) -> float | None:
    return None if math.isnan(summary.peak_acwr) else round(summary.peak_acwr, 2)


def _values(plan: Plan, trail_effort: TrailEffort | None) -> dict[str, Any]:
    summary = plan_summary(plan)
    values: dict[str, Any] = {
        "weeks in plan": summary.weeks,
        "weeks to goal": summary.goal_reached_week,
        "peak weekly minutes": summary.peak_weekly_minutes,
        "peak acute:chronic": _acwr(summary),
        "first hike week": summary.first_hike_week,
        "red flags": _red_flags(plan),
        "hold weeks": summary.hold_weeks,
        "step-back weeks": summary.step_back_weeks,
    }
    if trail_effort is not None:
        values["ready-for-trail week"] = ready_week(plan, trail_effort)
    return values


def compare(plan_a: Plan, plan_b: Plan, trail_effort: TrailEffort | None = None) -> pd.DataFrame:
    """What differs between two plans: one row per measure, columns :data:`COMPARE_COLUMNS`.

    Rows follow :data:`MEASURES`: weeks in plan, weeks to goal (the week the goal session is first
    reached), peak weekly minutes, peak acute:chronic ratio (S14), first hike week, ready-for-trail
    week (only when ``trail_effort`` is given: :func:`planner.trail.ready_week`, the rule
    :func:`planner.trail.trail_readiness` uses), red flags (tier and answers, or "none"), hold and
    step-back weeks. ``None`` means "never" (or no ratio). ``different`` is True where A and B differ.
    """
    for name, value in (("plan_a", plan_a), ("plan_b", plan_b)):
        if not isinstance(value, Plan):
            raise PlannerInputError(name, "a Plan from planner.plan", type(value).__name__)
    if trail_effort is not None and not isinstance(trail_effort, TrailEffort):
        raise PlannerInputError("trail_effort", "a TrailEffort from TrailProfile.analyse",
                                type(trail_effort).__name__)
    a, b = _values(plan_a, trail_effort), _values(plan_b, trail_effort)
    rows = [(measure, a[measure], b[measure], a[measure] != b[measure]) for measure in MEASURES if measure in a]
    return pd.DataFrame.from_records(rows, columns=list(COMPARE_COLUMNS))
