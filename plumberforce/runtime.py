"""The running parts of one Space process, opened in the app's lifespan and closed after it.

:func:`plumberforce.app.create_app` builds a :class:`Runtime` (nothing opened yet); the lifespan
calls :meth:`Runtime.open` (stores, knowledge base, engines) and :meth:`Runtime.close`. The
doors (REST routes, Gradio handlers) reach the service through ``runtime.service``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from plumberforce import __version__, analytics
from plumberforce.auth import limited_ip
from plumberforce.engines.base import Engine
from plumberforce.engines.offline import OfflineEngine
from plumberforce.feedback import FeedbackService
from plumberforce.knowledge import KnowledgeBase
from plumberforce.metrics import Metrics
from plumberforce.prompts import PROMPT_VERSION
from plumberforce.ratelimit import RateLimiter
from plumberforce.service import ChatService
from plumberforce.settings import Settings
from plumberforce.stores.answers import AnswerCache
from plumberforce.stores.conversations import ConversationStore
from plumberforce.stores.feedback import FeedbackStore
from plumberforce.stores.location import StorageInfo, embedded_storage
from plumberforce.stores.requests import RequestLog, RequestRecord

log = logging.getLogger(__name__)


class NotReady(RuntimeError):
    """The runtime is not open (start-up not finished, or shutting down)."""


class Runtime:
    """Settings plus everything opened from them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.started_at = time.time()
        self._service: ChatService | None = None
        self._feedback: FeedbackService | None = None
        self.kb: KnowledgeBase | None = None
        self.engine: Engine | None = None
        self.requests: RequestLog | None = None
        self.metrics = Metrics(self._gauges)
        self.queue_length: Callable[[], int] = lambda: 0  # set by the UI once Gradio's queue exists

    @property
    def service(self) -> ChatService:
        if self._service is None:
            raise NotReady("Plumberforce is starting or stopping; try again in a moment.")
        return self._service

    @property
    def feedback(self) -> FeedbackService:
        if self._feedback is None:
            raise NotReady("Plumberforce is starting or stopping; try again in a moment.")
        return self._feedback

    def stream_interval(self) -> float:
        """Seconds between two updates of one Gradio stream now (see service.coalesce)."""
        s = self.settings
        return self.service.update_interval(s.stream_interval_ms / 1000, s.stream_updates_per_second)

    def _record(self, record: RequestRecord) -> None:
        if self.requests is not None:
            self.requests.add(record)
        self.metrics.observe(record)

    def storage(self) -> StorageInfo:
        """Which stores hold the data and whether it survives a restart (see stores/location.py)."""
        s = self.settings
        return embedded_storage(s.data_dir, s.space_id, s.persistent_dir)

    def open(self) -> None:
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        warning = self.storage().warning("en")
        if warning:
            log.warning("%s", warning)
        self.requests = RequestLog(s.data_dir / "requests.sqlite3", ring_size=s.diagnostics_ring_size)
        self.kb = KnowledgeBase.load_cached(s.data_dir / "index")
        offline = OfflineEngine(self.kb.version, chunk_delay=s.offline_chunk_delay_ms / 1000)
        if s.engine_kind == "remote":
            from plumberforce.engines.remote import RemoteEngine

            self.engine = RemoteEngine(s)
        else:
            self.engine = offline
        conversations = ConversationStore(
            s.data_dir / "conversations",
            max_messages=s.max_messages_per_client,
            idle_seconds=s.conversation_idle_days * 86400,
        )
        self._feedback = FeedbackService(
            conversations, FeedbackStore(s.data_dir / "feedback.sqlite3"), s.max_comment_chars
        )
        self._service = ChatService(
            engine=self.engine,
            offline=offline,
            kb=self.kb,
            conversations=conversations,
            cache=AnswerCache(s.data_dir / "answers", s.cache_ttl_seconds, s.cache_size_mb),
            history_budget_chars=s.history_budget_chars,
            max_question_chars=s.max_question_chars,
            grounding_passages=s.grounding_passages,
            recorder=self._record,
            limiter=RateLimiter(*s.rate_limits(), burst=s.rate_limit_burst),
            max_active=s.concurrency_limit + s.queue_max_size,
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
        feedback, self._feedback = self._feedback, None
        if service is None:
            return
        await service.engine.aclose()
        service.conversations.close()
        service.cache.close()
        if feedback is not None:
            feedback.store.close()
        if self.requests is not None:
            self.requests.close()

    def _gauges(self) -> dict[str, float]:
        values = {"plumberforce_uptime_seconds": time.time() - self.started_at}
        if self._service is not None:
            values.update(
                {
                    "plumberforce_active_conversations": self._service.conversations.count(),
                    "plumberforce_cache_entries": self._service.cache.count(),
                    "plumberforce_chats_running": self._service.active,
                    "plumberforce_cache_hits": self._service.cache.hits,
                    "plumberforce_cache_misses": self._service.cache.misses,
                }
            )
        return values

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
            "storage": self.storage().public(),
            "conversations": service.conversations.count(),
            "active_chats": service.active,
            "requests": self.request_summary(),
            "feedback": {"count": self._feedback.store.count() if self._feedback else 0},
            "cache": {
                "enabled": cache.enabled,
                "entries": cache.count(),
                "hits": cache.hits,
                "misses": cache.misses,
                "hit_ratio": round(cache.hits / lookups, 4) if lookups else None,
            },
        }

    def request_totals(self) -> dict[str, Any]:
        """Requests and errors by kind since the stores were created (in-memory running totals)."""
        totals = self.requests.totals() if self.requests is not None else {}
        return {
            "total": int(totals.get("requests", 0)),
            "errors": {
                k.split("|", 1)[1]: int(v) for k, v in totals.items() if k.startswith("outcome|") and k != "outcome|ok"
            },
        }

    def request_summary(self) -> dict[str, Any]:
        """Totals since the stores were created, and percentiles over the recent window."""
        if self.requests is None:
            return {}
        window = analytics.request_summary(analytics.requests_frame(self.requests.recent()))
        return {
            **self.request_totals(),
            "window": {k: window[k] for k in ("requests", "latency_ms", "ttft_ms", "outcomes", "cache_hit_ratio")},
        }

    def limited_ip(self, headers: Mapping[str, str], host: str | None) -> str | None:
        """The address the per-IP rate limit counts for a request (None for API-key holders)."""
        key = self.settings.api_key
        return limited_ip(headers, host, key.get_secret_value() if key else None)
