"""The WebSocket message protocol between the page and the proxy (see the README's table).

Every message is one JSON object with a ``type``:

- page -> proxy: ``query {id, text}``, ``regenerate {id, conversation_id?}``, ``cancel {id}``,
  ``feedback {message_id, rating, comment?, id?}``, ``history``, ``reset {id?}``, ``limits``,
  ``conversations {id?}``, ``new_conversation {id?}``, ``switch {conversation_id, id?}``,
  ``rename {conversation_id, title, id?}``, ``delete_conversation {conversation_id, id?}``,
  ``export {conversation_id?, format?, id?}``, ``ping``
- proxy -> page: ``ack {id, of}``, ``delta {id, text[, replace, html]}``,
  ``done {id, message_id, conversation_id, text, html, sources, cached, engine, model,
  incomplete, regenerated, ...}``, ``error {id?, code, message[, of]}``,
  ``history {messages, source[, conversation_id]}``, ``conversations {id?, of, current,
  conversations}``, ``export {id?, filename, content, media_type}``,
  ``limits {max_question_chars, max_comment_chars, source}``, ``pong``

:func:`parse` turns one frame into a validated message or raises :class:`ProtocolError`, whose
``code`` is one of ``bad_json``, ``unknown_type``, ``invalid``. It never raises anything else.
A question's length is checked later, against the Space's own limit (``too_long``): the frame
size bounds it here.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

RequestId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MessageId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ConversationId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
CLIENT_ID = r"^[A-Za-z0-9_-]{1,64}$"
MAX_COMMENT_CHARS = 1000
MAX_TITLE_CHARS = 120  # the Space's limit on a conversation's title


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Query(_Message):
    type: Literal["query"]
    id: RequestId
    text: Annotated[str, StringConstraints(min_length=1)]


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


class Limits(_Message):
    type: Literal["limits"]


class Regenerate(_Message):
    """A fresh last answer of a conversation (default: the current one), streamed like a query."""

    type: Literal["regenerate"]
    id: RequestId
    conversation_id: ConversationId | None = None


class Conversations(_Message):
    type: Literal["conversations"]
    id: RequestId | None = None


class NewConversation(_Message):
    type: Literal["new_conversation"]
    id: RequestId | None = None


class Switch(_Message):
    type: Literal["switch"]
    conversation_id: ConversationId
    id: RequestId | None = None


class Rename(_Message):
    type: Literal["rename"]
    conversation_id: ConversationId
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)]
    id: RequestId | None = None


class DeleteConversation(_Message):
    type: Literal["delete_conversation"]
    conversation_id: ConversationId
    id: RequestId | None = None


class Export(_Message):
    type: Literal["export"]
    conversation_id: ConversationId | None = None
    format: Literal["markdown", "json"] = "markdown"
    id: RequestId | None = None


Incoming = (
    Query
    | Regenerate
    | Cancel
    | Feedback
    | History
    | Reset
    | Ping
    | Limits
    | Conversations
    | NewConversation
    | Switch
    | Rename
    | DeleteConversation
    | Export
)
TYPES: dict[str, type[_Message]] = {
    "query": Query,
    "regenerate": Regenerate,
    "cancel": Cancel,
    "feedback": Feedback,
    "history": History,
    "reset": Reset,
    "ping": Ping,
    "limits": Limits,
    "conversations": Conversations,
    "new_conversation": NewConversation,
    "switch": Switch,
    "rename": Rename,
    "delete_conversation": DeleteConversation,
    "export": Export,
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
