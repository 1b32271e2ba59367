"""Where this person starts: the start dose from pain, tolerance, current walking and flare.

The rules are small tables read top to bottom; every number is in :mod:`planner.evidence` with its
source. Week 1 is ordered by pain: over everything else equal, more pain never gives more minutes,
longer bouts or more days (see ``tests/test_dose.py``).

* **Flare or not.** A ticked flare-up, pain above S11's 5/10 ceiling for activity, or pain spreading
  down the leg (S2) start with micro-walks. Pain of 6/10 or more without a ticked flare is treated
  as a flare because S11 calls pain above 5/10 during activity not acceptable; the dose is then
  ordered by pain whichever way it goes.
* **Bout length.** First bouts are a fraction of the longest comfortable walk, never all of it:
  :data:`START_FRACTION_BY_PAIN` (80 % at low pain, EPIPHA-KNEE S16; 70 % from 4/10, graded
  activity S17; micro-walks are also at most 70 % of it). Pain of 8/10 or more keeps S2's days 1-3
  bout all week (the most cautious start) and adds a review notice.
* **Weekly minutes.** Near what the person walks now: walks of ``current weekly minutes / days``
  (at least S3's 10 min), split into bouts no longer than the first-bout length (S4: "10 min 2-3
  times a day"), up to the goal's session length. A flare week is never above the person's
  pre-flare weekly minutes unless S2's smallest dose (one bout a day) already is (then it is the
  starting dose, marked so), and never above the calmer start of the same person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner import evidence
from planner.profile import ClientProfile

#: (highest pain, fraction of the longest comfortable walk, source) read top to bottom.
START_FRACTION_BY_PAIN: tuple[tuple[float, float, str], ...] = (
    (evidence.LOW_PAIN_MAX, evidence.START_FRACTION_OF_TOLERANCE_HIGH, "S16"),
    (10.0, evidence.START_FRACTION_OF_TOLERANCE_LOW, "S17"),
)


@dataclass(frozen=True)
class StartDose:
    """Week 1 for one person, before any terrain or load is worked out.

    ``walk_minutes``: a walking day's minutes; ``walk_bouts``: in how many bouts (the longest
    ``ceil(walk_minutes / walk_bouts)``); ``micro_bouts_per_day`` and ``micro_early_minutes`` /
    ``micro_late_minutes``: the flare week's micro-walks (S2's days 1-3 and 4-7 bouts);
    ``fraction``/``fraction_source``: the share of the longest comfortable walk a first bout may take.
    """

    in_flare: bool
    severe: bool
    fraction: float
    fraction_source: str
    tolerance_minutes: int
    first_bout_max_minutes: int
    walk_minutes: int
    walk_bouts: int
    micro_bouts_per_day: int
    micro_early_minutes: int
    micro_late_minutes: int
    at_or_above_goal: bool
    usual_day_minutes: int  # today's weekly walking over the walking days (what a flare took away)
    walk_target_minutes: int  # the goal's session, or today's longer walks for someone already above it


def treated_as_flare(profile: ClientProfile) -> bool:
    """A ticked flare-up, pain above S11's ceiling (5/10), or pain spreading down the leg (S2)."""
    pain = profile.pain
    return (pain.in_flare or pain.pain_now > evidence.PAIN_DURING_ACTIVITY_MAX
            or pain.leg_symptoms == "peripheralising")


def start_fraction(pain_now: float, in_flare: bool) -> tuple[float, str]:
    """The share of the longest comfortable walk a first bout may take, and its source."""
    if in_flare:
        return evidence.START_FRACTION_OF_TOLERANCE_LOW, "S17"
    for highest, fraction, source in START_FRACTION_BY_PAIN:
        if pain_now <= highest:
            return fraction, source
    return START_FRACTION_BY_PAIN[-1][1], START_FRACTION_BY_PAIN[-1][2]


def micro_walk_week_minutes(days: int, bouts_per_day: int, early: int, late: int) -> int:
    """Minutes of S2's micro-walk week over ``days`` walking days (the first three at ``early``)."""
    early_days = min(days, evidence.MICRO_WALK_EARLY_DAYS)
    return bouts_per_day * (early * early_days + late * (days - early_days))


def start_dose(profile: ClientProfile, days: int, walk_target_minutes: int,
               keep_longer_walks: bool = True) -> StartDose:
    """Week 1 for ``profile`` on ``days`` walking days with walks of at most ``walk_target_minutes``.

    ``keep_longer_walks``: someone comfortable at or above the goal keeps walks as long as today's
    (up to their tolerance and S1's 90 min) instead of being cut to the goal's (not for hikers,
    whose walks are the base under the hikes).
    """
    pain, fitness = profile.pain, profile.fitness
    tolerance = max(1, math.floor(fitness.longest_walk_minutes))
    in_flare = treated_as_flare(profile)
    severe = pain.pain_now >= evidence.SEVERE_PAIN_MIN
    fraction, source = start_fraction(pain.pain_now, in_flare)
    usual_day = math.ceil(fitness.walking_minutes_per_week / max(1, days))
    at_goal = (tolerance >= walk_target_minutes
               and fitness.walking_minutes_per_week >= walk_target_minutes * days)
    kept_target = walk_target_minutes
    if at_goal and keep_longer_walks:
        kept_target = max(walk_target_minutes, min(usual_day, tolerance, evidence.HIKE_MAX_MINUTES))

    def walking_day(share: float) -> tuple[int, int, int]:
        """A walking day's minutes, its bouts and the first-bout ceiling at ``share`` of tolerance."""
        first_bout = max(1, math.floor(tolerance * share))
        if at_goal:
            # Comfortable at or above the goal: today's walk kept (not cut), in bouts of at most ``share`` of
            # the longest (S16), never 100 %, that merge as the plan goes on.
            bouts = min(evidence.MICRO_WALK_BOUTS_PER_DAY, max(1, math.ceil(kept_target / first_bout)))
            return min(kept_target, bouts * first_bout), bouts, first_bout
        # Near today's walking, at least S3's 10-min start, at most the goal's session, in bouts of at
        # most ``first_bout`` (S4: "10 min 2-3 times a day"; never more than three).
        wanted = min(walk_target_minutes, max(evidence.BASE_START_MINUTES_LOW, usual_day))
        bouts = min(evidence.MICRO_WALK_BOUTS_PER_DAY, max(1, math.ceil(wanted / first_bout)))
        return min(wanted, bouts * first_bout), bouts, first_bout

    day_minutes, bouts, first_bout = walking_day(fraction)
    # The calmer start of the same person (pain 4-5, no flare): the flare week never exceeds it.
    calm_day, calm_bouts, _ = walking_day(evidence.START_FRACTION_OF_TOLERANCE_LOW)
    calm_longest = math.ceil(calm_day / calm_bouts)
    early = max(1, min(evidence.MICRO_WALK_EARLY_MINUTES, calm_longest))
    late = max(early, min(evidence.MICRO_WALK_LATE_MINUTES, calm_longest))
    limit = min(max(fitness.walking_minutes_per_week, micro_walk_week_minutes(days, 1, early, late)),
                calm_day * days)
    micro_bouts = 1
    for bouts_per_day in range(evidence.MICRO_WALK_BOUTS_PER_DAY, 0, -1):
        if micro_walk_week_minutes(days, bouts_per_day, early, late) <= limit:
            micro_bouts = bouts_per_day
            break
    if severe:
        late = early  # the most cautious start: S2's days 1-3 bout all week
    return StartDose(in_flare, severe, fraction, source, tolerance, first_bout, day_minutes, bouts,
                     micro_bouts, early, late, at_goal, usual_day, kept_target)
