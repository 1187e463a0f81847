"""One small async interface per store. Nothing above this module knows which implementation
holds the data: the embedded ones (diskcache and SQLite files in the data directory, their file
I/O run off the event loop) or shared ones for several replicas. Every implementation passes
the contract suite in ``tests/stores/test_contracts.py``.

Invariants every implementation keeps:
- ``ConversationStore.append`` adds all its messages or none (a turn is question and answer
  together), and keeps at most ``max_messages`` per client, dropping the oldest;
- ``ConversationStore.lock(client_id)`` serialises the turns of one client: while one holder is
  inside, no other holder of the same client id is (across every process that shares the store);
- ``FeedbackStore.save`` keeps one record per (client, message), merging newer values into it;
- ``AnswerCache`` entries expire after their TTL; a disabled cache stores nothing;
- ``RateBuckets.take`` is atomic: concurrent takers never both get the last token.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from plumberforce.stores.records import CachedAnswer, CacheStats, FeedbackRecord, Message, Rating, RequestRecord


class ConversationStore(Protocol):
    """client_id -> ordered messages, bounded per client, expired when idle."""

    max_messages: int

    async def get(self, client_id: str) -> list[Message]: ...

    async def append(self, client_id: str, messages: Sequence[Message]) -> None: ...

    async def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        """The message ``message_id`` of ``client_id`` and the message before it (or Nones)."""
        ...

    async def clear(self, client_id: str) -> bool:
        """Forget a conversation; True when there was one."""
        ...

    async def count(self) -> int: ...

    def lock(self, client_id: str) -> AbstractAsyncContextManager[None]: ...

    async def aclose(self) -> None: ...


class AnswerCache(Protocol):
    """Finished answers by key, with a TTL; counts this process's hits and misses."""

    enabled: bool

    async def get(self, key: str) -> CachedAnswer | None: ...

    async def put(self, key: str, answer: CachedAnswer) -> None: ...

    async def delete(self, key: str) -> bool: ...

    async def count(self) -> int: ...

    def stats(self) -> CacheStats: ...

    async def aclose(self) -> None: ...


class FeedbackStore(Protocol):
    """One record per (client, message); newer values replace older ones field by field."""

    async def save(self, rating: Rating) -> FeedbackRecord: ...

    async def get(self, client_id: str, message_id: str) -> FeedbackRecord | None: ...

    async def records(self) -> list[FeedbackRecord]:
        """Every record, oldest first."""
        ...

    async def count(self) -> int: ...

    async def aclose(self) -> None: ...


class RequestLog(Protocol):
    """The last N request records of this process (replica) and running totals."""

    async def add(self, record: RequestRecord) -> None: ...

    def recent(self) -> list[RequestRecord]:
        """The ring, oldest first (served from memory: never waits on a store)."""
        ...

    def totals(self) -> dict[str, float]: ...

    async def aclose(self) -> None: ...


class RateBuckets(Protocol):
    """Token buckets by key: ``burst`` tokens, refilled at ``per_minute / 60`` a second."""

    async def take(self, key: str, per_minute: float, burst: int) -> float | None:
        """Take a token: None when allowed, else the seconds until one is back."""
        ...

    async def aclose(self) -> None: ...
