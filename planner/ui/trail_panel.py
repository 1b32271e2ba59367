"""The trail part of the Terrain panel: load a GPX file (or a shipped sample), see its elevation
profile, its figures and the week the plan makes it a safe outing.

A file with several pieces (tracks or segments that do not join up) lists them, with distance and
gain, and the coach picks one or "all, as separate legs". What the engine did with the file (stray
points dropped, a drive left out, no elevation) is listed under the picker.

While a trail is loaded it stands in for the terrain of hike sessions
(``trail.as_terrain(surface, pack, poles, snow)``): :meth:`TrailPanel.apply` swaps it into the
profile the app plans with, and the manual grade slider is disabled (its value is kept and comes
back when the trail is cleared). A trail without elevation counts as flat, so the grade input stays
on and its value is used for the hike sessions instead. All numbers come from :mod:`planner.trail`;
nothing is computed here.

The elevation chart is a :class:`planner.ui.plotly_view.LiveFigure` created only when a trail is
first loaded: each chart widget ships plotly.js (~1.2 MB) to the page, so people who never load a
trail do not pay for it at page load. It is updated in place afterwards.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Callable

import ipywidgets as w
import numpy as np

from planner import evidence
from planner.plan import Plan
from planner.profile import ClientProfile, PlannerInputError
from planner.trail import ADVICE as TRAIL_ADVICE
from planner.trail import (TrailEffort, TrailFileError, TrailProfile, TrailReadiness, read_gpx, sample_trails,
                           trail_readiness)
from planner.units import DISTANCE, ELEVATION
from planner.ui.widgets import BuiltOnFirstUse, on_file_chosen

NO_SAMPLE = ""
TERRAIN_TAB = "Terrain"  # the form's tab the panel sits in (planner.ui.form.SECTIONS)
ALL_PIECES = -1  # the piece picker's value for "all, as separate legs"
OTHER_PIECES = -2  # the piece picker's value for "the other (shorter) pieces, as separate legs"
MAX_PIECE_CHOICES = 5  # UI: at most this many single pieces to pick from; the shorter rest is one choice
MAX_NAME_CHARS = 40  # UI: a piece's name in the picker is cut to this (joined names grow long)
NO_SURFACE = ""  # the trail-surface question's value before the coach answers
# Larger uploads never reach the kernel: the browser-to-kernel websocket drops them silently (a 25 MB
# file, measured), though the engine reads up to 30 MB. A 9 MB file (~110,000 points) loads in ~1 s.
MAX_UPLOAD_MB = 10
TRAIL_GRADE_DECIMALS = 1  # the trail's climbing grade is planned (and shown) to 0.1 %, not 4.66e-14 %
PROFILE_HEIGHT_PX = 260
MIN_ELEVATION_SPAN_M = 50  # y-axis span at least this, so a flat walk does not look like a saw
ELEVATION_TRACE, STEEP_TRACE = range(2)  # trace order of the elevation chart
STEEP_COLOUR = "#d55e00"
TRAIL_STYLE = """<style>
.tb-trail-figures-table {border-collapse:collapse; font-size:0.9em; margin:4px 0}
.tb-trail-figures-table th {text-align:left; font-weight:normal; color:#555; padding:2px 10px 2px 0}
.tb-trail-figures-table td {padding:2px 10px 2px 0}
.tb-trail-ready {background:#e6f4ea; border-left:4px solid #009e73; padding:6px 10px; margin:4px 0}
.tb-trail-not-ready {background:#fff4ce; border-left:4px solid #f3c200; padding:6px 10px; margin:4px 0}
.tb-trail-note {color:#555; font-size:0.9em}
.tb-trail-notices {margin:2px 0 4px 0; padding-left:18px; font-size:0.9em; color:#444}
.tb-trail-notices li {margin:1px 0}
.tb-trail-notices ul {margin:2px 0; padding-left:18px}
.tb-trail-notices summary {cursor:pointer; color:#1a5fb4}
.tb-trail-surface-ask {color:#8a4b00}
.tb-trail-pieces {max-width:100%}
.tb-trail-pieces .widget-radio-box {flex:1 1 auto; min-width:0}
.tb-trail-pieces .widget-radio-box label {display:flex; align-items:flex-start; white-space:normal; height:auto;
  min-height:24px; line-height:1.3; overflow-wrap:anywhere; padding:2px 0}
.tb-trail-pieces .widget-radio-box input {order:-1; float:none; flex:none; margin:2px 6px 0 1px}
.tb-trail-notices-box {max-width:100%; overflow-wrap:anywhere}
.tb-trail-picker {flex-wrap:wrap !important; gap:4px 0}
.tb-trail-picker .tb-trail-clear {flex:none}
</style>"""


def minutes_text(minutes: float) -> str:
    """``95.4`` -> ``"1 h 35 min"``; under an hour ``"42 min"``."""
    hours, rest = divmod(int(round(minutes)), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def steep_runs_km(trail: TrailProfile) -> list[tuple[float, float]]:
    """(start km, end km) of each run of consecutive segments steeper than ``steep_grade_percent``."""
    steep = np.abs(trail.grades_percent) > trail.steep_grade_percent
    runs, start = [], None
    for index, is_steep in enumerate(steep):
        if is_steep and start is None:
            start = index
        elif not is_steep and start is not None:
            runs.append((float(trail.distances_km[start]), float(trail.distances_km[index])))
            start = None
    if start is not None:
        runs.append((float(trail.distances_km[start]), float(trail.distances_km[-1])))
    return runs


def steep_elevations_m(trail: TrailProfile) -> list[float | None]:
    """Elevation at points that start or end a steep segment, ``None`` elsewhere (gaps in the line)."""
    steep = np.abs(trail.grades_percent) > trail.steep_grade_percent
    touches = np.zeros(len(trail.elevations_m), dtype=bool)
    touches[:-1] |= steep
    touches[1:] |= steep
    return [float(y) if keep else None for y, keep in zip(trail.elevations_m, touches)]


def leg_joins(trail: TrailProfile) -> list[int]:
    """Indexes into the profile where a new leg starts (a zero-length step from the last leg's end)."""
    return [int(index) + 1 for index in np.flatnonzero(np.diff(trail.distances_km) == 0)]


def short_name(name: str) -> str:
    """A piece's name cut to ``MAX_NAME_CHARS``: joined names ("A + B + C") keep the first and last."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    parts = name.split(" + ")
    if len(parts) > 1:
        joined = f"{parts[0]} … {parts[-1]}"
        if len(joined) <= MAX_NAME_CHARS:
            return joined
    return name[:MAX_NAME_CHARS - 1].rstrip() + "…"


def piece_label(piece: TrailProfile, system: str) -> str:
    """``"ACTIVE LOG — 2.3 km, 211 m up"`` (or "no elevation"): where (the file's own name for the
    track, cut short) and how long."""
    climb = (f"{ELEVATION.from_metric(piece.gain_m, system):.0f} {ELEVATION.unit(system)} up" if piece.has_elevation
             else "no elevation")
    distance = f"{DISTANCE.from_metric(piece.distance_km, system):.1f} {DISTANCE.unit(system)}"
    return f"{short_name(piece.name)} — {distance}, {climb}"


def piece_choices(loaded: TrailProfile, system: str) -> list[tuple[str, int]]:
    """The picker's options: all pieces as legs; each of the ``MAX_PIECE_CHOICES`` - 1 longest pieces
    (in file order; all of them when there are at most ``MAX_PIECE_CHOICES``); the rest as one choice."""
    unit = DISTANCE.unit(system)
    pieces = loaded.pieces
    options = [(f"All {len(pieces)} pieces, as separate legs — {DISTANCE.from_metric(loaded.distance_km, system):.1f} "
                f"{unit}", ALL_PIECES)]
    shown = list(range(len(pieces)))
    if len(pieces) > MAX_PIECE_CHOICES:
        longest = sorted(shown, key=lambda index: -pieces[index].distance_km)[:MAX_PIECE_CHOICES - 1]
        shown = sorted(longest)
    options += [(piece_label(pieces[index], system), index) for index in shown]
    rest = [index for index in range(len(pieces)) if index not in shown]
    if rest:
        km = sum(pieces[index].distance_km for index in rest)
        options.append((f"The other {len(rest)} shorter pieces, as separate legs — "
                        f"{DISTANCE.from_metric(km, system):.1f} {unit}", OTHER_PIECES))
    return options


def other_pieces(loaded: TrailProfile) -> list[int]:
    """The pieces the picker groups as ``OTHER_PIECES``."""
    values = {value for _, value in piece_choices(loaded, "metric")}
    return [index for index in range(len(loaded.pieces)) if index not in values]


def chosen_trail(loaded: TrailProfile, value: int) -> TrailProfile:
    """What the picker's ``value`` plans with."""
    if value == ALL_PIECES:
        return loaded
    if value == OTHER_PIECES:
        return loaded.legs(other_pieces(loaded))
    return loaded.piece(value)


def _profile_traces(trail: TrailProfile, system: str = "metric") -> list:
    import plotly.graph_objects as go

    distance_unit, height_unit = DISTANCE.unit(system), ELEVATION.unit(system)
    x = [DISTANCE.from_metric(float(value), system) for value in trail.distances_km]
    steep_y = [None if value is None else ELEVATION.from_metric(value, system) for value in steep_elevations_m(trail)]
    y = [ELEVATION.from_metric(float(value), system) for value in trail.elevations_m]
    for index in reversed(leg_joins(trail)):  # a gap in both lines where one leg ends and the next starts
        x.insert(index, x[index])
        y.insert(index, None)
        steep_y.insert(index, None)
    elevation = go.Scatter(x=x, y=y,
                           mode="lines", name=f"Elevation ({height_unit})", line=dict(color="#0072b2", width=2),
                           hovertemplate=f"%{{x:.2f}} {distance_unit}: %{{y:.0f}} {height_unit}<extra></extra>")
    steep = go.Scatter(x=x, y=steep_y, mode="lines", connectgaps=False,
                       name=f"Steeper than {trail.steep_grade_percent:g} %",
                       line=dict(color=STEEP_COLOUR, width=4), hoverinfo="skip", showlegend=trail.steep_share > 0)
    return [elevation, steep]


def _profile_layout(trail: TrailProfile, system: str = "metric") -> dict:
    def distance(km: float) -> float:
        return DISTANCE.from_metric(km, system)

    shapes = [dict(type="rect", xref="x", yref="paper", x0=distance(start), x1=distance(end), y0=0, y1=1,
                   line=dict(width=0), fillcolor=STEEP_COLOUR, opacity=0.15, layer="below")
              for start, end in steep_runs_km(trail)]
    low, high = float(np.min(trail.elevations_m)), float(np.max(trail.elevations_m))
    pad = max((MIN_ELEVATION_SPAN_M - (high - low)) / 2, (high - low) * 0.05)
    flat = "" if trail.has_elevation else " (no elevation in the file: drawn flat)"
    return dict(title=dict(text=f"Elevation profile: {trail.name}{flat}", font=dict(size=14)), shapes=shapes,
                xaxis=dict(title=f"Distance ({DISTANCE.unit(system)})", range=[0, distance(trail.distance_km)]),
                yaxis=dict(title=f"Elevation ({ELEVATION.unit(system)})",
                           range=[ELEVATION.from_metric(low - pad, system), ELEVATION.from_metric(high + pad, system)]))


class TrailPanel(BuiltOnFirstUse):
    """GPX picker, sample dropdown, elevation chart, figures and readiness for one loaded trail.

    ``on_change()`` is called when a trail is loaded or cleared (the app replans, then calls
    :meth:`show` with the new plan). ``trail``/``effort``/``readiness`` are the engine's results
    for what is shown (``None`` when no trail is loaded).
    """

    PARTS = ("upload", "sample", "message", "picker")

    def __init__(self, on_change: Callable[[], None] = lambda: None):
        self.on_change = on_change
        self.trail: TrailProfile | None = None  # what is planned with: the chosen piece, or all as legs
        self.loaded: TrailProfile | None = None  # read_gpx's result for the file (all pieces)
        self._content: str | bytes | None = None  # the file's content, re-read when the units change
        self._file_name = ""
        self._units_read = "metric"
        self.effort: TrailEffort | None = None
        self.readiness: TrailReadiness | None = None
        # how the plan the coach sees is made from a profile (the app: plan, then adapted with the
        # client's diary), so that a "more weeks" suggestion is checked on the same kind of plan
        self.make_plan: Callable[[ClientProfile], Plan] | None = None
        self.figure = None  # a plotly_view.LiveFigure, created at the first trail
        self._drawn: tuple[TrailProfile, str] | None = None  # the trail and unit system the figure shows
        self._quiet = False
        self.grade_widget: w.ValueWidget | None = None  # the manual grade input, set by attach()
        self._samples = sample_trails()
        self._form_grade_row: w.Box | None = None
        self._form = None  # the ProfileForm (its unit system), set by attach()
        # Built once the page has drawn (issue 22; :class:`BuiltOnFirstUse`), or when the Terrain tab opens.
        self.widget = w.VBox([]).add_class("tb-trail")
        # Created at the first trail (see _create_trail_widgets): each widget costs page-load time.
        self.clear_button: w.Button | None = None
        self.pieces: w.RadioButtons | None = None  # shown when the file has more than one piece
        self.notices: w.HTML | None = None
        self.grade_note: w.HTML | None = None
        self.chart_box: w.VBox | None = None
        self.figures: w.HTML | None = None
        self.readiness_box: w.HTML | None = None
        self.details: w.VBox | None = None
        self.surface: w.Dropdown | None = None  # "what is this trail's surface?", asked at each new file
        self.surface_note: w.HTML | None = None
        self.surface_row: w.VBox | None = None

    def _build(self) -> None:
        """The picker, the samples and the message line."""
        self.upload = w.FileUpload(accept=".gpx,application/gpx+xml", multiple=False,
                                   description="Load trail (.gpx)").add_class("tb-trail-upload")
        self.sample = w.Dropdown(description="or a sample",
                                 options=[("choose…", NO_SAMPLE)] + [(read_name, key) for key, read_name in
                                                                     self._sample_names().items()],
                                 value=NO_SAMPLE, style={"description_width": "80px"},
                                 layout=w.Layout(width="330px")).add_class("tb-trail-sample")
        self.message = w.HTML(self._message("")).add_class("tb-trail-message")
        self.picker = w.HBox([self.upload, self.sample]).add_class("tb-trail-picker")
        self.widget.children = [self.picker, self.message, *self.widget.children]
        on_file_chosen(self.upload, lambda content, name: self.load_gpx(content, file_name=name))
        self.sample.observe(self._on_sample, names="value")

    @staticmethod
    def _message(text: str) -> str:
        return ("<div><b>A real trail</b> <span style='color:#555'>(optional): load a GPX file (up to "
                f"{MAX_UPLOAD_MB:g} MB) or pick a sample; it stands in for the hill grade below.</span></div>{text}")

    def _create_trail_widgets(self) -> None:
        """The clear button, the grade note, and the box for chart, figures and readiness (once)."""
        if self.details is not None:
            return
        self.clear_button = w.Button(description="Clear trail", icon="times",
                                     layout=w.Layout(width="120px")).add_class("tb-trail-clear")
        self.clear_button.on_click(lambda _button: self.clear())
        self.picker.children = (*self.picker.children, self.clear_button)
        self.grade_note = w.HTML().add_class("tb-trail-grade-note")
        if self._form_grade_row is not None:
            self._form_grade_row.children = (*self._form_grade_row.children, self.grade_note)
        self.pieces = w.RadioButtons(description="Walk", options=[("all", ALL_PIECES)], value=ALL_PIECES,
                                     style={"description_width": "40px"},
                                     layout=w.Layout(width="100%", display="none")).add_class("tb-trail-pieces")
        self.pieces.observe(self._on_piece, names="value")
        self.notices = w.HTML().add_class("tb-trail-notices-box")
        surfaces = (list(self._form.fields["surface"].widget.options) if self._form is not None
                    else [(label, key) for key, label in evidence.SURFACE_LABELS.items()])
        self.surface = w.Dropdown(description="Surface", options=[("choose…", NO_SURFACE)] + surfaces,
                                  value=NO_SURFACE, style={"description_width": "60px"},
                                  layout=w.Layout(width="330px")).add_class("tb-trail-surface")
        self.surface.observe(self._on_surface, names="value")
        self.surface_note = w.HTML().add_class("tb-trail-surface-note")
        self.surface_row = w.VBox([self.surface, self.surface_note]).add_class("tb-trail-surface-row")
        self.chart_box = w.VBox().add_class("tb-trail-chart")
        self.figures = w.HTML().add_class("tb-trail-figures")
        self.readiness_box = w.HTML().add_class("tb-trail-readiness")
        # the readiness first: it stays in view above the chart, whatever the file's notes
        self.details = w.VBox([w.HTML(TRAIL_STYLE), self.readiness_box, self.chart_box, self.figures],
                              layout=w.Layout(display="none")).add_class("tb-trail-details")
        self.widget.children = (*self.widget.children, self.surface_row, self.pieces, self.notices, self.details)

    def attach(self, form) -> None:
        """Put the panel at the top of ``form``'s Terrain tab (and, once a trail is loaded, a note
        beside the grade input)."""
        tabs = form.tabs
        terrain = tabs.children[list(tabs.titles).index(TERRAIN_TAB)]
        terrain.children = (self.widget, *terrain.children)
        grade = form.fields["grade_percent"]
        self._form_grade_row = grade.row
        self.grade_widget = grade.widget
        self._form = form

    @property
    def system(self) -> str:
        """The form's display units ("metric" or "imperial"); metric before :meth:`attach`."""
        return self._form.system if self._form is not None else "metric"

    def _sync_manual(self) -> None:
        """Disable the manual grade input while a trail with elevation is loaded, with a note saying why."""
        if self.grade_widget is not None:
            self.grade_widget.disabled = self.trail is not None and self.trail.has_elevation
        if self.grade_note is not None:
            self.grade_note.value = self.grade_note_html()

    def _sample_names(self) -> dict[str, str]:
        """Sample key -> display name (the file stem made readable)."""
        return {key: key.replace("_", " ") for key in self._samples}

    # --- loading ------------------------------------------------------------------------------
    def load_gpx(self, content: str | bytes | memoryview, file_name: str = "") -> bool:
        """Read ``content`` as the current trail (all its pieces as separate legs) and ask for a
        replan; a bad file keeps the previous trail (if any) and shows the engine's message beside
        the picker, with what to do. True when loaded."""
        content = bytes(content) if isinstance(content, memoryview) else content
        try:
            loaded = read_gpx(content, units=self.system)
        except Exception as error:  # the engine raises PlannerInputError; anything else is still no traceback
            reason = str(error) if isinstance(error, PlannerInputError) else \
                "this file could not be read as a GPX file"  # never a library's words on the page
            if not isinstance(error, TrailFileError):  # its text says what to do already
                reason = f"{reason.rstrip('.')}. {TRAIL_ADVICE}"
            what = f" {html.escape(file_name)}" if file_name else ""
            keep = f" Still using {html.escape(self.trail.name)}." if self.trail is not None else ""
            self.message.value = self._message(f"<span class='tb-error-text' data-error='gpx'>⚠ Could not load"
                                               f"{what}: {html.escape(reason.rstrip('.'))}.{keep}</span>")
            return False
        self.loaded, self.trail = loaded, loaded
        self._content, self._file_name, self._units_read = content, file_name, self.system
        self._create_trail_widgets()
        source = html.escape(file_name) if file_name else "the file"
        loaded_text = (f"Loaded {source}: {len(loaded.pieces)} pieces that do not join up (recorded apart). Pick "
                       "the one you will walk, or all of them as separate legs." if len(loaded.pieces) > 1 else
                       f"Loaded {html.escape(loaded.name)}{' from ' + source if file_name else ''}.")
        self.message.value = self._message(f"<span class='tb-trail-loaded'>{loaded_text}</span>")
        self._show_pieces()
        self._ask_surface()
        self.clear_button.disabled = False
        self._sync_manual()
        self.on_change()
        return True

    def _show_pieces(self, keep_choice: bool = False) -> None:
        """The piece picker (only for more than one piece; "all" chosen unless ``keep_choice``) and
        the engine's notes about the file."""
        loaded, system = self.loaded, self.system
        many = len(loaded.pieces) > 1
        options = piece_choices(loaded, system)
        values = [value for _, value in options]
        chosen = self.pieces.value if keep_choice and many and self.pieces.value in values else ALL_PIECES
        self._quiet = True
        try:
            self.pieces.options = options
            self.pieces.value = chosen
        finally:
            self._quiet = False
        self.pieces.layout.display = "" if many else "none"
        self.notices.value = self.notices_html()

    def notices_html(self) -> str:
        """The engine's notes about the file: one or two lines (how it was recorded, what was left
        out), every note on demand (a <details> list). Empty without notes."""
        if self.loaded is None or not self.loaded.notes:
            return ""
        notes = self.loaded.notes
        lines = [note for note in notes if note.startswith(("Recorded at about", "This file has no elevation",
                                                            "Read from the file's"))][:1]
        left_out = [note for note in notes if "left out" in note]
        others = len(notes) - len(lines)
        if left_out:
            lines.append(f"{len(left_out)} part(s) of the file left out (a drive, a jump or short bits): "
                         "see the notes.")
        elif others and not lines:
            lines.append(notes[0] if len(notes) == 1 else f"{len(notes)} notes about how the file was read.")
        summary = "".join(f"<div class='tb-trail-notice-line'>{html.escape(line)}</div>" for line in lines)
        if len(notes) == 1 and lines == [notes[0]]:
            return f"<div class='tb-trail-notices'>{summary}</div>"
        items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
        return (f"<div class='tb-trail-notices'>{summary}<details class='tb-trail-notes-all'><summary>All "
                f"{len(notes)} notes about this file</summary><ul>{items}</ul></details></div>")

    def _ask_surface(self) -> None:
        """A GPX file has no surface: ask for this trail's, instead of keeping the last one silently."""
        self._quiet = True
        try:
            self.surface.value = NO_SURFACE
        finally:
            self._quiet = False
        self.surface_row.layout.display = ""
        self.surface_note.value = self.surface_note_html()

    def surface_note_html(self) -> str:
        if self.trail is None or self._form is None:
            return ""
        current = self._form.fields["surface"].widget.label
        if self.surface.value == NO_SURFACE:
            return (f"<span class='tb-trail-note tb-trail-surface-ask'>What is this trail's surface? A GPX file "
                    f"does not say: the plan uses <b>{html.escape(str(current))}</b> (the Surface below) until you "
                    "choose.</span>")
        return f"<span class='tb-trail-note'>This trail's surface: {html.escape(str(current))}.</span>"

    def _on_surface(self, change: dict) -> None:
        if self._quiet or change["new"] == NO_SURFACE or self._form is None:
            return
        field = self._form.fields["surface"].widget
        if field.value != change["new"]:
            field.value = change["new"]  # the form replans
        else:
            self.on_change()
        self.surface_note.value = self.surface_note_html()

    def choose_piece(self, index: int) -> None:
        """Plan with piece ``index`` of the loaded file, or ``ALL_PIECES`` (all, as separate legs)."""
        self.pieces.value = index

    def _on_piece(self, change: dict) -> None:
        if self._quiet or self.loaded is None:
            return
        self.trail = chosen_trail(self.loaded, change["new"])
        self._sync_manual()
        self.on_change()

    def load_sample(self, key: str) -> bool:
        """Load the shipped sample ``key`` (a :func:`sample_trails` name)."""
        if self.sample.value != key:
            self._quiet = True
            try:
                self.sample.value = key
            finally:
                self._quiet = False
        return self.load_gpx(self._samples[key], file_name=f"{key}.gpx")

    def clear(self) -> None:
        """Forget the trail: the manual terrain inputs apply again."""
        self.trail = self.loaded = self.effort = self.readiness = None
        self._content = None
        self.message.value = self._message("")
        if self.details is not None:
            self.figures.value = self.readiness_box.value = self.notices.value = ""
            self.details.layout.display = "none"
            self.surface_row.layout.display = "none"
            self.pieces.layout.display = "none"
            self.clear_button.disabled = True
        self._quiet = True
        try:
            self.sample.value = NO_SAMPLE
        finally:
            self._quiet = False
        self._sync_manual()
        self.on_change()

    def _on_sample(self, change: dict) -> None:
        if self._quiet:
            return
        if change["new"] == NO_SAMPLE:
            if self.trail is not None:
                self.clear()
            return
        self.load_sample(change["new"])

    # --- planning -----------------------------------------------------------------------------
    def apply(self, profile: ClientProfile) -> ClientProfile:
        """``profile`` with the trail's terrain (chosen surface, pack, poles, snow; climbing grade to
        0.1 %) when a trail is loaded, else unchanged."""
        if self.trail is None or not self.trail.has_elevation:  # flat as far as the file knows: the coach's grade
            return profile
        terrain = profile.terrain
        trail_terrain = self.trail.as_terrain(surface=terrain.surface, pack_mass_kg=terrain.pack_mass_kg,
                                              trekking_poles=terrain.trekking_poles, snow_depth_cm=terrain.snow_depth_cm)
        grade = round(trail_terrain.grade_percent, TRAIL_GRADE_DECIMALS)
        return replace(profile, terrain=replace(trail_terrain, grade_percent=grade))

    def grade_note_html(self) -> str:
        """What the note beside the manual grade says (empty without a trail)."""
        if self.trail is None:
            return ""
        if not self.trail.has_elevation:
            return ("<span class='tb-trail-note tb-trail-grade-offer'>The trail has no elevation: set the hill grade "
                    "here if it climbs (used for the hike sessions; the trail's time and load stay flat).</span>")
        return (f"<span class='tb-trail-note'>Ignored while a trail is loaded: the trail's climbing grade "
                f"{self.trail.climbing_grade_percent:.1f} % is used.</span>")

    def show(self, result: Plan) -> None:
        """Figures, chart and readiness of the loaded trail for ``result`` (made with :meth:`apply`)."""
        self._sync_manual()
        if self.trail is None:
            return
        if self._units_read != self.system and self._content is not None:  # notes and labels in the new units
            index = self.pieces.value
            self.loaded = read_gpx(self._content, units=self.system)
            self._units_read = self.system
            self._show_pieces(keep_choice=True)
            self.trail = chosen_trail(self.loaded, self.pieces.value)
        try:
            self.effort = self.trail.analyse_for(result.profile, model=result.load_model)
            self.readiness = trail_readiness(result, self.effort, units=self.system, make_plan=self.make_plan)
        except Exception as error:  # the form validated the profile; never a traceback anyway
            self.effort = self.readiness = None
            self.figures.value = f"<span class='tb-error-text'>⚠ {html.escape(str(error))}</span>"
            self.readiness_box.value = ""
            return
        self.details.layout.display = ""
        self.surface_note.value = self.surface_note_html()
        self._draw_chart()
        self.figures.value = self.figures_html()
        self.readiness_box.value = self.readiness_html()

    def _draw_chart(self) -> None:
        import plotly.graph_objects as go

        from planner.ui.plotly_view import LiveFigure

        trail, system = self.trail, self.system
        if self.figure is None:
            self.figure = LiveFigure(go.Figure(data=_profile_traces(trail, system), layout=dict(
                height=PROFILE_HEIGHT_PX, margin=dict(l=55, r=10, t=40, b=40),
                legend=dict(orientation="h", y=-0.25), **_profile_layout(trail, system))))
            self.figure.widget.add_class("tb-trail-profile")
            self.chart_box.children = (self.figure.widget,)
            self._drawn = (trail, system)
            return
        if self._drawn == (trail, system):
            return
        elevation, steep = _profile_traces(trail, system)
        with self.figure.batch_update() as figure:
            for index, new in ((ELEVATION_TRACE, elevation), (STEEP_TRACE, steep)):
                figure.data[index].x = new.x
                figure.data[index].y = new.y
                figure.data[index].name = new.name
                figure.data[index].showlegend = new.showlegend
            layout = _profile_layout(trail, system)
            figure.layout.shapes = layout.pop("shapes")  # assigned: update() ignores an empty list
            figure.layout.update(layout)
        self._drawn = (trail, system)

    # --- text ---------------------------------------------------------------------------------
    def figures_rows(self) -> list[tuple[str, str]]:
        """(label with unit, value) of the trail's figures for the current effort."""
        trail, effort, system = self.trail, self.effort, self.system
        distance_unit, height_unit = DISTANCE.unit(system), ELEVATION.unit(system)

        def heights(first_m: float, second_m: float) -> str:
            return f"{ELEVATION.from_metric(first_m, system):.0f} / {ELEVATION.from_metric(second_m, system):.0f}"

        rows = [(f"Distance ({distance_unit})", f"{DISTANCE.from_metric(trail.distance_km, system):.1f}"),
                (f"Elevation gain / loss ({height_unit})", heights(trail.gain_m, trail.loss_m))]
        if trail.has_elevation:
            rows.append((f"Highest / lowest point ({height_unit})",
                         heights(trail.max_elevation_m, trail.min_elevation_m)))
        else:
            rows.append((f"Highest / lowest point ({height_unit})", "no elevation in the file"))
        rows += [(f"Steeper than {trail.steep_grade_percent:g} % (% of distance)", f"{trail.steep_share * 100:.0f}"),
                 ("Moving time at your pace (h min)", minutes_text(effort.moving_minutes)),
                 ("Load (kJ)", f"{effort.load_kj:.0f}"),
                 ("DIN 33466 hiking time (h min)", minutes_text(effort.din_minutes))]
        return rows

    def figures_html(self) -> str:
        rows = "".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
                       for label, value in self.figures_rows())
        notes = "".join(f"<div class='tb-trail-note'>{html.escape(note)}</div>" for note in self.effort.notes)
        return (f"<table class='tb-trail-figures-table' data-load-kj='{self.effort.load_kj:.1f}' "
                f"data-moving-minutes='{self.effort.moving_minutes:.1f}'>{rows}</table>{notes}")

    def readiness_html(self) -> str:
        readiness = self.readiness
        if readiness.ready_week is not None:
            return (f"<div class='tb-trail-ready' data-ready-week='{readiness.ready_week}'>"
                    f"<b>Ready for this trail in week {readiness.ready_week}.</b> {html.escape(readiness.message)}</div>")
        items = "".join(f"<li>{html.escape(text)}</li>" for text in readiness.suggestions)
        return (f"<div class='tb-trail-not-ready' data-ready-week=''><b>Not ready within this plan.</b> "
                f"{html.escape(readiness.message)}{'<ul>' + items + '</ul>' if items else ''}</div>")
