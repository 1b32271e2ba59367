"""Plotly FigureWidgets for a plan: weekly load with the acute:chronic ratio, and minutes per day.

Both figures are built with all their traces in the constructor (a FigureWidget created empty does
not render in Voila) and are then updated in place with :meth:`update`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from planner.evidence import ACWR_SWEET_SPOT_LOW
from planner.plan import Plan
from planner.progression import PHASES

PHASE_COLOURS = dict(zip(PHASES, ("#e69f00", "#0072b2", "#56b4e9", "#009e73", "#7f7f7f")))
OTHER_PHASE_COLOUR = "#999999"
CHART_HEIGHT_PX = 340


def phase_colours(phases) -> list[str]:
    """Bar colour of each phase name."""
    return [PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR) for phase in phases]


def _phase_marks(weeks: list[int], phases: list[str]) -> tuple[list[dict], list[dict]]:
    """Dashed lines and labels where a new phase starts (x in week numbers)."""
    shapes, annotations = [], []
    previous = None
    for week, phase in zip(weeks, phases):
        if phase != previous:
            shapes.append(dict(type="line", xref="x", yref="paper", x0=week - 0.5, x1=week - 0.5, y0=0, y1=1,
                               line=dict(color="#555", width=1, dash="dot")))
            annotations.append(dict(x=week - 0.5, y=1.0, xref="x", yref="paper", text=phase, showarrow=False,
                                    xanchor="left", yanchor="bottom", font=dict(size=11, color="#333")))
            previous = phase
    return shapes, annotations


class LoadChart:
    """Weekly load bars (kJ, coloured by phase) and the acute:chronic ratio with its band on a 2nd axis."""

    def __init__(self, plan: Plan):
        weeks, loads, phases, ratios, minutes = self._columns(plan)
        ceiling = plan.profile.goal.acwr_ceiling
        self.figure = go.FigureWidget(
            data=[
                go.Bar(x=weeks, y=loads, name="Weekly load (kJ)", marker_color=phase_colours(phases),
                       customdata=list(zip(phases, minutes)),
                       hovertemplate="Week %{x}: %{y:.0f} kJ<br>%{customdata[0]}, %{customdata[1]} min"
                                     "<extra></extra>"),
                go.Scatter(x=weeks, y=[ACWR_SWEET_SPOT_LOW] * len(weeks), yaxis="y2", mode="lines",
                           line=dict(width=0), hoverinfo="skip", showlegend=False, name="band low"),
                go.Scatter(x=weeks, y=[ceiling] * len(weeks), yaxis="y2", mode="lines", line=dict(width=0),
                           fill="tonexty", fillcolor="rgba(0,158,115,0.15)", hoverinfo="skip",
                           name=f"Safe band {ACWR_SWEET_SPOT_LOW:g}–{ceiling:g}"),
                go.Scatter(x=weeks, y=ratios, yaxis="y2", mode="lines+markers", name="Acute:chronic ratio",
                           line=dict(color="#d55e00", width=2),
                           hovertemplate="Week %{x}: ratio %{y:.2f}<extra></extra>"),
            ],
            layout=go.Layout(
                title=dict(text="Weekly load and acute:chronic ratio", x=0.01),
                height=CHART_HEIGHT_PX, margin=dict(l=60, r=60, t=70, b=45), bargap=0.25,
                xaxis=dict(title=dict(text="Week"), dtick=1),
                yaxis=dict(title=dict(text="Load (kJ per week)"), rangemode="tozero"),
                yaxis2=dict(title=dict(text="Acute:chronic ratio"), overlaying="y", side="right",
                            range=[0, 2.2], dtick=0.2, tickmode="linear", showgrid=False),
                legend=dict(orientation="h", y=-0.22, x=0),
                shapes=_phase_marks(weeks, phases)[0], annotations=_phase_marks(weeks, phases)[1],
            ),
        )

    @staticmethod
    def _columns(plan: Plan):
        weekly = plan.weekly
        return (weekly["week"].tolist(), weekly["load_kj"].tolist(), weekly["phase"].tolist(),
                weekly["acwr"].tolist(), weekly["total_minutes"].tolist())

    def update(self, plan: Plan) -> None:
        """Show ``plan`` in place (one batched message)."""
        weeks, loads, phases, ratios, minutes = self._columns(plan)
        ceiling = plan.profile.goal.acwr_ceiling
        shapes, annotations = _phase_marks(weeks, phases)
        bars, band_low, band_high, ratio_line = self.figure.data
        with self.figure.batch_update():
            bars.x, bars.y = weeks, loads
            bars.marker.color = phase_colours(phases)
            bars.customdata = list(zip(phases, minutes))
            band_low.x, band_low.y = weeks, [ACWR_SWEET_SPOT_LOW] * len(weeks)
            band_high.x, band_high.y = weeks, [ceiling] * len(weeks)
            band_high.name = f"Safe band {ACWR_SWEET_SPOT_LOW:g}–{ceiling:g}"
            ratio_line.x, ratio_line.y = weeks, ratios
            self.figure.layout.shapes = shapes
            self.figure.layout.annotations = annotations


class MinutesChart:
    """Minutes of walking per day across the plan (rest days at 0), coloured by phase."""

    def __init__(self, plan: Plan):
        dates, minutes, phases, labels = self._columns(plan)
        self.figure = go.FigureWidget(
            data=[go.Bar(x=dates, y=minutes, name="Minutes per day", marker_color=phase_colours(phases),
                         customdata=list(zip(phases, labels)),
                         hovertemplate="%{x|%a %d %b}: %{y} min<br>%{customdata[1]}, %{customdata[0]}"
                                       "<extra></extra>")],
            layout=go.Layout(
                title=dict(text="Minutes per day (colour = phase)", x=0.01),
                height=CHART_HEIGHT_PX - 40, margin=dict(l=60, r=60, t=50, b=45), bargap=0.1,
                xaxis=dict(title=dict(text="Date"), type="date"),
                yaxis=dict(title=dict(text="Walking time (min)"), rangemode="tozero"),
                showlegend=False,
            ),
        )

    @staticmethod
    def _columns(plan: Plan):
        sessions = plan.sessions
        labels = [kind if bouts <= 1 else f"{kind}, {bouts} x {bout} min"
                  for kind, bouts, bout in zip(sessions["kind"], sessions["bouts"], sessions["bout_minutes"])]
        return ([day.isoformat() for day in sessions["date"]], sessions["total_minutes"].tolist(),
                sessions["phase"].tolist(), labels)

    def update(self, plan: Plan) -> None:
        """Show ``plan`` in place (one batched message)."""
        dates, minutes, phases, labels = self._columns(plan)
        bars = self.figure.data[0]
        with self.figure.batch_update():
            bars.x, bars.y = dates, minutes
            bars.marker.color = phase_colours(phases)
            bars.customdata = list(zip(phases, labels))
