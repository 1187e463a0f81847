"""The records the stores keep: plain dataclasses, the same whichever store holds them."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


def new_message_id() -> str:
    return uuid.uuid4().hex


def new_conversation_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Message:
    """One message of a conversation. ``meta`` holds engine, model, sources, incomplete..."""

    role: str
    content: str
    message_id: str = field(default_factory=new_message_id)
    ts: float = field(default_factory=time.time)
    meta: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """The shape of the public API: role, content, message_id, ts (+ meta for answers).

        Meta keys starting with ``_`` are internal (the answer's cache key) and never leave."""
        out: dict[str, Any] = {
            "role": self.role,
            "content": self.content,
            "message_id": self.message_id,
            "ts": self.ts,
        }
        meta = {k: v for k, v in self.meta.items() if not k.startswith("_")}
        if meta:
            out["meta"] = meta
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


TITLE_CHARS = 60


def title_from(question: str) -> str:
    """A conversation's title from its first question: one line, at most 60 characters, cut
    at a word boundary."""
    line = " ".join(question.split())
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[: TITLE_CHARS - 1].rsplit(" ", 1)[0] or line[: TITLE_CHARS - 1]
    return cut.rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class ConversationInfo:
    """One conversation of a client, without its messages."""

    conversation_id: str
    title: str
    created: float
    updated: float
    message_count: int

    def public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Overview:
    """A client's conversations, newest first, and which one is current (None: none yet)."""

    current: str | None
    conversations: list[ConversationInfo]

    def public(self) -> dict[str, Any]:
        return {"current": self.current, "conversations": [c.public() for c in self.conversations]}


@dataclass(frozen=True)
class CachedAnswer:
    """A finished answer in the answer cache, with what produced it."""

    text: str
    engine: str
    model: str
    sources: list[dict[str, str]]
    topic: str | None = None


@dataclass(frozen=True)
class CacheStats:
    """Lookups of this process since it started."""

    hits: int
    misses: int

    @property
    def hit_ratio(self) -> float | None:
        lookups = self.hits + self.misses
        return round(self.hits / lookups, 4) if lookups else None


@dataclass(frozen=True)
class FeedbackRecord:
    """What one person thought of one answer."""

    message_id: str
    client_id: str
    question: str
    answer: str
    engine: str
    model: str
    topic: str | None
    rating: int | None
    thumb: str | None
    comment: str
    ts: float
    updated: float
    article: str | None = None  # the knowledge-base article the answer was built on

    def public(self) -> dict:
        return asdict(self)


FEEDBACK_COLUMNS = [
    "message_id",
    "client_id",
    "question",
    "answer",
    "engine",
    "model",
    "topic",
    "rating",
    "thumb",
    "comment",
    "ts",
    "updated",
    "article",
]


@dataclass(frozen=True)
class Rating:
    """A rating to save: 1-5 stars and/or a thumb and/or a comment (None leaves the stored value)."""

    client_id: str
    message_id: str
    question: str
    answer: str
    engine: str
    model: str
    topic: str | None
    rating: int | None = None
    thumb: str | None = None
    comment: str | None = None
    article: str | None = None


@dataclass(frozen=True)
class RequestRecord:
    """One chat request, for diagnostics."""

    ts: float
    client_id: str
    engine: str
    model: str
    cached: bool
    latency_ms: float
    ttft_ms: float | None
    question_chars: int
    answer_chars: int
    outcome: str  # "ok", "incomplete", "stopped" or an error code
    lang: str
