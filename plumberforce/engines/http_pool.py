"""The fast reader's connections to the model: keep-alive HTTP/1.1 per origin (engines/http_stream.py
reads them).

At most ``limit`` responses at once (the engine's concurrency limit, as httpx2's pool had); idle
connections are kept ``keepalive_expiry`` seconds, most recently used first. A kept connection
that the server closed meanwhile is replaced once, before any byte of the response came. What it
does not do is left to httpx2 (:class:`Unsupported`; the engine then sends the request through
httpx2): proxies (any ``*_proxy`` variable set: the pool is not used at all), redirects, HTTP/2
(httpx2 does not speak it here either).
"""

from __future__ import annotations

import asyncio
import ssl
import time
import urllib.request
from collections import deque

import httpx2

from plumberforce.engines.http_stream import Connection, Discard, Key, StreamedResponse, serialise


class Unsupported(Exception):
    """This request or response needs httpx2 (a proxy, a redirect)."""


def proxies_configured() -> bool:
    return bool(urllib.request.getproxies())


class ConnectionPool:
    """Keep-alive HTTP/1.1 connections per origin, at most ``limit`` in use at once."""

    def __init__(self, limit: int, keepalive_expiry: float = 30.0):
        self._limit = asyncio.Semaphore(limit)
        self._idle: dict[Key, deque[Connection]] = {}
        self._expiry = keepalive_expiry
        self._ssl: ssl.SSLContext | None = None

    async def send(
        self, request: httpx2.Request, connect_timeout: float | None, read_timeout: float | None
    ) -> StreamedResponse:
        """Send ``request`` and wait for the response's status and headers."""
        url = request.url
        if url.scheme not in ("http", "https"):
            raise Unsupported(url.scheme)
        key = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        payload = serialise(request)
        await self._limit.acquire()
        try:
            for attempt in range(2):
                connection, reused = await self._connection(key, connect_timeout)
                connection._reset()
                connection.transport.write(payload)  # type: ignore[union-attr]
                try:
                    while not connection.started and connection.error is None:
                        await connection.wait()
                except BaseException:
                    connection.close()
                    raise
                if connection.error is not None:
                    connection.close()
                    if reused and not connection.received and attempt == 0:
                        continue  # a kept-alive connection the server had closed: once more on a new one
                    raise connection.error
                break
        except BaseException:
            self._limit.release()
            raise
        if 300 <= connection.status < 400:
            connection.close()
            self._limit.release()
            raise Unsupported("redirect")
        return StreamedResponse(self, key, connection, read_timeout)

    async def _connection(self, key: Key, connect_timeout: float | None) -> tuple[Connection, bool]:
        idle = self._idle.get(key)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.lost and now - connection.idle_since < self._expiry:
                return connection, True
            connection.close()
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        options = {"ssl": self._context(), "server_hostname": host} if scheme == "https" else {}
        try:
            async with asyncio.timeout(connect_timeout):
                _, connection = await loop.create_connection(lambda: Connection(loop), host, port, **options)
        except TimeoutError:
            raise httpx2.ConnectTimeout(f"connecting to {host}:{port} timed out") from None
        except OSError as exc:
            raise httpx2.ConnectError(str(exc)) from exc
        return connection, False

    def _context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = httpx2.create_ssl_context()
        return self._ssl

    def release(self, key: Key, connection: Connection) -> None:
        """A response read to its end: its connection waits for the next request (or closes)."""
        self._limit.release()
        self._keep(key, connection)

    def _keep(self, key: Key, connection: Connection) -> None:
        if connection.keep_alive and not connection.lost and connection.error is None:
            connection.idle_since = time.monotonic()
            idle = self._idle.setdefault(key, deque())
            while idle and connection.idle_since - idle[0].idle_since >= self._expiry:
                idle.popleft().close()
            idle.append(connection)
        else:
            connection.close()

    def drain(self, key: Key, connection: Connection, within: float = 5.0) -> None:
        """Free the slot now; keep the connection once its body's end arrives (within seconds)."""
        self._limit.release()
        connection.body.clear()
        connection.body = Discard()

        def complete() -> None:
            timer.cancel()
            connection.when_complete = None
            self._keep(key, connection)

        timer = connection.loop.call_later(within, connection.close)
        connection.when_complete = complete

    def close(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()
