"""One plotly figure for a plan: weekly load with the acute:chronic ratio (top chart) and minutes per
day (bottom chart), each with what was planned as markers (planned vs done once a diary is logged),
and the weeks the diary held, stepped back or stopped shaded and labelled.

One widget, not two: each chart widget ships its plotly.js bundle to the page. The figure is a
:class:`planner.ui.plotly_view.LiveFigure` (plotly.js's basic bundle, not FigureWidget's full one:
page load), built with all its traces and then updated in place with :meth:`PlanCharts.update`.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from planner.evidence import ACWR_SWEET_SPOT_LOW
from planner.plan import Plan
from planner.progression import HOLD, PHASES, STEP_BACK, STOPPED
from planner.ui.plotly_view import LiveFigure

PHASE_COLOURS = dict(zip(PHASES, ("#e69f00", "#0072b2", "#56b4e9", "#009e73", "#7f7f7f")))
OTHER_PHASE_COLOUR = "#999999"
CHART_HEIGHT_PX = 680
LOAD_BARS, BAND_LOW, BAND_HIGH, RATIO_LINE, MINUTE_BARS, PLANNED_LOAD, PLANNED_MINUTES = range(7)  # trace order
ADJUSTMENT_COLOURS = {HOLD: "rgba(243,194,0,0.25)", STEP_BACK: "rgba(213,94,0,0.22)", STOPPED: "rgba(176,0,32,0.2)"}
ADJUSTMENT_NAME = "adjustment"  # the ``name`` of shapes and annotations marking held / stepped-back weeks


def phase_colours(phases) -> list[str]:
    """Bar colour of each phase name."""
    return [PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR) for phase in phases]


def _phase_marks(weeks: list[int], phases: list[str]) -> tuple[list[dict], list[dict]]:
    """Dashed lines and labels where a new phase starts (x in week numbers)."""
    shapes, annotations = [], []
    previous = None
    for week, phase in zip(weeks, phases):
        if phase != previous:
            shapes.append(dict(type="line", xref="x", yref="y domain", x0=week - 0.5, x1=week - 0.5, y0=0, y1=1,
                               line=dict(color="#555", width=1, dash="dot")))
            annotations.append(dict(x=week - 0.5, y=1.0, xref="x", yref="y domain", text=phase, showarrow=False,
                                    xanchor="left", yanchor="bottom", font=dict(size=11, color="#333")))
            previous = phase
    return shapes, annotations


def _adjustment_marks(weeks: list[int], adjustments: list[str]) -> tuple[list[dict], list[dict]]:
    """A shaded column and a label ("hold", "step back", "stopped") on each week the diary changed."""
    shapes, annotations = [], []
    for week, adjustment in zip(weeks, adjustments):
        if adjustment not in ADJUSTMENT_COLOURS:
            continue
        shapes.append(dict(type="rect", xref="x", yref="y domain", x0=week - 0.5, x1=week + 0.5, y0=0, y1=1,
                           fillcolor=ADJUSTMENT_COLOURS[adjustment], line=dict(width=0), layer="below",
                           name=ADJUSTMENT_NAME))
        annotations.append(dict(x=week, y=0.93, xref="x", yref="y domain", text=f"<b>{adjustment}</b>",
                                showarrow=False, font=dict(size=11, color="#7a2b00"), name=ADJUSTMENT_NAME,
                                bgcolor="rgba(255,255,255,0.7)"))
    return shapes, annotations


def _marks(weekly: tuple) -> tuple[list[dict], list[dict]]:
    weeks, phases, adjustments = weekly[0], weekly[2], weekly[5]
    shapes, annotations = _phase_marks(weeks, phases)
    more_shapes, more_annotations = _adjustment_marks(weeks, adjustments)
    return shapes + more_shapes, annotations + more_annotations


class PlanCharts:
    """Top: weekly load bars (kJ, coloured by phase) with the acute:chronic ratio and its safe band on a
    second axis, phases marked. Bottom: minutes of walking per day (rest days at 0)."""

    def __init__(self, plan: Plan):
        weekly = _weekly_columns(plan)
        weeks, loads, phases, ratios, minutes, _ = weekly
        dates, day_minutes, day_phases, labels, planned_minutes = _daily_columns(plan)
        ceiling = plan.profile.goal.acwr_ceiling
        shapes, annotations = _marks(weekly)
        figure = make_subplots(rows=2, cols=1, specs=[[{"secondary_y": True}], [{}]], vertical_spacing=0.22,
                               subplot_titles=("Weekly load and acute:chronic ratio",
                                               "Minutes per day (colour = phase)"))
        figure.add_trace(go.Bar(x=weeks, y=loads, name="Weekly load (kJ)", marker_color=phase_colours(phases),
                                customdata=list(zip(phases, minutes)),
                                hovertemplate="Week %{x}: %{y:.0f} kJ<br>%{customdata[0]}, %{customdata[1]} min"
                                              "<extra></extra>"), row=1, col=1)
        figure.add_trace(go.Scatter(x=weeks, y=[ACWR_SWEET_SPOT_LOW] * len(weeks), mode="lines", line=dict(width=0),
                                    hoverinfo="skip", showlegend=False, name="band low"),
                         row=1, col=1, secondary_y=True)
        figure.add_trace(go.Scatter(x=weeks, y=[ceiling] * len(weeks), mode="lines", line=dict(width=0),
                                    fill="tonexty", fillcolor="rgba(0,158,115,0.15)", hoverinfo="skip",
                                    name=f"Safe band {ACWR_SWEET_SPOT_LOW:g}–{ceiling:g}"),
                         row=1, col=1, secondary_y=True)
        figure.add_trace(go.Scatter(x=weeks, y=ratios, mode="lines+markers", name="Acute:chronic ratio",
                                    line=dict(color="#d55e00", width=2),
                                    hovertemplate="Week %{x}: ratio %{y:.2f}<extra></extra>"),
                         row=1, col=1, secondary_y=True)
        figure.add_trace(go.Bar(x=dates, y=day_minutes, name="Minutes per day", showlegend=False,
                                marker_color=phase_colours(day_phases), customdata=list(zip(day_phases, labels)),
                                hovertemplate="%{x|%a %d %b}: %{y} min<br>%{customdata[1]}, %{customdata[0]}"
                                              "<extra></extra>"), row=2, col=1)
        figure.add_trace(go.Scatter(x=weeks, y=loads, mode="markers", name="Planned load (kJ)",
                                    marker=dict(symbol="line-ew-open", size=26, color="#222", line=dict(width=2)),
                                    hovertemplate="Week %{x}: planned %{y:.0f} kJ<extra></extra>"), row=1, col=1)
        figure.add_trace(go.Scatter(x=dates, y=planned_minutes, mode="markers", name="Planned minutes",
                                    marker=dict(symbol="line-ew-open", size=9, color="#222", line=dict(width=2)),
                                    hovertemplate="%{x|%a %d %b}: planned %{y} min<extra></extra>"), row=2, col=1)
        figure.update_layout(height=CHART_HEIGHT_PX, margin=dict(l=60, r=60, t=60, b=40), bargap=0.2,
                             legend=dict(orientation="h", x=0, y=0.49, yanchor="top"),
                             shapes=shapes, annotations=list(figure.layout.annotations) + annotations)
        figure.update_xaxes(title_text="Week", dtick=1, row=1, col=1)
        figure.update_yaxes(title_text="Load (kJ per week)", rangemode="tozero", row=1, col=1, secondary_y=False)
        figure.update_yaxes(title_text="Acute:chronic ratio", range=[0, 2.2], dtick=0.2, tickmode="linear",
                            showgrid=False, row=1, col=1, secondary_y=True)
        figure.update_xaxes(title_text="Date", type="date", row=2, col=1)
        figure.update_yaxes(title_text="Walking time (min)", rangemode="tozero", row=2, col=1)
        self._titles = list(figure.layout.annotations)[:2]
        self.live = LiveFigure(figure)

    @property
    def figure(self):
        """The go.Figure; change it only through :meth:`update` (``live.batch_update``), or the page misses it."""
        return self.live.figure

    @property
    def widget(self):
        """The chart widget the page shows."""
        return self.live.widget

    @property
    def load_bars(self):
        """The weekly load bar trace (kJ)."""
        return self.figure.data[LOAD_BARS]

    @property
    def ratio_line(self):
        """The acute:chronic ratio line."""
        return self.figure.data[RATIO_LINE]

    @property
    def minute_bars(self):
        """The minutes-per-day bar trace."""
        return self.figure.data[MINUTE_BARS]

    @property
    def planned_load(self):
        """Markers: the weekly load (kJ) as first planned, before the diary."""
        return self.figure.data[PLANNED_LOAD]

    @property
    def planned_minutes(self):
        """Markers: each day's planned minutes (the bars show what was done on logged days)."""
        return self.figure.data[PLANNED_MINUTES]

    def adjustment_labels(self) -> dict[int, str]:
        """Week number -> "hold" / "step back" / "stopped", as marked on the chart."""
        return {int(note.x): note.text.replace("<b>", "").replace("</b>", "")
                for note in self.figure.layout.annotations if note.name == ADJUSTMENT_NAME}

    def update(self, plan: Plan, planned: Plan | None = None) -> None:
        """Show ``plan`` in place (one batched message); ``planned`` is the plan before the diary."""
        weekly = _weekly_columns(plan)
        weeks, loads, phases, ratios, minutes, _ = weekly
        dates, day_minutes, day_phases, labels, planned_minutes = _daily_columns(plan)
        planned_loads = loads
        if planned is not None and len(planned.weekly) == len(weeks):
            planned_loads = planned.weekly["load_kj"].tolist()
        ceiling = plan.profile.goal.acwr_ceiling
        shapes, annotations = _marks(weekly)
        data = self.figure.data
        with self.live.batch_update():
            data[LOAD_BARS].x, data[LOAD_BARS].y = weeks, loads
            data[LOAD_BARS].marker.color = phase_colours(phases)
            data[LOAD_BARS].customdata = list(zip(phases, minutes))
            data[BAND_LOW].x, data[BAND_LOW].y = weeks, [ACWR_SWEET_SPOT_LOW] * len(weeks)
            data[BAND_HIGH].x, data[BAND_HIGH].y = weeks, [ceiling] * len(weeks)
            data[BAND_HIGH].name = f"Safe band {ACWR_SWEET_SPOT_LOW:g}–{ceiling:g}"
            data[RATIO_LINE].x, data[RATIO_LINE].y = weeks, ratios
            data[MINUTE_BARS].x, data[MINUTE_BARS].y = dates, day_minutes
            data[MINUTE_BARS].marker.color = phase_colours(day_phases)
            data[MINUTE_BARS].customdata = list(zip(day_phases, labels))
            data[PLANNED_LOAD].x, data[PLANNED_LOAD].y = weeks, planned_loads
            data[PLANNED_MINUTES].x, data[PLANNED_MINUTES].y = dates, planned_minutes
            self.figure.layout.shapes = shapes
            self.figure.layout.annotations = self._titles + annotations


def _weekly_columns(plan: Plan):
    weekly = plan.weekly
    return (weekly["week"].tolist(), weekly["load_kj"].tolist(), weekly["phase"].tolist(),
            weekly["acwr"].tolist(), weekly["total_minutes"].tolist(), weekly["adjustment"].tolist())


def _daily_columns(plan: Plan):
    sessions = plan.sessions
    labels = [(kind if bouts <= 1 else f"{kind}, {bouts} x {bout} min") + ("" if status in ("planned", "rest") else f" ({status})")
              for kind, bouts, bout, status in zip(sessions["kind"], sessions["bouts"], sessions["bout_minutes"],
                                                   sessions["status"])]
    return ([day.isoformat() for day in sessions["date"]], sessions["total_minutes"].tolist(),
            sessions["phase"].tolist(), labels, sessions["planned_minutes"].tolist())
