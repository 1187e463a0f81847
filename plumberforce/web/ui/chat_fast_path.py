"""``POST /gradio_api/queue/join`` for ``/chat`` served past Gradio's queue, in the plain case.

Through Gradio's queue a ``/chat`` event cost the Space about 5 ms of CPU more than the same chat
over REST SSE (bench/README.md, "Gradio's side of ``/chat``"): ``Queue.push``, the queue's
polling loop, ``process_events``, a thread hop to create the generator, and per update a
``call_process_api`` / ``process_api`` pass. :class:`ChatJoinFastPath`, a plain ASGI middleware,
answers the join itself (``{"event_id": ...}``, as Gradio does) and runs the chat as an asyncio
task (:class:`~plumberforce.web.ui.chat_fast_events.FastChat`) that puts Gradio's own messages
into the session's message queue: Gradio's ``GET queue/data`` stream delivers them unchanged to
gradio_client, the Render proxy and browsers.

Served here, all of these together (anything else goes to the app untouched, its body replayed):

- ``POST /gradio_api/queue/join``, ``Content-Type: application/json``, no ``Origin`` (CORS stays
  the app's), a body of at most 64 KiB that Gradio's ``PredictBody`` accepts, naming ``/chat``'s
  ``fn_index`` with a session hash, exactly two strings as data, not ``simple_format``/batched;
- the API key or the UI's session cookie when a key is set (what Gradio's ``auth_dependency``
  asks, :func:`plumberforce.web.auth.authorized`);
- Gradio's queue running (not stopped), not full (``queue_max_size``: Gradio answers 503 itself),
  no ``chat`` event waiting and a free ``chat`` slot (``concurrency_limit``): a chat served here
  holds one of those slots, so past the limit chats queue in Gradio as before, in order;
- ``PLUMBERFORCE_CHAT_FAST_PATH`` on (default) and this Gradio's internals found at start-up
  (:func:`~plumberforce.web.ui.queue_compat.missing`; one log line, then everything falls through).

Stopping, as on Gradio's path (the turn stored stopped): ``POST /gradio_api/cancel`` cancels the
task by the name Gradio gives its own; ``queue/data`` losing its client calls
``Queue.clean_events`` (hooked: the session's chats are cancelled); shutdown cancels them all.
ChatService's admission (busy guard, rate limits) refuses inside the chat, with the same
``process_completed`` error as Gradio's path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import gradio as gr
from gradio.data_classes import PredictBody
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from plumberforce.errors import NotReady
from plumberforce.web.auth import authorized
from plumberforce.web.rest.fast_path import app_headers, plain_json_post, read_body, replay, validated
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui import queue_compat
from plumberforce.web.ui.chat_fast_events import FastChat, cancel_all
from plumberforce.web.ui.endpoints import chat_updates

log = logging.getLogger(__name__)
PATH = "/gradio_api/queue/join"
API_NAME = "chat"


@dataclass(frozen=True)
class Join:
    """A join this door serves: the session and the two inputs."""

    session_hash: str
    message: str
    client_id: str


class ChatDoor:
    """The fast path's state: the chat function, Gradio's queue, the running chats."""

    def __init__(self, runtime: Runtime, blocks: gr.Blocks, enabled: bool):
        self.runtime = runtime
        self.blocks = blocks
        self.enabled = False
        self.running: dict[str, tuple[str, asyncio.Task[None]]] = {}  # event id -> (session, task)
        if not enabled:
            return
        gaps = queue_compat.missing(blocks, API_NAME)
        if gaps:
            log.warning(
                "/chat fast path off: gradio %s lacks %s (Gradio's queue serves /chat)", gr.__version__, ", ".join(gaps)
            )
            return
        self.queue: Any = blocks._queue
        self.fn: Any = queue_compat.chat_fn(blocks, API_NAME)
        self.queue.create_event_queue_for_fn(self.fn)
        self.slots: Any = self.queue.event_queue_per_concurrency_id[self.fn.concurrency_id]
        queue_compat.on_clean_events(blocks, self.cleaned)
        self.enabled = True

    def accepts(self, body: bytes, scope: Scope) -> Join | None:
        """The join when this door serves it (see the module's docstring), else None."""
        predict = validated(PredictBody, body)
        if predict is None:
            return None
        data = predict.data
        if (
            predict.fn_index != self.fn._id
            or predict.session_hash is None
            or predict.simple_format
            or predict.batched
            or len(data) != 2
            or not all(type(value) is str for value in data)
        ):
            return None
        self.runtime.service  # noqa: B018 - raises NotReady before the runtime is open
        key = self.runtime.settings.api_key
        if key is not None and authorized(Request(scope), key.get_secret_value()) is None:
            return None
        queue, slots = self.queue, self.slots
        if queue.stopped or (queue.max_size is not None and len(queue) >= queue.max_size) or slots.queue:
            return None
        if slots.concurrency_limit is not None and slots.current_concurrency >= slots.concurrency_limit:
            return None
        return Join(predict.session_hash, data[0], data[1])

    async def start(self, join: Join, scope: Scope) -> str:
        """Register the event in its session (as ``Queue.push``) and start its task; its id."""
        queue, session = self.queue, join.session_hash
        self.slots.current_concurrency += 1  # before any await: the slot ``accepts`` saw free
        event_id = uuid.uuid4().hex
        async with queue.pending_message_lock:
            if session not in queue.pending_messages_per_session:
                queue.pending_messages_per_session[session] = asyncio.Queue()
            queue.pending_event_ids_session.setdefault(session, set())
        queue.pending_event_ids_session[session].add(event_id)
        client = scope.get("client")
        host = client[0] if client else None
        updates = chat_updates(self.runtime, join.message, join.client_id, Headers(scope=scope), host)
        chat = FastChat(event_id, session, updates, queue, self.fn, self.blocks.show_error)
        chat.estimate()
        task = asyncio.create_task(self._run(chat))
        queue_compat.name_task(task, session, self.fn._id, event_id)
        self.running[event_id] = (session, task)
        queue._asyncio_tasks.add(task)  # stopped with the queue's own
        task.add_done_callback(queue._asyncio_tasks.discard)
        self.runtime.metrics.chat_fast_path_served()
        return event_id

    async def _run(self, chat: FastChat) -> None:
        try:
            await chat.run()
        finally:
            self.slots.current_concurrency -= 1
            self.running.pop(chat.event_id, None)

    def cleaned(self, session_hash: str | None, event_id: str | None) -> None:
        """``Queue.clean_events`` ran (the session's stream lost its client): stop its chats."""
        for running_id, (session, task) in list(self.running.items()):
            if (session_hash is not None and session == session_hash) or running_id == event_id:
                task.cancel()

    async def close(self) -> None:
        """At shutdown: stop every chat, each turn stored stopped."""
        await cancel_all({task for _, task in self.running.values()})


class ChatJoinFastPath:
    """Serves the plain ``/chat`` join (see the module's docstring); the rest: ``app``."""

    def __init__(self, app: ASGIApp, door: ChatDoor):
        self.app = app
        self.door = door

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (self.door.enabled and plain_json_post(scope, PATH)):
            await self.app(scope, receive, send)
            return
        messages, body = await read_body(receive)
        try:
            join = None if body is None else self.door.accepts(body, scope)
        except NotReady:
            join = None
        if join is None:
            await self.app(scope, replay(messages, receive), send)
            return
        event_id = await self.door.start(join, scope)
        content = json.dumps({"event_id": event_id}, separators=(",", ":")).encode()
        headers = [(b"content-length", str(len(content)).encode()), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": app_headers(headers)})
        await send({"type": "http.response.body", "body": content, "more_body": False})
