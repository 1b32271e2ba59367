"""The inputs panel: pain, fitness, terrain and goal (in tabs, in that order), the unit choice, and
each field's message in the coach's words (the field's own label, the displayed units).

Typed numbers are never clamped: a value out of range gets a message beside its field and the plan
stays on the last valid input. The red-flag questions are in :mod:`planner.ui.safety`, the client's
name in :mod:`planner.ui.client_bar`.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, replace
from typing import Any, Callable

import ipywidgets as w

from planner import evidence
from planner.profile import (ACWR_CEILING_RANGE, BODY_MASS_KG_RANGE, CONDITIONS, GOAL_KINDS, GRADE_PERCENT_RANGE,
                             LEG_SYMPTOMS, MAX_LONGEST_WALK_MINUTES, MAX_WEEKLY_WALKING_MINUTES,
                             PACK_MASS_KG_RANGE, PAIN_LOCATIONS, PROGRESSION_CAP_PERCENT_RANGE,
                             SESSION_MINUTES_RANGE, SNOW_DEPTH_CM_RANGE, SPEED_KMH_RANGE, WEEKS_RANGE, ClientProfile,
                             Fitness, Goal, Pain, PlannerInputError, Terrain)
from planner.safety import LEG_SYMPTOM_LABELS, NEW_TO_EXERCISE, Tier
from planner.units import DEPTH, MASS, SPEED, SYSTEMS, Quantity
from planner.ui.widgets import WeekdayToggles

FLOAT_DECIMALS = 6
DEFAULT_PROFILE = ClientProfile(goal=Goal(start_date=dt.date(2026, 1, 5)))
SECTIONS = ("Pain", "Fitness", "Terrain", "Goal")
SECTION_FIELDS = {
    "Pain": ("pain_now", "in_flare", "location", "leg_symptoms", "condition"),
    "Fitness": ("walking_minutes_per_week", "longest_walk_minutes", "available_weekdays", "body_mass_kg", "speed_kmh",
                "new_to_exercise"),
    "Terrain": ("surface", "grade_percent", "pack_mass_kg", "trekking_poles", "snow_depth_cm"),
    "Goal": ("kind", "target_session_minutes", "sessions_per_week", "weeks", "start_date", "progression_cap_percent",
             "acwr_ceiling"),
}


def default_profile(today: dt.date | None = None) -> ClientProfile:
    """The dashboard's first inputs: :data:`DEFAULT_PROFILE`, starting next Monday (today on a Monday)."""
    day = today or dt.date.today()
    start = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    return replace(DEFAULT_PROFILE, goal=replace(DEFAULT_PROFILE.goal, start_date=start))


LABEL_STYLE = {"description_width": "170px"}
#: What each red-flag tier means, in the words of the Safety panel's headings (not codes like "[review soon]")
TIER_PLAIN = {Tier.EMERGENCY: "call 999 or go to A&E now", Tier.URGENT: "see a doctor today",
              Tier.REVIEW: "check with a clinician soon"}
CHOICE_LABELS = {
    "lower": "lower back", "upper": "upper back",
    **LEG_SYMPTOM_LABELS,  # the engine's vocabulary, with its tier (planner.safety)
    "disc_herniation": "disc herniation", "spinal_stenosis": "spinal stenosis",
    "walking": "walking", "hiking": "trail hiking",
}
# Allowed range of each numeric field, in the engine's (metric) units: the messages show it in the
# displayed units. From planner.profile, where the engine checks them.
FIELD_LIMITS: dict[str, tuple[float, float]] = {
    "pain_now": (0, 10), "walking_minutes_per_week": (0, MAX_WEEKLY_WALKING_MINUTES),
    "longest_walk_minutes": (1, MAX_LONGEST_WALK_MINUTES), "body_mass_kg": BODY_MASS_KG_RANGE,
    "speed_kmh": SPEED_KMH_RANGE, "grade_percent": GRADE_PERCENT_RANGE, "pack_mass_kg": PACK_MASS_KG_RANGE,
    "snow_depth_cm": SNOW_DEPTH_CM_RANGE, "target_session_minutes": SESSION_MINUTES_RANGE,
    "sessions_per_week": (1, 7), "weeks": WEEKS_RANGE, "progression_cap_percent": PROGRESSION_CAP_PERCENT_RANGE,
    "acwr_ceiling": ACWR_CEILING_RANGE,
}
WHOLE_NUMBER_FIELDS = {"target_session_minutes", "sessions_per_week", "weeks"}


def _number_text(value: float) -> str:
    return f"{round(value, 1):g}"


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
    """One engine field: its widget, its label (without unit), its unit or unit quantity, its message."""

    name: str
    widget: w.DOMWidget
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

    def unit_text(self, system: str) -> str:
        """The unit shown in ``system`` ("" for none)."""
        return self.quantity.unit(system) if self.quantity else self.unit

    def set_unit_label(self, system: str) -> None:
        """Show the label with the unit of ``system``."""
        unit = self.unit_text(system)
        self.widget.description = f"{self.label} ({unit})" if unit else self.label

    def message(self, error: PlannerInputError, system: str) -> str:
        """``error`` in the coach's words: the label, the allowed range in the displayed units, and
        what was entered."""
        if self.name == "available_weekdays":
            return f"{self.label}: pick at least one day."
        if self.name == "start_date":
            return f"{self.label}: pick a date."
        if self.name not in FIELD_LIMITS:
            return f"{self.label}: choose one of the list."
        low, high = FIELD_LIMITS[self.name]
        if self.quantity is not None:  # inside the metric range once converted back: round inwards
            low = math.ceil(round(self.quantity.from_metric(low, system) * 10, 6)) / 10
            high = math.floor(round(self.quantity.from_metric(high, system) * 10, 6)) / 10
        unit = "" if "–" in self.unit else self.unit_text(system)  # "Pain now (0–10)": the range is the unit
        kind = "a whole number " if self.name in WHOLE_NUMBER_FIELDS else ""
        entered = self.widget.value
        entered_text = _number_text(entered) if isinstance(entered, (int, float)) else "nothing"
        return (f"{self.label}: enter {kind}{_number_text(low)}–{_number_text(high)}{(' ' + unit) if unit else ''}"
                f" (you entered {entered_text}).")


def _choices(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(labels.get(value, value), value) for value in values]


class ProfileForm:
    """Pain, fitness, terrain and goal inputs; :meth:`profile` turns them (with a name and the red
    flags, which other panels own) into a validated :class:`ClientProfile`."""

    def __init__(self, profile: ClientProfile = DEFAULT_PROFILE):
        self.system = "metric"
        self.busy = False  # True while the form rewrites its own widgets (unit switch, loading)
        self.units = w.ToggleButtons(options=[("Metric (km, kg)", "metric"), ("Imperial (mi, lb)", "imperial")],
                                     value="metric", description="Units",
                                     style={"button_width": "130px", "description_width": "44px"}).add_class("tb-units")
        number = dict(style=LABEL_STYLE)
        choice = dict(style=LABEL_STYLE)
        self.fields: dict[str, Field] = {}
        for field in (
            Field("pain_now", w.FloatText(step=0.5, **number), "Pain now", "0–10"),
            Field("in_flare", w.Checkbox(indent=False), "In a flare-up now"),
            Field("location", w.Dropdown(options=_choices(PAIN_LOCATIONS, CHOICE_LABELS), **choice), "Where"),
            Field("leg_symptoms", w.Dropdown(options=_choices(LEG_SYMPTOMS, CHOICE_LABELS), **choice), "Leg symptoms"),
            Field("condition", w.Dropdown(options=_choices(CONDITIONS, CHOICE_LABELS), **choice), "Diagnosed condition"),
            Field("walking_minutes_per_week", w.FloatText(**number), "Walking now", "min a week"),
            Field("longest_walk_minutes", w.FloatText(**number), "Longest comfortable walk", "min"),
            Field("available_weekdays", WeekdayToggles(), "Days available"),
            Field("body_mass_kg", w.FloatText(**number), "Body mass", quantity=MASS),
            Field("speed_kmh", w.FloatText(step=0.1, **number), "Comfortable pace", quantity=SPEED),
            Field("new_to_exercise", w.Checkbox(indent=False),
                  f"Not used to exercise ({TIER_PLAIN[NEW_TO_EXERCISE.tier]})"),
            Field("surface", w.Dropdown(options=[(evidence.SURFACE_LABELS[key], key) for key in
                                                 evidence.TERRAIN_FACTORS], **choice), "Surface"),
            Field("grade_percent", w.FloatText(step=0.5, **number), "Typical hill grade", "%"),
            Field("pack_mass_kg", w.FloatText(step=0.5, **number), "Pack", quantity=MASS),
            Field("trekking_poles", w.Checkbox(indent=False), "Trekking poles"),
            Field("snow_depth_cm", w.FloatText(**number), "Snow depth (on snow)", quantity=DEPTH),
            Field("kind", w.Dropdown(options=_choices(GOAL_KINDS, CHOICE_LABELS), **choice), "Goal"),
            Field("target_session_minutes", w.IntText(**number), "Target session", "min"),
            Field("sessions_per_week", w.IntText(**number), "Walks per week"),
            Field("weeks", w.IntText(**number), "Plan length", "weeks"),
            Field("start_date", w.DatePicker(**choice), "Start date"),
            Field("progression_cap_percent", w.FloatText(step=1, **number), "Max weekly load rise", "%"),
            Field("acwr_ceiling", w.FloatText(step=0.05, **number), "Acute:chronic ceiling"),
        ):
            field.set_unit_label(self.system)
            self.fields[field.name] = field
        self.general_error = w.HTML("").add_class("tb-error").add_class("tb-error-general")
        self._deferred_tabs: list[tuple[w.Box, tuple[w.Widget, ...]]] = []
        self.set_profile(profile)
        self.units.observe(self._on_units, names="value")
        self.widget = self._layout()

    # --- layout ---------------------------------------------------------------------------
    def _rows(self, *names: str) -> list[w.Widget]:
        return [self.fields[name].row for name in names]

    def _layout(self) -> w.Widget:
        tabs = w.Tab(children=[w.VBox(self._rows(*SECTION_FIELDS[section])) for section in SECTIONS]).add_class("tb-tabs")
        tabs.titles = SECTIONS
        self.tabs = tabs
        return w.VBox([tabs, self.general_error, self.units]).add_class("tb-form")

    def defer_hidden_tabs(self) -> None:
        """Empty the tabs not shown at first (all but Pain) until :meth:`fill_tabs` (once the chart has
        drawn, or a tab is opened: :class:`planner.ui.app.App`): the page then draws their fields after
        the chart (issue 22). Their widgets still exist and hold the profile's values; only the page's
        views of them wait."""
        for box in self.tabs.children[1:]:
            if box.children:
                self._deferred_tabs.append((box, box.children))
                box.children = ()

    def fill_tabs(self) -> None:
        """Put the deferred tabs' fields back (once; nothing to do after)."""
        for box, children in self._deferred_tabs:
            box.children = children
        self._deferred_tabs = []

    # --- values ---------------------------------------------------------------------------
    def value_widgets(self) -> list[w.DOMWidget]:
        """Every widget whose change means "replan"."""
        return [field.widget for field in self.fields.values()]

    def _metric(self, name: str) -> Any:
        field = self.fields[name]
        if field.quantity is not None:
            return field.metric_value(self.system)
        value = field.widget.value
        if isinstance(value, float):
            return round(value, FLOAT_DECIMALS)  # browser inputs send e.g. 10.000000000000002
        if isinstance(value, list):
            return tuple(value)
        return value

    def profile(self, name: str = "", red_flags: frozenset[str] = frozenset()) -> ClientProfile:
        """The profile the widgets describe, with ``name`` and ``red_flags``; raises
        :class:`PlannerInputError` for bad input.

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

        pain = section(Pain, SECTION_FIELDS["Pain"], red_flags=red_flags)
        fitness = section(Fitness, SECTION_FIELDS["Fitness"])
        terrain = section(Terrain, SECTION_FIELDS["Terrain"])
        goal = section(Goal, SECTION_FIELDS["Goal"])
        if errors:
            first = errors[0]
            first.errors = errors
            raise first
        return ClientProfile(name=name, pain=pain, fitness=fitness, terrain=terrain, goal=goal)

    def set_profile(self, profile: ClientProfile) -> None:
        """Show ``profile``'s pain, fitness, terrain and goal in the widgets (in the current units)."""
        self.busy = True
        try:
            for section in (profile.pain, profile.fitness, profile.terrain, profile.goal):
                for name, field in self.fields.items():
                    if not hasattr(section, name):
                        continue
                    value = getattr(section, name)
                    if field.quantity is not None:
                        field.show_metric(value, self.system)
                    elif name == "available_weekdays":
                        field.widget.value = list(value)
                    else:
                        field.widget.value = value
        finally:
            self.busy = False

    # --- errors ---------------------------------------------------------------------------
    def show_errors(self, errors: list[PlannerInputError]) -> list[str]:
        """Put each error's message beside its field (or under the form), mark the tabs holding one
        with ⚠, clear the others; returns "Label (Tab)" of each field in error."""
        messages: dict[str, str] = {}
        general = []
        for error in errors:
            if error.field in self.fields:
                messages[error.field] = html.escape(self.fields[error.field].message(error, self.system))
            else:
                general.append(html.escape(str(error)))
        for name, field in self.fields.items():
            field.error.value = f"<span class='tb-error-text'>⚠ {messages[name]}</span>" if name in messages else ""
        self.general_error.value = "".join(f"<div class='tb-error-text'>⚠ {text}</div>" for text in general)
        titles = tuple(f"{section} ⚠" if any(name in messages for name in SECTION_FIELDS[section]) else section
                       for section in SECTIONS)
        if tuple(self.tabs.titles) != titles:
            self.tabs.titles = titles
        return [f"{self.fields[name].label} ({section})" for section in SECTIONS for name in SECTION_FIELDS[section]
                if name in messages]

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
                if isinstance(value, (int, float)):
                    self.fields[name].show_metric(value, system)
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
