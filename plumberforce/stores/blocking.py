"""Blocking work off the event loop: each embedded store (and retrieval) owns a few threads.

One event loop serves every chat of the process; a SQLite commit or a diskcache read on it would
delay every other stream's next chunk. The embedded stores therefore run each call in their own
:class:`BlockingIO` threads (a store whose writes must keep their order uses one thread).

Calls share thread hops: ``run`` queues the call; a thread already at work takes the queued calls
in order, one after another, and hands each result back as it is ready. A call that finds the
threads idle starts one at once (alone, a call costs what ``run_in_executor`` costs); under load
(200 chats at once) the threads stay at work and nobody wakes them: a thread wake-up is a system
call and a hand-over of the GIL, dearer than most store calls themselves (bench/README.md, "Space
CPU per chat"). The results' wake-ups of the event loop are merged by the loop itself while it
is busy.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# SQLite's page cache and memory map count in the process's RSS: keep them small, the data
# lives on disk (diskcache's defaults are 32 MB of cache and a 64 MB map per store).
DISKCACHE_MEMORY: dict[str, Any] = {"sqlite_cache_size": 1024, "sqlite_mmap_size": 0}

_Call = tuple[asyncio.AbstractEventLoop, asyncio.Future, Callable[..., Any], tuple, dict]


class BlockingIO:
    """A named set of ``workers`` threads; ``await io.run(fn, *args)`` runs ``fn`` in one of them.

    With one worker the calls run one at a time in the order they were made.
    """

    def __init__(self, name: str, workers: int = 4):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"pf-{name}")
        self._workers = workers
        self._queue: deque[_Call] = deque()
        self._lock = threading.Lock()
        self._busy = 0  # threads taking calls from the queue

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            self._queue.append((loop, future, fn, args, kwargs))
            # a thread at work takes this call; another starts when more wait than threads work
            start = self._busy == 0 or (self._busy < self._workers and len(self._queue) > self._busy)
            if start:
                self._busy += 1
        if start:
            try:
                self._pool.submit(self._drain)
            except RuntimeError:  # shut down
                with self._lock:
                    self._busy -= 1
                    self._queue.remove((loop, future, fn, args, kwargs))
                raise
        return await future

    def _drain(self) -> None:
        """In a worker thread: run queued calls, in order, until none is left."""
        while True:
            with self._lock:
                if not self._queue:
                    self._busy -= 1
                    return
                loop, future, fn, args, kwargs = self._queue.popleft()
            if future.cancelled():  # nobody waits for it any more (run_in_executor skips these too)
                continue
            try:
                outcome = (future, True, fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, as an executor does
                outcome = (future, False, exc)
            try:
                loop.call_soon_threadsafe(_settle, *outcome)
            except RuntimeError:  # that loop is closed: nobody to tell
                pass

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def _settle(future: asyncio.Future, ok: bool, value: Any) -> None:
    """On the event loop: hand a call its result or exception."""
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
