"""The proxy's own driver of Gradio's queue protocol (``sse_v3``), on the event loop: no thread
per call.

It speaks what gradio_client speaks, with one ``httpx.AsyncClient``: ``POST queue/join`` then
``GET queue/data`` streamed, applying the Space's output diffs with
``gradio_client.utils.apply_diff``. Why not ``Client.submit()``: every submitted job holds three
threads (the job, a cancel watcher and a message poller) and one Client's pool of ``max_workers``
(40 by default) hangs once that many streams are open (see docs/architecture.md, "Facts about the
stack"). Here an open chat costs a coroutine and a socket; a chunk from the Space reaches the page
in one loop turn. (:mod:`render_proxy.queue_fallback` is the ``Client.submit()`` path, for a
protocol this driver does not speak.)

Each call runs alone in its ``session_hash`` (so its own event stream): Gradio's ``POST /cancel``
cancels every running task of a (session, endpoint) pair, so calls sharing a session could not be
cancelled one by one. A session whose call finished cleanly is reused by a later call: Gradio
builds a per-session copy of the whole app's component config on a session's first event (about
7 ms of the Space's CPU for our UI).

Idle sessions keep their event stream open for the next call: see :mod:`render_proxy.queue_sessions`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import httpx
from gradio_client.utils import apply_diff

from render_proxy.queue_sessions import Sessions
from render_proxy.space_discovery import (
    BackendUnavailable,
    Busy,
    SpaceInfo,
    Unauthorized,
    Unreachable,
    Update,
    UpstreamError,
    describe,
    sse_batches,
)

if TYPE_CHECKING:
    from render_proxy.upstream import Upstream

log = logging.getLogger(__name__)
PROTOCOLS = ("sse_v3",)  # the queue protocols this driver speaks
PREWARM_ENDPOINT = "/status"  # a cheap call that creates a session
PREWARM_AT_ONCE = 2
NOT_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout)  # the request never reached the Space


class _StreamLost(Exception):
    """The event stream ended before it carried anything of this call (a warm stream gone stale)."""


class _Ended(Exception):
    """The Space ended the call with an error: nothing left to cancel."""

    def __init__(self, error: UpstreamError):
        super().__init__(error.message)
        self.error = error


class QueueCalls:
    """Calls over the ``sse_v3`` queue protocol (see the module docstring)."""

    def __init__(self, upstream: Upstream):
        self.upstream = upstream
        self.sessions = Sessions(self)

    @property
    def http(self) -> httpx.AsyncClient:
        return self.upstream.http

    def clear(self) -> None:
        """Forget the sessions: they belong to the Space process that created them."""
        self.sessions.clear()

    async def prewarm(self, info: SpaceInfo) -> None:
        """Create sessions with open streams up to ``warm_streams``, ``PREWARM_AT_ONCE`` at a time,
        while no call is in flight (people's calls go first; their sessions become warm too)."""
        fn = info.fn_index.get(PREWARM_ENDPOINT)
        wanted = self.upstream.settings.warm_streams
        if fn is None:
            return

        async def worker() -> None:
            nonlocal wanted
            while wanted > 0 and self.upstream.known() is info:
                await self.upstream.idle.wait()
                wanted -= 1
                try:
                    async for _update in self.events(info, fn, [], {}, new=True):
                        pass
                except UpstreamError as exc:
                    log.info("pre-warming Space sessions stopped: %s", exc.message)
                    return

        await asyncio.gather(*(worker() for _ in range(PREWARM_AT_ONCE)))

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
            self.upstream.forget(describe(exc))
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
        self.upstream.forget(f"HTTP {response.status_code} on queue/join")
        raise BackendUnavailable(f"The Space is not available (HTTP {response.status_code}).")

    async def events(
        self, info: SpaceInfo, fn: int, data: list[Any], extra: dict[str, str], new: bool = False
    ) -> AsyncIterator[Update]:
        """Run one call (in a new session if ``new``); yield its outputs as they change, the last
        one ``final``. Leaving the iteration early (an ``aclose()``, a cancelled task, a timeout)
        cancels the call on the Space.
        """
        session, warm, reused = self.sessions.take(new)
        event_id = ""
        finished = False
        try:
            async with contextlib.AsyncExitStack() as stack:
                if warm is not None:
                    stack.push_async_exit(warm.stack)  # the warm stream closes with this call
                    event_id = await self._join(info, fn, data, session, extra)
                    response = warm.response
                else:
                    event_id, response = await self._start(stack, info, fn, data, session, extra, reused)
                try:
                    try:
                        async for update in self._updates(response, event_id, fresh=not reused):
                            finished = update.final
                            yield update
                            if finished:
                                return
                    except _StreamLost:  # a stale warm stream: the Space still holds the job's messages
                        response = await stack.enter_async_context(self.stream(info, session))
                        async for update in self._updates(response, event_id, fresh=True):
                            finished = update.final
                            yield update
                            if finished:
                                return
                except _Ended as ended:
                    finished = True
                    raise ended.error from None
            raise BackendUnavailable("The Space closed the stream before answering.")
        except httpx.HTTPError as exc:
            self.upstream.forget(describe(exc))
            kind = Unreachable if isinstance(exc, NOT_CONNECTED) and not event_id else BackendUnavailable
            raise kind(f"The Space is not available ({describe(exc)}).") from None
        finally:
            if not finished and event_id:
                self.upstream.spawn(self._cancel(info, fn, session, event_id))
            elif self.upstream.known() is info:
                self.sessions.release(info, session)

    async def _start(
        self,
        stack: contextlib.AsyncExitStack,
        info: SpaceInfo,
        fn: int,
        data: list[Any],
        session: str,
        extra: dict[str, str],
        reused: bool,
    ) -> tuple[str, httpx.Response]:
        """Join the queue and open the session's event stream (entered on ``stack``)."""
        if not reused:
            event_id = await self._join(info, fn, data, session, extra)
            return event_id, await stack.enter_async_context(self.stream(info, session))
        # The Space knows this session already, so its event stream can be opened while the job
        # is being queued: nothing waits for the join's round trip.
        join = asyncio.get_running_loop().create_task(self._join(info, fn, data, session, extra))
        try:
            response = await stack.enter_async_context(self.stream(info, session))
        except BaseException:
            join.cancel()
            raise
        return await join, response

    async def _updates(self, response: httpx.Response, event_id: str, fresh: bool) -> AsyncIterator[Update]:
        """The call's outputs from its session's event stream; the Space's errors as :class:`_Ended`."""
        if response.status_code != 200:
            if not fresh:
                raise _StreamLost
            raise BackendUnavailable(f"The Space is not available (HTTP {response.status_code}).")
        outputs: list[Any] | None = None
        ours = False
        async for batch in sse_batches(response):
            changed = False
            for message in batch:
                kind = message.get("msg")
                if message.get("event_id") not in (None, event_id):
                    continue
                if kind in ("unexpected_error", "close_stream") and not ours and not fresh:
                    raise _StreamLost
                ours = ours or message.get("event_id") == event_id
                if kind == "process_generating" and message.get("success", True):
                    diffs = message["output"]["data"]
                    if outputs is None:
                        outputs = list(diffs)
                    else:
                        outputs = [apply_diff(old, diff) for old, diff in zip(outputs, diffs, strict=False)]
                    changed = True
                elif kind == "process_completed":
                    output = message.get("output") or {}
                    if not message.get("success", True) or "error" in output:
                        raise _Ended(UpstreamError(str(output.get("error") or "The Space could not answer.")))
                    yield Update(list(output.get("data") or []), final=True)
                    return
                elif kind in ("unexpected_error", "server_stopped"):
                    stopped = f"The Space stopped the call ({message.get('message') or kind})."
                    raise _Ended(BackendUnavailable(stopped))
                elif kind == "close_stream":
                    changed = False
                    break
            if changed and outputs is not None:
                yield Update(outputs, final=False)
        if not ours and not fresh:
            raise _StreamLost

    def stream(self, info: SpaceInfo, session: str):
        """The session's event stream (``GET queue/data``), as an async context manager."""
        return self.http.stream(
            "GET",
            info.root + "queue/data",
            params={"session_hash": session},
            headers=info.headers,
            cookies=info.cookies,
            timeout=httpx.Timeout(self.upstream.settings.call_timeout, read=None),
        )

    async def _cancel(self, info: SpaceInfo, fn: int, session: str, event_id: str) -> None:
        """What ``Job.cancel()`` does: ``POST cancel`` for this session's event (stops the generator)."""
        body = {"fn_index": fn, "session_hash": session, "event_id": event_id}
        try:
            await self.http.post(
                info.root + "cancel", json=body, headers=info.headers, cookies=info.cookies, timeout=10
            )
        except httpx.HTTPError as exc:
            log.info("cancel of %s failed: %s", event_id, describe(exc))
