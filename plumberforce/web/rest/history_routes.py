"""GET and DELETE /api/history/{client_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from plumberforce.web.rest.deps import Protected, ServiceDep
from plumberforce.web.rest.schemas import CLIENT_ID_PATTERN, ERRORS, ErrorResponse, HistoryResponse, OkResponse

router = APIRouter(prefix="/api/history", tags=["history"], dependencies=Protected)
ClientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="Who asks (a person, a browser).")]
ConversationId = Annotated[
    str | None,
    Query(pattern=CLIENT_ID_PATTERN, description="One of the client's conversations (default: the current one)."),
]
NOT_FOUND = {404: {"model": ErrorResponse, "description": "Unknown conversation_id for this client"}}


@router.get("/{client_id}", response_model=HistoryResponse, responses={**ERRORS, **NOT_FOUND})
async def get_history(
    client_id: ClientId, service: ServiceDep, conversation_id: ConversationId = None
) -> HistoryResponse:
    """The messages of a conversation, oldest first (empty for a client with none)."""
    messages = [m.public() for m in await service.history(client_id, conversation_id)]
    return HistoryResponse(client_id=client_id, messages=messages)  # type: ignore[arg-type]


@router.delete("/{client_id}", response_model=OkResponse, responses=ERRORS)
async def delete_history(
    client_id: ClientId, service: ServiceDep, conversation_id: ConversationId = None
) -> OkResponse:
    """Forget a conversation (default: the current one; its feedback records stay)."""
    return OkResponse(ok=True, deleted=await service.reset(client_id, conversation_id))
