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
        description="Who asks (a person, a browser): letters, digits, '-', '_', at most 64.",
    )
    conversation_id: str | None = Field(
        None,
        pattern=CLIENT_ID_PATTERN,
        description="One of the client's conversations (default: the current one, started if there is none).",
    )


class RegenerateRequest(BaseModel):
    """Which answer to regenerate: the last one of a conversation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"client_id": "demo-1"}]})

    client_id: str = Field(pattern=CLIENT_ID_PATTERN)
    conversation_id: str | None = Field(
        None, pattern=CLIENT_ID_PATTERN, description="Default: the current conversation."
    )


class QueryResponse(BaseModel):
    response: str
    client_id: str
    conversation_id: str | None = None
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


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where: body / query / path, then the field.")
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="A stable kind, for programs.")


class ErrorResponse(BaseModel):
    """The one shape of every error of the REST API."""

    detail: str = Field(description="What went wrong, for a person.")
    code: str = Field(description="A stable error code, for programs.")
    errors: list[FieldError] | None = Field(None, description="For invalid input: each field at fault.")


class ConversationModel(BaseModel):
    conversation_id: str
    title: str = Field(description="The first question, shortened, until renamed (empty: a new conversation).")
    created: float
    updated: float
    message_count: int


class ConversationsResponse(BaseModel):
    current: str | None = Field(description="The current conversation (None: none yet).")
    conversations: list[ConversationModel] = Field(description="Newest first.")


class ConversationPatch(BaseModel):
    """Rename a conversation and/or make it the current one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"title": "Bulk triggers"}, {"current": True}],
            # at least one change (checked by the service too, which answers 400)
            "anyOf": [
                {"required": ["title"], "properties": {"title": {"type": "string"}}},
                {"required": ["current"], "properties": {"current": {"const": True}}},
            ],
        },
    )

    title: str | None = Field(None, min_length=1, max_length=120, json_schema_extra={"pattern": NON_BLANK_PATTERN})
    current: bool = False


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
    422: {"model": ErrorResponse, "description": "The body or a parameter does not match the schema (see errors)"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    429: {"model": ErrorResponse, "description": "Too many requests (see Retry-After)"},
    503: {"model": ErrorResponse, "description": "Starting up or busy (see Retry-After)"},
}
