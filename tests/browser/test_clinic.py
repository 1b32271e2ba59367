"""Clinic mode (issue 14), with the README's "Running it for a clinic" command run as written:
no page, no kernel API and no websocket without the token; two servers on one PostgreSQL share the
roster (a client made through one appears on the other); a coach on each server opens the same client,
the first saves, the second is told it changed (by whom) and the History shows both coaches.

The command runs in a copy of the repository whose ``.venv/bin/voila`` starts this interpreter's Voila
(the real ``.venv`` is made by the dashboard command, tested in ``tests/test_readme_commands.py``);
the database URL, token and port come from the environment, as the README's ``export`` lines give them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import ARTIFACTS, REPO, die_with_parent, free_port, wait_until_ready
from hub import roster_database
from test_two_coaches import open_history, pick, set_pain, wait_for_text
from planner import ClientProfile
from planner.store import Store

TOKEN = "clinic-" + uuid.uuid4().hex
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", ".hypothesis", ".pytest_cache",
                                     "artifacts", "*.egg-info", "build", "dist")


def clinic_command() -> str:
    section = (REPO / "README.md").read_text().split("## Running it for a clinic", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)\n```", section, re.S)
    (command,) = [line for line in block.splitlines() if line.startswith(".venv/bin/voila")]
    return command


@pytest.fixture(scope="module")
def clinic_repo(tmp_path_factory) -> Path:
    """A copy of the repository whose .venv/bin/voila is this interpreter's Voila."""
    copy = tmp_path_factory.mktemp("clinic") / "trailback"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    (copy / ".venv" / "bin").mkdir(parents=True)
    shim = copy / ".venv" / "bin" / "voila"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m voila "$@"\n')
    shim.chmod(0o755)
    config = copy.parent / "jupyter-config"
    config.mkdir()
    (config / "voila.json").write_text(json.dumps({"Voila": {"open_browser": False, "port_retries": 0}}))
    return copy


@pytest.fixture(scope="module")
def clinic_db_url():
    """A fresh database on a throwaway PostgreSQL cluster (Debian's server), dropped afterwards."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(roster_database())
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            pytest.skip(f"no PostgreSQL server could be started: {error}")
        yield url


def start_clinic_server(repo: Path, db_url: str, coach: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "TRAILBACK_DB_URL": db_url, "JUPYTER_TOKEN": TOKEN, "TRAILBACK_PORT": str(port),
           "TRAILBACK_COACH": coach, "PYTHONPATH": str(repo), "JUPYTER_CONFIG_DIR": str(repo.parent / "jupyter-config")}
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"voila-clinic-{port}.log", "wb") as log:
        server = subprocess.Popen(["bash", "-c", clinic_command()], cwd=repo, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, preexec_fn=die_with_parent, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        wait_until_ready(server, url)
    except BaseException:
        stop_group(server)
        raise
    return server, url


def stop_group(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def get(url: str, path: str) -> tuple[int, str]:
    """Status and body of one GET, redirects not followed."""
    host, port = url.rsplit("//", 1)[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def websocket_status(url: str, path: str) -> int:
    """101 when a websocket to ``path`` opens, else the HTTP status that refused it."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def attempt() -> int:
        try:
            connection = await websocket_connect(HTTPRequest(url.replace("http", "ws", 1) + path,
                                                             headers={"Origin": url}, connect_timeout=30))
        except HTTPClientError as error:
            return error.code
        connection.close()
        return 101

    # In its own thread: Playwright's sync API keeps an event loop running in this one once a browser
    # test has run in the session, and asyncio.run refuses to start inside it.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, attempt()).result()


def test_no_page_no_kernel_and_no_websocket_without_the_token(clinic_repo, clinic_db_url):
    assert "--token" in clinic_command() and "TRAILBACK_PORT" in clinic_command()
    with Store(clinic_db_url) as store:
        store.create_client(ClientProfile(name="Carol (private)"))
    server, url = start_clinic_server(clinic_repo, clinic_db_url, "front desk")
    try:
        status, body = get(url, "/")
        assert status in (302, 401, 403) and WIDGET_VIEW not in body and "Carol" not in body
        status, body = get(url, "/?token=wrong-" + TOKEN)
        assert status in (302, 401, 403) and WIDGET_VIEW not in body
        status, body = get(url, f"/?token={TOKEN}")
        assert status == 200 and WIDGET_VIEW in body
        kernel_id = re.search(r'kernelId"\s*:\s*"([0-9a-f-]+)"', body).group(1)
        assert get(url, f"/api/kernels/{kernel_id}")[0] == 403
        assert get(url, f"/api/kernels/{kernel_id}?token={TOKEN}")[0] == 200
        assert websocket_status(url, f"/api/kernels/{kernel_id}/channels") == 403
        assert websocket_status(url, f"/api/kernels/{kernel_id}/channels?token=wrong") == 403
        assert websocket_status(url, f"/api/kernels/{kernel_id}/channels?token={TOKEN}") == 101
    finally:
        stop_group(server)


def wait_for_client_message(page, text: str) -> None:
    page.wait_for_function("(text) => { const m = document.querySelector('.tb-client-message');"
                           " return m && m.innerText.includes(text); }", arg=text, timeout=60_000)


def roster(page) -> list[str]:
    """Client names in the client bar's picker (each label ends with " · " and the client's state)."""
    return [text.replace("\xa0", " ").split(" · ")[0].strip()
            for text in page.locator(".tb-client-pick select option").all_inner_texts()]


def open_signed_in(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/?token={TOKEN}", timeout=120_000)
    page.wait_for_selector(".tb-status-text[data-replans]", timeout=120_000)
    return context, page


def test_two_servers_on_one_postgresql_share_the_roster(browser, clinic_repo, clinic_db_url):
    name = f"Olga Clinic {uuid.uuid4().hex[:6]}"
    first, first_url = start_clinic_server(clinic_repo, clinic_db_url, "coach at desk 1")
    second, second_url = start_clinic_server(clinic_repo, clinic_db_url, "coach at desk 2")
    try:
        context, page = open_signed_in(browser, first_url)
        try:
            page.fill(".tb-client-name input", name)
            page.locator(".tb-client-name input").press("Enter")
            page.click(".tb-client-save")
            wait_for_client_message(page, f"Saved {name} as a new client")
        finally:
            page.close(run_before_unload=True)
            context.close()
        context, page = open_signed_in(browser, second_url)
        try:
            page.wait_for_function("(name) => [...document.querySelectorAll('.tb-client-pick select option')]"
                                   ".some(o => o.innerText.replace(/\\u00a0/g, ' ').startsWith(name + ' '))", arg=name,
                                   timeout=60_000)
            assert name in roster(page)
        finally:
            page.close(run_before_unload=True)
            context.close()
        with Store(clinic_db_url) as store:  # the one database holds it, made by the first server's coach
            (summary,) = [c for c in store.list_clients() if c.name == name]
            assert [(h.note, h.changed_by) for h in store.history(summary.id)][0] == ("created", "coach at desk 1")

        (first_context, first_page), (second_context, second_page) = (open_signed_in(browser, first_url),
                                                                       open_signed_in(browser, second_url))
        try:  # a coach at each desk opens the client; desk 1 saves first
            pick(first_page, name)
            pick(second_page, name)
            set_pain(second_page, 7)  # unsaved before desk 1 saves: kept, not replaced by desk 1's save
            wait_for_client_message(second_page, "Unsaved changes")
            set_pain(first_page, 5)
            first_page.click(".tb-client-save")
            wait_for_client_message(first_page, f"Saved {name}")
            second_page.click(".tb-client-save")
            wait_for_text(second_page, ".tb-conflict", f"{name} changed since you opened it")
            assert "saved by coach at desk 1" in second_page.inner_text(".tb-conflict").replace("\xa0", " ")
            assert second_page.input_value(".tb-field-pain_now input") == "7"
            open_history(second_page)
            assert [row.split("\t")[1:] for row in second_page.locator(".tb-history-row").all_inner_texts()] == [
                ["coach at desk 1", "saved"], ["coach at desk 1", "created"]]
        finally:
            for page, context in ((first_page, first_context), (second_page, second_context)):
                page.close(run_before_unload=True)
                context.close()
        with Store(clinic_db_url) as store:
            assert store.load_client(summary.id).profile.pain.pain_now == 5
    finally:
        stop_group(first)
        stop_group(second)
