"""A scriptable engine for unit tests of the chat turn, in the manner of simonw/llm's MockModel.

Queue one script per expected answer: a list whose items are text chunks (``str``), exceptions
to raise at that point, or ``asyncio.Event`` objects to wait for (so a test decides when the
stream goes on). With nothing queued, an answer echoes the question in two chunks. Every request
is kept in ``requests``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterable
from typing import Any

from plumberforce.engines.base import EngineRequest

ScriptItem = str | BaseException | asyncio.Event


class ScriptedEngine:
    """An engine that streams what the test queued."""

    def __init__(self, kind: str = "remote", model: str = "scripted-model"):
        self.kind = kind
        self.model = model
        self.requests: list[EngineRequest] = []
        self._scripts: deque[list[ScriptItem]] = deque()
        self.closed = False

    def queue(self, *items: ScriptItem) -> ScriptedEngine:
        """Script the next answer."""
        self._scripts.append(list(items))
        return self

    def queue_many(self, scripts: Iterable[Iterable[ScriptItem]]) -> ScriptedEngine:
        for script in scripts:
            self.queue(*script)
        return self

    def identity(self) -> dict[str, Any]:
        return {"kind": self.kind, "model": self.model}

    async def stream(self, request: EngineRequest) -> AsyncIterator[str]:
        self.requests.append(request)
        script = self._scripts.popleft() if self._scripts else [f"Echo: {request.question}", " (end)"]
        sources = [h.article.links[0] for h in request.hits[: request.grounding] if h.article.links]
        request.answered.by(self.kind, self.model, sources)
        for item in script:
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, asyncio.Event):
                await item.wait()
                continue
            yield item

    async def aclose(self) -> None:
        self.closed = True
