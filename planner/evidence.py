"""Every number a planner rule uses, named, with its source tag (S1-S15, listed in full with every
constant below in ``docs/evidence.md``).

Names starting with ``DEFAULT_`` are not given by any source: they are the planner's own choices,
shown to the user as adjustable. No other module holds a magic number.
"""

from __future__ import annotations

# --- Flare-up micro-walks (S2) -------------------------------------------------------------
MICRO_WALK_BOUTS_PER_DAY = 3  # S2: "five minutes, three times a day"
MICRO_WALK_EARLY_MINUTES = 5  # S2: days 1-3
MICRO_WALK_LATE_MINUTES = 8  # S2: days 4-7
MICRO_WALK_EARLY_DAYS = 3  # S2: days 1-3 of the protocol, then days 4-7
INTERVAL_WALK_MINUTES = 5  # S2: 5 min walking ...
INTERVAL_STAND_MINUTES = 1  # S2: ... + 1 min standing tall

# --- Base walking (S3, S4, S6) -------------------------------------------------------------
BASE_START_MINUTES_LOW = 10  # S3: start 10-15 min easy; S4: 10 min
BASE_START_MINUTES_HIGH = 15  # S3
BASE_GOAL_MINUTES = 30  # S3, S4, S6: build to 30 min
BASE_GOAL_DAYS_PER_WEEK = 5  # S6 WalkBack: 30 min x 5 days/week

# --- Trail hiking (S1) ---------------------------------------------------------------------
HIKE_ENTRY_MINUTES_LOW = 30  # S1: 30-45 min on mild terrain
HIKE_ENTRY_MINUTES_HIGH = 45  # S1
HIKE_ENTRY_PER_WEEK = 2  # S1: 2-3 times a week (lower end)
HIKE_ENTRY_WEEKS = 3  # S1: for 3-4 weeks before judging (lower end)
HIKE_MAX_MINUTES = 90  # S1: up to 60-90 min
DEFAULT_MILD_GRADE_PERCENT = 5.0  # DEFAULT: "mild terrain" of S1 read as at most a 5 % grade
DEFAULT_GENTLE_SURFACE = "dirt_road"  # DEFAULT: "mild terrain" (S1) on S2's "flat dirt trail"; rougher goal surfaces come later
DEFAULT_DIFFICULTY_ORDER = ("grade", "surface", "pack")  # DEFAULT: S1 says "time and difficulty gradually", not in which order
DEFAULT_GRADE_STEP_PERCENT = 0.5  # DEFAULT: grade steps are whole multiples of 0.5 %
DEFAULT_PACK_STEP_KG = 0.5  # DEFAULT: pack steps are whole multiples of 0.5 kg
DEFAULT_MAX_GRADE_STEP_PERCENT = 2.5  # DEFAULT: one terrain step adds at most 2.5 % of grade (slower uphill pace hides steeper hills in the load)
DEFAULT_MAX_PACK_STEP_KG = 1.5  # DEFAULT: one terrain step adds at most 1.5 kg of pack
DEFAULT_WEEKS_PER_TERRAIN_STEP = 2  # DEFAULT: a terrain step is held 2 weeks (the step week, then one where minutes grow)

# --- Pack (S1) -----------------------------------------------------------------------------
PACK_MAX_KG = 4.5  # S1: <= 10 lb
NEW_HIKER_PACK_KG = 0.0  # S1: new hikers start with no pack

# --- Pain monitoring (S1, S11) -------------------------------------------------------------
PAIN_DURING_ACTIVITY_MAX = 5  # S11: pain during activity <= 5/10 acceptable
PAIN_AFTER_ACTIVITY_MAX = 5  # S11: after it <= 5/10, back to baseline by next morning

# --- Start dose (S16, S17, S6, NICE NG59 / NHS) -----------------------------------------------
START_FRACTION_OF_TOLERANCE_HIGH = 0.8  # S16 EPIPHA-KNEE: walking starts at 80 % of the tolerated duration
START_FRACTION_OF_TOLERANCE_LOW = 0.7  # S17 graded activity: quotas start at 70 % of baseline tolerance
LOW_PAIN_MAX = 3  # DEFAULT: pain up to 3/10 counts as mild (the common 0-3 mild band); 80 % start, 70 % above
SEVERE_PAIN_MIN = 8  # DEFAULT: pain 8-10/10 read as severe (the common 7/8-10 severe band): the most cautious start + review
DEFAULT_SEVERE_PAIN_REVIEW_DAYS = 14  # DEFAULT: "a few weeks" of NHS back-pain advice (see a GP if it has not improved) read as 2 weeks for severe pain
DEFAULT_CHECK_IN_WEEKS = 4  # DEFAULT: S6 WalkBack had 6 physiotherapist sessions over 26 weeks (one every ~4 weeks)
CHECK_IN_MIN_PLAN_WEEKS = 7  # S6 / issue 19: plans longer than 6 weeks carry clinician check-ins
GUIDELINE_WEEKLY_MINUTES = 150  # S6: 30 min x 5 days (WalkBack's goal; WHO's 150 min/week)

# --- Progression (S14, S15) ----------------------------------------------------------------
DEFAULT_PROGRESSION_CAP_PERCENT = 10.0  # DEFAULT: the "10 % rule"; S15 shows it is a convention
DEFAULT_ACWR_CEILING = 1.3  # DEFAULT warning ceiling; S14's "sweet spot" 0.8-1.3
ACWR_SWEET_SPOT_LOW = 0.8  # S14
ACWR_CHRONIC_WEEKS = 4  # S14: chronic = last 28 days / 4
DEFAULT_SESSION_GROWTH_MINUTES = 1  # DEFAULT: a session may always grow by one whole minute
DEFAULT_STEP_BACK_PERCENT = 20.0  # DEFAULT: a step back shortens sessions and weekly load by 20 %
DEFAULT_STEP_BACK_PACE_PERCENT = 10.0  # DEFAULT: a step back first slows the pace by 10 % (S1 lists a slower pace first)
DEFAULT_MAX_VOLUME_DROP_PERCENT = 30.0  # DEFAULT: out of a flare-up, weekly minutes fall at most 30 % a week
DEFAULT_FLARE_SETTLED_DAYS = 3  # DEFAULT: a flare-up ends early after 3 logged days within S11's limits (S2's days 1-3 block)
DEFAULT_SHORTFALL_HORIZON_WEEKS = 26  # DEFAULT: how far past the plan's end "weeks to the goal" is counted (half a year)
DEFAULT_REPEATED_BREACHES = 2  # DEFAULT: pain over the S11 limits on this many walks a week is "repeated"
PAIN_RISE_MCID_POINTS = 2  # MCID: 2 points on the 0-10 pain scale is a clinically important change (Farrar 2001, Ostelo 2008)
DEFAULT_USUAL_PAIN_DAYS = 7  # DEFAULT: the person's usual pain is the median of their last 7 settled diary days
DEFAULT_USUAL_PAIN_MIN_DAYS = 3  # DEFAULT: ... once at least 3 settled days are logged (before that, the intake answer)
DEFAULT_RISING_PAIN_DAYS = 3  # DEFAULT (issue 19): pain rising across 3 logged days in a row never progresses
DEFAULT_SILENT_WEEKS_STEP_DOWN = 2  # DEFAULT (issue 19): one week without entries holds; two step down

# --- Pace (S5, Bohannon 1997) --------------------------------------------------------------
MODERATE_PACE_KMH_LOW = 4.8  # S5: 3 mph
MODERATE_PACE_KMH_HIGH = 6.4  # S5: 4 mph
REFERENCE_FLAT_SPEED_KMH = 5.0  # domain "Load": flat-walk minutes use a 5 km/h walk, no pack

# --- Load (S8, S9, S10, S12) ---------------------------------------------------------------
#: Pandolf terrain factor eta per surface (S9, Soule & Goldman 1972). Trailback's surfaces map to
#: S9's rows as noted; the mapping itself is a DEFAULT where S9 has no row of that name.
TERRAIN_FACTORS: dict[str, float] = {
    "treadmill": 1.0,  # S9: blacktop/treadmill
    "track": 1.0,  # DEFAULT: synthetic track read as blacktop
    "pavement": 1.0,  # S9: blacktop (concrete alike)
    "dirt_road": 1.1,  # S9: dirt road
    "trail": 1.2,  # DEFAULT: a walking trail read as S9's light brush
    "rough_trail": 1.5,  # DEFAULT: a rough, rocky trail read as S9's heavy brush
    "swampy_bog": 1.8,  # S9
    "sand": 2.1,  # S9: loose sand
    "snow": 1.30,  # S9: soft snow, 1.30 + 0.082 * depth_cm (depth added in load.py)
}
SNOW_FACTOR_PER_CM = 0.082  # S9
SURFACE_LABELS: dict[str, str] = {
    "treadmill": "treadmill",
    "track": "synthetic track",
    "pavement": "pavement / concrete",
    "dirt_road": "dirt road / flat dirt trail",
    "trail": "trail",
    "rough_trail": "rough trail",
    "swampy_bog": "swampy bog",
    "sand": "loose sand",
    "snow": "soft snow",
}
#: Even surfaces suited to a flare-up: "flat, even, soft surface or treadmill" (S2).
FLARE_SURFACES = ("treadmill", "track", "dirt_road")
DEFAULT_FLARE_SURFACE = "track"  # DEFAULT: S2 names a synthetic track first
#: Concrete is hard on disc pain (S2): these are swapped for DEFAULT_DISC_SURFACE.
DISC_AVOID_SURFACES = ("pavement",)
DEFAULT_DISC_SURFACE = "dirt_road"  # DEFAULT: S2's "a flat dirt trail" read as S9's dirt road
#: Surfaces even enough for base walks of a hiker; others are hiking terrain.
EVEN_SURFACES = ("treadmill", "track", "pavement", "dirt_road")

# --- LCDA graded walking equation (S13, Looney et al. 2019) ---------------------------------
LCDA_STANDING_W_PER_KG = 1.44  # S13: standing term, W/kg
LCDA_SPEED_COEFFICIENT = 1.94  # S13: 1.94 S^0.43
LCDA_SPEED_EXPONENT = 0.43  # S13
LCDA_SPEED4_COEFFICIENT = 0.24  # S13: 0.24 S^4
LCDA_GRADE_COEFFICIENT = 0.34  # S13: 0.34 S G (1 - 1.05^(1 - 1.1^(G + 32)))
LCDA_GRADE_BASE = 1.05  # S13
LCDA_GRADE_INNER_BASE = 1.1  # S13 (domain.md prints 1.11; the paper and its implementations use 1.1)
LCDA_GRADE_OFFSET = 32.0  # S13
LCDA_VALID_GRADE_PERCENT = (-40.0, 45.0)  # S13: range the equation was validated over
DEFAULT_LCDA_PACK_AS_EXTRA_MASS = True  # DEFAULT: LCDA fitted no loads; a pack counts as extra mass (W/kg x (body + pack))

TOBLER_PEAK_KMH = 6.0  # S10
TOBLER_DECAY = 3.5  # S10
TOBLER_OFFSET = 0.05  # S10: fastest at a 5 % descent
KJ_PER_WATT_MINUTE = 0.06  # W x 60 s / 1000

# --- Trails: GPX import (S8, S9, S10, S12; DIN 33466) ------------------------------------------
DIN_33466_HORIZONTAL_KMH = 4.0  # DIN 33466: 4 km/h on the flat
DIN_33466_ASCENT_M_PER_HOUR = 300.0  # DIN 33466: 300 m of ascent per hour
DIN_33466_DESCENT_M_PER_HOUR = 500.0  # DIN 33466: 500 m of descent per hour
DEFAULT_TRAIL_STEP_M = 20.0  # DEFAULT: elevation profile resampled every 20 m of distance
# Gain that survives GPS noise and keeps summits (docs/trail-gain.md compares the methods):
DEFAULT_TRAIL_SMOOTHING_MIN_M = 100.0  # DEFAULT: elevation averaged over at least 100 m of distance ...
DEFAULT_TRAIL_SMOOTHING_MAX_M = 300.0  # DEFAULT: ... and at most 300 m ...
DEFAULT_TRAIL_SMOOTHING_M_PER_NOISE_M2 = 3.0  # DEFAULT: ... window = 3 m per m^2 of the track's estimated noise variance
DEFAULT_TRAIL_HYSTERESIS_MIN_M = 6.0  # DEFAULT: a climb or descent counts once it reaches 6 m ...
DEFAULT_TRAIL_HYSTERESIS_NOISE_FACTOR = 1.5  # DEFAULT: ... or 1.5 x the estimated noise sd, whichever is larger
DEFAULT_TRAIL_MAX_GRADE_PERCENT = 50.0  # DEFAULT: slopes clamped to +/-50 % for speed and load
DEFAULT_TRAIL_STEEP_GRADE_PERCENT = 15.0  # DEFAULT: "steep" share counts segments steeper than 15 % up or down
# Pieces, gaps and glitches:
DEFAULT_TRAIL_JOIN_M = 200.0  # DEFAULT: pieces whose end and next start are this close count as one
DEFAULT_TRAIL_MIN_PIECE_M = 100.0  # DEFAULT: shorter pieces are left out when a longer one exists
DEFAULT_TRAIL_MAX_GAP_KM = 5.0  # DEFAULT: consecutive points further apart are a jump, never walked (piece split)
DEFAULT_TRAIL_OUTLIER_MIN_M = 100.0  # DEFAULT: a point this far from both neighbours ...
DEFAULT_TRAIL_OUTLIER_RATIO = 5.0  # DEFAULT: ... and 5x further than the neighbours are from each other is a spike
DEFAULT_TRAIL_MAX_ELEVATION_JUMP_M = 100.0  # DEFAULT: an elevation step this high and steeper than 100 % is a glitch
DEFAULT_TRAIL_VEHICLE_SPEED_KMH = 15.0  # DEFAULT: 3x a 5 km/h walk: the least speed of a transport leg, and the most a point's times may show to count as walked to
DEFAULT_TRAIL_VEHICLE_MIN_KM = 0.3  # DEFAULT: a transport leg is cut only over at least this distance
DEFAULT_TRAIL_MIN_TIME_STEP_S = 1.0  # DEFAULT: speeds only from points at least a second apart
DEFAULT_TRAIL_EARLIEST_YEAR = 1990  # DEFAULT: earlier timestamps come from a device without a set clock
DEFAULT_TRAIL_ELEVATION_RANGE_M = (-500.0, 9000.0)  # DEFAULT: plausible elevations on Earth's surface
DEFAULT_TRAIL_MAX_FILE_BYTES = 30_000_000  # DEFAULT: larger GPX files are refused (about 300,000 points)
# Transport legs, found by contrast and by sustained speed (issue 20):
DEFAULT_TRAIL_SPEED_WINDOW_S = 120.0  # DEFAULT: speeds judged over 2 min of recording (a pause counts by its time, not its points)
DEFAULT_TRAIL_STOP_S = 120.0  # DEFAULT: 2 min or more within DEFAULT_TRAIL_STOP_RADIUS_M is a stop (a change of mode happens at one); shorter pauses (traffic) do not end a leg
DEFAULT_TRAIL_STOP_RADIUS_M = 50.0  # DEFAULT: ... 50 m in 2 min is 1.5 km/h, slower than anyone walks along a route (GPS drift at rest is ~5-20 m)
DEFAULT_TRAIL_TRANSPORT_CONTRAST = 3.0  # DEFAULT: a stretch 3x the file's own moving pace is another mode (a 5 km/h walk vs a 15 km/h vehicle; a run's 17 km/h surges at 11-12 km/h stay)
DEFAULT_TRAIL_OWN_PACE_QUANTILE = 0.75  # DEFAULT: the file's own pace for contrast is the speed it keeps to for 3/4 of its moving time (a walk with a shorter drive still reads as a walk; a run's or ride's faster stretches are its own)
DEFAULT_TRAIL_TRANSPORT_KMH = 40.0  # DEFAULT: a leg between stops averaging 40 km/h or more is transport: road-racing cyclists average about 40 km/h, trail riding far less
DEFAULT_TRAIL_WALK_MAX_KMH = 7.0  # DEFAULT: a file moving faster was not walked (S10's Tobler peak is 6 km/h): noted, the route still used
DEFAULT_TRAIL_RUN_MAX_KMH = 13.5  # DEFAULT: up to 13.5 km/h (4:27 min/km, a good amateur marathon pace) the note says "a run?", above it "a ride?"
EARTH_RADIUS_M = 6_371_000.0  # mean Earth radius (IUGG), for haversine distances between points

# --- Recorded walks: FIT, TCX and GPX from a watch or phone (issue 21) ------------------------
DEFAULT_RECORDING_MAX_FILE_BYTES = 30_000_000  # DEFAULT: larger recordings are refused (as GPX trails: DEFAULT_TRAIL_MAX_FILE_BYTES)
DEFAULT_RECORDING_MOVING_MIN_KMH = 1.0  # DEFAULT: steps slower than 1 km/h (a fifth of a 5 km/h walk) are standing, not moving
DEFAULT_RECORDING_WALK_MAX_KMH = 7.4  # DEFAULT: median moving speed above 2.06 m/s, where people turn from walking to running (Hreljac 1993), is not a walk
DEFAULT_RECORDING_LOAD_STEP_M = 100.0  # DEFAULT: a recording's load takes speed and grade over 100 m stretches (as DEFAULT_TRAIL_SMOOTHING_MIN_M), so GPS noise averages out
