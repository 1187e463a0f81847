"""The one interface every engine implements: an async stream of text chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from plumberforce.knowledge import Hit

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of the prompt sent to a model."""

    role: Role
    content: str


@dataclass(frozen=True)
class EngineRequest:
    """Everything an engine needs for one answer.

    ``messages`` is the full prompt for a language model; ``question``, ``lang``, ``hits`` and
    ``notice`` let the offline engine compose its answer without parsing the prompt back.
    """

    messages: list[ChatMessage]
    question: str
    lang: str
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None  # why the offline engine answers instead of the model
    preface: str | None = None  # corrections of false premises, shown before the answer


class Engine(Protocol):
    """Something that answers: ``stream`` yields text chunks as they are produced."""

    kind: Literal["remote", "offline"]
    model: str

    def stream(self, request: EngineRequest) -> AsyncIterator[str]: ...

    def identity(self) -> dict[str, object]:
        """Everything about this engine that changes an answer (for the cache key)."""
        ...

    async def aclose(self) -> None: ...


async def complete(engine: Engine, request: EngineRequest) -> str:
    """The whole answer at once: the stream joined."""
    return "".join([chunk async for chunk in engine.stream(request)])
