"""Dashboard speed from a real Chromium: Voila time-to-interactive and input-to-chart latency.

Prints medians over RUNS page loads of notebooks/planner.ipynb and of an empty notebook (one
button, generated into a temp dir; visits alternate between the two), without a pre-heated kernel and as the README command serves it
(``voila notebooks/planner.ipynb`` from the repository root, whose ``voila.json`` pre-heats a kernel,
leaves out plotly's unused JupyterLab extension and serves the page with the ``trailback`` template,
which loads plotly.js itself; the empty notebook is served from a folder with a copy of the same
``voila.json`` less the template, so both pages get the same server settings and the empty one
Voila's own page, with nothing of the planner's), and, for a 12-week
walking plan and a 52-week hiking plan, the time from a key press (Enter after typing a new hill
grade) to the load chart redrawn and the bytes the kernel sends over the websocket for that replan
(Chromium's websocket frames, counted by Playwright).
Also the kernel leak (issue 14): kernels left after 20 closed visits with the README command, XSRF
check on, and the server's memory.
With ``--memory-only`` (issue 24): Voila's own memory (the server process's RSS, not its kernels')
over ``--visits`` closed visits (default 200) of the planner, README command, and of the empty
notebook with the same ``voila.json`` (XSRF check on for both), visits alternating between the two;
MB at the start, every 50 visits and at the end, and MB per visit after the first 50 (warm-up).
With ``--compare`` (issue 13): the 52-week plan's key-press figures alone and with a plan kept as A
(both plans on both charts and the difference table redrawn on every replan).
Run: ``.venv/bin/python benchmarks/bench_dashboard.py`` (``--latency-only`` skips the page-load figures,
``--tti-only`` prints the README command's page-load figures alone, ``--leak-only`` the kernel-leak
figures alone, ``--memory-only --visits N`` the per-visit memory figures alone, ``--compare`` the
compare figures alone, ``--panels`` the click-to-shown figures of the panels built on first use alone).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from _cli import parse_args  # noqa: E402  (the script's own folder is on sys.path)

if __name__ == "__main__":
    ARGS = parse_args(__doc__, flags=(
        ("--latency-only", "only the key press -> chart figures (no page-load figures)"),
        ("--tti-only", "only the README command's time to interactive against the empty notebook"),
        ("--leak-only", "only the kernel-leak figures (20 closed visits, XSRF on)"),
        ("--memory-only", "only Voila's own memory over --visits closed visits, planner against empty notebook"),
        ("--compare", "only the 52-week plan's key-press figures alone and with a plan kept as A"),
        ("--panels", "only click -> shown of the panels built on first use (history, delete and unsaved questions)")),
        counts=(("--visits", 200, "closed visits of each page for --memory-only"),))

from conftest import CHROMIUM, CHROMIUM_ARGS, NOTEBOOK, free_port, start_voila, stop, wait_until_ready  # noqa: E402

RUNS = 7
REFILL_GAP_S = 8  # a refill starts ~2 s after the page drew and takes 3-5 s of CPU (planner/voila_server.py)
LATENCY_RUNS = 15
EMPTY_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
               "source": ["import ipywidgets as w\n", "w.Button(description='ready').add_class('tb-empty-ready')"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}
PLANNER_READY = "() => { const gd = document.querySelector('.tb-chart-plot-load'); " \
                "return !!(document.querySelector('.tb-status-text') && gd && gd.querySelector('g.trace.bars g.point path')); }"
LONG_PLAN = {"kind": "trail hiking", "weeks": "52", "target_session_minutes": "90"}  # Goal fields of the 52-week plan
EMPTY_READY = "() => !!document.querySelector('.tb-empty-ready')"
# The panels below the fold, built once the chart has drawn (issue 22): the diary, the files, the trail picker.
BELOW_FOLD_BUILT = "() => !!(document.querySelector('.tb-diary-log') && document.querySelector('.tb-download-csv') " \
                   "&& document.querySelector('.tb-trail-upload'))"


LONG_TASKS_JS = """window.__tbLongTasks = [];
new PerformanceObserver((list) => { for (const task of list.getEntries()) window.__tbLongTasks.push(task.duration); })
  .observe({ type: "longtask", buffered: true });"""
BREAKDOWN_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return { dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
           requests: resources.length + 1,
           transferred_kb: (nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0)) / 1000,
           long_tasks_ms: window.__tbLongTasks.reduce((sum, d) => sum + d, 0),
           dom_elements: document.getElementsByTagName("*").length };
}"""
# The breakdown printed under the time to interactive (issue 22), medians over the visits.
BREAKDOWN = (("dom_content_loaded_ms", "page's HTML parsed (DOMContentLoaded), ms"),
             ("load_ms", "page's scripts loaded (load event), ms"),
             ("socket_open_ms", "kernel websocket opened, ms"),
             ("state_received_ms", "widgets' state received (largest websocket message), ms"),
             ("requests", "HTTP requests"),
             ("transferred_kb", "HTTP bytes, kB"),
             ("socket_messages", "websocket messages received"),
             ("socket_kb", "websocket bytes received, kB"),
             ("widget_models", "widget models sent to the page"),
             ("long_tasks_ms", "main thread busy in tasks > 50 ms (scripts, layout), ms"),
             ("dom_elements", "DOM elements when interactive"),
             ("below_fold_ms", "then diary, files, trail picker built and drawn, ms"))


def time_to_interactive(browser, url: str, ready_js: str, breakdown: dict[str, float] | None = None) -> float:
    """Seconds from navigation start until ``ready_js`` holds (measured in the page's clock); fills
    ``breakdown`` (if given) with the figures named in BREAKDOWN."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script(LONG_TASKS_JS)
    frames: list[tuple[float, str | bytes]] = []
    socket_open: list[float] = []

    def on_socket(socket) -> None:
        socket_open.append(time.perf_counter())
        socket.on("framereceived", lambda payload: frames.append((time.perf_counter(), payload)))

    page.on("websocket", on_socket)
    try:
        started = time.perf_counter()
        page.goto(url, timeout=120_000)
        page.wait_for_function(ready_js, timeout=120_000, polling=20)
        seconds = page.evaluate("performance.now()") / 1000
        if breakdown is not None:
            breakdown.update(page.evaluate(BREAKDOWN_JS))
            at_ready = list(frames)  # what the page had received when interactive
            breakdown["below_fold_ms"] = float("nan")
            if ready_js == PLANNER_READY:  # after the figures of the first paint
                page.wait_for_function(BELOW_FOLD_BUILT, timeout=60_000, polling=10)
                breakdown["below_fold_ms"] = page.evaluate("performance.now()") - seconds * 1000
            texts = [payload if isinstance(payload, str) else payload.decode("utf-8", "replace") for _, payload in at_ready]
            largest = max(range(len(at_ready)), key=lambda i: len(texts[i]), default=None)
            breakdown.update(
                socket_open_ms=(socket_open[0] - started) * 1000 if socket_open else float("nan"),
                state_received_ms=(at_ready[largest][0] - started) * 1000 if largest is not None else float("nan"),
                socket_messages=len(at_ready), socket_kb=sum(len(text) for text in texts) / 1000,
                widget_models=sum(text.count('"model_name"') for text in texts))
        return seconds
    finally:
        page.close(run_before_unload=True)
        context.close()


def input_to_chart_ms(browser, url: str, long_plan: bool = False,
                      keep_a: bool = False) -> tuple[list[float], list[int], list[float], list[float]]:
    """Milliseconds from a key press (Enter after typing a new hill grade) to the load chart's bars
    changed, the bytes of the websocket frames the page received for that replan, the kernel's own
    replan time (ms) and the charts' redraw in the page (ms), LATENCY_RUNS times; on the default 12-week walking plan or (``long_plan``) a
    52-week hiking plan; ``keep_a``: with that plan kept as A first (compare shown on every replan)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    received: list[int] = []

    def count(payload) -> None:
        received.append(len(payload.encode() if isinstance(payload, str) else payload))

    page.on("websocket", lambda socket: socket.on("framereceived", count))
    try:
        page.goto(url, timeout=120_000)
        page.wait_for_function(PLANNER_READY, timeout=120_000)
        page.wait_for_function(BELOW_FOLD_BUILT, timeout=60_000)
        if long_plan:
            page.click(".tb-tabs .lm-TabBar-tab:has-text('Goal')")
            page.select_option(".tb-field-kind select", label=LONG_PLAN["kind"])
            for field in ("weeks", "target_session_minutes"):
                box = page.locator(f".tb-field-{field} input")
                box.fill(LONG_PLAN[field])
                box.press("Enter")
            page.wait_for_function("() => document.querySelector('.tb-status-text').dataset.weeks === '52'",
                                   timeout=30_000)
            page.wait_for_timeout(500)
        if keep_a:
            page.click(".tb-compare-keep")
            page.wait_for_selector(".tb-compare-table", timeout=30_000)
        page.click(".tb-tabs .lm-TabBar-tab:has-text('Terrain')")
        grade = page.locator(".tb-field-grade_percent input")
        timings, sizes, kernel_ms, draw_ms = [], [], [], []
        for run in range(LATENCY_RUNS):
            grade.fill(str(1 + run % 10))
            replans = int(page.get_attribute(".tb-status-text", "data-replans"))
            page.evaluate("""() => { const gd = document.querySelector('.tb-chart-plot-load');
                window.__tbBefore = JSON.stringify(Array.from(gd.calcdata[0]).map(p => p.s)); }""")
            received.clear()
            page.evaluate("window.__tbStart = performance.now()")
            grade.press("Enter")
            elapsed = page.wait_for_function("""() => { const gd = document.querySelector('.tb-chart-plot-load');
                const now = JSON.stringify(Array.from(gd.calcdata[0]).map(p => p.s));
                return now !== window.__tbBefore ? performance.now() - window.__tbStart : false; }""",
                                             polling="raf", timeout=15_000).json_value()
            page.wait_for_function("(n) => Number(document.querySelector('.tb-status-text').dataset.replans) > n",
                                   arg=replans, timeout=15_000)
            page.wait_for_timeout(250)  # the replan's last messages (the status marker comes last)
            kernel_ms.append(float(page.get_attribute(".tb-status-text", "data-kernel-ms")))
            draw_ms.append(float(page.get_attribute(".tb-charts", "data-draw-ms") or "nan"))
            timings.append(elapsed)
            sizes.append(sum(received))
        return timings, sizes, kernel_ms, draw_ms
    finally:
        page.close(run_before_unload=True)
        context.close()


PANEL_VISITS = 6
CLICK_TO_SHOWN_JS = """([start, selector]) => { const box = document.querySelector(selector);
  return box && box.offsetParent !== null && !box.classList.contains('tb-hidden') ? performance.now() - start : false; }"""


def panel_open_ms(browser, url: str, question: str) -> dict[str, float]:
    """Milliseconds from a click to a panel built on first use shown (issue 22: <= 150 ms), on a fresh
    page: the client bar's history and client file (built when first opened), then, after saving a
    client, ``question``: "delete" (the delete question) or "unsaved" (after an edit, on choosing
    another client). The two questions' rows are built together, so a page times one of them."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def shown_after(action: Callable[[], object], selector: str) -> float:
        """Run ``action`` (a click); ms until ``selector`` is shown."""
        start = page.evaluate("performance.now()")
        action()
        return page.wait_for_function(CLICK_TO_SHOWN_JS, arg=[start, selector], polling="raf",
                                      timeout=15_000).json_value()

    try:
        page.goto(url, timeout=120_000)
        page.wait_for_function(PLANNER_READY, timeout=120_000)
        page.wait_for_function(BELOW_FOLD_BUILT, timeout=60_000)
        opened = {"history and client file": shown_after(
            lambda: page.click(".tb-client-history .jupyter-widget-Collapse-header"), ".tb-client-export")}
        page.fill(".tb-client-name input", f"Bench Client {time.monotonic_ns()}")
        page.locator(".tb-client-name input").press("Enter")
        page.click(".tb-client-save")
        page.wait_for_function("() => document.querySelector('.tb-client-message').innerText.includes('Saved')",
                               timeout=30_000)
        if question == "delete":
            opened["delete question"] = shown_after(lambda: page.click(".tb-client-delete"), ".tb-client-confirm")
        else:
            box = page.locator(".tb-field-pain_now input")
            box.fill("6")
            box.press("Enter")
            page.wait_for_function("() => !!document.querySelector('.tb-client-message [data-unsaved]')",
                                   timeout=30_000)
            opened["unsaved-changes question"] = shown_after(  # "new, not saved": would drop the edit
                lambda: page.select_option(".tb-client-pick select", index=0), ".tb-guard")
        return opened
    finally:
        page.close(run_before_unload=True)
        context.close()


def print_panel_opens() -> None:
    """:func:`panel_open_ms` on PANEL_VISITS fresh pages of the README command (its client store in a
    temporary folder), the two questions taking turns."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        port = free_port()
        process = start_voila(Path("notebooks") / NOTEBOOK.name, port, cwd=REPO, env={"TRAILBACK_DATA_DIR": folder})
        try:
            wait_until_ready(process, f"http://127.0.0.1:{port}")
            time.sleep(REFILL_GAP_S)
            opened: dict[str, list[float]] = {}
            for visit in range(PANEL_VISITS):
                for panel, ms in panel_open_ms(browser, f"http://127.0.0.1:{port}/",
                                               ("delete", "unsaved")[visit % 2]).items():
                    opened.setdefault(panel, []).append(ms)
                time.sleep(REFILL_GAP_S)
        finally:
            stop(process)
            browser.close()
    print("Panels built on first use, click -> shown, each on fresh pages (goal <= 150 ms):")
    for panel, figures in opened.items():
        print(f"  {panel:26s} median {statistics.median(figures):4.0f} ms over {len(figures)} pages "
              f"(min {min(figures):.0f}, max {max(figures):.0f})")


def start_server(notebook: Path, preheat: bool) -> tuple[subprocess.Popen, str]:
    """Voila for ``notebook``: with ``preheat`` as the README command serves it (the planner from the
    repository root; the empty notebook in a folder of its own with a copy of the same voila.json less
    the template), else Voila's defaults without a pre-heated kernel."""
    port = free_port()
    if notebook == NOTEBOOK and preheat:  # the README command: from the repo root, voila.json applies
        process = start_voila(Path("notebooks") / NOTEBOOK.name, port, cwd=REPO)
    elif preheat:
        folder = notebook.parent / "with-voila-json"
        folder.mkdir(exist_ok=True)
        shutil.copy(notebook, folder / notebook.name)
        settings = json.loads((REPO / "voila.json").read_text())
        settings["VoilaConfiguration"].pop("template", None)  # Voila's own page: nothing of the planner's
        (folder / "voila.json").write_text(json.dumps(settings))
        process = start_voila(Path(notebook.name), port, cwd=folder)
    else:
        process = start_voila(notebook, port, f"--preheat_kernel={preheat}")
    return process, f"http://127.0.0.1:{port}/"


def measure(browser, empty: Path, preheat: bool) -> tuple[dict[str, list[float]], dict[str, list[dict[str, float]]]]:
    """TTI of the empty notebook and the planner, RUNS page loads each, visits alternating between the
    two servers (both running), so a change in the machine's load falls on both alike; and each
    visit's breakdown (BREAKDOWN)."""
    pages = {"empty": (empty, EMPTY_READY), "planner": (NOTEBOOK, PLANNER_READY)}
    servers = {name: start_server(notebook, preheat) for name, (notebook, _) in pages.items()}
    try:
        for process, url in servers.values():
            wait_until_ready(process, url.rstrip("/"))
        if preheat:
            time.sleep(8)  # let the pools' kernels run the notebooks before the first visit
        for name, (_, ready_js) in pages.items():
            time_to_interactive(browser, servers[name][1], ready_js)  # warm-up: first visit pays disk caches
        timings: dict[str, list[float]] = {name: [] for name in pages}
        breakdowns: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
        for _ in range(RUNS):
            for name, (_, ready_js) in pages.items():
                if preheat:
                    # before every visit, both servers' pools have refilled with a heated kernel (the
                    # refill starts once the page that took the last one has drawn:
                    # planner/voila_server.py), as for visitors a few seconds apart; a visit that came
                    # right after the other server's would share the machine with that server's refill
                    time.sleep(REFILL_GAP_S)
                breakdowns[name].append({})
                timings[name].append(time_to_interactive(browser, servers[name][1], ready_js, breakdowns[name][-1]))
        return timings, breakdowns
    finally:
        for process, _ in servers.values():
            stop(process)


LEAK_VISITS = 20
LEAK_WAIT_S = 120


def kernel_leak(browser) -> dict[str, float]:
    """The README command as users run it (XSRF check on): LEAK_VISITS visits, each page closed; the
    kernels still running afterwards beyond the pre-heat pool, how long they took to end, and the
    server's memory (its own RSS, and with its kernels) before and after."""
    from kernels import kernel_count, memory_mb, start_readme_voila, wait_for_kernels

    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        process = start_readme_voila(REPO, port, env={"TRAILBACK_DATA_DIR": data})
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_ready(process, url.rstrip("/"))
            wait_for_kernels(process, 1, 90)
            pool = kernel_count(process)
            time_to_interactive(browser, url, PLANNER_READY)  # warm-up: the server's caches, a full pool kernel
            wait_for_kernels(process, pool, LEAK_WAIT_S)
            time.sleep(10)  # the refilled pool kernel has run the notebook
            before = memory_mb(process)
            most, halfway = pool, before
            for visit in range(LEAK_VISITS):
                time_to_interactive(browser, url, PLANNER_READY)  # opens, waits for the chart, closes the page
                most = max(most, kernel_count(process))
                if visit + 1 == LEAK_VISITS // 2:
                    halfway = memory_mb(process)
            waited = wait_for_kernels(process, pool, LEAK_WAIT_S)
            time.sleep(10)
            after = memory_mb(process)
            return {"pool": pool, "most": most, "left": kernel_count(process) - pool,
                    "waited_s": -1.0 if waited is None else waited, "server_before_mb": before[0],
                    "server_halfway_mb": halfway[0], "total_before_mb": before[1], "server_after_mb": after[0],
                    "total_after_mb": after[1]}
        finally:
            stop(process)


def print_kernel_leak(leak: dict[str, float]) -> None:
    ended = f"back to the pool {leak['waited_s']:.1f} s after the last page closed" if leak["waited_s"] >= 0 \
        else f"NOT back to the pool within {LEAK_WAIT_S} s"
    print(f"Kernel leak, README command with the XSRF check on: {LEAK_VISITS} visits, each page closed -> "
          f"{leak['left']:.0f} kernels left beyond the pre-heat pool of {leak['pool']:.0f} (goal 0; "
          f"at most {leak['most']:.0f} running at once; {ended})")
    print(f"  server memory (RSS) after a warm-up visit -> after {LEAK_VISITS // 2} -> after {LEAK_VISITS} visits: "
          f"Voila {leak['server_before_mb']:.0f} -> {leak['server_halfway_mb']:.0f} -> {leak['server_after_mb']:.0f} MB; "
          f"with its kernels {leak['total_before_mb']:.0f} MB -> {leak['total_after_mb']:.0f} MB")


MEMORY_EVERY = 50  # visits between two memory readings; the first MEMORY_EVERY visits are the warm-up


def server_memory(browser, empty: Path, visits: int) -> dict[str, list[tuple[int, float]]]:
    """Voila's own RSS (MB) over ``visits`` closed visits of the planner (the README command) and of
    the empty notebook (its own folder, the same ``voila.json`` less the template), XSRF check on for
    both, visits alternating: ``{page: [(visits so far, MB), ...]}`` at the start (after a warm-up
    visit and the pool refilled), every MEMORY_EVERY visits and at the end, each read once the
    pool holds one kernel again."""
    from kernels import memory_mb, start_readme_voila, wait_for_kernels
    from playwright.sync_api import Error as PlaywrightError

    folder = empty.parent / "memory-with-voila-json"
    folder.mkdir(exist_ok=True)
    shutil.copy(empty, folder / empty.name)
    settings = json.loads((REPO / "voila.json").read_text())
    settings["VoilaConfiguration"].pop("template", None)
    (folder / "voila.json").write_text(json.dumps(settings))
    with tempfile.TemporaryDirectory() as data:
        ports = {"planner": free_port(), "empty": free_port()}
        servers = {"planner": start_readme_voila(REPO, ports["planner"], env={"TRAILBACK_DATA_DIR": data}),
                   "empty": start_voila(Path(empty.name), ports["empty"], cwd=folder, xsrf=True)}
        pages = {"planner": PLANNER_READY, "empty": EMPTY_READY}
        urls = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
        readings: dict[str, list[tuple[int, float]]] = {name: [] for name in servers}

        def read(visited: int) -> None:
            for name, process in servers.items():
                wait_for_kernels(process, 1, LEAK_WAIT_S)  # the closed pages' kernels ended, the pool refilled
                readings[name].append((visited, memory_mb(process)[0]))

        try:
            for name, process in servers.items():
                wait_until_ready(process, urls[name].rstrip("/"))
                wait_for_kernels(process, 1, 90)
                time_to_interactive(browser, urls[name], pages[name])  # warm-up: the server's caches
            time.sleep(10)
            read(0)
            print("  at the start (after a warm-up visit each): " + ", ".join(
                f"{name} {readings[name][-1][1]:.0f} MB" for name in servers), flush=True)
            failed = {name: 0 for name in servers}
            for visit in range(1, visits + 1):
                for name in servers:
                    try:
                        time_to_interactive(browser, urls[name], pages[name])  # opens, waits for the chart, closes
                    except PlaywrightError:  # a page not drawn in time (a busy machine): counted, and on
                        failed[name] += 1
                if visit % MEMORY_EVERY == 0 or visit == visits:
                    read(visit)
                    print(f"  after {visit} visits: " + ", ".join(
                        f"{name} {readings[name][-1][1]:.0f} MB ({failed[name]} not drawn in time)"
                        for name in servers), flush=True)
            return readings
        finally:
            for process in servers.values():
                stop(process)


def print_server_memory(readings: dict[str, list[tuple[int, float]]]) -> None:
    print("Voila's own memory (server RSS, MB) over closed visits, XSRF check on, same voila.json:")
    for name, points in readings.items():
        shown = "   ".join(f"{visited}: {mb:.0f}" for visited, mb in points)
        warm = [(visited, mb) for visited, mb in points if visited >= min(MEMORY_EVERY, points[-1][0])]
        (first_visit, first_mb), (last_visit, last_mb) = warm[0], warm[-1]
        per_visit = (last_mb - first_mb) / (last_visit - first_visit) if last_visit > first_visit else float("nan")
        print(f"  {name:8s} {shown}   -> {per_visit:.3f} MB per visit over visits {first_visit}-{last_visit}")


def print_tti(results: dict[tuple[str, str], list[float]],
              breakdowns: dict[str, list[dict[str, float]]] | None = None) -> None:
    print(f"Voila time-to-interactive, median of {RUNS} page loads (navigation start -> widgets and chart drawn)")
    for label in ("default", "preheat"):
        if ("empty", label) not in results:
            continue
        empty_s = statistics.median(results[("empty", label)])
        planner_s = statistics.median(results[("planner", label)])
        shown = "no preheat" if label == "default" else "README cmd"
        print(f"  {shown:10s} empty notebook {empty_s:5.2f} s   planner {planner_s:5.2f} s   "
              f"ratio {planner_s / empty_s:4.2f}x  (goal <= 1.3x quiet, <= 1.5x busy)")
        print(f"           runs empty   {[round(t, 2) for t in results[('empty', label)]]}")
        print(f"           runs planner {[round(t, 2) for t in results[('planner', label)]]}")
    if breakdowns:
        print("  where the time goes (README command, medians):      empty notebook     planner")
        for key, label in BREAKDOWN:
            empty_value = statistics.median(visit[key] for visit in breakdowns["empty"])
            planner_value = statistics.median(visit[key] for visit in breakdowns["planner"])
            print(f"    {label:60s} {empty_value:9.0f} {planner_value:11.0f}".replace("nan", "  -"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    if ARGS.leak_only:  # just the kernel-leak figures
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                print_kernel_leak(kernel_leak(browser))
            finally:
                browser.close()
        return

    if ARGS.panels:  # opening the panels built on first use
        print_panel_opens()
        return

    if ARGS.memory_only:  # Voila's own memory per visit, planner against the empty notebook
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            empty = Path(folder) / "empty.ipynb"
            empty.write_text(json.dumps(EMPTY_NOTEBOOK))
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                print_server_memory(server_memory(browser, empty, ARGS.visits))
            finally:
                browser.close()
        return

    if ARGS.compare:  # the 52-week plan alone and with plan A kept
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            port = free_port()
            process = start_voila(Path("notebooks") / NOTEBOOK.name, port, cwd=REPO)
            try:
                wait_until_ready(process, f"http://127.0.0.1:{port}")
                for keep_a in (False, True, False, True):  # interleaved: the machine's load falls on both
                    timings, sizes, kernel_ms, _ = input_to_chart_ms(browser, f"http://127.0.0.1:{port}/",
                                                                     long_plan=True, keep_a=keep_a)
                    print(f"52-week plan{', plan A kept' if keep_a else ''}: key press -> load chart redrawn median "
                          f"{statistics.median(timings):.0f} ms (min {min(timings):.0f}, max {max(timings):.0f}); "
                          f"kernel replan median {statistics.median(kernel_ms):.1f} ms; websocket per replan "
                          f"median {statistics.median(sizes) / 1000:.1f} kB, max {max(sizes) / 1000:.1f} kB "
                          "(goal <= 150 kB)")
            finally:
                stop(process)
                browser.close()
        return

    latency_only, tti_only = ARGS.latency_only, ARGS.tti_only
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        empty = Path(folder) / "empty.ipynb"
        empty.write_text(json.dumps(EMPTY_NOTEBOOK))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results, breakdowns = {}, None
            for preheat in (() if latency_only else (True,) if tti_only else (False, True)):
                label = "preheat" if preheat else "default"
                timings, visits = measure(browser, empty, preheat)
                results[("empty", label)], results[("planner", label)] = timings["empty"], timings["planner"]
                if preheat:
                    breakdowns = visits
            if tti_only:
                print_tti(results, breakdowns)
                return
            port = free_port()
            process = start_voila(Path("notebooks") / NOTEBOOK.name, port, cwd=REPO)  # the README command
            try:
                wait_until_ready(process, f"http://127.0.0.1:{port}")
                latency = {weeks: input_to_chart_ms(browser, f"http://127.0.0.1:{port}/", long_plan=weeks == 52)
                           for weeks in (12, 52)}
            finally:
                stop(process)
            leak = kernel_leak(browser)
        finally:
            browser.close()

    if not latency_only:
        print_tti(results, breakdowns)
    medians = {}
    for weeks, (timings, sizes, kernel_ms, draw_ms) in latency.items():
        medians[weeks] = statistics.median(timings)
        print(f"{weeks}-week plan: key press -> load chart redrawn: median {medians[weeks]:.0f} ms over {len(timings)} "
              f"presses (goal <= 60 ms, issue 22); min {min(timings):.0f}, max {max(timings):.0f}; of which the kernel's "
              f"replan median {statistics.median(kernel_ms):.0f} ms, the charts' redraw median "
              f"{statistics.median(draw_ms):.0f} ms; websocket per replan: "
              f"median {statistics.median(sizes) / 1000:.1f} kB, max {max(sizes) / 1000:.1f} kB (goal <= 150 kB)")
    print(f"52 weeks / 12 weeks key-press median: {medians[52] / medians[12]:.2f}x (goal <= 1.2x)")
    print_kernel_leak(leak)


if __name__ == "__main__":
    main()
