"""Open the stores the settings ask for: today the embedded ones in the data directory.

:func:`open_stores` registers every store on the caller's exit stack, so whoever opened them
closes them (in reverse order) with the stack.
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass

from plumberforce.settings import Settings
from plumberforce.stores.answers import EmbeddedAnswerCache
from plumberforce.stores.buckets import MemoryBuckets
from plumberforce.stores.contracts import AnswerCache, ConversationStore, FeedbackStore, RateBuckets, RequestLog
from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.feedback_records import EmbeddedFeedbackStore
from plumberforce.stores.location import StorageInfo, embedded_storage
from plumberforce.stores.request_log import EmbeddedRequestLog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stores:
    """Every store of one process."""

    conversations: ConversationStore
    answers: AnswerCache
    feedback: FeedbackStore
    requests: RequestLog
    buckets: RateBuckets
    storage: StorageInfo


async def open_stores(settings: Settings, stack: AsyncExitStack) -> Stores:
    s = settings
    assert s.data_dir is not None  # resolved by Settings
    s.data_dir.mkdir(parents=True, exist_ok=True)
    requests = EmbeddedRequestLog(s.data_dir / "requests.sqlite3", ring_size=s.diagnostics_ring_size)
    stack.push_async_callback(requests.aclose)
    conversations = EmbeddedConversationStore(
        s.data_dir / "conversations.sqlite3",
        max_messages=s.max_messages_per_client,
        idle_seconds=s.conversation_idle_days * 86400,
        max_conversations=s.max_conversations_per_client,
    )
    stack.push_async_callback(conversations.aclose)
    imported = await conversations.import_v1(s.data_dir / "conversations")
    if imported:
        log.info("imported the conversations of %d clients from the first version's layout", imported)
    answers = EmbeddedAnswerCache(s.data_dir / "answers", s.cache_ttl_seconds, s.cache_size_mb)
    stack.push_async_callback(answers.aclose)
    feedback = EmbeddedFeedbackStore(s.data_dir / "feedback.sqlite3")
    stack.push_async_callback(feedback.aclose)
    buckets = MemoryBuckets()
    stack.push_async_callback(buckets.aclose)
    storage = embedded_storage(s.data_dir, s.space_id, s.persistent_dir)
    return Stores(conversations, answers, feedback, requests, buckets, storage)
