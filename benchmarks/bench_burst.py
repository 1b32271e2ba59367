"""Bursts of page opens (issue 24 item 1): N planner pages opened at once in a real Chromium.

For each burst size (default 1, 5, 10, 20) opens that many pages of the dashboard at the same moment
(each in its own browser context, so its own kernel) and prints: pages working (load chart drawn
within ``--timeout`` seconds), pages that showed the "server is busy" message, median and slowest
time to the first chart, and the memory of the server's whole process tree at its peak during the
burst (sampled every second): the server's processes apart from kernels, then with the kernels.
Between bursts the pages are closed (with the unload beacon) and the server is given time to end
their kernels.

Standalone (the default): the README's dashboard command (``voila notebooks/planner.ipynb`` from the
repository root, so ``voila.json`` applies) started here on a free port; "server" is Voila.

``--hub``: a throwaway PostgreSQL roster and JupyterHub run with ``deploy/jupyterhub_config.py`` as
written; an admin and one coach per page sign up through the hub's pages and the admin authorizes
them. Each burst of N is measured twice:

- ``sign-in``: N coaches, none with a server running, press "Sign in" at the same moment (a clinic's
  morning): the hub spawns N single-user servers and each page draws the dashboard. Timed from the
  click.
- ``reopen``: the same N coaches, their servers now running, open the dashboard again at once (N
  pages of running servers). Timed from the navigation.

"server" is then the hub, its proxy, the idle culler and every coach's server; the last column counts
kernels / single-user servers. The coaches' servers are stopped (the hub's REST API) before each
size's sign-in burst.

``--url`` measures a server already running instead (its page's full URL, e.g. with ``?token=…``);
memory is then not read.

Run: ``python3 benchmarks/bench_burst.py`` (``--hub``; ``--sizes 10`` for one burst; ``--help``).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLANNER_READY = ("() => { const gd = document.querySelector('.tb-chart-plot-load'); "
                 "return !!(document.querySelector('.tb-status-text') && gd && "
                 "gd.querySelector('g.trace.bars g.point path')); }")
BUSY_SHOWN = "() => { const b = document.getElementById('tb-busy'); return !!(b && b.innerText.trim()); }"
PAGE_TEXT = "() => (document.body ? document.body.innerText : '').replace(/\\s+/g, ' ').trim().slice(0, 160)"
HUB_ADMIN = "clinic-admin"
DASHBOARD_PATH = "voila/render/planner.ipynb"  # deploy/jupyterhub_config.py's Spawner.default_url
SERVER_STOP_TIMEOUT_S = 120


@dataclasses.dataclass
class PageResult:
    seconds: float | None  # to the first chart; None: not drawn within the timeout
    busy: bool  # the dashboard's "server is busy" message was shown
    starting: bool = False  # the hub's "Your server is starting up" page was shown
    where: str = ""  # for a page that did not work: its address and the start of its text


class Peaks:
    """Peak memory (MB: the server's processes apart from kernels, all of them) and the most kernels
    and single-user servers in a server's process tree, sampled every second while in the ``with``."""

    def __init__(self, server) -> None:
        self.server = server
        self.apart_mb = self.total_mb = float("nan")
        self.kernels = self.servers = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        from kernels import command_count, memory_apart_from_kernels_mb

        while not self._done.wait(1.0):
            apart, total = memory_apart_from_kernels_mb(self.server)
            self.apart_mb = apart if self.apart_mb != self.apart_mb else max(apart, self.apart_mb)
            self.total_mb = total if self.total_mb != self.total_mb else max(total, self.total_mb)
            self.kernels = max(self.kernels, command_count(self.server, "ipykernel"))
            self.servers = max(self.servers, command_count(self.server, "jupyterhub-singleuser"))

    def __enter__(self) -> "Peaks":
        if self.server is not None:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()


async def first_chart(page, began: float, timeout_s: float) -> PageResult:
    """Wait until ``page`` draws its load chart (at most ``timeout_s`` from ``began``, a monotonic time)."""
    busy = starting = False
    while time.monotonic() - began < timeout_s:
        starting = starting or "/hub/spawn-pending/" in page.url
        try:
            if await page.evaluate(PLANNER_READY):
                return PageResult(time.monotonic() - began, busy, starting)
            busy = busy or await page.evaluate(BUSY_SHOWN)
        except Exception:  # noqa: BLE001 — the page is navigating (it reloads itself when busy; the hub redirects)
            pass
        await asyncio.sleep(0.5)
    return PageResult(None, busy, starting, await where(page))


async def where(page) -> str:
    try:
        return f"{page.url}: {await page.evaluate(PAGE_TEXT)!r}"
    except Exception as error:  # noqa: BLE001 — a page that is gone or still navigating
        return f"{page.url}: ({type(error).__name__})"


async def close(page) -> None:
    """Close the page with its unload beacon (Voila then ends its kernel)."""
    try:
        await page.close(run_before_unload=True)
        await asyncio.sleep(0.5)
    except Exception:  # noqa: BLE001 — already closed
        pass


async def open_one(browser, url: str, timeout_s: float, context=None) -> PageResult:
    """Open ``url`` in ``context`` (or a new browser context, closed afterwards) and wait for the chart."""
    own_context = context is None
    context = context or await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    began = time.monotonic()
    try:
        await page.goto(url, timeout=timeout_s * 1000, wait_until="commit")
        return await first_chart(page, began, timeout_s)
    except Exception:  # noqa: BLE001 — a navigation timeout: the page did not work
        return PageResult(None, False, where=await where(page))
    finally:
        await close(page)
        if own_context:
            await context.close()


async def sign_in_and_draw(context, hub_url: str, name: str, password: str, timeout_s: float) -> PageResult:
    """``name`` signs in at the hub's login page; timed from the click to the dashboard's first chart."""
    page = await context.new_page()
    try:
        await page.goto(f"{hub_url}/hub/login", timeout=timeout_s * 1000)
        await page.fill("#username_input", name)
        await page.fill("#password_input", password)
        began = time.monotonic()
        await page.click("#login_submit", no_wait_after=True)
        return await first_chart(page, began, timeout_s)
    except Exception as error:  # noqa: BLE001 — the login page did not load, or took no input in time
        return PageResult(None, False, where=f"{await where(page)} ({str(error).splitlines()[0][:120]})")
    finally:
        await close(page)


def print_header(last_column: str) -> None:
    print(f"{'':>7}  {'pages':>5}  {'working':>8}  {'busy msg':>8}  {'median s':>8}  {'slowest s':>9}  "
          f"{'server MB':>9}  {'+kernels MB':>11}  {last_column}", flush=True)


def print_row(label: str, results: list[PageResult], peaks: Peaks, last: str) -> None:
    times = [result.seconds for result in results if result.seconds is not None]
    size = len(results)
    print(f"{label:>7}  {size:>5}  {len(times):>3} of {size:<2}  {sum(result.busy for result in results):>8}  "
          f"{statistics.median(times) if times else float('nan'):>8.1f}  "
          f"{max(times) if times else float('nan'):>9.1f}  {peaks.apart_mb:>9.0f}  {peaks.total_mb:>11.0f}  {last}",
          flush=True)
    for result in results:
        if result.seconds is None:
            print(f"{'':>9}not working: {result.where}", flush=True)


async def standalone_burst(url: str, size: int, timeout_s: float, chromium: str, args: list[str]) -> list[PageResult]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            return await asyncio.gather(*(open_one(browser, url, timeout_s) for _ in range(size)))
        finally:
            await browser.close()


def run_standalone(options: argparse.Namespace, chromium: str, args: list[str]) -> None:
    from conftest import free_port, stop, wait_until_ready
    from kernels import start_readme_voila

    server = None
    url = options.url
    if url is None:
        port = free_port()
        data = tempfile.mkdtemp(prefix="trailback-burst-")
        server = start_readme_voila(REPO, port, env={"TRAILBACK_DATA_DIR": data})
        wait_until_ready(server, f"http://127.0.0.1:{port}", timeout_s=120)
        url = f"http://127.0.0.1:{port}/"
    print_header("most kernels")
    try:
        for size in options.sizes:
            with Peaks(server) as peaks:
                results = asyncio.run(standalone_burst(url, size, options.timeout, chromium, args))
            print_row("open", results, peaks, str(peaks.kernels) if server else "-")
            time.sleep(options.settle)
    finally:
        if server is not None:
            stop(server)


# --- under JupyterHub ---------------------------------------------------------------------------------

def hub_api(hub_url: str, token: str, method: str, path: str) -> tuple[int, dict]:
    """(status, JSON body) of one call to the hub's REST API with the admin's token."""
    request = urllib.request.Request(f"{hub_url}/hub/api{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            return response.status, json.loads(body) if body else {}
    except urllib.error.HTTPError as error:
        return error.code, {}


def enrol(hub_url: str, coaches: dict[str, str], admin_password: str, chromium: str, args: list[str]) -> str:
    """Sign the admin and the coaches up through the hub's pages, authorize the coaches as the admin
    does (``/hub/authorize/<name>``); returns an API token of the admin's, made as the hub's token page
    makes one."""
    from playwright.sync_api import sync_playwright

    from hub import sign_in, sign_up

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            for name, password in {HUB_ADMIN: admin_password, **coaches}.items():
                sign_up(browser, hub_url, name, password)
            context, admin = sign_in(browser, hub_url, HUB_ADMIN, admin_password)
            admin.wait_for_load_state()
            for name in coaches:
                admin.goto(f"{hub_url}/hub/authorize/{name}", timeout=60_000)
            token = admin.evaluate("""async ([url]) => {
                const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
                const headers = {'Content-Type': 'application/json',
                                 ...(xsrf ? {'X-XSRFToken': decodeURIComponent(xsrf.slice(6))} : {})};
                const response = await fetch(url, {method: 'POST', headers,
                                                   body: JSON.stringify({note: 'bench_burst', expires_in: 86400})});
                return (await response.json()).token; }""", [f"{hub_url}/hub/api/users/{HUB_ADMIN}/tokens"])
            if not token:
                raise RuntimeError("the hub gave the admin no API token")
            return token
        finally:
            browser.close()


def stop_servers(hub_url: str, token: str, names: list[str]) -> None:
    """Stop every named user's server (one still starting is stopped once it has started) and wait
    until the hub reports them all stopped."""
    deadline = time.monotonic() + SERVER_STOP_TIMEOUT_S
    for name in names:
        while True:
            status, user = hub_api(hub_url, token, "GET", f"/users/{name}")
            if status == 404 or (status == 200 and not user.get("server") and not user.get("pending")):
                break  # 404: never signed in, so the hub has no record (and no server) of them yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}'s server did not stop within {SERVER_STOP_TIMEOUT_S} s: {status} {user}")
            if status == 200 and user.get("pending") != "stop":
                hub_api(hub_url, token, "DELETE", f"/users/{name}/server")  # 400 while it is still starting
            time.sleep(1)


async def hub_burst(hub, hub_url: str, coaches: dict[str, str], options: argparse.Namespace,
                    chromium: str, args: list[str]) -> None:
    """The ``sign-in`` then the ``reopen`` burst of ``len(coaches)`` pages, each row printed."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            contexts = [await browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in coaches]
            for context in contexts:  # filling in 20 login forms at once can take minutes on a loaded machine
                context.set_default_timeout(options.timeout * 1000)
            with Peaks(hub) as peaks:
                results = await asyncio.gather(*(sign_in_and_draw(context, hub_url, name, password, options.timeout)
                                                 for context, (name, password) in zip(contexts, coaches.items())))
            print_row("sign-in", results, peaks, f"{peaks.kernels} / {peaks.servers}; "
                      f"{sum(result.starting for result in results)} saw the hub's 'server is starting' page")
            await asyncio.sleep(options.settle)
            with Peaks(hub) as peaks:
                results = await asyncio.gather(*(open_one(browser, f"{hub_url}/user/{name}/{DASHBOARD_PATH}",
                                                          options.timeout, context)
                                                 for context, name in zip(contexts, coaches)))
            print_row("reopen", results, peaks, f"{peaks.kernels} / {peaks.servers}")
        finally:
            await browser.close()


def run_hub(options: argparse.Namespace, chromium: str, args: list[str]) -> None:
    from hub import roster_database, start_hub, stop_hub
    from tests.event_loops import run_async

    coaches = {f"coach{number:02d}": f"coach-{uuid.uuid4().hex[:12]}" for number in range(1, max(options.sizes) + 1)}
    with roster_database() as db_url, tempfile.TemporaryDirectory(prefix="trailback-hub-") as state:
        hub, hub_url = start_hub(db_url, Path(state), admins=[HUB_ADMIN])
        try:
            token = enrol(hub_url, coaches, f"admin-{uuid.uuid4().hex[:12]}", chromium, args)
            print(f"hub {hub_url}: {len(coaches)} coaches signed up and authorized; load average "
                  f"{' '.join(f'{load:.1f}' for load in os.getloadavg())}", flush=True)
            print_header("most kernels / servers")
            for size in options.sizes:
                stop_servers(hub_url, token, [HUB_ADMIN, *coaches])
                time.sleep(options.settle)
                # In a thread of its own: the sync Playwright of enrol() may leave an event loop set here.
                run_async(hub_burst(hub, hub_url, dict(list(coaches.items())[:size]), options, chromium, args))
                print(f"{'':>9}load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}", flush=True)
        finally:
            stop_hub(hub)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20], help="pages opened at once, per burst")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a page may take to draw its chart")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="measure this running server's page instead of starting the README command")
    where.add_argument("--hub", action="store_true",
                       help="JupyterHub with deploy/jupyterhub_config.py on a throwaway PostgreSQL: coaches sign in at once")
    parser.add_argument("--settle", type=float, default=20, help="seconds between bursts for kernels to end")
    options = parser.parse_args()

    sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO)]
    from conftest import CHROMIUM, CHROMIUM_ARGS

    if options.hub:
        run_hub(options, CHROMIUM, CHROMIUM_ARGS)
    else:
        run_standalone(options, CHROMIUM, CHROMIUM_ARGS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
