"""One small async interface per store. Nothing above this module knows which implementation
holds the data: the embedded ones (diskcache and SQLite files in the data directory, their file
I/O run off the event loop) or shared ones for several replicas. Every implementation passes
the contract suite in ``tests/stores/test_contracts.py``.

Invariants every implementation keeps:
- ``ConversationStore.append`` adds all its messages or none (a turn is question and answer
  together), and keeps at most ``max_messages`` per conversation, dropping the oldest;
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

from plumberforce.stores.records import (
    CachedAnswer,
    CacheStats,
    ConversationInfo,
    FeedbackRecord,
    Message,
    Overview,
    Rating,
    RequestRecord,
)


class ConversationStore(Protocol):
    """A client id owns several conversations, one of them current; each holds ordered messages.

    Every method taking ``conversation_id=None`` addresses the client's current conversation;
    :meth:`append` to a client with none starts one (titled from its first question) and makes
    it current. Conversations are bounded (``max_messages`` each, ``max_conversations`` per
    client: the least recently updated go first) and expire when the client has been idle.
    Unknown conversation ids raise :class:`~plumberforce.errors.NotFound`.
    """

    max_messages: int

    async def overview(self, client_id: str) -> Overview:
        """The client's conversations, newest first, and the current one."""
        ...

    async def create(self, client_id: str, title: str = "") -> ConversationInfo:
        """A new, empty conversation, which becomes current."""
        ...

    async def select(self, client_id: str, conversation_id: str) -> ConversationInfo:
        """Make ``conversation_id`` the current conversation."""
        ...

    async def rename(self, client_id: str, conversation_id: str, title: str) -> ConversationInfo: ...

    async def delete(self, client_id: str, conversation_id: str | None = None) -> bool:
        """Forget a conversation (default: the current one); True when there was one. When the
        current one goes, the most recently updated of the others becomes current."""
        ...

    async def get(self, client_id: str, conversation_id: str | None = None) -> list[Message]:
        """The messages of a conversation, oldest first ([] when the client has none)."""
        ...

    async def turn_history(
        self, client_id: str, conversation_id: str | None = None
    ) -> tuple[str | None, list[Message]]:
        """Where a turn goes and what it follows, in one call: ``conversation_id`` made current
        (by default the current conversation, None when the client has none) and its messages,
        as :meth:`select` then :meth:`get` (or :meth:`overview` then :meth:`get`) would give them."""
        ...

    async def append(
        self,
        client_id: str,
        messages: Sequence[Message],
        conversation_id: str | None = None,
        replace_last: int = 0,
    ) -> str:
        """Add ``messages`` at the end, atomically, after dropping the last ``replace_last``
        messages (a regenerated answer replaces its turn); return the conversation id. The
        current conversation changes only when this starts the client's first one."""
        ...

    async def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        """The message ``message_id`` in any of the client's conversations, and the message
        before it (or Nones)."""
        ...

    async def count(self) -> int:
        """Stored conversations (of every client)."""
        ...

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

    async def records(self, client_id: str | None = None) -> list[FeedbackRecord]:
        """Every record (or the client's), oldest first."""
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
