"""The model's streamed response read over plain asyncio connections (the fast reader's client).

httpx2 reads a response body through six layers of async generators, an h11 state machine and an
anyio cancel scope with a timer for the read timeout, for every network read: under load most
of the Space's CPU for reading the model's stream (bench/README.md, "Space CPU per chat"). Here
the request is the one httpx2 builds (same bytes: line, headers, body), written to a pooled
asyncio connection; httptools (the C parser uvicorn uses) parses the response as it arrives and
a read costs one callback and one wake-up of the reading task. The read timeout is one timer per
timeout period (re-armed lazily from the time of the last bytes), not one per read.

The connections are kept by engines/http_pool.py, which also says what is left to httpx2.
Failures are httpx2's exceptions (``ConnectError``, ``ConnectTimeout``, ``ReadTimeout``,
``RemoteProtocolError``), so the engine maps them as before.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httptools
import httpx2

Key = tuple[str, str, int]  # scheme, host, port

if TYPE_CHECKING:
    from plumberforce.engines.http_pool import ConnectionPool


class Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: one response at a time, its body handed over as it arrives."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.lost = False
        self.idle_since = 0.0
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.started = False  # response headers complete
        self.complete = False
        self.keep_alive = False
        self.body: list[bytes] = []
        self.error: Exception | None = None
        self.waiter: asyncio.Future | None = None
        self.received = False  # any byte of this response
        self.last_read = 0.0
        self.when_complete = None  # set while the end of a finished answer's body is awaited

    # --- asyncio.Protocol ----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received = True
        self.last_read = time.monotonic()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self.error = httpx2.RemoteProtocolError(f"malformed HTTP response: {exc}")
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.started and not self.complete and not self._framed():
            self.complete = True  # a body without length or chunks ends when the connection does
        if not self.complete and self.error is None:
            if self.started:
                self.error = httpx2.RemoteProtocolError("peer closed connection without sending complete message body")
            else:
                self.error = httpx2.RemoteProtocolError("Server disconnected without sending a response.")
        self._wake()

    def _framed(self) -> bool:
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" in names or b"transfer-encoding" in names

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- httptools callbacks -------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.keep_alive = self.parser.should_keep_alive()
        self.started = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True
        if self.when_complete is not None:
            self.when_complete()

    # --- the reading side ----------------------------------------------------------------------
    async def wait(self) -> None:
        """Until something arrives (bytes, the end, an error)."""
        self.waiter = self.loop.create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None

    def close(self) -> None:
        self.lost = True
        if self.transport is not None:
            self.transport.close()


class StreamedResponse:
    """Status, headers and the body as it arrives; :meth:`aclose` when done (or given up)."""

    def __init__(self, pool: ConnectionPool, key: Key, connection: Connection, read_timeout: float | None):
        self._pool, self._key, self._connection = pool, key, connection
        self._read_timeout = read_timeout
        self._done = False
        self.status_code = connection.status
        self.headers = httpx2.Headers(connection.headers)
        encoding = self.headers.get("content-encoding", "identity").strip().lower()
        self._decode = _decoder(encoding)

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body, one piece per network read (decoded when the server compressed it)."""
        connection = self._connection
        watchdog = _Watchdog(connection, self._read_timeout) if self._read_timeout else None
        try:
            while True:
                if connection.body:
                    data = b"".join(connection.body)
                    connection.body.clear()
                    data = self._decode(data) if self._decode else data
                    if data:
                        yield data
                    continue
                if connection.error is not None:
                    raise connection.error
                if connection.complete:
                    self._release()
                    return
                await connection.wait()
        finally:
            if watchdog is not None:
                watchdog.cancel()

    async def gather(self, seconds: float) -> None:
        """Leave the stream unread for ``seconds``: what arrives meanwhile waits in the socket's
        buffer and is read at once (one read, one callback, instead of one per network packet)."""
        connection = self._connection
        transport = connection.transport
        if connection.lost or transport is None:
            return
        transport.pause_reading()
        try:
            await asyncio.sleep(seconds)
        finally:
            if not connection.lost:
                transport.resume_reading()

    def _release(self) -> None:
        if not self._done:
            self._done = True
            self._pool.release(self._key, self._connection)

    async def aclose(self, finished: bool = False) -> None:
        """Done with the response. ``finished``: the answer was read to its end (``[DONE]``), only
        the end of the HTTP body may still be on its way: the connection is kept for the next
        request once it arrives. Otherwise (an error, or the person stopped the answer) the
        connection closes, which also tells the server to stop generating."""
        if self._done:
            return
        self._done = True
        connection = self._connection
        if finished and connection.error is None and not connection.lost and not connection.complete:
            self._pool.drain(self._key, connection)
        elif finished and connection.complete and connection.error is None:
            self._pool.release(self._key, connection)
        else:
            connection.close()
            self._pool.release(self._key, connection)


class _Watchdog:
    """The read timeout: a ReadTimeout when no byte came for ``timeout`` seconds; one timer per
    period, re-armed from the time of the last bytes."""

    def __init__(self, connection: Connection, timeout: float):
        self.connection, self.timeout = connection, timeout
        connection.last_read = time.monotonic()
        self.handle = connection.loop.call_later(timeout, self.check)

    def check(self) -> None:
        connection = self.connection
        quiet = time.monotonic() - connection.last_read
        if quiet >= self.timeout:
            if connection.error is None and not connection.complete:
                connection.error = httpx2.ReadTimeout("no bytes within the read timeout")
                connection._wake()
            return
        self.handle = connection.loop.call_later(self.timeout - quiet, self.check)

    def cancel(self) -> None:
        self.handle.cancel()


class Discard(list):
    """The body of a response nobody reads any more."""

    def append(self, item: object) -> None:
        return None


def serialise(request: httpx2.Request) -> bytes:
    """The request's bytes on the wire, as httpx2 (h11) would write them."""
    head = [request.method.encode() + b" " + request.url.raw_path + b" HTTP/1.1"]
    head += [name + b": " + value for name, value in request.headers.raw]
    return b"\r\n".join(head) + b"\r\n\r\n" + request.content


def _decoder(encoding: str):
    """A function decoding the body's pieces, or None when it is not compressed."""
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "deflate"):
        state = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS)
        return state.decompress
    if encoding == "br":
        import brotli

        return brotli.Decompressor().process
    raise httpx2.DecodingError(f"unsupported content encoding {encoding!r}")
