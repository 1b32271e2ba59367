"""Bursts of page opens (issue 24 item 1): N planner pages opened at once in a real Chromium.

For each burst size (default 1, 5, 10, 20) opens that many pages of the dashboard at the same moment
(each in its own browser context, so its own kernel) and prints: pages working (load chart drawn
within ``--timeout`` seconds), pages that showed the "server is busy" message, median and slowest
time to the first chart, and the server's memory (Voila alone, and Voila + kernels) at its peak during
the burst (, sampled every second). Between bursts the pages are closed (with the unload beacon) and the server is given
time to end their kernels.

Standalone: the README's dashboard command (``voila notebooks/planner.ipynb`` from the repository
root, so ``voila.json`` applies) started here on a free port. ``--url`` measures a server already
running instead (e.g. a coach's server under JupyterHub: pass the page's full URL with
``?token=…``); memory is then not read.

Run: ``python3 benchmarks/bench_burst.py`` (``--sizes 10`` for one burst; ``--help``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLANNER_READY = ("() => { const gd = document.querySelector('.tb-chart-plot-load'); "
                 "return !!(document.querySelector('.tb-status-text') && gd && "
                 "gd.querySelector('g.trace.bars g.point path')); }")
BUSY_SHOWN = "() => { const b = document.getElementById('tb-busy'); return !!(b && b.innerText.trim()); }"


async def open_one(browser, url: str, timeout_s: float) -> tuple[float | None, bool]:
    """(seconds to the first chart or None, whether the busy message was shown)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    busy = False
    began = time.monotonic()
    try:
        await page.goto(url, timeout=timeout_s * 1000, wait_until="commit")
        while time.monotonic() - began < timeout_s:
            try:
                if await page.evaluate(PLANNER_READY):
                    return time.monotonic() - began, busy
                busy = busy or await page.evaluate(BUSY_SHOWN)
            except Exception:  # noqa: BLE001 — the page is navigating (it reloads itself when busy)
                pass
            await asyncio.sleep(0.5)
        return None, busy
    except Exception:  # noqa: BLE001 — a navigation timeout: the page did not work
        return None, busy
    finally:
        try:
            await page.close(run_before_unload=True)
            await asyncio.sleep(0.5)
        finally:
            await context.close()


async def burst(url: str, size: int, timeout_s: float, chromium: str, args: list[str]) -> list[tuple[float | None, bool]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            return await asyncio.gather(*(open_one(browser, url, timeout_s) for _ in range(size)))
        finally:
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20], help="pages opened at once, per burst")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a page may take to draw its chart")
    parser.add_argument("--url", help="measure this running server's page instead of starting the README command")
    parser.add_argument("--settle", type=float, default=20, help="seconds between bursts for kernels to end")
    options = parser.parse_args()

    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_until_ready
    from kernels import kernel_count, memory_mb, start_readme_voila

    server = None
    url = options.url
    if url is None:
        port = free_port()
        data = tempfile.mkdtemp(prefix="trailback-burst-")
        server = start_readme_voila(REPO, port, env={"TRAILBACK_DATA_DIR": data})
        wait_until_ready(server, f"http://127.0.0.1:{port}", timeout_s=120)
        url = f"http://127.0.0.1:{port}/"
    print(f"{'pages':>5}  {'working':>7}  {'busy msg':>8}  {'median s':>8}  {'slowest s':>9}  "
          f"{'voila MB':>8}  {'+kernels MB':>11}  most kernels")
    try:
        for size in options.sizes:
            peak = [float("nan"), float("nan"), 0]
            done = threading.Event()

            def sample() -> None:
                while server is not None and not done.wait(1.0):
                    own, total = memory_mb(server)
                    peak[:] = [max(own, peak[0]) if peak[0] == peak[0] else own,
                               max(total, peak[1]) if peak[1] == peak[1] else total, max(peak[2], kernel_count(server))]

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            try:
                results = asyncio.run(burst(url, size, options.timeout, CHROMIUM, CHROMIUM_ARGS))
            finally:
                done.set()
                sampler.join()
            times = [seconds for seconds, _ in results if seconds is not None]
            memory, kernels = (peak[0], peak[1]), (peak[2] if server else "-")
            print(f"{size:>5}  {len(times):>3} of {size:<2}  {sum(busy for _, busy in results):>8}  "
                  f"{statistics.median(times) if times else float('nan'):>8.1f}  "
                  f"{max(times) if times else float('nan'):>9.1f}  {memory[0]:>8.0f}  {memory[1]:>11.0f}  {kernels}",
                  flush=True)
            time.sleep(options.settle)
    finally:
        if server is not None:
            stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
