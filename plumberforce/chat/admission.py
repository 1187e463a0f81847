"""Who may start a chat now: per-client and per-IP token buckets, and the busy guard.

A client bucket holds ``burst`` tokens, an IP bucket four times that; both refill at their
``per_minute / 60`` tokens a second. A chat takes one token from each; an empty bucket answers
429 with ``Retry-After`` (the seconds until a token is back). The buckets live in a
:class:`~plumberforce.stores.contracts.RateBuckets` store: in memory for one process, shared
when several replicas must count together.
"""

from __future__ import annotations

import math

from plumberforce.errors import Busy, RateLimited
from plumberforce.stores.contracts import RateBuckets


class RateLimiter:
    """The per-client and per-IP limits together; ``0`` chats per minute turns a limit off."""

    def __init__(self, buckets: RateBuckets, client_per_minute: float, ip_per_minute: float, burst: int):
        self.buckets = buckets
        self.client_per_minute = client_per_minute
        self.ip_per_minute = ip_per_minute
        self.burst = max(1, burst)

    @property
    def enabled(self) -> bool:
        return self.client_per_minute > 0 or self.ip_per_minute > 0

    async def check(self, client_id: str, ip: str | None) -> None:
        """Raise :class:`RateLimited` (with ``retry_after``) when either limit is exhausted."""
        waits = []
        if self.client_per_minute > 0:
            waits.append(await self.buckets.take(f"client:{client_id}", self.client_per_minute, self.burst))
        if ip and self.ip_per_minute > 0:
            waits.append(await self.buckets.take(f"ip:{ip}", self.ip_per_minute, self.burst * 4))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise RateLimited(
                f"Too many questions: please wait {seconds} s before asking again.",
                f"Troppe domande: attendi {seconds} s prima di chiedere di nuovo.",
                retry_after=seconds,
            )


def check_capacity(active: int, max_active: int) -> None:
    """Raise :class:`Busy` when ``max_active`` chats are already running or waiting."""
    if active >= max_active:
        raise Busy(
            "Plumberforce is busy right now: please try again in a moment.",
            "Plumberforce è occupato in questo momento: riprova tra poco.",
            retry_after=5,
        )
