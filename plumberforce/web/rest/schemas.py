"""Request and response models of the REST API (they appear in /docs)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from plumberforce.chat.validation import CLIENT_ID_PATTERN, NON_BLANK_PATTERN

__all__ = ["CLIENT_ID_PATTERN"]


class SourceModel(BaseModel):
    title: str
    url: str


class QueryRequest(BaseModel):
    """A question. Without ``client_id`` a new conversation is started (its id is returned)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"query": "How do I avoid 'Too many SOQL queries: 101' in a trigger?", "client_id": "demo-1"},
                {"query": "Differenza tra Queueable e Batch Apex?"},
            ]
        },
    )

    # The limits are documented in the schema and enforced by the service, which answers 400 with
    # a message in the question's language (maxLength is set from the settings, see document_limits).
    query: str = Field(
        description="The question, in Italian or English (at most PLUMBERFORCE_MAX_QUESTION_CHARS characters).",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK_PATTERN},
    )
    client_id: str | None = Field(
        None,
        pattern=CLIENT_ID_PATTERN,
        description="Conversation id: letters, digits, '-', '_', at most 64.",
    )


class QueryResponse(BaseModel):
    response: str
    client_id: str
    message_id: str
    engine: str
    model: str
    cached: bool
    sources: list[SourceModel]
    latency_ms: float
    lang: str
    incomplete: bool = False
    fallback_reason: str | None = None
    error: dict[str, str] | None = None


class ErrorResponse(BaseModel):
    detail: str = Field(description="What went wrong, for a person.")
    code: str = Field(description="A stable error code, for programs.")


class HistoryMessage(BaseModel):
    role: str
    content: str
    message_id: str
    ts: float
    meta: dict[str, Any] | None = None


class HistoryResponse(BaseModel):
    client_id: str
    messages: list[HistoryMessage]


class OkResponse(BaseModel):
    ok: bool = True
    deleted: bool | None = None


class HealthResponse(BaseModel):
    status: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad input (nothing was stored)"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    429: {"model": ErrorResponse, "description": "Too many requests (see Retry-After)"},
    503: {"model": ErrorResponse, "description": "Starting up or busy (see Retry-After)"},
}
