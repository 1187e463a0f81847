"""Embedded conversations: client_id -> ordered messages in a diskcache directory.

Stored under ``<data_dir>/conversations`` (SQLite in WAL mode): a turn is written in one
transaction before the person is told it is done, so a crash or restart never loses an
acknowledged turn; several processes of one machine may share the directory (their turn locks
are per process: for several replicas use a shared store). Calls run in the store's own threads,
never on the event loop.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import diskcache

from plumberforce.stores.blocking import DISKCACHE_MEMORY, BlockingIO
from plumberforce.stores.records import Message


class EmbeddedConversationStore:
    """Per-client message lists in ``directory``; see the module docstring and stores/contracts.py."""

    def __init__(self, directory: Path, max_messages: int = 200, idle_seconds: float = 30 * 86400):
        self._cache = diskcache.Cache(str(directory), timeout=30, size_limit=2**40, **DISKCACHE_MEMORY)
        self._io = BlockingIO("conversations", workers=4)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.max_messages = max_messages
        self.idle_seconds = idle_seconds

    def _get(self, client_id: str) -> list[Message]:
        raw = self._cache.get(client_id, default=None, retry=True)
        return [Message(**m) for m in raw] if raw else []

    def _append(self, client_id: str, messages: Sequence[Message]) -> None:
        with self._cache.transact(retry=True):
            current = self._cache.get(client_id, default=None, retry=True) or []
            current.extend(m.to_dict() for m in messages)
            current = current[-self.max_messages :]
            self._cache.set(client_id, current, expire=self.idle_seconds, retry=True)

    async def get(self, client_id: str) -> list[Message]:
        return await self._io.run(self._get, client_id)

    async def append(self, client_id: str, messages: Sequence[Message]) -> None:
        """Add ``messages`` at the end, atomically; the oldest fall off past the bound."""
        await self._io.run(self._append, client_id, list(messages))

    async def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        messages = await self.get(client_id)
        for i, message in enumerate(messages):
            if message.message_id == message_id:
                return message, messages[i - 1] if i else None
        return None, None

    async def clear(self, client_id: str) -> bool:
        return bool(await self._io.run(self._cache.delete, client_id, retry=True))

    async def count(self) -> int:
        return await self._io.run(len, self._cache)

    async def expire(self) -> int:
        """Drop idle conversations now; returns how many."""
        return await self._io.run(self._cache.expire, retry=True)

    @asynccontextmanager
    async def lock(self, client_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(client_id)
        if lock is None:
            lock = self._locks[client_id] = asyncio.Lock()
        async with lock:
            yield

    async def aclose(self) -> None:
        self._io.shutdown()
        self._cache.close()
