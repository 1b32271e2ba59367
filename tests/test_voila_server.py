"""The pre-heat pool's refill waits for the pages being opened (planner/voila_server.py, issue 22)."""

from __future__ import annotations

import asyncio
import time

import pytest

from event_loops import run_async  # tests/ is on sys.path for its own modules

pytest.importorskip("voila")
import voila.voila_kernel_manager  # noqa: E402

from planner import voila_server  # noqa: E402


class FakeManager(voila_server.PoolSparingKernelManager):
    """The pool-sparing manager with its kernels and pool as plain data (no processes started)."""

    def __init__(self, kernel_ids: list[str], pooled: set[str]):
        super().__init__()
        self._kernel_ids = kernel_ids
        self._pooled = pooled
        self._pools = {"planner.ipynb": []}

    def list_kernel_ids(self) -> list[str]:
        return list(self._kernel_ids)

    def pooled_kernel_ids(self) -> set[str]:
        return set(self._pooled)


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(voila_server, "REFILL_AFTER_CONNECT_S", 0.3)
    monkeypatch.setattr(voila_server, "REFILL_WAIT_MAX_S", 2.0)
    monkeypatch.setattr(voila_server, "REFILL_POLL_S", 0.02)


def test_voila_refills_through_the_waiting_function():
    assert voila.voila_kernel_manager.wait_before is voila_server._refill_after_pages_settle


def test_a_page_loading_until_it_connects_and_draws(quick):
    manager = FakeManager(["pooled", "visitor"], pooled={"pooled"})
    assert manager.pages_loading()  # the visitor's page has not connected yet
    manager._connected_at["visitor"] = time.monotonic()
    assert manager.pages_loading()  # connected, still drawing
    manager._connected_at["visitor"] = time.monotonic() - 1.0
    assert not manager.pages_loading()
    assert not FakeManager(["pooled"], pooled={"pooled"}).pages_loading()  # only the pool's own kernel


def test_the_refill_waits_for_the_page_then_starts(quick):
    async def scenario() -> tuple[float, list[str]]:
        manager = FakeManager(["pooled-before", "visitor"], pooled=set())
        started: list[str] = []

        async def refill_work() -> str:
            started.append("refill")
            return "kernel"

        refill = asyncio.get_running_loop().create_task(voila_server._refill_after_pages_settle(0, refill_work()))
        manager._pools["planner.ipynb"].append(refill)
        began = time.monotonic()
        await asyncio.sleep(0.2)
        assert started == []  # the visitor's page has not connected: the refill waits
        manager._connected_at["visitor"] = manager._connected_at["pooled-before"] = time.monotonic()
        assert await refill == "kernel"
        return time.monotonic() - began, started

    waited, started = run_async(scenario())
    assert started == ["refill"]
    assert 0.45 <= waited < 1.5  # 0.2 s unconnected + REFILL_AFTER_CONNECT_S drawing, not the 2 s cap


def test_a_visitor_claiming_the_refill_starts_it_at_once(quick):
    async def scenario() -> float:
        manager = FakeManager(["visitor"], pooled=set())

        async def refill_work() -> str:
            return "kernel"

        refill = asyncio.get_running_loop().create_task(voila_server._refill_after_pages_settle(0, refill_work()))
        manager._pools["planner.ipynb"].append(refill)
        await asyncio.sleep(0.1)
        began = time.monotonic()
        manager._pools["planner.ipynb"].pop(0)  # the next visitor takes it, as Voila's get_rendered_notebook does
        await refill
        return time.monotonic() - began

    assert run_async(scenario()) < 0.2


def test_a_page_that_never_connects_holds_the_refill_at_most_the_cap(quick):
    async def scenario() -> float:
        manager = FakeManager(["closed-while-loading"], pooled=set())

        async def refill_work() -> None:
            return None

        refill = asyncio.get_running_loop().create_task(voila_server._refill_after_pages_settle(0, refill_work()))
        manager._pools["planner.ipynb"].append(refill)
        began = time.monotonic()
        await refill
        return time.monotonic() - began

    assert 1.9 <= run_async(scenario()) < 2.6


class EndingManager(voila_server.PoolSparingKernelManager):
    """The pool-sparing manager whose kernels are plain entries (no processes): Jupyter's own shutdown
    only forgets them, so what the test sees is what PoolSparingKernelManager adds."""

    def __init__(self, kernels: dict):
        super().__init__()
        self._kernels = kernels


@pytest.fixture
def jupyter_shutdown_forgets(monkeypatch):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    async def forget(self, kernel_id: str, now: bool = False, restart: bool = False) -> None:
        self._kernels.pop(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", forget)


def test_a_closed_page_s_garbage_is_freed_when_its_kernel_ends(jupyter_shutdown_forgets, monkeypatch):
    """Issue 24 (6): the cycles a visit leaves behind are freed when its kernel ends, not whenever
    Python's rare full collection comes (Voila's memory climbed ~50 MB over 50 planner visits)."""
    import gc
    import weakref

    class PageLeftovers:
        pass

    monkeypatch.setattr(voila_server, "RELEASE_AFTER_KERNEL_END_S", 0.05)
    manager = EndingManager({"visitor": object(), "other visitor": object()})
    collections: list[int] = []
    monkeypatch.setattr(voila_server, "release_page_memory",
                        lambda real=voila_server.release_page_memory: (collections.append(1), real()))

    async def both_pages_close() -> None:  # two kernels ending together share one collection
        await manager.shutdown_kernel("visitor")
        await manager.shutdown_kernel("other visitor")
        await asyncio.sleep(0.3)

    leftovers = PageLeftovers()
    leftovers.itself = leftovers  # a cycle: only the cyclic collector frees it
    gone = weakref.ref(leftovers)
    del leftovers
    was_enabled = gc.isenabled()
    gc.disable()  # no automatic collection in between: the kernel's end must do it
    try:
        assert gone() is not None
        run_async(both_pages_close())
        assert gone() is None
        assert collections == [1]
    finally:
        if was_enabled:
            gc.enable()


def test_an_ended_kernel_s_event_logger_leaves_python_s_logging(jupyter_shutdown_forgets):
    """Issue 24 (6): jupyter_server gives each kernel (under Voila) an event logger registered in
    ``logging`` by a name of its own; it stayed there after the kernel ended, one per visit."""
    import logging

    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    kernel = ServerKernelManager()
    name = kernel.event_logger._logger.name  # created as a kernel's is: no server event logger to share
    assert name in logging.Logger.manager.loggerDict
    manager = EndingManager({"visitor": kernel})
    run_async(manager.shutdown_kernel("visitor"))
    assert name not in logging.Logger.manager.loggerDict
    assert "visitor" not in manager._kernels


def test_a_server_s_shared_event_logger_stays(jupyter_shutdown_forgets):
    """Under jupyter_server (JupyterHub) the kernels share the server's event logger: it stays."""
    import logging

    from jupyter_events import EventLogger

    shared = EventLogger()
    name = shared._logger.name
    voila_server.drop_event_logger(shared, shared=shared)
    assert name in logging.Logger.manager.loggerDict
    voila_server.drop_event_logger(None, shared=shared)  # a kernel that never made one: nothing to do
