"""Voila server settings that need code, named by class in ``voila.json`` (server side only: no
planning rules, no widgets; the server imports this, kernels never do).

- :class:`XsrfCookieIdentityProvider`: Jupyter's usual sign-in (a token when one is set, see the
  README's clinic section) that also gives a signed-in page the ``_xsrf`` cookie. Voila's page sends
  its kernel shutdown on unload as a beacon carrying that cookie's value; without the cookie the
  server refuses it (403 "'_xsrf' argument missing") and every closed page leaked its kernel. The
  XSRF check itself stays on.
- :class:`PoolSparingKernelManager`: culls idle kernels with no page attached (for pages whose
  unload never reached the server: a crashed browser, a lost network), but never the pre-heated
  kernel waiting in Voila's pool for the next visitor.
- When a kernel ends, :class:`PoolSparingKernelManager` frees what its page left in the server
  (:func:`release_page_memory`): Voila's renderer of that page, which is cyclic garbage once the
  page is served (its Jinja environment and templates, the executed notebook, the executor's kernel
  client, the widgets' state: 1,000–2,000 objects, ~1.7 MB a planner visit, measured with
  ``gc.DEBUG_SAVEALL``) that only Python's full collection frees, and a server holding ~236,000
  long-lived objects runs one only every few tens of visits: Voila's own memory climbed ~50 MB over
  the first 50 planner visits (0.1 MB a visit after that, as for an empty notebook), the freed
  memory kept fragmented in the allocators; and the kernel's event logger,
  which jupyter_server (2.x, with Voila 0.5, whose app has no event logger of its own to share)
  registers in Python's logging by name, once per kernel, for good.
- :func:`refill_after_pages_settle` (installed when this module is imported): Voila refills its
  pre-heat pool 1 s after a visitor takes the heated kernel, so the new kernel's start and notebook
  run (3–5 s of CPU: Python, pandas, plotly, the dashboard's widgets) competed with that very
  visitor's page, which was still loading: on a 2-core machine the page took 1.76x an empty
  notebook's time instead of 1.41x (``benchmarks/bench_dashboard.py``). The refill now waits until
  every page being opened has connected to its kernel and had ``REFILL_AFTER_CONNECT_S`` to draw,
  at most ``REFILL_WAIT_MAX_S``; a visitor who claims the waiting refill starts it at once.
- :func:`close_request_info_socket` (run when this module is imported, i.e. whenever ``voila.json``
  applies): Voila's ``/voila/query/<kernel-id>`` websocket, served with pre-heated kernels, takes
  anyone without sign-in and hands them the page request of that kernel (its query string carries
  ``?token=…`` when a coach follows a sign-in link). Trailback's notebook never asks for it
  (``voila.utils.get_query_string``), so the socket is closed on opening and nothing is kept for it.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import inspect
import logging
import time
import weakref
from datetime import timedelta
from typing import Any, Awaitable

import voila.voila_kernel_manager

from jupyter_server._tz import utcnow
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.websocket import WebSocketHandler
from voila.request_info_handler import RequestInfoSocketHandler

REQUEST_INFO_CLOSE_CODE = 1008  # policy violation: nothing is served on this socket
# Defaults measured on the 2-core CI machine (benchmarks/bench_dashboard.py): a page draws its widgets
# and chart 1–1.5 s after its websocket connects; a page that never connects (closed while loading)
# holds the refill back at most REFILL_WAIT_MAX_S.
REFILL_AFTER_CONNECT_S = 2.0
REFILL_WAIT_MAX_S = 10.0
REFILL_POLL_S = 0.1
# A full collection takes ~0.1 s of CPU in the server, during which no page gets a message: kernels
# ending together (a burst of pages closed) share one, RELEASE_AFTER_KERNEL_END_S after the first.
RELEASE_AFTER_KERNEL_END_S = 1.0


def _glibc_malloc_trim() -> Any:
    """glibc's ``malloc_trim`` (hands free heap pages back to the system), or None off glibc."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _glibc_malloc_trim()


def release_page_memory() -> None:
    """Free the garbage a closed page left (a full collection) and give the freed heap pages back."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def drop_event_logger(event_logger: Any, shared: Any) -> None:
    """Remove a kernel's own event logger from Python's logging registry (unless it is ``shared``, the
    server's, as under jupyter_server), where it would otherwise stay after its kernel ended."""
    logger = getattr(event_logger, "_logger", None)
    if event_logger is None or event_logger is shared or logger is None:
        return
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logging.Logger.manager.loggerDict.pop(logger.name, None)


class XsrfCookieIdentityProvider(PasswordIdentityProvider):
    """Sign-in as Jupyter's token/password provider; a signed-in GET also sets the ``_xsrf`` cookie."""

    async def get_user(self, handler: Any) -> Any:
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if user is not None and handler.request.method == "GET" and not isinstance(handler, WebSocketHandler):
            handler.current_user = user  # what Jupyter sets next; tornado's xsrf_token reads it
            handler.xsrf_token  # noqa: B018 — tornado sets the cookie when the browser has none
        return user


class PoolSparingKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager whose culler never ends a kernel pre-heated in Voila's pool, and
    gives a kernel whose page has not connected yet (just taken from the pool, or still loading) a
    full idle time from when the culler first finds it so, before it may end it."""

    instances: "weakref.WeakSet[PoolSparingKernelManager]" = weakref.WeakSet()

    def __init__(self, **kwargs: Any):
        self._connected_at: dict[str, float] = {}  # kernel id -> time.monotonic() of its page's first connection
        self._unclaimed_since: dict[str, Any] = {}  # kernel id -> when first found out of the pool, unconnected
        self._release_scheduled: asyncio.TimerHandle | None = None
        PoolSparingKernelManager.instances.add(self)
        super().__init__(**kwargs)

    def pooled_kernel_ids(self) -> set[str]:
        """Ids of the kernels waiting in Voila's pre-heat pool (empty without pre-heating)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    def holds_refill(self, refill: "asyncio.Task[Any] | None") -> bool:
        """Whether ``refill`` (a pool task) is still waiting in a pool, i.e. no visitor has claimed it."""
        return any(refill in pool for pool in getattr(self, "_pools", {}).values())

    def pages_loading(self) -> bool:
        """Whether a kernel outside the pool has a page that has not connected yet, or connected less
        than ``REFILL_AFTER_CONNECT_S`` ago (its page is still drawing)."""
        now = time.monotonic()
        pooled = self.pooled_kernel_ids()
        for kernel_id in self.list_kernel_ids():
            if kernel_id in pooled:
                continue
            connected = self._connected_at.get(kernel_id)
            if connected is None or now - connected < REFILL_AFTER_CONNECT_S:
                return True
        return False

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._connected_at.setdefault(kernel_id, time.monotonic())

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled_kernel_ids():
            return
        if kernel_id not in self._connected_at:
            since = self._unclaimed_since.setdefault(kernel_id, utcnow())
            if utcnow() - since < timedelta(seconds=self.cull_idle_timeout):
                return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._connected_at.pop(kernel_id, None)
        self._unclaimed_since.pop(kernel_id, None)
        event_logger = getattr(self._kernels.get(kernel_id), "_trait_values", {}).get("event_logger")  # only if the kernel made one
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            drop_event_logger(event_logger, shared=getattr(self.parent, "event_logger", None))
            self._schedule_release()

    def _schedule_release(self) -> None:
        """Run :func:`release_page_memory` RELEASE_AFTER_KERNEL_END_S from now, unless one is due already."""
        if self._release_scheduled is None:
            def release() -> None:
                self._release_scheduled = None
                release_page_memory()

            self._release_scheduled = asyncio.get_running_loop().call_later(RELEASE_AFTER_KERNEL_END_S, release)


async def wait_for_pages_to_settle(manager: PoolSparingKernelManager, refill: "asyncio.Task[Any] | None") -> float:
    """Wait while ``manager`` has pages loading, unless a visitor claims ``refill`` or
    ``REFILL_WAIT_MAX_S`` passes; returns the seconds waited."""
    started = time.monotonic()
    while (manager.pages_loading() and manager.holds_refill(refill)
           and time.monotonic() - started < REFILL_WAIT_MAX_S):
        await asyncio.sleep(REFILL_POLL_S)
    return time.monotonic() - started


async def _refill_after_pages_settle(delay: float, refill_work: Awaitable) -> Any:
    """Voila's ``wait_before`` for its pool refills: the usual delay, then the wait above."""
    await asyncio.sleep(delay)
    refill = asyncio.current_task()
    for manager in list(PoolSparingKernelManager.instances):
        if manager.holds_refill(refill):
            await wait_for_pages_to_settle(manager, refill)
            break
    return await refill_work


def refill_after_pages_settle() -> None:
    """Make Voila's pre-heat pool refill wait for the pages being opened (see the module's docstring)."""
    voila.voila_kernel_manager.wait_before = _refill_after_pages_settle


def _refuse_request_info(self: RequestInfoSocketHandler, kernel_id: str) -> None:
    self.close(REQUEST_INFO_CLOSE_CODE, "Trailback serves no request info")


def _forget_request_info(cls: type, msg: dict) -> None:
    """Nothing is sent or kept: Voila kept every page's request in a dict that was never emptied."""


def close_request_info_socket() -> None:
    """Close Voila's unauthenticated ``/voila/query`` websocket on opening; keep no request info."""
    RequestInfoSocketHandler.open = _refuse_request_info  # type: ignore[method-assign]
    RequestInfoSocketHandler.on_close = lambda self: None  # type: ignore[method-assign]
    RequestInfoSocketHandler.send_updates = classmethod(_forget_request_info)  # type: ignore[method-assign]
    RequestInfoSocketHandler._cache.clear()


close_request_info_socket()
refill_after_pages_settle()
