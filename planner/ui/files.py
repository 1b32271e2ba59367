"""The files panel: downloads (the client's handout PDF, schedule CSV, calendar .ics, profile JSON)
built only when clicked, in the page's units, and opening a saved profile file.

A profile file written here wraps the profile with the unit choice::

    {"trailback_profile_file": 1, "units": "imperial", "profile": {...ClientProfile.to_dict()...}}

Plain profile files (just ``ClientProfile.to_dict()``, as older versions saved) are read too.
"""

from __future__ import annotations

import html
import json
import re
from typing import Callable

import ipywidgets as w

from planner.export import sessions_csv, sessions_ics
from planner.plan import Plan
from planner.profile import ClientProfile, PlannerInputError, parse_json
from planner.units import SYSTEMS
from planner.ui.handout_button import HandoutButton
from planner.ui.style import set_visible
from planner.ui.widgets import BuiltOnFirstUse, DownloadButton, on_file_chosen

FILE_VERSION = 1
WRAPPER_KEY = "trailback_profile_file"
SECTIONS = ("pain", "fitness", "terrain", "goal")
MAX_UPLOAD_BYTES = 200_000


def profile_file_bytes(profile: ClientProfile, system: str) -> bytes:
    """The profile file: the profile with the unit choice."""
    return json.dumps({WRAPPER_KEY: FILE_VERSION, "units": system, "profile": profile.to_dict()}, indent=2).encode()


def read_profile_file(text: str | bytes) -> tuple[ClientProfile, str | None, list[str]]:
    """(profile, unit choice or None for an old plain file, sections the file leaves out).

    Raises :class:`PlannerInputError` for a file that is not a Trailback profile."""
    data = parse_json(text, "profile")
    units = None
    if isinstance(data, dict) and WRAPPER_KEY in data:
        units = data.get("units")
        if units not in SYSTEMS:
            raise PlannerInputError("units", "metric or imperial", units)
        data = data.get("profile")
    profile = ClientProfile.from_dict(data)
    missing = [section for section in SECTIONS if section not in data]
    return profile, units, missing


def file_name(profile: ClientProfile, what: str, extension: str) -> str:
    """e.g. ``trailback-alice-walker-plan.csv`` (``trailback-plan.csv`` without a name)."""
    slug = re.sub(r"[^a-z0-9]+", "-", profile.name.lower()).strip("-")[:40]
    return f"trailback-{slug + '-' if slug else ''}{what}.{extension}"


class FilesPanel(BuiltOnFirstUse):
    """Four download buttons (``handout``, ``csv``, ``ics``, ``profile``) and the profile ``upload``.

    At first only the panel's title and a "Show the files" button are on the page; the buttons are
    built on first use (:class:`BuiltOnFirstUse`: the dashboard builds them once its chart has drawn)."""

    PARTS = ("handout", "csv", "ics", "profile", "upload", "message", "plan_files")

    def __init__(self, current: Callable[[], Plan], system: Callable[[], str], on_file: Callable[[bytes], None]):
        self.current = current
        self.system = system
        self.on_file = on_file
        self._plan_files_shown = True
        self.widget = w.VBox([
            w.HTML("<h2 class='tb-section-title' id='tb-files'>Files</h2>"),
            self.make_open_button("Show the files", "tb-files-open"),
        ]).add_class("tb-files")

    def _build(self) -> None:
        self.handout = HandoutButton(source=lambda: (self.current(), self.system()))
        self.csv = DownloadButton("Schedule (.csv)", self._csv).add_class("tb-download-csv")
        self.ics = DownloadButton("Calendar (.ics)", self._ics).add_class("tb-download-ics")
        self.profile = DownloadButton("Save profile file (.json)", self._profile).add_class("tb-download-profile")
        self.upload = w.FileUpload(accept=".json,application/json", multiple=False, description="Open profile file",
                                   layout=w.Layout(width="auto")).add_class("tb-upload")
        self.message = w.HTML().add_class("tb-upload-message")
        self.plan_files = w.HBox([self.handout, self.csv, self.ics]).add_class("tb-plan-downloads")
        set_visible(self.plan_files, self._plan_files_shown)
        self.widget.children = [
            self.widget.children[0],
            w.HBox([self.plan_files, self.profile, self.upload]).add_class("tb-downloads"), self.message,
        ]
        on_file_chosen(self.upload, lambda content, name: self._opened(content))

    def _csv(self) -> tuple[str, str, bytes]:
        result = self.current()
        return file_name(result.profile, "plan", "csv"), "text/csv", sessions_csv(result, self.system()).encode()

    def _ics(self) -> tuple[str, str, bytes]:
        result = self.current()
        return file_name(result.profile, "plan", "ics"), "text/calendar", sessions_ics(result, self.system())

    def _profile(self) -> tuple[str, str, bytes]:
        result = self.current()
        return (file_name(result.profile, "profile", "json"), "application/json",
                profile_file_bytes(result.profile, self.system()))

    def show(self, result: Plan) -> None:
        """Plan files only when there is a plan (a stopped plan keeps the profile file)."""
        self._plan_files_shown = not (result.stopped and not len(result.weekly))
        if self.built:
            set_visible(self.plan_files, self._plan_files_shown)

    def _opened(self, content: bytes) -> None:
        if len(content) > MAX_UPLOAD_BYTES:
            self.say("That file is too large for a profile.", error=True)
            return
        self.on_file(content)

    def say(self, text: str, error: bool = False) -> None:
        """A message under the buttons (escaped)."""
        css = "tb-error-text" if error else "tb-info-text"
        self.message.value = f"<span class='{css}'>{'⚠ ' if error else ''}{html.escape(text)}</span>"
