"""The input form: widgets grouped as a clinician asks (Safety, Pain, Fitness, Terrain, Goal).

The form only reads and writes widget values and builds a :class:`ClientProfile`; validation
and every planning rule stay in the engine.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, replace
from typing import Any, Callable

import ipywidgets as w

from planner import evidence
from planner.profile import (CONDITIONS, GOAL_KINDS, LEG_SYMPTOMS, PAIN_LOCATIONS, ClientProfile, Fitness,
                             Goal, Pain, PlannerInputError, Terrain)
from planner.safety import LEG_SYMPTOM_LABELS, NEW_TO_EXERCISE, RED_FLAGS, TIER_WORDS
from planner.units import DEPTH, MASS, SPEED, SYSTEMS, Quantity

FLOAT_DECIMALS = 6
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_PROFILE = ClientProfile(goal=Goal(start_date=dt.date(2026, 1, 5)))


def default_profile(today: dt.date | None = None) -> ClientProfile:
    """The dashboard's first inputs: :data:`DEFAULT_PROFILE`, starting next Monday (today on a Monday)."""
    day = today or dt.date.today()
    start = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    return replace(DEFAULT_PROFILE, goal=replace(DEFAULT_PROFILE.goal, start_date=start))

LABEL_STYLE = {"description_width": "190px"}
WIDE = w.Layout(width="420px")
CHOICE_LABELS = {
    "lower": "lower back", "upper": "upper back",
    **LEG_SYMPTOM_LABELS,  # the engine's vocabulary, with its tier (planner.safety)
    "disc_herniation": "disc herniation", "spinal_stenosis": "spinal stenosis",
    "walking": "walking", "hiking": "trail hiking",
}


class FieldMessage:
    """The message beside one input (``value``, HTML). Its widget is made on the first message and
    appended to ``row``: every widget model costs page-load time, and most fields never err."""

    def __init__(self, row: w.Box, *css_classes: str):
        self.row = row
        self.css_classes = css_classes
        self.widget: w.HTML | None = None

    @property
    def value(self) -> str:
        return self.widget.value if self.widget is not None else ""

    @value.setter
    def value(self, text: str) -> None:
        if self.widget is None:
            if not text:
                return
            self.widget = w.HTML()
            for css_class in self.css_classes:
                self.widget.add_class(css_class)
            self.row.children = (*self.row.children, self.widget)
        self.widget.value = text


@dataclass
class Field:
    """One engine field: its widget, the label without unit, an optional unit quantity, its error label."""

    name: str
    widget: w.ValueWidget
    label: str
    unit: str = ""
    quantity: Quantity | None = None
    error: FieldMessage | None = None
    row: w.Box | None = None
    exact: tuple[Any, float] | None = None  # (displayed value, exact metric value) set by the form

    def show_metric(self, metric_value: float, system: str) -> None:
        """Display ``metric_value`` in ``system``, remembering it so an untouched field reads back exactly."""
        displayed = self.quantity.to_display(metric_value, system)
        self.exact = (displayed, metric_value)
        self.widget.value = displayed

    def metric_value(self, system: str) -> Any:
        """The engine value of the displayed value (exact when the user has not changed it)."""
        value = self.widget.value
        if self.exact is not None and self.exact[0] == value:
            return self.exact[1]
        if not isinstance(value, (int, float)):
            return value
        return self.quantity.to_metric(value, system)

    def __post_init__(self) -> None:
        self.widget.add_class(f"tb-field-{self.name}")
        self.row = w.HBox([self.widget]).add_class("tb-row")
        self.error = FieldMessage(self.row, "tb-error", f"tb-error-{self.name}")

    def set_unit_label(self, system: str) -> None:
        """Show the label with the unit of ``system``."""
        unit = self.quantity.unit(system) if self.quantity else self.unit
        self.widget.description = f"{self.label} ({unit})" if unit else self.label


def _choices(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(labels.get(value, value), value) for value in values]


class ProfileForm:
    """All input widgets; :meth:`profile` turns them into a validated :class:`ClientProfile`."""

    def __init__(self, profile: ClientProfile = DEFAULT_PROFILE):
        self.system = "metric"
        self.busy = False  # True while the form rewrites its own widgets (unit switch, loading)
        self.units = w.ToggleButtons(options=[("Metric (km, kg)", "metric"), ("Imperial (mi, lb)", "imperial")],
                                     value="metric", description="Units",
                                     style={"button_width": "120px", "description_width": "50px"}).add_class("tb-units")
        self.client_name = w.Text(description="Client name", placeholder="optional",
                                  style={"description_width": "90px"}, layout=w.Layout(width="280px")).add_class("tb-field-name")
        self.red_flags = {
            flag.key: w.Checkbox(value=False, indent=False, description=f"{flag.label} [{TIER_WORDS[flag.tier]}]",
                                 layout=w.Layout(width="auto")).add_class("tb-flag").add_class(f"tb-flag-{flag.key}")
            for flag in RED_FLAGS
        }
        slider = dict(style=LABEL_STYLE, layout=WIDE, continuous_update=True)
        text = dict(style=LABEL_STYLE, layout=w.Layout(width="330px"))
        self.fields: dict[str, Field] = {}
        for field in (
            Field("pain_now", w.FloatSlider(min=0, max=10, step=0.5, **slider), "Pain now", "0–10"),
            Field("in_flare", w.Checkbox(indent=True, style=LABEL_STYLE), "In a flare-up now"),
            Field("location", w.Dropdown(options=_choices(PAIN_LOCATIONS, CHOICE_LABELS), **text), "Where"),
            Field("leg_symptoms", w.Dropdown(options=_choices(LEG_SYMPTOMS, CHOICE_LABELS), **text), "Leg symptoms"),
            Field("condition", w.Dropdown(options=_choices(CONDITIONS, CHOICE_LABELS), **text), "Diagnosed condition"),
            Field("walking_minutes_per_week", w.FloatText(**text), "Walking now", "min/week"),
            Field("longest_walk_minutes", w.FloatText(**text), "Longest comfortable walk", "min"),
            Field("available_weekdays", w.SelectMultiple(options=list(zip(WEEKDAY_NAMES, range(7))), rows=7,
                                                         **text), "Days available", "select several"),
            Field("body_mass_kg", w.FloatText(**text), "Body mass", quantity=MASS),
            Field("speed_kmh", w.FloatText(step=0.1, **text), "Comfortable pace", quantity=SPEED),
            Field("new_to_exercise", w.Checkbox(indent=True, style=LABEL_STYLE),
                  f"Not used to exercise [{TIER_WORDS[NEW_TO_EXERCISE.tier]}]"),
            Field("surface", w.Dropdown(options=[(evidence.SURFACE_LABELS[key], key) for key in
                                                 evidence.TERRAIN_FACTORS], **text), "Surface"),
            Field("grade_percent", w.FloatSlider(min=0, max=40, step=0.5, **slider), "Typical hill grade", "%"),
            Field("pack_mass_kg", w.FloatText(step=0.5, **text), "Pack", quantity=MASS),
            Field("trekking_poles", w.Checkbox(indent=True, style=LABEL_STYLE), "Trekking poles"),
            Field("snow_depth_cm", w.FloatText(**text), "Snow depth (snow only)", quantity=DEPTH),
            Field("kind", w.Dropdown(options=_choices(GOAL_KINDS, CHOICE_LABELS), **text), "Goal"),
            Field("target_session_minutes", w.IntSlider(min=5, max=evidence.HIKE_MAX_MINUTES, **slider),
                  "Target session", "min"),
            Field("sessions_per_week", w.IntSlider(min=1, max=7, **slider), "Sessions", "per week"),
            Field("weeks", w.IntSlider(min=1, max=52, **slider), "Plan length", "weeks"),
            Field("start_date", w.DatePicker(**text), "Start date"),
            Field("progression_cap_percent", w.FloatSlider(min=1, max=50, step=1, **slider),
                  "Max weekly load rise", "%/week"),
            Field("acwr_ceiling", w.FloatSlider(min=1.0, max=2.0, step=0.05, **slider),
                  "Acute:chronic ceiling", "ratio"),
        ):
            field.set_unit_label(self.system)
            self.fields[field.name] = field
        self.general_error = w.HTML("").add_class("tb-error").add_class("tb-error-general")
        self.set_profile(profile)
        self.units.observe(self._on_units, names="value")
        self.widget = self._layout()

    # --- layout ---------------------------------------------------------------------------
    def _rows(self, *names: str) -> list[w.Widget]:
        return [self.fields[name].row for name in names]

    def _layout(self) -> w.Widget:
        safety = w.VBox([
            w.HTML("<b>Ask these first.</b> Tick any that apply now; an emergency or urgent answer "
                   "replaces the plan with what to do."),
            *self.red_flags.values(),
        ]).add_class("tb-safety")
        tabs = w.Tab(children=[
            safety,
            w.VBox(self._rows("pain_now", "in_flare", "location", "leg_symptoms", "condition")),
            w.VBox(self._rows("walking_minutes_per_week", "longest_walk_minutes", "available_weekdays",
                              "body_mass_kg", "speed_kmh", "new_to_exercise")),
            w.VBox(self._rows("surface", "grade_percent", "pack_mass_kg", "trekking_poles", "snow_depth_cm")),
            w.VBox(self._rows("kind", "target_session_minutes", "sessions_per_week", "weeks", "start_date",
                              "progression_cap_percent", "acwr_ceiling")),
        ]).add_class("tb-tabs")
        for index, title in enumerate(("Safety", "Pain", "Fitness", "Terrain", "Goal")):
            tabs.set_title(index, title)
        return w.VBox([w.HBox([self.client_name, self.units]), tabs, self.general_error]).add_class("tb-form")

    # --- values ---------------------------------------------------------------------------
    def value_widgets(self) -> list[w.ValueWidget]:
        """Every widget whose change means "replan"."""
        return [self.client_name, *self.red_flags.values(), *(field.widget for field in self.fields.values())]

    def _metric(self, name: str) -> Any:
        field = self.fields[name]
        if field.quantity is not None:
            return field.metric_value(self.system)
        value = field.widget.value
        if isinstance(value, float):
            return round(value, FLOAT_DECIMALS)  # browser sliders send e.g. 10.000000000000002
        return value

    def profile(self) -> ClientProfile:
        """The profile the widgets describe; raises :class:`PlannerInputError` for bad input.

        Every section is tried so all bad fields get their message at once; the first error is raised
        with the others in ``errors`` (a list of PlannerInputError).
        """
        errors: list[PlannerInputError] = []

        def section(kind: type, names: tuple[str, ...], **extra: Any) -> Any:
            try:
                return kind(**{name: self._metric(name) for name in names}, **extra)
            except PlannerInputError as error:
                errors.append(error)
                return None

        flags = frozenset(key for key, box in self.red_flags.items() if box.value)
        pain = section(Pain, ("pain_now", "in_flare", "location", "leg_symptoms", "condition"), red_flags=flags)
        fitness = section(Fitness, ("walking_minutes_per_week", "longest_walk_minutes", "body_mass_kg", "speed_kmh",
                                    "new_to_exercise"),
                          available_weekdays=tuple(self.fields["available_weekdays"].widget.value))
        terrain = section(Terrain, ("surface", "grade_percent", "pack_mass_kg", "trekking_poles", "snow_depth_cm"))
        goal = section(Goal, ("kind", "target_session_minutes", "sessions_per_week", "weeks", "start_date",
                              "progression_cap_percent", "acwr_ceiling"))
        if errors:
            first = errors[0]
            first.errors = errors
            raise first
        return ClientProfile(name=self.client_name.value, pain=pain, fitness=fitness, terrain=terrain, goal=goal)

    def set_profile(self, profile: ClientProfile) -> None:
        """Show ``profile`` in the widgets (in the current unit system)."""
        self.busy = True
        try:
            self._set_profile(profile)
        finally:
            self.busy = False

    def _set_profile(self, profile: ClientProfile) -> None:
        self.client_name.value = profile.name
        for key, box in self.red_flags.items():
            box.value = key in profile.pain.red_flags
        for section in (profile.pain, profile.fitness, profile.terrain, profile.goal):
            for name, field in self.fields.items():
                if not hasattr(section, name) or name == "red_flags":
                    continue
                value = getattr(section, name)
                if field.quantity is not None:
                    field.show_metric(value, self.system)
                    continue
                if name == "available_weekdays":
                    value = tuple(value)
                field.widget.value = value

    # --- errors ---------------------------------------------------------------------------
    def show_errors(self, errors: list[PlannerInputError]) -> None:
        """Put each error's message beside its field (or under the form); clear the others."""
        messages: dict[str, str] = {}
        general = []
        for error in errors:
            target = error.field if error.field in self.fields else None
            text = html.escape(str(error))
            if target and self.fields[target].quantity is not None and self.system != "metric":
                text += " (limits in metric units)"
            if target:
                messages[target] = text
            else:
                general.append(text)
        for name, field in self.fields.items():
            field.error.value = f"<span class='tb-error-text'>⚠ {messages[name]}</span>" if name in messages else ""
        self.general_error.value = "".join(f"<div class='tb-error-text'>⚠ {text}</div>" for text in general)

    # --- units ----------------------------------------------------------------------------
    def _on_units(self, change: dict) -> None:
        self.set_system(change["new"])

    def set_system(self, system: str) -> None:
        """Switch the displayed units, converting the displayed values."""
        if system not in SYSTEMS or system == self.system:
            return
        metric_values = {name: self._metric(name) for name, field in self.fields.items() if field.quantity}
        self.busy = True
        try:
            self.system = system
            for name, value in metric_values.items():
                field = self.fields[name]
                if isinstance(value, (int, float)):
                    field.show_metric(value, system)
            for field in self.fields.values():
                field.set_unit_label(system)
            if self.units.value != system:
                self.units.value = system
        finally:
            self.busy = False

    def observe(self, callback: Callable[[dict], None]) -> None:
        """Call ``callback`` on every value change of any input (units included)."""
        for widget in (*self.value_widgets(), self.units):
            widget.observe(callback, names="value")
