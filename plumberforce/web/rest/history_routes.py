"""GET and DELETE /api/history/{client_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from plumberforce.web.rest.deps import Protected, ServiceDep
from plumberforce.web.rest.schemas import CLIENT_ID_PATTERN, ERRORS, HistoryResponse, OkResponse

router = APIRouter(prefix="/api/history", tags=["history"], dependencies=Protected)
ClientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="Conversation id.")]


@router.get("/{client_id}", response_model=HistoryResponse, responses=ERRORS)
async def get_history(client_id: ClientId, service: ServiceDep) -> HistoryResponse:
    """The messages of a conversation, oldest first (empty for an unknown id)."""
    messages = [m.public() for m in await service.history(client_id)]
    return HistoryResponse(client_id=client_id, messages=messages)  # type: ignore[arg-type]


@router.delete("/{client_id}", response_model=OkResponse, responses=ERRORS)
async def delete_history(client_id: ClientId, service: ServiceDep) -> OkResponse:
    """Forget a conversation (its feedback records stay)."""
    return OkResponse(ok=True, deleted=await service.reset(client_id))
