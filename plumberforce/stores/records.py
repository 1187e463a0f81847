"""The records the stores keep: plain dataclasses, the same whichever store holds them."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


def new_message_id() -> str:
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
        """The shape of the public API: role, content, message_id, ts (+ meta for answers)."""
        out: dict[str, Any] = {
            "role": self.role,
            "content": self.content,
            "message_id": self.message_id,
            "ts": self.ts,
        }
        if self.meta:
            out["meta"] = dict(self.meta)
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
