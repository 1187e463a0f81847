"""Open the stores the settings ask for: the embedded ones in the data directory, or with
``PLUMBERFORCE_REDIS_URL`` the shared ones in Redis (conversations, answer cache, feedback,
rate-limit buckets). Request records stay embedded either way: they describe this replica.

:func:`open_stores` registers every store on the caller's exit stack, so whoever opened them
closes them (in reverse order) with the stack.
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass

import redis.asyncio as aioredis

from plumberforce.settings import Settings
from plumberforce.stores.answers import EmbeddedAnswerCache
from plumberforce.stores.buckets import MemoryBuckets
from plumberforce.stores.contracts import AnswerCache, ConversationStore, FeedbackStore, RateBuckets, RequestLog
from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.feedback_records import EmbeddedFeedbackStore
from plumberforce.stores.location import StorageInfo, embedded_storage
from plumberforce.stores.redis_client import connect, reachable, redis_host
from plumberforce.stores.redis_conversations import RedisConversationStore
from plumberforce.stores.redis_records import RedisAnswerCache, RedisBuckets, RedisFeedbackStore
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
    redis: aioredis.Redis | None = None

    async def problems(self) -> list[dict[str, str]]:
        """What is wrong with the stores now (empty when all is well): ``{code, detail}`` each."""
        if self.redis is not None and not await reachable(self.redis):
            detail = f"Redis at {self.storage.where} cannot be reached: chats fail until it is back"
            return [{"code": "redis_unreachable", "detail": detail}]
        return []


async def open_stores(settings: Settings, stack: AsyncExitStack) -> Stores:
    s = settings
    assert s.data_dir is not None  # resolved by Settings
    s.data_dir.mkdir(parents=True, exist_ok=True)
    requests = EmbeddedRequestLog(s.data_dir / "requests.sqlite3", ring_size=s.diagnostics_ring_size)
    stack.push_async_callback(requests.aclose)
    if s.redis_url is not None:
        return await _open_redis(s, stack, requests)
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


async def _open_redis(s: Settings, stack: AsyncExitStack, requests: EmbeddedRequestLog) -> Stores:
    assert s.redis_url is not None
    client = await connect(s, max_connections=s.concurrency_limit + 16)
    stack.push_async_callback(client.aclose)
    prefix = s.redis_prefix
    conversations = RedisConversationStore(
        client,
        prefix,
        max_messages=s.max_messages_per_client,
        idle_seconds=s.conversation_idle_days * 86400,
        max_conversations=s.max_conversations_per_client,
        lease_seconds=s.redis_lease_seconds,
    )
    where = redis_host(s.redis_url.get_secret_value())
    storage = StorageInfo("redis", await _persistent(client), where)
    return Stores(
        conversations,
        RedisAnswerCache(client, prefix, s.cache_ttl_seconds),
        RedisFeedbackStore(client, prefix),
        requests,
        RedisBuckets(client, prefix),
        storage,
        client,
    )


async def _persistent(client: aioredis.Redis) -> bool:
    """Does this Redis write to disk (AOF, or RDB snapshots)? True when it cannot tell (managed
    services often refuse CONFIG): persistence is then the provider's promise."""
    with suppress(Exception):
        info = await client.info("persistence")
        if int(info.get("aof_enabled", 0)):
            return True
        save = await client.config_get("save")
        return bool(save.get("save"))
    return True
