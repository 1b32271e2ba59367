"""Side by side: Trailback's dose for one client next to the programmes it borrows from.

For the same client (current weekly walking, longest comfortable walk, pain, days a week), prints
the start dose, the weekly increment, the target and the weeks to reach it for Trailback and for
WalkBack (S6), the EPIPHA-KNEE walking programme (S16), graded activity (S17) and ACSM's aerobic
progression (ACSM 2021). The other programmes are worked out from their published rules (see
``docs/evidence.md``); only Trailback's column runs the planner.

Run: python3 benchmarks/dose_side_by_side.py --usual 60 --longest 15 --pain 3
"""

from __future__ import annotations

import argparse
import datetime as dt


def weeks_to(start_minutes: float, target_minutes: float, weekly_factor: float = 1.0,
             weekly_step_minutes: float = 0.0, limit: int = 104) -> int | None:
    """Weeks until ``target`` from ``start`` growing by a factor and/or a step each week."""
    minutes, week = start_minutes, 1
    while minutes < target_minutes - 1e-9:
        if week >= limit:
            return None
        minutes = minutes * weekly_factor + weekly_step_minutes
        week += 1
    return week


def trailback_row(usual: float, longest: float, pain: float, days: int, weeks: int) -> list[str]:
    from planner import ClientProfile, Fitness, Goal, Pain, plan

    profile = ClientProfile(pain=Pain(pain_now=pain),
                            fitness=Fitness(walking_minutes_per_week=usual, longest_walk_minutes=longest),
                            goal=Goal(sessions_per_week=days, weeks=weeks, start_date=dt.date(2026, 1, 5)))
    result = plan(profile)
    weekly = result.weekly
    first = result.walking_sessions.query("week == 1")
    target = profile.goal.target_session_minutes * days
    reached = weekly.loc[weekly["total_minutes"] >= target, "week"]
    rises = weekly["load_change_percent"].iloc[1:]
    return ["Trailback", f"{first['bout_minutes'].max()} min x {len(first)} ({weekly['total_minutes'].iloc[0]} min/wk)",
            f"+{rises[rises > 0].median():.0f} % load/wk (cap 10 %)" if (rises > 0).any() else "held",
            f"{profile.goal.target_session_minutes} min x {days}",
            str(int(reached.min())) if not reached.empty else f"> {weeks}"]


def rows(usual: float, longest: float, pain: float, days: int, weeks: int) -> list[list[str]]:
    target_session, target_days = 30, 5
    target_week = target_session * target_days
    epipha_start = 0.8 * longest  # S16: 80 % of tolerance, one more day than the baseline walks
    graded_start = 0.7 * longest  # S17: 70 % of baseline
    acsm_weeks = weeks_to(max(10.0, min(longest, 30.0)), target_session, weekly_step_minutes=5 / 1.5)
    return [
        trailback_row(usual, longest, pain, days, weeks),
        ["WalkBack (S6)", "individualised (physio sets it)", "progressive, physio-set",
         f"{target_session} min x {target_days}", "~26 (by 6 months; 6 physio sessions)"],
        ["EPIPHA-KNEE (S16)", f"{epipha_start:.0f} min x 4-5 (80 % of tolerance)", "+10 %/wk",
         f"{target_session} min x 5-7", str(weeks_to(epipha_start, target_session, 1.10))],
        ["Graded activity (S17)", f"{graded_start:.0f} min (70 % of baseline)", "pre-set quota steps",
         "quota by the return-to-work date", "set per person"],
        ["ACSM (2021)", f"{max(10.0, min(longest, 30.0)):.0f} min", "+5-10 min per session every 1-2 wk",
         f"{target_session} min x 5 (150 min/wk)", str(acsm_weeks)],
    ]


def table(header: list[str], body: list[list[str]]) -> str:
    """A Markdown table (pasted into docs/evidence.md)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--usual", type=float, default=60, help="current walking, min a week (default 60)")
    parser.add_argument("--longest", type=float, default=15, help="longest comfortable walk, min (default 15)")
    parser.add_argument("--pain", type=float, default=3, help="pain now, 0-10 (default 3)")
    parser.add_argument("--days", type=int, default=5, help="walking days a week (default 5)")
    parser.add_argument("--weeks", type=int, default=26, help="plan length for Trailback (default 26)")
    args = parser.parse_args()
    print(f"Client: walks {args.usual:g} min/week, longest comfortable walk {args.longest:g} min, "
          f"pain {args.pain:g}/10, {args.days} days a week\n")
    print(table(["Programme", "Start dose", "Weekly increment", "Target", "Weeks to target"],
                rows(args.usual, args.longest, args.pain, args.days, args.weeks)))


if __name__ == "__main__":
    main()
