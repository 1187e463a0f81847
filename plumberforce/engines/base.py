"""The one interface every engine implements: an async stream of text chunks.

An engine also says who answered (:class:`Answered`, filled in on the request as the stream
starts): its kind and model, the sources it cites, and, for a fallback, why. The chat service
reads it instead of asking which engine it holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from plumberforce.knowledge import Hit, PassageHit, Source

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of the prompt sent to a model."""

    role: Role
    content: str


@dataclass
class Answered:
    """Who produced the answer of one request; written by the engine that streams it."""

    engine: str = ""
    model: str = ""
    sources: list[Source] = field(default_factory=list)
    fallback_reason: str | None = None  # set when the offline engine answered instead of the model

    def by(self, engine: str, model: str, sources: list[Source]) -> None:
        self.engine, self.model, self.sources = engine, model, list(sources)


@dataclass(frozen=True)
class EngineRequest:
    """Everything an engine needs for one answer.

    ``messages`` is the full prompt for a language model; ``question``, ``lang``, ``hits``,
    ``passages`` and ``notice`` let the offline engine compose its answer without parsing the
    prompt back.
    ``answered`` is filled in by the engine that produces the text.
    """

    messages: list[ChatMessage]
    question: str
    lang: str
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None  # why the offline engine answers instead of the model
    preface: str | None = None  # corrections of false premises, shown before the answer
    grounding: int = 3  # how many of ``hits`` the prompt cites
    passages: list[PassageHit] = field(default_factory=list)  # the best passages of ``hits``, best first
    cited: list[Source] = field(default_factory=list)  # the articles of the passages in the prompt
    answered: Answered = field(default_factory=Answered)


class Engine(Protocol):
    """Something that answers: ``stream`` yields text chunks as they are produced."""

    kind: str
    model: str

    def stream(self, request: EngineRequest) -> AsyncIterator[str]: ...

    def identity(self) -> dict[str, object]:
        """Everything about this engine that changes an answer (for the cache key)."""
        ...

    async def aclose(self) -> None: ...


async def complete(engine: Engine, request: EngineRequest) -> str:
    """The whole answer at once: the stream joined."""
    return "".join([chunk async for chunk in engine.stream(request)])
