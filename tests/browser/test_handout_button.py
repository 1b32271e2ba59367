"""The handout button and the compare panel in a real page (a small notebook of their own: the
coordinator wires them into the dashboard). One click on "Handout (PDF)" downloads the PDF."""

from __future__ import annotations

import io

import nbformat
from pypdf import PdfReader

from tests.browser.conftest import voila_server

CELL = """\
import dataclasses
from IPython.display import display
import ipywidgets as w
from planner import plan
from planner.examples import EXAMPLES
from planner.ui.compare_panel import ComparePanel
from planner.ui.handout_button import HandoutButton

hiker = dataclasses.replace(EXAMPLES["hiker with a pack on hills"], name="Zoë Ångström")
state = {"plan": plan(hiker)}
panel = ComparePanel()
panel.show(state["plan"])

def twelve_weeks(_):
    state["plan"] = plan(dataclasses.replace(hiker, goal=dataclasses.replace(hiker.goal, weeks=12)))
    panel.show(state["plan"])

change = w.Button(description="12 weeks")
change.add_class("tb-test-change")
change.on_click(twelve_weeks)
display(w.VBox([change, panel.widget, HandoutButton(source=lambda: (state["plan"], "imperial"))]))
"""


def test_keep_change_compare_and_download_the_handout(browser, tmp_path):
    notebook = tmp_path / "handout_button.ipynb"
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(CELL)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, notebook)
    with voila_server(notebook, tmp_path) as base_url:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(f"{base_url}/", timeout=60_000)
            page.wait_for_selector(".tb-handout-button", timeout=60_000)
            page.click(".tb-compare-keep")
            page.click(".tb-test-change")
            page.wait_for_selector(".tb-compare-table tr.tb-compare-differs[data-measure='weeks in plan']",
                                   timeout=30_000)
            row = page.inner_text(".tb-compare-table tr[data-measure='weeks in plan']")
            assert row.split() == ["weeks", "in", "plan", "16", "12"]

            with page.expect_download(timeout=30_000) as download:
                page.click(".tb-handout-button")
            assert download.value.suggested_filename == "trailback-handout-zo-ngstr-m.pdf"
            pdf = open(download.value.path(), "rb").read()
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
            assert "Walking plan for Zoë Ångström" in text and "12 weeks" in text and "Units: imperial" in text
            assert not errors, errors
        finally:
            page.close(run_before_unload=True)
            context.close()
