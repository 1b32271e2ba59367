"""Fixtures for real-browser tests: Voila serving notebooks/planner.ipynb and Debian's Chromium."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "planner.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VOILA_START_TIMEOUT_S = 60
PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when the test runner dies (Linux)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_voila(notebook: Path, port: int, *extra: str, env: dict[str, str] | None = None,
                cwd: Path | None = None, xsrf: bool = False) -> subprocess.Popen:
    """Start Voila on 127.0.0.1:port for ``notebook`` (tracebacks on, xsrf off so kernels shut down).

    ``env``: extra environment variables for Voila and its kernels (e.g. ``TRAILBACK_DATA_DIR``).
    ``cwd``: where Voila runs (default: the notebook's folder); the repository root picks up ``voila.json``.
    ``xsrf``: keep Voila's XSRF checks on, as the README command runs it.
    """
    command = [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--show_tracebacks=True",
               *([] if xsrf else ["--Voila.tornado_settings=disable_check_xsrf=True"]), *extra]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"voila-{port}.log", "wb")  # a file, not a pipe: a full pipe would block Voila
    try:
        return subprocess.Popen(command, cwd=cwd or notebook.parent, stdout=log, stderr=subprocess.STDOUT,
                                preexec_fn=die_with_parent, start_new_session=True, env={**os.environ, **(env or {})})
    finally:
        log.close()


def wait_until_ready(process: subprocess.Popen, base_url: str, timeout_s: float = VOILA_START_TIMEOUT_S) -> None:
    """Wait for GET /voila/static/voila.js == 200 (it does not start a kernel)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"voila exited with {process.returncode}; see {ARTIFACTS}/voila-*.log")
        try:
            with urllib.request.urlopen(f"{base_url}/voila/static/voila.js", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"voila not ready after {timeout_s} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM Voila's process group (Voila and its kernels), then kill if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def voila_data_dir(tmp_path_factory) -> Path:
    """The client database folder of the test Voila server (never the user's data folder)."""
    return tmp_path_factory.mktemp("trailback-data")


@contextlib.contextmanager
def voila_server(notebook: Path, data_dir: Path, cwd: Path | None = None, xsrf: bool = False):
    """Base URL of a Voila server for ``notebook`` (client database in ``data_dir``; ``cwd`` and
    ``xsrf`` as in :func:`start_voila`); skips without Chromium; always stopped afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian's chromium)")
    port = free_port()
    process = start_voila(notebook, port, env={"TRAILBACK_DATA_DIR": str(data_dir)}, cwd=cwd, xsrf=xsrf)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(process, base_url)
        yield base_url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def voila_url(voila_data_dir):
    """Base URL of a Voila server for the planner notebook; always stopped afterwards."""
    with voila_server(NOTEBOOK, voila_data_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught page errors of the ``page`` fixture's page."""
    return []


@pytest.fixture
def page(browser, voila_url, console_errors):
    """A fresh dashboard page, fully drawn; closed with the unload beacon so Voila stops its kernel."""
    with open_dashboard(browser, voila_url, console_errors) as dashboard:
        yield dashboard


@contextlib.contextmanager
def open_dashboard(browser, voila_url: str, console_errors: list[str] | None = None,
                   viewport: tuple[int, int] = (1400, 1000)):
    """A dashboard page in a new browser context (a new kernel) of ``viewport`` (width, height) px;
    closed with the unload beacon."""
    console_errors = [] if console_errors is None else console_errors
    context = browser.new_context(accept_downloads=True, viewport={"width": viewport[0], "height": viewport[1]})
    dashboard = context.new_page()
    dashboard.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    dashboard.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    try:
        dashboard.goto(f"{voila_url}/", timeout=60_000)
        dashboard.wait_for_selector(".tb-status-text[data-replans]", timeout=60_000)
        dashboard.wait_for_selector(".tb-charts g.subplot.xy g.trace.bars g.point path", timeout=60_000)
        yield dashboard
    finally:
        dashboard.close(run_before_unload=True)
        context.close()


@pytest.fixture
def open_page(browser, voila_url, console_errors):
    """Open dashboard pages inside a test (each a new kernel): ``with open_page() as page: ...``
    (``open_page(viewport=(390, 844))`` for a phone's screen)."""
    return lambda viewport=(1400, 1000): open_dashboard(browser, voila_url, console_errors, viewport)
