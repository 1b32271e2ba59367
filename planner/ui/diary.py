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
from planner.safety import LEG_SYMPTOM_WORDS, RED_FLAGS, TIER_WORDS
from planner.ui.form import CHOICE_LABELS, FieldMessage

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
    parts = [f"{entry.date.isoformat()} ({entry.date:%a})", f"{entry.minutes_walked:g} min",
             f"pain {entry.pain_during:g} / {entry.pain_after:g} / {morning}"]
    if entry.leg_symptoms != "none":
        parts.append(f"leg: {LEG_SYMPTOM_WORDS[entry.leg_symptoms]}")  # the words of the Pain tab and handout
    if entry.red_flags:
        parts.append("RED FLAG: " + ", ".join(sorted(entry.red_flags)))
    if entry.note:
        parts.append(f"“{entry.note}”")
    return " · ".join(parts)


class DiaryPanel:
    """Widgets of the diary: the entry form, per-field messages, and the logged entries with Remove."""

    def __init__(self, today: dt.date, on_log: Callable[[], None], on_remove: Callable[[dt.date], None]):
        self.on_remove = on_remove
        self.date = w.DatePicker(description="Date", value=today, style=LABEL_STYLE, layout=ROW)
        self.minutes_walked = w.FloatText(description="Minutes walked", value=0, style=LABEL_STYLE, layout=ROW)
        pain = dict(step=0.5, style=LABEL_STYLE, layout=ROW)  # number boxes: "3", never "3.00"; 15 is not clamped
        self.pain_during = w.FloatText(description="Pain during (0–10)", **pain)
        self.pain_after = w.FloatText(description="Pain after (0–10)", **pain)
        self.pain_next_morning = w.Dropdown(description="Pain next morning",
                                            options=[("not known yet", NOT_KNOWN)] + [(str(n), n) for n in range(11)],
                                            value=NOT_KNOWN, style=LABEL_STYLE, layout=ROW)
        self.leg_symptoms = w.Dropdown(description="Leg symptoms", style=LABEL_STYLE, layout=ROW,
                                       options=[(CHOICE_LABELS.get(key, key), key) for key in LEG_SYMPTOMS])
        self.red_flags = w.Dropdown(description="Red flag", style=LABEL_STYLE, layout=ROW,
                                    options=[("none", NO_FLAG)] + [(f"{flag.label} [{TIER_WORDS[flag.tier]}]", flag.key)
                                                                   for flag in RED_FLAGS])
        self.note = w.Text(description="Note", placeholder="optional", style=LABEL_STYLE, layout=ROW)
        self.errors: dict[str, FieldMessage] = {}
        rows = []
        for name in ENTRY_FIELDS:
            widget = getattr(self, name)
            widget.add_class(f"tb-diary-{name}")
            rows.append(w.HBox([widget]).add_class("tb-row"))
            self.errors[name] = FieldMessage(rows[-1], "tb-error", f"tb-diary-error-{name}")
        self.log_button = w.Button(description="Log session", button_style="primary",
                                   icon="check").add_class("tb-diary-log")
        self.message = w.HTML("").add_class("tb-diary-message")
        self.entries = w.VBox([]).add_class("tb-diary-entries")
        self.heading = w.HTML(self._heading(0))
        self.widget = w.VBox([
            self.heading,
            w.HTML("<div class='tb-hint'>How did the walk go? Pain 0–10; next morning compared with the usual "
                   "baseline. A red flag stops the plan.</div>"),
            *rows, w.HBox([self.log_button, self.message]), w.HTML("<b>Logged sessions</b>"), self.entries,
        ]).add_class("tb-diary")
        self.log_button.on_click(lambda _: on_log())
        self.show_entries([])

    def read_entry(self) -> DiaryEntry:
        """The entry the widgets describe; raises :class:`PlannerInputError` (with ``.field``)."""
        morning = self.pain_next_morning.value
        flag = self.red_flags.value
        return DiaryEntry(date=self.date.value, minutes_walked=self.minutes_walked.value,
                          pain_during=self.pain_during.value, pain_after=self.pain_after.value,
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
        if isinstance(received, dt.date):
            entered = received.isoformat()
        label = widget.description.split(" (")[0]
        return f"{label} must be {error.allowed} (you entered {entered})."

    def say(self, text: str, error: bool = False) -> None:
        """A message under the Log button (plain text, escaped)."""
        css = "tb-error-text" if error else "tb-info-text"
        self.message.value = f"<span class='{css}'>{'⚠ ' if error else ''}{html.escape(text)}</span>"

    @staticmethod
    def _heading(count: int) -> str:
        logged = f"{count} session{'s' if count != 1 else ''} logged" if count else "nothing logged yet"
        return (f"<h3 class='tb-section-title tb-diary-heading' data-entries='{count}'>Diary "
                f"<span class='tb-diary-count'>({logged})</span></h3>")

    def show_entries(self, diary: list[DiaryEntry]) -> None:
        """List ``diary`` newest first, each with a Remove button; the heading counts them."""
        self.heading.value = self._heading(len(diary))
        if not diary:
            self.entries.children = [w.HTML("<i>No sessions logged yet.</i>").add_class("tb-diary-empty")]
            return
        rows = []
        for entry in sorted(diary, key=lambda e: e.date, reverse=True):
            remove = w.Button(description="Remove", icon="trash", layout=REMOVE_BUTTON)
            remove.add_class("tb-diary-remove").add_class(f"tb-diary-remove-{entry.date.isoformat()}")
            remove.on_click(self._remover(entry.date))
            label = w.HTML(f"<span class='tb-diary-entry-text' data-date='{entry.date.isoformat()}'>"
                           f"{html.escape(entry_summary(entry))}</span>")
            rows.append(w.HBox([remove, label]).add_class("tb-diary-entry"))
        self.entries.children = rows

    def _remover(self, date: dt.date) -> Callable[[w.Button], None]:
        return lambda _: self.on_remove(date)

    def suggest_minutes(self, planned_minutes: int | None) -> None:
        """Prefill minutes walked with the plan's minutes for the picked day (the common case)."""
        if planned_minutes is not None:
            self.minutes_walked.value = planned_minutes
