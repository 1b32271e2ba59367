"""Trails from GPX (issue 6): figures vs hand-computed values on the shipped samples, GPS noise,
DIN 33466, bad files, readiness, and Hypothesis for random point lists.

Sources: S8 Pandolf, S9 terrain factors, S10 Tobler, S12 Santee (shared/domain.md); DIN 33466.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpx_reference import padded
from planner import evidence
from planner.plan import plan
from planner.profile import ClientProfile, Fitness, Goal, Pain, PlannerInputError, Terrain
from planner.trail import (TrailEffort, TrailProfile, din_33466_minutes, read_gpx, sample_trails,
                           trail_readiness)

NS = "http://www.topografix.com/GPX/1/1"
SAMPLES = sample_trails()


def gpx_text(points, *, kind="trk", ns=NS, version="1.1", name=None) -> str:
    """GPX with ``points`` as (lat, lon, ele or None[, time text]) in a track, route or waypoints."""
    tag = {"trk": "trkpt", "rte": "rtept", "wpt": "wpt"}[kind]
    rows = []
    for point in points:
        lat, lon, ele = point[:3]
        inner = "" if ele is None else f"<ele>{ele}</ele>"
        if len(point) > 3 and point[3] is not None:
            inner += f"<time>{point[3]}</time>"
        rows.append(f'<{tag} lat="{lat}" lon="{lon}">{inner}</{tag}>')
    body = "".join(rows)
    title = f"<name>{name}</name>" if name else ""
    if kind == "trk":
        body = f"<trk>{title}<trkseg>{body}</trkseg></trk>"
    elif kind == "rte":
        body = f"<rte>{title}{body}</rte>"
    return f'<?xml version="1.0" encoding="UTF-8"?><gpx version="{version}" creator="test" xmlns="{ns}">{body}</gpx>'


def sample_points(stem: str) -> np.ndarray:
    """(lat, lon, ele) rows of a shipped sample."""
    rows = re.findall(r'lat="([^"]+)" lon="([^"]+)"><ele>([^<]+)</ele>', SAMPLES[stem])
    return np.array(rows, dtype=float)


def north_line(length_m: float, spacing_m: float = 20.0, ele=lambda s: 10.0) -> list[tuple[float, float, float]]:
    """Points due north along a meridian: distances are exact with the mean Earth radius."""
    steps = np.arange(0.0, length_m + 1e-9, spacing_m)
    return [(46.0 + math.degrees(s / evidence.EARTH_RADIUS_M), 7.0, ele(s)) for s in steps]


def both_readers(monkeypatch, text: str) -> tuple[TrailProfile, TrailProfile]:
    """The file as given and padded to 2 MB (one reader for every size, issue 20)."""
    return read_gpx(text), read_gpx(padded(text.encode("utf-8")))


# --- Samples vs hand-computed figures -------------------------------------------------------------

def test_samples_are_shipped_small_and_named():
    assert set(SAMPLES) == {"riverside_flat", "rolling_hill_loop", "steep_mountain"}
    for text in SAMPLES.values():
        assert len(text.encode()) < 100_000


def test_riverside_flat_figures_by_hand():
    trail = read_gpx(SAMPLES["riverside_flat"])
    assert trail.name == "Riverside flat walk" and trail.source == "track" and trail.has_elevation
    assert trail.distance_km == pytest.approx(5.0, abs=0.001)  # 250 steps of 20 m due north
    assert trail.gain_m == pytest.approx(0.0, abs=0.01) and trail.loss_m == pytest.approx(0.0, abs=0.01)
    assert trail.max_elevation_m == pytest.approx(12.0) and trail.min_elevation_m == pytest.approx(12.0)
    assert trail.steep_share == 0.0
    # Tobler at 0 % equals the flat pace (S10): 5 km at 5 km/h is 60 min.
    effort = trail.analyse(body_mass_kg=70, flat_speed_kmh=5.0, pack_mass_kg=0, surface="dirt_road", model="pandolf")
    assert effort.moving_minutes == pytest.approx(60.0, abs=0.01)
    # Pandolf (S8), dirt road eta 1.1 (S9): 1.5*70 + 1.1*70*1.5*(5/3.6)^2 = 105 + 222.80 = 327.80 W;
    # x 60 min x 0.06 = 1180.1 kJ.
    assert effort.mean_watts == pytest.approx(327.80, abs=0.05)
    assert effort.load_kj == pytest.approx(1180.1, abs=0.5)
    # LCDA (S13, the default), S = 1.3889 m/s: 1.44 + 1.94 S^0.43 + 0.24 S^4 = 1.44 + 2.2343 + 0.8931
    # = 4.5674 W/kg; eta 1.1 on the part above standing: 1.44 + 1.1 x 3.1274 = 4.8802 W/kg x 70 = 341.6 W.
    lcda = trail.analyse(body_mass_kg=70, flat_speed_kmh=5.0, pack_mass_kg=0, surface="dirt_road")
    assert lcda.mean_watts == pytest.approx(341.6, abs=0.1)
    assert lcda.load_kj == pytest.approx(341.6 * 60 * 0.06, abs=0.5)
    assert effort.din_minutes == pytest.approx(75.0, abs=0.01)  # DIN 33466: 5 km at 4 km/h


def test_rolling_loop_figures_by_hand():
    trail = read_gpx(SAMPLES["rolling_hill_loop"])
    assert trail.distance_km == pytest.approx(8.0, rel=0.001)  # circle of 8 km, 400 chords
    # Two full waves of amplitude 50 m: gain = loss = 4 x 50 = 200 m; 200 m smoothing trims < 2 %.
    assert trail.gain_m == pytest.approx(200.0, rel=0.02)
    assert trail.loss_m == pytest.approx(200.0, rel=0.02)
    assert trail.max_elevation_m == pytest.approx(350.0, abs=1.0)
    assert trail.min_elevation_m == pytest.approx(250.0, abs=1.0)
    # Steepest slope 50 * 2 pi * 2 / 8000 = 7.9 % < 15 %: nothing steep.
    assert trail.steep_share == 0.0
    assert trail.grades_percent.max() == pytest.approx(7.85, abs=0.3)


def test_steep_mountain_figures_by_hand():
    trail = read_gpx(SAMPLES["steep_mountain"])
    assert trail.distance_km == pytest.approx(10.0, abs=0.001)
    assert trail.gain_m == pytest.approx(800.0, rel=0.01) and trail.loss_m == pytest.approx(800.0, rel=0.01)
    assert trail.max_elevation_m == pytest.approx(1400.0, abs=2.0)
    assert trail.min_elevation_m == pytest.approx(600.0, abs=1.0)
    # grade = 25.13 % x sin(theta); steeper than 15 % where sin(theta) > 0.597: 1 - 2 asin(0.597)/pi = 0.593.
    assert trail.steep_share == pytest.approx(0.593, abs=0.01)
    assert len(trail.distances_km) == len(trail.elevations_m) == len(trail.grades_percent) + 1
    assert np.all(np.diff(trail.distances_km) > 0)
    steps_km = np.diff(trail.distances_km)
    assert np.allclose(steps_km[:-1], evidence.DEFAULT_TRAIL_STEP_M / 1000)
    assert 0.5 <= steps_km[-1] / (evidence.DEFAULT_TRAIL_STEP_M / 1000) <= 1.5


def test_mountain_time_and_load_match_the_analytic_profile():
    """Tobler (S10) and Pandolf + Santee (S8, S12) summed over the exact cosine profile at 1 m."""
    from planner.load import pandolf_watts, terrain_factor, tobler_speed_kmh

    s = np.arange(0.5, 5000.0, 1.0)
    grade_up = 400 * math.pi / 5000 * np.sin(math.pi * s / 5000) * 100
    grades = np.concatenate((grade_up, -grade_up))
    speeds = tobler_speed_kmh(4.5, grades)
    minutes = 0.001 / speeds * 60
    watts = pandolf_watts(80.0, 4.0, speeds / 3.6, grades, terrain_factor("trail"))
    expected_minutes = minutes.sum()
    expected_kj = (watts * minutes * 0.06).sum()

    effort = read_gpx(SAMPLES["steep_mountain"]).analyse(80, 4.5, 4.0, "trail", model="pandolf")
    assert effort.moving_minutes == pytest.approx(expected_minutes, rel=0.01)
    assert effort.load_kj == pytest.approx(expected_kj, rel=0.01)
    assert effort.mean_watts == pytest.approx(expected_kj / expected_minutes / 0.06, rel=0.01)
    assert effort.cumulative_minutes[-1] == pytest.approx(effort.moving_minutes)
    assert np.all(np.diff(effort.cumulative_load_kj) > 0)


def test_din_33466_by_hand():
    # 10 km, 800 m up and down: 2.5 h horizontal; 800/300 + 800/500 = 4.267 h vertical;
    # 4.267 + 2.5 / 2 = 5.517 h = 331 min.
    assert din_33466_minutes(10.0, 800.0, 800.0) == pytest.approx(331.0, abs=0.01)
    assert din_33466_minutes(5.0, 0.0, 0.0) == pytest.approx(75.0)


@pytest.mark.parametrize("stem", sorted(SAMPLES))
@pytest.mark.parametrize("flat_speed_kmh", [4.0, 5.0])
def test_moving_time_within_half_of_din_33466(stem, flat_speed_kmh):
    effort = read_gpx(SAMPLES[stem]).analyse(75, flat_speed_kmh, 0, "trail")
    assert 0.5 * effort.din_minutes <= effort.moving_minutes <= 1.5 * effort.din_minutes


# --- GPS noise ------------------------------------------------------------------------------------

def densified(stem: str) -> np.ndarray:
    """A sample at ~10 m spacing (midpoints added)."""
    points = sample_points(stem)
    dense = np.empty((2 * len(points) - 1, 3))
    dense[0::2] = points
    dense[1::2] = (points[:-1] + points[1:]) / 2
    return dense


def as_gpx(points: np.ndarray) -> str:
    return gpx_text([(f"{lat:.7f}", f"{lon:.7f}", f"{ele:.2f}") for lat, lon, ele in points])


@pytest.mark.parametrize("stem", ["rolling_hill_loop", "steep_mountain"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_noisy_copy_gives_gain_and_time_within_ten_percent(stem, seed):
    clean_points = densified(stem)
    noisy_points = clean_points.copy()
    noisy_points[:, 2] += np.random.default_rng(seed).normal(0.0, 5.0, len(noisy_points))  # sigma 5 m at 10 m
    clean, noisy = read_gpx(as_gpx(clean_points)), read_gpx(as_gpx(noisy_points))
    assert noisy.gain_m == pytest.approx(clean.gain_m, rel=0.10)
    assert noisy.loss_m == pytest.approx(clean.loss_m, rel=0.10)
    clean_effort = clean.analyse(70, 5.0, 0, "trail")
    noisy_effort = noisy.analyse(70, 5.0, 0, "trail")
    assert noisy_effort.moving_minutes == pytest.approx(clean_effort.moving_minutes, rel=0.10)
    assert noisy_effort.load_kj == pytest.approx(clean_effort.load_kj, rel=0.10)


def test_raw_noise_would_invent_climbs_that_smoothing_removes():
    """Without smoothing, sigma 5 m at 10 m spacing sums to kilometres of fake climbing."""
    points = densified("riverside_flat")
    points[:, 2] += np.random.default_rng(3).normal(0.0, 5.0, len(points))
    raw_gain = np.clip(np.diff(points[:, 2]), 0, None).sum()
    trail = read_gpx(as_gpx(points))
    assert raw_gain > 1000
    assert trail.gain_m < 0.1 * raw_gain
    effort = trail.analyse(70, 5.0, 0, "trail")
    assert effort.moving_minutes == pytest.approx(60.0, rel=0.10)


# --- Readers, sources, partial data ---------------------------------------------------------------

@pytest.mark.parametrize("stem", sorted(SAMPLES))
def test_gpxpy_and_fast_reader_agree_on_samples(monkeypatch, stem):
    small, large = both_readers(monkeypatch, SAMPLES[stem])
    assert (small.name, small.source, small.point_count) == (large.name, large.source, large.point_count)
    np.testing.assert_array_equal(small.elevations_m, large.elevations_m)
    np.testing.assert_array_equal(small.distances_km, large.distances_km)


@pytest.mark.parametrize("kind, source", [("trk", "track"), ("rte", "route"), ("wpt", "waypoints")])
def test_routes_and_waypoint_only_files_load(monkeypatch, kind, source):
    points = north_line(2000, 200, ele=lambda s: 100 + s / 20)  # 5 % for 2 km: 100 m gain
    for trail in both_readers(monkeypatch, gpx_text(points, kind=kind, name="Up the lane")):
        assert trail.source == source
        assert trail.distance_km == pytest.approx(2.0, abs=1e-6)
        assert trail.gain_m == pytest.approx(100.0, abs=0.01)
        assert trail.name == ("Up the lane" if kind != "wpt" else "Unnamed trail")
        assert (source == "track") == (not trail.notes)
        assert [piece.distance_km for piece in trail.pieces] == [trail.distance_km]


def test_gpx_1_0_namespace_and_times_read_alike(monkeypatch):
    points = [(lat, lon, ele, f"2024-06-01T08:{(i * 6) // 60:02d}:{(i * 6) % 60:02d}Z")
              for i, (lat, lon, ele) in enumerate(north_line(1000, 10))]  # 10 m every 6 s = 6 km/h
    text = gpx_text(points, ns="http://www.topografix.com/GPX/1/0", version="1.0")
    small, large = both_readers(monkeypatch, text)
    assert small.distance_km == pytest.approx(1.0) and large.distance_km == pytest.approx(1.0)


@pytest.mark.parametrize("encode", [None, "latin-1", "bom"])
def test_declared_encodings_and_byte_order_marks(monkeypatch, encode):
    text = gpx_text(north_line(500, 20), name="Café Über").replace("UTF-8", "ISO-8859-1" if encode == "latin-1"
                                                                    else "UTF-8")
    content = (text.encode("latin-1") if encode == "latin-1" else
               "\ufeff".encode() + text.encode() if encode == "bom" else text)
    small = read_gpx(content)
    large = read_gpx(padded(content))
    assert small.name == large.name == "Café Über"


def test_upload_memoryview_and_name_type():
    content = memoryview(SAMPLES["riverside_flat"].encode())  # what ipywidgets.FileUpload hands over
    assert read_gpx(content).distance_km == pytest.approx(5.0, abs=0.001)
    with pytest.raises(PlannerInputError) as error:
        read_gpx(content, name=3)  # type: ignore[arg-type]
    assert error.value.field == "name"


def test_tracks_and_segments_join_in_file_order(monkeypatch):
    line = north_line(2000, 20, ele=lambda s: 100 + s / 10)
    first, second = line[:51], line[50:]

    def segment(pts):
        return "<trkseg>" + "".join(f'<trkpt lat="{a}" lon="{b}"><ele>{e}</ele></trkpt>' for a, b, e in pts) \
            + "</trkseg>"

    text = (f'<gpx version="1.1" xmlns="{NS}"><trk><name>Two parts</name>{segment(first)}</trk>'
            f"<trk>{segment(second)}</trk></gpx>")
    for trail in both_readers(monkeypatch, text):
        assert trail.point_count == len(line) + 1
        assert trail.distance_km == pytest.approx(2.0, abs=1e-6)
        assert trail.gain_m == pytest.approx(200.0, abs=0.01)


def test_name_argument_wins():
    assert read_gpx(SAMPLES["riverside_flat"], name="My walk").name == "My walk"


def test_no_elevation_still_loads_flat_only():
    points = [(lat, lon, None) for lat, lon, _ in north_line(3000, 50)]
    trail = read_gpx(gpx_text(points))
    assert not trail.has_elevation
    assert trail.gain_m == 0 and trail.max_elevation_m is None and trail.min_elevation_m is None
    assert any("flat-only" in note for note in trail.notes)
    effort = trail.analyse(70, 6.0, 0, "pavement")
    assert effort.flat_only and any("flat-only" in note for note in effort.notes)
    assert effort.moving_minutes == pytest.approx(30.0, abs=0.01)  # 3 km at 6 km/h


def test_missing_elevations_are_filled_along_the_distance():
    points = north_line(1000, 100, ele=lambda s: s / 10)  # 10 % climb
    gappy = [(lat, lon, None if i % 2 else ele) for i, (lat, lon, ele) in enumerate(points)]
    trail = read_gpx(gpx_text(gappy))
    assert trail.has_elevation and trail.gain_m == pytest.approx(100.0, abs=0.01)
    assert any("no elevation" in note for note in trail.notes)


def test_as_terrain_uses_gain_over_half_the_distance():
    mountain = read_gpx(SAMPLES["steep_mountain"])
    terrain = mountain.as_terrain(surface="rough_trail", pack_mass_kg=3, trekking_poles=True)
    assert isinstance(terrain, Terrain)
    assert terrain.grade_percent == pytest.approx(800 / 5000 * 100, rel=0.01)  # 16 %
    assert (terrain.surface, terrain.pack_mass_kg, terrain.trekking_poles) == ("rough_trail", 3.0, True)
    assert read_gpx(SAMPLES["riverside_flat"]).as_terrain().grade_percent == pytest.approx(0.0, abs=1e-6)
    wall = read_gpx(gpx_text(north_line(400, 20, ele=lambda s: s * 0.45)))  # 45 % straight up
    assert wall.as_terrain().grade_percent == 40.0  # Terrain's ceiling


def test_analyse_validates_its_inputs():
    trail = read_gpx(SAMPLES["riverside_flat"])
    with pytest.raises(PlannerInputError) as error:
        trail.analyse(70, 5, 0, "lava")
    assert error.value.field == "surface"
    for kwargs, field in (({"body_mass_kg": 5}, "body_mass_kg"), ({"flat_speed_kmh": 0}, "flat_speed_kmh"),
                          ({"pack_mass_kg": -1}, "pack_mass_kg"), ({"snow_depth_cm": math.nan}, "snow_depth_cm")):
        args = {"body_mass_kg": 70, "flat_speed_kmh": 5, "pack_mass_kg": 0, "surface": "snow", **kwargs}
        with pytest.raises(PlannerInputError) as error:
            trail.analyse(**args)
        assert error.value.field == field


def test_snow_and_pack_raise_load_not_time():
    trail = read_gpx(SAMPLES["rolling_hill_loop"])
    base = trail.analyse(70, 5, 0, "dirt_road")
    heavy = trail.analyse(70, 5, 4.5, "snow", snow_depth_cm=10)
    assert heavy.moving_minutes == pytest.approx(base.moving_minutes)
    assert heavy.load_kj > 1.5 * base.load_kj  # eta 2.12 vs 1.1 (S9)


# --- Bad files ------------------------------------------------------------------------------------

ENTITY_BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
               + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
               + "]><gpx><name>&lol9;</name></gpx>")  # a billion laughs: expat refuses it

BAD_FILES = {
    "entity bomb": (ENTITY_BOMB, "not valid XML"),
    "not XML": ("hello, this is not a GPX file", "not valid XML"),
    "broken XML": ('<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="2"></trkseg>', "not valid XML"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not valid XML"),
    "not GPX": ('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', "<kml>"),
    "empty": ("", "empty"),
    "blank": (b"   \n  ", "empty"),
    "no points": (gpx_text([]), "no track, route or waypoint points"),
    "one point": (gpx_text([(46.0, 7.0, 500)]), "single point"),
    "same place": (gpx_text([(46.0, 7.0, 500)] * 5), "same place"),
    "bad latitude": (gpx_text([(46.0, 7.0, 500), (96.0, 7.0, 500)]), "latitude"),
    "bad elevation": (gpx_text([(46.0, 7.0, 500), (46.001, 7.0, 99999)]), "elevations between"),
    "too fast": (gpx_text([(46.0, 7.0, 500, "2024-01-01T10:00:00Z"), (46.0, 7.01, 500, "2024-01-01T10:00:05Z")]),
                 "km/h"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("reader", ["as given", "2 MB"])
def test_bad_files_raise_a_clear_planner_input_error(monkeypatch, case, reader):
    content, phrase = BAD_FILES[case]
    if reader == "2 MB" and content.strip():
        content = padded(content)
    with pytest.raises(PlannerInputError) as error:
        read_gpx(content)
    assert error.value.field == "gpx"
    assert phrase in str(error.value)
    assert "Traceback" not in str(error.value)


def test_a_stray_end_point_is_dropped_and_said():
    line = north_line(500, 20)
    trail = read_gpx(gpx_text(line + [(line[-1][0] + 0.2, 7.0, 10.0)]))  # a 22 km jump to the last point: a glitch
    assert trail.distance_km == pytest.approx(0.5, abs=1e-6) and trail.point_count == len(line)
    assert any(note.startswith("1 stray point(s) dropped") for note in trail.notes)


def test_an_elevation_spike_is_dropped_and_said():
    line = north_line(500, 20, ele=lambda s: 500.0)
    lat, lon, _ = line[5]
    line[5] = (lat, lon, 800.0)
    trail = read_gpx(gpx_text(line))
    assert trail.max_elevation_m == 500 and any("1 stray point(s)" in note for note in trail.notes)


def test_a_jump_inside_a_track_splits_it_and_names_the_points():
    first = north_line(1000, 20)
    second = [(lat + 0.2, lon, ele) for lat, lon, ele in north_line(1000, 20)]  # 22.2 km on: 21.2 km from the end
    trail = read_gpx(gpx_text(first + second, name="Two walks"))
    assert [piece.name for piece in trail.pieces] == ["Two walks (1 of 2)", "Two walks (2 of 2)"]
    assert trail.distance_km == pytest.approx(2.0, abs=1e-6)
    assert "Two walks: a jump of 21.2 km between points 51 and 52 left out (never walked" in " ".join(trail.notes)


def test_a_cliff_step_in_elevation_splits_the_track():
    line = north_line(2000, 20)
    stepped = [(lat, lon, ele + (300 if i > 50 else 0)) for i, (lat, lon, ele) in enumerate(line)]
    trail = read_gpx(gpx_text(stepped))
    assert len(trail.pieces) == 2 and trail.gain_m < 1
    assert any("an elevation jump of 300 m between points 51 and 52" in note for note in trail.notes)


def test_huge_files_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(evidence, "DEFAULT_TRAIL_MAX_FILE_BYTES", 1000)
    with pytest.raises(PlannerInputError) as error:
        read_gpx(SAMPLES["riverside_flat"])
    assert "at most 0.001 MB" in str(error.value)
    with pytest.raises(PlannerInputError):
        read_gpx(b"x" * 1001)


def test_wrong_type_is_refused():
    with pytest.raises(PlannerInputError) as error:
        read_gpx(12345)  # type: ignore[arg-type]
    assert "text or bytes" in str(error.value)


# --- Readiness ------------------------------------------------------------------------------------

FIT_HIKER = ClientProfile(fitness=Fitness(walking_minutes_per_week=150, longest_walk_minutes=30),
                          terrain=Terrain(surface="trail"),
                          goal=Goal(kind="hiking", weeks=12, target_session_minutes=60, sessions_per_week=4))
NEW_HIKER = ClientProfile(terrain=Terrain(surface="trail"), goal=Goal(kind="hiking", weeks=12))


def expected_ready_week(the_plan, effort: TrailEffort):
    """Independent reading of the rule: the first week whose longest session and largest session load
    both cover the trail."""
    for week, sessions in the_plan.walking_sessions.groupby("week"):
        if sessions["total_minutes"].max() >= round(effort.moving_minutes) and \
                sessions["load_kj"].max() >= round(effort.load_kj, 1):
            return int(week)
    return None


def test_a_flat_short_trail_is_ready_early_in_a_walking_to_hiking_plan():
    short = read_gpx(gpx_text(north_line(2000, 20)), name="Short flat path")  # 2 km: 24 min at 5 km/h
    the_plan = plan(NEW_HIKER)
    effort = short.analyse_for(NEW_HIKER)
    readiness = trail_readiness(the_plan, effort)
    assert readiness.ready_week == expected_ready_week(the_plan, effort)
    assert readiness.ready_week is not None and readiness.ready_week <= 12
    assert f"week {readiness.ready_week}" in readiness.message and readiness.suggestions == ()
    earlier = readiness.weeks[readiness.weeks["week"] < readiness.ready_week]
    assert not earlier["fits"].any()

    fitter = trail_readiness(plan(FIT_HIKER), short.analyse_for(FIT_HIKER))
    assert fitter.ready_week == 1  # walks 150 min a week, 30 at a time: week 1 keeps those 30 min (in bouts)


FIT_HIKER_16_WEEKS = replace(FIT_HIKER, goal=replace(FIT_HIKER.goal, weeks=16))


def test_the_riverside_walk_is_ready_once_hour_long_hikes_arrive():
    # From a start at 80 % of tolerance (S16) under the weekly cap, hour-long hikes arrive after 12 weeks.
    the_plan = plan(FIT_HIKER_16_WEEKS)
    effort = read_gpx(SAMPLES["riverside_flat"]).analyse_for(FIT_HIKER_16_WEEKS)
    readiness = trail_readiness(the_plan, effort)
    assert readiness.ready_week == expected_ready_week(the_plan, effort)
    assert readiness.ready_week is not None and 2 <= readiness.ready_week <= 16
    assert readiness.fits_share == pytest.approx(1.0)


def test_steep_mountain_with_a_pack_is_not_ready_in_a_short_plan():
    profile = replace(NEW_HIKER, terrain=Terrain(surface="rough_trail", pack_mass_kg=4.5),
                      goal=Goal(kind="hiking", weeks=6))
    mountain = read_gpx(SAMPLES["steep_mountain"])
    the_plan = plan(replace(profile, terrain=mountain.as_terrain(surface="rough_trail", pack_mass_kg=4.5)))
    readiness = trail_readiness(the_plan, mountain.analyse_for(profile))
    assert readiness.ready_week is None
    assert "Not ready" in readiness.message and "6-week plan" in readiness.message
    text = " ".join(readiness.suggestions)
    assert "more weeks alone will not get there" in text  # > 90 min of walking (S1)
    assert "4.5 kg pack" in text
    assert "Shorter section" in text
    assert 0 < readiness.fits_share < 0.2
    km = float(re.search(r"the first ([\d.]+) km", text).group(1))
    assert km == pytest.approx(readiness.fits_share * mountain.distance_km, abs=0.05)


def test_imperial_units_change_only_how_the_texts_read():
    profile = replace(NEW_HIKER, terrain=Terrain(surface="rough_trail", pack_mass_kg=4.5),
                      goal=Goal(kind="hiking", weeks=6))
    mountain = read_gpx(SAMPLES["steep_mountain"])
    the_plan = plan(replace(profile, terrain=mountain.as_terrain(surface="rough_trail", pack_mass_kg=4.5)))
    effort = mountain.analyse_for(profile)
    metric, imperial = trail_readiness(the_plan, effort), trail_readiness(the_plan, effort, units="imperial")
    assert (imperial.ready_week, imperial.fits_share) == (metric.ready_week, metric.fits_share)
    assert f"({mountain.distance_km / 1.609344:.1f} mi," in imperial.message and " km" not in imperial.message
    text = " ".join(imperial.suggestions)
    assert f"{round(4.5 / 0.45359237, 1):g} lb pack" in text and " kg" not in text
    miles = float(re.search(r"the first ([\d.]+) mi", text).group(1))
    assert miles == pytest.approx(imperial.fits_share * mountain.distance_km / 1.609344, abs=0.05)
    with pytest.raises(PlannerInputError, match="units"):
        trail_readiness(the_plan, effort, units="furlongs")


def test_more_weeks_and_longer_sessions_are_suggested_when_they_would_work():
    the_plan = plan(NEW_HIKER)  # sessions build to 30 min; the riverside walk takes 60
    readiness = trail_readiness(the_plan, read_gpx(SAMPLES["riverside_flat"]).analyse_for(NEW_HIKER))
    assert readiness.ready_week is None
    weeks_hint = next(s for s in readiness.suggestions if "weeks" in s)
    assert "target session of 60 min" in weeks_hint
    week = int(re.search(r"ready in week (\d+)", weeks_hint).group(1))
    assert week > 12
    longer = plan(replace(NEW_HIKER, goal=replace(NEW_HIKER.goal, weeks=week, target_session_minutes=60)))
    assert trail_readiness(longer, read_gpx(SAMPLES["riverside_flat"]).analyse_for(NEW_HIKER)).ready_week == week


def test_lighter_pack_suggestion_when_the_pack_is_what_tips_it():
    the_plan = plan(FIT_HIKER_16_WEEKS)  # the plan and the trail effort both use the default model (LCDA, S13)
    trail = read_gpx(SAMPLES["riverside_flat"])
    effort = trail.analyse(75, 5.0, 4.5, "trail")
    readiness = trail_readiness(the_plan, effort)
    assert readiness.ready_week is None  # same 60 min, more kJ than any planned session
    assert any(s.startswith("Lighter pack: without the 4.5 kg pack it fits in week") for s in readiness.suggestions)


def test_no_plan_no_readiness():
    stopped = plan(replace(NEW_HIKER, pain=Pain(red_flags=frozenset({"saddle_numbness"}))))
    assert stopped.stopped
    readiness = trail_readiness(stopped, read_gpx(SAMPLES["riverside_flat"]).analyse_for(NEW_HIKER))
    assert readiness.ready_week is None and "no walking sessions" in readiness.message


def test_readiness_wants_an_effort():
    with pytest.raises(PlannerInputError):
        trail_readiness(plan(NEW_HIKER), read_gpx(SAMPLES["riverside_flat"]))  # type: ignore[arg-type]


# --- Properties -----------------------------------------------------------------------------------

coordinate = st.one_of(
    st.tuples(st.floats(45.99, 46.01), st.floats(6.99, 7.01)),  # a walkable patch
    st.tuples(st.floats(-100, 100), st.floats(-200, 200)),  # anywhere, and off the globe
)
elevation = st.one_of(st.none(), st.floats(-1000, 10000), st.sampled_from([math.nan, math.inf, -math.inf]))
point = st.tuples(coordinate, elevation)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=st.lists(point, max_size=40), kind=st.sampled_from(["trk", "rte", "wpt"]),
       fast=st.booleans())
def test_random_point_lists_never_crash(points, kind, fast):
    text = gpx_text([(lat, lon, ele) for (lat, lon), ele in points], kind=kind)
    try:
        trail = read_gpx(padded(text, 20_000) if fast else text)
    except PlannerInputError as error:
        assert error.field == "gpx" and str(error)
        return
    assert trail.distance_km > 0 and trail.gain_m >= 0 and trail.loss_m >= 0
    assert np.all(np.isfinite(trail.elevations_m)) and np.all(np.abs(trail.grades_percent) <= 50)
    assert 0 <= trail.steep_share <= 1
    effort = trail.analyse(70, 5, 0, "trail")
    assert effort.moving_minutes > 0 and math.isfinite(effort.load_kj) and effort.load_kj > 0


@settings(max_examples=60, deadline=None)
@given(points=st.lists(st.tuples(coordinate, st.floats(0, 3000)), min_size=2, max_size=30),
       kind=st.sampled_from(["trk", "rte", "wpt"]))
def test_both_readers_agree_on_random_points(points, kind):
    text = gpx_text([(lat, lon, ele) for (lat, lon), ele in points], kind=kind)
    results = []
    for content in (text, padded(text)):
        try:
            results.append(read_gpx(content))
        except PlannerInputError as error:
            results.append(str(error))
    small, large = results
    if isinstance(small, str):
        assert small == large
    else:
        np.testing.assert_array_equal(small.elevations_m, large.elevations_m)
        assert small.distance_km == large.distance_km and small.gain_m == large.gain_m


@settings(max_examples=100, deadline=None)
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300),
                         st.text(max_size=200).map(lambda t: f"<gpx><trk><trkseg>{t}</trkseg></trk></gpx>")))
def test_arbitrary_content_never_crashes(content):
    try:
        read_gpx(content)
    except PlannerInputError as error:
        assert error.field == "gpx"
