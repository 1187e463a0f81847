"""The REST API under /api: routers and error handlers."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from plumberforce.errors import PlumberforceError
from plumberforce.web.middleware import MethodNotAllowed
from plumberforce.web.rest import feedback_routes, history_routes, query_routes, system_routes


async def _plumberforce_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlumberforceError)
    lang = exc.lang or request.headers.get("accept-language", "en")[:2].lower()
    headers = {"Retry-After": str(math.ceil(exc.retry_after))} if exc.retry_after else None
    return JSONResponse(
        {"detail": exc.message(lang if lang in ("en", "it") else "en"), "code": exc.code},
        status_code=exc.status,
        headers=headers,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette/FastAPI HTTP errors (an unparsable body, ...) in our error shape: detail + code."""
    assert isinstance(exc, StarletteHTTPException)
    if not isinstance(exc.detail, str):
        return await http_exception_handler(request, exc)
    code = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse({"detail": exc.detail, "code": code}, status_code=exc.status_code, headers=exc.headers)


def install(app: FastAPI) -> None:
    """Add the /api routers and the handlers that turn our errors into JSON responses."""
    app.include_router(system_routes.router)
    app.include_router(query_routes.router)
    app.include_router(history_routes.router)
    app.include_router(feedback_routes.router)
    app.include_router(system_routes.metrics_router)
    app.add_exception_handler(PlumberforceError, _plumberforce_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(MethodNotAllowed, paths=lambda: app.openapi()["paths"])


def document_limits(app: FastAPI, max_question_chars: int, max_comment_chars: int) -> None:
    """Put the configured length limits into the OpenAPI schema (they are settings, not constants)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            components = schema.get("components", {}).get("schemas", {})
            if "QueryRequest" in components:
                components["QueryRequest"]["properties"]["query"]["maxLength"] = max_question_chars
            if "FeedbackRequest" in components:
                comment = components["FeedbackRequest"]["properties"]["comment"]
                for option in comment.get("anyOf", [comment]):
                    if option.get("type") == "string":
                        option["maxLength"] = max_comment_chars
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
