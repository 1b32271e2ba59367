"""The client bar on top of the page: pick a client, one name field, New, Save, Delete (with a
confirmation), the unsaved-changes guard and one message line.

Widgets and messages only: :class:`planner.ui.clients.ClientWork` does the work through the
callbacks given here. The picker lists each client with their state today (most urgent first);
``state`` is the open client's state with its reason and a count of who needs a look;
:meth:`ClientBar.show_conflict` tells of a version conflict (with Reload); ``history`` is the
collapsible History of the open client with export and import of a client file.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable

import ipywidgets as w

from planner.ui.dates import dates_in_words
from planner.ui.style import set_visible

from planner.ui.widgets import BuiltOnFirstUse, DownloadButton, on_file_chosen

if TYPE_CHECKING:
    from planner.store import ClientSummary, HistoryItem, RosterLine
    from planner.status import ClientState

NOT_SAVED = 0  # the picker's value while the inputs belong to no saved client
#: A mark per roster state (planner.status.STATES), so the urgent ones stand out in a plain <select>
#: (characters common fonts have: DejaVu, Segoe UI Symbol; an emoji showed as an empty box on Linux).
STATE_MARKS = {"stopped: red flag": "✖", "step back": "▼", "hold": "‖", "nothing logged for 7 days": "…",
               "on track": "✓"}
REASON_SHOWN_CHARS = 160  # longer reasons (a red flag's whole advice, shown in the banner too) end at a sentence
STATE_COLOURS = {"stopped: red flag": "#b00020", "step back": "#b35900", "hold": "#8a6d00",
                 "nothing logged for 7 days": "#555", "on track": "#1b6e20"}
NEEDS_A_LOOK = ("stopped: red flag", "step back", "hold", "nothing logged for 7 days")
BAR_STYLE = """<style>
.tb-client-state-line {font-size:0.92em; margin:2px 0 2px 4px; white-space:normal; line-height:1.35}
.tb-state-badge {display:inline-block; padding:0 6px; border-radius:8px; color:#fff; font-weight:600;
  margin-right:6px; white-space:nowrap}
.tb-state-count {display:block; color:#444; white-space:normal}
.tb-conflict {background:#fdecea; border:1px solid #b00020; border-radius:4px; padding:4px 6px; margin:4px 0;
  flex-wrap:wrap; align-items:center}
.tb-conflict-text {white-space:normal; flex:1 1 300px}
.tb-history-table {border-collapse:collapse; font-size:0.9em; margin:4px 0; width:auto; max-width:100%}
.tb-history-table th, .tb-history-table td {text-align:left; padding:2px 8px 2px 0; vertical-align:top;
  border-bottom:1px solid #eee}
.tb-history-table td.tb-history-when {white-space:nowrap}
.tb-history-files {flex-wrap:wrap; gap:4px; align-items:center}
.tb-unsaved-text {color:#8a5a00; font-weight:600}
</style>"""


def state_mark(state: ClientState | None) -> str:
    """"⛔ stopped: red flag" etc. ("" without a state)."""
    return "" if state is None else f"{STATE_MARKS.get(state.state, '')} {state.state}".strip()


def roster_label(client: ClientSummary | RosterLine) -> str:
    """How a client shows in the picker: the name (unnamed clients by number) and, for a roster line,
    the state mark, e.g. "Carol · ⛔ stopped: red flag"."""
    name = client.name or f"(no name) #{client.id}"
    state = getattr(client, "state", None)
    return f"{name}  ·  {state_mark(state)}" if state is not None else name


def urgent_first(clients: list) -> list:
    """Roster lines with the most urgent state first (the store's name order kept within a state)."""
    return sorted(clients, key=lambda client: client.state.urgency if getattr(client, "state", None) else 0)


def short_reason(reason: str) -> str:
    """``reason`` up to its first sentence's end when it is long (the whole text stays in the tooltip)."""
    if len(reason) <= REASON_SHOWN_CHARS:
        return reason
    end = reason.find(". ")
    return reason[:end + 1] if 0 < end < REASON_SHOWN_CHARS else reason[:REASON_SHOWN_CHARS].rstrip() + "…"


def state_html(state: ClientState | None, clients: list) -> str:
    """The state line: the open client's state with its reason, and how many clients need a look."""
    parts = []
    if state is not None:
        colour = STATE_COLOURS.get(state.state, "#555")
        parts.append(f"<span class='tb-state-badge' data-state='{html.escape(state.state)}' style='background:{colour}'>"
                     f"{html.escape(state_mark(state))}</span><span class='tb-state-reason' "
                     f"title='{html.escape(dates_in_words(state.reason), quote=True)}'>"
                     f"{html.escape(short_reason(dates_in_words(state.reason)))}</span>")
    counts = {name: 0 for name in NEEDS_A_LOOK}
    for client in clients:
        client_state = getattr(client, "state", None)
        if client_state is not None and client_state.state in counts:
            counts[client_state.state] += 1
    looks = [f"{count} {name}" for name, count in counts.items() if count]
    if looks:
        parts.append(f"<span class='tb-state-count'>Needing a look in the list: {html.escape(', '.join(looks))}</span>")
    return f"<div class='tb-client-state-line'>{''.join(parts)}</div>" if parts else ""


def when_text(saved_at: str) -> str:
    """"2026-01-20 14:03 UTC" from the store's ISO time."""
    return saved_at[:16].replace("T", " ") + " UTC"


def history_html(items: list[HistoryItem]) -> str:
    """The History table, newest change first: when, by whom, what."""
    if not items:
        return "<div class='tb-info-text'>No saved changes yet.</div>"
    rows = "".join(
        f"<tr class='tb-history-row' data-kind='{html.escape(item.kind)}'><td class='tb-history-when'>"
        f"{html.escape(when_text(item.saved_at))}</td><td class='tb-history-who'>"
        f"{html.escape(item.changed_by or 'not recorded')}</td><td class='tb-history-what'>{html.escape(item.note)}</td></tr>"
        for item in reversed(items))
    return (f"<table class='tb-history-table'><thead><tr><th>When</th><th>By</th><th>What</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


class ClientBar(BuiltOnFirstUse):
    """``pick`` (Dropdown of clients), ``name``, ``new_button``, ``save_button``, ``delete_button``,
    ``confirm`` (delete confirmation), ``guard`` (unsaved changes), ``conflict`` (changed elsewhere),
    ``message``. The three question rows are built on first use."""

    PARTS = ("confirm_text", "confirm_yes", "confirm_no", "confirm", "guard_text", "guard_save", "guard_discard",
             "guard_cancel", "guard", "conflict_text", "reload_button", "keep_button", "conflict")

    def __init__(self, on_pick: Callable[[int], None], on_new: Callable[[], None], on_save: Callable[[], None],
                 on_delete: Callable[[], None], on_reload: Callable[[], None] = lambda: None,
                 on_history: Callable[[], None] = lambda: None,
                 export_file: Callable[[], tuple[str, str, bytes]] | None = None,
                 on_import: Callable[[bytes], None] = lambda content: None):
        self.loading = False  # True while the bar rewrites the picker itself (no "pick" events)
        self.operations = 0  # bumped after every message: browser tests wait on data-operations
        self.pick = w.Dropdown(description="Client", options=[("— new, not saved —", NOT_SAVED)], value=NOT_SAVED,
                               style={"description_width": "46px"}).add_class("tb-client-pick")
        self.find = w.Text(placeholder="type to find a client", continuous_update=True,
                           description="Find", style={"description_width": "46px"}).add_class("tb-client-find")
        self.name = w.Text(description="Name", placeholder="client's name", continuous_update=False,
                           style={"description_width": "46px"}).add_class("tb-client-name")
        self.new_button = w.Button(description="New", tooltip="Start a new client").add_class("tb-client-new")
        self.save_button = w.Button(description="Save", button_style="primary",
                                    tooltip="Save the inputs (and name) for this client").add_class("tb-client-save")
        self.delete_button = w.Button(description="Delete", tooltip="Delete this client and their diary"
                                      ).add_class("tb-client-delete")
        self.state = w.HTML("").add_class("tb-client-state")  # the open client's state, who needs a look
        self.message = w.HTML("").add_class("tb-client-message")
        # The history's table and file buttons are built when the section is first opened (issue 22):
        # closed at first paint, they cost the page nothing until then.
        self._export_file = export_file or (lambda: ("", "", b""))
        self._on_import = on_import
        self._history_parts: tuple[w.HTML, DownloadButton, w.FileUpload, w.HTML] | None = None
        self.history = w.Accordion([w.VBox([]).add_class("tb-history-body")], titles=("History and client file",),
                                   selected_index=None).add_class("tb-client-history")
        self.widget = w.VBox([
            w.HTML(BAR_STYLE),
            w.HBox([self.find, self.pick, self.name, self.new_button, self.save_button, self.delete_button]),
            self.state, self.message, self.history,
        ]).add_class("tb-client-bar")
        self._names: dict[int, str] = {}
        self._lines: list = []  # the roster as last shown, most urgent first (the search filters it)
        self._selected: int | None = None
        self.unsaved = False
        self.find.observe(lambda change: self._fill_picker(), names="value")
        self._guarded: Callable[[str], None] | None = None
        self._on_yes: Callable[[], None] | None = None
        self.pick.observe(self._on_pick(on_pick), names="value")
        self.new_button.on_click(lambda _: on_new())
        self.save_button.on_click(lambda _: on_save())
        self.delete_button.on_click(lambda _: on_delete())
        self._on_reload = on_reload
        self.history.observe(lambda change: (self._build_history(), on_history()) if change["new"] is not None
                             else None, names="selected_index")

    def _build(self) -> None:
        """The delete confirmation, the unsaved-changes guard and the conflict rows, hidden (built on
        first use, :class:`BuiltOnFirstUse`: a page that never needs them never gets their models)."""
        self.confirm_text = w.HTML("")
        self.confirm_yes = w.Button(description="Yes, delete", button_style="danger").add_class("tb-client-confirm-delete")
        self.confirm_no = w.Button(description="Cancel").add_class("tb-client-cancel-delete")
        self.confirm = w.HBox([self.confirm_text, self.confirm_yes, self.confirm_no]).add_class("tb-client-confirm")
        self.guard_text = w.HTML("")
        self.guard_save = w.Button(description="Save, then go on", button_style="primary").add_class("tb-guard-save")
        self.guard_discard = w.Button(description="Discard changes").add_class("tb-guard-discard")
        self.guard_cancel = w.Button(description="Keep editing").add_class("tb-guard-cancel")
        self.guard = w.HBox([self.guard_text, self.guard_save, self.guard_discard, self.guard_cancel]).add_class("tb-guard")
        self.conflict_text = w.HTML("").add_class("tb-conflict-text")
        self.reload_button = w.Button(description="Reload", button_style="warning",
                                      tooltip="Open the saved version (your edits here are replaced)"
                                      ).add_class("tb-conflict-reload")
        self.keep_button = w.Button(description="Keep my edits", tooltip="Hide this; the form keeps your edits"
                                    ).add_class("tb-conflict-keep")
        self.conflict = w.HBox([self.conflict_text, self.reload_button, self.keep_button]).add_class("tb-conflict")
        for box in (self.confirm, self.guard, self.conflict):
            set_visible(box, False)
        children = list(self.widget.children)
        children[children.index(self.state) + 1:children.index(self.state) + 1] = [self.confirm, self.guard, self.conflict]
        self.widget.children = children
        self.confirm_yes.on_click(lambda _: self._on_yes() if self._on_yes else None)
        self.confirm_no.on_click(lambda _: self.hide_confirm())
        for button, choice in ((self.guard_save, "save"), (self.guard_discard, "discard"), (self.guard_cancel, "cancel")):
            button.on_click(self._guard_choice(choice))
        self.reload_button.on_click(lambda _: self._on_reload())
        self.keep_button.on_click(lambda _: self.hide_conflict())

    def _build_history(self) -> tuple[w.HTML, DownloadButton, w.FileUpload, w.HTML]:
        """The history table, the client-file buttons and their message (built once, on first use)."""
        if self._history_parts is None:
            table = w.HTML("").add_class("tb-history")
            export = DownloadButton("Export client file (.json)", self._export_file).add_class("tb-client-export")
            upload = w.FileUpload(accept=".json,application/json", multiple=False, description="Import client file",
                                  layout=w.Layout(width="auto")).add_class("tb-client-import")
            message = w.HTML("").add_class("tb-history-message")
            self._history_parts = (table, export, upload, message)
            self.history.children[0].children = [table, w.HBox([export, upload]).add_class("tb-history-files"), message]
            on_file_chosen(upload, lambda content, name: self._on_import(content))
        return self._history_parts

    @property
    def history_table(self) -> w.HTML:
        return self._build_history()[0]

    @property
    def export_button(self) -> DownloadButton:
        return self._build_history()[1]

    @property
    def import_upload(self) -> w.FileUpload:
        return self._build_history()[2]

    @property
    def history_message(self) -> w.HTML:
        return self._build_history()[3]

    def _on_pick(self, on_pick: Callable[[int], None]) -> Callable[[dict], None]:
        def picked(change: dict) -> None:
            if not self.loading:
                on_pick(change["new"])
        return picked

    def show_roster(self, clients: list[ClientSummary | RosterLine], selected: int | None) -> None:
        """List ``clients`` in the picker, most urgent state first, with ``selected`` chosen (no pick
        event); the state line shows the selected client's state and the roster's counts."""
        self._lines = urgent_first(clients)
        self._names = {client.id: client.name for client in self._lines}
        self._selected = selected if selected in self._names else None
        self._fill_picker()
        open_state = next((getattr(client, "state", None) for client in self._lines if client.id == selected), None)
        self.state.value = state_html(open_state, self._lines)

    def matching(self, text: str) -> list:
        """The roster lines whose name holds every word of ``text`` (case ignored), and the open client."""
        words = text.casefold().split()
        if not words:
            return self._lines
        return [line for line in self._lines
                if line.id == self._selected or all(word in line.name.casefold() for word in words)]

    def _fill_picker(self) -> None:
        """The picker's options: the clients matching the search box (no pick event)."""
        self.loading = True
        try:
            lines = self.matching(self.find.value)
            options = [("— new, not saved —", NOT_SAVED)] + [(roster_label(client), client.id) for client in lines]
            if list(self.pick.options) != options:
                self.pick.options = options
            self.pick.value = self._selected if self._selected is not None else NOT_SAVED
        finally:
            self.loading = False
        shown = len(lines)
        self.find.description = "Find" if shown == len(self._lines) else f"{shown} of {len(self._lines)}"

    def show_unsaved(self, unsaved: bool) -> None:
        """Mark unsaved edits in the message line (a "Saved …" note is replaced; an error stays)."""
        self.unsaved = unsaved
        marked = "data-unsaved" in self.message.value
        if unsaved and not marked and "tb-error-text" not in self.message.value:
            self.message.value = ("<span class='tb-unsaved-text' data-unsaved='1'>● Unsaved changes: "
                                  "Save keeps them for this client.</span>")
        elif not unsaved and marked:
            self.message.value = ""

    def listed_names(self) -> list[str]:
        """The client names in the picker, in its order."""
        return [self._names.get(value, label) for label, value in self.pick.options if value != NOT_SAVED]

    def listed_labels(self) -> list[str]:
        """The picker's labels (name and state), in its order."""
        return [label for label, value in self.pick.options if value != NOT_SAVED]

    # --- confirmations ---------------------------------------------------------------------
    def ask_delete(self, name: str, on_yes: Callable[[], None]) -> None:
        """Show the delete confirmation for ``name`` (nothing is deleted yet)."""
        self.confirm_text.value = (f"<span class='tb-confirm-text'>Delete <b>{html.escape(name)}</b> and their "
                                   f"diary? This cannot be undone.</span>")
        self._on_yes = on_yes
        set_visible(self.confirm, True)

    def hide_confirm(self) -> None:
        """Hide the delete confirmation."""
        if not self.built:
            return
        set_visible(self.confirm, False)
        self.confirm_text.value = ""

    def ask_unsaved(self, what: str, then: Callable[[str], None]) -> None:
        """The unsaved-changes guard: "``what``" would drop unsaved edits; ``then(choice)`` runs with
        "save", "discard" or "cancel" when the coach chooses."""
        self._guarded = then
        self.guard_text.value = (f"<span class='tb-confirm-text tb-guard-text'>The inputs have unsaved changes. "
                                 f"{html.escape(what)} anyway?</span>")
        set_visible(self.guard, True)

    def guard_open(self) -> bool:
        """True while the unsaved-changes question waits for an answer."""
        return self._guarded is not None

    def _guard_choice(self, choice: str) -> Callable[[w.Button], None]:
        def chosen(_button: w.Button) -> None:
            then, self._guarded = self._guarded, None
            set_visible(self.guard, False)
            self.guard_text.value = ""
            if then is not None:
                then(choice)
        return chosen

    # --- messages --------------------------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        """One message (escaped); bumps ``data-operations`` so a browser can wait for it."""
        self.operations += 1
        css = "tb-error-text" if error else "tb-info-text"
        self.message.value = (f"<span class='{css}' data-operations='{self.operations}'>{'⚠ ' if error else ''}"
                              f"{html.escape(text)}</span>")

    def show_conflict(self, text: str) -> None:
        """Tell the coach the client was changed elsewhere (a version conflict) and what to do, with
        Reload and Keep my edits beside it."""
        self.operations += 1
        set_visible(self.conflict, True)  # first: the page may draw the text as soon as it arrives
        self.message.value = ""
        self.conflict_text.value = (f"<span class='tb-error-text' data-operations='{self.operations}'>⚠ "
                                    f"{html.escape(text)}</span>")

    def hide_conflict(self) -> None:
        """Hide the conflict message."""
        if not self.built:
            return
        set_visible(self.conflict, False)
        self.conflict_text.value = ""

    def conflict_shown(self) -> bool:
        """True while a conflict message is shown."""
        return self.built and bool(self.conflict_text.value)

    # --- history and client files ---------------------------------------------------------------
    def show_history(self, items: list[HistoryItem] | None) -> None:
        """The open client's history (None: no client open)."""
        self.history_table.value = ("<div class='tb-info-text'>Open a saved client to see their history.</div>"
                                    if items is None else history_html(items))

    def history_open(self) -> bool:
        """True while the History section is expanded."""
        return self.history.selected_index is not None

    def say_file(self, text: str, error: bool = False) -> None:
        """A message under the client-file buttons (escaped)."""
        css = "tb-error-text" if error else "tb-info-text"
        self.history_message.value = f"<span class='{css}'>{'⚠ ' if error else ''}{html.escape(text)}</span>"

