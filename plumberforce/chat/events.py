"""What a chat turn emits: text as it is produced (:class:`Delta`), then one :class:`Done`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The meta keys kept with an answer in its conversation (the rest describe the request); keys
# starting with "_" stay internal (never in the public history).
STORED_META = (
    "engine",
    "model",
    "cached",
    "sources",
    "incomplete",
    "lang",
    "topic",
    "article",
    "error",
    "fallback_reason",
    "regenerated",
    "_cache_key",
)


@dataclass
class AnswerMeta:
    """What accompanies an answer: the public ``meta`` of /chat and the REST response."""

    message_id: str
    client_id: str
    engine: str
    model: str
    conversation_id: str | None = None
    cached: bool = False
    sources: list[dict[str, str]] = field(default_factory=list)
    done: bool = False
    incomplete: bool = False
    lang: str = "en"
    topic: str | None = None
    article: str | None = None  # the knowledge-base article the answer is built on
    regenerated: bool = False
    fallback_reason: str | None = None
    error: dict[str, str] | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    cache_key: str | None = field(default=None, repr=False)  # internal: evicted on a poor rating

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "cache_key"}

    def stored(self) -> dict[str, Any]:
        """The part kept with the answer in the conversation (empty values left out)."""
        values = {**self.__dict__, "_cache_key": self.cache_key}
        return {k: v for k, v in values.items() if k in STORED_META and v not in (None, False, [])}


@dataclass(frozen=True)
class Delta:
    """Text appended to the answer."""

    text: str


@dataclass(frozen=True)
class Done:
    """The answer is finished (or cut short: ``meta.incomplete``) and stored."""

    meta: AnswerMeta
    text: str


ChatEvent = Delta | Done
