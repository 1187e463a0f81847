"""The embedded offline engine: answers composed from the built-in knowledge base.

No network and no language model: the service retrieves the best articles and passages for the
question and this engine lays them out (:mod:`plumberforce.engines.offline_answer`): a direct
answer first, then the best article trimmed to what is relevant, related articles and sources,
with headings in the question's language. It says plainly, at the top of every answer, that it
is the offline knowledge base.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Literal

from plumberforce.engines.base import EngineRequest
from plumberforce.engines.offline_answer import HEADINGS, LAYOUT, answer_sources, compose_answer, related_hits

__all__ = ["HEADINGS", "OfflineEngine", "answer_sources", "compose_answer", "related_hits", "split_chunks"]

_CHUNK = re.compile(r"\S+\s*|\s+")


def split_chunks(text: str, size: int = 48) -> list[str]:
    """``text`` cut at word boundaries into chunks of about ``size`` characters."""
    chunks: list[str] = []
    current = ""
    for piece in _CHUNK.findall(text):
        current += piece
        if len(current) >= size:
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return chunks


class OfflineEngine:
    """Answers from the knowledge base; ``chunk_delay`` paces the stream (seconds)."""

    kind: Literal["offline"] = "offline"
    model = "plumberforce-offline-kb"

    def __init__(self, kb_version: str, chunk_delay: float = 0.0):
        self.kb_version = kb_version
        self.chunk_delay = chunk_delay

    def identity(self) -> dict[str, object]:
        return {"kind": self.kind, "model": self.model, "kb": self.kb_version, "layout": LAYOUT}

    async def stream(self, request: EngineRequest) -> AsyncIterator[str]:
        request.answered.by(self.kind, self.model, answer_sources(request.hits))
        for i, chunk in enumerate(split_chunks(compose_answer(request))):
            if i and self.chunk_delay:
                await asyncio.sleep(self.chunk_delay)
            yield chunk

    async def aclose(self) -> None:
        return None
