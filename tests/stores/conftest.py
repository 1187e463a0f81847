"""Store implementations for the contract suite: every test of ``test_contracts.py`` runs once
per implementation in :data:`KINDS` (the embedded stores; shared stores add themselves here)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from plumberforce.stores.answers import EmbeddedAnswerCache
from plumberforce.stores.buckets import MemoryBuckets
from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.feedback_records import EmbeddedFeedbackStore
from plumberforce.stores.redis_conversations import RedisConversationStore
from plumberforce.stores.redis_records import RedisAnswerCache, RedisBuckets, RedisFeedbackStore
from plumberforce.stores.request_log import EmbeddedRequestLog

KINDS = ["embedded", "redis"]


@dataclass
class StoreFactory:
    """Opens stores of one implementation in one test's directory, or under one test's own key
    prefix on the session's redis-server (closed when the test ends)."""

    kind: str
    root: Path
    redis_url: str | None = None

    @asynccontextmanager
    async def _redis(self) -> AsyncIterator[aioredis.Redis]:
        client = aioredis.Redis.from_url(self.redis_url, decode_responses=True)
        try:
            yield client
        finally:
            await client.aclose()

    @property
    def prefix(self) -> str:
        return f"t{uuid.uuid4().hex[:8]}:"

    @asynccontextmanager
    async def conversations(
        self, max_messages: int = 200, idle_seconds: float = 86400, max_conversations: int = 50
    ) -> AsyncIterator:
        if self.kind == "redis":
            async with self._redis() as client:
                yield RedisConversationStore(client, self.prefix, max_messages, idle_seconds, max_conversations)
            return
        store = EmbeddedConversationStore(
            self.root / "conversations.sqlite3", max_messages, idle_seconds, max_conversations
        )
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def answers(self, ttl_seconds: int = 3600) -> AsyncIterator:
        if self.kind == "redis":
            async with self._redis() as client:
                yield RedisAnswerCache(client, self.prefix, ttl_seconds)
            return
        store = EmbeddedAnswerCache(self.root / "answers", ttl_seconds, 16)
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def feedback(self) -> AsyncIterator:
        if self.kind == "redis":
            async with self._redis() as client:
                yield RedisFeedbackStore(client, self.prefix)
            return
        store = EmbeddedFeedbackStore(self.root / "feedback.sqlite3")
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def requests(self, ring_size: int = 100) -> AsyncIterator:
        store = EmbeddedRequestLog(self.root / "requests.sqlite3", ring_size)
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def buckets(self) -> AsyncIterator:
        if self.kind == "redis":
            async with self._redis() as client:
                yield RedisBuckets(client, self.prefix)
            return
        store = MemoryBuckets()
        try:
            yield store
        finally:
            await store.aclose()


@pytest.fixture(params=KINDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        return StoreFactory("redis", tmp_path, server.url)
    return StoreFactory(request.param, tmp_path)


Factory = Callable[..., StoreFactory]
