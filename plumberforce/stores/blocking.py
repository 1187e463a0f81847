"""Blocking file I/O off the event loop: each embedded store owns a small thread pool.

One event loop serves every chat of the process; a SQLite commit or a diskcache read on it would
delay every other stream's next chunk. The embedded stores therefore run each call in their own
:class:`BlockingIO` pool; the SQLite stores whose writes must keep their order (conversations,
request log) use one :class:`GroupCommitIO` thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from plumberforce.stores.sqlite import SQLiteFile

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


class GroupCommitIO:
    """One thread for the calls of one SQLite file; the calls queued meanwhile share one commit.

    ``await io.run(fn, *args)`` returns (or raises) once ``fn`` has run and its writes are
    committed, as with a :class:`BlockingIO` of one thread. When several calls wait (many turns
    ending at once), the thread runs them in order inside one ``BEGIN IMMEDIATE`` ... ``COMMIT``,
    each in its own savepoint: a call that fails rolls back its own writes only, and the others
    are committed together (one commit and one write of each shared page instead of one per
    call). If that commit fails, every call of the group gets the error: none of them is stored.
    Results go back to the event loop in one wake-up per group.
    """

    def __init__(self, name: str, db: SQLiteFile):
        self._db = db
        self._queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=f"pf-{name}", daemon=True)
        self._thread.start()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((loop, future, fn, args))
        return await future

    def _work(self) -> None:
        while (call := self._queue.get()) is not None:
            group = [call]
            while True:
                try:
                    call = self._queue.get_nowait()
                except queue.Empty:
                    break
                if call is None:
                    self._queue.put(None)  # stop after this group
                    break
                group.append(call)
            outcomes = self._commit(group)
            by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future, bool, Any]]] = {}
            for (loop, future, _fn, _args), (ok, value) in zip(group, outcomes, strict=True):
                by_loop.setdefault(loop, []).append((future, ok, value))
            for loop, results in by_loop.items():
                with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits
                    loop.call_soon_threadsafe(_deliver, results)

    def _commit(self, group: list[_Call]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._db.transaction():
                for _loop, _future, fn, args in group:
                    try:
                        with self._db.transaction():  # a savepoint: a failing call leaves nothing
                            outcomes.append((True, fn(*args)))
                    except Exception as exc:  # noqa: BLE001 - handed to the caller
                        outcomes.append((False, exc))
        except Exception as exc:  # noqa: BLE001 - the commit failed: nothing of the group is stored
            return [(False, exc)] * len(group)
        return outcomes

    def shutdown(self) -> None:
        self._queue.put(None)
        self._thread.join()


_Call = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


def _deliver(results: list[tuple[asyncio.Future, bool, Any]]) -> None:
    for future, ok, value in results:
        if future.done():  # the caller was cancelled meanwhile
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
