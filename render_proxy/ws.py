"""One WebSocket connection: ``/ws/{client_id}`` (the protocol is in :mod:`render_proxy.protocol`).

The read loop only parses, checks limits and dispatches; every call to the Space runs in its own
task, so a page can cancel, ping or rate while an answer streams. Answers to a page that went
away are still read to the end (within the request timeout) so that the conversation the Space
stores, and the history the page re-syncs on reconnect, hold the whole answer; ``cancel`` is the
way to stop one.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from render_proxy import protocol
from render_proxy.history import HistoryCache
from render_proxy.ratelimit import TokenBucket
from render_proxy.render import clean_sources, public_message, render_markdown
from render_proxy.settings import ProxySettings
from render_proxy.upstream import Upstream, UpstreamError

log = logging.getLogger(__name__)
CLOSE_POLICY = 1008  # RFC 6455: policy violation (bad client id, flood)
CLOSE_TOO_BIG = 1009


@dataclass
class Hub:
    """What every connection shares: settings, the Space, the history cache, counters."""

    settings: ProxySettings
    upstream: Upstream
    history: HistoryCache
    connections: int = 0
    chats: int = 0
    started: float = field(default_factory=time.time)
    detached: set[asyncio.Task[Any]] = field(default_factory=set)


class Connection:
    """The state of one page's socket: a few fields, no task of its own."""

    def __init__(self, hub: Hub, websocket: WebSocket, client_id: str):
        self.hub, self.ws, self.client_id = hub, websocket, client_id
        self.ip = websocket.client.host if websocket.client else None
        self.settings = hub.settings
        self.bucket = TokenBucket(self.settings.rate_per_second, self.settings.rate_burst)
        self.refused = 0
        self.limited = False  # an error was sent for the current run of refused messages
        self.queries: dict[str, asyncio.Task[None]] = {}
        self.tasks: set[asyncio.Task[Any]] = set()
        self.cancelled: set[str] = set()
        self.closed = False
        self._send_lock = asyncio.Lock()

    # --- sending ----------------------------------------------------------------------------
    async def send(self, message: dict[str, Any]) -> bool:
        """Send one message; False once the page is gone (never raises)."""
        if self.closed:
            return False
        try:
            async with self._send_lock:
                await self.ws.send_json(message)
            return True
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.closed = True
            return False

    async def close(self, code: int, reason: str) -> None:
        self.closed = True
        if self.ws.application_state == WebSocketState.CONNECTED:
            try:
                await self.ws.close(code, reason)
            except (RuntimeError, OSError):
                pass

    # --- the read loop --------------------------------------------------------------------
    async def run(self) -> None:
        await self.ws.accept()
        if not re.match(protocol.CLIENT_ID, self.client_id):
            await self.send(protocol.error("invalid", "Invalid client id: use 1 to 64 letters, digits, '-' or '_'."))
            await self.close(CLOSE_POLICY, "invalid client id")
            return
        self.hub.connections += 1
        try:
            while not self.closed:
                frame = await self.ws.receive()
                if frame["type"] == "websocket.disconnect":
                    break
                raw = frame.get("text")
                if raw is None:
                    raw = frame.get("bytes") or b""
                await self.handle(raw)
        except WebSocketDisconnect:
            pass
        finally:
            self.closed = True
            self.hub.connections -= 1
            for task in self.tasks:  # short calls: their answer has nowhere to go
                task.cancel()
            for task in self.queries.values():  # answers: finish upstream, then update the cache
                self.hub.detached.add(task)
                task.add_done_callback(self.hub.detached.discard)

    async def handle(self, raw: str | bytes) -> None:
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
        if size > self.settings.max_frame_bytes:
            await self.send(
                protocol.error("too_large", f"Message too large: at most {self.settings.max_frame_bytes} bytes.")
            )
            return
        if not self.bucket.take():
            self.refused += 1
            if self.refused >= self.settings.flood_close_after:
                await self.send(protocol.error("rate_limited", "Too many messages: closing the connection."))
                await self.close(CLOSE_POLICY, "message flood")
            elif not self.limited:
                self.limited = True
                retry = round(self.bucket.retry_after(), 2)
                await self.send(protocol.error("rate_limited", "Too many messages; slow down.", retry_after=retry))
            return
        self.limited = False
        try:
            message = protocol.parse(raw)
        except protocol.ProtocolError as exc:
            await self.send(protocol.error(exc.code, exc.message, exc.id))
            return
        await self.dispatch(message)

    async def dispatch(self, message: protocol.Incoming) -> None:
        if isinstance(message, protocol.Ping):
            await self.send({"type": "pong"})
        elif isinstance(message, protocol.Query):
            await self.start_query(message)
        elif isinstance(message, protocol.Cancel):
            task = self.queries.get(message.id)
            if task is None:
                await self.send(protocol.error("not_found", "No question with this id is running.", message.id))
            else:
                self.cancelled.add(message.id)
                task.cancel()
        elif isinstance(message, protocol.Feedback):
            self.spawn(self.feedback(message))
        elif isinstance(message, protocol.History):
            self.spawn(self.sync_history())
        elif isinstance(message, protocol.Reset):
            self.spawn(self.reset(message))

    def spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- questions ------------------------------------------------------------------------
    async def start_query(self, query: protocol.Query) -> None:
        if query.id in self.queries:
            await self.send(protocol.error("invalid", "A question with this id is already running.", query.id))
            return
        if len(self.queries) >= self.settings.max_inflight_per_connection:
            await self.send(
                protocol.error("busy", "Too many questions at once from this page; wait for an answer.", query.id)
            )
            return
        if self.hub.chats >= self.settings.max_chats:
            await self.send(protocol.error("busy", "The service is busy; try again in a moment.", query.id))
            return
        self.hub.chats += 1
        task = asyncio.get_running_loop().create_task(self.answer(query))
        self.queries[query.id] = task
        task.add_done_callback(lambda done: self._answered(query.id, done))
        await self.send({"type": "ack", "id": query.id, "of": "query"})

    def _answered(self, qid: str, task: asyncio.Task[None]) -> None:
        """Bookkeeping that must happen however the answer ended (even cancelled before it started)."""
        self.hub.chats -= 1
        self.queries.pop(qid, None)
        if qid in self.cancelled and task.cancelled():  # stopped before it could say so itself
            self.spawn(self.send(protocol.error("cancelled", "Stopped.", qid)))
        self.cancelled.discard(qid)

    async def answer(self, query: protocol.Query) -> None:
        """Stream one answer from the Space's /chat to the page."""
        qid, text, sent = query.id, "", 0.0
        interval = self.settings.render_interval_ms / 1000
        try:
            async with asyncio.timeout(self.settings.request_timeout):
                async for update in self.hub.upstream.events("/chat", query.text, self.client_id, client_ip=self.ip):
                    answer = str(update.outputs[0] or "") if update.outputs else ""
                    meta = update.outputs[1] if len(update.outputs) > 1 and isinstance(update.outputs[1], dict) else {}
                    if update.final:
                        await self.finish(qid, query.text, answer, meta)
                        return
                    if answer.startswith(text):
                        delta: dict[str, Any] = {"type": "delta", "id": qid, "text": answer[len(text) :]}
                    else:
                        delta = {"type": "delta", "id": qid, "text": answer, "replace": True}
                    text = answer
                    if interval and time.monotonic() - sent >= interval:
                        delta["html"], sent = render_markdown(answer), time.monotonic()
                    if delta["text"] or delta.get("replace"):
                        await self.send(delta)
        except TimeoutError:
            await self.send(
                protocol.error("timeout", f"No complete answer within {self.settings.request_timeout:g} s.", qid)
            )
        except asyncio.CancelledError:
            if qid not in self.cancelled:
                raise
            self.cancelled.discard(qid)  # the page asked; events() cancels the Space's job
            await self.send(protocol.error("cancelled", "Stopped.", qid))
        except UpstreamError as exc:
            await self.send(protocol.error(exc.code, exc.message, qid))

    async def finish(self, qid: str, question: str, answer: str, meta: dict[str, Any]) -> None:
        html = render_markdown(answer)
        sources = clean_sources(meta.get("sources"))
        done = {
            "type": "done",
            "id": qid,
            "message_id": meta.get("message_id"),
            "text": answer,
            "html": html,
            "sources": sources,
        }
        for key in ("cached", "engine", "model", "incomplete", "lang", "fallback_reason", "error"):
            done[key] = meta.get(key)
        now = time.time()
        self.hub.history.append(
            self.client_id,
            {"role": "user", "content": question, "message_id": None, "ts": now},
            {
                "role": "assistant",
                "content": answer,
                "message_id": meta.get("message_id"),
                "ts": now,
                "html": html,
                "meta": {"sources": sources, "engine": meta.get("engine"), "cached": meta.get("cached")},
            },
        )
        await self.send(done)

    # --- short calls ------------------------------------------------------------------------
    async def sync_history(self) -> None:
        """Cached history at once (when there is one), then the Space's."""
        cached = self.hub.history.get(self.client_id)
        if cached is not None:
            await self.send({"type": "history", "source": "cache", "messages": [public_message(m) for m in cached]})
        try:
            messages = await self.hub.upstream.call("/history", self.client_id, client_ip=self.ip)
        except UpstreamError as exc:
            await self.send(protocol.error(exc.code, exc.message, of="history"))
            return
        if not isinstance(messages, list):
            await self.send(
                protocol.error("upstream_error", "The Space sent a history the proxy cannot read.", of="history")
            )
            return
        shown = [public_message(m) for m in messages if isinstance(m, dict)]
        self.hub.history.put(self.client_id, shown)
        await self.send({"type": "history", "source": "space", "messages": shown})

    async def feedback(self, message: protocol.Feedback) -> None:
        try:
            await self.hub.upstream.call(
                "/feedback", self.client_id, message.message_id, message.rating, message.comment, client_ip=self.ip
            )
        except UpstreamError as exc:
            await self.send(
                protocol.error(exc.code, exc.message, message.id, of="feedback", message_id=message.message_id)
            )
            return
        await self.send({"type": "ack", "id": message.id, "of": "feedback", "message_id": message.message_id})

    async def reset(self, message: protocol.Reset) -> None:
        try:
            await self.hub.upstream.call("/reset", self.client_id, client_ip=self.ip)
        except UpstreamError as exc:
            await self.send(protocol.error(exc.code, exc.message, message.id, of="reset"))
            return
        self.hub.history.put(self.client_id, [])
        await self.send({"type": "ack", "id": message.id, "of": "reset"})
        await self.send({"type": "history", "source": "space", "messages": []})
