"""The remote engine: a language model behind huggingface_hub's AsyncInferenceClient.

With ``HF_TOKEN`` and a model id it calls Hugging Face Inference Providers; with a base URL it
calls any OpenAI-compatible server (TGI, vLLM, llama.cpp, Ollama, our own test server).

Chunks are passed on as they arrive. Before the first chunk, failures that may pass (429, 503,
timeouts, connection errors) are retried with exponential backoff, honouring ``Retry-After``,
within one deadline of ``request_timeout`` seconds; after the first chunk nothing is retried (the
person already sees text) and the error ends the stream. Every library exception is turned into
one of the kinds in :mod:`plumberforce.errors` here, at the boundary.

Connections: huggingface_hub 2.x keeps each streamed response open on the client's exit stack
until the client is closed, so a long-lived client would hold one connection per request made.
We therefore open one ``AsyncInferenceClient`` per request and close it afterwards, and make the
(cheap) per-request ``httpx2.AsyncClient`` borrow one connection pool owned by the engine,
through huggingface_hub's public ``set_async_client_factory`` hook and a context variable.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections.abc import AsyncIterator
from typing import Literal

import httpx2
from huggingface_hub import AsyncInferenceClient, set_async_client_factory
from huggingface_hub.errors import HfHubHTTPError, InferenceTimeoutError

from plumberforce import errors
from plumberforce.engines.base import EngineRequest
from plumberforce.engines.hub_compat import default_async_client_factory
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


def _retry_after(response: httpx2.Response | None) -> float | None:
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


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
        set_async_client_factory(_client_factory)

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
            # the 101st chat wait for another chat's whole answer before it can even start
            limits = httpx2.Limits(
                max_connections=self.settings.concurrency_limit, max_keepalive_connections=64, keepalive_expiry=30
            )
            self._pool = httpx2.AsyncHTTPTransport(retries=0, limits=limits)
        _POOL.set(self._pool)
        request.answered.by(self.kind, self.model, request.cited)
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        deadline = time.monotonic() + self.settings.request_timeout
        attempt = 0
        while True:
            client = self._client()
            produced = False
            try:
                chunks = await self._open(client, messages, deadline)
                async for text in self._read(chunks):
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
            finally:
                await client.close()

    async def _open(self, client: AsyncInferenceClient, messages: list[dict], deadline: float):
        """Start the request; wait for the response headers no later than the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise errors.EngineTimeout("deadline")
        try:
            async with asyncio.timeout(remaining):
                return await client.chat_completion(
                    messages,
                    model=self.model,
                    stream=True,
                    max_tokens=self.settings.max_new_tokens,
                    temperature=self.settings.temperature,
                )
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
            response = getattr(exc, "response", None)
            status = response.status_code if response is not None else 0
            kind = {
                401: errors.EngineAuth,
                403: errors.EngineAuth,
                404: errors.ModelNotServed,
                429: errors.EngineRateLimited,
                503: errors.EngineOverloaded,
                502: errors.EngineOverloaded,
                504: errors.EngineTimeout,
            }.get(status, errors.BadResponse)
            return kind(f"HTTP {status}", retry_after=_retry_after(response))
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
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


def engine_error_messages(exc: errors.EngineError, model: str, base_url: str | None) -> tuple[str, str]:
    """English and Italian messages for an engine error of ``exc``'s kind."""
    where = base_url or "Hugging Face Inference Providers"
    table: dict[type[errors.EngineError], tuple[str, str]] = {
        errors.EngineAuth: (
            f"The model provider ({where}) refused our credentials. Check HF_TOKEN.",
            f"Il provider del modello ({where}) ha rifiutato le credenziali. Controlla HF_TOKEN.",
        ),
        errors.ModelNotServed: (
            f"The model '{model}' is not served by {where}. Change PLUMBERFORCE_MODEL "
            "(or PLUMBERFORCE_PROVIDER / PLUMBERFORCE_BASE_URL).",
            f"Il modello '{model}' non è servito da {where}. Cambia PLUMBERFORCE_MODEL "
            "(oppure PLUMBERFORCE_PROVIDER / PLUMBERFORCE_BASE_URL).",
        ),
        errors.EngineRateLimited: (
            "The model provider is rate-limiting us; please try again in a moment.",
            "Il provider del modello sta limitando le richieste; riprova tra poco.",
        ),
        errors.EngineOverloaded: (
            "The model is loading or overloaded; please try again in a moment.",
            "Il modello è in caricamento o sovraccarico; riprova tra poco.",
        ),
        errors.EngineUnavailable: (
            f"The model server ({where}) cannot be reached.",
            f"Il server del modello ({where}) non è raggiungibile.",
        ),
        errors.EngineTimeout: (
            "The model did not answer in time.",
            "Il modello non ha risposto in tempo.",
        ),
        errors.BadResponse: (
            "The model server sent a broken or interrupted response.",
            "Il server del modello ha inviato una risposta non valida o interrotta.",
        ),
    }
    return table.get(type(exc), ("The model could not answer.", "Il modello non ha potuto rispondere."))
