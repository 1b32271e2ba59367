"""The README's command in a real browser: ``voila notebooks/planner.ipynb`` from the repository root,
so ``voila.json`` applies (pre-heated kernel, plotly's unused JupyterLab extension left out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, voila_server
from planner import plan
from planner.ui.form import default_profile

LOAD_BARS = ".tb-chart-plot-load g.trace.bars g.point path"  # the weekly load chart


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
