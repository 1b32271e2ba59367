"""Load physics against the published numbers in domain.md (S8, S9, S10, S12)."""

import numpy as np
import pytest

from planner.load import (energy_kj, hill_walk, pandolf_watts, reference_walk_watts, standing_watts,
                          terrain_factor, tobler_speed_kmh)


def test_pandolf_level_walk_matches_domain_check_value():
    # S8 check in domain.md: W=70, L=0, V=1.34, G=0, eta=1 -> about 293.5 W
    assert pandolf_watts(70, 0, 1.34, 0, 1.0) == pytest.approx(293.5, abs=0.1)


def test_thirty_minute_flat_walk_is_about_528_kj():
    assert energy_kj(pandolf_watts(70, 0, 1.34, 0, 1.0), 30) == pytest.approx(528, abs=1)


def test_santee_downhill_correction_gives_226_watts_at_minus_ten_percent():
    # S12 via domain.md: 70 kg, 1.34 m/s, -10 % -> about 226 W (Pandolf alone would be negative)
    assert pandolf_watts(70, 0, 1.34, -10, 1.0) == pytest.approx(226, abs=0.5)


def test_never_below_standing_cost():
    steep_down = pandolf_watts(70, 10, 0.5, -40, 1.0)
    assert steep_down >= standing_watts(70, 10)


def test_pack_and_grade_and_terrain_raise_the_rate():
    flat = pandolf_watts(70, 0, 1.2, 0, 1.0)
    assert pandolf_watts(70, 4.5, 1.2, 0, 1.0) > flat
    assert pandolf_watts(70, 0, 1.2, 8, 1.0) > flat
    assert pandolf_watts(70, 0, 1.2, 0, terrain_factor("sand")) > flat


def test_scalar_and_array_paths_agree():
    grades = np.array([-20.0, -10.0, -3.0, 0.0, 5.0, 15.0])
    arrays = pandolf_watts(np.full(6, 82.0), np.full(6, 4.0), np.full(6, 1.1), grades, np.full(6, 1.2))
    scalars = [pandolf_watts(82.0, 4.0, 1.1, float(g), 1.2) for g in grades]
    assert arrays == pytest.approx(scalars)


@pytest.mark.parametrize("surface, eta", [("treadmill", 1.0), ("pavement", 1.0), ("dirt_road", 1.1),
                                          ("swampy_bog", 1.8), ("sand", 2.1)])
def test_terrain_factors_from_soule_and_goldman(surface, eta):
    assert terrain_factor(surface) == eta  # S9


def test_snow_factor_grows_with_depth():
    assert terrain_factor("snow", 10) == pytest.approx(1.30 + 0.082 * 10)  # S9


def test_tobler_peak_and_symmetry():
    # S10: fastest at a 5 % descent; 6 km/h peak -> scaled to the person's flat pace
    assert tobler_speed_kmh(5.0, 0.0) == pytest.approx(5.0)
    assert tobler_speed_kmh(5.0, -5.0) == pytest.approx(5.0 * np.exp(0.175))
    assert tobler_speed_kmh(6.0 / np.exp(-0.175), -5.0) == pytest.approx(6.0 / np.exp(-0.175) * np.exp(0.175))
    assert tobler_speed_kmh(5.0, 10.0) < tobler_speed_kmh(5.0, -10.0) < tobler_speed_kmh(5.0, -5.0)
    assert tobler_speed_kmh(np.array([5.0]), np.array([10.0]))[0] == pytest.approx(tobler_speed_kmh(5.0, 10.0))


def test_hill_walk_is_time_weighted_mean_of_up_and_down():
    watts, speed = hill_walk(70, 0, 5.0, 10, 1.0)
    up_kmh, down_kmh = tobler_speed_kmh(5.0, 10), tobler_speed_kmh(5.0, -10)
    up_w = pandolf_watts(70, 0, up_kmh / 3.6, 10, 1.0)
    down_w = pandolf_watts(70, 0, down_kmh / 3.6, -10, 1.0)
    expected = (up_w / up_kmh + down_w / down_kmh) / (1 / up_kmh + 1 / down_kmh)
    assert watts == pytest.approx(expected)
    assert speed == pytest.approx(2 / (1 / up_kmh + 1 / down_kmh))
    assert hill_walk(70, 0, 5.0, 0, 1.0) == (pytest.approx(pandolf_watts(70, 0, 5 / 3.6, 0, 1.0)), 5.0)


def test_reference_walk_is_five_kmh_flat():
    assert reference_walk_watts(70) == pytest.approx(pandolf_watts(70, 0, 5 / 3.6, 0, 1.0))
