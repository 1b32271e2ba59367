"""The dashboard app: the form, the plan (charts, schedule, notes, downloads) and the red-flag banner.

Every input change replans at once; bursts of changes (a slider drag) are coalesced into one replan
when a kernel event loop is running. ``App.replan()`` is synchronous for tests.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import html
import json
import os
import sys
from contextlib import contextmanager
from typing import Iterator

import ipywidgets as w

from planner.ui.roster import ClientsAndDiary, changes_html

from planner.export import sessions_csv, sessions_ics
from planner.plan import Plan, plan
from planner.profile import ClientProfile, PlannerInputError
from planner.safety import Tier
from planner.ui.charts import PlanCharts
from planner.ui.form import DEFAULT_PROFILE, ProfileForm, default_profile
from planner.ui.sharing import share_equal_models
from planner.ui.trail_panel import TrailPanel
from planner.units import MASS, SPEED

ALL_WEEKS = 0
COALESCE_SECONDS = 0.01  # changes arriving within this window after the first make one replan
MAX_UPLOAD_BYTES = 200_000
STYLE = """<style>
.tb-banner-box {border-radius:6px; padding:14px 18px; margin:8px 0; font-size:1.05em}
.tb-banner-emergency {background:#b00020; color:white}
.tb-banner-urgent {background:#f3c200; color:#222}
.tb-banner-box h2 {margin:0 0 6px 0; font-size:1.3em; color:inherit}
.tb-review {background:#fff4ce; padding:8px 12px; border-left:4px solid #f3c200; margin:6px 0}
.tb-notice-text {background:#eef4fb; padding:8px 12px; border-left:4px solid #0072b2; margin:6px 0}
.tb-error-text {color:#b00020; font-size:0.92em; padding-left:8px; white-space:normal}
.tb-stale-text {color:#7a4b00; background:#fff4ce; padding:6px 10px}
.tb-week {content-visibility:auto; contain-intrinsic-size:auto 1100px}
.tb-week h4 {margin:10px 0 2px 0}
table.tb-table {border-collapse:collapse; font-size:0.88em; line-height:1.35; width:100%}
table.tb-table th, table.tb-table td {border-bottom:1px solid #ddd; padding:4px 6px; text-align:left;
  vertical-align:top}
table.tb-table tr.tb-rest td {color:#888}
table.tb-table td.tb-cues {width:40%}
.tb-downloads a {margin-right:14px; color:#0b5cad; text-decoration:underline}
</style>"""


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop when this code runs in a Jupyter kernel (Voila, Lab), else None."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    if getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


class App(ClientsAndDiary):
    """The dashboard. ``widget`` is what the notebook displays; other attributes are for tests.

    ``today`` fixes the diary's "today" (default: the computer's date); ``store`` is a
    :class:`planner.store.Store` or a function making one (default: ``Store()``, opened on first use).
    """

    def __init__(self, profile: ClientProfile = DEFAULT_PROFILE, coalesce_seconds: float = COALESCE_SECONDS,
                 today: dt.date | None = None, store=None):
        self.coalesce_seconds = coalesce_seconds
        self.replan_count = 0
        self._pending = None
        self._quiet = 0
        self.form = ProfileForm(profile)
        self.trail = TrailPanel(on_change=self.request_replan)  # GPX trail in the Terrain tab
        self.trail.attach(self.form)
        self.current_plan: Plan = plan(self.form.profile())
        self.charts = PlanCharts(self.current_plan)
        self.charts.widget.add_class("tb-charts")
        self.notice = w.HTML().add_class("tb-notice")
        self.banner = w.HTML(layout=w.Layout(display="none")).add_class("tb-banner")
        self.review = w.HTML().add_class("tb-review-box")
        self.stale = w.HTML().add_class("tb-stale")
        self.notes = w.HTML().add_class("tb-notes")
        self.week_filter = w.Dropdown(description="Show", options=[("All weeks", ALL_WEEKS)], value=ALL_WEEKS,
                                      layout=w.Layout(width="220px")).add_class("tb-week-filter")
        self.table = w.HTML().add_class("tb-schedule")
        self.downloads = w.HTML().add_class("tb-downloads")
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False,
                                   description="Load profile (.json)").add_class("tb-upload")
        self.upload_message = w.HTML().add_class("tb-upload-message")
        self.status = w.HTML().add_class("tb-status")
        self._setup_clients_and_diary(today, store)  # Clients and Diary panels (planner.ui.roster)
        self.plan_box = w.VBox([
            self.review, self.charts.widget,
            w.HTML("<h3>Schedule</h3>"), self.week_filter, self.table, w.HTML("<h3>Why this plan</h3>"),
            self.notes, self.changes,
        ]).add_class("tb-plan")
        inputs = w.VBox([
            self.clients.widget, self.diary_panel.widget,
            self.form.widget, w.HBox([self.upload, self.upload_message]),
        ], layout=w.Layout(flex="0 1 640px", min_width="520px")).add_class("tb-inputs")
        results = w.VBox([
            self.stale, self.banner, self.downloads, self.plan_box, self.status,
        ], layout=w.Layout(flex="1 1 640px", min_width="520px")).add_class("tb-results")
        self.widget = w.VBox([
            w.HTML(STYLE + "<h2>Trailback: walking and hiking plan for back pain</h2>"),
            self.notice,
            w.HBox([inputs, results], layout=w.Layout(flex_flow="row wrap", align_items="flex-start")),
        ]).add_class("tb-app")
        share_equal_models(self.widget, own_layout=(self.banner, self.plan_box, self.clients.confirm))
        self.form.observe(self._on_input)
        self.week_filter.observe(self._on_week, names="value")
        self.upload.observe(self._on_upload, names="value")
        self._show(self.current_plan)
        if _kernel_loop() is not None and self._store is None:
            self.load_roster_soon(_kernel_loop())
        if _kernel_loop() is not None and os.environ.get("VOILA_PREHEAT") == "True":
            self.refresh_when_page_requested(_kernel_loop())

    default_start_date: dt.date | None = None  # the default plan's start, while it may follow the clock

    def _on_page_requested(self) -> None:
        """A pre-heated app (see roster.py) also moves an untouched default start to next Monday."""
        super()._on_page_requested()
        start = self.form.fields["start_date"].widget
        if self.default_start_date is not None and self.client_id is None and start.value == self.default_start_date:
            self.default_start_date = default_profile(self.today).goal.start_date
            start.value = self.default_start_date

    # --- scheduling -------------------------------------------------------------------------
    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Ignore input changes inside the block (the caller replans once after)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _on_input(self, change: dict) -> None:
        if self._quiet or self.form.busy:
            return
        self.request_replan()

    def request_replan(self) -> None:
        """Replan now, or, inside a Jupyter kernel, once shortly after the first of a burst of changes.

        Changes that arrive while a replan is pending join it (the replan reads the latest values), so a
        slider drag never queues stale redraws, and a long drag still redraws every few milliseconds.
        """
        loop = _kernel_loop()
        if loop is None or not self.coalesce_seconds:
            self.replan()
            return
        if self._pending is None:
            self._pending = loop.call_later(self.coalesce_seconds, self.replan)

    # --- replanning -------------------------------------------------------------------------
    def replan(self) -> None:
        """Read the form, plan, and show the result (or the input errors); update the status last."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            profile = self.trail.apply(self.form.profile())
        except PlannerInputError as error:
            self.form.show_errors(getattr(error, "errors", [error]))
            self.stale.value = ("<div class='tb-stale-text'>Fix the field marked ⚠: the plan below is for the "
                                "last valid input.</div>")
            self._finish("invalid")
            return
        self.form.show_errors([])
        self.stale.value = ""
        try:
            self.current_plan = self.with_diary(plan(profile))
            self._show(self.current_plan)
        except Exception as error:  # never a traceback on the page
            self.stale.value = (f"<div class='tb-stale-text'>Could not make a plan for this input "
                                f"({html.escape(type(error).__name__)}: {html.escape(str(error))}).</div>")
            self._finish("error")

    def _show(self, result: Plan) -> None:
        self.trail.show(result)
        self.notice.value = f"<div class='tb-notice-text'>{html.escape(result.education_notice)}</div>"
        if result.stopped:
            emergency = result.safety.tier == Tier.EMERGENCY
            heading = "Emergency: go to A&amp;E / the emergency department now" if emergency else \
                "See a doctor today: no walking plan yet"
            reasons = "".join(f"<li>{html.escape(flag.label)} ({html.escape(flag.source)})</li>"
                              for flag in result.safety.triggered)
            self.banner.value = (
                f"<div class='tb-banner-box tb-banner-{'emergency' if emergency else 'urgent'}' role='alert' "
                f"data-tier='{result.safety.tier.name.lower()}'><h2>{heading}</h2>"
                f"<p>{html.escape(result.safety.message)}</p><p>Because you answered:</p><ul>{reasons}</ul></div>")
            self.banner.layout.display = ""
            self.plan_box.layout.display = "none"
            self.downloads.value = self._profile_link(result.profile)
            self._finish("stopped")
            return
        self.banner.value = ""
        self.banner.layout.display = "none"
        self.plan_box.layout.display = ""
        review = next((note for note in result.notes if result.safety.message and note.startswith(result.safety.message)),
                      "")
        self.review.value = (f"<div class='tb-review'>{html.escape(review)}</div>"
                             if result.safety.tier == Tier.REVIEW else "")
        self.charts.update(result, self.planned_plan)
        self._update_week_filter(result)
        self.table.value = self._table_html(result)
        self.notes.value = "<ul>" + "".join(f"<li>{html.escape(note)}</li>" for note in result.notes) + "</ul>"
        self.changes.value = changes_html(result)
        self.downloads.value = self._download_links(result)
        self._finish("ok")

    def _finish(self, state: str) -> None:
        """Update the status marker last: browser tests wait on ``data-replans``."""
        self.replan_count += 1
        shown = self.current_plan
        self.status.value = (f"<div class='tb-status-text' data-replans='{self.replan_count}' data-state='{state}' "
                             f"data-weeks='{len(shown.weekly)}' data-sessions='{len(shown.walking_sessions)}' "
                             f"style='color:#999;font-size:0.8em'>Plan updated ({self.replan_count}, {state})</div>")

    # --- schedule table ---------------------------------------------------------------------
    def _update_week_filter(self, result: Plan) -> None:
        options = [("All weeks", ALL_WEEKS)] + [(f"Week {week}", week) for week in result.weekly["week"]]
        if list(self.week_filter.options) != options:
            keep = self.week_filter.value if self.week_filter.value in dict(options).values() else ALL_WEEKS
            with self.quietly():
                self.week_filter.options = options
                self.week_filter.value = keep

    def _on_week(self, change: dict) -> None:
        if self._quiet:
            return
        self.table.value = self._table_html(self.current_plan)

    def _table_html(self, result: Plan) -> str:
        """The schedule (rest days included) in the display units: one table per week under a heading,
        so the header repeats as the coach scrolls and the browser lays out only the weeks on screen
        (``content-visibility: auto``; page load)."""
        system = self.form.system
        sessions = result.sessions
        if self.week_filter.value != ALL_WEEKS:
            sessions = sessions[sessions["week"] == self.week_filter.value]
        mass_unit, speed_unit = MASS.unit(system), SPEED.unit(system)
        head = ("Date", "Day", "Session", "Total (min)", "Surface", "Grade (%)", f"Pack ({mass_unit})",
                f"Pace ({speed_unit})", "Load (kJ)", "Cues", "Sources")  # week and phase: in the heading
        header = "".join(f"<th>{html.escape(name)}</th>" for name in head)
        weeks: dict[int, list[str]] = {}
        phases: dict[int, list[str]] = {}
        for row in sessions.itertuples(index=False):
            if row.phase not in phases.setdefault(row.week, []):
                phases[row.week].append(row.phase)
            weeks.setdefault(row.week, []).append(self._row_html(row, system))
        blocks = [f"<div class='tb-week' data-week='{week}'><h4>Week {week}: {html.escape(', '.join(phases[week]))}</h4>"
                  f"<table class='tb-table'><thead><tr>{header}</tr></thead>"
                  f"<tbody>{''.join(rows)}</tbody></table></div>" for week, rows in weeks.items()]
        return "".join(blocks)

    @staticmethod
    def _row_html(row, system: str) -> str:
        """One schedule row (a session or a rest day)."""
        if row.kind == "rest":
            return (f"<tr class='tb-rest'><td>{row.date.isoformat()}</td><td>{row.weekday}</td><td>rest</td><td>0</td>"
                    f"<td colspan='5'></td><td class='tb-cues'>{html.escape(row.cues)}</td><td></td></tr>")
        session = (f"{row.kind}: {row.bouts} x {row.bout_minutes} min, {row.rest_minutes} min rests"
                   if row.bouts > 1 else f"{row.kind}")
        if row.status != "planned":  # logged in the diary: what was done vs planned
            session += f" ({row.status}, planned {row.planned_minutes} min)"
        return (f"<tr class='tb-session'><td>{row.date.isoformat()}</td><td>{row.weekday}</td>"
                f"<td>{html.escape(session)}</td><td>{row.total_minutes}</td>"
                f"<td>{html.escape(row.surface)}</td><td>{row.grade_percent:g}</td>"
                f"<td>{MASS.to_display(row.pack_kg, system):g}</td><td>{SPEED.to_display(row.speed_kmh, system):g}</td>"
                f"<td>{row.load_kj:g}</td><td class='tb-cues'>{html.escape(row.cues)}</td>"
                f"<td>{html.escape(row.sources)}</td></tr>")

    # --- downloads and profile files --------------------------------------------------------
    @staticmethod
    def _profile_link(profile: ClientProfile) -> str:
        payload = json.dumps(profile.to_dict(), indent=2).encode()
        return (f"<a class='tb-download-profile' download='trailback-profile.json' "
                f"href='{_data_uri('application/json', payload)}'>Save profile (.json)</a>")

    def _download_links(self, result: Plan) -> str:
        csv_uri = _data_uri("text/csv", sessions_csv(result).encode())
        ics_uri = _data_uri("text/calendar", sessions_ics(result))
        return (f"<a class='tb-download-csv' download='trailback-plan.csv' href='{csv_uri}'>Download schedule "
                f"(.csv)</a><a class='tb-download-ics' download='trailback-plan.ics' href='{ics_uri}'>Add to "
                f"calendar (.ics)</a>" + self._profile_link(result.profile))

    def load_profile_json(self, text: str | bytes) -> None:
        """Show the profile in ``text`` (JSON from "Save profile") and replan; bad files get a message."""
        from planner.store import profile_from_json  # SQLAlchemy is imported after the first paint

        try:
            profile = profile_from_json(text)
        except PlannerInputError as error:  # every bad file ends here (bad JSON too)
            self.upload_message.value = f"<span class='tb-error-text'>⚠ Could not load: {html.escape(str(error))}</span>"
            return
        with self.quietly():
            self.form.set_profile(profile)
        self.upload_message.value = f"<span>Loaded profile{(' for ' + html.escape(profile.name)) if profile.name else ''}.</span>"
        self.replan()

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        content = bytes(upload["content"])
        if len(content) > MAX_UPLOAD_BYTES:
            self.upload_message.value = "<span class='tb-error-text'>⚠ That file is too large for a profile.</span>"
            return
        self.load_profile_json(content)
        self.upload.value = ()  # so the same file can be chosen again


def build_app(profile: ClientProfile | None = None, today: dt.date | None = None, store=None) -> App:
    """The dashboard with ``profile`` (default: the defaults starting next Monday, a real plan);
    ``today``/``store`` as in :class:`App`."""
    app = App(profile or default_profile(today), today=today, store=store)
    app.default_start_date = None if profile else app.form.profile().goal.start_date
    return app
