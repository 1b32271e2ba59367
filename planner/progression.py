"""Phase choice, weekly dose, progression cap, terrain steps and acute:chronic ratio.

The planner works week by week. Each week has a *template* (which sessions, their starting-dose
floor, their desired minutes and terrain) and a *load budget*: the smaller of last week's load
times (1 + cap) (DEFAULT 10 %, S15) and the load that keeps the acute:chronic ratio under its
ceiling (DEFAULT 1.3, S14). Minutes are filled in from the floor toward the desired values as far
as the budget allows. Week 1 is the start dose of :mod:`planner.dose` (from pain, tolerance, what
the person walks now and a flare); after it no week rises more than the cap (a costlier surface
shortens sessions and says so; walks too short to keep the cap in whole minutes hold last week's
minutes, marked as a starting dose); only the acute:chronic ceiling may be passed by a phase's
starting dose, marked so.

Out of a flare-up (S2's micro-walks, week 1) a *ramp* follows on the same walking days, one change
a week: a day's minutes grow toward what the person walked before the flare (within the cap), or
the longest bout grows by the cap so bouts merge (longest first: 13 + 11 -> 15 + 9 -> ... -> 24),
until single walks carry the week (then base walking, growing from there). Base walks that start
in bouts (S4: "10 min 2-3 times a day"; stenosis intervals) lengthen their bouts as the walk
grows, and once at the target merge the same way before any terrain step or hike.

Terrain difficulty is its own dimension (S1: "increase time and difficulty gradually"): the
sessions that go on the person's terrain start on mild ground (``DEFAULT_GENTLE_SURFACE``, at most
``DEFAULT_MILD_GRADE_PERCENT``, no pack) and climb a ladder of *terrain steps*, each changing one
of grade, surface or pack, each raising a session's load by no more than the cap (the session is
shortened if one step cannot be split finer), each held ``DEFAULT_WEEKS_PER_TERRAIN_STEP`` weeks
before the next; minutes do not grow in a week whose terrain steps up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner import evidence
from planner.load import DEFAULT_MODEL, LCDA, energy_kj, hill_walk, standing_watts, terrain_factor, walking_watts
from planner.dose import start_dose
from planner.profile import ClientProfile

FLARE = "flare-up"
BASE = "base walking"
HIKE_ENTRY = "trail hiking (entry)"
HIKE = "trail hiking"
MAINTENANCE = "maintenance"
RAMP = "flare-up ramp"
#: Phase names. RAMP (the weeks out of a flare-up) is last so older colour maps keep their order.
PHASES = (FLARE, BASE, HIKE_ENTRY, HIKE, MAINTENANCE, RAMP)

MICRO_WALK = "micro-walk"
WALK = "walk"
HIKE_KIND = "hike"
REST = "rest"
STOPPED = "stopped"

#: A session's status in the sessions table. ``not logged``: a past day with a planned session and no
#: diary entry; its load counts as walked as planned, but a week with no entries at all (after
#: logging began) is not judged a success: the next week holds (see :func:`planner.adapt.adapt`).
PLANNED, DONE, MISSED, NOT_LOGGED, EXTRA = "planned", "done", "missed", "not logged", "extra"
STATUSES = (PLANNED, DONE, MISSED, NOT_LOGGED, EXTRA, REST, STOPPED)

GRADE, SURFACE, PACK = "grade", "surface", "pack"


@dataclass(frozen=True)
class Session:
    """One session of a week, before it gets a date. ``minutes`` counts walking time only."""

    day_offset: int  # 0..6 from the week's first day
    kind: str
    minutes: int  # walking minutes, all bouts together
    bouts: int
    bout_minutes: int  # the longest bout
    rest_minutes: int  # standing rest between bouts
    surface: str
    grade_percent: float
    pack_kg: float
    speed_kmh: float  # mean speed over the session
    watts: float  # mean metabolic rate while walking (S13 or S8)
    load_kj: float
    status: str = PLANNED  # see STATUSES
    planned_minutes: int | None = None  # what the plan asked for, when it differs from ``minutes``


@dataclass(frozen=True)
class Week:
    """One planned week: its phase, its sessions and their summed load."""

    index: int  # 0-based
    phase: str
    sessions: tuple[Session, ...]
    load_kj: float
    at_starting_dose: bool  # the floor was used although the budget was smaller
    adjustment: str = ""  # the directive a diary gave this week: progress / hold / step back / stopped
    reason: str = ""  # why, in plain language with its source tag
    stopped_from_offset: int | None = None  # a red flag stopped the plan from this day of the week
    difficulty_change: str = ""  # which dimension changed this week (time, grade, surface, pack, pace) and why


@dataclass(frozen=True)
class _Slot:
    """A session in a week's template: where it may go between floor and desired."""

    day_offset: int
    kind: str
    floor_minutes: int
    desired_minutes: int
    intervals: bool = False  # split into S2's 5 min walk + 1 min standing bouts


@dataclass(frozen=True)
class TerrainStep:
    """One rung of the terrain ladder: surface, grade (%) and pack (kg), and what changed to get here."""

    surface: str
    grade_percent: float
    pack_kg: float
    changed: str = ""  # GRADE / SURFACE / PACK, empty for the first (mild) step


def baseline_load_kj(profile: ClientProfile, model: str = DEFAULT_MODEL) -> float:
    """Weekly load before the plan: the person's current walking minutes, flat, at their pace."""
    fitness = profile.fitness
    watts = walking_watts(fitness.body_mass_kg, 0.0, fitness.speed_kmh / 3.6, 0.0, 1.0, model)
    return energy_kj(watts, fitness.walking_minutes_per_week)


def choose_days(available_weekdays: tuple[int, ...], count: int) -> tuple[int, ...]:
    """Pick ``count`` of the available weekdays, spread as evenly as the week allows."""
    days = sorted(available_weekdays)
    if count >= len(days):
        return tuple(days)
    step = len(days) / count
    return tuple(sorted({days[int(i * step)] for i in range(count)}))


def choose_hike_days(walk_days: tuple[int, ...], count: int) -> tuple[int, ...]:
    """Pick hike days among the walk days: a weekend day first, then the day farthest from those."""
    chosen: list[int] = []
    weekend = [day for day in (5, 6) if day in walk_days]
    if weekend and count:
        chosen.append(weekend[0])
    while len(chosen) < min(count, len(walk_days)):
        def distance(day: int) -> int:
            return min(min((day - other) % 7, (other - day) % 7) for other in chosen) if chosen else 7 - day
        chosen.append(max((d for d in walk_days if d not in chosen), key=distance))
    return tuple(sorted(chosen))


class _Context:
    """Everything fixed for one profile, computed once."""

    def __init__(self, profile: ClientProfile, model: str = DEFAULT_MODEL):
        self.profile = profile
        self.model = model
        pain, fitness, terrain, goal = profile.pain, profile.fitness, profile.terrain, profile.goal
        self.body_kg = fitness.body_mass_kg
        self.speed_kmh = fitness.speed_kmh
        self.cap = goal.progression_cap_percent / 100
        self.acwr_ceiling = goal.acwr_ceiling
        self.hiking = goal.kind == "hiking"
        self.stenosis = pain.condition == "spinal_stenosis"
        self.disc = pain.condition == "disc_herniation"
        self.longest_minutes = max(1, math.floor(fitness.longest_walk_minutes))

        walk_days = choose_days(fitness.available_weekdays, goal.sessions_per_week)
        self.hike_days = choose_hike_days(walk_days, evidence.HIKE_ENTRY_PER_WEEK) if self.hiking else ()
        offset = goal.start_date.weekday()
        self.walk_offsets = tuple(sorted((day - offset) % 7 for day in walk_days))
        # Micro-walks go on the planned walking days: a flare week never has more walking days than
        # a calmer week of the same person (issue 19; S2 gives them daily).
        self.flare_offsets = self.walk_offsets
        self.hike_offsets = tuple(sorted((day - offset) % 7 for day in self.hike_days))

        target = goal.target_session_minutes
        self.walk_target = min(target, evidence.BASE_GOAL_MINUTES) if self.hiking else target
        self.hike_target = target
        self.dose = start_dose(profile, len(self.walk_offsets), self.walk_target, keep_longer_walks=not self.hiking)
        self.starts_in_flare = self.dose.in_flare
        self.walk_target = self.dose.walk_target_minutes  # not cut below today's walks (issue 19)
        self.walk_start = self.dose.walk_minutes
        #: Bouts per walk: the start's (S4 / stenosis intervals), one once a flare's ramp has merged them.
        #: The planner sets it; the bouts lengthen as the walk grows.
        self.walk_bouts = self.dose.walk_bouts
        #: Once walks reach the target in bouts, the longest bout grows each week until one walk (bouts merging).
        self.walk_longest_bout: int | None = None
        self.walk_floor = self.walk_start
        self.hike_floor = min(evidence.HIKE_ENTRY_MINUTES_LOW, self.hike_target)
        self.micro_minutes = self.dose.micro_late_minutes
        self.usual_weekly_minutes = fitness.walking_minutes_per_week

        # Surfaces: flare on even ground (S2); disc pain avoids concrete (S2).
        surface = terrain.surface
        if self.disc and surface in evidence.DISC_AVOID_SURFACES:
            surface = evidence.DEFAULT_DISC_SURFACE
        self.flare_surface = surface if surface in evidence.FLARE_SURFACES else evidence.DEFAULT_FLARE_SURFACE
        if self.hiking:
            # A hiker's base walks are flat, on even ground; the hills are for the hikes.
            self.walk_surface = surface if surface in evidence.EVEN_SURFACES else evidence.DEFAULT_DISC_SURFACE
        self.terrain_kind = HIKE_KIND if self.hiking else WALK
        self.snow_depth_cm = terrain.snow_depth_cm
        self._rates: dict[tuple[str, float, float, float], tuple[float, float]] = {}
        self._kind_rates: dict[tuple[str, int, float], tuple[str, float, float, float, float, float]] = {}
        self.steps = self._terrain_steps(surface, terrain.grade_percent, min(terrain.pack_mass_kg, evidence.PACK_MAX_KG))
        self.baseline_load_kj = baseline_load_kj(profile, model)

    def rate(self, surface: str, grade: float, pack: float, pace: float = 1.0) -> tuple[float, float]:
        """Mean W and km/h of a walk on this terrain at ``pace`` x one's own pace (S13/S8, S10), cached."""
        key = (surface, grade, pack, pace)
        if key not in self._rates:
            eta = terrain_factor(surface, self.snow_depth_cm)
            self._rates[key] = hill_walk(self.body_kg, pack, self.speed_kmh * pace, grade, eta, self.model)
        return self._rates[key]

    def standing(self, pack: float) -> float:
        """Standing rate, W, in the chosen model (S13: 1.44 W/kg; S8: 1.5 W + load term)."""
        if self.model == LCDA:
            return evidence.LCDA_STANDING_W_PER_KG * (self.body_kg + pack)
        return standing_watts(self.body_kg, pack)

    def _terrain_steps(self, surface: str, grade: float, pack: float) -> tuple[TerrainStep, ...]:
        """The ladder from mild terrain to the person's own, one dimension per step (S1).

        Mild: a surface no rougher than ``DEFAULT_GENTLE_SURFACE``, at most ``DEFAULT_MILD_GRADE_PERCENT``
        and no pack (S1: new hikers start with no pack). Dimensions go in ``DEFAULT_DIFFICULTY_ORDER``;
        grade and pack move in the largest steps (of ``DEFAULT_GRADE_STEP_PERCENT`` /
        ``DEFAULT_PACK_STEP_KG``) that raise the rate by no more than the cap.
        """
        gentle = evidence.DEFAULT_GENTLE_SURFACE
        eta = terrain_factor(surface, self.snow_depth_cm)
        mild_surface = surface if eta <= terrain_factor(gentle) else gentle
        current = TerrainStep(mild_surface, round(min(grade, evidence.DEFAULT_MILD_GRADE_PERCENT), 1),
                              evidence.NEW_HIKER_PACK_KG)
        steps = [current]
        for dimension in evidence.DEFAULT_DIFFICULTY_ORDER:
            if dimension == SURFACE and current.surface != surface:
                current = replace(current, surface=surface, changed=SURFACE)
                steps.append(current)
            elif dimension in (GRADE, PACK):
                field_name = "grade_percent" if dimension == GRADE else "pack_kg"
                goal = round(grade if dimension == GRADE else pack, 1)
                unit = evidence.DEFAULT_GRADE_STEP_PERCENT if dimension == GRADE else evidence.DEFAULT_PACK_STEP_KG
                largest = (evidence.DEFAULT_MAX_GRADE_STEP_PERCENT if dimension == GRADE
                           else evidence.DEFAULT_MAX_PACK_STEP_KG)
                while getattr(current, field_name) < goal - 1e-9:
                    ceiling = self.rate(current.surface, current.grade_percent, current.pack_kg)[0] * (1 + self.cap)
                    start = getattr(current, field_name)
                    value = min(goal, start + unit)
                    widest = round(min(goal, start + largest), 1)
                    trial = replace(current, **{field_name: widest})
                    if self.rate(trial.surface, trial.grade_percent, trial.pack_kg)[0] <= ceiling:
                        value = widest  # the widest step fits under the cap: no need to try smaller ones
                    while value < goal and value + unit <= start + largest + 1e-9:
                        bigger = min(goal, value + unit)
                        trial = replace(current, **{field_name: round(bigger, 1)})
                        if self.rate(trial.surface, trial.grade_percent, trial.pack_kg)[0] > ceiling:
                            break
                        value = bigger
                    current = replace(current, **{field_name: round(value, 1)}, changed=dimension)
                    steps.append(current)
        return tuple(steps)

    def grow(self, minutes: int) -> int:
        """The most a session (or a bout) may grow to next week: the cap, but at least one whole minute."""
        return max(minutes + evidence.DEFAULT_SESSION_GROWTH_MINUTES, math.ceil(minutes * (1 + self.cap)))

    def terrain_of(self, kind: str, level: int) -> tuple[str, float, float]:
        """Surface, grade (%) and pack (kg) of a session of this kind at terrain step ``level``."""
        if kind == MICRO_WALK:
            return self.flare_surface, 0.0, 0.0
        if kind == WALK and self.hiking:
            return self.walk_surface, 0.0, 0.0
        step = self.steps[min(level, len(self.steps) - 1)]
        return step.surface, step.grade_percent, step.pack_kg

    def bouts_of(self, kind: str, minutes: int, intervals: bool = False) -> tuple[int, int, int, int]:
        """Walking minutes, bouts, longest bout and rest minutes between bouts for a session."""
        if kind == MICRO_WALK:
            # ``minutes`` is one bout here: S2 gives the protocol per bout, up to three a day.
            bouts = self.dose.micro_bouts_per_day
            return minutes * bouts, bouts, minutes, 0
        rest = evidence.INTERVAL_STAND_MINUTES if self.stenosis else 0
        if intervals and not self.stenosis and minutes > evidence.INTERVAL_WALK_MINUTES:
            # S2's 5 min walk + 1 min standing (a step back from the starting dose); the last bout may be shorter.
            return (minutes, math.ceil(minutes / evidence.INTERVAL_WALK_MINUTES), evidence.INTERVAL_WALK_MINUTES,
                    evidence.INTERVAL_STAND_MINUTES)
        bouts = 1
        if kind == WALK and self.walk_longest_bout is not None:
            # Bouts merging: the longest bout first, the rest of the walk after it.
            if minutes > self.walk_longest_bout:
                return minutes, math.ceil(minutes / self.walk_longest_bout), self.walk_longest_bout, rest
        elif kind == WALK:
            # The start's bouts (S4: "10 min 2-3 times a day"; stenosis: S2's walk-and-stand
            # intervals, a default) lengthen as the walk grows.
            bouts = min(self.walk_bouts + (1 if intervals and self.stenosis else 0), minutes)
        elif kind == HIKE_KIND and self.stenosis and self.walk_bouts > 1:
            bouts = math.ceil(minutes / math.ceil(self.walk_target / self.walk_bouts))
        if bouts > 1:
            return minutes, bouts, math.ceil(minutes / bouts), rest
        return minutes, 1, minutes, 0

    def _terrain_rate(self, kind: str, level: int, pace: float) -> tuple[str, float, float, float, float, float]:
        """Surface, grade, pack, walking W, km/h and standing W of a session kind, cached."""
        key = (kind, level, pace)
        cached = self._kind_rates.get(key)
        if cached is None:
            surface, grade, pack = self.terrain_of(kind, level)
            watts, speed = self.rate(surface, grade, pack, pace)
            cached = self._kind_rates[key] = (surface, grade, pack, watts, speed, self.standing(pack))
        return cached

    def session_load(self, slot: _Slot, minutes: int, level: int, pace: float = 1.0) -> float:
        """The load of :meth:`make_session`'s session, kJ, without building it (for searching)."""
        _, _, _, watts, _, standing = self._terrain_rate(slot.kind, level, pace)
        if slot.kind in (WALK, HIKE_KIND) and not (self.stenosis or slot.intervals):
            # One bout, or bouts spread over the day (no standing rests): load is linear in minutes.
            return watts * minutes * evidence.KJ_PER_WATT_MINUTE  # one bout: the common case, kept fast
        walking, bouts, _, rest = self.bouts_of(slot.kind, minutes, slot.intervals)
        load = watts * walking * evidence.KJ_PER_WATT_MINUTE
        return load + standing * rest * (bouts - 1) * evidence.KJ_PER_WATT_MINUTE if rest else load

    def make_session(self, slot: _Slot, minutes: int, level: int, pace: float = 1.0) -> Session:
        """Turn a template slot and its minutes into a session with terrain, speed and load."""
        surface, grade, pack, watts, speed, _ = self._terrain_rate(slot.kind, level, pace)
        load = self.session_load(slot, minutes, level, pace)
        minutes, bouts, bout_minutes, rest = self.bouts_of(slot.kind, minutes, slot.intervals)
        return Session(slot.day_offset, slot.kind, minutes, bouts, bout_minutes, rest, surface, grade, pack,
                       round(speed, 2), watts, load)

    def bouts_session(self, offset: int, day_minutes: int, longest_bout: int) -> Session:
        """A ramp day: ``day_minutes`` in equal bouts of at most ``longest_bout``, spread over the day (S2, S4)."""
        # The longest bout first, the rest of the day's minutes after it: bouts merge one minute at
        # a time as the longest grows (e.g. 13 + 11 -> 15 + 9 -> ... -> 24), minutes held.
        bouts = max(1, math.ceil(day_minutes / longest_bout))
        bout = min(longest_bout, day_minutes)
        surface, grade, pack = self.flare_surface, 0.0, 0.0
        watts, speed = self.rate(surface, grade, pack)
        return Session(offset, WALK, day_minutes, bouts, bout, 0, surface, grade, pack, round(speed, 2), watts,
                       energy_kj(watts, day_minutes))


def _flare_week(context: _Context, from_offset: int = 0) -> list[Session]:
    """S2's micro-walk protocol on the walking days: days 1-3 at the early bout, days 4-7 at the late
    one (5 and 8 min in S2), as many bouts a day as the start dose allows (S2: three); the bouts are
    never past 70 % of tolerance and pain of 8/10 or more keeps the early bout (see :mod:`planner.dose`)."""
    dose = context.dose
    sessions = []
    for day, offset in enumerate(context.flare_offsets):
        if offset < from_offset:
            continue
        minutes = dose.micro_early_minutes if day < evidence.MICRO_WALK_EARLY_DAYS else dose.micro_late_minutes
        sessions.append(context.make_session(_Slot(offset, MICRO_WALK, minutes, minutes), minutes, 0))
    return sessions


def _fill(context: _Context, slots: list[_Slot], levels: list[int], budget_kj: float,
          pace: float = 1.0) -> list[Session]:
    """Fill slots from floor toward desired minutes within the budget (terrain fixed per slot).

    A single progress fraction moves every slot together; leftover budget then adds whole minutes
    to the sessions furthest from their desired length.
    """
    def minutes_at(progress: float) -> list[int]:
        return [slot.floor_minutes + math.floor(progress * (slot.desired_minutes - slot.floor_minutes) + 1e-9)
                for slot in slots]

    def build(progress: float) -> list[Session]:
        return [context.make_session(slot, minutes, level, pace)
                for slot, minutes, level in zip(slots, minutes_at(progress), levels)]

    def load_at(progress: float) -> float:
        return sum(context.session_load(slot, minutes, level, pace)
                   for slot, minutes, level in zip(slots, minutes_at(progress), levels))

    if not context.stenosis and not any(slot.intervals for slot in slots):
        # One bout each: load is linear in minutes, so solve for the fraction, then hand out whole
        # minutes left over one at a time, shortest-relative first.
        per_minute = [context.session_load(slot, 1, level, pace) for slot, level in zip(slots, levels)]
        if sum(rate * slot.desired_minutes for rate, slot in zip(per_minute, slots)) <= budget_kj:
            return build(1.0)
        floor_load = sum(rate * slot.floor_minutes for rate, slot in zip(per_minute, slots))
        span = sum(rate * (slot.desired_minutes - slot.floor_minutes) for rate, slot in zip(per_minute, slots))
        low = min(1.0, max(0.0, (budget_kj - floor_load) / span)) if span > 0 else 0.0
        minutes = minutes_at(low)
        room = budget_kj - sum(rate * m for rate, m in zip(per_minute, minutes))
        for i in sorted(range(len(slots)), key=lambda i: minutes[i] / max(1, slots[i].desired_minutes)):
            if minutes[i] < slots[i].desired_minutes and per_minute[i] <= room:
                room -= per_minute[i]
                minutes[i] += 1
        return [context.make_session(slot, m, level, pace) for slot, m, level in zip(slots, minutes, levels)]
    if load_at(1.0) <= budget_kj:
        return build(1.0)
    low, high = 0.0, 1.0
    for _ in range(10):  # 1/1024 of the way (< 0.1 min of a 90-min span); leftover minutes follow below
        middle = (low + high) / 2
        if load_at(middle) <= budget_kj:
            low = middle
        else:
            high = middle
    best = build(low)
    # Whole minutes left over: give them one at a time, shortest-relative first.
    room = budget_kj - sum(session.load_kj for session in best)
    order = sorted(range(len(slots)), key=lambda i: best[i].minutes / max(1, slots[i].desired_minutes))
    minutes = minutes_at(low)
    for i in order:
        slot = slots[i]
        if minutes[i] >= slot.desired_minutes:
            continue
        more = context.session_load(slot, minutes[i] + 1, levels[i], pace) - best[i].load_kj
        if more <= room:
            room -= more
            best[i] = context.make_session(slot, minutes[i] + 1, levels[i], pace)
    return best


PROGRESS = "progress"
HOLD = "hold"
STEP_BACK = "step back"
DIRECTIVES = (PROGRESS, HOLD, STEP_BACK)


class WeekPlanner:
    """Plans one week at a time, remembering what came before (planned or actually done).

    ``plan_week`` plans the next week under a directive: ``PROGRESS`` (grow within the cap: minutes,
    or one terrain step), ``HOLD`` (no rise in load, no longer sessions, no harder terrain: S11) or
    ``STEP_BACK`` (S1's order: a slower pace by DEFAULT_STEP_BACK_PACE_PERCENT, back to mild terrain
    with no pack, shorter by DEFAULT_STEP_BACK_PERCENT; from the starting dose, the same minutes in
    S2's walk-and-stand intervals; after micro-walks, a hold or a step back repeats them, S1, S2).
    ``record_done`` feeds in a week as actually walked, so the cap and the acute:chronic ratio are
    measured from what was done.
    """

    def __init__(self, profile: ClientProfile, model: str = DEFAULT_MODEL):
        self.context = _Context(profile, model)
        self.loads = [self.context.baseline_load_kj] * (evidence.ACWR_CHRONIC_WEEKS - 1)
        self.walk_minutes = self.context.walk_start
        self.hike_minutes = self.context.hike_floor
        self.level = 0  # terrain step (index into context.steps)
        self.weeks_at_level = 0  # weeks planned or walked at this terrain step
        self.hike_weeks = 0
        self.started = False  # has a non-flare week been planned or walked yet?
        self.last_phase = ""
        self.ramp_bout = self.context.micro_minutes  # longest bout of the last flare or ramp week
        self.ramp_day_minutes = self.context.micro_minutes * self.context.dose.micro_bouts_per_day
        self.ramp_last_change = ""  # "minutes" or "bouts": the ramp alternates (one change at a time)
        self.last_minutes = 0  # walking minutes of the last week
        self.last_done = False  # was the last week taken as logged (record_done) rather than planned?

    def cap_budget_kj(self, directive: str) -> float:
        """The most load next week may carry under the weekly cap alone (none for a hold)."""
        growth = {PROGRESS: 1 + self.context.cap, HOLD: 1.0,
                  STEP_BACK: 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100}[directive]
        return self.loads[-1] * growth

    def budget_kj(self, directive: str) -> float:
        """The most load next week may carry: the cap (none for a hold) and the ratio ceiling (S14)."""
        context = self.context
        growth = {PROGRESS: 1 + context.cap, HOLD: 1.0,
                  STEP_BACK: 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100}[directive]
        recent = sum(self.loads[-(evidence.ACWR_CHRONIC_WEEKS - 1):])
        acwr_budget = context.acwr_ceiling * recent / (evidence.ACWR_CHRONIC_WEEKS - context.acwr_ceiling)
        return min(self.loads[-1] * growth, acwr_budget)

    def _finish(self, week: Week, done: bool = False) -> Week:
        self._remember(week, done)
        return week

    def plan_week(self, index: int, directive: str = PROGRESS, from_offset: int = 0,
                  done_load_kj: float = 0.0, flare_settled: bool = False) -> Week:
        """Plan week ``index`` (0-based) and remember it as done as planned.

        ``from_offset``/``done_load_kj``: the week is under way: plan only its days from
        ``from_offset`` on, within what the budget leaves after ``done_load_kj`` already walked.
        ``flare_settled``: the diary says a flare-up week's pain has settled: its remaining days start
        the ramp instead of more micro-walks.
        """
        context = self.context
        budget = self.budget_kj(directive) - done_load_kj
        in_flare = (index == 0 and context.starts_in_flare) or (directive in (HOLD, STEP_BACK)
                                                                  and self.last_phase == FLARE)
        if in_flare and flare_settled:
            # The flare-up ends early (diary): the ramp starts today, from the micro-walk protocol's
            # volume and its longest bout.
            protocol = _flare_week(context)
            self.last_phase, self.last_minutes = FLARE, sum(s.minutes for s in protocol)
            self.ramp_bout = max((s.bout_minutes for s in protocol), default=context.micro_minutes)
            self.ramp_day_minutes = max((s.minutes for s in protocol), default=self.ramp_bout)
            ramp = self._ramp_week(index, PROGRESS, from_offset, budget)
            if ramp is not None:
                return self._finish(replace(ramp, difficulty_change="pain settled (diary): the flare-up ends early; "
                                            + ramp.difficulty_change))
            in_flare = False
        if in_flare:
            # Holding or stepping back from micro-walks means another week of them (S1, S2). The
            # protocol is a fixed starting dose (S2): marked so when it is more than the budget.
            sessions = _flare_week(context, from_offset)
            load = sum(s.load_kj for s in sessions)
            change = ("micro-walks again: pain has not settled (S1, S2)" if index else
                      "micro-walks: S2's flare-up protocol")
            return self._finish(Week(index, FLARE, tuple(sessions), load, load > budget + 1e-9,
                                     difficulty_change=change))
        if self.last_phase in (FLARE, RAMP):
            ramp = self._ramp_week(index, directive, from_offset, budget)
            if ramp is not None:
                return self._finish(ramp)

        pace = 1 - evidence.DEFAULT_STEP_BACK_PACE_PERCENT / 100 if directive == STEP_BACK else 1.0
        # A step back from the starting dose keeps it, split into S2's walk-and-stand intervals.
        intervals = directive == STEP_BACK and self.walk_minutes <= context.walk_floor
        changes: list[str] = []
        if directive == STEP_BACK:
            shorter = 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100
            self.walk_minutes = max(context.walk_floor, math.floor(self.walk_minutes * shorter))
            self.hike_minutes = max(context.hike_floor, math.floor(self.hike_minutes * shorter))
            changes.append(f"step back: slower pace ({evidence.DEFAULT_STEP_BACK_PACE_PERCENT:g} % slower), "
                           + ("mild terrain with no pack, " if self.level else "") + "shorter sessions (S1)")
            if self.level:
                self.level, self.weeks_at_level = 0, 0
        grows = directive == PROGRESS
        if grows and self.started and context.walk_bouts > 1 and self.walk_minutes >= context.walk_target:
            # What changes next: bouts merge (the longest grows by the cap), minutes and terrain held.
            current = context.walk_longest_bout or math.ceil(self.walk_minutes / context.walk_bouts)
            longest = context.grow(current)
            if longest >= self.walk_minutes:
                context.walk_bouts, context.walk_longest_bout = 1, None
                changes.append(f"bouts merged: one {self.walk_minutes}-minute walk, the same minutes (S3, S4)")
            else:
                context.walk_longest_bout = longest
                changes.append(f"bouts merge: the longest {longest} min, the same minutes (S4: 10 min 2-3 times "
                               "a day, then 30 min)")
            grows = False

        walks_done = self.walk_minutes >= context.walk_target and context.walk_bouts == 1
        phase = BASE
        if context.hiking and walks_done:
            phase = HIKE_ENTRY if self.hike_weeks < evidence.HIKE_ENTRY_WEEKS else HIKE
        elif walks_done and self.started:
            phase = MAINTENANCE

        # One dimension at a time (S1): a terrain step, held a while, in a week whose minutes do not grow.
        step_up = (grows and self.started and self.level < len(context.steps) - 1
                   and self.weeks_at_level >= evidence.DEFAULT_WEEKS_PER_TERRAIN_STEP
                   and (phase == HIKE if context.hiking else True))
        slots = self._template(phase, grows and not step_up, intervals)
        if phase in (HIKE_ENTRY, HIKE) and self.hike_weeks == 0:
            entry_load = sum(context.session_load(slot, slot.floor_minutes, self.level, pace) for slot in slots)
            if entry_load > budget or not grows:
                # Entering the hikes would break the cap (or pain says wait): walks instead.
                phase, step_up = MAINTENANCE, False
                slots = self._template(phase, grows, intervals)

        slots = [slot for slot in slots if slot.day_offset >= from_offset]
        level = self.level
        if step_up:
            stepped = self._step_slots(slots, level + 1)
            load = sum(context.session_load(slot, slot.desired_minutes, level + 1)
                       for slot in stepped)
            if load <= budget and all(slot.desired_minutes >= slot.floor_minutes for slot in stepped):
                shortened = [new.desired_minutes for old, new in zip(slots, stepped)
                             if new.desired_minutes < old.desired_minutes]
                slots, level = stepped, level + 1
                changes.append(self._step_text(level, min(shortened) if shortened else None))
        levels = [level] * len(slots)
        floor_load = sum(context.session_load(slot, slot.floor_minutes, level, pace) for slot in slots)
        at_floor = floor_load > budget + 1e-6  # float sums: a week that fits exactly is not "at the floor"
        if at_floor and from_offset:
            sessions = []  # this week's load is already walked: rest for the rest of it
        elif at_floor:
            cap_budget = self.cap_budget_kj(directive) - done_load_kj
            # (Not after a week as logged: a light or missed week restarts at the starting dose, domain.md.)
            if (directive == PROGRESS and not self.last_done and len(self.loads) >= evidence.ACWR_CHRONIC_WEEKS
                    and self.loads[-1] > 0 and floor_load > cap_budget + 1e-9):
                # After week 1 no week rises above the cap, not even to a starting dose (issue 19: 8):
                # e.g. a harder surface after a flare's even ground; the sessions are shorter, and say so.
                shorter = [replace(slot, floor_minutes=1) for slot in slots]
                sessions = _fill(context, shorter, levels, cap_budget, pace)
                if sum(s.minutes for s in sessions) < self.last_minutes:
                    # Whole minutes cannot keep the cap without cutting last week's minutes (very short
                    # walks): hold them on the costlier ground, marked as a starting dose.
                    held, extra = divmod(self.last_minutes, max(1, len(slots)))
                    sessions = [context.make_session(slot, max(1, held + (i < extra)), level, pace)
                                for i, (slot, level) in enumerate(zip(shorter, levels))]
                # Still above the budget (1-minute walks, a hold, or the acute:chronic ceiling): marked.
                at_floor = sum(s.load_kj for s in sessions) > budget + 1e-9
                changes.append(f"shorter sessions ({max((s.minutes for s in sessions), default=0)} min): "
                               f"{evidence.SURFACE_LABELS[sessions[0].surface] if sessions else 'this terrain'} "
                               f"costs more per minute, and a week rises at most {context.cap * 100:g} % (S15)")
            else:
                sessions = [context.make_session(slot, slot.floor_minutes, level, pace) for slot in slots]
        else:
            sessions = _fill(context, slots, levels, budget, pace)
        if level == self.level and not changes and directive == PROGRESS and self.started:
            longest = max((s.minutes for s in sessions), default=0)
            if longest > max(self.walk_minutes if self.started else 0,
                             self.hike_minutes if self.hike_weeks else 0):
                changes.append("time: longer sessions within the weekly cap (S1, S3, S15)")
        if level != self.level:
            self.weeks_at_level = 0
        self.level = level
        week = Week(index, phase, tuple(sessions), sum(s.load_kj for s in sessions), at_floor,
                    difficulty_change="; ".join(changes))
        return self._finish(week)

    def _step_slots(self, slots: list[_Slot], level: int) -> list[_Slot]:
        """Slots at terrain step ``level`` with minutes held, shortened if the step alone would raise a
        session's load by more than the cap (a step that cannot be split finer, e.g. a new surface)."""
        context = self.context
        stepped = []
        for slot in slots:
            if slot.kind != context.terrain_kind:
                stepped.append(slot)
                continue
            minutes = slot.desired_minutes
            before = context.session_load(slot, minutes, self.level)
            while minutes > 1 and context.session_load(slot, minutes, level) > before * (1 + context.cap) + 1e-9:
                minutes -= 1
            stepped.append(replace(slot, floor_minutes=min(slot.floor_minutes, minutes), desired_minutes=minutes))
        return stepped

    def _step_text(self, level: int, shortened_to: int | None = None) -> str:
        """Why this week's terrain is harder, naming the one dimension that changed (S1)."""
        context = self.context
        before, after = context.steps[level - 1], context.steps[level]
        if after.changed == GRADE:
            what = f"grade {before.grade_percent:g} → {after.grade_percent:g} %"
        elif after.changed == PACK:
            what = f"pack {before.pack_kg:g} → {after.pack_kg:g} kg"
        else:
            what = (f"surface {evidence.SURFACE_LABELS[before.surface]} → "
                    f"{evidence.SURFACE_LABELS[after.surface]}")
        held = (f"sessions shortened to {shortened_to} min to keep the load within" if shortened_to is not None
                else "minutes held, at most")
        text = (f"{what}: one terrain step, {held} +{context.cap * 100:g} % per session "
                "(S1: increase difficulty gradually)")
        old_rate, old_speed = context.rate(before.surface, before.grade_percent, before.pack_kg)
        new_rate, new_speed = context.rate(after.surface, after.grade_percent, after.pack_kg)
        if new_rate < old_rate:
            text += (f"; lighter per minute because your pace on the steeper grade is slower "
                     f"({old_speed:.1f} → {new_speed:.1f} km/h, S10)")
        return text

    def _ramp_week(self, index: int, directive: str, from_offset: int, budget: float) -> Week | None:
        """A week of the ramp out of a flare-up, or None once single walks carry the week (base walking).

        One change a week (issue 19): either a day's minutes grow toward what the person walked
        before the flare (``dose.usual_day_minutes``), or the longest bout grows, so bouts merge; the
        week's minutes never rise more than the cap. A hold repeats last week; a step back shortens
        bouts and minutes (S1).
        """
        context = self.context
        days = context.flare_offsets
        previous = self.last_minutes
        day_minutes, bout = self.ramp_day_minutes, self.ramp_bout
        if directive == PROGRESS:
            if math.ceil(day_minutes / bout) <= 1:
                # Single walks carry the week: base walking from here, growing from them.
                self.walk_minutes = day_minutes
                self.started = True
                context.walk_bouts, context.walk_longest_bout = 1, None
                return None
            want = min(context.walk_target, max(context.dose.usual_day_minutes, context.walk_start))
            room = math.floor(previous * (1 + context.cap) / len(days) + 1e-9)
            more = min(want, room)
            if more > day_minutes and self.ramp_last_change != "minutes":
                bouts = math.ceil(day_minutes / bout)
                day_minutes = more
                bout = max(bout, math.ceil(day_minutes / bouts))  # the same number of bouts, a little longer
                change = (f"time: {more} min a day (toward the {want} min a day you walked before the "
                          f"flare), the same number of bouts (S2, S4, S15)")
                self.ramp_last_change = "minutes"
            else:
                bout = min(day_minutes, context.grow(bout))
                bouts = math.ceil(day_minutes / bout)
                change = (f"longest bout {bout} min, {bouts} bout{'s' if bouts != 1 else ''} a day (a longer "
                          f"bout, the same minutes: S2, S4)")
                self.ramp_last_change = "bouts"
        elif directive == HOLD:
            change = "hold: same bouts as last week (S11)"
        else:
            shorter = 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100
            day_minutes = max(1, math.floor(day_minutes * shorter))
            bout = max(1, min(bout, day_minutes))
            change = "step back: shorter bouts, fewer minutes (S1)"
        total = day_minutes * len(days)
        if directive == PROGRESS:
            # Never more than the cap over last week, nor less than last week: spread over the days
            # (some a minute longer) so whole minutes do not round the week down.
            total = max(min(total, math.floor(previous * (1 + context.cap) + 1e-9)), min(previous, total))
        per_day = [total // len(days) + (1 if i < total % len(days) else 0) for i in range(len(days))]
        sessions = [context.bouts_session(offset, minutes, min(bout, minutes))
                    for offset, minutes in zip(days, per_day) if offset >= from_offset and minutes > 0]
        load = sum(s.load_kj for s in sessions)
        week = Week(index, RAMP, tuple(sessions), load, load > budget + 1e-9, difficulty_change=change)
        self.ramp_bout, self.ramp_day_minutes = bout, max(per_day)
        return week

    def record_done(self, week: Week) -> None:
        """Take a week as actually walked (from a diary) as the base for what comes next."""
        self._remember(week, done=True)

    def _remember(self, week: Week, done: bool = False) -> None:
        context = self.context
        self.last_done = done
        self.loads.append(week.load_kj)
        self.last_minutes = sum(s.minutes for s in week.sessions)
        if week.phase in (FLARE, RAMP):
            walked = [s for s in week.sessions if s.minutes > 0]
            if walked and (done or week.phase == FLARE):
                self.ramp_bout = max(s.bout_minutes for s in walked)
                self.ramp_day_minutes = max(s.minutes for s in walked)
            self.last_phase = week.phase
            return
        hikes = [s.minutes for s in week.sessions if s.kind == HIKE_KIND and s.minutes > 0]
        walks = [s.minutes for s in week.sessions if s.kind == WALK]
        if week.phase in (HIKE_ENTRY, HIKE) and (hikes or not done):
            # Only hikes actually walked count; never below the hikes' starting dose (domain.md).
            self.hike_weeks += 1
            self.hike_minutes = max([context.hike_floor] + hikes) if done else max(hikes, default=self.hike_minutes)
        if done:
            # Restart from what was done, never below the phase's starting dose (domain.md).
            self.walk_minutes = max(context.walk_floor, max(walks, default=0))
            if week.phase in (HIKE_ENTRY, HIKE):
                self.walk_minutes = max(self.walk_minutes, context.walk_target)
        elif walks and week.phase in (BASE, MAINTENANCE):
            self.walk_minutes = max(self.walk_minutes, max(walks)) if self.started else max(walks)
        terrain_sessions = [s for s in week.sessions if s.kind == context.terrain_kind and s.minutes > 0]
        if terrain_sessions or not done:
            self.weeks_at_level += 1
        self.started = True
        self.last_phase = week.phase

    @staticmethod
    def plan_all(profile: ClientProfile, model: str = DEFAULT_MODEL) -> list[Week]:
        """Every week of the plan, each progressing as planned."""
        planner = WeekPlanner(profile, model)
        return [planner.plan_week(index) for index in range(profile.goal.weeks)]

    def goal_reached(self) -> bool:
        """True once the last week holds the goal: target minutes (walks or hikes) on the goal terrain."""
        context = self.context
        if self.last_phase in (FLARE, RAMP, ""):
            return False
        terrain_done = self.level >= len(context.steps) - 1
        if context.hiking:
            return self.hike_weeks > 0 and self.hike_minutes >= context.hike_target and terrain_done
        # The planned days at the target (a plan that levels off below the 150-min guideline says so
        # in its notes, and the summary does not count it as reached).
        weekly_goal = min(evidence.GUIDELINE_WEEKLY_MINUTES, context.walk_target * 7)
        return (self.walk_minutes >= context.walk_target and terrain_done
                and self.last_minutes >= min(weekly_goal, context.walk_target * len(context.walk_offsets)))

    def weeks_to_goal(self, next_index: int, max_weeks: int) -> int | None:
        """Keep planning (as if every week went as planned) until the goal is reached; the number of
        extra weeks that took, or None if not within ``max_weeks``. Changes this planner's state."""
        for extra in range(max_weeks):
            if self.goal_reached():
                return extra
            self.plan_week(next_index + extra)
        return max_weeks if self.goal_reached() else None

    def _template(self, phase: str, grows: bool, intervals: bool) -> list[_Slot]:
        hike_minutes = self.hike_minutes if self.hike_weeks else None
        slots = _week_template(self.context, phase, self.walk_minutes, hike_minutes, self.started and grows)
        return [replace(slot, intervals=True) for slot in slots] if intervals else slots


def plan_weeks(profile: ClientProfile, model: str = DEFAULT_MODEL) -> list[Week]:
    """The whole plan as weeks of undated sessions, following the phase and load rules above."""
    return WeekPlanner.plan_all(profile, model)


def _week_template(context: _Context, phase: str, walk_minutes: int, hike_minutes: int | None,
                   started: bool) -> list[_Slot]:
    """Which sessions a week of this phase holds, with floors and desired minutes.

    The first week of walking, and the first week of hikes (``hike_minutes`` None), want the
    starting dose; later weeks want to grow unless ``started`` is False (a hold).
    """
    slots = []
    in_entry = phase == HIKE_ENTRY
    for offset in context.walk_offsets:
        if phase in (HIKE_ENTRY, HIKE) and offset in context.hike_offsets:
            ceiling = evidence.HIKE_ENTRY_MINUTES_HIGH if in_entry else evidence.HIKE_MAX_MINUTES
            grown = (context.hike_floor if hike_minutes is None else
                     context.grow(hike_minutes) if started else hike_minutes)
            desired = min(context.hike_target, ceiling, grown)
            slots.append(_Slot(offset, HIKE_KIND, min(context.hike_floor, desired), desired))
        else:
            grows = phase == BASE and started
            desired = min(context.walk_target, context.grow(walk_minutes) if grows else walk_minutes)
            floor = min(context.walk_floor, walk_minutes)  # after a flare's ramp, from where it ended
            slots.append(_Slot(offset, WALK, floor, max(floor, desired)))
    return slots


def acute_chronic_ratios(weekly_loads_kj: list[float], baseline_load_kj: float) -> list[float]:
    """Acute:chronic ratio per week (S14): this week's load / (last 4 weeks' load / 4).

    Weeks before the plan count at the person's current weekly load. NaN where the chronic load is 0.
    """
    history = [baseline_load_kj] * (evidence.ACWR_CHRONIC_WEEKS - 1) + list(weekly_loads_kj)
    ratios = []
    for i, load in enumerate(weekly_loads_kj):
        window = history[i:i + evidence.ACWR_CHRONIC_WEEKS]
        chronic = sum(window) / evidence.ACWR_CHRONIC_WEEKS
        ratios.append(load / chronic if chronic > 0 else math.nan)
    return ratios
