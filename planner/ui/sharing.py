"""Widgets with equal ``style`` or ``layout`` share one model.

Every ipywidget brings its own Layout and (most) a Style model, and the page creates each model before
it shows anything: the dashboard had 331 models, half of them identical layouts and styles. Sharing
them (ipywidgets allows one Layout or Style on many widgets) halves the models and shortens page load
(``benchmarks/bench_dashboard.py``).

A shared model must not change afterwards, or every widget sharing it would change. So the dashboard
never changes a layout after building it: it hides and shows boxes with a CSS class
(:func:`planner.ui.style.set_visible`), and ``tests/test_ui.py`` fails on any ``.layout.<name> =``
in ``planner/ui`` (widgets built after sharing, like the trail panel's, keep their own layouts). As a
last line, a change to a shared model raises :class:`SharedModelChanged`; ``own_layout`` lets a caller
keep a widget's layout out of the sharing.
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import Iterable

import ipywidgets as w


_GUARDED: "weakref.WeakSet[w.Widget]" = weakref.WeakSet()  # shared models already refusing changes


class SharedModelChanged(RuntimeError):
    """A layout or style shared by several widgets was changed."""


def _state_key(model: w.Widget) -> tuple:
    state = model.get_state()
    return type(model), tuple(sorted((name, repr(value)) for name, value in state.items()
                                     if not name.startswith("_")))


def _refuse_change(change: dict) -> None:
    raise SharedModelChanged(
        f"{type(change['owner']).__name__}.{change['name']} changed, but this {type(change['owner']).__name__} is "
        "shared by several widgets (planner.ui.sharing): give the widget its own with own_layout")


def share_equal_models(root: w.Widget, own_layout: Iterable[w.Widget] = ()) -> int:
    """Make the widgets under ``root`` share equal ``style`` and ``layout`` models (except the layouts
    of ``own_layout``); close the models no longer used. Returns how many were closed.

    A model used by several widgets under ``root`` (e.g. a module constant), or shared by an earlier
    call, is the one others join and is never closed: widgets made later may still use it. A model
    used once under ``root`` and also by a widget elsewhere would be closed: do not build such.
    """
    keep_layout = {id(widget) for widget in own_layout}
    slots = [(widget, attribute, getattr(widget, attribute)) for widget in _all(root)
             for attribute in ("style", "layout")
             if isinstance(getattr(widget, attribute, None), (w.Style, w.Layout))
             and not (attribute == "layout" and id(widget) in keep_layout)]
    users = Counter(id(model) for _, _, model in slots)
    keys = {id(model): _state_key(model) for _, _, model in slots}
    canonical: dict[tuple, w.Widget] = {}
    for _, _, model in slots:
        if users[id(model)] > 1:
            canonical.setdefault(keys[id(model)], model)
    replaced: dict[int, w.Widget] = {}
    for widget, attribute, model in slots:
        first = canonical.setdefault(keys[id(model)], model)
        if first is not model:
            setattr(widget, attribute, first)
            replaced[id(model)] = model
    closed = 0
    for model in replaced.values():
        if users[id(model)] == 1 and model not in _GUARDED:
            model.close()
            closed += 1
    now_users = Counter(id(getattr(widget, attribute)) for widget, attribute, _ in slots)
    for model in {id(model): model for model in canonical.values()}.values():
        if now_users[id(model)] > 1 and model not in _GUARDED:
            synced = [name for name in model.get_state() if not name.startswith("_")]
            model.observe(_refuse_change, names=synced)  # not "comm": closing it stays allowed
            _GUARDED.add(model)
    return closed


def _all(root: w.Widget):
    """``root`` and every widget under it (``children``), each once."""
    stack, seen = [root], set()
    while stack:
        widget = stack.pop()
        if id(widget) not in seen:
            seen.add(id(widget))
            yield widget
            stack.extend(getattr(widget, "children", ()) or ())
