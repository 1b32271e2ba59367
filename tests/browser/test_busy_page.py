"""Issue 24 items 1, 4 and 5, on the page template "trailback" and voila.json as served:

- a page whose kernel came back without its widgets (a burst: "Timeout waiting for IOPub output")
  says the server was busy and loads itself again until it works, instead of staying blank; so does
  one whose kernel never answers (ended by the executor's cell time limit);
- a file over the page's upload limit is refused with a message before it is sent (a websocket
  message over the server's limit closed the connection and the file vanished silently);
- Voila's ``/voila/query/<kernel-id>`` websocket, open to anyone, gives nothing away.

The first two serve a small notebook with the repository's template (``JUPYTER_PATH``), so that a
first visit can be made to fail on purpose; the last runs the README's clinic command options.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import re
import uuid
from pathlib import Path

import nbformat
import pytest

from conftest import CHROMIUM, REPO, free_port, start_voila, stop, wait_until_ready
from kernels import start_readme_voila

FLAKY_NOTEBOOK = """
import os, pathlib
import ipywidgets as w
from IPython.display import display
visits = pathlib.Path(os.environ["TB_VISITS_FILE"])
visit = int(visits.read_text()) + 1 if visits.exists() else 1
visits.write_text(str(visit))
received = w.HTML("nothing").add_class("tb-received")
upload = w.FileUpload(description="Upload").add_class("tb-upload")
upload.observe(lambda change: setattr(received, "value", f"got {sum(len(f['content']) for f in change['new'])} bytes"),
               "value")
if visit == 1 and os.environ.get("TB_FIRST_VISIT") == "hangs":  # its kernel never answers
    import time
    time.sleep(3600)
if visit > 1:  # the first visit comes back without its widgets, as under a burst
    display(w.VBox([w.HTML(f"visit {visit}").add_class("tb-visit"), upload, received]))
"""


@contextlib.contextmanager
def flaky_server(folder: Path, *extra: str, env: dict[str, str] | None = None):
    """Voila with the repository's template serving FLAKY_NOTEBOOK from ``folder``: (its URL, the
    file counting the visits)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian's chromium)")
    notebook = folder / "flaky.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLAKY_NOTEBOOK)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    visits = folder / "visits.txt"
    port = free_port()
    process = start_voila(notebook, port, "--template=trailback", *extra,
                          env={"JUPYTER_PATH": str(REPO / "share" / "jupyter"), "TB_VISITS_FILE": str(visits),
                               **(env or {})})
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(process, url)
        yield url, visits
    finally:
        stop(process)


@pytest.fixture(scope="module")
def template_server(tmp_path_factory):
    with flaky_server(tmp_path_factory.mktemp("busy")) as served:
        yield served


def test_a_page_that_came_back_empty_says_the_server_was_busy_and_tries_again(browser, template_server):
    url, visits = template_server
    context = browser.new_context()
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda message: None)
    try:
        page.goto(f"{url}/", timeout=120_000)
        page.wait_for_function("() => { const b = document.getElementById('tb-busy');"
                               " return b && b.innerText.includes('too busy'); }", timeout=60_000)
        seen.append(page.inner_text("#tb-busy"))
        page.wait_for_selector(".tb-visit", timeout=120_000)  # the page loaded itself again, and worked
        assert page.inner_text(".tb-visit") == "visit 2"
        page.wait_for_function("() => window.trailbackBusy && window.trailbackBusy.state === 'working'",
                               timeout=60_000)
        assert not page.is_visible("#tb-busy")
        assert "trying again" in seen[0]
        assert visits.read_text() == "2"
    finally:
        page.close(run_before_unload=True)
        context.close()


def test_a_page_whose_kernel_never_answers_is_ended_by_the_cell_time_limit_and_tries_again(browser, tmp_path):
    """voila.json's ``VoilaExecutor.timeout`` (300 s; 5 s here): without it Voila waits for ever on a cell
    whose kernel stopped answering, and the page never finishes loading."""
    with flaky_server(tmp_path, "--VoilaExecutor.timeout=5", env={"TB_FIRST_VISIT": "hangs"}) as (url, visits):
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(f"{url}/", timeout=120_000)
            page.wait_for_function("() => { const b = document.getElementById('tb-busy');"
                                   " return b && b.innerText.includes('trying again in'); }", timeout=60_000)
            page.wait_for_selector(".tb-visit", timeout=120_000)
            assert page.inner_text(".tb-visit") == "visit 2"
            assert visits.read_text() == "2"
        finally:
            page.close(run_before_unload=True)
            context.close()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(browser, template_server, tmp_path):
    url, _ = template_server
    big = tmp_path / "huge-track.gpx"
    big.write_bytes(b"<gpx>" + b" " * 11_000_000 + b"</gpx>")
    small = tmp_path / "small-track.gpx"
    small.write_bytes(b"<gpx>" + b" " * 100_000 + b"</gpx>")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{url}/", timeout=120_000)
        page.wait_for_selector(".tb-upload", timeout=180_000)
        with page.expect_file_chooser() as chooser:
            page.click(".tb-upload")
        chooser.value.set_files(str(big))
        page.wait_for_function("() => document.getElementById('tb-busy').innerText.includes('Not sent')",
                               timeout=30_000)
        message = page.inner_text("#tb-busy")
        assert "huge-track.gpx is 11.0 MB" in message and "up to 10 MB" in message
        page.wait_for_timeout(1500)
        assert page.inner_text(".tb-received") == "nothing"  # nothing reached the kernel
        with page.expect_file_chooser() as chooser:
            page.click(".tb-upload")
        chooser.value.set_files(str(small))
        page.wait_for_function("() => document.querySelector('.tb-received').innerText.startsWith('got')",
                               timeout=60_000)
        assert page.inner_text(".tb-received") == f"got {small.stat().st_size} bytes"
    finally:
        page.close(run_before_unload=True)
        context.close()


def test_the_upload_limit_of_the_page_is_the_trail_panels():
    from planner.ui.trail_panel import MAX_UPLOAD_MB

    template = (REPO / "share/jupyter/voila/templates/trailback/index.html.j2").read_text()
    (limit,) = re.findall(r"MAX_UPLOAD_BYTES = (\d+) \* 1000 \* 1000", template)
    assert float(limit) == MAX_UPLOAD_MB


def test_the_request_info_websocket_gives_nothing_away(tmp_path):
    """``/voila/query/<kernel-id>`` takes a websocket without the token; it used to send the page's
    request to whoever asked first, ``?token=…`` included."""
    from tornado.websocket import websocket_connect

    token = "clinic-" + uuid.uuid4().hex
    port = free_port()
    server = start_readme_voila(REPO, port, "--token", env={"JUPYTER_TOKEN": token,
                                                           "TRAILBACK_DATA_DIR": str(tmp_path)})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(server, url, timeout_s=120)
        import urllib.request

        with urllib.request.urlopen(f"{url}/?token={token}", timeout=300) as response:
            body = response.read().decode()
        kernel_id = re.search(r'kernelId"\s*:\s*"([0-9a-f-]+)"', body).group(1)

        async def listen() -> tuple[object, object]:
            connection = await websocket_connect(f"ws://127.0.0.1:{port}/voila/query/{kernel_id}")
            try:
                message = await asyncio.wait_for(connection.read_message(), timeout=10)
            except asyncio.TimeoutError:
                message = "still open, nothing sent"
            return message, connection.close_code

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            message, close_code = pool.submit(asyncio.run, listen()).result()
        assert message is None and close_code == 1008  # closed at once, nothing sent
    finally:
        stop(server)
