"""Embedded rate-limit buckets: token buckets in this process's memory (a bounded LRU: the least
recently seen keys are forgotten first). Right for one process; several replicas need a shared
store so that a client's limit counts across them. Pure memory: no I/O, nothing to run off the loop.
"""

from __future__ import annotations

import time
from collections import OrderedDict


class MemoryBuckets:
    """One bucket per key: ``(tokens, at)``; see stores/contracts.py ``RateBuckets``."""

    def __init__(self, max_keys: int = 100_000, clock=time.monotonic):
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take_now(self, key: str, per_minute: float, burst: int, now: float | None = None) -> float | None:
        """Take a token for ``key``: None when allowed, else the seconds to wait."""
        rate = per_minute / 60.0
        if rate <= 0:
            return None
        burst = max(1, burst)
        now = self._clock() if now is None else now
        tokens, at = self._buckets.pop(key, (float(burst), now))
        tokens = min(burst, tokens + (now - at) * rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            wait = None
        else:
            self._buckets[key] = (tokens, now)
            wait = (1 - tokens) / rate
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait

    async def take(self, key: str, per_minute: float, burst: int) -> float | None:
        return self.take_now(key, per_minute, burst)

    async def aclose(self) -> None:
        self._buckets.clear()
