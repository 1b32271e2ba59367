"""Client work: the store, the selected client, their diary, and what the client bar and the diary
panel's buttons do.

Every diary change is saved for the selected client at once, then the plan is rebuilt with
``planner.adapt``; store and input problems are messages, never tracebacks. The store is opened on
first use (in a kernel: just after the page is drawn), so importing SQLAlchemy does not delay the
first paint. Switching client (or starting a new one) with unsaved edits asks first.

Several coaches on one store: the version of the client as opened is kept (``version``) and given as
``expected_version`` to every save, log, removal and delete; a client changed meanwhile gets the
conflict message beside the client bar with Reload, and the page keeps the coach's edits. The picker
lists each client's state from one ``Store.roster(today)`` query when the page opens (and on a pre-heated
kernel's page request); after that, what this page opens, saves or logs re-judges only that client
(a full roster of 1,000 takes over a second), so other coaches' changes to other clients show in the
picker on the next page load; the open client's show within seconds (below).
The History section shows who changed what, with export and import of a client file.

A client changed on another page (another coach, another tab) shows here without a reload: in a kernel
the page asks the store for the open client's version every ``DEFAULT_CHANGE_CHECK_SECONDS`` (one
small query; :meth:`ClientWork.check_for_changes`). Without unsaved edits the page takes the stored
client (diary, state, plan) and says who changed what; with unsaved edits it keeps them and says that
saving would be refused and what to do (the conflict message with Reload).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from typing import Any, Callable

import ipywidgets as w

from planner.adapt import DiaryEntry, adapt
from planner.plan import Plan, plan as make_plan
from planner.profile import ClientProfile, PlannerInputError
from planner.progression import HOLD, PROGRESS, STEP_BACK, STOPPED
from planner.status import NOTHING_LOGGED, ClientState, client_state
from planner.ui.client_bar import NOT_SAVED, ClientBar
from planner.ui.dates import dates_in_words, day_text
from planner.ui.diary import DiaryPanel
from planner.ui.recordings import RecordingsPanel

CHANGED = (HOLD, STEP_BACK, STOPPED)
# How often an open page asks the store whether its client was changed elsewhere: issue 23 asks for
# another page's diary entry "within a few seconds"; each check is one indexed one-row query, so even
# 100 open pages make ~30 small queries a second.
DEFAULT_CHANGE_CHECK_SECONDS = 3.0
MAX_CLIENT_FILE_BYTES = 2_000_000  # a client file: a profile and years of diary fit well under this


def demo_notice_html() -> str:
    """The public-demo warning for the top of the page ("" when not on a public demo such as Binder)."""
    from planner.store import public_demo_notice

    notice = public_demo_notice()
    if notice is None:
        return ""
    return ("<div class='tb-demo-notice' role='alert' style='background:#fff4e5;border:2px solid #b35900;"
            "border-radius:4px;padding:6px 10px;margin:4px 0 8px 0;font-weight:600;color:#5a2d00;white-space:normal'>"
            f"⚠ {html.escape(notice)}</div>")


def _conflict_error() -> type[Exception]:
    from planner.store import StoreConflictError

    return StoreConflictError


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
                         f" — {html.escape(dates_in_words(reason))}</li>")
    if not items:
        return ""
    return "<h2 class='tb-section-title' id='tb-changes'>Plan changes from the diary</h2><ul class='tb-changes-list'>" + "".join(items) + "</ul>"


WHY_WORDS = {HOLD: "This week holds at last week's walks", STEP_BACK: "This week steps back to shorter walks",
             STOPPED: "No more walks: see a clinician", PROGRESS: "This week progresses as planned"}


def why_html(result: Plan, today: dt.date, state: ClientState | None) -> str:
    """One sentence for the top of the page after a diary change: what the plan does in the week that
    holds ``today`` and why (hold / step back / progress / stopped, the engine's reason), linked to
    the detail; then "check in" when the client bar's ``state`` says nothing was logged lately."""
    weekly = result.weekly
    this_week = weekly[(weekly["start_date"] <= today)].tail(1)
    parts = []
    if len(this_week):
        adjustment = this_week["adjustment"].item() or PROGRESS
        reason = this_week["reason"].item() or "the diary's pains were within the limits"
        week = int(this_week["week"].item())
        target, words = ("#tb-changes", "why, week by week") if adjustment in CHANGED else ("#tb-diary", "the diary")
        parts.append(f"<b>{WHY_WORDS.get(adjustment, adjustment)}</b> (week {week}): {html.escape(dates_in_words(reason))} "
                     f"(<a href='{target}'>{words}</a>).")
    else:
        adjustment = ""
    if state is not None and state.state == NOTHING_LOGGED:
        since = state.reason.removesuffix(": check in with the client")  # the roster's words, said once
        parts.append(f"<b>Check in with the client</b>: {html.escape(dates_in_words(since))}.")
    if not parts:
        return ""
    return f"<div class='tb-why' data-adjustment='{html.escape(adjustment)}'>{' '.join(parts)}</div>"


def change_words(items: list) -> str:
    """The last of ``items`` (the store's HistoryItem, oldest first) in words: "Coach Bea logged an
    entry of Tue 25 Nov 2026 at 10:03 UTC", with "(and 2 more changes)" when there are more."""
    if not items:
        return "someone on another page changed the client"
    last = items[-1]
    who = last.changed_by or "someone on another page"
    more = f" (and {len(items) - 1} more change{'s' if len(items) > 2 else ''})" if len(items) > 1 else ""
    return f"{who} {dates_in_words(last.note)} at {last.saved_at[11:16]} UTC{more}"


def same_name(first: str, second: str) -> bool:
    """Names that a coach would take for the same person (case and spacing ignored)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


class ClientWork:
    """The selected client (``client_id``), their ``diary`` and the plan before it (``planned_plan``).

    ``read_profile()`` returns the profile the page shows (raises PlannerInputError);
    ``show_profile(profile)`` puts one on the page without replanning; ``replan()`` replans and shows;
    ``fresh_profile()`` is a new client's starting inputs; ``on_switch()`` runs when another client
    (or a new one) comes on the page, before its plan is made.
    """

    def __init__(self, read_profile: Callable[[], ClientProfile], show_profile: Callable[[ClientProfile], None],
                 replan: Callable[[], None], today: dt.date | None = None, store: Any = None,
                 fresh_profile: Callable[[], ClientProfile] = ClientProfile,
                 on_switch: Callable[[], None] = lambda: None):
        self.read_profile = read_profile
        self.fresh_profile = fresh_profile
        self.on_switch = on_switch
        self.show_profile = show_profile
        self.replan = replan
        self.fixed_today = today
        self._store = store
        self._store_factory = store if callable(store) and not hasattr(store, "list_clients") else None
        if self._store_factory is not None:
            self._store = None
        self.client_id: int | None = None
        self.version: int | None = None  # the open client's version, as opened or last saved here
        self.diary: list[DiaryEntry] = []
        self.planned_plan: Plan | None = None
        self.saved_profile: ClientProfile | None = None  # what the store holds for the client (or the start inputs)
        self.roster_loaded = False
        self.roster_lines: list = []  # the picker's lines (RosterLine, or ClientSummary when states failed)
        self.stored_profile: ClientProfile | None = None  # the open client's profile as the store has it
        self._duplicate_ok = ""  # a name the coach was warned about and chose again
        self._told_version: int | None = None  # a version changed elsewhere the coach was already told of
        self.changes = w.HTML("").add_class("tb-changes")
        self.bar = ClientBar(on_pick=self.pick, on_new=self.new_client, on_save=self.save_client,
                             on_delete=self.ask_delete, on_reload=self.reload_client,
                             on_history=self.show_history, export_file=self.export_file,
                             on_import=self.import_file)
        self.recordings_panel = RecordingsPanel(self)  # "Add recorded walks", inside the diary panel
        self.diary_panel = DiaryPanel(self.today, on_log=self.log_from_panel, on_remove=self.remove_entry,
                                      on_date=self._on_diary_date, more=lambda: [self.recordings_panel.widget])
        if self._store is not None:
            self.refresh_roster()

    # --- time and store ----------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        """The fixed date given to the app, else the computer's date (the engine never reads the clock)."""
        return self.fixed_today or dt.date.today()

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
    def name(self) -> str:
        """The name in the client bar."""
        return self.bar.name.value.strip()

    def show(self, result: Plan) -> None:
        """Show what the diary changed in ``result`` (the diary's minutes are prefilled only when its
        date is picked, never over what the coach typed)."""
        self.changes.value = changes_html(result)
        self.bar.show_unsaved(self.dirty())

    def why(self, result: Plan) -> str:
        """The diary's sentence for the top of the page ("" with no diary): :func:`why_html` of the
        client's state today, as the client bar judges it."""
        if not self.diary:
            return ""
        try:
            state = client_state(result.profile, self.diary, self.today)
        except PlannerInputError:
            state = None
        return why_html(result, self.today, state)

    def prefill_minutes(self) -> None:
        """The diary's minutes: the plan's minutes on the diary's date (the common case)."""
        self._on_diary_date({"new": self.diary_panel.day})

    # --- unsaved changes ------------------------------------------------------------------------
    def dirty(self) -> bool:
        """True when the page's inputs differ from what was last opened or saved (bad input counts)."""
        try:
            return self.read_profile() != self.saved_profile
        except PlannerInputError:
            return True

    def mark_saved(self) -> None:
        """The page's inputs are what the store (or the start) holds."""
        try:
            self.saved_profile = self.read_profile()
        except PlannerInputError:
            self.saved_profile = None
        self.bar.show_unsaved(self.dirty())

    def _guarded(self, what: str, action: Callable[[], None], on_cancel: Callable[[], None] = lambda: None) -> None:
        if not self.dirty():
            action()
            return

        def then(choice: str) -> None:
            if choice == "save" and self.client_id is not None:
                if self.save_client():
                    action()
            elif choice == "save":
                if self._create() is not None:
                    action()
            elif choice == "discard":
                action()
            else:
                on_cancel()
        self.bar.ask_unsaved(what, then)

    # --- plan ----------------------------------------------------------------------------------
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
        recorded = next((e for e in self.diary if e.date == day and e.recordings), None)
        if recorded is not None:  # a recorded walk: its own minutes
            return self.diary_panel.suggest_minutes(recorded.minutes_walked)
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
        recorded = next((e.recordings for e in self.diary if e.date == entry.date and e.recordings), ())
        self.log_entry(replace(entry, recordings=recorded))  # pains logged on a recorded day keep its recordings

    def log_entry(self, entry: DiaryEntry) -> bool:
        """Check ``entry`` against the plan, save it for the client, replan. False (and a message) if not."""
        panel = self.diary_panel
        panel.show_error(None)
        try:
            profile = self.read_profile()
        except PlannerInputError:
            panel.say("Fix the fields marked ⚠ in the form first.", error=True)
            return False
        diary = sorted([e for e in self.diary if e.date != entry.date] + [entry], key=lambda e: e.date)
        replaced = len(diary) == len(self.diary)
        try:
            adapt(profile, make_plan(profile), diary, self.today)
        except PlannerInputError as error:
            panel.show_error(error)
            return False
        if self.client_id is not None:
            try:
                self.version = self.store.log_entry(self.client_id, entry, expected_version=self.version)
            except _conflict_error() as error:
                self._conflict(error)
                panel.say("Not logged: this client was changed elsewhere (see above). The entry is still in "
                          "the fields: reload the client, then log it again.", error=True)
                return False
            except _store_errors() as error:
                panel.say(f"Not saved, so not logged: {error}", error=True)
                return False
        self.diary = diary
        panel.show_entries(self.diary)
        self.replan()
        where = (f"saved for {self.name or 'this client'}" if self.client_id is not None
                 else "not saved: create or pick a client to keep the diary")
        self.next_entry(entry.date)
        panel.say(f"{'Replaced' if replaced else 'Logged'} {day_text(entry.date)} ({where}).")
        self._after_change()
        return True

    def next_planned_day(self, after: dt.date) -> dt.date:
        """The first planned walking day after ``after`` (today at the latest: the diary takes no future days)."""
        if self.planned_plan is not None:
            sessions = self.planned_plan.sessions
            days = sorted(day for day, minutes in zip(sessions["date"], sessions["total_minutes"])
                          if day > after and minutes > 0)
            if days and days[0] <= self.today:
                return days[0]
        return self.today

    def next_entry(self, logged: dt.date) -> None:
        """Ready the diary form for the next entry: the next planned day, its minutes, no pains, no note."""
        day = self.next_planned_day(logged)
        self.diary_panel.clear_entry(day)
        self._on_diary_date({"new": day})

    def remove_entry(self, date: dt.date) -> None:
        """Delete the entry of ``date`` (from the store too) and replan."""
        if self.client_id is not None:
            try:
                self.version = self.store.delete_entry(self.client_id, date, expected_version=self.version)
            except _conflict_error() as error:
                self._conflict(error)
                self.diary_panel.say("Not removed: this client was changed elsewhere (see above).", error=True)
                return
            except _store_errors() as error:
                self.diary_panel.say(f"Could not remove it: {error}", error=True)
                return
        self.diary = [e for e in self.diary if e.date != date]
        self.diary_panel.show_entries(self.diary)
        self.replan()
        self.diary_panel.say(f"Removed {day_text(date)}.")
        self._after_change()

    # --- roster ------------------------------------------------------------------------------
    def refresh_roster(self) -> None:
        """List the saved clients with their states in the picker (one query for all)."""
        try:
            self.roster_lines = self.store.roster(self.today)
        except _store_errors() as error:
            self.bar.say(f"The client list cannot be opened: {error}", error=True)
            try:  # the names at least, when the states cannot be judged
                self.roster_lines = self.store.list_clients()
            except _store_errors():
                return
        self.roster_loaded = True
        self.bar.show_roster(self.roster_lines, self.client_id)

    def _listed(self) -> list:
        """The picker's roster lines (read from the store the first time)."""
        if not self.roster_loaded:
            try:
                self.roster_lines = self.store.roster(self.today)
            except _store_errors():
                try:
                    self.roster_lines = self.store.list_clients()
                except _store_errors():
                    return []
            self.roster_loaded = True
        return self.roster_lines

    def _restate(self, client_id: int, profile: ClientProfile, diary) -> None:
        """Re-judge one client's state (after this page opened, saved or logged) in the picker's lines."""
        from planner.store import RosterLine

        lines = [line for line in self._listed() if line.id != client_id]
        old = next((line for line in self.roster_lines if line.id == client_id), None)
        try:
            state = client_state(profile, diary, self.today)
        except PlannerInputError:
            state = getattr(old, "state", None)
        line = RosterLine(client_id, profile.name, getattr(old, "updated_at", ""), state) if state else old
        if line is not None:
            lines.append(line)
        self.roster_lines = sorted(lines, key=lambda item: (item.name.casefold(), item.id))

    def _after_change(self) -> None:
        """After a saved change: the picker's states and an open History follow it."""
        if self.client_id is not None:
            if self.stored_profile is not None:
                self._restate(self.client_id, self.stored_profile, self.diary)
            self.bar.show_roster(self._listed(), self.client_id)
            if self.bar.history_open():
                self.show_history()

    # --- versions, history, client files ------------------------------------------------------
    def _conflict(self, error: Exception) -> None:
        """Tell of a version conflict beside the client bar (the store's words, with the client's name)."""
        text = str(error)
        client_id = getattr(error, "client_id", None)
        if client_id is not None and self.name:
            text = text.replace(f"client {client_id} ", f"{self.name} ", 1)
        text = re.sub(r" at (\d{4}-\d\d-\d\d)T(\d\d:\d\d)", lambda match: f" on {dates_in_words(match[1])} at {match[2]}",
                      text).replace("(last: ", "(last change: ", 1)  # the page's one date format
        text = text.replace(", by someone on ", " on ", 1).replace(", by ", " by ", 1)
        text = text[:1].upper() + text[1:]
        if self.dirty():
            text += ". Your edits are still in the form; Reload replaces them with the saved version"
        self.bar.show_conflict(text + ".")

    def reload_client(self) -> None:
        """Reload: open the open client again as the store holds them now (the conflict's way out)."""
        self.bar.hide_conflict()
        if self.client_id is not None:
            self.open_client(self.client_id)

    # --- changes made on another page ---------------------------------------------------------
    def check_for_changes(self) -> str:
        """Was the open client changed elsewhere since this page opened or saved them? One small query
        (the client's version) when not. Returns what was done: "" (nothing changed, no client open,
        or the store cannot be read now), "updated" (no unsaved edits: the stored client is shown),
        "kept" (unsaved edits kept, the coach told what to do), "deleted"."""
        if self.client_id is None or self.version is None or self._store is None:
            return ""
        try:
            current = self.store.client_version(self.client_id)
        except _store_errors():
            return ""  # a database away for a moment: the next check, or a save, will tell
        if current == self.version:
            return ""
        if current is None:
            self._deleted_elsewhere()
            return "deleted"
        try:
            changes = self.store.history(self.client_id, after_version=self.version)
        except _store_errors():
            changes = []
        if self.dirty() or self.bar.guard_open() or self.bar.conflict_shown():
            if current != self._told_version:
                self._told_version = current
                if not self.bar.conflict_shown():  # a refused save already said so, with Reload
                    self.bar.show_conflict(
                        f"{self.name or 'This client'} was changed on another page ({change_words(changes)}). "
                        "Your unsaved edits are still here, but saving them would be refused: note them, "
                        "Reload (the saved version replaces them), then make them again.")
            return "kept"
        try:
            record = self.store.load_client(self.client_id)
        except _store_errors():
            return ""
        self._show_stored(record)
        self.bar.say(f"Updated: {change_words(changes)}.")
        return "updated"

    def _show_stored(self, record) -> None:
        """Show the open client as the store holds them now (their profile, diary, state and plan),
        keeping the rest of the page (plan A, a trail, the diary's typed entry)."""
        self.version = record.version
        self.stored_profile = record.profile
        self._restate(record.id, record.profile, record.diary)
        try:
            shown = self.read_profile()
        except PlannerInputError:
            shown = None
        if record.profile != shown:
            self.show_profile(record.profile)
        self.diary = list(record.diary)
        self.bar.hide_conflict()
        self.diary_panel.show_entries(self.diary)
        self.replan()
        self.mark_saved()
        self.bar.show_roster(self._listed(), record.id)
        if self.bar.history_open():
            self.show_history()

    def _deleted_elsewhere(self) -> None:
        """The open client is gone from the store: the page keeps what it shows, as a new unsaved client."""
        name = self.name or f"client #{self.client_id}"
        self.roster_lines = [line for line in self._listed() if line.id != self.client_id]
        self.client_id = self.version = self.stored_profile = self.saved_profile = None
        self.bar.hide_conflict()
        self.bar.show_roster(self._listed(), None)
        self.bar.say(f"{name} was deleted on another page. What this page shows is not saved: Save keeps it "
                     "as a new client; New or another client leaves it.", error=True)
        self.bar.show_unsaved(True)

    def watch(self, loop, seconds: float | None = None) -> None:
        """Check for changes made elsewhere every ``seconds`` (default ``DEFAULT_CHANGE_CHECK_SECONDS``)
        on ``loop`` (the kernel's event loop)."""
        seconds = DEFAULT_CHANGE_CHECK_SECONDS if seconds is None else seconds

        def tick() -> None:
            try:
                self.check_for_changes()
            finally:
                loop.call_later(seconds, tick)
        loop.call_later(seconds, tick)

    def show_history(self) -> None:
        """Fill the History section for the open client."""
        if self.client_id is None:
            self.bar.show_history(None)
            return
        try:
            self.bar.show_history(self.store.history(self.client_id))
        except _store_errors() as error:
            self.bar.say_file(f"The history cannot be read: {error}", error=True)

    def export_file(self) -> tuple[str, str, bytes]:
        """The open client's file (profile and diary as saved), for the export button."""
        from planner.ui.files import file_name

        if self.client_id is None:
            self.bar.say_file("Open or save a client first: only saved clients are exported.", error=True)
            return "trailback-client.json", "application/json", b""
        try:
            record = self.store.load_client(self.client_id)
            text = self.store.export_client(self.client_id)
        except _store_errors() as error:
            self.bar.say_file(f"Could not export: {error}", error=True)
            return "trailback-client.json", "application/json", b""
        note = " (unsaved edits in the form are not in it)" if self.dirty() else ""
        self.bar.say_file(f"Exported {record.profile.name or 'the client'} as saved{note}.")
        return file_name(record.profile, "client", "json"), "application/json", text.encode()

    def import_file(self, content: bytes) -> None:
        """Import a client file as a new client and open them (asking first about unsaved edits);
        any bad file ends in a message."""
        if len(content) > MAX_CLIENT_FILE_BYTES:
            self.bar.say_file("That file is too large for a client file.", error=True)
            return
        try:
            client_id = self.store.import_client(content)
        except PlannerInputError as error:
            self.bar.say_file(f"Could not import it: {_file_problem(error)}.", error=True)
            return
        except _store_errors() as error:
            self.bar.say_file(f"Could not import it: {error}", error=True)
            return
        except Exception as error:  # never a traceback on the page
            self.bar.say_file(f"Could not import it: this is not a Trailback client file ({type(error).__name__}).",
                              error=True)
            return
        try:
            record = self.store.load_client(client_id)
            self._restate(client_id, record.profile, record.diary)
        except _store_errors():
            pass
        self.bar.show_roster(self._listed(), self.client_id)
        name = next((line.name for line in self._listed() if line.id == client_id), "")
        self.bar.say_file(f"Imported {name or 'the client'} as a new client.")
        self._guarded("Open the imported client", lambda: self.open_client(client_id),
                      lambda: self.bar.say(f"Imported {name or 'the client'}: pick them in the list when ready."))

    def _duplicate_of(self, name: str) -> str | None:
        """The name of another saved client that reads as ``name``, if any."""
        try:
            clients = self.store.list_clients()
        except _store_errors():
            clients = self._listed()
        for client in clients:
            if client.id != self.client_id and same_name(client.name, name):
                return client.name
        return None

    def _warned_duplicate(self, name: str, action: str) -> bool:
        """Warn once about a name another client has; True when the action should stop."""
        other = self._duplicate_of(name)
        if other is None or same_name(self._duplicate_ok, name):
            self._duplicate_ok = ""
            return False
        self._duplicate_ok = name
        self.bar.say(f"There is already a client named {other}. Pick them in the list, change the name, or click "
                     f"{action} again to keep two clients with this name.", error=True)
        return True

    # --- actions -----------------------------------------------------------------------------
    def pick(self, client_id: int) -> None:
        """The picker changed: open ``client_id`` (or start a new one), asking first about unsaved edits."""
        if client_id == (self.client_id or NOT_SAVED):
            return
        back = self.client_id

        def cancel() -> None:
            self.bar.show_roster(self._listed(), back)

        if client_id == NOT_SAVED:
            self._guarded("Start a new client", self.start_new, cancel)
        else:
            self._guarded("Open another client", lambda: self.open_client(client_id), cancel)

    def open_client(self, client_id: int) -> None:
        """Load a client: their profile on the page, their diary; replan."""
        try:
            record = self.store.load_client(client_id)
        except _store_errors() as error:
            self.bar.say(f"Could not open that client: {error}", error=True)
            self.bar.show_roster(self._listed(), self.client_id)
            return
        self.client_id = client_id
        self.version = record.version
        self.stored_profile = record.profile
        self._restate(client_id, record.profile, record.diary)
        self.on_switch()
        self.show_profile(record.profile)
        self.diary = list(record.diary)
        self.bar.hide_confirm()
        self.bar.hide_conflict()
        self.diary_panel.show_entries(self.diary)
        self.diary_panel.show_error(None)
        self.replan()
        self.mark_saved()
        self.bar.show_roster(self._listed(), client_id)
        self.bar.say(f"Opened {record.profile.name or f'client #{client_id}'}.")
        if self.bar.history_open():
            self.show_history()

    def start_new(self) -> None:
        """Clear the selection for a new client: the default inputs, no name, no diary."""
        self.client_id = None
        self.version = None
        self.stored_profile = None
        self.bar.hide_conflict()
        self.diary = []
        self.on_switch()
        self.show_profile(self.fresh_profile())
        self.diary_panel.show_entries(self.diary)
        self.replan()
        self.mark_saved()
        self.bar.show_roster(self._listed(), None)
        self.bar.say("New client: enter a name and the answers, then Save.")

    def new_client(self) -> None:
        """The New button: start a new client (asking first about unsaved edits)."""
        self._guarded("Start a new client", self.start_new)

    def _profile_to_save(self) -> ClientProfile | None:
        """The page's profile under the bar's name, or None after saying why it cannot be saved (no
        name, a duplicate name not yet confirmed, fields marked ⚠)."""
        name = self.name
        if not name:
            self.bar.say("Type the client's name first.", error=True)
            return None
        if self._warned_duplicate(name, "Save"):
            return None
        try:
            return replace(self.read_profile(), name=name)
        except PlannerInputError:
            self.bar.say("Fix the fields marked ⚠ first.", error=True)
            return None

    def _create(self) -> int | None:
        """Save the page's inputs (and the diary logged so far) as a new client under the bar's name."""
        profile = self._profile_to_save()
        if profile is None:
            return None
        name = profile.name
        try:
            client_id = self.store.create_client(profile, self.diary)
        except _store_errors() as error:
            self.bar.say(f"Could not create the client: {error}", error=True)
            return None
        self.client_id = client_id
        self.version = 1  # a new client's first version (Store.create_client)
        self.stored_profile = profile
        self._restate(client_id, profile, self.diary)
        self.bar.hide_conflict()
        self.mark_saved()
        self.bar.show_roster(self._listed(), client_id)
        self.bar.say(f"Saved {name} as a new client.")
        if self.bar.history_open():
            self.show_history()
        return client_id

    def save_client(self) -> bool:
        """The Save button: save the inputs and name (a new client when none is open)."""
        if self.client_id is None:
            return self._create() is not None
        profile = self._profile_to_save()
        if profile is None:
            return False
        name = profile.name
        try:
            self.version = self.store.save_client(self.client_id, profile, expected_version=self.version)
        except _conflict_error() as error:
            self._conflict(error)
            return False
        except _store_errors() as error:
            self.bar.say(f"Not saved: {error}", error=True)
            return False
        self.bar.hide_conflict()
        self.stored_profile = profile
        self.mark_saved()
        self.bar.say(f"Saved {name}.")
        self._after_change()
        return True

    def ask_delete(self) -> None:
        """The Delete button: ask first."""
        if self.client_id is None:
            self.bar.say("Pick a client to delete first.", error=True)
            return
        self.bar.ask_delete(self.name or f"client #{self.client_id}", self.delete_client)

    def delete_client(self) -> None:
        """Delete the open client (the confirmation's "Yes")."""
        self.bar.hide_confirm()
        if self.client_id is None:
            return
        name = self.name or f"client #{self.client_id}"
        try:
            self.store.delete_client(self.client_id, expected_version=self.version)
        except _conflict_error() as error:
            self._conflict(error)
            return
        except _store_errors() as error:
            self.bar.say(f"Not deleted: {error}", error=True)
            return
        self.roster_lines = [line for line in self._listed() if line.id != self.client_id]
        self.client_id = None
        self.version = None
        self.stored_profile = None
        self.diary = []
        self.diary_panel.show_entries(self.diary)
        self.bar.name.value = ""
        self.replan()
        self.mark_saved()
        self.bar.show_roster(self._listed(), None)
        self.bar.say(f"Deleted {name} and their diary.")


def _file_problem(error: PlannerInputError) -> str:
    """A bad client file's problem in words: which part is wrong and what the file has."""
    if error.field in ("client file", "profile"):
        found = error.received if isinstance(error.received, str) else f"not {error.allowed}"
        return f"this is not a Trailback client file ({found})"
    return f"in the file, {error.field.replace('_', ' ')} must be {error.allowed} (the file has {error.received_text})"
