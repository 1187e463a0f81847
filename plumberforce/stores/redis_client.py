"""The connection to Redis shared by the Redis stores: one asyncio client, one connection pool.

:func:`connect` builds the client from the settings and checks it once: a wrong password stops
start-up with a message naming the variables; an unreachable Redis does not (the replica starts
degraded and the pool reconnects by itself when Redis is back). :func:`unavailable` turns every
redis-py connection or timeout error into :class:`~plumberforce.errors.StoreUnavailable`, the one
error the layers above know, with a message in both languages.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.exceptions import AuthenticationError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from plumberforce.errors import StoreUnavailable
from plumberforce.settings import Settings, SettingsError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def redis_host(url: str) -> str:
    """Where Redis is, without the password: ``host:port/db``."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"


def store_down(exc: BaseException | None = None) -> StoreUnavailable:
    detail = f" ({type(exc).__name__})" if exc is not None else ""
    return StoreUnavailable(
        f"The shared store (Redis) cannot be reached{detail}; please try again in a moment.",
        f"L'archivio condiviso (Redis) non è raggiungibile{detail}; riprova tra poco.",
        retry_after=5,
    )


@asynccontextmanager
async def unavailable() -> AsyncIterator[None]:
    """Redis connection and timeout errors, as :class:`StoreUnavailable`."""
    try:
        yield
    except DOWN as exc:
        raise store_down(exc) from exc


async def connect(settings: Settings, max_connections: int) -> aioredis.Redis:
    """The client of ``PLUMBERFORCE_REDIS_URL``, checked with a PING (see the module docstring)."""
    assert settings.redis_url is not None
    url = settings.redis_url.get_secret_value()
    password = settings.redis_password.get_secret_value() if settings.redis_password else None
    # a blocking pool: past max_connections a command waits for a free connection (up to
    # ``timeout``) instead of failing at once with MaxConnectionsError (seen in a 200-chat burst)
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        password=password,
        decode_responses=True,
        max_connections=max_connections,
        timeout=10,
        # a burst of chats opens many connections at once while the event loop is busy: a 2 s
        # bound expired on a loaded 2-core box (the loop's lag, not Redis's); refused is at once
        socket_connect_timeout=5,
        socket_timeout=10,
        health_check_interval=15,
        client_name=f"plumberforce-{settings.replica_id}",
    )
    client = aioredis.Redis.from_pool(pool)  # the client owns the pool and closes it
    try:
        await client.ping()
    except AuthenticationError as exc:
        await client.aclose()
        raise SettingsError(
            "Invalid configuration:\n  PLUMBERFORCE_REDIS_URL / PLUMBERFORCE_REDIS_PASSWORD: "
            f"Redis at {redis_host(url)} refused the password ({exc})"
        ) from None
    except ResponseError as exc:
        if "NOAUTH" in str(exc) or "WRONGPASS" in str(exc):
            await client.aclose()
            raise SettingsError(
                "Invalid configuration:\n  PLUMBERFORCE_REDIS_PASSWORD: "
                f"Redis at {redis_host(url)} needs a password ({exc})"
            ) from None
        raise
    except DOWN as exc:
        log.warning(
            "Redis at %s cannot be reached (%s): starting degraded; it reconnects by itself", redis_host(url), exc
        )
    return client


async def reachable(client: aioredis.Redis) -> bool:
    """Does Redis answer a PING now (for /api/status)?"""
    try:
        return bool(await client.ping())
    except DOWN:
        return False


async def verify(settings: Settings) -> None:
    """Start-up check, before the server starts: a wrong password stops it with a clear message."""
    client = await connect(settings, max_connections=1)
    await client.aclose()
