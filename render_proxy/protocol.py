"""The WebSocket message protocol between the page and the proxy (see docs/architecture.md).

Every message is one JSON object with a ``type``:

- page -> proxy: ``query {id, text}``, ``cancel {id}``,
  ``feedback {message_id, rating, comment?, id?}``, ``history``, ``reset {id?}``, ``ping``
- proxy -> page: ``ack {id, of}``, ``delta {id, text[, replace, html]}``,
  ``done {id, message_id, text, html, sources, cached, engine, model, incomplete, ...}``,
  ``error {id?, code, message}``, ``history {messages, source}``, ``pong``

:func:`parse` turns one frame into a validated message or raises :class:`ProtocolError`, whose
``code`` is one of ``bad_json``, ``unknown_type``, ``invalid``. It never raises anything else.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

RequestId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MessageId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
CLIENT_ID = r"^[A-Za-z0-9_-]{1,64}$"
MAX_QUESTION_CHARS = 8000
MAX_COMMENT_CHARS = 1000


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Query(_Message):
    type: Literal["query"]
    id: RequestId
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS)]


class Cancel(_Message):
    type: Literal["cancel"]
    id: RequestId


class Feedback(_Message):
    type: Literal["feedback"]
    message_id: MessageId
    rating: Annotated[int, Field(strict=True, ge=1, le=5)]
    comment: Annotated[str, StringConstraints(max_length=MAX_COMMENT_CHARS)] = ""
    id: RequestId | None = None


class History(_Message):
    type: Literal["history"]


class Reset(_Message):
    type: Literal["reset"]
    id: RequestId | None = None


class Ping(_Message):
    type: Literal["ping"]


Incoming = Query | Cancel | Feedback | History | Reset | Ping
TYPES: dict[str, type[_Message]] = {
    "query": Query,
    "cancel": Cancel,
    "feedback": Feedback,
    "history": History,
    "reset": Reset,
    "ping": Ping,
}
_ADAPTERS = {name: TypeAdapter(model) for name, model in TYPES.items()}


class ProtocolError(Exception):
    """A frame the proxy refuses; ``message`` is shown to people, ``id`` echoes the request's."""

    def __init__(self, code: Literal["bad_json", "unknown_type", "invalid"], message: str, id: str | None = None):
        super().__init__(message)
        self.code, self.message, self.id = code, message, id


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "message"
        parts.append(f"{field}: {'missing' if err['type'] == 'missing' else err['msg']}")
    return "; ".join(parts)


def parse(raw: str | bytes) -> Incoming:
    """One frame -> one validated message, or :class:`ProtocolError`."""
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError("bad_json", "The message is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json", "The message must be a JSON object with a 'type'.")
    request_id = data.get("id") if isinstance(data.get("id"), str) and len(data["id"]) <= 64 else None
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        shown = kind if isinstance(kind, str) and len(kind) <= 32 else "?"
        raise ProtocolError("unknown_type", f"Unknown message type {shown!r}; known: {', '.join(TYPES)}.", request_id)
    try:
        return _ADAPTERS[kind].validate_python(data)  # type: ignore[return-value]
    except ValidationError as exc:
        raise ProtocolError("invalid", f"Invalid {kind} message: {_describe(exc)}.", request_id) from None


def error(code: str, message: str, id: str | None = None, **extra: Any) -> dict[str, Any]:
    """An ``error`` message for the page."""
    body: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if id is not None:
        body["id"] = id
    return body | extra
