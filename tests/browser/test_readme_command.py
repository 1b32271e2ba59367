"""The README's command in a real browser: ``voila notebooks/planner.ipynb`` from the repository root,
so ``voila.json`` applies (pre-heated kernel, plotly's unused JupyterLab extension left out, the page
template "trailback" that loads plotly.js itself); and the same notebook on Voila's own page, where
the chart widget gets plotly.js from the kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import NOTEBOOK, REPO, voila_server
from planner import plan
from planner.ui.form import default_profile

LOAD_BARS = ".tb-chart-plot-load g.trace.bars g.point path"  # the weekly load chart
TEMPLATE_PLOTLY = "/voila/templates/trailback/static/plotly-basic.min.js"
BUNDLE_BYTES = 1_000_000  # plotly.js's basic bundle is ~1.2 MB


@pytest.fixture
def readme_voila_url(tmp_path):
    """The README command: the notebook served from the repository root, where voila.json applies."""
    with voila_server(Path("notebooks") / "planner.ipynb", tmp_path, cwd=REPO) as base_url:
        yield base_url


def test_readme_command_draws_the_plan_without_plotly_lab_extension(browser, readme_voila_url):
    denied = json.loads((REPO / "voila.json").read_text())["VoilaConfiguration"]["extension_denylist"]
    assert denied == ["jupyterlab-plotly"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{readme_voila_url}/", timeout=60_000)
        page.wait_for_selector(".tb-status-text[data-replans]", timeout=60_000)
        page.wait_for_selector(LOAD_BARS, timeout=60_000)
        expected = plan(default_profile())
        assert page.locator(LOAD_BARS).count() == len(expected.weekly)
        assert any("/labextensions/anywidget/" in url for url in requested)  # extensions do load...
        assert not [url for url in requested if "jupyterlab-plotly" in url]  # ...but not plotly's 4.8 MB one
    finally:
        page.close(run_before_unload=True)
        context.close()


def open_counting(browser, url: str) -> tuple[list[str], list[int]]:
    """Open ``url``, wait for the load chart's bars; the URLs requested and the sizes of the websocket
    frames received until then."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requested: list[str] = []
    frames: list[int] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: frames.append(len(payload if isinstance(payload, bytes) else payload.encode()))))
    try:
        page.goto(url, timeout=60_000)
        page.wait_for_selector(LOAD_BARS, timeout=60_000)
        assert page.locator(LOAD_BARS).count() == len(plan(default_profile()).weekly)
        return requested, frames
    finally:
        page.close(run_before_unload=True)
        context.close()


def test_readme_command_page_loads_plotly_from_its_template_not_over_the_websocket(browser, readme_voila_url):
    requested, frames = open_counting(browser, f"{readme_voila_url}/")
    assert [url for url in requested if url.endswith(TEMPLATE_PLOTLY)] == [f"{readme_voila_url}{TEMPLATE_PLOTLY}"]
    assert sum(frames) < BUNDLE_BYTES / 2  # the widgets' state only (~175 kB)


def test_on_voilas_own_page_the_chart_gets_plotly_from_the_kernel(browser, tmp_path):
    """Without the template (Voila's default page; the same holds in JupyterLab) the charts still draw:
    the view asks the kernel for the bundle, once for both charts."""
    with voila_server(NOTEBOOK, tmp_path) as base_url:
        requested, frames = open_counting(browser, f"{base_url}/")
    assert not [url for url in requested if "plotly-basic" in url]
    assert len([size for size in frames if size > BUNDLE_BYTES]) == 1


# A model asked for before it is registered (as the page's widget is, before the widgets' state has
# arrived), then registered: whether get_model has answered by the next turn of the event loop.
ANSWERED_WHEN_REGISTERED = """async () => {
    const manager = window.jupyterapp.widgetManager;
    const model = { once() {} };
    let answer = null;
    manager.get_model("tb-not-yet-sent").then((found) => { answer = found; });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const before = answer;
    manager.register_model("tb-not-yet-sent", Promise.resolve(model));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { before: before === null, after: answer === model, patched: manager.trailbackWaitsForModels === true };
}"""


def test_readme_command_page_draws_a_widget_as_soon_as_its_model_arrives(browser, readme_voila_url):
    """The template's get_model answers when the model is registered, not at ipywidgets' next 100 ms
    look (ipywidgets 8.1.9 on Voila's own page: the page's widget waited up to 100 ms after its state)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{readme_voila_url}/", timeout=60_000)
        page.wait_for_selector(LOAD_BARS, timeout=60_000)
        assert page.evaluate(ANSWERED_WHEN_REGISTERED) == {"before": True, "after": True, "patched": True}
    finally:
        page.close(run_before_unload=True)
        context.close()
