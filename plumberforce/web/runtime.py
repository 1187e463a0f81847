"""The running parts of one Space process, opened in the app's lifespan and closed after it.

:func:`plumberforce.web.app.create_app` builds a :class:`Runtime` (nothing opened yet); the
lifespan calls :meth:`Runtime.open` (stores, knowledge base, engines, all on one exit stack) and
:meth:`Runtime.close`, which closes everything that was opened, in reverse order. The doors (REST
routes, Gradio handlers) reach the chat path through ``runtime.service`` and ratings through
``runtime.ratings``; both raise :class:`~plumberforce.errors.NotReady` outside that window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, suppress
from typing import Any

from plumberforce import __version__
from plumberforce.chat.admission import RateLimiter
from plumberforce.chat.answer_policy import AnswerPolicy
from plumberforce.chat.conversation_service import ConversationService
from plumberforce.chat.prompts import PROMPT_VERSION
from plumberforce.chat.ratings import RatingService
from plumberforce.chat.recorder import TurnRecorder
from plumberforce.chat.service import ChatLimits, ChatService
from plumberforce.engines.base import Engine
from plumberforce.engines.fallback import FallbackEngine
from plumberforce.engines.offline import OfflineEngine
from plumberforce.errors import NotReady, StoreUnavailable
from plumberforce.knowledge import KnowledgeBase
from plumberforce.ops import analytics
from plumberforce.ops.metrics import Metrics
from plumberforce.settings import Settings
from plumberforce.stores.factory import Stores, open_stores
from plumberforce.stores.location import StorageInfo, embedded_storage
from plumberforce.web.auth import limited_ip

log = logging.getLogger(__name__)


async def _or_none(figure: Awaitable[int]) -> int | None:
    """A store's figure, or None while that store cannot be reached."""
    try:
        return await figure
    except StoreUnavailable:
        return None


class Runtime:
    """Settings plus everything opened from them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.started_at = time.time()
        self.metrics = Metrics(settings.replica_id)
        self.kb: KnowledgeBase | None = None
        self.engine: Engine | None = None
        self._stores: Stores | None = None
        self._service: ChatService | None = None
        self._ratings: RatingService | None = None
        self._conversations: ConversationService | None = None
        self._stack: AsyncExitStack | None = None
        self._queue_length: Callable[[], int] = lambda: 0

    # --- what the doors use -------------------------------------------------------------
    @property
    def service(self) -> ChatService:
        if self._service is None:
            raise NotReady()
        return self._service

    @property
    def ratings(self) -> RatingService:
        if self._ratings is None:
            raise NotReady()
        return self._ratings

    @property
    def conversations(self) -> ConversationService:
        if self._conversations is None:
            raise NotReady()
        return self._conversations

    @property
    def stores(self) -> Stores:
        if self._stores is None:
            raise NotReady()
        return self._stores

    def set_queue_length(self, read: Callable[[], int]) -> None:
        """How many events wait in the UI's queue (given by the UI layer, which owns the queue)."""
        self._queue_length = read

    def queue_length(self) -> int:
        return self._queue_length()

    def storage(self) -> StorageInfo:
        """Which stores hold the data and whether it survives a restart (see stores/location.py)."""
        if self._stores is not None:
            return self._stores.storage
        s = self.settings
        return embedded_storage(s.data_dir, s.space_id, s.persistent_dir)  # type: ignore[arg-type]

    def limited_ip(self, headers: Mapping[str, str], host: str | None) -> str | None:
        """The address the per-IP rate limit counts for a request (None for API-key holders)."""
        key = self.settings.api_key
        return limited_ip(headers, host, key.get_secret_value() if key else None)

    # --- life cycle ---------------------------------------------------------------------
    async def open(self) -> None:
        s = self.settings
        stack = AsyncExitStack()
        try:
            stores = await open_stores(s, stack)
            warning = stores.storage.warning("en")
            if warning:
                log.warning("%s", warning)
            kb = KnowledgeBase.load_cached(s.index_dir or s.data_dir / "index")  # type: ignore[operator]
            offline = OfflineEngine(kb.version, chunk_delay=s.offline_chunk_delay_ms / 1000)
            engine: Engine = offline
            if s.engine_kind == "remote":
                from plumberforce.engines.remote import RemoteEngine

                engine = FallbackEngine(RemoteEngine(s), offline)
            stack.push_async_callback(engine.aclose)
        except BaseException:
            await stack.aclose()
            raise
        self._stack, self._stores, self.kb, self.engine = stack, stores, kb, engine
        limiter = RateLimiter(stores.buckets, *s.rate_limits(), burst=s.rate_limit_burst)
        answers = AnswerPolicy(stores.answers, engine.identity(), PROMPT_VERSION, kb.version)
        self._ratings = RatingService(stores.conversations, stores.feedback, s.max_comment_chars, answers.forget)
        self._conversations = ConversationService(stores.conversations, stores.feedback)
        self._service = ChatService(
            engine=engine,
            kb=kb,
            conversations=stores.conversations,
            answers=answers,
            recorder=TurnRecorder(stores.conversations, stores.requests, self.metrics.observe),
            limiter=limiter if limiter.enabled else None,
            limits=ChatLimits(
                max_question_chars=s.max_question_chars,
                history_budget_chars=s.history_budget_chars,
                grounding_passages=s.grounding_passages,
                grounding_chars=s.grounding_chars,
                max_active=s.concurrency_limit + s.queue_max_size,
            ),
        )
        log.info(
            "Plumberforce %s ready: engine=%s model=%s, %d articles",
            __version__,
            engine.kind,
            engine.model,
            len(kb.articles),
        )

    async def close(self) -> None:
        stack, self._stack = self._stack, None
        self._service = self._ratings = self._conversations = None
        self._stores = None
        if stack is not None:
            await stack.aclose()

    # --- what operators read ------------------------------------------------------------
    async def gauges(self) -> dict[str, float]:
        """The figures /metrics reads at scrape time."""
        values = {"plumberforce_uptime_seconds": time.time() - self.started_at}
        if self._stores is not None and self._service is not None:
            stats = self._stores.answers.stats()
            values.update(
                {
                    "plumberforce_chats_running": self._service.active,
                    "plumberforce_cache_hits": stats.hits,
                    "plumberforce_cache_misses": stats.misses,
                }
            )
            with suppress(StoreUnavailable):  # a shared store that is down: the other figures still
                values["plumberforce_active_conversations"] = await self._stores.conversations.count()
                values["plumberforce_cache_entries"] = await self._stores.answers.count()
        return values

    def engine_info(self) -> dict[str, Any]:
        s = self.settings
        info: dict[str, Any] = {"kind": s.engine_kind, "model": self.engine.model if self.engine else s.model}
        if s.engine_kind == "remote":
            info["provider"] = None if s.base_url else s.provider
            info["base_url"] = s.base_url
        return info

    async def cache_figures(self) -> dict[str, Any]:
        stores = self.stores
        stats = stores.answers.stats()
        return {
            "enabled": stores.answers.enabled,
            "entries": await _or_none(stores.answers.count()),
            "hits": stats.hits,
            "misses": stats.misses,
            "hit_ratio": stats.hit_ratio,
        }

    async def status(self) -> dict[str, Any]:
        """Readiness and a summary: the body of GET /api/status and of the /status endpoint."""
        if self._service is None or self._stores is None or self.kb is None:
            return {"status": "starting", "version": __version__}
        stores = self._stores
        problems = await stores.problems()
        return {
            "status": "degraded" if problems else "ready",
            "problems": problems,
            "replica": self.settings.replica_id,
            "version": __version__,
            "uptime_s": round(time.time() - self.started_at, 1),
            "engine": self.engine_info(),
            "prompt_version": PROMPT_VERSION,
            "limits": {
                "max_question_chars": self.settings.max_question_chars,
                "max_comment_chars": self.settings.max_comment_chars,
            },
            "knowledge_base": {"articles": len(self.kb.articles), "version": self.kb.version},
            "storage": stores.storage.public(),
            "conversations": await _or_none(stores.conversations.count()),
            "active_chats": self._service.active,
            "requests": self.request_summary(),
            "feedback": {"count": await _or_none(stores.feedback.count())},
            "cache": await self.cache_figures(),
        }

    def request_totals(self) -> dict[str, Any]:
        """Requests and errors by kind since the stores were created (in-memory running totals)."""
        totals = self._stores.requests.totals() if self._stores is not None else {}
        return {
            "total": int(totals.get("requests", 0)),
            "errors": {
                k.split("|", 1)[1]: int(v) for k, v in totals.items() if k.startswith("outcome|") and k != "outcome|ok"
            },
        }

    def request_summary(self) -> dict[str, Any]:
        """Totals since the stores were created, and percentiles over the recent window."""
        if self._stores is None:
            return {}
        window = analytics.request_summary(analytics.requests_frame(self._stores.requests.recent()))
        return {
            **self.request_totals(),
            "window": {k: window[k] for k in ("requests", "latency_ms", "ttft_ms", "outcomes", "cache_hit_ratio")},
        }
