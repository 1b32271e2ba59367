"""The dashboard: composes the panels in the order of a session with a client, and replans.

Page order: the client bar; then the inputs (safety questions first, then pain, fitness, terrain,
goal) with the results beside them on a wide screen (the summary and red-flag banner first, then the
charts, the schedule, why this plan, the diary, files and sources); one column under 900 px, where
the one-line summary is also shown under the client bar.

Every input change replans at once; bursts of changes are coalesced into one replan when a kernel
event loop is running. ``App.replan()`` is synchronous for tests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator

import ipywidgets as w

from planner.adapt import adapt
from planner.export import text_in_units
from planner.plan import Plan, plan
from planner.profile import ClientProfile, PlannerInputError
from planner.ui.charts import PlanCharts
from planner.ui.clients import ClientWork, demo_notice_html
from planner.ui.compare_panel import ComparePanel
from planner.ui.dates import dates_in_words
from planner.ui.files import FilesPanel, read_profile_file
from planner.ui.form import DEFAULT_PROFILE, ProfileForm, default_profile
from planner.ui.safety import SafetyPanel
from planner.ui.schedule import ScheduleView
from planner.ui.sharing import share_equal_models
from planner.ui.sources import SourcesPanel
from planner.ui.style import STYLE, set_visible
from planner.ui.summary import SummaryPanel
from planner.ui.trail_panel import TERRAIN_TAB, TrailPanel

COALESCE_SECONDS = 0.0  # 0: changes handled in the same turn of the kernel's loop make one replan (typed values
# arrive one at a time; a window only delays the chart)
ROSTER_DELAY_SECONDS = 0.05  # in a kernel, the roster loads this long after the app is built
# One Tab stop each to the page's parts, so the keyboard need not walk every red-flag box to reach the pain
SKIP_LINKS = ("<nav class='tb-skip' aria-label='Parts of the page'>Go to: "
              + " · ".join(f"<a href='#{anchor}'>{name}</a>" for anchor, name in (
                  ("tb-safety-questions", "safety questions"), ("tb-answers", "pain, fitness, terrain, goal"),
                  ("tb-schedule", "schedule"), ("tb-diary", "diary"), ("tb-files", "files")))
              + "</nav>")
STATUS_WORDS = {"ok": "The plan above is up to date.", "stopped": "No walking plan: a red-flag answer stopped it.",
                "invalid": "The plan above is for the last valid answers.", "error": "The plan could not be updated."}
SECTION_NAMES = {"pain": "Pain", "fitness": "Fitness", "terrain": "Terrain", "goal": "Goal"}


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop when this code runs in a Jupyter kernel (Voila, Lab), else None."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    if getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class App:
    """The dashboard. ``widget`` is what the notebook displays; the panels are attributes for tests:
    ``clients`` (bar, diary, store), ``safety``, ``form``, ``trail``, ``summary``, ``compare`` (plan A
    kept beside the plan shown), ``charts``, ``schedule``, ``files``, ``sources``.

    ``today`` fixes the diary's "today" (default: the computer's date); ``store`` is a
    :class:`planner.store.Store` or a function making one (default: ``Store()``, opened on first use).
    """

    def __init__(self, profile: ClientProfile = DEFAULT_PROFILE, coalesce_seconds: float = COALESCE_SECONDS,
                 today: dt.date | None = None, store=None):
        self.coalesce_seconds = coalesce_seconds
        self.replan_count = 0
        self._pending = None
        self._started = 0.0  # perf_counter() at the start of the replan being shown (status: data-kernel-ms)
        self._quiet = 0
        self.default_start_date: dt.date | None = None  # the default plan's start, while it may follow the clock
        self.safety = SafetyPanel()
        self.form = ProfileForm(profile)
        self.trail = TrailPanel(on_change=self.request_replan)  # GPX trail in the Terrain tab
        self.trail.make_plan = self._plan_with_diary
        self.trail.attach(self.form)
        self.clients = ClientWork(self.read_profile, self.show_profile, self.replan, today, store,
                                  fresh_profile=lambda: default_profile(self.clients.today),
                                  on_switch=lambda: self.compare.clear())  # plan A was another client's
        with self.quietly():
            self.safety.set_flags(profile.pain.red_flags)
            self.clients.bar.name.value = profile.name
        self.current_plan: Plan = plan(self.read_profile())
        self.clients.planned_plan = self.current_plan
        self.clients.prefill_minutes()
        self.summary = SummaryPanel()
        self.compare = ComparePanel(on_swap=self._load_plan_a, trail_effort=lambda: self.trail.effort,
                                    on_pinned_change=self._on_pinned_change)
        self.charts = PlanCharts(self.current_plan)
        self.charts.widget.add_class("tb-charts")
        self.schedule = ScheduleView(lambda: self.form.system)
        self.sources = SourcesPanel()
        self.files = FilesPanel(lambda: self.current_plan, lambda: self.form.system, self.load_profile_file)
        self.notice = w.HTML().add_class("tb-notice")
        self.stale = w.HTML().add_class("tb-stale")
        self.notes = w.HTML().add_class("tb-notes")
        self.status = w.HTML().add_class("tb-status")
        self.plan_box = w.VBox([
            self.charts.widget, self.schedule.widget,
            w.HTML("<h2 class='tb-section-title'>Why this plan</h2>"), self.notes, self.clients.changes,
        ]).add_class("tb-plan")
        inputs = w.VBox([
            self.safety.widget,
            w.HTML("<h2 class='tb-section-title' id='tb-answers'>2 · Pain, fitness, terrain, goal</h2>"), self.form.widget,
        ]).add_class("tb-inputs")
        results = w.VBox([
            self.summary.widget, self.compare.widget, self.stale, self.plan_box, self.clients.diary_panel.widget, self.files.widget,
            self.sources.widget, self.status,
        ]).add_class("tb-results")
        self.demo_notice = w.HTML(demo_notice_html()).add_class("tb-demo")  # Binder: "public demo: ..."
        header = w.VBox([  # the page's banner landmark; tb-main its main (the Voila template sets the roles)
            self.demo_notice, w.HTML(STYLE + "<h1 class='tb-title'>Trailback: walking and hiking plan for back pain</h1>"
                   + SKIP_LINKS),
            self.notice, self.clients.bar.widget, self.summary.compact,
        ]).add_class("tb-header")
        self.widget = w.VBox([header, w.HBox([inputs, results]).add_class("tb-main")]).add_class("tb-app")
        share_equal_models(self.widget)
        # Below the fold, built once the page has drawn its chart (issue 22: the first paint carries
        # neither their models nor their drawing); reading any of their widgets builds them sooner.
        # The Fitness, Terrain and Goal tabs' fields are drawn then too (their models were shared above).
        self.built_later = (self.clients.diary_panel, self.files, self.trail)
        self.form.defer_hidden_tabs()
        self.form.tabs.observe(self._on_tab_opened, names="selected_index")
        self.charts.widget.after_first_draw(self.build_later)
        self.form.observe(self._on_input)
        self.safety.on_change(self._on_input)
        self.clients.bar.name.observe(self._on_input, names="value")
        self._show(self.current_plan)
        self.clients.mark_saved()
        loop = _kernel_loop()
        if loop is not None and self.clients._store is None:
            loop.call_later(ROSTER_DELAY_SECONDS, self._load_roster_if_needed)
        if loop is not None:  # another page's change to the open client shows here (no query until one is open)
            self.clients.watch(loop)
        if os.environ.get("VOILA_PREHEAT") == "True":  # voila.json: built before anyone asked for the page
            self.charts.widget.after_first_draw(self.refresh_for_visit)

    def _on_tab_opened(self, change: dict) -> None:
        """A tab opened (before the chart drew, too): the deferred tabs' fields are drawn, and on Terrain
        the trail picker is built (both once)."""
        index = change["new"]
        if index:  # not Pain (drawn from the start), not None
            self.form.fill_tabs()
        if index is not None and self.form.tabs.titles[index] == TERRAIN_TAB:
            self.trail.build()

    def build_later(self) -> None:
        """Build the panels kept out of the first paint (the diary, the files, the trail picker), the
        diary's and files' equal models shared, and put the hidden tabs' fields on the page."""
        self.form.fill_tabs()
        for panel in self.built_later:
            panel.build()
        for panel in (self.clients.diary_panel, self.files):  # not the whole page: widgets made since
            share_equal_models(panel.widget)  # the first sharing (e.g. a trail's) keep their own layouts

    # --- the profile on the page -------------------------------------------------------------
    def read_profile(self) -> ClientProfile:
        """The profile the page shows (name, red flags, inputs); raises PlannerInputError."""
        return self.form.profile(name=self.clients.bar.name.value.strip(), red_flags=self.safety.flags())

    def show_profile(self, profile: ClientProfile) -> None:
        """Put ``profile`` on the page without replanning."""
        with self.quietly():
            self.form.set_profile(profile)
            self.safety.set_flags(profile.pain.red_flags)
            self.clients.bar.name.value = profile.name

    # --- compatibility with the client work ------------------------------------------------------
    @property
    def today(self) -> dt.date:
        """The diary's "today"."""
        return self.clients.today

    @today.setter
    def today(self, value: dt.date | None) -> None:
        self.clients.fixed_today = value

    # --- pre-heated kernels ----------------------------------------------------------------------
    def _load_roster_if_needed(self) -> None:
        if not self.clients.roster_loaded:
            self.clients.refresh_roster()

    def refresh_for_visit(self) -> None:
        """In a Voila pre-heated kernel (``voila.json``) the app was built before anyone asked for the
        page, maybe hours before: once the visitor's page has drawn its chart, bring "today", the
        default start and the roster up to date. (Voila's own cue, ``voila.utils.wait_for_request``,
        reads the request-info socket that :mod:`planner.voila_server` closes: it returned at once, so
        the refresh ran when the kernel was heated, or late enough to undo a date the coach had typed.)"""
        clients = self.clients
        if clients.fixed_today is None and clients.diary_panel.day != clients.today:
            clients.diary_panel.day = clients.today
        if clients.roster_loaded:
            clients.refresh_roster()
        start = self.form.fields["start_date"].widget
        if self.default_start_date is not None and clients.client_id is None and start.value == self.default_start_date:
            self.default_start_date = default_profile(clients.today).goal.start_date
            start.value = self.default_start_date
            clients.mark_saved()

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
        """Replan now, or, inside a Jupyter kernel, once after the changes arriving together (within
        ``coalesce_seconds``, or in the same turn of the event loop when it is 0)."""
        loop = _kernel_loop()
        if loop is None:
            self.replan()
            return
        if self._pending is None:
            self._pending = (loop.call_later(self.coalesce_seconds, self.replan) if self.coalesce_seconds
                             else loop.call_soon(self.replan))

    # --- replanning -------------------------------------------------------------------------
    def replan(self) -> None:
        """Read the page, plan, and show the result (or the input errors); update the status last."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._started = time.perf_counter()
        try:
            profile = self.trail.apply(self.read_profile())
        except PlannerInputError as error:
            wrong = self.form.show_errors(getattr(error, "errors", [error]))
            self.stale.value = (f"<div class='tb-stale-text'>⚠ Fix {html.escape(', '.join(wrong) or 'the input')}: "
                                "the plan shown is for the last valid input.</div>")
            self._finish("invalid")
            return
        self.form.show_errors([])
        self.stale.value = ""
        try:
            self.current_plan = self.clients.with_diary(plan(profile))
            self._show(self.current_plan)
        except Exception as error:  # never a traceback on the page
            self.stale.value = (f"<div class='tb-stale-text'>Could not make a plan for this input "
                                f"({html.escape(type(error).__name__)}: {html.escape(str(error))}).</div>")
            self._finish("error")

    def _plan_with_diary(self, profile: ClientProfile) -> Plan:
        """A plan for ``profile`` adapted to the client's diary, as the page shows plans (for the
        trail panel's "more weeks" suggestion); no side effects on the page."""
        made = plan(profile)
        if not self.clients.diary:
            return made
        try:
            return adapt(profile, made, self.clients.diary, self.clients.today)
        except PlannerInputError:
            return made

    def _show(self, result: Plan) -> None:
        """Show ``result``: the charts first (each widget's message leaves the kernel as it is set, so
        the page starts drawing the charts while the rest is built), then the other panels."""
        system = self.form.system
        no_plan = result.stopped and not len(result.weekly)
        if not no_plan:
            self.charts.update(result, self.clients.planned_plan, compare=self.compare.pinned,
                               sources=self.clients.recordings_panel.week_sources(result))
        self.safety.show(result)
        self.summary.show(result, self.clients.why(result))
        self.trail.show(result)
        self.compare.show(result)
        self.files.show(result)
        self.notice.value = f"<div class='tb-notice-text'>{html.escape(result.education_notice)}</div>"
        if no_plan:
            set_visible(self.plan_box, False)
            self._finish("stopped")
            return
        set_visible(self.plan_box, True)
        # done_by_week: set by week_sources(result) for the load chart above
        self.schedule.show(result, done=self.clients.recordings_panel.done_by_week)
        self.notes.value = "<ul>" + "".join(f"<li>{html.escape(dates_in_words(text_in_units(note, system)))}</li>"
                                            for note in result.notes) + "</ul>"
        self.clients.show(result)
        self._finish("stopped" if result.stopped else "ok")

    def _finish(self, state: str) -> None:
        """Update the status marker last: browser tests wait on ``data-replans``."""
        self.replan_count += 1
        shown = self.current_plan
        kernel_ms = (time.perf_counter() - self._started) * 1000 if self._started else 0.0
        self._started = 0.0
        self.status.value = (f"<div class='tb-status-text' data-replans='{self.replan_count}' data-state='{state}' "
                             f"data-kernel-ms='{kernel_ms:.1f}' "
                             f"data-weeks='{len(shown.weekly)}' data-sessions='{len(shown.walking_sessions)}' "
                             f"style='color:#555;font-size:0.8em'>{STATUS_WORDS[state]}</div>")

    # --- plan A beside the plan shown ------------------------------------------------------------
    def _on_pinned_change(self, pinned: Plan | None) -> None:
        """Plan A kept, swapped or cleared: redraw the charts with it (faint) or without it."""
        if len(self.current_plan.weekly):
            self.charts.update(self.current_plan, self.clients.planned_plan, compare=pinned,
                               sources=self.clients.recordings_panel.week_sources(self.current_plan))

    def _load_plan_a(self, profile: ClientProfile) -> None:
        """Swap: put plan A's inputs on the page and replan (the result shows as the new B). While a
        trail sets the terrain, A's grade is the trail's: the coach's own grade stays in its field."""
        if self.trail.trail is not None and self.trail.trail.has_elevation:
            own_grade = self.form.fields["grade_percent"].widget.value
            with self.quietly():
                self.show_profile(profile)
                self.form.fields["grade_percent"].widget.value = own_grade
        else:
            self.show_profile(profile)
        self.replan()

    # --- profile files ------------------------------------------------------------------------
    def load_profile_file(self, text: str | bytes) -> None:
        """Show the profile in ``text`` (a profile file) and replan; its unit choice comes with it;
        a bad file gets a message; sections the file leaves out are named."""
        try:
            profile, units, missing = read_profile_file(text)
        except PlannerInputError as error:
            field = self.form.fields.get(error.field)
            label = field.label if field else OTHER_FILE_FIELDS.get(error.field)
            if error.field == "profile":
                found = error.received if isinstance(error.received, str) else f"not {error.allowed}"
                reason = f"this is not a Trailback profile file ({found})"
            elif label:
                reason = f"{label} must be {error.allowed} (the file has {error.received_text})"
            else:
                reason = str(error)
            self.files.say(f"Could not open it: {reason}.", error=True)
            return
        if units is not None:
            self.form.set_system(units)
        self.show_profile(profile)
        named = f" for {profile.name}" if profile.name else ""
        if missing:
            sections = ", ".join(SECTION_NAMES[name] for name in missing)
            self.files.say(f"Opened the profile{named}. The file has no {sections} section: those fields show "
                           "the defaults — check them.", error=True)
        else:
            self.files.say(f"Opened the profile{named}.")
        self.replan()


#: Labels of the profile file's fields that are not form fields, for messages in the coach's words.
OTHER_FILE_FIELDS = {"name": "Client name", "red_flags": "Safety answers", "units": "Units"}


def build_app(profile: ClientProfile | None = None, today: dt.date | None = None, store=None) -> App:
    """The dashboard with ``profile`` (default: the defaults starting next Monday, a real plan);
    ``today``/``store`` as in :class:`App`."""
    app = App(profile or default_profile(today), today=today, store=store)
    app.default_start_date = None if profile else app.form.profile().goal.start_date
    return app
