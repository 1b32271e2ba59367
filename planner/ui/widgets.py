"""Two small anywidgets the dashboard needs and ipywidgets lacks: weekday toggle buttons (one model,
not seven) and a download button whose file is built only when it is clicked; and the one way the
page takes a file chosen in a ``FileUpload``.

The page code is in ``static/`` beside this module.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Callable

import anywidget
import ipywidgets as w
import traitlets

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@cache
def _static(name: str) -> str:
    return (resources.files("planner.ui") / "static" / name).read_text(encoding="utf-8")


class WeekdayToggles(anywidget.AnyWidget):
    """Seven toggle buttons, Mon–Sun; ``value`` is the tuple of pressed days (0 = Monday), sorted."""

    _esm = traitlets.Unicode(_static("weekday_toggles.js")).tag(sync=True)
    value = traitlets.List(traitlets.Int(), default_value=[]).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode(), default_value=list(WEEKDAY_NAMES)).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("value")
    def _sorted(self, proposal):
        return sorted({int(day) for day in proposal["value"]})

    def toggle(self, day: int) -> None:
        """Press or release ``day`` (what a click does)."""
        days = set(self.value)
        days.symmetric_difference_update({day})
        self.value = sorted(days)


class DownloadButton(anywidget.AnyWidget):
    """A button that asks the kernel for a file when clicked: ``build()`` returns ``(filename, mime,
    bytes)`` and only then runs, so nothing is sent to the page until someone wants the file."""

    _esm = traitlets.Unicode(_static("download.js")).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, label: str, build: Callable[[], tuple[str, str, bytes]], **kwargs):
        super().__init__(label=label, **kwargs)
        self.build = build
        self.requests = 0
        self.on_msg(self._on_message)

    def payload(self) -> tuple[str, str, bytes]:
        """What a click would download now: (file name, MIME type, bytes)."""
        return self.build()

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("kind") != "request":
            return
        self.requests += 1
        filename, mime, data = self.payload()
        self.send({"kind": "file", "filename": filename, "mime": mime}, buffers=[data])


def on_file_chosen(upload: w.FileUpload, handle: Callable[[bytes, str], None]) -> None:
    """Call ``handle(content, file_name)`` for the file chosen in ``upload``, which is then emptied so
    that the same file can be chosen again."""
    def chosen(change: dict) -> None:
        files = change["new"]
        if not files:
            return
        content, name = bytes(files[0]["content"]), files[0].get("name", "")
        upload.value = ()
        handle(content, name)
    upload.observe(chosen, names="value")


class BuiltOnFirstUse:
    """A panel whose widgets named in ``PARTS`` are made by ``_build()`` only when first needed (issue 22):
    a page's first paint carries the panel's small placeholder, not its models. Reading any part, or
    calling :meth:`build` (e.g. once the page has drawn its chart), builds them once."""

    PARTS: tuple[str, ...] = ()
    built = False

    def build(self) -> None:
        """Make the panel's widgets (once); the open button, if any, is closed then."""
        if self.built:
            return
        self.built = True
        try:
            self._build()
        except AttributeError as error:  # not to be taken by __getattr__ for a missing part
            self.built = False
            raise RuntimeError(f"{type(self).__name__} could not be built: {error}") from error
        except BaseException:
            self.built = False
            raise
        if "open_button" in self.__dict__:
            self.open_button.close()

    def make_open_button(self, description: str, css_class: str) -> w.Button:
        """``open_button``: builds the panel when clicked (a page that never drew its chart)."""
        self.open_button = w.Button(description=description, layout=w.Layout(width="auto")).add_class(css_class)
        self.open_button.on_click(lambda _: self.build())
        return self.open_button

    def _build(self) -> None:
        raise NotImplementedError

    def __getattr__(self, name: str):
        if name in type(self).PARTS and not self.__dict__.get("built", False):
            self.build()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
