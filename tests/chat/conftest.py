"""A chat service over a scripted engine and temporary embedded stores: no server, no model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from plumberforce.chat.admission import RateLimiter
from plumberforce.chat.answer_policy import AnswerPolicy
from plumberforce.chat.events import ChatEvent, Delta, Done
from plumberforce.chat.recorder import TurnRecorder
from plumberforce.chat.service import ChatLimits, ChatService
from plumberforce.engines.fallback import FallbackEngine
from plumberforce.engines.offline import OfflineEngine
from plumberforce.knowledge import KnowledgeBase
from plumberforce.stores.answers import EmbeddedAnswerCache
from plumberforce.stores.buckets import MemoryBuckets
from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.records import RequestRecord
from plumberforce.stores.request_log import EmbeddedRequestLog
from plumberforce.testing.fake_engine import ScriptedEngine


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase.load_cached(tmp_path_factory.mktemp("kb-index"))


@dataclass
class Chat:
    """The service under test and what it talks to."""

    service: ChatService
    engine: ScriptedEngine
    conversations: EmbeddedConversationStore
    cache: EmbeddedAnswerCache
    requests: EmbeddedRequestLog
    observed: list[RequestRecord]

    async def ask(self, question: str, client_id: str = "c1") -> tuple[str, Done]:
        """The streamed text and the Done event of one question."""
        text = ""
        done = None
        async for event in self.service.chat(question, client_id):
            if isinstance(event, Delta):
                text += event.text
            else:
                done = event
        assert done is not None, "no Done event"
        return text, done


async def collect(events: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in events]


@pytest.fixture
def open_chat(tmp_path: Path, kb: KnowledgeBase):
    """``async with open_chat(...) as chat``: a service over a ScriptedEngine with the offline fallback."""

    @asynccontextmanager
    async def opener(
        *, limits: ChatLimits = ChatLimits(), per_minute: float = 0, cache_ttl: int = 3600
    ) -> AsyncIterator[Chat]:
        async with AsyncExitStack() as stack:
            conversations = EmbeddedConversationStore(tmp_path / "conversations.sqlite3")
            stack.push_async_callback(conversations.aclose)
            cache = EmbeddedAnswerCache(tmp_path / "answers", cache_ttl, 16)
            stack.push_async_callback(cache.aclose)
            requests = EmbeddedRequestLog(tmp_path / "requests.sqlite3")
            stack.push_async_callback(requests.aclose)
            engine = ScriptedEngine()
            fallback = FallbackEngine(engine, OfflineEngine(kb.version))
            observed: list[RequestRecord] = []
            service = ChatService(
                engine=fallback,
                kb=kb,
                conversations=conversations,
                answers=AnswerPolicy(cache, fallback.identity(), "test-prompt", kb.version),
                recorder=TurnRecorder(conversations, requests, observed.append),
                limiter=RateLimiter(MemoryBuckets(), per_minute, 0, burst=2) if per_minute else None,
                limits=limits,
            )
            yield Chat(service, engine, conversations, cache, requests, observed)

    return opener
