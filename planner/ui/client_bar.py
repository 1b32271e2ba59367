"""The client bar on top of the page: pick a client, one name field, New, Save, Delete (with a
confirmation), the unsaved-changes guard and one message line.

Widgets and messages only: :class:`planner.ui.clients.ClientWork` does the work through the
callbacks given here. ``state`` and ``history`` are empty places kept for a client's state and
its saved history; :meth:`ClientBar.show_conflict` is where a version conflict is told.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable

import ipywidgets as w

from planner.ui.style import set_visible

if TYPE_CHECKING:
    from planner.store import ClientSummary

NOT_SAVED = 0  # the picker's value while the inputs belong to no saved client


def roster_label(client: ClientSummary) -> str:
    """How a client shows in the picker (unnamed clients by number)."""
    return client.name or f"(no name) #{client.id}"


class ClientBar:
    """``pick`` (Dropdown of clients), ``name``, ``new_button``, ``save_button``, ``delete_button``,
    ``confirm`` (delete confirmation), ``guard`` (unsaved changes), ``message``."""

    def __init__(self, on_pick: Callable[[int], None], on_new: Callable[[], None], on_save: Callable[[], None],
                 on_delete: Callable[[], None]):
        self.loading = False  # True while the bar rewrites the picker itself (no "pick" events)
        self.operations = 0  # bumped after every message: browser tests wait on data-operations
        self.pick = w.Dropdown(description="Client", options=[("— new, not saved —", NOT_SAVED)], value=NOT_SAVED,
                               style={"description_width": "46px"}).add_class("tb-client-pick")
        self.name = w.Text(description="Name", placeholder="client's name", continuous_update=False,
                           style={"description_width": "46px"}).add_class("tb-client-name")
        self.new_button = w.Button(description="New", icon="plus", tooltip="Start a new client").add_class("tb-client-new")
        self.save_button = w.Button(description="Save", icon="save", button_style="primary",
                                    tooltip="Save the inputs (and name) for this client").add_class("tb-client-save")
        self.delete_button = w.Button(description="Delete", icon="trash", tooltip="Delete this client and their diary"
                                      ).add_class("tb-client-delete")
        self.state = w.HTML("").add_class("tb-client-state")  # a place for the client's state
        self.confirm_text = w.HTML("")
        self.confirm_yes = w.Button(description="Yes, delete", button_style="danger").add_class("tb-client-confirm-delete")
        self.confirm_no = w.Button(description="Cancel").add_class("tb-client-cancel-delete")
        self.confirm = w.HBox([self.confirm_text, self.confirm_yes, self.confirm_no]).add_class("tb-client-confirm")
        self.guard_text = w.HTML("")
        self.guard_save = w.Button(description="Save, then go on", button_style="primary").add_class("tb-guard-save")
        self.guard_discard = w.Button(description="Discard changes").add_class("tb-guard-discard")
        self.guard_cancel = w.Button(description="Keep editing").add_class("tb-guard-cancel")
        self.guard = w.HBox([self.guard_text, self.guard_save, self.guard_discard, self.guard_cancel]).add_class("tb-guard")
        self.message = w.HTML("").add_class("tb-client-message")
        self.history = w.VBox([]).add_class("tb-client-history")  # a place for the saved history
        for box in (self.confirm, self.guard):
            set_visible(box, False)
        self.widget = w.VBox([
            w.HBox([self.pick, self.name, self.new_button, self.save_button, self.delete_button, self.state]),
            self.confirm, self.guard, self.message, self.history,
        ]).add_class("tb-client-bar")
        self._guarded: Callable[[str], None] | None = None
        self._on_yes: Callable[[], None] | None = None
        self.confirm_yes.on_click(lambda _: self._on_yes() if self._on_yes else None)
        self.pick.observe(self._on_pick(on_pick), names="value")
        self.new_button.on_click(lambda _: on_new())
        self.save_button.on_click(lambda _: on_save())
        self.delete_button.on_click(lambda _: on_delete())
        self.confirm_no.on_click(lambda _: self.hide_confirm())
        for button, choice in ((self.guard_save, "save"), (self.guard_discard, "discard"), (self.guard_cancel, "cancel")):
            button.on_click(self._guard_choice(choice))

    def _on_pick(self, on_pick: Callable[[int], None]) -> Callable[[dict], None]:
        def picked(change: dict) -> None:
            if not self.loading:
                on_pick(change["new"])
        return picked

    def show_roster(self, clients: list[ClientSummary], selected: int | None) -> None:
        """List ``clients`` in the picker with ``selected`` chosen (no pick event)."""
        self.loading = True
        try:
            options = [("— new, not saved —", NOT_SAVED)] + [(roster_label(client), client.id) for client in clients]
            if list(self.pick.options) != options:
                self.pick.options = options
            ids = [client.id for client in clients]
            self.pick.value = selected if selected in ids else NOT_SAVED
        finally:
            self.loading = False

    def listed_names(self) -> list[str]:
        """The client names in the picker."""
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
        """Tell the coach the client was changed elsewhere (a version conflict) and what to do."""
        self.say(text, error=True)
