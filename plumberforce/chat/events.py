"""What a chat turn emits: text as it is produced (:class:`Delta`), then one :class:`Done`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The meta keys kept with an answer in its conversation (the rest describe the request).
STORED_META = ("engine", "model", "cached", "sources", "incomplete", "lang", "topic", "error", "fallback_reason")


@dataclass
class AnswerMeta:
    """What accompanies an answer: the public ``meta`` of /chat and the REST response."""

    message_id: str
    client_id: str
    engine: str
    model: str
    cached: bool = False
    sources: list[dict[str, str]] = field(default_factory=list)
    done: bool = False
    incomplete: bool = False
    lang: str = "en"
    topic: str | None = None
    fallback_reason: str | None = None
    error: dict[str, str] | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def stored(self) -> dict[str, Any]:
        """The part kept with the answer in the conversation (empty values left out)."""
        return {k: v for k, v in self.__dict__.items() if k in STORED_META and v not in (None, False, [])}


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
