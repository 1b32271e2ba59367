"""Physical load of a walk: the LCDA graded walking equation (S13, the default for hills), Pandolf
(S8) with Santee's downhill term (S12) as a named alternative, terrain factors (S9) and Tobler's
hiking speed on slopes (S10).

Every rate function works on floats and on numpy arrays alike. Models are chosen by name with a
``model=`` argument (``"lcda"`` or ``"pandolf"``), as pvlib does.

References: Looney et al., Med Sci Sports Exerc 2019;51(9):1954-1960 (LCDA);
Pandolf, Givoni, Goldman, J Appl Physiol 1977; Soule & Goldman 1972; Santee et al. 2001/2003;
Tobler 1993. Full list: ``docs/evidence.md``.
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


LCDA = "lcda"
PANDOLF = "pandolf"
MODELS = (LCDA, PANDOLF)
DEFAULT_MODEL = LCDA


def lcda_watts_per_kg(speed_m_s: Number, grade_percent: Number) -> Number:
    """Metabolic rate of walking per kg, W/kg, by the LCDA graded walking equation (S13).

    ``M/W = 1.44 + 1.94 S^0.43 + 0.24 S^4 + 0.34 S G (1 - 1.05^(1 - 1.1^(G + 32)))`` with S in m/s and
    G in percent (Looney et al. 2019, eq. for level, uphill and downhill walking; validated from
    -40 % to +45 %). Continuous at 0 %; downhill cost is lowest near -10 % and rises on steeper
    descents. ``1.44`` W/kg is the standing term.
    """
    grade_term = (evidence.LCDA_GRADE_COEFFICIENT * speed_m_s * grade_percent
                  * (1 - evidence.LCDA_GRADE_BASE ** (1 - evidence.LCDA_GRADE_INNER_BASE
                                                      ** (grade_percent + evidence.LCDA_GRADE_OFFSET))))
    return (evidence.LCDA_STANDING_W_PER_KG + evidence.LCDA_SPEED_COEFFICIENT * speed_m_s ** evidence.LCDA_SPEED_EXPONENT
            + evidence.LCDA_SPEED4_COEFFICIENT * speed_m_s ** 4 + grade_term)


def lcda_watts(body_mass_kg: Number, pack_mass_kg: Number, speed_m_s: Number, grade_percent: Number,
               terrain_factor: Number = 1.0) -> Number:
    """Metabolic rate of walking, W, by LCDA (S13), with a pack and a terrain factor.

    LCDA gives W per kg of body mass for walking without a load. A pack is counted as extra mass
    (W/kg x (body + pack), ``DEFAULT_LCDA_PACK_AS_EXTRA_MASS``: Looney et al. 2019 fitted no
    loads; Pandolf's own load term is near-proportional for packs up to S1's 4.5 kg). The terrain
    factor eta (S9) multiplies the part above standing (``1.44`` W/kg), as Pandolf's eta multiplies
    his walking term (a DEFAULT: LCDA has no terrain factor). Never less than standing.
    """
    total_mass = body_mass_kg + pack_mass_kg
    per_kg = lcda_watts_per_kg(speed_m_s, grade_percent)
    standing = evidence.LCDA_STANDING_W_PER_KG
    walking = np.maximum(per_kg - standing, 0.0) if isinstance(per_kg, np.ndarray) else max(per_kg - standing, 0.0)
    watts = total_mass * (standing + terrain_factor * walking)
    return watts if not isinstance(watts, np.ndarray) or watts.ndim else float(watts)


def walking_watts(body_mass_kg: Number, pack_mass_kg: Number, speed_m_s: Number, grade_percent: Number,
                  terrain_factor: Number = 1.0, model: str = DEFAULT_MODEL) -> Number:
    """Metabolic rate of walking, W, by the named model: ``"lcda"`` (S13, default) or ``"pandolf"`` (S8, S12)."""
    if model == LCDA:
        return lcda_watts(body_mass_kg, pack_mass_kg, speed_m_s, grade_percent, terrain_factor)
    if model == PANDOLF:
        return pandolf_watts(body_mass_kg, pack_mass_kg, speed_m_s, grade_percent, terrain_factor)
    raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")


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


def reference_walk_watts(body_mass_kg: float, model: str = DEFAULT_MODEL) -> float:
    """Rate of the reference walk for "flat-walk minutes": 5 km/h, flat, no pack, eta 1."""
    return walking_watts(body_mass_kg, 0.0, evidence.REFERENCE_FLAT_SPEED_KMH / 3.6, 0.0, 1.0, model)


def hill_walk(body_mass_kg: float, pack_mass_kg: float, flat_speed_kmh: float,
              grade_percent: float, terrain_factor: float, model: str = DEFAULT_MODEL) -> tuple[float, float]:
    """Mean rate (W) and mean speed (km/h) of a walk that climbs and descends ``grade_percent``.

    The route spends equal distance up and down; time splits by Tobler's speeds (S10), so the mean
    rate is the time-weighted rate of ``model`` (LCDA, S13, by default; or Pandolf/Santee, S8,
    S12). On the flat it is the plain rate.
    """
    if grade_percent == 0:
        return walking_watts(body_mass_kg, pack_mass_kg, flat_speed_kmh / 3.6, 0.0, terrain_factor,
                             model), flat_speed_kmh
    up_kmh = tobler_speed_kmh(flat_speed_kmh, grade_percent)
    down_kmh = tobler_speed_kmh(flat_speed_kmh, -grade_percent)
    up_hours, down_hours = 1 / up_kmh, 1 / down_kmh  # per km
    up_watts = walking_watts(body_mass_kg, pack_mass_kg, up_kmh / 3.6, grade_percent, terrain_factor, model)
    down_watts = walking_watts(body_mass_kg, pack_mass_kg, down_kmh / 3.6, -grade_percent, terrain_factor, model)
    total_hours = up_hours + down_hours
    mean_watts = (up_watts * up_hours + down_watts * down_hours) / total_hours
    return float(mean_watts), float(2 / total_hours)
