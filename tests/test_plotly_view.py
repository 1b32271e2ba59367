"""The light chart widget: what the page gets is the Python figure, and its bundle is the plotly.js
that plotly's Python package was made for, from the page's template or (elsewhere) from the kernel."""

import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go

from planner.ui.plotly_view import BUNDLE_REQUEST, PLOTLY_BASIC_JS, LiveFigure, PlotlyView, bundle_module, view_module

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "planner" / "ui" / "static"
TEMPLATE = REPO / "share" / "jupyter" / "voila" / "templates" / "trailback"


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


def test_vendored_bundle_asks_v8_to_compile_it_while_it_streams_in():
    """scripts/vendor_plotly_basic.sh puts V8's compile hint on the bundle's first line (the page then
    compiles plotly.js off its main thread); the hint is a comment, so the kernel's module still runs."""
    vendored = (STATIC / PLOTLY_BASIC_JS).read_text()
    assert vendored.startswith("//# allFunctionsCalledOnLoad\n/**")
    assert "allFunctionsCalledOnLoad" in (REPO / "scripts" / "vendor_plotly_basic.sh").read_text()


def test_the_widget_module_is_small_and_the_bundle_module_exports_plotly():
    module = view_module()
    assert module.rstrip().endswith("export default { render };")
    assert len(module) < 20_000  # plotly.js is not in it: the page or the kernel brings it once
    assert PlotlyView()._esm == module
    assert BUNDLE_REQUEST in module  # the JS asks with the words the Python side answers
    bundle = bundle_module()
    assert bundle.index("const module = { exports: {} };") < bundle.index("plotly.js (basic")
    assert bundle.rstrip().endswith("export default module.exports;")
    assert len(bundle) < 2_000_000  # far less than FigureWidget's ~5 MB bundle


def test_a_view_without_plotly_gets_the_bundle_from_the_kernel_and_nothing_else_does():
    view = PlotlyView()
    sent = []
    view.send = lambda content, buffers=None: sent.append(content)
    view._handle_custom_msg({"something": "else"}, [])
    view._handle_custom_msg("unknown request", [])
    assert sent == []
    view._handle_custom_msg(BUNDLE_REQUEST, [])
    assert sent == [{"plotly_module": bundle_module()}]


def test_the_voila_template_loads_the_same_bundle_and_is_installed_with_the_package():
    """voila.json serves the page with the template "trailback"; pyproject.toml installs it (with the
    vendored bundle as its static file) where Voila looks for templates."""
    import tomllib

    from voila.paths import collect_static_paths, collect_template_paths

    config = json.loads((REPO / "voila.json").read_text())
    assert config["VoilaConfiguration"]["template"] == "trailback"
    shared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    target = "share/jupyter/voila/templates/trailback"
    assert shared == {f"{target}/conf.json": f"{target}/conf.json",
                      f"{target}/index.html.j2": f"{target}/index.html.j2",
                      f"planner/ui/static/{PLOTLY_BASIC_JS}": f"{target}/static/{PLOTLY_BASIC_JS}"}
    assert json.loads((TEMPLATE / "conf.json").read_text()) == {"base_template": "lab"}
    page = (TEMPLATE / "index.html.j2").read_text()
    assert f"voila/templates/trailback/static/{PLOTLY_BASIC_JS}" in page and "trailbackPagePlotly" in page
    assert "trailbackPagePlotly" in view_module()
    # installed (pip install -e . copies it: after editing the template, install again)
    installed = next(Path(path) for path in collect_template_paths(["voila"], "trailback", prune=True)
                     if (Path(path) / "index.html.j2").exists())
    assert (installed / "index.html.j2").read_text() == page, "template changed: run pip install -e . again"
    static = next(Path(path) for path in collect_static_paths(["voila"], "trailback")
                  if (Path(path) / PLOTLY_BASIC_JS).exists())
    assert (static / PLOTLY_BASIC_JS).read_bytes() == (STATIC / PLOTLY_BASIC_JS).read_bytes()


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
