"""Calls to the Space's named endpoints, driven on the event loop: no thread per call.

gradio_client does the discovery: ``Client(space, token=HF_TOKEN, headers={X-API-Key})``
resolves a Space id to its URL, fetches the Gradio config and API info, picks the protocol and
builds the headers and cookies (HF's ``x-hf-authorization``, session-affinity cookies). That
runs once, in a worker thread, and again only after the Space stopped answering.

The calls themselves speak the same queue protocol gradio_client speaks (``sse_v3``), with one
``httpx.AsyncClient`` on the event loop: ``POST queue/join`` then ``GET queue/data`` streamed,
applying the Space's output diffs with ``gradio_client.utils.apply_diff``. Why not
``Client.submit()``: every submitted job holds three threads (the job, a cancel watcher and a
message poller that sleeps 50 ms between looks) and one Client's pool of ``max_workers`` (40 by
default) hangs once that many streams are open (see docs/architecture.md, "Facts about the
stack"). Here an open chat costs a coroutine and a socket; a chunk from the Space reaches the page in one loop turn.

Each call runs alone in its ``session_hash`` (so its own SSE stream): Gradio's ``POST /cancel``
cancels every running task of a (session, endpoint) pair, so calls sharing a session could not
be cancelled one by one -- the same holds for jobs of one gradio_client Client. A session whose
call finished cleanly goes back to a pool and serves a later call: Gradio builds a per-session
copy of the whole app's component config on a session's first event (about 7 ms of the Space's
CPU for our UI), which under a burst of new sessions delayed everyone's first chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import httpx
from gradio_client.exceptions import AuthenticationError
from gradio_client.utils import apply_diff

from render_proxy.settings import ProxySettings
from render_proxy.space_discovery import (
    BackendUnavailable,
    Busy,
    SpaceInfo,
    Unauthorized,
    Unreachable,
    Update,
    UpstreamError,
    describe,
    discover,
    sse_batches,
)

__all__ = ["BackendUnavailable", "Busy", "SpaceInfo", "Unauthorized", "Update", "Upstream", "UpstreamError", "discover"]

log = logging.getLogger(__name__)
PROTOCOLS = ("sse_v3",)
SESSION_POOL = 1024  # idle Gradio sessions kept for reuse
DISCOVERY_RETRY = 1.0  # seconds between discovery attempts while the Space is away
NOT_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout)  # the request never reached the Space


class Upstream:
    """The Space, as seen by the proxy: discovery, calls, cancellation, health."""

    def __init__(self, settings: ProxySettings):
        self.settings = settings
        self._info: SpaceInfo | None = None
        self._failure: UpstreamError | None = None
        self._failed_at = 0.0
        self._lock = asyncio.Lock()
        self._http: httpx.AsyncClient | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self.active = 0  # calls in flight
        self._sessions: list[str] = []  # idle session hashes (see the module docstring)
        self.last_error: str | None = None

    async def start(self) -> None:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64, keepalive_expiry=30)
        self._http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(self.settings.call_timeout, connect=5))

    async def aclose(self) -> None:
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("Upstream.start() was not awaited")
        return self._http

    # --- discovery ------------------------------------------------------------------------
    async def info(self) -> SpaceInfo:
        """The Space's description, discovered on first use and after failures.

        One discovery at a time; callers that waited while it failed get its error at once
        (a sleeping Space must not cost every queued question a full timeout), and a new
        attempt starts at most every ``DISCOVERY_RETRY`` seconds.
        """
        if self._info is not None:
            return self._info
        asked = time.monotonic()
        async with self._lock:
            if self._info is not None:
                return self._info
            failure = self._failure
            if failure is not None and (
                self._failed_at >= asked or time.monotonic() - self._failed_at < DISCOVERY_RETRY
            ):
                raise type(failure)(failure.message)  # a fresh one: no traceback piling up on a shared object
            try:
                info = await asyncio.wait_for(asyncio.to_thread(discover, self.settings), self.settings.call_timeout)
                if info.protocol not in PROTOCOLS:
                    raise BackendUnavailable(
                        f"The Space speaks Gradio protocol {info.protocol!r}; the proxy needs sse_v3."
                    )
            except UpstreamError as exc:
                self._fail(exc, exc.message)
                raise
            except AuthenticationError:
                refused = Unauthorized("The Space refused the proxy's key (check PLUMBERFORCE_API_KEY).")
                self._fail(refused, "the Space refused the proxy's key")
                raise refused from None
            except Exception as exc:  # gradio_client raises many kinds: all mean "not there"
                away = Unreachable(f"The Space is not available ({describe(exc)}).")
                self._fail(away, describe(exc))
                raise away from None
            log.info("Space %s: protocol %s, endpoints %s", info.src, info.protocol, sorted(info.fn_index))
            self._info, self._failure, self.last_error = info, None, None
            return info

    def _fail(self, error: UpstreamError, reason: str) -> None:
        self._failure, self._failed_at, self.last_error = error, time.monotonic(), reason

    def forget(self, reason: str) -> None:
        """Rediscover on next use (the Space restarted, moved or fell asleep)."""
        self.last_error = reason
        self._info = None
        self._sessions.clear()  # sessions belong to the Space process that created them

    def space_root(self) -> str | None:
        """The Space's URL, when known without discovery."""
        if self._info is not None:
            return self._info.src
        return self.settings.space if self.settings.space.startswith("http") else None

    # --- calls ----------------------------------------------------------------------------
    async def _join(self, info: SpaceInfo, fn: int, data: list[Any], session: str, extra: dict[str, str]) -> str:
        body = {"data": data, "fn_index": fn, "session_hash": session, "event_data": None, "trigger_id": None}
        try:
            response = await self.http.post(
                info.root + "queue/join",
                json=body,
                headers={**extra, **info.headers, "x-gradio-user": "api"},
                cookies=info.cookies,
            )
        except httpx.HTTPError as exc:
            self.forget(describe(exc))
            kind = Unreachable if isinstance(exc, NOT_CONNECTED) else BackendUnavailable
            raise kind(f"The Space is not available ({describe(exc)}).") from None
        if response.status_code == 200:
            return str(response.json()["event_id"])
        if response.status_code == 503:
            raise Busy("The Space is busy (its queue is full); try again in a moment.")
        if response.status_code in (401, 403):
            raise Unauthorized("The Space refused the proxy's key (check PLUMBERFORCE_API_KEY).")
        if response.status_code == 422:
            raise UpstreamError(str(response.json().get("detail", "The Space refused the request.")))
        self.forget(f"HTTP {response.status_code} on queue/join")
        raise BackendUnavailable(f"The Space is not available (HTTP {response.status_code}).")

    async def events(self, api_name: str, *data: Any, client_ip: str | None = None) -> AsyncIterator[Update]:
        """Call a named endpoint; yield its outputs as they change, the last one ``final``.

        ``client_ip`` (the page's address) goes upstream as ``X-Forwarded-For``, so the Space's
        per-IP limits see people, not the proxy (the Space trusts it only from addresses it is
        configured to trust).

        Raises :class:`UpstreamError` (and subclasses). Leaving the iteration early (an
        ``aclose()``, a cancelled task, a timeout) cancels the call on the Space.
        """
        info = await self.info()
        fn = info.fn_index.get(api_name)
        if fn is None:
            raise UpstreamError(f"The Space has no {api_name} endpoint.")
        reused = bool(self._sessions)
        session = self._sessions.pop() if reused else uuid.uuid4().hex
        extra = {"X-Forwarded-For": client_ip} if client_ip else {}
        stream = self._stream(info, session)
        event_id = ""
        finished = False
        self.active += 1
        try:
            async with contextlib.AsyncExitStack() as stack:
                if reused:
                    # The Space knows this session already, so its event stream can be opened
                    # while the job is being queued: nothing waits for the join's round trip,
                    # and the first chunk is read as soon as the Space sends it.
                    join = asyncio.get_running_loop().create_task(self._join(info, fn, list(data), session, extra))
                    try:
                        response = await stack.enter_async_context(stream)
                    except BaseException:
                        join.cancel()
                        raise
                    event_id = await join
                    if response.status_code == 404:  # the Space forgot the session (restarted)
                        await response.aclose()
                        response = await stack.enter_async_context(self._stream(info, session))
                else:
                    event_id = await self._join(info, fn, list(data), session, extra)
                    response = await stack.enter_async_context(stream)
                if response.status_code != 200:
                    raise BackendUnavailable(f"The Space is not available (HTTP {response.status_code}).")
                outputs: list[Any] | None = None
                async for batch in sse_batches(response):
                    changed = False
                    for message in batch:
                        kind = message.get("msg")
                        if message.get("event_id") not in (None, event_id):
                            continue
                        if kind == "process_generating" and message.get("success", True):
                            diffs = message["output"]["data"]
                            if outputs is None:
                                outputs = list(diffs)
                            else:
                                outputs = [apply_diff(old, diff) for old, diff in zip(outputs, diffs, strict=False)]
                            changed = True
                        elif kind == "process_completed":
                            finished = True
                            output = message.get("output") or {}
                            if not message.get("success", True) or "error" in output:
                                raise UpstreamError(str(output.get("error") or "The Space could not answer."))
                            yield Update(list(output.get("data") or []), final=True)
                            return
                        elif kind in ("unexpected_error", "server_stopped"):
                            finished = True
                            raise BackendUnavailable(f"The Space stopped the call ({message.get('message') or kind}).")
                        elif kind == "close_stream":
                            changed = False
                            break
                    if changed and outputs is not None:
                        yield Update(outputs, final=False)
            raise BackendUnavailable("The Space closed the stream before answering.")
        except httpx.HTTPError as exc:
            self.forget(describe(exc))
            kind = Unreachable if isinstance(exc, NOT_CONNECTED) and not event_id else BackendUnavailable
            raise kind(f"The Space is not available ({describe(exc)}).") from None
        finally:
            self.active -= 1
            if not finished and event_id:
                self._spawn(self._cancel(info, fn, session, event_id))
            elif len(self._sessions) < SESSION_POOL:
                self._sessions.append(session)  # idle now: reusable by the next call

    def _stream(self, info: SpaceInfo, session: str):
        """The session's event stream (``GET queue/data``), as an async context manager."""
        return self.http.stream(
            "GET",
            info.root + "queue/data",
            params={"session_hash": session},
            headers=info.headers,
            cookies=info.cookies,
            timeout=httpx.Timeout(self.settings.call_timeout, read=None),
        )

    async def call(self, api_name: str, *data: Any, client_ip: str | None = None) -> Any:
        """Call a short endpoint (history, reset, feedback, status); its single output."""
        try:
            async with asyncio.timeout(self.settings.call_timeout):
                async for update in self.events(api_name, *data, client_ip=client_ip):
                    if update.final:
                        return update.outputs[0] if len(update.outputs) == 1 else update.outputs
        except TimeoutError:
            raise BackendUnavailable("The Space did not answer in time.") from None
        raise BackendUnavailable("The Space did not answer.")

    async def _cancel(self, info: SpaceInfo, fn: int, session: str, event_id: str) -> None:
        """What ``Job.cancel()`` does: ``POST cancel`` for this session's event (stops the generator)."""
        body = {"fn_index": fn, "session_hash": session, "event_id": event_id}
        try:
            await self.http.post(
                info.root + "cancel", json=body, headers=info.headers, cookies=info.cookies, timeout=10
            )
        except httpx.HTTPError as exc:
            log.info("cancel of %s failed: %s", event_id, describe(exc))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- health ---------------------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        """The Space's ``/api/health`` with a short timeout: ready / degraded / down."""
        root = self.space_root()
        if root is None:
            try:
                root = (await asyncio.wait_for(self.info(), self.settings.status_timeout)).src
            except (UpstreamError, TimeoutError) as exc:
                return {"status": "down", "error": getattr(exc, "message", "discovery timed out")}
        started = time.perf_counter()
        try:
            response = await self.http.get(
                root + "api/health", headers=self.settings.upstream_headers(), timeout=self.settings.status_timeout
            )
        except httpx.HTTPError as exc:
            return {"status": "down", "error": describe(exc)}
        latency = round((time.perf_counter() - started) * 1000, 1)
        if response.status_code != 200:
            return {"status": "degraded", "http_status": response.status_code, "latency_ms": latency}
        status = "ready" if latency < self.settings.status_timeout * 500 else "degraded"
        return {"status": status, "latency_ms": latency}
