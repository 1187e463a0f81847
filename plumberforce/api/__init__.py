"""The REST API under /api: routers and error handlers."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from plumberforce.api import chat, feedback, history, system
from plumberforce.errors import PlumberforceError
from plumberforce.runtime import NotReady


async def _plumberforce_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlumberforceError)
    lang = exc.lang or request.headers.get("accept-language", "en")[:2].lower()
    headers = {"Retry-After": str(math.ceil(exc.retry_after))} if exc.retry_after else None
    return JSONResponse(
        {"detail": exc.message(lang if lang in ("en", "it") else "en"), "code": exc.code},
        status_code=exc.status,
        headers=headers,
    )


async def _not_ready(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc), "code": "not_ready"}, status_code=503, headers={"Retry-After": "5"})


def install(app: FastAPI) -> None:
    """Add the /api routers and the handlers that turn our errors into JSON responses."""
    app.include_router(system.router)
    app.include_router(chat.router)
    app.include_router(history.router)
    app.include_router(feedback.router)
    app.include_router(system.metrics_router)
    app.add_exception_handler(PlumberforceError, _plumberforce_error)
    app.add_exception_handler(NotReady, _not_ready)
