"""Display units: metric (km, kg, cm, m) or imperial (mi, lb, in, ft). The engine computes in metric;
these only convert numbers for people to read (the dashboard's fields, the trail readiness text)."""

from __future__ import annotations

from dataclasses import dataclass

KG_PER_LB = 0.45359237
KM_PER_MI = 1.609344
CM_PER_IN = 2.54
M_PER_FT = 0.3048


@dataclass(frozen=True)
class Quantity:
    """A physical quantity with its metric unit and its imperial unit and factor (metric per imperial)."""

    metric_unit: str
    imperial_unit: str
    metric_per_imperial: float

    def unit(self, system: str) -> str:
        """Unit label in ``system`` ("metric" or "imperial")."""
        return self.metric_unit if system == "metric" else self.imperial_unit

    def to_display(self, metric_value: float, system: str) -> float:
        """Engine value -> displayed value, rounded to 0.1."""
        if system == "metric":
            return metric_value
        return round(self.from_metric(metric_value, system), 1)

    def from_metric(self, metric_value: float, system: str) -> float:
        """Engine value -> value in ``system``, unrounded (for charts and computed figures)."""
        return metric_value if system == "metric" else metric_value / self.metric_per_imperial

    def to_metric(self, displayed_value: float, system: str) -> float:
        """Displayed value -> engine value (rounded to 0.01 after conversion)."""
        if system == "metric":
            return displayed_value
        return round(displayed_value * self.metric_per_imperial, 2)


MASS = Quantity("kg", "lb", KG_PER_LB)
SPEED = Quantity("km/h", "mph", KM_PER_MI)
DEPTH = Quantity("cm", "in", CM_PER_IN)
DISTANCE = Quantity("km", "mi", KM_PER_MI)
ELEVATION = Quantity("m", "ft", M_PER_FT)
SYSTEMS = ("metric", "imperial")
