"""POST /api/query and POST /api/query/stream (server-sent events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from plumberforce.chat.events import Delta, Done
from plumberforce.chat.service import ChatService
from plumberforce.errors import PlumberforceError
from plumberforce.knowledge.language import detect_language
from plumberforce.settings import Settings
from plumberforce.web.rest.deps import Protected, ServiceDep
from plumberforce.web.rest.schemas import ERRORS, ErrorResponse, QueryRequest, QueryResponse
from plumberforce.web.ui.pacing import coalesce, update_interval

router = APIRouter(prefix="/api", tags=["chat"], dependencies=Protected)

SSE_DESCRIPTION = """\
A stream of server-sent events:

- `event: delta` — `data: {"text": "..."}`: text appended to the answer;
- `event: done` — `data: {meta}`: message_id, client_id, engine, model, cached, sources,
  incomplete, latency_ms, ... (the answer is stored);
- `event: error` — `data: {"code": "...", "message": "..."}`: the answer failed.

Bad input is refused before the stream starts, with a JSON error body.
"""


def client_ip(request: Request) -> str | None:
    """The address for the per-IP limit (uvicorn resolves X-Forwarded-For from trusted proxies);
    None for callers with the API key (see :func:`plumberforce.web.auth.limited_ip`)."""
    return request.app.state.runtime.limited_ip(request.headers, request.client.host if request.client else None)


def service_settings(request: Request) -> Settings:
    return request.app.state.runtime.settings


def _response(done: Done) -> QueryResponse:
    meta = done.meta
    return QueryResponse(
        response=done.text,
        client_id=meta.client_id,
        conversation_id=meta.conversation_id,
        message_id=meta.message_id,
        engine=meta.engine,
        model=meta.model,
        cached=meta.cached,
        sources=meta.sources,  # type: ignore[arg-type]
        latency_ms=round(meta.latency_ms or 0.0, 2),
        lang=meta.lang,
        incomplete=meta.incomplete,
        fallback_reason=meta.fallback_reason,
        error=meta.error,
    )


UNKNOWN_CONVERSATION = {404: {"model": ErrorResponse, "description": "Unknown conversation_id for this client"}}


@router.post(
    "/query", response_model=QueryResponse, responses={**ERRORS, **UNKNOWN_CONVERSATION}, summary="Ask a question"
)
async def query(body: QueryRequest, service: ServiceDep, request: Request) -> QueryResponse:
    """Answer a question (the whole answer at once)."""
    async for event in service.chat(body.query, body.client_id, client_ip(request), body.conversation_id):
        if isinstance(event, Done):
            return _response(event)
    raise RuntimeError("the chat stream ended without a Done event")  # pragma: no cover


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _sse_delta(text: str) -> bytes | str:
    """``_sse("delta", {"text": text})``, byte for byte, with orjson (the most frequent event)."""
    try:
        return b'event: delta\ndata: {"text": ' + orjson.dumps(text) + b"}\n\n"
    except orjson.JSONEncodeError:  # a lone surrogate: as json writes it
        return _sse("delta", {"text": text})


async def _events(
    service: ChatService, question: str, client_id: str, conversation_id: str | None, budget: float
) -> AsyncIterator[str]:
    # Under load, chunks are merged into fewer events (each costs a JSON encoding and a send down
    # the middleware stack): about ``budget`` events per second for all streams together. The first
    # chunk leaves at once; alone, every chunk is an event.
    answer = service.answer(question, client_id, conversation_id)
    events = coalesce(answer, lambda: update_interval(service.active, 0.0, budget))
    try:
        async with aclosing(events):
            async for event in events:
                if isinstance(event, Delta):
                    yield _sse_delta(event.text)
                else:
                    yield _sse("done", event.meta.public())
    except PlumberforceError as exc:
        yield _sse("error", {"code": exc.code, "message": exc.message(detect_language(question))})


@router.post(
    "/query/stream",
    responses={
        **ERRORS,
        **UNKNOWN_CONVERSATION,
        200: {"content": {"text/event-stream": {}}, "description": SSE_DESCRIPTION},
    },
    summary="Ask a question, stream the answer (SSE)",
    response_class=StreamingResponse,
)
async def query_stream(body: QueryRequest, service: ServiceDep, request: Request) -> StreamingResponse:
    """Answer a question as a stream of server-sent events (see the response description)."""
    question, client_id, conversation_id = await service.prepare(
        body.query, body.client_id, client_ip(request), body.conversation_id
    )
    return sse_response(service, question, client_id, conversation_id, service_settings(request))


def sse_response(
    service: ChatService, question: str, client_id: str, conversation_id: str | None, settings: Settings
) -> StreamingResponse:
    """The answer to a :meth:`ChatService.prepare`-d question as server-sent events (the route's
    response; :mod:`plumberforce.web.rest.fast_path` sends its headers and events itself)."""
    return StreamingResponse(
        _events(service, question, client_id, conversation_id, settings.sse_updates_per_second),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
