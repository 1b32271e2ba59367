"""No kernel leak with the README command, XSRF check ON (issue 14): each closed page's kernel ends.

This server is started as the README says (``voila notebooks/planner.ipynb`` from the repository root,
so ``voila.json`` applies: pre-heated pool, XSRF cookie for the unload beacon, pool-sparing culler) —
not with the ``disable_check_xsrf`` the other browser tests use.
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import ARTIFACTS, REPO, free_port, stop, wait_until_ready
from kernels import kernel_count, kernel_pids, start_readme_voila, wait_for_kernels

VISITS = 20
POOL_SIZE = 1  # Voila's default pre-heat pool
BACK_TO_POOL_WITHIN_S = 120
LOAD_BARS = ".tb-charts g.subplot.xy g.trace.bars g.point path"


@pytest.fixture
def readme_server(tmp_path, request):
    port = free_port()
    extra = getattr(request, "param", ())
    server = start_readme_voila(REPO, port, *extra, env={"TRAILBACK_DATA_DIR": str(tmp_path)})
    try:
        wait_until_ready(server, f"http://127.0.0.1:{port}")
        assert wait_for_kernels(server, POOL_SIZE, 90) is not None, "the pre-heated kernel never started"
        yield server, f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def visit_and_close(browser, url: str, unload: bool = True) -> None:
    """Open the dashboard, wait until it is drawn, close it (``unload=False``: as a crashed browser
    would, so no shutdown beacon is sent)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{url}/", timeout=90_000)
        page.wait_for_selector(".tb-status-text[data-replans]", timeout=90_000)
        page.wait_for_selector(LOAD_BARS, timeout=90_000)
    finally:
        page.close(run_before_unload=unload)
        context.close()


def test_closed_pages_leave_only_the_preheated_kernel(browser, readme_server):
    server, url = readme_server
    began = time.monotonic()
    for _ in range(VISITS):
        visit_and_close(browser, url)
    waited = wait_for_kernels(server, POOL_SIZE, BACK_TO_POOL_WITHIN_S)
    log = next(ARTIFACTS.glob(f"voila-readme-{url.rsplit(':', 1)[1]}.log")).read_text(errors="replace")
    assert waited is not None, (f"{kernel_count(server)} kernels still running {BACK_TO_POOL_WITHIN_S} s after "
                                f"{VISITS} closed visits (pool {POOL_SIZE})")
    assert "_xsrf' argument missing" not in log and "403 POST" not in log
    assert log.count("Kernel shutdown:") >= VISITS * 0.9  # the unload beacons did it...
    assert not re.search(r"Culling '\w+' kernel", log)  # ...not the culler
    print(f"{VISITS} visits in {time.monotonic() - began:.0f} s; back to the pool {waited:.1f} s after the last")


CULL_IDLE_S = 20


@pytest.mark.parametrize("readme_server", [(f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}",
                                            "--MappingKernelManager.cull_interval=2")], indirect=True)
def test_culler_ends_a_kernel_whose_page_vanished_but_spares_the_preheated_one(browser, readme_server):
    """voila.json's culler (here with a short idle time) ends the kernel of a page closed without
    its unload beacon, and never the pre-heated kernel waiting for the next visitor."""
    server, url = readme_server
    vanished = kernel_pids(server)  # the pre-heated kernel, which the visit takes
    visit_and_close(browser, url, unload=False)
    # the pool refills once the page has drawn (planner/voila_server.py) and the culler ends the
    # vanished page's kernel: wait for both, not just for the count (right after the visit the one
    # kernel running is the vanished page's, the refill not started yet)
    began = time.monotonic()
    while (kernel_pids(server) & vanished or kernel_count(server) != POOL_SIZE) \
            and time.monotonic() - began < BACK_TO_POOL_WITHIN_S:
        time.sleep(0.5)
    assert not kernel_pids(server) & vanished, "the culler never ended the vanished page's kernel"
    assert kernel_count(server) == POOL_SIZE
    pooled = kernel_pids(server)
    time.sleep(3 * CULL_IDLE_S)  # the pool kernel is idle far longer than the cull time...
    assert kernel_pids(server) == pooled  # ...and still there, the same process
    log = next(ARTIFACTS.glob(f"voila-readme-{url.rsplit(':', 1)[1]}.log")).read_text(errors="replace")
    assert len(re.findall(r"Culling '\w+' kernel", log)) == 1
    visit_and_close(browser, url)  # the next visitor still gets the pre-heated kernel
    log = next(ARTIFACTS.glob(f"voila-readme-{url.rsplit(':', 1)[1]}.log")).read_text(errors="replace")
    assert log.count("Using pre-heated kernel") == 2
