"""Dependencies of the REST routes: the runtime, and the API key check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plumberforce.auth import key_matches, presented_key
from plumberforce.errors import Unauthorized
from plumberforce.runtime import Runtime
from plumberforce.service import ChatService


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_service(runtime: Annotated[Runtime, Depends(get_runtime)]) -> ChatService:
    return runtime.service


def require_key(request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]) -> None:
    """Refuse the request (401) when an API key is configured and not presented."""
    key = runtime.settings.api_key
    if key is not None and not key_matches(key.get_secret_value(), presented_key(request.headers)):
        raise Unauthorized(
            "Missing or wrong API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            "Chiave API mancante o errata: invia 'Authorization: Bearer <chiave>' o 'X-API-Key: <chiave>'.",
        )


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ServiceDep = Annotated[ChatService, Depends(get_service)]
Protected = [Depends(require_key)]
