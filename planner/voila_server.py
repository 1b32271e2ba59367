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
"""

from __future__ import annotations

import inspect
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.websocket import WebSocketHandler


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
    """Jupyter's kernel manager whose culler skips the kernels pre-heated in Voila's pool, and gives
    a kernel just taken from the pool a fresh idle time (its page has not connected yet)."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._seen_pooled: set[str] = set()  # kernels seen waiting in the pool by the culler

    def pooled_kernel_ids(self) -> set[str]:
        """Ids of the kernels waiting in Voila's pre-heat pool (empty without pre-heating)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        pooled = self.pooled_kernel_ids()
        seen_pooled = self._seen_pooled
        if kernel_id in pooled:
            seen_pooled.add(kernel_id)
            return
        if kernel_id in seen_pooled:  # handed to a page since the last round: idle from now on
            seen_pooled.discard(kernel_id)
            kernel = self._kernels.get(kernel_id)
            if kernel is not None:
                kernel.last_activity = utcnow()
            return
        await super().cull_kernel_if_idle(kernel_id)
