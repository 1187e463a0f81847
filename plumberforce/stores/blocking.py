"""Blocking file I/O off the event loop: each embedded store owns a small thread pool.

One event loop serves every chat of the process; a SQLite commit or a diskcache read on it would
delay every other stream's next chunk. The embedded stores therefore run each call in their own
:class:`BlockingIO` pool (a store whose writes must keep their order uses one thread).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")

# SQLite's page cache and memory map count in the process's RSS: keep them small, the data
# lives on disk (diskcache's defaults are 32 MB of cache and a 64 MB map per store).
DISKCACHE_MEMORY: dict[str, Any] = {"sqlite_cache_size": 1024, "sqlite_mmap_size": 0}


class BlockingIO:
    """A named pool of ``workers`` threads; ``await io.run(fn, *args)`` runs ``fn`` there."""

    def __init__(self, name: str, workers: int = 4):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"pf-{name}")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs) if kwargs else partial(fn, *args))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
