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
- :func:`close_request_info_socket` (run when this module is imported, i.e. whenever ``voila.json``
  applies): Voila's ``/voila/query/<kernel-id>`` websocket, served with pre-heated kernels, takes
  anyone without sign-in and hands them the page request of that kernel (its query string carries
  ``?token=…`` when a coach follows a sign-in link). Trailback's notebook never asks for it
  (``voila.utils.get_query_string``), so the socket is closed on opening and nothing is kept for it.
"""

from __future__ import annotations

import inspect
from datetime import timedelta
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.websocket import WebSocketHandler
from voila.request_info_handler import RequestInfoSocketHandler

REQUEST_INFO_CLOSE_CODE = 1008  # policy violation: nothing is served on this socket


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

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._ever_connected: set[str] = set()
        self._unclaimed_since: dict[str, Any] = {}  # kernel id -> when first found out of the pool, unconnected

    def pooled_kernel_ids(self) -> set[str]:
        """Ids of the kernels waiting in Voila's pre-heat pool (empty without pre-heating)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._ever_connected.add(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled_kernel_ids():
            return
        if kernel_id not in self._ever_connected:
            since = self._unclaimed_since.setdefault(kernel_id, utcnow())
            if utcnow() - since < timedelta(seconds=self.cull_idle_timeout):
                return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._ever_connected.discard(kernel_id)
        self._unclaimed_since.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)


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
