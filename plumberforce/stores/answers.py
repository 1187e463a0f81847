"""The embedded answer cache: finished answers in a diskcache directory, with a TTL and a size
bound (least recently stored go first). ``ttl_seconds=0`` disables it. Calls run in the store's
own threads, never on the event loop. The key is computed by :mod:`plumberforce.chat.answer_policy`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import diskcache

from plumberforce.stores.blocking import DISKCACHE_MEMORY, BlockingIO
from plumberforce.stores.records import CachedAnswer, CacheStats


class EmbeddedAnswerCache:
    """diskcache-backed; counts this process's hits and misses."""

    def __init__(self, directory: Path, ttl_seconds: int, size_mb: int):
        self.enabled = ttl_seconds > 0
        self.ttl = ttl_seconds
        self._cache = diskcache.Cache(str(directory), timeout=30, size_limit=size_mb * 2**20, **DISKCACHE_MEMORY)
        self._io = BlockingIO("answers", workers=4)
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    async def get(self, key: str) -> CachedAnswer | None:
        if not self.enabled:
            return None
        raw = await self._io.run(self._cache.get, key, default=None, retry=True)
        with self._lock:
            if raw is None:
                self._misses += 1
            else:
                self._hits += 1
        return CachedAnswer(**raw) if raw else None

    async def put(self, key: str, answer: CachedAnswer) -> None:
        if self.enabled:
            await self._io.run(self._cache.set, key, answer.__dict__, expire=self.ttl, retry=True)

    async def delete(self, key: str) -> bool:
        return bool(await self._io.run(self._cache.delete, key, retry=True))

    async def count(self) -> int:
        return await self._io.run(len, self._cache)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses)

    async def clear(self) -> None:
        await self._io.run(self._cache.clear, retry=True)

    async def aclose(self) -> None:
        self._io.shutdown()
        self._cache.close()
