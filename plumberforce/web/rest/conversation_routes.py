"""A client's conversations: GET/POST /api/conversations/{client_id}; PATCH/DELETE
/api/conversations/{client_id}/{conversation_id}; GET .../{conversation_id}/export; and
POST /api/regenerate (a fresh last answer)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from plumberforce.chat.events import Done
from plumberforce.web.rest.deps import ConversationsDep, Protected, ServiceDep
from plumberforce.web.rest.query_routes import _response, client_ip
from plumberforce.web.rest.schemas import (
    CLIENT_ID_PATTERN,
    ERRORS,
    ConversationModel,
    ConversationPatch,
    ConversationsResponse,
    ErrorResponse,
    OkResponse,
    QueryResponse,
    RegenerateRequest,
)

router = APIRouter(prefix="/api", tags=["conversations"], dependencies=Protected)
ClientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="Who asks (a person, a browser).")]
ConversationId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="One of the client's conversations.")]
NOT_FOUND = {404: {"model": ErrorResponse, "description": "Unknown conversation_id for this client"}}
MEDIA = {"markdown": "text/markdown; charset=utf-8", "json": "application/json"}


@router.get("/conversations/{client_id}", response_model=ConversationsResponse, responses=ERRORS)
async def list_conversations(client_id: ClientId, conversations: ConversationsDep) -> ConversationsResponse:
    """The client's conversations, newest first, and which one is current."""
    return ConversationsResponse(**(await conversations.overview(client_id)).public())


@router.post("/conversations/{client_id}", response_model=ConversationModel, status_code=201, responses=ERRORS)
async def new_conversation(client_id: ClientId, conversations: ConversationsDep) -> ConversationModel:
    """Start a new, empty conversation; it becomes the current one."""
    return ConversationModel(**(await conversations.create(client_id)).public())


@router.patch(
    "/conversations/{client_id}/{conversation_id}",
    response_model=ConversationModel,
    responses={**ERRORS, **NOT_FOUND},
)
async def update_conversation(
    client_id: ClientId, conversation_id: ConversationId, body: ConversationPatch, conversations: ConversationsDep
) -> ConversationModel:
    """Rename a conversation (``title``) and/or make it the current one (``current: true``)."""
    info = await conversations.update(client_id, conversation_id, title=body.title, current=body.current)
    return ConversationModel(**info.public())


@router.delete(
    "/conversations/{client_id}/{conversation_id}", response_model=OkResponse, responses={**ERRORS, **NOT_FOUND}
)
async def delete_conversation(
    client_id: ClientId, conversation_id: ConversationId, conversations: ConversationsDep
) -> OkResponse:
    """Forget a conversation (its feedback records stay). The most recently updated of the others
    becomes current when it was the current one."""
    return OkResponse(ok=True, deleted=await conversations.delete(client_id, conversation_id))


@router.get(
    "/conversations/{client_id}/{conversation_id}/export",
    response_class=Response,
    responses={
        **ERRORS,
        **NOT_FOUND,
        200: {"content": {MEDIA["markdown"]: {}, MEDIA["json"]: {}}, "description": "The conversation, as a file"},
    },
)
async def export_conversation(
    client_id: ClientId,
    conversation_id: ConversationId,
    conversations: ConversationsDep,
    format: Annotated[Literal["markdown", "json"], Query(description="markdown (a readable document) or json")] = (
        "markdown"
    ),
) -> Response:
    """The conversation as an attachment: Markdown (questions, answers, sources and your ratings)
    or JSON (the full record)."""
    filename, body = await conversations.export(client_id, conversation_id, format)
    return Response(
        body, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.post("/regenerate", response_model=QueryResponse, responses={**ERRORS, **NOT_FOUND}, summary="Regenerate")
async def regenerate(body: RegenerateRequest, service: ServiceDep, request: Request) -> QueryResponse:
    """A fresh answer to the last question of a conversation (default: the current one). It
    replaces the last answer, is never served from the cache, and evicts the cached one."""
    async for event in service.regenerate(body.client_id, body.conversation_id, client_ip(request)):
        if isinstance(event, Done):
            return _response(event)
    raise RuntimeError("the regenerate stream ended without a Done event")  # pragma: no cover
