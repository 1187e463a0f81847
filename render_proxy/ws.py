"""One WebSocket connection: ``/ws/{client_id}`` (the protocol is in :mod:`render_proxy.protocol`).

The read loop only parses, checks limits and dispatches; every call to the Space runs in its own
task (answers in :mod:`render_proxy.answers`, short calls in :mod:`render_proxy.page_calls`), so
a page can cancel, ping or rate while an answer streams.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from render_proxy import protocol
from render_proxy.answers import AnswerStreams
from render_proxy.hub import Hub
from render_proxy.page_calls import ShortCalls
from render_proxy.ratelimit import TokenBucket

__all__ = ["CLOSE_POLICY", "CLOSE_TOO_BIG", "Connection", "Hub"]
log = logging.getLogger(__name__)
CLOSE_POLICY = 1008  # RFC 6455: policy violation (bad client id, flood)
CLOSE_TOO_BIG = 1009
CHANGES = (protocol.NewConversation, protocol.Switch, protocol.DeleteConversation, protocol.Reset)


class Connection(AnswerStreams, ShortCalls):
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
        self.changing = asyncio.Lock()
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

    def spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

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
        elif isinstance(message, protocol.Query | protocol.Regenerate):
            await self.start_answer(message)
        elif isinstance(message, protocol.Cancel):
            task = self.queries.get(message.id)
            if task is None:
                await self.send(protocol.error("not_found", "No question with this id is running.", message.id))
            else:
                self.cancelled.add(message.id)
                task.cancel()
        elif isinstance(message, CHANGES) and self.queries:
            # the Space files an answer under the conversation current when it ends
            text = "An answer is still coming: wait for it (or stop it) before changing conversation."
            await self.send(protocol.error("busy", text, message.id, of=message.type))
        else:
            self.spawn(self.short_call(message))

    def short_call(self, message: protocol.Incoming) -> Any:
        """The coroutine that serves a short-call message (run in its own task)."""
        if isinstance(message, protocol.Feedback):
            return self.feedback(message)
        if isinstance(message, protocol.History):
            return self.sync_history()
        if isinstance(message, protocol.Reset):
            return self.reset(message)
        if isinstance(message, protocol.Limits):
            return self.send_limits()
        if isinstance(message, protocol.Conversations):
            return self.list_conversations(message)
        if isinstance(message, protocol.NewConversation):
            return self.new_conversation(message)
        if isinstance(message, protocol.Switch):
            return self.switch(message)
        if isinstance(message, protocol.Rename):
            return self.rename(message)
        if isinstance(message, protocol.DeleteConversation):
            return self.delete_conversation(message)
        if isinstance(message, protocol.Export):
            return self.export(message)
        raise AssertionError(f"unhandled message {message.type}")
