"""Store implementations for the contract suite: every test of ``test_contracts.py`` runs once
per implementation in :data:`KINDS` (the embedded stores; shared stores add themselves here)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from plumberforce.stores.answers import EmbeddedAnswerCache
from plumberforce.stores.buckets import MemoryBuckets
from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.feedback_records import EmbeddedFeedbackStore
from plumberforce.stores.request_log import EmbeddedRequestLog

KINDS = ["embedded"]


@dataclass
class StoreFactory:
    """Opens stores of one implementation in one test's directory (closed when the test ends)."""

    kind: str
    root: Path

    @asynccontextmanager
    async def conversations(
        self, max_messages: int = 200, idle_seconds: float = 86400, max_conversations: int = 50
    ) -> AsyncIterator:
        store = EmbeddedConversationStore(
            self.root / "conversations.sqlite3", max_messages, idle_seconds, max_conversations
        )
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def answers(self, ttl_seconds: int = 3600) -> AsyncIterator:
        store = EmbeddedAnswerCache(self.root / "answers", ttl_seconds, 16)
        try:
            yield store
        finally:
            await store.aclose()

    @asynccontextmanager
    async def feedback(self) -> AsyncIterator:
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
        store = MemoryBuckets()
        try:
            yield store
        finally:
            await store.aclose()


@pytest.fixture(params=KINDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    return StoreFactory(request.param, tmp_path)


Factory = Callable[..., StoreFactory]
