"""The answer cache, feedback records and rate-limit buckets in Redis, shared by every replica.

- answers: ``Panswer:<key>`` (JSON, expires with the cache TTL) and ``Panswers`` (sorted set of
  keys by expiry time, to count the live entries); hits and misses are counted per process. Its
  size is bounded by Redis's own ``maxmemory`` policy (see README, "Scaling out").
- feedback: ``Pfb:<client>:<message>`` (hash; merged atomically by a script: a newer rating
  replaces the rating, a newer thumb the thumb, a newer comment the comment) and ``Pfb`` (sorted
  set of ``<client>\\t<message>`` by creation time). Feedback never expires.
- buckets: ``Prl:<key>`` (hash ``tokens``, ``at``), taken atomically by a script on Redis's own
  clock, so every replica counts against the same bucket.
"""

from __future__ import annotations

import json
import threading
import time

import redis.asyncio as aioredis

from plumberforce.stores.records import FEEDBACK_COLUMNS, CachedAnswer, CacheStats, FeedbackRecord, Rating
from plumberforce.stores.redis_client import unavailable

SAVE_FEEDBACK = """
local key, index = KEYS[1], KEYS[2]
local now = ARGV[1]
local member = ARGV[2]
if redis.call('EXISTS', key) == 0 then
  redis.call('HSET', key, 'ts', now, 'comment', '')
  redis.call('ZADD', index, now, member)
end
redis.call('HSET', key, 'updated', now)
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] ~= '' or ARGV[i] == 'comment' then redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
end
return redis.call('HGETALL', key)
"""

TAKE = """
local key = KEYS[1]
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = ''
if tokens >= 1 then tokens = tokens - 1 else wait = tostring((1 - tokens) / rate) end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', key, math.ceil(burst / rate) + 1)
return wait
"""


class RedisAnswerCache:
    """See the module docstring and stores/contracts.py ``AnswerCache``."""

    def __init__(self, client: aioredis.Redis, prefix: str, ttl_seconds: int):
        self.redis = client
        self.prefix = prefix
        self.enabled = ttl_seconds > 0
        self.ttl = ttl_seconds
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def _key(self, key: str) -> str:
        return f"{self.prefix}answer:{key}"

    async def get(self, key: str) -> CachedAnswer | None:
        if not self.enabled:
            return None
        async with unavailable():
            raw = await self.redis.get(self._key(key))
        with self._lock:
            if raw is None:
                self._misses += 1
            else:
                self._hits += 1
        return CachedAnswer(**json.loads(raw)) if raw else None

    async def put(self, key: str, answer: CachedAnswer) -> None:
        if not self.enabled:
            return
        async with unavailable():
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(self._key(key), json.dumps(answer.__dict__, ensure_ascii=False), ex=self.ttl)
                pipe.zadd(f"{self.prefix}answers", {key: time.time() + self.ttl})
                await pipe.execute()

    async def delete(self, key: str) -> bool:
        async with unavailable():
            async with self.redis.pipeline(transaction=True) as pipe:
                deleted, _ = await pipe.delete(self._key(key)).zrem(f"{self.prefix}answers", key).execute()
        return bool(deleted)

    async def count(self) -> int:
        index = f"{self.prefix}answers"
        now = time.time()
        async with unavailable():
            async with self.redis.pipeline(transaction=False) as pipe:
                _, count = await pipe.zremrangebyscore(index, "-inf", now).zcard(index).execute()
        return int(count)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses)

    async def aclose(self) -> None:
        return None


def _record(raw: dict[str, str], client_id: str, message_id: str) -> FeedbackRecord:
    values: dict[str, object] = {"client_id": client_id, "message_id": message_id}
    for column in FEEDBACK_COLUMNS:
        if column in ("client_id", "message_id"):
            continue
        value = raw.get(column)
        if column in ("ts", "updated"):
            values[column] = float(value or 0)
        elif column == "rating":
            values[column] = int(value) if value else None
        elif column in ("topic", "thumb", "article"):
            values[column] = value or None
        else:
            values[column] = value or ""
    return FeedbackRecord(**values)  # type: ignore[arg-type]


class RedisFeedbackStore:
    """See the module docstring and stores/contracts.py ``FeedbackStore``."""

    def __init__(self, client: aioredis.Redis, prefix: str):
        self.redis = client
        self.prefix = prefix
        self._save = client.register_script(SAVE_FEEDBACK)

    def _key(self, client_id: str, message_id: str) -> str:
        return f"{self.prefix}fb:{client_id}:{message_id}"

    async def save(self, rating: Rating) -> FeedbackRecord:
        fields: list[object] = []
        for name in ("question", "answer", "engine", "model", "topic", "article", "rating", "thumb"):
            value = getattr(rating, name)
            fields += [name, "" if value is None else str(value)]
        if rating.comment is not None:
            fields += ["comment", rating.comment]
        member = f"{rating.client_id}\t{rating.message_id}"
        async with unavailable():
            flat = await self._save(
                keys=[self._key(rating.client_id, rating.message_id), f"{self.prefix}fb"],
                args=[time.time(), member, *fields],
            )
        raw = dict(zip(flat[::2], flat[1::2], strict=True))
        return _record(raw, rating.client_id, rating.message_id)

    async def get(self, client_id: str, message_id: str) -> FeedbackRecord | None:
        async with unavailable():
            raw = await self.redis.hgetall(self._key(client_id, message_id))
        return _record(raw, client_id, message_id) if raw else None

    async def records(self, client_id: str | None = None) -> list[FeedbackRecord]:
        async with unavailable():
            members = await self.redis.zrange(f"{self.prefix}fb", 0, -1)
            pairs = [tuple(m.split("\t", 1)) for m in members]
            if client_id is not None:
                pairs = [p for p in pairs if p[0] == client_id]
            async with self.redis.pipeline(transaction=False) as pipe:
                for cid, mid in pairs:
                    pipe.hgetall(self._key(cid, mid))
                raws = await pipe.execute() if pairs else []
        return [_record(raw, cid, mid) for (cid, mid), raw in zip(pairs, raws, strict=True) if raw]

    async def count(self) -> int:
        async with unavailable():
            return int(await self.redis.zcard(f"{self.prefix}fb"))

    async def aclose(self) -> None:
        return None


class RedisBuckets:
    """See the module docstring and stores/contracts.py ``RateBuckets``."""

    def __init__(self, client: aioredis.Redis, prefix: str):
        self.redis = client
        self.prefix = prefix
        self._take = client.register_script(TAKE)

    async def take(self, key: str, per_minute: float, burst: int) -> float | None:
        rate = per_minute / 60.0
        if rate <= 0:
            return None
        async with unavailable():
            wait = await self._take(keys=[f"{self.prefix}rl:{key}"], args=[rate, max(1, burst)])
        return float(wait) if wait else None

    async def aclose(self) -> None:
        return None
