"""The remote engine: a language model behind huggingface_hub's AsyncInferenceClient.

With ``HF_TOKEN`` and a model id it calls Hugging Face Inference Providers; with a base URL it
calls any OpenAI-compatible server (TGI, vLLM, llama.cpp, Ollama, our own test server).

Chunks are passed on as they arrive. Before the first chunk, failures that may pass (429, 503,
timeouts, connection errors) are retried with exponential backoff, honouring ``Retry-After``,
within one deadline of ``request_timeout`` seconds; after the first chunk nothing is retried (the
person already sees text) and the error ends the stream. Every library exception is turned into
one of the kinds in :mod:`plumberforce.errors` here, at the boundary.

Two readers of the stream (``PLUMBERFORCE_STREAM_READER``), with the same retries and errors
(``tests/engines/test_stream_conformance.py``):

- ``fast`` (default): huggingface_hub builds the request (provider routing, URL, headers,
  payload: :func:`~plumberforce.engines.hub_compat.chat_request`), one ``httpx2.AsyncClient``
  of the engine sends it, and :func:`~plumberforce.engines.stream_reader.read_texts` reads the
  server-sent events from the raw bytes -- a fraction of the CPU of huggingface_hub's reader,
  which builds dataclasses for every chunk; under load it reads each stream less often
  (``PLUMBERFORCE_MODEL_READS_PER_SECOND`` for all together), in larger pieces;
- ``hub``: ``AsyncInferenceClient.chat_completion(stream=True)`` and its chunk objects.
  huggingface_hub 2.x keeps each streamed response open on the client's exit stack until the
  client is closed, so a long-lived client would hold one connection per request made: this
  path opens one ``AsyncInferenceClient`` per request and closes it afterwards, and its (cheap)
  per-request ``httpx2.AsyncClient`` borrows the engine's connection pool, through
  huggingface_hub's public ``set_async_client_factory`` hook and a context variable.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import random
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Literal

import httpx2
from huggingface_hub import AsyncInferenceClient, set_async_client_factory
from huggingface_hub.errors import HfHubHTTPError, InferenceTimeoutError

from plumberforce import errors
from plumberforce.engines.base import EngineRequest
from plumberforce.engines.http_pool import ConnectionPool, Unsupported, proxies_configured
from plumberforce.engines.http_stream import StreamedResponse
from plumberforce.engines.hub_compat import chat_request, default_async_client_factory
from plumberforce.engines.remote_errors import engine_error_messages, status_error
from plumberforce.engines.stream_reader import read_texts
from plumberforce.settings import Settings

log = logging.getLogger(__name__)

_POOL: contextvars.ContextVar[httpx2.AsyncBaseTransport | None] = contextvars.ContextVar(
    "plumberforce_pool", default=None
)


class _BorrowedTransport(httpx2.AsyncBaseTransport):
    """Sends through a shared pool; closing the borrowing client leaves the pool open."""

    def __init__(self, pool: httpx2.AsyncBaseTransport):
        self._pool = pool

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return await self._pool.handle_async_request(request)

    async def aclose(self) -> None:
        return None


def _client_factory() -> httpx2.AsyncClient:
    pool = _POOL.get()
    if pool is None:
        return default_async_client_factory()
    return httpx2.AsyncClient(transport=_BorrowedTransport(pool), follow_redirects=True, timeout=None)


def _remaining(deadline: float) -> float:
    """Seconds left before ``deadline``; none left is a timeout."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise errors.EngineTimeout("deadline")
    return remaining


class RemoteEngine:
    """Streams answers from a remote model; see the module docstring for the policy."""

    kind: Literal["remote"] = "remote"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model = settings.model
        self.base_url = settings.base_url
        self.provider = None if settings.base_url else settings.provider
        self._token = settings.hf_token.get_secret_value() if settings.hf_token else None
        self._pool: httpx2.AsyncHTTPTransport | None = None
        self._http: httpx2.AsyncClient | None = None  # the fast reader's client over the pool
        self._streams: ConnectionPool | None = None  # the fast reader's own connections (http_stream.py)
        self.streaming = 0  # responses being read by the fast reader now
        set_async_client_factory(_client_factory)
        self._hub = self._client()  # the fast reader's request builder: never opens a connection

    def identity(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "model": self.model,
            "provider": self.provider,
            "base_url": self.base_url,
            "max_tokens": self.settings.max_new_tokens,
            "temperature": self.settings.temperature,
        }

    def _client(self) -> AsyncInferenceClient:
        timeout = self.settings.request_timeout
        if self.base_url:
            return AsyncInferenceClient(base_url=self.base_url, api_key=self._token or "-", timeout=timeout)
        return AsyncInferenceClient(
            model=self.model,
            provider=self.provider,
            token=self._token,
            timeout=timeout,  # type: ignore[arg-type]
        )

    async def stream(self, request: EngineRequest) -> AsyncIterator[str]:
        if self._pool is None:
            # one connection per concurrent chat: httpx's default of 100 connections would make
            # the 101st chat wait for another chat's whole answer before it can even start; all of
            # them kept open after a burst, so the next burst does not connect again
            limits = httpx2.Limits(
                max_connections=self.settings.concurrency_limit,
                max_keepalive_connections=self.settings.concurrency_limit,
                keepalive_expiry=30,
            )
            self._pool = httpx2.AsyncHTTPTransport(retries=0, limits=limits)
            if self.settings.stream_reader == "fast" and not proxies_configured():
                self._streams = ConnectionPool(self.settings.concurrency_limit, keepalive_expiry=30)
        request.answered.by(self.kind, self.model, request.cited)
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        deadline = time.monotonic() + self.settings.request_timeout
        attempt = 0
        while True:
            produced = False
            try:
                async with aclosing(self._attempt(messages, deadline)) as texts:
                    async for text in texts:
                        produced = True
                        yield text
                return
            except errors.EngineError as exc:
                wait = self._retry_wait(exc, attempt, deadline) if not produced else None
                if wait is None:
                    raise self._localise(exc) from None
                log.info("remote engine: %s, retry %d in %.2fs", exc.code, attempt + 1, wait)
                attempt += 1
                await asyncio.sleep(wait)

    def _attempt(self, messages: list[dict], deadline: float) -> AsyncIterator[str]:
        if self.settings.stream_reader == "hub":
            return self._attempt_hub(messages, deadline)
        return self._attempt_fast(messages, deadline)

    # --- the fast reader: huggingface_hub builds the request, engines/stream_reader.py reads it ---
    async def _attempt_fast(self, messages: list[dict], deadline: float) -> AsyncIterator[str]:
        """One request; the stream read by :func:`~plumberforce.engines.stream_reader.read_texts`
        (sent and read by engines/http_stream.py, or by httpx2 where that one does not go)."""
        timeout = self.settings.request_timeout
        try:
            async with asyncio.timeout(_remaining(deadline)):
                sent = chat_request(self._hub, messages, model=self.model, **self._parameters())
                http = self._http_client()
                options = {"cookies": sent.cookies} if sent.cookies else {}
                built = http.build_request(
                    "POST", sent.url, json=sent.json, data=sent.data, headers=sent.headers, **options
                )
                response = None
                if self._streams is not None:
                    with contextlib.suppress(Unsupported):
                        response = await self._streams.send(built, connect_timeout=timeout, read_timeout=timeout)
                if response is None:
                    response = await http.send(built, stream=True)
        except Exception as exc:
            raise self._convert(exc) from exc
        finished = False
        self.streaming += 1
        try:
            if response.status_code >= 400:
                raise status_error(response)  # type: ignore[arg-type]
            async for text in read_texts(response, timeout, lambda: self._gather(response)):  # type: ignore[arg-type]
                yield text
            finished = True
        except Exception as exc:
            raise self._convert(exc) from exc
        finally:
            self.streaming -= 1
            if isinstance(response, StreamedResponse):
                await response.aclose(finished=finished)
            else:
                await response.aclose()

    async def _gather(self, response: object) -> None:
        """Under load, leave the stream unread a while before the next read (the first text is never
        held back): all streams together read about ``model_reads_per_second`` times a second."""
        budget = self.settings.model_reads_per_second
        pause = self.streaming / budget if budget > 0 else 0.0
        if pause >= 0.01:  # from 5 streams at once with the default budget
            await (response.gather(pause) if isinstance(response, StreamedResponse) else asyncio.sleep(pause))

    def _http_client(self) -> httpx2.AsyncClient:
        if self._http is None:
            pool = _BorrowedTransport(self._pool)  # type: ignore[arg-type]
            timeout = self.settings.request_timeout
            self._http = httpx2.AsyncClient(transport=pool, timeout=timeout, follow_redirects=True)
        return self._http

    def _parameters(self) -> dict[str, object]:
        return {"max_tokens": self.settings.max_new_tokens, "temperature": self.settings.temperature}

    # --- the hub reader: huggingface_hub's chat_completion and its chunk dataclasses -------------
    async def _attempt_hub(self, messages: list[dict], deadline: float) -> AsyncIterator[str]:
        _POOL.set(self._pool)
        client = self._client()
        try:
            chunks = await self._open(client, messages, deadline)
            async for text in self._read(chunks):
                yield text
        finally:
            await client.close()

    async def _open(self, client: AsyncInferenceClient, messages: list[dict], deadline: float):
        """Start the request; wait for the response headers no later than the deadline."""
        try:
            async with asyncio.timeout(_remaining(deadline)):
                return await client.chat_completion(messages, model=self.model, stream=True, **self._parameters())
        except Exception as exc:
            raise self._convert(exc) from exc

    async def _read(self, chunks) -> AsyncIterator[str]:
        """Yield the text of each chunk; no chunk within the timeout ends the stream."""
        iterator = chunks.__aiter__()
        while True:
            try:
                async with asyncio.timeout(self.settings.request_timeout):
                    chunk = await iterator.__anext__()
            except StopAsyncIteration:
                return
            except Exception as exc:
                raise self._convert(exc) from exc
            try:
                choices = chunk.choices or []
                text = (choices[0].delta.content or "") if choices else ""
            except (AttributeError, IndexError, TypeError) as exc:
                raise errors.BadResponse(f"unreadable chunk: {exc}") from exc
            if text:
                yield text

    def _retry_wait(self, exc: errors.EngineError, attempt: int, deadline: float) -> float | None:
        """Seconds to wait before the next attempt, or None when we must give up."""
        if not exc.retryable or attempt >= self.settings.retries:
            return None
        backoff = self.settings.retry_backoff * (2**attempt) * (0.75 + random.random() / 2)
        wait = min(exc.retry_after if exc.retry_after is not None else backoff, self.settings.retry_max_wait)
        if time.monotonic() + wait >= deadline:
            return None
        return wait

    def _convert(self, exc: Exception) -> errors.EngineError:
        """Map a library exception to one of our kinds."""
        if isinstance(exc, errors.EngineError):
            return exc
        if isinstance(exc, (TimeoutError, InferenceTimeoutError, httpx2.TimeoutException)):
            return errors.EngineTimeout(str(exc) or "timeout")
        if isinstance(exc, HfHubHTTPError):
            return status_error(getattr(exc, "response", None))
        if isinstance(exc, httpx2.ConnectError):
            return errors.EngineUnavailable(f"cannot connect: {exc}")
        if isinstance(exc, (httpx2.TransportError, httpx2.DecodingError, OSError)):
            return errors.BadResponse(f"connection interrupted: {exc!r}")
        log.warning("remote engine: unexpected %r", exc)
        return errors.BadResponse(f"unreadable response: {exc!r}")

    def _localise(self, exc: errors.EngineError) -> errors.EngineError:
        """The same error kind, with a message a person understands."""
        en, it = engine_error_messages(exc, self.model, self.base_url)
        return type(exc)(en, it, retry_after=exc.retry_after)

    async def aclose(self) -> None:
        if self._streams is not None:
            self._streams.close()
            self._streams = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None
