"""``POST /api/query/stream`` served without FastAPI's request machinery, in the plain case.

Through the app, every chat over REST SSE crossed the whole middleware stack, FastAPI's routing,
dependency solving and body validation, then Starlette's ``StreamingResponse`` (an anyio task
group per response) and four send wrappers for every event: about half of the Space's CPU per
chat (py-spy, bench/README.md). :class:`QueryStreamFastPath`, the outermost of our middlewares,
serves the plain request itself with the route's own parts, and hands every other request to the
app untouched (the body it has read is replayed), so that each refusal is still written in one
place, by the app.

Served here, all of these together:

- ``POST /api/query/stream``, ``Content-Type: application/json``, no ``Origin`` header (CORS
  stays the app's), a body of at most ``MAX_BODY`` bytes that parses as JSON and that
  :class:`~plumberforce.web.rest.schemas.QueryRequest` accepts, the API key when one is
  configured (:func:`~plumberforce.web.rest.deps.key_accepted`), the runtime open;
- then :meth:`ChatService.prepare` (validation, busy guard, rate limits) exactly as the route calls
  it; its refusals are answered by the app's own handler for ``PlumberforceError`` (admission
  has counted the chat by then: handing it to the app would count it twice);
- then the route's :func:`~plumberforce.web.rest.query_routes.sse_response`: its headers plus
  what the app's middlewares add to every response (CORS's ``Vary: Origin``, the security
  headers), its events sent one by one, the last one with the end of the body.

A client that goes away stops the answer, as with ``StreamingResponse``: a watcher task reads
``http.disconnect`` and cancels the stream (the turn is stored marked stopped).
``tests/api/test_fast_path.py`` holds both paths to the same bytes.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plumberforce.errors import NotReady, PlumberforceError
from plumberforce.web.middleware import with_security_headers
from plumberforce.web.rest.deps import key_accepted
from plumberforce.web.rest.query_routes import client_ip, sse_response
from plumberforce.web.rest.schemas import QueryRequest
from plumberforce.web.runtime import Runtime

PATH = "/api/query/stream"
MAX_BODY = 64 * 1024  # a longer body (far beyond the longest question) goes to the app
END = {"type": "http.response.body", "body": b"", "more_body": False}
LAST_EVENTS = (b"event: done\n", b"event: error\n")  # nothing follows them in the route's stream

ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)


def app_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """What the app's middlewares add to a response for a request without ``Origin``."""
    return with_security_headers([*headers, (b"vary", b"Origin")])


def plain_json_post(scope: Scope, path: str) -> bool:
    """A ``POST path`` with one ``Content-Type: application/json`` and no ``Origin``."""
    if scope["type"] != "http" or scope["path"] != path or scope["method"] != "POST":
        return False
    content_type = None
    for name, value in scope["headers"]:
        if name == b"origin" or (name == b"content-type" and content_type is not None):
            return False
        if name == b"content-type":
            content_type = value
    return content_type == b"application/json"


async def read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The messages read, and the whole body (None when it did not arrive whole, or is too long)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_BODY:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def replay(messages: list[Message], receive: Receive) -> Receive:
    pending = deque(messages)

    async def replayed() -> Message:
        return pending.popleft() if pending else await receive()

    return replayed


def validated(model: type[M], body: bytes) -> M | None:
    """The body as a route reads it (``json.loads``, then ``model``), or None if it would refuse it."""
    try:
        return model.model_validate(json.loads(body))
    except (ValueError, ValidationError, RecursionError):
        return None


class QueryStreamFastPath:
    """Serves the plain ``POST /api/query/stream`` (see the module's docstring); the rest: ``app``."""

    def __init__(self, app: ASGIApp, runtime: Runtime, error_handler: ErrorHandler):
        self.app = app
        self.runtime = runtime
        self.error_handler = error_handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not plain_json_post(scope, PATH):
            await self.app(scope, receive, send)
            return
        messages, body = await read_body(receive)
        query = None if body is None else validated(QueryRequest, body)
        request = Request(scope, receive)
        try:
            plain = query is not None and key_accepted(self.runtime, request.headers)
            service = self.runtime.service
        except NotReady:
            plain = False
        if not plain:
            await self.app(scope, replay(messages, receive), send)
            return
        assert query is not None
        try:
            question, client_id, conversation_id = await service.prepare(
                query.query, query.client_id, client_ip(request), query.conversation_id
            )
        except PlumberforceError as exc:
            response = await self.error_handler(request, exc)
            await response(scope, receive, _adding_app_headers(send))
            return
        self.runtime.metrics.fast_path_served()
        response = sse_response(service, question, client_id, conversation_id, self.runtime.settings)
        await send({"type": "http.response.start", "status": 200, "headers": app_headers(response.raw_headers)})
        await _stream(response.body_iterator, receive, send)  # type: ignore[arg-type]


def _adding_app_headers(send: Send) -> Send:
    async def adding(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = app_headers(list(message.get("headers", [])))
        await send(message)

    return adding


async def _stream(events: Any, receive: Receive, send: Send) -> None:
    """Send ``events`` (str or bytes) as the body; stop them when the client goes away."""
    task = asyncio.current_task()
    assert task is not None
    disconnected = ended = False

    async def watch() -> None:
        nonlocal disconnected
        while (await receive())["type"] != "http.disconnect":
            pass
        if not ended:  # after the end of the body, receive() answers http.disconnect (ASGI)
            disconnected = True
            task.cancel()  # the watcher itself is cancelled before the stream's task returns

    watcher = asyncio.create_task(watch())
    try:
        async with aclosing(events):
            async for event in events:
                chunk = event if isinstance(event, bytes) else event.encode()
                ended = chunk.startswith(LAST_EVENTS)
                await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
            if not ended:
                ended = True
                await send(END)
    except asyncio.CancelledError:
        if not disconnected or task.uncancel() > 0:
            raise
    finally:
        watcher.cancel()
