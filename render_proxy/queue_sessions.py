"""The proxy's Gradio sessions (:mod:`render_proxy.queue_sse`): idle ones kept for reuse, and
the warm ones among them, whose event stream is already open.

While a session is idle, its event stream (``GET queue/data``) is opened again in the
background and kept open, so the next call on it only sends ``queue/join``. This matters under
load. A new stream is a request the Space must route and answer before it can deliver anything,
while the job that ``queue/join`` started is already running; with its event loop saturated (200
chats at once on 2 cores) the Space answered the stream requests after the answers were complete,
and every answer arrived in one lump (bench/README.md, "The cliff at 200"). A warm stream is open
before the job exists, so the Space streams into it from the first chunk.

There are at most ``PLUMBERFORCE_PROXY_WARM_STREAMS`` warm sessions (each costs the Space a
coroutine that wakes every 10 s and a heartbeat every 15 s), and
:meth:`render_proxy.queue_sse.QueueCalls.prewarm` creates that many after discovery, two at a
time and only while no call is in flight, with cheap ``/status`` calls, so that a burst of that
many new people finds them ready. Beyond them a call starts a new session (join, then stream),
which under saturation may again arrive in one piece.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from render_proxy.space_discovery import SpaceInfo

if TYPE_CHECKING:
    from render_proxy.queue_sse import QueueCalls

SESSION_POOL = 1024  # idle Gradio sessions kept for reuse


@dataclass
class Warm:
    """An idle session with its event stream open."""

    session: str
    info: SpaceInfo
    stack: contextlib.AsyncExitStack
    response: httpx.Response


class Sessions:
    """Idle sessions (no stream) and warm ones (stream open), per Space process."""

    def __init__(self, calls: QueueCalls):
        self.calls = calls
        self.upstream = calls.upstream
        self._idle: list[str] = []
        self._warm: list[Warm] = []

    @property
    def warm(self) -> int:
        """Idle sessions with their event stream open."""
        return len(self._warm)

    def clear(self) -> None:
        self._idle.clear()
        warm, self._warm = self._warm, []
        for item in warm:
            self.upstream.spawn(item.stack.aclose())

    def take(self, new: bool = False) -> tuple[str, Warm | None, bool]:
        """A session for a call: warm, else idle (reused), else new (always new if ``new``)."""
        if new:
            return uuid.uuid4().hex, None, False
        if self._warm:
            warm = self._warm.pop()
            return warm.session, warm, True
        if self._idle:
            return self._idle.pop(), None, True
        return uuid.uuid4().hex, None, False

    def release(self, info: SpaceInfo, session: str) -> None:
        """The session's call finished cleanly: reopen its stream in the background, or pool it."""
        if len(self._warm) < self.upstream.settings.warm_streams:
            self.upstream.spawn(self._warm_up(info, session))
        elif len(self._idle) < SESSION_POOL:
            self._idle.append(session)

    async def _warm_up(self, info: SpaceInfo, session: str) -> None:
        stack = contextlib.AsyncExitStack()
        try:
            response = await stack.enter_async_context(self.calls.stream(info, session))
        except (httpx.HTTPError, OSError):
            await stack.aclose()
            return
        current = self.upstream.known() is info
        if response.status_code != 200 or not current or len(self._warm) >= self.upstream.settings.warm_streams:
            await stack.aclose()
            if response.status_code == 200 and current and len(self._idle) < SESSION_POOL:
                self._idle.append(session)
            return
        self._warm.append(Warm(session, info, stack, response))
