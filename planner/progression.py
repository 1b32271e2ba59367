"""Phase choice, weekly dose, progression cap and acute:chronic ratio.

The planner works week by week. Each week has a *template* (which sessions, their starting-dose
floor, their desired minutes and terrain) and a *load budget*: the smaller of last week's load
times (1 + cap) (DEFAULT 10 %, S15) and the load that keeps the acute:chronic ratio under its
ceiling (DEFAULT 1.3, S14). Minutes (and, on hikes, terrain difficulty) are filled in from the floor
toward the desired values as far as the budget allows. Only a phase's starting dose may exceed the
budget: the plan never starts below what the sources give as a start (S2, S3, S1) nor above what the
person tolerates now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner import evidence
from planner.load import energy_kj, hill_walk, pandolf_watts, standing_watts, terrain_factor
from planner.profile import ClientProfile

FLARE = "flare-up"
BASE = "base walking"
HIKE_ENTRY = "trail hiking (entry)"
HIKE = "trail hiking"
MAINTENANCE = "maintenance"
PHASES = (FLARE, BASE, HIKE_ENTRY, HIKE, MAINTENANCE)

MICRO_WALK = "micro-walk"
WALK = "walk"
HIKE_KIND = "hike"
REST = "rest"
STOPPED = "stopped"


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
    watts: float  # mean metabolic rate while walking (S8)
    load_kj: float
    status: str = "planned"  # planned / done / missed / extra (a walk logged on a rest day)
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


@dataclass(frozen=True)
class _Slot:
    """A session in a week's template: where it may go between floor and desired."""

    day_offset: int
    kind: str
    floor_minutes: int
    desired_minutes: int
    intervals: bool = False  # split into S2's 5 min walk + 1 min standing bouts


def baseline_load_kj(profile: ClientProfile) -> float:
    """Weekly load before the plan: the person's current walking minutes, flat, at their pace (S8)."""
    fitness = profile.fitness
    watts = pandolf_watts(fitness.body_mass_kg, 0.0, fitness.speed_kmh / 3.6, 0.0, 1.0)
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

    def __init__(self, profile: ClientProfile):
        self.profile = profile
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
        # Micro-walks are a daily protocol (S2): every available day, whatever the weekly goal.
        self.flare_offsets = tuple(sorted((day - offset) % 7 for day in fitness.available_weekdays))
        self.hike_offsets = tuple(sorted((day - offset) % 7 for day in self.hike_days))

        self.starts_in_flare = (pain.in_flare or pain.pain_now > evidence.PAIN_DURING_ACTIVITY_MAX
                                or pain.leg_symptoms == "peripheralising")
        target = goal.target_session_minutes
        self.walk_target = min(target, evidence.BASE_GOAL_MINUTES) if self.hiking else target
        self.hike_target = target
        self.walk_floor = min(evidence.BASE_START_MINUTES_LOW, self.walk_target, self.longest_minutes)
        usual_session = fitness.walking_minutes_per_week / max(1, len(self.walk_offsets))
        self.walk_start = max(self.walk_floor, min(
            self.longest_minutes, self.walk_target,
            math.floor(max(evidence.BASE_START_MINUTES_HIGH, usual_session))))
        self.hike_floor = min(evidence.HIKE_ENTRY_MINUTES_LOW, self.hike_target)

        # Surfaces: flare on even ground (S2); disc pain avoids concrete (S2).
        surface = terrain.surface
        if self.disc and surface in evidence.DISC_AVOID_SURFACES:
            surface = evidence.DEFAULT_DISC_SURFACE
        self.hike_surface = surface
        self.flare_surface = surface if surface in evidence.FLARE_SURFACES else evidence.DEFAULT_FLARE_SURFACE
        if self.hiking:
            # A hiker's base walks are flat, on even ground; the hills are for the hikes.
            self.walk_surface = surface if surface in evidence.EVEN_SURFACES else evidence.DEFAULT_DISC_SURFACE
            self.walk_grade = 0.0
            self.walk_pack = 0.0
        else:
            self.walk_surface = surface
            self.walk_grade = terrain.grade_percent
            self.walk_pack = min(terrain.pack_mass_kg, evidence.PACK_MAX_KG)
        self.full_grade = terrain.grade_percent
        self.mild_grade = min(terrain.grade_percent, evidence.DEFAULT_MILD_GRADE_PERCENT)
        self.full_pack = min(terrain.pack_mass_kg, evidence.PACK_MAX_KG)  # S1
        self.snow_depth_cm = terrain.snow_depth_cm

        self.baseline_load_kj = baseline_load_kj(profile)
        self._rates: dict[tuple[str, float, float], tuple[float, float]] = {}

    def rate(self, surface: str, grade: float, pack: float) -> tuple[float, float]:
        """Mean W and km/h of a walk on this terrain (S8, S10, S12), cached."""
        key = (surface, grade, pack)
        if key not in self._rates:
            eta = terrain_factor(surface, self.snow_depth_cm)
            self._rates[key] = hill_walk(self.body_kg, pack, self.speed_kmh, grade, eta)
        return self._rates[key]

    def hike_terrain(self, difficulty: float) -> tuple[float, float]:
        """Grade (%) and pack (kg) of a hike, from mild entry terrain (0) to the person's own (1)."""
        grade = self.mild_grade + difficulty * (self.full_grade - self.mild_grade)
        return round(grade, 1), round(difficulty * self.full_pack, 1)

    def grow(self, minutes: int) -> int:
        """The most a session may grow to next week: the cap, but at least one whole minute."""
        return max(minutes + evidence.DEFAULT_SESSION_GROWTH_MINUTES, math.ceil(minutes * (1 + self.cap)))

    def terrain_of(self, kind: str, difficulty: float) -> tuple[str, float, float]:
        """Surface, grade (%) and pack (kg) of a session of this kind."""
        if kind == HIKE_KIND:
            grade, pack = self.hike_terrain(difficulty)
            return self.hike_surface, grade, pack
        if kind == MICRO_WALK:
            return self.flare_surface, 0.0, 0.0
        return self.walk_surface, self.walk_grade, self.walk_pack

    def bouts_of(self, kind: str, minutes: int, intervals: bool = False) -> tuple[int, int, int, int]:
        """Walking minutes, bouts, longest bout and rest minutes between bouts for a session."""
        if kind == MICRO_WALK:
            # ``minutes`` is one bout here: S2 gives the protocol per bout, three a day.
            return minutes * evidence.MICRO_WALK_BOUTS_PER_DAY, evidence.MICRO_WALK_BOUTS_PER_DAY, minutes, 0
        if (self.stenosis or intervals) and minutes > evidence.INTERVAL_WALK_MINUTES:
            # S2's 5 min walk + 1 min standing, a DEFAULT for stenosis; the last bout may be shorter.
            return (minutes, math.ceil(minutes / evidence.INTERVAL_WALK_MINUTES), evidence.INTERVAL_WALK_MINUTES,
                    evidence.INTERVAL_STAND_MINUTES)
        return minutes, 1, minutes, 0

    def session_load(self, slot: _Slot, minutes: int, difficulty: float) -> float:
        """The load of :meth:`make_session`'s session, kJ, without building it (for searching)."""
        surface, grade, pack = self.terrain_of(slot.kind, difficulty)
        walking, bouts, _, rest = self.bouts_of(slot.kind, minutes, slot.intervals)
        load = energy_kj(self.rate(surface, grade, pack)[0], walking)
        return load + energy_kj(standing_watts(self.body_kg, pack), rest * (bouts - 1)) if rest else load

    def make_session(self, slot: _Slot, minutes: int, difficulty: float) -> Session:
        """Turn a template slot and its minutes into a session with terrain, speed and load."""
        surface, grade, pack = self.terrain_of(slot.kind, difficulty)
        watts, speed = self.rate(surface, grade, pack)
        load = self.session_load(slot, minutes, difficulty)
        minutes, bouts, bout_minutes, rest = self.bouts_of(slot.kind, minutes, slot.intervals)
        return Session(slot.day_offset, slot.kind, minutes, bouts, bout_minutes, rest, surface, grade, pack,
                       round(speed, 2), watts, load)


def _flare_week(context: _Context) -> Week:
    """S2's micro-walk protocol: days 1-3 5 min x 3, days 4-7 8 min x 3; never past tolerance."""
    sessions = []
    for offset in context.flare_offsets:
        protocol = (evidence.MICRO_WALK_EARLY_MINUTES if offset < evidence.MICRO_WALK_EARLY_DAYS
                    else evidence.MICRO_WALK_LATE_MINUTES)
        minutes = min(protocol, context.longest_minutes, context.walk_target)
        sessions.append(context.make_session(_Slot(offset, MICRO_WALK, minutes, minutes), minutes, 0.0))
    return Week(0, FLARE, tuple(sessions), sum(s.load_kj for s in sessions), False)


def _fill(context: _Context, slots: list[_Slot], difficulty_from: float, difficulty_to: float,
          budget_kj: float) -> tuple[list[Session], float]:
    """Fill slots from floor toward desired (and difficulty from -> to) within the budget.

    A single progress fraction moves every slot together; leftover budget then adds whole minutes
    to the sessions furthest from their desired length. Returns the sessions and the difficulty.
    """
    def minutes_at(progress: float) -> list[int]:
        return [slot.floor_minutes + math.floor(progress * (slot.desired_minutes - slot.floor_minutes) + 1e-9)
                for slot in slots]

    def build(progress: float) -> tuple[list[Session], float]:
        difficulty = difficulty_from + progress * (difficulty_to - difficulty_from)
        return [context.make_session(slot, minutes, difficulty)
                for slot, minutes in zip(slots, minutes_at(progress))], difficulty

    def load_at(progress: float) -> float:
        difficulty = difficulty_from + progress * (difficulty_to - difficulty_from)
        return sum(context.session_load(slot, minutes, difficulty) for slot, minutes in zip(slots, minutes_at(progress)))

    def total(sessions: list[Session]) -> float:
        return sum(session.load_kj for session in sessions)

    if load_at(1.0) <= budget_kj:
        return build(1.0)
    if difficulty_from == difficulty_to and not context.stenosis and not any(slot.intervals for slot in slots):
        # Fixed terrain, one bout each: load is linear in minutes, so solve for the fraction.
        per_minute = [context.session_load(slot, 1, difficulty_from) for slot in slots]
        floor_load = sum(rate * slot.floor_minutes for rate, slot in zip(per_minute, slots))
        span = sum(rate * (slot.desired_minutes - slot.floor_minutes) for rate, slot in zip(per_minute, slots))
        low = min(1.0, max(0.0, (budget_kj - floor_load) / span)) if span > 0 else 0.0
    else:
        low, high = 0.0, 1.0
        for _ in range(14):  # 1/16384 of the way: well under a minute on any session
            middle = (low + high) / 2
            if load_at(middle) <= budget_kj:
                low = middle
            else:
                high = middle
    best, difficulty = build(low)
    # Whole minutes left over: give them one at a time, shortest-relative first.
    room = budget_kj - total(best)
    order = sorted(range(len(slots)), key=lambda i: best[i].minutes / max(1, slots[i].desired_minutes))
    for i in order:
        session, slot = best[i], slots[i]
        if session.minutes >= slot.desired_minutes:
            continue
        bigger = context.make_session(slot, session.minutes + 1, difficulty)
        if bigger.load_kj - session.load_kj <= room:
            room -= bigger.load_kj - session.load_kj
            best[i] = bigger
    return best, difficulty


PROGRESS = "progress"
HOLD = "hold"
STEP_BACK = "step back"
DIRECTIVES = (PROGRESS, HOLD, STEP_BACK)


class WeekPlanner:
    """Plans one week at a time, remembering what came before (planned or actually done).

    ``plan_week`` plans the next week under a directive: ``PROGRESS`` (grow within the cap),
    ``HOLD`` (no rise in load, no longer sessions, no harder terrain: S11) or ``STEP_BACK``
    (shorter by DEFAULT_STEP_BACK_PERCENT and back to mild terrain with no pack, S1; from the
    starting dose, the same minutes in S2's walk-and-stand intervals; after micro-walks, a hold or
    a step back repeats them, S1, S2). ``record_done`` feeds in a week as actually walked,
    so the cap and the acute:chronic ratio are measured from what was done.
    """

    def __init__(self, profile: ClientProfile):
        self.context = _Context(profile)
        self.loads = [self.context.baseline_load_kj] * (evidence.ACWR_CHRONIC_WEEKS - 1)
        self.walk_minutes = self.context.walk_start
        self.hike_minutes = self.context.hike_floor
        self.difficulty = 0.0
        self.hike_weeks = 0
        self.started = False  # has a non-flare week been planned or walked yet?
        self.last_phase = ""

    def budget_kj(self, directive: str) -> float:
        """The most load next week may carry: the cap (none for a hold) and the ratio ceiling (S14)."""
        context = self.context
        growth = {PROGRESS: 1 + context.cap, HOLD: 1.0,
                  STEP_BACK: 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100}[directive]
        recent = sum(self.loads[-(evidence.ACWR_CHRONIC_WEEKS - 1):])
        acwr_budget = context.acwr_ceiling * recent / (evidence.ACWR_CHRONIC_WEEKS - context.acwr_ceiling)
        return min(self.loads[-1] * growth, acwr_budget)

    def plan_week(self, index: int, directive: str = PROGRESS, from_offset: int = 0,
                  done_load_kj: float = 0.0) -> Week:
        """Plan week ``index`` (0-based) and remember it as done as planned.

        ``from_offset``/``done_load_kj``: the week is under way: plan only its days from
        ``from_offset`` on, within what the budget leaves after ``done_load_kj`` already walked.
        """
        context = self.context
        if (index == 0 and context.starts_in_flare) or (directive in (HOLD, STEP_BACK) and self.last_phase == FLARE):
            # Holding or stepping back from micro-walks means another week of them (S1, S2).
            week = replace(_flare_week(context), index=index)
            self.loads.append(week.load_kj)
            self.last_phase = FLARE
            return week

        budget = self.budget_kj(directive) - done_load_kj
        # A step back from the starting dose keeps it, split into S2's walk-and-stand intervals.
        intervals = directive == STEP_BACK and self.walk_minutes <= context.walk_floor
        if directive == STEP_BACK:
            shorter = 1 - evidence.DEFAULT_STEP_BACK_PERCENT / 100
            self.walk_minutes = max(context.walk_floor, math.floor(self.walk_minutes * shorter))
            self.hike_minutes = max(context.hike_floor, math.floor(self.hike_minutes * shorter))
            self.difficulty = 0.0  # flatter ground, no pack (S1)
        grows = directive == PROGRESS

        walks_done = self.walk_minutes >= context.walk_target
        phase = BASE
        if context.hiking and walks_done:
            phase = HIKE_ENTRY if self.hike_weeks < evidence.HIKE_ENTRY_WEEKS else HIKE
        elif walks_done and self.started:
            phase = MAINTENANCE

        slots = self._template(phase, grows, intervals)
        difficulty_to = 1.0 if phase == HIKE and grows else self.difficulty
        if phase in (HIKE_ENTRY, HIKE) and self.hike_weeks == 0:
            entry_load = sum(context.session_load(slot, slot.floor_minutes, self.difficulty) for slot in slots)
            if entry_load > budget or not grows:
                # Entering the hikes would break the cap (or pain says wait): walks instead.
                phase = MAINTENANCE
                slots, difficulty_to = self._template(phase, grows, intervals), self.difficulty

        slots = [slot for slot in slots if slot.day_offset >= from_offset]
        floor_load = sum(context.session_load(slot, slot.floor_minutes, self.difficulty) for slot in slots)
        at_floor = floor_load > budget
        if at_floor and from_offset:
            sessions = []  # this week's load is already walked: rest for the rest of it
        elif at_floor:
            sessions = [context.make_session(slot, slot.floor_minutes, self.difficulty) for slot in slots]
        else:
            sessions, self.difficulty = _fill(context, slots, self.difficulty, difficulty_to, budget)
        week = Week(index, phase, tuple(sessions), sum(s.load_kj for s in sessions), at_floor)
        self._remember(week)
        return week

    def record_done(self, week: Week) -> None:
        """Take a week as actually walked (from a diary) as the base for what comes next."""
        if week.phase == FLARE:
            self.loads.append(week.load_kj)
            self.last_phase = FLARE
            return
        self._remember(week, done=True)

    def _remember(self, week: Week, done: bool = False) -> None:
        context = self.context
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
        self.started = True
        self.last_phase = week.phase
        self.loads.append(week.load_kj)

    @staticmethod
    def plan_all(profile: ClientProfile) -> list[Week]:
        """Every week of the plan, each progressing as planned."""
        planner = WeekPlanner(profile)
        return [planner.plan_week(index) for index in range(profile.goal.weeks)]

    def _template(self, phase: str, grows: bool, intervals: bool) -> list[_Slot]:
        hike_minutes = self.hike_minutes if self.hike_weeks else None
        slots = _week_template(self.context, phase, self.walk_minutes, hike_minutes, self.started and grows)
        return [replace(slot, intervals=True) for slot in slots] if intervals else slots


def plan_weeks(profile: ClientProfile) -> list[Week]:
    """The whole plan as weeks of undated sessions, following the phase and load rules above."""
    return WeekPlanner.plan_all(profile)


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
            slots.append(_Slot(offset, WALK, context.walk_floor, max(context.walk_floor, desired)))
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
