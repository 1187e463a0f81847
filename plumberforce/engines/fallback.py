"""The model, with the offline knowledge base as a safety net.

:class:`FallbackEngine` implements the engine interface over a primary engine (the remote
model) and the offline engine. When the primary fails before its first chunk (after its own
retries), the offline engine answers the same request instead, with a notice that says why, and
``request.answered.fallback_reason`` is set (a fallback answer is never cached). Once the
primary has produced text, its failure ends the stream: the person already sees an answer.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator

from plumberforce import errors
from plumberforce.engines.base import Engine, EngineRequest

log = logging.getLogger(__name__)

FALLBACK_NOTICE = {
    "en": "The language model is unavailable ({reason}), so the offline knowledge base answers.",
    "it": "Il modello linguistico non è disponibile ({reason}), quindi risponde la knowledge base offline.",
}


class FallbackEngine:
    """``primary``, or ``offline`` when ``primary`` fails up front."""

    def __init__(self, primary: Engine, offline: Engine):
        self.primary = primary
        self.offline = offline
        self.kind = primary.kind
        self.model = primary.model

    def identity(self) -> dict[str, object]:
        return self.primary.identity()

    async def stream(self, request: EngineRequest) -> AsyncIterator[str]:
        produced = False
        try:
            async for chunk in self.primary.stream(request):
                produced = True
                yield chunk
        except errors.EngineError as exc:
            if produced:
                raise
            reason = exc.message(request.lang)
            log.warning("%s engine failed (%s); answering offline", self.primary.kind, exc.code)
            request.answered.fallback_reason = reason
            notice = FALLBACK_NOTICE["it" if request.lang == "it" else "en"].format(reason=reason)
            async for chunk in self.offline.stream(dataclasses.replace(request, notice=notice)):
                yield chunk

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.offline.aclose()
