"""Token buckets per client id and per IP address, for the requests that reach the model.

A bucket holds up to ``burst`` tokens and refills at ``per_minute / 60`` tokens a second; a chat
takes one token, and an empty bucket answers 429 with ``Retry-After`` (the seconds until a token
is back). Buckets live in memory (a bounded LRU: the least recently seen keys are forgotten
first), which is right for one process; several replicas would each limit on their own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

from plumberforce.errors import RateLimited


class TokenBuckets:
    """One bucket per key; ``per_minute <= 0`` turns the limiter off."""

    def __init__(self, per_minute: float, burst: int, max_keys: int = 100_000):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: str, now: float | None = None) -> float | None:
        """Take a token for ``key``: None when allowed, else the seconds to wait."""
        if not self.enabled:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                wait = None
            else:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.rate
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


class RateLimiter:
    """The per-client and per-IP limits together."""

    def __init__(self, client_per_minute: float, ip_per_minute: float, burst: int):
        self.clients = TokenBuckets(client_per_minute, burst)
        self.ips = TokenBuckets(ip_per_minute, burst * 4)

    def check(self, client_id: str, ip: str | None) -> None:
        """Raise :class:`RateLimited` (with ``retry_after``) when either limit is exhausted."""
        waits = [self.clients.take(client_id)]
        if ip:
            waits.append(self.ips.take(ip))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise RateLimited(
                f"Too many questions: please wait {seconds} s before asking again.",
                f"Troppe domande: attendi {seconds} s prima di chiedere di nuovo.",
                retry_after=seconds,
            )
