"""The REST API under /api: routers and error handlers."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from plumberforce.errors import PlumberforceError
from plumberforce.web.article_page import preferred_language
from plumberforce.web.middleware import MethodNotAllowed
from plumberforce.web.rest import (
    article_routes,
    conversation_routes,
    feedback_routes,
    history_routes,
    query_routes,
    system_routes,
)


async def _plumberforce_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlumberforceError)
    lang = exc.lang or preferred_language(None, request.headers.get("accept-language", ""))
    headers = {"Retry-After": str(math.ceil(exc.retry_after))} if exc.retry_after else None
    return JSONResponse(
        {"detail": exc.message(lang), "code": exc.code},
        status_code=exc.status,
        headers=headers,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette/FastAPI HTTP errors (an unparsable body, ...) in our error shape: detail + code."""
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "Bad request."
    code = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse({"detail": detail, "code": code}, status_code=exc.status_code, headers=exc.headers)


def _field(loc: tuple) -> str:
    """``("body", "query")`` -> ``query``: the field, without where it was (body, query, path)."""
    parts = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
    return ".".join(str(part) for part in parts) or "body"


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    """422 in the one error shape: a sentence for a person, ``errors`` for programs."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    it = preferred_language(None, request.headers.get("accept-language", "")) == "it"
    content_type = request.headers.get("content-type", "")
    if any(e["loc"] == ["body"] for e in errors) and "json" not in content_type:
        detail = (
            "Invia il corpo in JSON, con l'header Content-Type: application/json."
            if it
            else "Send the body as JSON, with the header Content-Type: application/json."
        )
    else:
        fields = ", ".join(dict.fromkeys(f"{_field(tuple(e['loc']))} ({e['msg']})" for e in errors))
        detail = f"Dati non validi: {fields}." if it else f"Invalid input: {fields}."
    return JSONResponse(
        jsonable_encoder({"detail": detail, "code": "invalid_input", "errors": errors}), status_code=422
    )


def install(app: FastAPI) -> None:
    """Add the /api routers and the handlers that turn our errors into JSON responses."""
    app.include_router(system_routes.router)
    app.include_router(query_routes.router)
    app.include_router(history_routes.router)
    app.include_router(conversation_routes.router)
    app.include_router(feedback_routes.router)
    app.include_router(article_routes.router)
    app.include_router(system_routes.metrics_router)
    app.add_exception_handler(PlumberforceError, _plumberforce_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_middleware(MethodNotAllowed, paths=lambda: app.openapi()["paths"])


def _one_error_shape(schema: dict) -> None:
    """Every documented 422 answers :class:`ErrorResponse` (FastAPI's own shape is never sent)."""
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            response = operation.get("responses", {}).get("422")
            if response is not None:
                response["content"] = {"application/json": {"schema": ref}}
    components = schema.get("components", {}).get("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)


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
            _one_error_shape(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
