""""Add recorded walks": the client's own FIT, TCX and GPX files into the open client's diary.

Several files at once; each walk becomes the entry of its day (:func:`planner.diary_import.import_recordings`),
is saved for the open client (one diary change per day, in its history) and the plan adapts. What
each file gave is listed in plain words; recordings that are not walks are listed with a box to tick
and "Add the ticked ones anyway".
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from planner.diary_import import NOT_A_WALK, ImportedWalk, import_recordings, weekly_sources
from planner.plan import Plan
from planner.plan import plan as make_plan
from planner.profile import PlannerInputError
from planner.ui.dates import dates_in_words, day_text
from planner.ui.style import set_visible

ACCEPT = ".fit,.FIT,.tcx,.TCX,.gpx,.GPX"


def _uploaded(value: Any) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file of a FileUpload value (ipywidgets 8: a tuple of dicts)."""
    items = value.values() if isinstance(value, dict) else value
    return [(item["name"], bytes(item["content"])) for item in items]


class RecordingsPanel:
    """The upload and its report, inside the diary panel of a :class:`planner.ui.clients.ClientWork`."""

    def __init__(self, work: Any):
        self.work = work
        self.files: list[tuple[str, bytes]] = []
        self._weeks_html = ""
        self.done_by_week: dict[int, str] = {}  # each week's walks done, in words (the schedule's headings)
        self.built = False
        self._widget: w.VBox | None = None

    @property
    def widget(self) -> w.VBox:
        """The panel: an "Add recorded walks" button until first opened (issue 22: the page's first
        paint gets no model of this panel; the diary panel asks for it when it is built)."""
        if self._widget is None:
            self._open_button = w.Button(description="Add recorded walks (FIT, TCX, GPX)", layout=w.Layout(width="auto"),
                                         tooltip="FIT, TCX or GPX files from the client's watch or phone"
                                         ).add_class("tb-recordings-open")
            self._open_button.on_click(lambda _: self.build())
            self._widget = w.VBox([self._open_button]).add_class("tb-recordings")
        return self._widget

    @property
    def open_button(self) -> w.Button:
        """"Add recorded walks", which builds the panel (it is in the diary: the diary is built first)."""
        self.work.diary_panel.build()
        return self._open_button

    def build(self) -> None:
        """The upload, its report and the planned vs recorded table (once; the first open builds them)."""
        if self.built:
            return
        self.work.diary_panel.build()  # the diary holds this panel
        self.built = True
        self.upload = w.FileUpload(accept=ACCEPT, multiple=True, description="Add recorded walks",
                                   layout=w.Layout(width="auto")).add_class("tb-recordings-upload")
        self.report = w.HTML("").add_class("tb-recordings-report")
        self.weeks = w.HTML(self._weeks_html).add_class("tb-recordings-weeks")
        self.not_walks = w.VBox([]).add_class("tb-recordings-confirm")
        self.confirm_button = w.Button(description="Add the ticked ones anyway", icon="plus",
                                       layout=w.Layout(width="auto")).add_class("tb-recordings-add")
        set_visible(self.confirm_button, False)
        self.widget.children = [
            w.HTML("<b>Recorded walks</b><div class='tb-hint'>FIT, TCX or GPX files from the client's watch or "
                   "phone: each walk goes on its day with its minutes, distance, climb and load; pains stay "
                   "for you or the client to log.</div>"),
            self.upload, self.report, self.not_walks, self.confirm_button, self.weeks]
        self.upload.observe(self._on_upload, names="value")
        self.confirm_button.on_click(lambda _: self.add(self._ticked()))

    def _on_upload(self, change: dict) -> None:
        files = _uploaded(change["new"])
        if files:
            self.files = files
            self.add(())

    def _ticked(self) -> list[str]:
        return [box.description for box in self.not_walks.children if box.value]

    def add(self, confirm: Any) -> None:
        """Import :attr:`files` (``confirm``: labels of non-walks to add anyway); save; replan; report."""
        self.build()
        work = self.work
        try:
            profile = work.read_profile()
        except PlannerInputError:
            self._say(["Fix the fields marked ⚠ in the form first."], error=True)
            return
        try:
            base = work.planned_plan
            if base is None or base.profile != profile:
                base = make_plan(profile)
            result = import_recordings(profile, base, work.diary, self.files, confirm=confirm, today=work.today)
        except PlannerInputError as error:
            self._say([str(error)], error=True)
            return
        saved = []
        for entry in result.changed:
            if work.client_id is not None:
                try:
                    work.version = work.store.log_entry(work.client_id, entry, expected_version=work.version)
                except Exception as error:  # a conflict or a store error: stop here, say so
                    self._say([f"Stopped before {day_text(entry.date)}: {error}"], error=True)
                    break
            saved.append(entry)
        if saved:
            kept = {entry.date: entry for entry in work.diary}
            kept.update({entry.date: entry for entry in saved})
            work.diary = [kept[day] for day in sorted(kept)]
            work.diary_panel.show_entries(work.diary)
            work.replan()
            work._after_change()
        lines = [walk_line(walk) for walk in result.walks]
        if saved and work.client_id is None:
            lines.append("Not saved: create or pick a client to keep the diary.")
        self._say(lines)
        left_out = [walk.label for walk in result.walks if walk.outcome == NOT_A_WALK]
        self.not_walks.children = [w.Checkbox(description=label, value=False, indent=False)
                                   .add_class("tb-recordings-not-walk") for label in left_out]
        set_visible(self.confirm_button, bool(left_out))
        self.upload.value = ()

    def _say(self, lines: list[str], error: bool = False) -> None:
        self.build()
        css = "tb-error-text" if error else "tb-info-text"
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.report.value = f"<ul class='{css} tb-recordings-lines'>{items}</ul>"

    def week_sources(self, plan: Plan) -> list[str]:
        """Where each week's done load comes from (for the load chart); each week's walks done in
        words (:attr:`done_by_week`); the planned vs done table under the upload (the weeks with a
        recorded walk)."""
        work = self.work
        sources = weekly_sources(plan, work.diary)
        self.done_by_week = {int(week): done for week, done in zip(sources["week"], sources["done"])}
        planned = work.planned_plan
        rows = []
        for row in sources.itertuples():
            if not row.recorded_walks:
                continue
            planned_kj = "–"
            if planned is not None and row.week <= len(planned.weekly):
                planned_kj = f"{planned.weekly['load_kj'].iloc[row.week - 1]:.0f}"
            rows.append(f"<tr data-week='{row.week}'><td>{row.week}</td><td>{planned_kj}</td><td>{row.load_kj:.0f}</td>"
                        f"<td>{html.escape(row.done)}</td></tr>")
        self._weeks_html = ("<table class='tb-table tb-recordings-weekly'><tr><th>Week</th><th>Planned kJ</th>"
                            "<th>Done kJ</th><th>Done</th></tr>" + "".join(rows) + "</table>") if rows else ""
        if self.built:
            self.weeks.value = self._weeks_html
        return sources["source"].tolist()


def walk_line(walk: ImportedWalk) -> str:
    """``walk``'s message with its dates in the page's words ("Sun 29 Nov 2026"); the file name that
    starts it kept as it is (watch exports are often named by date: 2026-11-29-morning.fit)."""
    if walk.message.startswith(walk.label):
        return walk.label + dates_in_words(walk.message[len(walk.label):])
    return dates_in_words(walk.message)
