"""Dependencies of the REST routes: the runtime, and the API key check.

They are ``async def`` although they never wait: FastAPI runs a plain ``def`` dependency in its
thread pool, a thread hop per dependency per request (three for every chat) for work that takes
microseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request

from plumberforce.chat.conversation_service import ConversationService
from plumberforce.chat.ratings import RatingService
from plumberforce.chat.service import ChatService
from plumberforce.errors import Unauthorized
from plumberforce.web.auth import key_matches, presented_key
from plumberforce.web.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def get_service(runtime: Annotated[Runtime, Depends(get_runtime)]) -> ChatService:
    return runtime.service


async def get_ratings(runtime: Annotated[Runtime, Depends(get_runtime)]) -> RatingService:
    return runtime.ratings


async def get_conversations(runtime: Annotated[Runtime, Depends(get_runtime)]) -> ConversationService:
    return runtime.conversations


def key_accepted(runtime: Runtime, headers: Mapping[str, str]) -> bool:
    """True when no API key is configured or the request presents it."""
    key = runtime.settings.api_key
    return key is None or key_matches(key.get_secret_value(), presented_key(headers))


async def require_key(request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]) -> None:
    """Refuse the request (401) when an API key is configured and not presented."""
    if not key_accepted(runtime, request.headers):
        raise Unauthorized(
            "Missing or wrong API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            "Chiave API mancante o errata: invia 'Authorization: Bearer <chiave>' o 'X-API-Key: <chiave>'.",
        )


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ServiceDep = Annotated[ChatService, Depends(get_service)]
RatingsDep = Annotated[RatingService, Depends(get_ratings)]
ConversationsDep = Annotated[ConversationService, Depends(get_conversations)]
Protected = [Depends(require_key)]
