"""The charts panel: two charts of a plan, each with its own key (an HTML list under the plot) and a
plain sentence under it.

1. **Walking minutes per week** (the main measure): bars of the minutes in each week, markers for what
   was first planned (once a diary changes the plan), the phases as shaded, labelled bands with a key,
   and the weeks the diary held, stepped back or stopped marked.
2. **Weekly load and the acute:chronic ratio** (the second measure): the week's load in kJ as bars, the
   ratio as a line on a second axis, and its watched band.

Both x axes span the plan's weeks only. A second, faint plan (``compare=``) can be laid over both
charts (a kept plan "A" while the coach edits "B"): its minutes and its load as dotted lines, and the
legends then name the shown plan "B" and the faint one "A". Both charts are drawn by one
:class:`planner.ui.plotly_view.LiveCharts` (one copy of plotly.js on the page) and updated in place.
"""

from __future__ import annotations

from planner.evidence import ACWR_SWEET_SPOT_LOW
from planner.plan import Plan
from planner.progression import HOLD, PHASES, STEP_BACK, STOPPED
from planner.ui.plotly_view import LiveCharts

PHASE_COLOURS = dict(zip(PHASES, ("#e69f00", "#0072b2", "#56b4e9", "#009e73", "#7f7f7f")))
OTHER_PHASE_COLOUR = "#999999"
MINUTES_COLOUR = "#0b5cad"
LOAD_COLOUR = "#8c8c8c"
RATIO_COLOUR = "#d55e00"
COMPARE_COLOUR = "rgba(106,61,154,0.6)"  # plan A: a faint purple, apart from the blue minutes and grey load bars
CHART_HEIGHT_PX = 290  # the plot; its key is HTML under it (legend_entries)
MINUTES, LOAD = "minutes", "load"  # chart names (CSS: .tb-chart-minutes, .tb-chart-load)
# trace order: minutes chart
MINUTE_BARS, PLANNED_MINUTES, COMPARE_MINUTES = range(3)
PHASE_KEYS_START = 3  # then one legend-only trace per phase in the plan (the key of the bands)
# trace order: load chart
LOAD_BARS, PLANNED_LOAD, BAND_LOW, BAND_HIGH, RATIO_LINE, COMPARE_LOAD = range(6)
#: Legend names of the main traces, alone and beside a kept plan A (then the shown plan is "B").
TRACE_NAMES = {MINUTES: ("Minutes per week", "B (now): minutes per week"), LOAD: ("Load (kJ)", "B (now): load (kJ)")}
COMPARE_NAMES = {MINUTES: "A (kept): minutes per week", LOAD: "A (kept): load (kJ)"}
ADJUSTMENT_COLOURS = {HOLD: "rgba(243,194,0,0.35)", STEP_BACK: "rgba(213,94,0,0.3)", STOPPED: "rgba(176,0,32,0.3)"}
ADJUSTMENT_NAME = "adjustment"  # the ``name`` of shapes and annotations marking held / stepped-back weeks
PHASE_NAME = "phase"
LABEL_CHARACTER_WEEKS = 0.011  # a band's label is written in it when it spans >= this share of the axis per letter
# ticklabeloverflow "allow": plotly otherwise measures every tick label on every redraw to hide those
# past the chart (a forced layout each; ~7 of a key press's ~28 ms redraw, benchmarks/bench_dashboard.py).
# The margins leave the labels room; the browser tests check that none reaches past its chart.
TEMPLATE = dict(layout=dict(font=dict(family="Liberation Sans, Arial, sans-serif", size=12, color="#222"),
                            plot_bgcolor="white", paper_bgcolor="white",
                            xaxis=dict(showgrid=False, linecolor="#888", ticks="outside", ticklabeloverflow="allow"),
                            yaxis=dict(gridcolor="#e6e6e6", zeroline=False, linecolor="#888",
                                       ticklabeloverflow="allow")))
CAPTIONS = {
    MINUTES: ("Bars: minutes of walking planned for each week (done, once sessions are logged in the diary); "
              "the shaded bands are the plan's phases."),
    LOAD: ("Load is the energy of the week's walks in kJ (from pace, hills, pack and surface; S8). The "
           "acute:chronic ratio compares this week's load with the average week of the last four: above "
           "the green band (its usual range) the load is rising fast — a warning line, not a proven rule (S14)."),
}


def phase_colours(phases) -> list[str]:
    """Colour of each phase name."""
    return [PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR) for phase in phases]


def _with_alpha(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def phase_runs(weeks: list[int], phases: list[str]) -> list[tuple[str, int, int]]:
    """(phase, first week, last week) of each run of weeks in one phase."""
    runs: list[tuple[str, int, int]] = []
    for week, phase in zip(weeks, phases):
        if runs and runs[-1][0] == phase and runs[-1][2] == week - 1:
            runs[-1] = (phase, runs[-1][1], week)
        else:
            runs.append((phase, week, week))
    return runs


def _phase_bands(weeks: list[int], phases: list[str]) -> tuple[list[dict], list[dict]]:
    """A shaded band per run of one phase; its label inside when the band is wide enough for it."""
    shapes, annotations = [], []
    span = max(len(weeks), 1)
    for phase, first, last in phase_runs(weeks, phases):
        colour = PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR)
        shapes.append(dict(type="rect", xref="x", yref="y domain", x0=first - 0.5, x1=last + 0.5, y0=0, y1=1,
                           fillcolor=_with_alpha(colour, 0.13), line=dict(width=0), layer="below", name=PHASE_NAME))
        if (last - first + 1) / span >= LABEL_CHARACTER_WEEKS * len(phase):
            annotations.append(dict(x=(first + last) / 2, y=1.0, xref="x", yref="y domain", text=phase,
                                    showarrow=False, yanchor="bottom", font=dict(size=11, color="#333"),
                                    name=PHASE_NAME))
    return shapes, annotations


def _adjustment_marks(weeks: list[int], adjustments: list[str]) -> tuple[list[dict], list[dict]]:
    """An outlined column and a label ("hold", "step back", "stopped") on each week the diary changed."""
    shapes, annotations = [], []
    for week, adjustment in zip(weeks, adjustments):
        if adjustment not in ADJUSTMENT_COLOURS:
            continue
        shapes.append(dict(type="rect", xref="x", yref="y domain", x0=week - 0.5, x1=week + 0.5, y0=0, y1=0.9,
                           fillcolor=ADJUSTMENT_COLOURS[adjustment], line=dict(width=0), layer="below",
                           name=ADJUSTMENT_NAME))
        annotations.append(dict(x=week, y=0.9, xref="x", yref="y domain", text=f"<b>{adjustment}</b>",
                                showarrow=False, font=dict(size=10, color="#7a2b00"), name=ADJUSTMENT_NAME,
                                textangle=-90, yanchor="top", bgcolor="rgba(255,255,255,0.75)"))
    return shapes, annotations


def _week_axis(weeks: list[int]) -> dict:
    count = max(len(weeks), 1)
    return dict(title=dict(text=""), range=[0.5, count + 0.5], dtick=1 if count <= 16 else (2 if count <= 30 else 4),
                tick0=1, fixedrange=True)


DEFAULT_LEGEND_RANK = 1000  # plotly's default legendrank: traces without one follow those with one


def _swatch(trace: dict) -> dict:
    """How a trace looks in the key: a bar, a line (dotted or not, with or without markers), a band or a
    tick (the "as first planned" markers)."""
    marker, line = trace.get("marker") or {}, trace.get("line") or {}
    if trace.get("type") == "bar":
        colour = marker.get("color", LOAD_COLOUR)
        opacity = marker.get("opacity")
        return dict(kind="bar", colour=_with_alpha(colour, opacity) if opacity is not None and colour.startswith("#") else colour)
    if trace.get("fill"):
        return dict(kind="band", colour=trace.get("fillcolor", LOAD_COLOUR))
    mode = trace.get("mode", "lines")
    if "lines" in mode:
        return dict(kind="line", colour=line.get("color", "#222"), dash=line.get("dash", "solid"), marker="markers" in mode)
    return dict(kind="tick", colour=marker.get("color", "#222"))


def legend_entries(figure: dict) -> list[dict]:
    """The chart's key, drawn as HTML under the plot by the page (plotly's own legend is off: measuring
    its text and the margin it pushes were a third of a chart's first draw, benchmarks/bench_dashboard.py).
    One entry (name, group title, swatch) per trace plotly would have keyed, in plotly's order: by
    ``legendrank``, a group's entries together after its title."""
    keyed = [(trace.get("legendrank", DEFAULT_LEGEND_RANK), index, trace) for index, trace in enumerate(figure["data"])
             if trace.get("showlegend", True) and trace.get("visible", True) is not False and trace.get("name")]
    groups: dict[str, list[dict]] = {}
    for _rank, _index, trace in sorted(keyed, key=lambda item: item[:2]):
        groups.setdefault(trace.get("legendgroup", ""), []).append(trace)
    entries = []
    for group, traces in groups.items():
        title = next(((trace.get("legendgrouptitle") or {}).get("text", "") for trace in traces
                      if trace.get("legendgrouptitle")), "") if group else ""
        entries.extend(dict(name=trace["name"], group=title, swatch=_swatch(trace)) for trace in traces)
    return entries


def _none_for_nan(values) -> list:
    return [None if value != value else value for value in values]  # NaN != NaN


def _minutes_figure() -> dict:
    return {
        "data": [
            dict(type="bar", name=TRACE_NAMES[MINUTES][0], legendrank=1, marker=dict(color=MINUTES_COLOUR, opacity=0.85),
                 hovertemplate="Week %{x}: %{y} min<br>%{customdata}<extra></extra>"),
            dict(type="scatter", mode="markers", name="As first planned",
                 marker=dict(symbol="line-ew-open", size=22, color="#222", line=dict(width=2)),
                 hovertemplate="Week %{x}: planned %{y} min<extra></extra>"),
            dict(type="scatter", mode="lines+markers", name=COMPARE_NAMES[MINUTES], legendrank=2,
                 line=dict(color=COMPARE_COLOUR, dash="dot", width=2), marker=dict(color=COMPARE_COLOUR, size=5),
                 visible=False, hovertemplate="Week %{x}: plan A %{y} min<extra></extra>"),
        ],
        "layout": dict(TEMPLATE["layout"], height=CHART_HEIGHT_PX, margin=dict(l=56, r=16, t=44, b=30), bargap=0.25,
                       title=dict(text="Minutes of walking, week by week", x=0, xanchor="left", y=0.98, font=dict(size=14)),
                       showlegend=False, hovermode="closest", barmode="overlay",
                       yaxis=dict(TEMPLATE["layout"]["yaxis"], title=dict(text="Minutes per week"), rangemode="tozero",
                                  fixedrange=True)),
    }


def _load_figure() -> dict:
    return {
        "data": [
            dict(type="bar", name=TRACE_NAMES[LOAD][0], legendrank=1, marker=dict(color=LOAD_COLOUR, opacity=0.7),
                 hovertemplate="Week %{x}: %{y:.0f} kJ%{customdata}<extra></extra>"),
            dict(type="scatter", mode="markers", name="Load as first planned", showlegend=False,
                 marker=dict(symbol="line-ew-open", size=22, color="#222", line=dict(width=2)),
                 hovertemplate="Week %{x}: planned %{y:.0f} kJ<extra></extra>"),
            dict(type="scatter", mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False, name="band low",
                 yaxis="y2"),
            dict(type="scatter", mode="lines", line=dict(width=0), fill="tonexty", fillcolor="rgba(0,158,115,0.16)",
                 hoverinfo="skip", name="Usual ratio range", yaxis="y2"),
            dict(type="scatter", mode="lines+markers", name="Acute:chronic ratio", line=dict(color=RATIO_COLOUR, width=2),
                 marker=dict(size=5), hovertemplate="Week %{x}: ratio %{y:.2f}<extra></extra>", yaxis="y2"),
            dict(type="scatter", mode="lines+markers", name=COMPARE_NAMES[LOAD], legendrank=2,
                 line=dict(color=COMPARE_COLOUR, dash="dot", width=2), marker=dict(color=COMPARE_COLOUR, size=5),
                 visible=False, hovertemplate="Week %{x}: plan A %{y:.0f} kJ<extra></extra>"),
        ],
        "layout": dict(TEMPLATE["layout"], height=CHART_HEIGHT_PX, margin=dict(l=56, r=56, t=44, b=30), bargap=0.25,
                       title=dict(text="Load and acute:chronic ratio, week by week", x=0, xanchor="left", y=0.98,
                                  font=dict(size=14)),
                       showlegend=False, hovermode="closest",
                       yaxis=dict(TEMPLATE["layout"]["yaxis"], title=dict(text="Load (kJ a week)"), rangemode="tozero",
                                  fixedrange=True),
                       yaxis2=dict(title=dict(text="Ratio"), range=[0, 2.2], dtick=0.4, showgrid=False, fixedrange=True,
                                   overlaying="y", side="right", linecolor="#888", ticklabeloverflow="allow")),
    }


class PlanCharts:
    """The minutes chart and the load chart of a plan (see the module docstring). Figures are plain
    plotly dicts; the trace properties below are their ``data`` entries."""

    def __init__(self, plan: Plan):
        self.live = LiveCharts({MINUTES: _minutes_figure(), LOAD: _load_figure()}, dict(CAPTIONS), key=legend_entries)
        self.update(plan)

    @property
    def widget(self):
        """The chart widget the page shows."""
        return self.live.widget

    @property
    def minutes_figure(self) -> dict:
        """The minutes chart; change it only through :meth:`update`, or the page misses it."""
        return self.live.figures[MINUTES]

    @property
    def load_figure(self) -> dict:
        """The load chart; change it only through :meth:`update`."""
        return self.live.figures[LOAD]

    @property
    def minute_bars(self) -> dict:
        """Minutes per week (bars)."""
        return self.minutes_figure["data"][MINUTE_BARS]

    @property
    def planned_minutes(self) -> dict:
        """Markers: each week's minutes as first planned, before the diary."""
        return self.minutes_figure["data"][PLANNED_MINUTES]

    @property
    def compare_minutes(self) -> dict:
        """The faint second plan's minutes per week (hidden without one)."""
        return self.minutes_figure["data"][COMPARE_MINUTES]

    @property
    def load_bars(self) -> dict:
        """The weekly load bars (kJ)."""
        return self.load_figure["data"][LOAD_BARS]

    @property
    def planned_load(self) -> dict:
        """Markers: the weekly load (kJ) as first planned."""
        return self.load_figure["data"][PLANNED_LOAD]

    @property
    def compare_load(self) -> dict:
        """The faint second plan's weekly load (kJ; hidden without one)."""
        return self.load_figure["data"][COMPARE_LOAD]

    @property
    def ratio_line(self) -> dict:
        """The acute:chronic ratio line."""
        return self.load_figure["data"][RATIO_LINE]

    def phase_key(self) -> list[str]:
        """The phases in the minutes chart's key, in plan order."""
        return [trace["name"] for trace in self.minutes_figure["data"][PHASE_KEYS_START:]]

    def adjustment_labels(self) -> dict[int, str]:
        """Week number -> "hold" / "step back" / "stopped", as marked on the minutes chart."""
        return {int(note["x"]): note["text"].replace("<b>", "").replace("</b>", "")
                for note in self.minutes_figure["layout"]["annotations"] if note.get("name") == ADJUSTMENT_NAME}

    def show(self, plan: Plan, planned: Plan | None = None, compare: Plan | None = None) -> None:
        """Alias of :meth:`update` (the panels' common surface)."""
        self.update(plan, planned, compare)

    def update(self, plan: Plan, planned: Plan | None = None, compare: Plan | None = None,
               sources: list[str] | None = None) -> None:
        """Show ``plan`` in place (one message); ``planned`` is the plan before the diary (its markers
        show only where the diary changed something); ``compare`` a second plan drawn faintly on both
        charts (plan "A"; ``plan`` is then named "B" in the legends); ``sources`` says where each week's
        done load comes from (recordings, logged minutes), shown on hover."""
        weekly = plan.weekly
        weeks = weekly["week"].tolist()
        minutes = weekly["total_minutes"].tolist()
        phases = weekly["phase"].tolist()
        adjustments = weekly["adjustment"].tolist()
        loads = weekly["load_kj"].tolist()
        planned_minutes, planned_loads = minutes, loads
        if planned is not None and len(planned.weekly) == len(weeks):
            planned_minutes = planned.weekly["total_minutes"].tolist()
            planned_loads = planned.weekly["load_kj"].tolist()
        changed = planned_minutes != minutes or planned_loads != loads
        ceiling = plan.profile.goal.acwr_ceiling
        band_shapes, band_notes = _phase_bands(weeks, phases)
        mark_shapes, mark_notes = _adjustment_marks(weeks, adjustments)
        axis = _week_axis(weeks if compare is None or len(compare.weekly) <= len(weeks)
                          else compare.weekly["week"].tolist())
        named = int(compare is not None)
        with self.live.batch_update() as figures:
            chart = figures[MINUTES]
            data = chart["data"]
            data[MINUTE_BARS].update(x=weeks, y=minutes, name=TRACE_NAMES[MINUTES][named], customdata=[
                phase if adjustment in ("", "progress", None) else f"{phase}, {adjustment}"
                for phase, adjustment in zip(phases, adjustments)])
            data[PLANNED_MINUTES].update(x=weeks, y=planned_minutes, visible=changed, showlegend=changed)
            if compare is not None:
                data[COMPARE_MINUTES].update(x=compare.weekly["week"].tolist(),
                                             y=compare.weekly["total_minutes"].tolist(), visible=True)
            else:
                data[COMPARE_MINUTES].update(x=[], y=[], visible=False)
            del data[PHASE_KEYS_START:]
            data.extend(dict(type="bar", x=[None], y=[None], name=phase, hoverinfo="skip", legendgroup="phases",
                             marker=dict(color=_with_alpha(PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR), 0.35)),
                             **({"legendgrouptitle": {"text": "Phases:"}} if index == 0 else {}))
                        for index, phase in enumerate(dict.fromkeys(phases)))
            data.extend(dict(type="bar", x=[None], y=[None], name=adjustment, hoverinfo="skip", legendgroup="diary",
                             marker=dict(color=ADJUSTMENT_COLOURS[adjustment]),
                             **({"legendgrouptitle": {"text": "Diary changed:"}} if index == 0 else {}))
                        for index, adjustment in enumerate(a for a in ADJUSTMENT_COLOURS if a in adjustments))
            chart["layout"].update(shapes=band_shapes + mark_shapes, annotations=band_notes + mark_notes,
                                   xaxis=dict(TEMPLATE["layout"]["xaxis"], **axis))
            chart = figures[LOAD]
            data = chart["data"]
            data[LOAD_BARS].update(x=weeks, y=loads, name=TRACE_NAMES[LOAD][named],
                                   customdata=[f" (from {source})" if source else "" for source in sources or [""] * len(weeks)])
            if compare is not None:
                data[COMPARE_LOAD].update(x=compare.weekly["week"].tolist(), y=compare.weekly["load_kj"].tolist(),
                                          visible=True)
            else:
                data[COMPARE_LOAD].update(x=[], y=[], visible=False)
            data[PLANNED_LOAD].update(x=weeks, y=planned_loads, visible=changed)
            data[BAND_LOW].update(x=weeks, y=[ACWR_SWEET_SPOT_LOW] * len(weeks))
            data[BAND_HIGH].update(x=weeks, y=[ceiling] * len(weeks), name=f"Usual ratio range {ACWR_SWEET_SPOT_LOW:g}–{ceiling:g}")
            data[RATIO_LINE].update(x=weeks, y=_none_for_nan(weekly["acwr"].tolist()))
            chart["layout"]["xaxis"] = dict(TEMPLATE["layout"]["xaxis"], **axis)
