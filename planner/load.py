"""Physical load of a walk: Pandolf (S8) with Santee's downhill term (S12), terrain factors (S9)
and Tobler's hiking speed on slopes (S10).

Every function works on floats and on numpy arrays alike.

References: Pandolf, Givoni, Goldman, J Appl Physiol 1977; Soule & Goldman 1972;
Santee et al. 2001/2003; Tobler 1993.
"""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np

from planner import evidence

Number = TypeVar("Number", float, np.ndarray)


def terrain_factor(surface: str, snow_depth_cm: float = 0.0) -> float:
    """Pandolf terrain factor eta for a surface (S9); soft snow is 1.30 + 0.082 x depth in cm."""
    eta = evidence.TERRAIN_FACTORS[surface]
    if surface == "snow":
        eta += evidence.SNOW_FACTOR_PER_CM * snow_depth_cm
    return eta


def standing_watts(body_mass_kg: Number, pack_mass_kg: Number = 0.0) -> Number:
    """Metabolic rate standing with a load, W: ``1.5 W + 2.0 (W + L)(L/W)^2`` (S8)."""
    return 1.5 * body_mass_kg + 2.0 * (body_mass_kg + pack_mass_kg) * (pack_mass_kg / body_mass_kg) ** 2


def pandolf_watts(body_mass_kg: Number, pack_mass_kg: Number, speed_m_s: Number,
                  grade_percent: Number, terrain_factor: Number = 1.0) -> Number:
    """Metabolic rate of walking, W, by Pandolf (S8) with Santee's correction downhill (S12).

    ``M = 1.5 W + 2.0 (W + L)(L/W)^2 + eta (W + L)(1.5 V^2 + 0.35 V G)``; for G < 0 Santee's
    ``CF = eta [G (W+L) V / 3.5 - (W+L)(G+6)^2 / W + (25 - V^2)]`` is subtracted. Never less than
    standing. 70 kg, no pack, 1.34 m/s, flat, eta 1 gives about 293.5 W.
    """
    if not any(isinstance(arg, np.ndarray) for arg in (body_mass_kg, pack_mass_kg, speed_m_s, grade_percent,
                                                        terrain_factor)):
        return _pandolf_scalar(body_mass_kg, pack_mass_kg, speed_m_s, grade_percent, terrain_factor)
    total_mass = body_mass_kg + pack_mass_kg
    standing = standing_watts(body_mass_kg, pack_mass_kg)
    moving = terrain_factor * total_mass * (1.5 * speed_m_s ** 2 + 0.35 * speed_m_s * grade_percent)
    santee = terrain_factor * (grade_percent * total_mass * speed_m_s / 3.5
                               - total_mass * (grade_percent + 6) ** 2 / body_mass_kg
                               + (25 - speed_m_s ** 2))
    downhill_correction = np.where(np.asarray(grade_percent) < 0, santee, 0.0)
    watts = np.maximum(standing + moving - downhill_correction, standing)
    return watts if isinstance(watts, np.ndarray) and watts.ndim else float(watts)


def _pandolf_scalar(body_mass_kg: float, pack_mass_kg: float, speed_m_s: float, grade_percent: float,
                    terrain_factor: float) -> float:
    """The same as :func:`pandolf_watts` for plain floats, without numpy's per-call overhead."""
    total_mass = body_mass_kg + pack_mass_kg
    standing = standing_watts(body_mass_kg, pack_mass_kg)
    watts = standing + terrain_factor * total_mass * (1.5 * speed_m_s ** 2 + 0.35 * speed_m_s * grade_percent)
    if grade_percent < 0:
        watts -= terrain_factor * (grade_percent * total_mass * speed_m_s / 3.5
                                   - total_mass * (grade_percent + 6) ** 2 / body_mass_kg
                                   + (25 - speed_m_s ** 2))
    return float(max(watts, standing))


def tobler_speed_kmh(flat_speed_kmh: Number, grade_percent: Number) -> Number:
    """Walking speed on a slope, km/h: Tobler's hiking function (S10) scaled to one's flat pace.

    ``v = v_flat * exp(-3.5 |s + 0.05|) / exp(-0.175)`` with ``s = grade_percent / 100``.
    """
    flat_value = math.exp(-evidence.TOBLER_DECAY * evidence.TOBLER_OFFSET)
    if not isinstance(grade_percent, np.ndarray) and not isinstance(flat_speed_kmh, np.ndarray):
        slope = grade_percent / 100.0
        return flat_speed_kmh * math.exp(-evidence.TOBLER_DECAY * abs(slope + evidence.TOBLER_OFFSET)) / flat_value
    slope = np.asarray(grade_percent) / 100.0
    speed = flat_speed_kmh * np.exp(-evidence.TOBLER_DECAY * np.abs(slope + evidence.TOBLER_OFFSET)) / flat_value
    return speed if speed.ndim else float(speed)


def energy_kj(watts: Number, minutes: Number) -> Number:
    """Energy of ``minutes`` at ``watts``, kJ (W x s / 1000)."""
    return watts * minutes * evidence.KJ_PER_WATT_MINUTE


def reference_walk_watts(body_mass_kg: float) -> float:
    """Rate of the reference walk for "flat-walk minutes": 5 km/h, flat, no pack, eta 1."""
    return pandolf_watts(body_mass_kg, 0.0, evidence.REFERENCE_FLAT_SPEED_KMH / 3.6, 0.0, 1.0)


def hill_walk(body_mass_kg: float, pack_mass_kg: float, flat_speed_kmh: float,
              grade_percent: float, terrain_factor: float) -> tuple[float, float]:
    """Mean rate (W) and mean speed (km/h) of a walk that climbs and descends ``grade_percent``.

    The route spends equal distance up and down; time splits by Tobler's speeds (S10), so the mean
    rate is the time-weighted Pandolf/Santee rate (S8, S12). On the flat it is the plain rate.
    """
    if grade_percent == 0:
        return pandolf_watts(body_mass_kg, pack_mass_kg, flat_speed_kmh / 3.6, 0.0, terrain_factor), flat_speed_kmh
    up_kmh = tobler_speed_kmh(flat_speed_kmh, grade_percent)
    down_kmh = tobler_speed_kmh(flat_speed_kmh, -grade_percent)
    up_hours, down_hours = 1 / up_kmh, 1 / down_kmh  # per km
    up_watts = pandolf_watts(body_mass_kg, pack_mass_kg, up_kmh / 3.6, grade_percent, terrain_factor)
    down_watts = pandolf_watts(body_mass_kg, pack_mass_kg, down_kmh / 3.6, -grade_percent, terrain_factor)
    total_hours = up_hours + down_hours
    mean_watts = (up_watts * up_hours + down_watts * down_hours) / total_hours
    return float(mean_watts), float(2 / total_hours)
