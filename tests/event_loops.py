"""Running a coroutine from a test (a module of its own: ``conftest`` names two files in this suite,
and the browser tests' one wins the import once they have run)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Coroutine


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run(coroutine)`` in a thread of its own: the browser tests' Playwright (sync API)
    keeps an event loop running in the main thread for the whole session, where ``asyncio.run``
    refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
