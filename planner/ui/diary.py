"""The "Diary" panel: log how a walk went (today or a past day) and remove entries.

The panel only reads widgets and shows messages; :class:`planner.ui.clients.ClientWork` validates an
entry against the plan (``planner.adapt``), saves it for the selected client and replans.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Callable

import ipywidgets as w

from planner.adapt import DiaryEntry
from planner.profile import LEG_SYMPTOMS, PlannerInputError
from planner.safety import LEG_SYMPTOM_WORDS, RED_FLAGS
from planner.ui.dates import day_text
from planner.ui.form import CHOICE_LABELS, TIER_PLAIN, FieldMessage
from planner.ui.widgets import BuiltOnFirstUse

NOT_KNOWN = "not known"  # pain next morning not known yet
NO_FLAG = ""
ENTRY_FIELDS = ("date", "minutes_walked", "pain_during", "pain_after", "pain_next_morning", "leg_symptoms",
                "red_flags", "note")
LABEL_STYLE = {"description_width": "150px"}
ROW = w.Layout(width="100%", max_width="380px")
REMOVE_BUTTON = w.Layout(width="90px", flex="0 0 auto")


def entry_summary(entry: DiaryEntry) -> str:
    """One line per entry: date, minutes, pain during / after / next morning, leg, flag, note."""
    morning = "?" if entry.pain_next_morning is None else f"{entry.pain_next_morning:g}"
    parts = [day_text(entry.date), f"{entry.minutes_walked:g} min",
             "pains not logged" if entry.pains_missing else
             f"pain {entry.pain_during:g} / {entry.pain_after:g} / {morning}"]
    for item in entry.recordings:  # recorded walks: where from, and what they measured
        parts.append(f"recorded: {item.file_name}{f' ({item.device})' if item.device else ''}, "
                     f"{item.distance_km:.2f} km, {item.climb_m:.0f} m up, {item.load_kj:.0f} kJ")
    if entry.leg_symptoms != "none":
        parts.append(f"leg: {LEG_SYMPTOM_WORDS[entry.leg_symptoms]}")  # the words of the Pain tab and handout
    if entry.red_flags:
        parts.append("RED FLAG: " + ", ".join(sorted(entry.red_flags)))
    if entry.note:
        parts.append(f"“{entry.note}”")
    return " · ".join(parts)


def _pain(text: str, field: str) -> float:
    """A pain box's number; nothing or words are a :class:`PlannerInputError` for ``field``."""
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        raise PlannerInputError(field, "a number from 0 to 10", str(text).strip() or None) from None


class DiaryPanel(BuiltOnFirstUse):
    """Widgets of the diary: the entry form, per-field messages, and the logged entries with Remove.

    Only the heading (with its count) and an "Open the diary" button are on the page at first; the
    rest is built on first use (:class:`BuiltOnFirstUse`: the dashboard builds it once its chart has
    drawn, or the button does). ``on_date`` is called with a traitlets change when the date box
    changes; ``more()`` gives widgets to put at the panel's end when it is built."""

    PARTS = ("date", "minutes_walked", "pain_during", "pain_after", "pain_next_morning", "leg_symptoms",
             "red_flags", "note", "errors", "log_button", "message", "entries")

    def __init__(self, today: dt.date, on_log: Callable[[], None], on_remove: Callable[[dt.date], None],
                 on_date: Callable[[dict], None] | None = None, more: Callable[[], list[w.Widget]] | None = None):
        self.on_log = on_log
        self.on_remove = on_remove
        self.on_date = on_date
        self.more = more
        self._day = today  # the date box's value, kept here until the panel is built
        self._minutes: float = 0
        self._diary: list[DiaryEntry] = []
        self.heading = w.HTML(self._heading(0))
        self.widget = w.VBox([self.heading, self.make_open_button("Open the diary", "tb-diary-open")]).add_class("tb-diary")

    def _build(self) -> None:
        self.date = w.DatePicker(description="Date", value=self._day, style=LABEL_STYLE, layout=ROW)
        self.minutes_walked = w.FloatText(description="Minutes walked", value=self._minutes, style=LABEL_STYLE, layout=ROW)
        # text boxes, empty until the coach types: a number box cannot be empty, and a forgotten pain
        # would be logged as the last entry's (or 0); "3" stays "3"; 15 is not clamped
        pain = dict(placeholder="0–10", style=LABEL_STYLE, layout=ROW)
        self.pain_during = w.Text(description="Pain during (0–10)", **pain)
        self.pain_after = w.Text(description="Pain after (0–10)", **pain)
        self.pain_next_morning = w.Dropdown(description="Pain next morning",
                                            options=[("not known yet", NOT_KNOWN)] + [(str(n), n) for n in range(11)],
                                            value=NOT_KNOWN, style=LABEL_STYLE, layout=ROW)
        self.leg_symptoms = w.Dropdown(description="Leg symptoms", style=LABEL_STYLE, layout=ROW,
                                       options=[(CHOICE_LABELS.get(key, key), key) for key in LEG_SYMPTOMS])
        self.red_flags = w.Dropdown(description="Red flag", style=LABEL_STYLE, layout=ROW,
                                    options=[("none", NO_FLAG)] + [(f"{flag.label} ({TIER_PLAIN[flag.tier]})", flag.key)
                                                                   for flag in RED_FLAGS])
        self.note = w.Text(description="Note", placeholder="optional", style=LABEL_STYLE, layout=ROW)
        self.errors: dict[str, FieldMessage] = {}
        rows = []
        for name in ENTRY_FIELDS:
            widget = getattr(self, name)
            widget.add_class(f"tb-diary-{name}")
            rows.append(w.HBox([widget]).add_class("tb-row"))
            self.errors[name] = FieldMessage(rows[-1], "tb-error", f"tb-diary-error-{name}")
        self.log_button = w.Button(description="Log session", button_style="primary").add_class("tb-diary-log")
        self.message = w.HTML("").add_class("tb-diary-message")
        self.entries = w.VBox([]).add_class("tb-diary-entries")
        self.widget.children = [
            self.heading,
            w.HTML("<div class='tb-hint'>How did the walk go? Pain 0–10; next morning compared with the usual "
                   "baseline. A red flag stops the plan.</div>"),
            *rows, w.HBox([self.log_button, self.message]).add_class("tb-diary-actions"), w.HTML("<b>Logged sessions</b>"),
            self.entries, *(self.more() if self.more else ()),
        ]
        self.log_button.on_click(lambda _: self.on_log())
        self.show_entries(self._diary)
        if self.on_date is not None:
            self.date.observe(self.on_date, names="value")

    @property
    def day(self) -> dt.date | None:
        """The day in the date box (kept until the panel is built)."""
        return self.date.value if self.built else self._day

    @day.setter
    def day(self, value: dt.date) -> None:
        if self.built:
            self.date.value = value  # its observer calls on_date
        elif value != self._day:
            old, self._day = self._day, value
            if self.on_date is not None:
                self.on_date({"name": "value", "old": old, "new": value})

    def read_entry(self) -> DiaryEntry:
        """The entry the widgets describe; raises :class:`PlannerInputError` (with ``.field``)."""
        morning = self.pain_next_morning.value
        flag = self.red_flags.value
        return DiaryEntry(date=self.date.value, minutes_walked=self.minutes_walked.value,
                          pain_during=_pain(self.pain_during.value, "pain_during"),
                          pain_after=_pain(self.pain_after.value, "pain_after"),
                          pain_next_morning=None if morning == NOT_KNOWN else morning,
                          leg_symptoms=self.leg_symptoms.value,
                          red_flags=frozenset([flag]) if flag != NO_FLAG else frozenset(), note=self.note.value)

    def show_error(self, error: PlannerInputError | None) -> None:
        """Put ``error`` beside its field (or under the button); ``None`` clears every message."""
        for box in self.errors.values():
            box.value = ""
        self.message.value = ""
        if error is None:
            return
        field = getattr(error, "field", None)
        text = f"<span class='tb-error-text'>⚠ {html.escape(self.message_for(error))}</span>"
        if field in self.errors:
            self.errors[field].value = text
        else:
            self.message.value = text

    def message_for(self, error: PlannerInputError) -> str:
        """``error`` with the field's own label instead of its code name."""
        field = getattr(error, "field", None)
        widget = getattr(self, field, None) if field in ENTRY_FIELDS else None
        if widget is None:
            return str(error)
        received = error.received
        entered = f"{received:g}" if isinstance(received, (int, float)) and not isinstance(received, bool) else "nothing"
        if isinstance(received, str):
            entered = f"“{received}”"
        if isinstance(received, dt.date):
            entered = day_text(received)
        label = widget.description.split(" (")[0]
        return f"{label} must be {error.allowed} (you entered {entered})."

    def say(self, text: str, error: bool = False) -> None:
        """A message under the Log button (plain text, escaped)."""
        css = "tb-error-text" if error else "tb-info-text"
        self.message.value = f"<span class='{css}'>{'⚠ ' if error else ''}{html.escape(text)}</span>"

    @staticmethod
    def _heading(count: int) -> str:
        logged = f"{count} session{'s' if count != 1 else ''} logged" if count else "nothing logged yet"
        return (f"<h2 class='tb-section-title tb-diary-heading' id='tb-diary' data-entries='{count}'>Diary "
                f"<span class='tb-diary-count'>({logged})</span></h2>")

    def show_entries(self, diary: list[DiaryEntry]) -> None:
        """List ``diary`` newest first, each with a Remove button; the heading counts them."""
        self.heading.value = self._heading(len(diary))
        self._diary = list(diary)
        if not self.built:
            return
        if not diary:
            self.entries.children = [w.HTML("<i>No sessions logged yet.</i>").add_class("tb-diary-empty")]
            return
        rows = []
        for entry in sorted(diary, key=lambda e: e.date, reverse=True):
            remove = w.Button(description="Remove", layout=REMOVE_BUTTON)
            remove.add_class("tb-diary-remove").add_class(f"tb-diary-remove-{entry.date.isoformat()}")
            remove.on_click(self._remover(entry.date))
            label = w.HTML(f"<span class='tb-diary-entry-text' data-date='{entry.date.isoformat()}'>"
                           f"{html.escape(entry_summary(entry))}</span>")
            rows.append(w.HBox([remove, label]).add_class("tb-diary-entry"))
        self.entries.children = rows

    def _remover(self, date: dt.date) -> Callable[[w.Button], None]:
        return lambda _: self.on_remove(date)

    def clear_entry(self, day: dt.date) -> None:
        """After a logged entry: ``day`` in the date box, pains, leg, flag and note back to empty (a bad
        day's note must not be saved again with the next entry); the caller prefills the minutes."""
        self.date.value = day
        self.pain_during.value = self.pain_after.value = ""
        self.pain_next_morning.value = NOT_KNOWN
        self.leg_symptoms.value = LEG_SYMPTOMS[0]
        self.red_flags.value = NO_FLAG
        self.note.value = ""

    def suggest_minutes(self, planned_minutes: int | None) -> None:
        """Prefill minutes walked with the plan's minutes for the picked day (the common case)."""
        if planned_minutes is None:
            return
        if self.built:
            self.minutes_walked.value = planned_minutes
        else:
            self._minutes = planned_minutes
