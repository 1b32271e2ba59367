"""The light chart widget: what the page gets is the Python figure, and its bundle is the plotly.js
that plotly's Python package was made for."""

import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go

from planner.ui.plotly_view import PLOTLY_BASIC_JS, LiveFigure, PlotlyView, view_module

STATIC = Path(__file__).resolve().parents[1] / "planner" / "ui" / "static"


def plotly_js_version(text: str) -> str:
    return re.search(r"plotly\.js \(?[a-z -]*\)? ?v(\d+\.\d+\.\d+)", text[:300]).group(1)


def test_vendored_bundle_draws_the_figures_of_the_installed_plotly():
    """Same plotly.js major version as the one plotly's Python package was made for (its figure schema);
    scripts/vendor_plotly_basic.sh refreshes the bundle to the exact version."""
    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    vendored = (STATIC / PLOTLY_BASIC_JS).read_text()
    assert "basic" in vendored[:200]
    assert plotly_js_version(vendored).split(".")[0] == plotly_js_version(full).split(".")[0]
    assert (STATIC / "plotly-basic.LICENSE.txt").read_text().startswith("MIT License")


def test_module_defines_module_exports_before_the_bundle_and_exports_render():
    module = view_module()
    assert module.index("const module = { exports: {} };") < module.index("plotly.js (basic")
    assert module.rstrip().endswith("export default { render };")
    assert len(module) < 2_000_000  # the point of this widget: far less than FigureWidget's ~5 MB bundle
    assert PlotlyView()._esm == module


def test_batch_update_sends_the_edited_figure_once():
    live = LiveFigure(go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout=dict(title=dict(text="before"))))
    assert json.loads(live.widget.figure_json)["data"][0]["y"] == [3, 4]
    sent = []
    live.widget.observe(lambda change: sent.append(change["new"]), names="figure_json")
    with live.batch_update() as figure:
        figure.data[0].y = [5, 6, 7]
        figure.data[0].x = [1, 2, 3]
        figure.layout.title.text = "after"
    assert len(sent) == 1
    page = json.loads(sent[0])
    assert page["data"][0]["y"] == [5, 6, 7] and page["layout"]["title"]["text"] == "after"
    assert list(live.data[0].y) == [5, 6, 7] and live.layout.title.text == "after"


def test_an_error_inside_batch_update_still_leaves_page_and_figure_alike():
    live = LiveFigure(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    try:
        with live.batch_update() as figure:
            figure.data[0].y = [7, 8]
            raise RuntimeError("a bug in the caller")
    except RuntimeError:
        pass
    assert json.loads(live.widget.figure_json)["data"][0]["y"] == list(live.data[0].y) == [7, 8]


def test_live_charts_send_every_chart_with_its_caption_in_one_message():
    from planner.ui.plotly_view import LiveCharts

    live = LiveCharts({"a": {"data": [{"type": "bar", "y": [1]}], "layout": {}},
                       "b": {"data": [{"type": "scatter", "y": [2]}], "layout": {}}}, {"a": "first", "b": "second"})
    sent = []
    live.widget.observe(lambda change: sent.append(change["new"]), names="figure_json")
    with live.batch_update() as figures:
        figures["a"]["data"][0]["y"] = [3, 4]
        live.captions["b"] = "changed"
    assert len(sent) == 1
    charts = json.loads(sent[0])["charts"]
    assert [chart["name"] for chart in charts] == ["a", "b"]
    assert charts[0]["figure"]["data"][0]["y"] == [3, 4] and charts[1]["caption"] == "changed"
