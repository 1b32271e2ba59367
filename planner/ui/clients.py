"""The "Clients" panel: the roster (search by name), new, save, rename and delete with confirmation.

Widgets and messages only; :class:`planner.ui.app.App` talks to :class:`planner.store.Store`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w

if TYPE_CHECKING:
    from planner.store import ClientSummary
    from planner.ui.app import App

ROSTER_ROWS = 6


def roster_label(client: ClientSummary) -> str:
    """How a client shows in the roster (unnamed clients by number)."""
    return client.name or f"(no name) #{client.id}"


class ClientsPanel:
    """Roster list with search; name box; New / Save / Rename / Delete buttons; delete confirmation."""

    def __init__(self, app: App):
        self.app = app
        self.loading = False  # True while the panel rewrites the roster itself (no "pick" events)
        self.operations = 0  # bumped after every action: browser tests wait on data-operations
        self.search = w.Text(description="Search", placeholder="name contains…", continuous_update=True,
                             style={"description_width": "60px"}, layout=w.Layout(width="300px")).add_class("tb-clients-search")
        self.roster = w.Select(options=[], value=None, rows=ROSTER_ROWS,
                               layout=w.Layout(width="300px")).add_class("tb-clients-roster")
        self.name = w.Text(description="Name", placeholder="client name", style={"description_width": "60px"},
                           layout=w.Layout(width="300px")).add_class("tb-clients-name")
        button = dict(layout=w.Layout(width="auto", min_width="90px"))
        self.new_button = w.Button(description="New client", icon="plus", **button).add_class("tb-clients-new")
        self.save_button = w.Button(description="Save", icon="save", **button).add_class("tb-clients-save")
        self.rename_button = w.Button(description="Rename", icon="pencil", **button).add_class("tb-clients-rename")
        self.delete_button = w.Button(description="Delete…", icon="trash", button_style="danger",
                                      **button).add_class("tb-clients-delete")
        self.confirm_text = w.HTML("")
        self.confirm_yes = w.Button(description="Yes, delete", button_style="danger",
                                    **button).add_class("tb-clients-confirm-delete")
        self.confirm_no = w.Button(description="Cancel", **button).add_class("tb-clients-cancel-delete")
        self.confirm = w.HBox([self.confirm_text, self.confirm_yes, self.confirm_no],
                              layout=w.Layout(display="none")).add_class("tb-clients-confirm")
        self.message = w.HTML("").add_class("tb-clients-message")
        self.widget = w.VBox([
            w.HTML("<h3>Clients</h3>"),
            self.search, self.roster, self.name,
            w.HBox([self.new_button, self.save_button, self.rename_button, self.delete_button]),
            self.confirm, self.message,
        ]).add_class("tb-clients")
        self.search.observe(lambda _: self.app.refresh_roster(), names="value")
        self.roster.observe(self._on_pick, names="value")
        self.new_button.on_click(lambda _: self.app.new_client(self.name.value))
        self.save_button.on_click(lambda _: self.app.save_client())
        self.rename_button.on_click(lambda _: self.app.rename_client(self.name.value))
        self.delete_button.on_click(lambda _: self.ask_delete())
        self.confirm_yes.on_click(lambda _: self.app.delete_client())
        self.confirm_no.on_click(lambda _: self.hide_confirm())

    def _on_pick(self, change: dict) -> None:
        if self.loading or change["new"] is None:
            return
        self.app.select_client(change["new"])

    def show_roster(self, clients: list[ClientSummary], selected: int | None) -> None:
        """Fill the roster with ``clients``, selecting ``selected`` when it is listed (no pick event)."""
        self.loading = True
        try:
            options = [(roster_label(client), client.id) for client in clients]
            if list(self.roster.options) != options:
                self.roster.options = options
            ids = [client.id for client in clients]
            self.roster.value = selected if selected in ids else None
        finally:
            self.loading = False

    def ask_delete(self) -> None:
        """Show the confirmation step (nothing is deleted yet)."""
        if self.app.client_id is None:
            self.say("Pick a client to delete first.", error=True)
            return
        name = self.app.client_name or f"client #{self.app.client_id}"
        self.confirm_text.value = (f"<span class='tb-confirm-text'>Delete <b>{html.escape(name)}</b> and their "
                                   f"diary? This cannot be undone.</span>")
        self.confirm.layout.display = ""

    def hide_confirm(self) -> None:
        """Hide the confirmation step."""
        self.confirm.layout.display = "none"
        self.confirm_text.value = ""

    def say(self, text: str, error: bool = False) -> None:
        """Show a message (escaped); bumps ``data-operations`` so a browser can wait for it."""
        self.operations += 1
        css = "tb-error-text" if error else "tb-info-text"
        self.message.value = (f"<span class='{css}' data-operations='{self.operations}'>{'⚠ ' if error else ''}"
                              f"{html.escape(text)}</span>")
