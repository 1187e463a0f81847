"""The running parts of one Space process, opened in the app's lifespan and closed after it.

:func:`plumberforce.app.create_app` builds a :class:`Runtime` (nothing opened yet); the lifespan
calls :meth:`Runtime.open` (stores, knowledge base, engines) and :meth:`Runtime.close`. The
doors (REST routes, Gradio handlers) reach the service through ``runtime.service``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from plumberforce import __version__
from plumberforce.engines.base import Engine
from plumberforce.engines.offline import OfflineEngine
from plumberforce.knowledge import KnowledgeBase
from plumberforce.prompts import PROMPT_VERSION
from plumberforce.service import ChatService
from plumberforce.settings import Settings
from plumberforce.stores.answers import AnswerCache
from plumberforce.stores.conversations import ConversationStore

log = logging.getLogger(__name__)


class NotReady(RuntimeError):
    """The runtime is not open (start-up not finished, or shutting down)."""


class Runtime:
    """Settings plus everything opened from them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.started_at = time.time()
        self._service: ChatService | None = None
        self.kb: KnowledgeBase | None = None
        self.engine: Engine | None = None

    @property
    def service(self) -> ChatService:
        if self._service is None:
            raise NotReady("Plumberforce is starting or stopping; try again in a moment.")
        return self._service

    def open(self) -> None:
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        self.kb = KnowledgeBase.load()
        offline = OfflineEngine(self.kb.version, chunk_delay=s.offline_chunk_delay_ms / 1000)
        if s.engine_kind == "remote":
            from plumberforce.engines.remote import RemoteEngine

            self.engine = RemoteEngine(s)
        else:
            self.engine = offline
        self._service = ChatService(
            engine=self.engine,
            offline=offline,
            kb=self.kb,
            conversations=ConversationStore(
                s.data_dir / "conversations",
                max_messages=s.max_messages_per_client,
                idle_seconds=s.conversation_idle_days * 86400,
            ),
            cache=AnswerCache(s.data_dir / "answers", s.cache_ttl_seconds, s.cache_size_mb),
            history_budget_chars=s.history_budget_chars,
            max_question_chars=s.max_question_chars,
            grounding_passages=s.grounding_passages,
        )
        log.info(
            "Plumberforce %s ready: engine=%s model=%s, %d articles",
            __version__,
            self.engine.kind,
            self.engine.model,
            len(self.kb.articles),
        )

    async def close(self) -> None:
        service, self._service = self._service, None
        if service is None:
            return
        await service.engine.aclose()
        service.conversations.close()
        service.cache.close()

    def engine_info(self) -> dict[str, Any]:
        s = self.settings
        info: dict[str, Any] = {"kind": s.engine_kind, "model": self.engine.model if self.engine else s.model}
        if s.engine_kind == "remote":
            info["provider"] = None if s.base_url else s.provider
            info["base_url"] = s.base_url
        return info

    def status(self) -> dict[str, Any]:
        """Readiness and a summary: the body of GET /api/status and of the /status endpoint."""
        if self._service is None:
            return {"status": "starting", "version": __version__}
        service = self._service
        cache = service.cache
        lookups = cache.hits + cache.misses
        return {
            "status": "ready",
            "version": __version__,
            "uptime_s": round(time.time() - self.started_at, 1),
            "engine": self.engine_info(),
            "prompt_version": PROMPT_VERSION,
            "knowledge_base": {"articles": len(service.kb.articles), "version": service.kb.version},
            "conversations": service.conversations.count(),
            "active_chats": service.active,
            "cache": {
                "enabled": cache.enabled,
                "entries": cache.count(),
                "hits": cache.hits,
                "misses": cache.misses,
                "hit_ratio": round(cache.hits / lookups, 4) if lookups else None,
            },
        }
