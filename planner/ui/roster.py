"""Clients and diary for the dashboard: the store, the selected client, the diary and "today".

:class:`ClientsAndDiary` is mixed into :class:`planner.ui.app.App`. Every diary change is saved for the
selected client at once, then the plan is rebuilt with ``planner.adapt``; store and input problems are
shown as messages beside the panel, never as tracebacks. The store is opened on first use (in a
kernel: just after the page is drawn), so importing SQLAlchemy does not delay the first paint.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from dataclasses import replace
from typing import Any, Callable

import ipywidgets as w

from planner.adapt import DiaryEntry, adapt
from planner.plan import Plan
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import HOLD, STEP_BACK, STOPPED
from planner.ui.clients import ClientsPanel
from planner.ui.diary import DiaryPanel

ROSTER_DELAY_SECONDS = 0.05  # in a kernel, the roster loads this long after the app is built
CHANGED = (HOLD, STEP_BACK, STOPPED)
CHANGES_STYLE = """<style>
.tb-changes-list li {margin:3px 0}
.tb-change-hold {border-left:4px solid #f3c200; padding-left:6px}
.tb-change-step-back, .tb-change-stopped {border-left:4px solid #d55e00; padding-left:6px}
.tb-info-text {color:#225; padding-left:8px}
.tb-confirm-text {padding:4px 8px; background:#fde8ea}
</style>"""


def _store_errors() -> tuple[type[Exception], ...]:
    from planner.store import StoreError

    return (StoreError, PlannerInputError)


def changes_html(result: Plan) -> str:
    """The "Plan changes" list: each held / stepped-back / stopped week with its reason."""
    weekly = result.weekly
    items = []
    for week, adjustment, reason in zip(weekly["week"], weekly["adjustment"], weekly["reason"]):
        if adjustment in CHANGED and reason:
            items.append(f"<li class='tb-change tb-change-{adjustment.replace(' ', '-')}' data-week='{week}' "
                         f"data-adjustment='{html.escape(adjustment)}'><b>Week {week}: {html.escape(adjustment)}</b>"
                         f" — {html.escape(reason)}</li>")
    if not items:
        return ""
    return CHANGES_STYLE + "<h3>Plan changes from the diary</h3><ul class='tb-changes-list'>" + "".join(items) + "</ul>"


class ClientsAndDiary:
    """State and actions of the Clients and Diary panels (``App`` provides form, replan, quietly)."""

    form: Any
    replan: Callable[[], None]
    quietly: Callable[[], Any]

    def _setup_clients_and_diary(self, today: dt.date | None, store: Any) -> None:
        """``today``: a fixed date (tests) or None for the clock; ``store``: a Store, a factory, or None."""
        self.fixed_today = today
        self._store = store
        self._store_factory = store if callable(store) and not hasattr(store, "list_clients") else None
        if self._store_factory is not None:
            self._store = None
        self.client_id: int | None = None
        self.diary: list[DiaryEntry] = []
        self.planned_plan: Plan | None = getattr(self, "current_plan", None)  # the plan before the diary
        self.roster_loaded = False
        self.changes = w.HTML("").add_class("tb-changes")
        self.clients = ClientsPanel(self)
        self.diary_panel = DiaryPanel(self)
        self.diary_panel.date.observe(self._on_diary_date, names="value")
        self._on_diary_date({"new": self.diary_panel.date.value})  # today's planned minutes, if any
        if self._store is not None:
            self.refresh_roster()

    def load_roster_soon(self, loop: Any) -> None:
        """In a kernel: show the roster just after the page is drawn."""
        loop.call_later(ROSTER_DELAY_SECONDS, self._load_roster_if_needed)

    def _load_roster_if_needed(self) -> None:
        if not self.roster_loaded:
            self.refresh_roster()

    def refresh_when_page_requested(self, loop: Any) -> None:
        """In a Voila pre-heated kernel (``voila.json``): the app was built before anyone asked for the
        page, maybe hours ago. When the page is requested, bring the diary's "today" and the roster (other
        pages may have changed the store) up to date. The wait runs in a thread: the kernel stays free."""
        def wait() -> None:
            try:
                from voila.utils import wait_for_request
                wait_for_request()
            except Exception:  # no Voila, or the request never came: nothing to refresh
                return
            loop.call_soon_threadsafe(self._on_page_requested)

        threading.Thread(target=wait, name="trailback-wait-for-page", daemon=True).start()

    def _on_page_requested(self) -> None:
        if self.fixed_today is None and self.diary_panel.date.value != self.today:
            self.diary_panel.date.value = self.today
        if self.roster_loaded:
            self.refresh_roster()

    @property
    def today(self) -> dt.date:
        """The fixed date given to the app, else the computer's date (the engine never reads the clock)."""
        return self.fixed_today or dt.date.today()

    @today.setter
    def today(self, value: dt.date | None) -> None:
        self.fixed_today = value

    @property
    def store(self):
        """The :class:`planner.store.Store`, opened on first use."""
        if self._store is None:
            if self._store_factory is None:
                from planner.store import Store

                self._store_factory = Store
            self._store = self._store_factory()
        return self._store

    @property
    def client_name(self) -> str:
        """The selected client's name as shown in the form."""
        return self.form.client_name.value

    # --- plan --------------------------------------------------------------------------------
    def with_diary(self, base: Plan) -> Plan:
        """``base`` adapted to the diary (``base`` itself when the diary is empty or does not fit it)."""
        self.planned_plan = base
        if not self.diary:
            return base
        try:
            return adapt(base.profile, base, self.diary, self.today)
        except PlannerInputError as error:
            self.diary_panel.say(f"The diary does not fit this plan, so it is not applied: {error}", error=True)
            return base

    def _on_diary_date(self, change: dict) -> None:
        day = change["new"]
        if self.planned_plan is None or day is None:
            return
        sessions = self.planned_plan.sessions
        minutes = sessions.loc[sessions["date"] == day, "total_minutes"]
        self.diary_panel.suggest_minutes(int(minutes.iloc[0]) if len(minutes) else None)

    # --- diary -------------------------------------------------------------------------------
    def log_from_panel(self) -> None:
        """The Log button: validate the panel's entry and log it."""
        try:
            entry = self.diary_panel.read_entry()
        except PlannerInputError as error:
            self.diary_panel.show_error(error)
            return
        self.log_entry(entry)

    def log_entry(self, entry: DiaryEntry) -> bool:
        """Check ``entry`` against the plan, save it for the client, replan. False (and a message) if not."""
        panel = self.diary_panel
        panel.show_error(None)
        try:
            profile = self.form.profile()
        except PlannerInputError:
            panel.say("Fix the fields marked ⚠ in the form first.", error=True)
            return False
        from planner.plan import plan as make_plan

        diary = sorted([e for e in self.diary if e.date != entry.date] + [entry], key=lambda e: e.date)
        replaced = len(diary) == len(self.diary)
        try:
            adapt(profile, make_plan(profile), diary, self.today)
        except PlannerInputError as error:
            panel.show_error(error)
            return False
        if self.client_id is not None:
            try:
                self.store.log_entry(self.client_id, entry)
            except _store_errors() as error:
                panel.say(f"Not saved, so not logged: {error}", error=True)
                return False
        self.diary = diary
        panel.show_entries(self.diary)
        self.replan()
        where = (f"saved for {self.client_name or 'this client'}" if self.client_id is not None
                 else "not saved: create or pick a client to keep the diary")
        panel.say(f"{'Replaced' if replaced else 'Logged'} {entry.date.isoformat()} ({where}).")
        return True

    def remove_entry(self, date: dt.date) -> None:
        """Delete the entry of ``date`` (from the store too) and replan."""
        if self.client_id is not None:
            try:
                self.store.delete_entry(self.client_id, date)
            except _store_errors() as error:
                self.diary_panel.say(f"Could not remove it: {error}", error=True)
                return
        self.diary = [e for e in self.diary if e.date != date]
        self.diary_panel.show_entries(self.diary)
        self.replan()
        self.diary_panel.say(f"Removed {date.isoformat()}.")

    # --- clients -----------------------------------------------------------------------------
    def refresh_roster(self) -> None:
        """Show the clients whose name contains the search text."""
        try:
            clients = self.store.list_clients(self.clients.search.value.strip())
        except _store_errors() as error:
            self.clients.say(f"The client list cannot be opened: {error}", error=True)
            return
        self.roster_loaded = True
        self.clients.show_roster(clients, self.client_id)

    def _ensure_roster(self) -> None:
        if not self.roster_loaded:
            self.refresh_roster()

    def select_client(self, client_id: int) -> None:
        """Load a client: the form shows their profile, the diary theirs; replan."""
        self._ensure_roster()
        try:
            record = self.store.load_client(client_id)
        except _store_errors() as error:
            self.clients.say(f"Could not open that client: {error}", error=True)
            return
        self.client_id = client_id
        with self.quietly():
            self.form.set_profile(record.profile)
        self.diary = list(record.diary)
        self.clients.hide_confirm()
        self.clients.name.value = record.profile.name
        self.diary_panel.show_entries(self.diary)
        self.diary_panel.show_error(None)
        self.replan()
        self.clients.show_roster(self._listed(), client_id)
        self.clients.say(f"Opened {record.profile.name or f'client #{client_id}'} "
                         f"({len(record.diary)} diary entries).")

    def _listed(self):
        try:
            return self.store.list_clients(self.clients.search.value.strip())
        except _store_errors():
            return []

    def _form_profile(self) -> ClientProfile | None:
        try:
            return self.form.profile()
        except PlannerInputError:
            self.clients.say("Fix the fields marked ⚠ in the form first.", error=True)
            return None

    def new_client(self, name: str) -> int | None:
        """Save the form's inputs as a new client named ``name`` (with the unsaved diary, if any)."""
        self._ensure_roster()
        name = (name or "").strip() or self.client_name.strip()
        if not name:
            self.clients.say("Type the client's name first.", error=True)
            return None
        profile = self._form_profile()
        if profile is None:
            return None
        profile = replace(profile, name=name)
        diary = self.diary if self.client_id is None else []
        try:
            client_id = self.store.create_client(profile, diary)
        except _store_errors() as error:
            self.clients.say(f"Could not create the client: {error}", error=True)
            return None
        self.client_id = client_id
        with self.quietly():
            self.form.client_name.value = name
        self.clients.name.value = name
        self.diary = list(diary)
        self.diary_panel.show_entries(self.diary)
        self.replan()
        self.clients.show_roster(self._listed(), client_id)
        self.clients.say(f"Created {name}.")
        return client_id

    def save_client(self) -> None:
        """Save the form's inputs for the selected client (the diary is saved as it is logged)."""
        if self.client_id is None:
            self.clients.say("Pick or create a client first.", error=True)
            return
        profile = self._form_profile()
        if profile is None:
            return
        try:
            self.store.save_client(self.client_id, profile)
        except _store_errors() as error:
            self.clients.say(f"Not saved: {error}", error=True)
            return
        self.clients.show_roster(self._listed(), self.client_id)
        self.clients.say(f"Saved {profile.name or f'client #{self.client_id}'}.")

    def rename_client(self, name: str) -> None:
        """Rename the selected client to ``name``."""
        name = (name or "").strip()
        if self.client_id is None:
            self.clients.say("Pick a client to rename first.", error=True)
            return
        if not name:
            self.clients.say("Type the new name first.", error=True)
            return
        try:
            self.store.rename_client(self.client_id, name)
        except _store_errors() as error:
            self.clients.say(f"Not renamed: {error}", error=True)
            return
        with self.quietly():
            self.form.client_name.value = name
        self.replan()
        self.clients.show_roster(self._listed(), self.client_id)
        self.clients.say(f"Renamed to {name}.")

    def delete_client(self) -> None:
        """Delete the selected client (the confirmation step's "Yes")."""
        self.clients.hide_confirm()
        if self.client_id is None:
            self.clients.say("Pick a client to delete first.", error=True)
            return
        name = self.client_name or f"client #{self.client_id}"
        try:
            self.store.delete_client(self.client_id)
        except _store_errors() as error:
            self.clients.say(f"Not deleted: {error}", error=True)
            return
        self.client_id = None
        self.diary = []
        self.diary_panel.show_entries(self.diary)
        self.clients.name.value = ""
        self.replan()
        self.clients.show_roster(self._listed(), None)
        self.clients.say(f"Deleted {name} and their diary.")
