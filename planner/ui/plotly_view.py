"""A light plotly widget: a ``go.Figure`` edited in Python, drawn in the page by plotly.js's basic
bundle (bar, scatter, pie; ~1.2 MB) instead of ``go.FigureWidget``'s full one (~5 MB).

Why: compiling FigureWidget's bundle was one 1.3–1.8 s task on the page's main thread, most of the
dashboard's time-to-interactive beyond an empty notebook (``benchmarks/bench_dashboard.py``). The
bundle is vendored in ``static/`` (MIT, see ``static/plotly-basic.LICENSE.txt``; refresh it with
``scripts/vendor_plotly_basic.sh``, which adds V8's compile hint as its first line): nothing is
downloaded from the internet at run time.

How the page gets plotly.js: the README command serves the page with the Voila template
``trailback`` (``voila.json``; ``share/jupyter/voila/templates/trailback``, installed with the
package), which loads the bundle from the server while the page still waits for its kernel, so the
widget's own module is small. Anywhere else (Voila's default template, JupyterLab) the view asks the
kernel for the bundle once (:data:`BUNDLE_REQUEST`) and gets it as a message.

Edit :attr:`LiveFigure.figure` inside :meth:`LiveFigure.batch_update`; leaving the block sends the
whole figure as one message and the page redraws it in place (``Plotly.react``).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Callable, Iterator

import anywidget
import plotly.graph_objects as go
import traitlets

STATIC = "static"
PLOTLY_BASIC_JS = "plotly-basic.min.js"
VIEW_JS = "plotly_view.js"


BUNDLE_REQUEST = "send plotly.js"  # the message a view sends when the page has no plotly.js yet
DRAWN = "drawn"  # the message a view sends once it has drawn its figures for the first time


@cache
def view_module() -> str:
    """The widget's ES module: the render code (plotly.js comes from the page or the kernel)."""
    return (resources.files("planner.ui") / STATIC / VIEW_JS).read_text(encoding="utf-8")


@cache
def bundle_module() -> str:
    """plotly.js's basic bundle as an ES module whose default export is ``Plotly`` (the bundle is a
    UMD script: it fills the local ``module.exports``)."""
    bundle = (resources.files("planner.ui") / STATIC / PLOTLY_BASIC_JS).read_text(encoding="utf-8")
    return f"const module = {{ exports: {{}} }};\n{bundle}\n;\nexport default module.exports;\n"


class PlotlyView(anywidget.AnyWidget):
    """Draws the plotly figure in ``figure_json`` (the JSON of ``go.Figure.to_json()``)."""

    _esm = traitlets.Unicode(view_module()).tag(sync=True)
    figure_json = traitlets.Unicode("{}").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._after_first_draw: list = []
        self.on_msg(self._on_message)

    def after_first_draw(self, callback) -> None:
        """Call ``callback()`` once, when a page has first drawn this view's figures."""
        self._after_first_draw.append(callback)

    def _on_message(self, _widget, content, _buffers) -> None:
        if content == BUNDLE_REQUEST:
            self.send({"plotly_module": bundle_module()})
        elif content == DRAWN:
            callbacks, self._after_first_draw = self._after_first_draw, []
            for callback in callbacks:
                callback()


class LiveFigure:
    """A ``go.Figure`` (``figure``) shown by a :class:`PlotlyView` (``widget``)."""

    def __init__(self, figure: go.Figure):
        self.figure = figure
        self.widget = PlotlyView(figure_json=figure.to_json())

    @property
    def data(self):
        """The figure's traces."""
        return self.figure.data

    @property
    def layout(self):
        """The figure's layout."""
        return self.figure.layout

    @contextmanager
    def batch_update(self) -> Iterator[go.Figure]:
        """Edit the figure inside the block; the page gets it in one message at the end."""
        try:
            with self.figure.batch_update():
                yield self.figure
        finally:  # edits made before an error are in the figure: the page shows them too
            self.widget.figure_json = self.figure.to_json()


class LiveCharts:
    """Several charts (``figures``: name -> plotly figure as a plain dict, ``{"data": [...], "layout":
    {...}}``), each drawn in its own plot with a one-line caption under it by one :class:`PlotlyView`
    (``widget``): one copy of plotly.js on the page. Plain dicts, not ``go.Figure``: serialising a
    go.Figure deep-copies it, several times slower per redraw. ``key``: figure -> the entries of an HTML
    key drawn between the plot and its caption (name, group title, swatch: see
    :func:`planner.ui.charts.legend_entries`)."""

    def __init__(self, figures: dict[str, dict], captions: dict[str, str],
                 key: Callable[[dict], list[dict]] | None = None):
        self.figures = figures
        self.captions = captions
        self.key = key
        self.widget = PlotlyView(figure_json=self._json())

    def _json(self) -> str:
        charts = [{"name": name, "figure": figure, "caption": self.captions.get(name, ""),
                   **({"key": self.key(figure)} if self.key else {})}
                  for name, figure in self.figures.items()]
        return json.dumps({"charts": charts}, separators=(",", ":"), allow_nan=False, default=_plain)

    @contextmanager
    def batch_update(self) -> Iterator[dict[str, dict]]:
        """Edit the figures (and ``captions``) inside the block; the page gets them in one message."""
        try:
            yield self.figures
        finally:
            self.widget.figure_json = self._json()


def _plain(value):
    """numpy numbers as plain numbers for JSON."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
