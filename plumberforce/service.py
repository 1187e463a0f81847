"""The one chat path. REST, SSE, the Gradio chat tab and the named endpoints all call
:meth:`ChatService.chat`, which validates, loads the conversation, looks up the cache,
retrieves grounding passages, streams the engine, and on completion stores the turn, caches
the answer and records the request.

Rules kept here:
- bad input raises :class:`~plumberforce.errors.InputError` before anything is read or written;
- the turns of one client are serialised (a second question waits for the first answer), so
  two concurrent questions neither interleave nor lose a turn;
- a turn is stored before its ``Done`` event is emitted: what a person saw finished is on disk;
- when the remote engine fails before its first chunk (after its own retries) the offline
  engine answers instead, and the answer says why;
- an answer cut short (engine failure mid-stream, or the person stopped it) is stored marked
  ``incomplete`` and is never cached.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from plumberforce import errors
from plumberforce.engines.base import Engine, EngineRequest
from plumberforce.engines.offline import answer_sources
from plumberforce.knowledge import Fact, Hit, KnowledgeBase, correction_message, redirect_message
from plumberforce.lang import detect_language
from plumberforce.prompts import PROMPT_VERSION, Turn, build_messages, history_window
from plumberforce.ratelimit import RateLimiter
from plumberforce.stores.answers import AnswerCache, CachedAnswer, cache_key
from plumberforce.stores.conversations import ConversationStore, Message, new_message_id
from plumberforce.stores.requests import RequestRecord
from plumberforce.validation import validate_client_id, validate_question

log = logging.getLogger(__name__)

GUARD_MODEL = "plumberforce-guard"
FALLBACK_NOTICE = {
    "en": "The language model is unavailable ({reason}), so the offline knowledge base answers.",
    "it": "Il modello linguistico non è disponibile ({reason}), quindi risponde la knowledge base offline.",
}
INTERRUPTED = {
    "en": "The answer was interrupted: {reason}",
    "it": "La risposta è stata interrotta: {reason}",
}


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


async def coalesce(events: AsyncIterator[ChatEvent], interval: Callable[[], float]) -> AsyncIterator[ChatEvent]:
    """Merge Deltas so that at most one leaves every ``interval()`` seconds.

    The first Delta leaves at once (time to first chunk is untouched); later text is held until
    ``interval()`` has passed since the previous send, and flushed before the Done event. Each
    message costs the Gradio queue a diff, a postprocess and a send for every open stream, so
    fewer, larger messages let one process serve many more concurrent chats.
    """
    pending: list[str] = []
    last_sent = float("-inf")
    async for event in events:
        if isinstance(event, Delta):
            pending.append(event.text)
            now = time.monotonic()
            if now - last_sent >= interval():
                yield Delta("".join(pending))
                pending.clear()
                last_sent = now
        else:
            if pending:
                yield Delta("".join(pending))
                pending.clear()
            yield event


class ChatService:
    """The chat path over one engine, the offline fallback, the knowledge base and the stores."""

    def __init__(
        self,
        *,
        engine: Engine,
        offline: Engine,
        kb: KnowledgeBase,
        conversations: ConversationStore,
        cache: AnswerCache,
        history_budget_chars: int,
        max_question_chars: int,
        grounding_passages: int = 3,
        recorder: Callable[[RequestRecord], None] | None = None,
        limiter: RateLimiter | None = None,
        max_active: int = 1_000_000,
    ):
        self.engine = engine
        self.offline = offline
        self.kb = kb
        self.conversations = conversations
        self.cache = cache
        self.history_budget_chars = history_budget_chars
        self.max_question_chars = max_question_chars
        self.grounding_passages = grounding_passages
        self.recorder = recorder
        self.limiter = limiter
        self.max_active = max_active
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.active = 0

    def _lock(self, client_id: str) -> asyncio.Lock:
        lock = self._locks.get(client_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[client_id] = lock
        return lock

    def update_interval(self, base: float, updates_per_second: float) -> float:
        """Seconds between two updates of one stream: ``base``, longer when many chats stream,
        so that all streams together send about ``updates_per_second`` updates."""
        if updates_per_second <= 0:
            return base
        return max(base, self.active / updates_per_second)

    def prepare(self, question: object, client_id: object, ip: str | None = None) -> tuple[str, str]:
        """Validate, then admit (rate limits, busy): the (question, client_id) to :meth:`answer`.

        A missing client id gets a new one. Errors carry the question's language.
        """
        try:
            text = validate_question(question, self.max_question_chars)
            cid = validate_client_id(client_id, allow_empty=True)
            if self.active >= self.max_active:
                raise errors.Busy(
                    "Plumberforce is busy right now: please try again in a moment.",
                    "Plumberforce è occupato in questo momento: riprova tra poco.",
                    retry_after=5,
                )
            if self.limiter is not None:
                self.limiter.check(cid, ip)
        except errors.PlumberforceError as exc:
            exc.lang = detect_language(question) if isinstance(question, str) else None
            raise
        return text, cid

    async def chat(self, question: object, client_id: object, ip: str | None = None) -> AsyncIterator[ChatEvent]:
        """Answer ``question`` for ``client_id``: Delta events, then one Done event."""
        text, cid = self.prepare(question, client_id, ip)
        async for event in self.answer(text, cid):
            yield event

    async def answer(self, question: str, client_id: str) -> AsyncIterator[ChatEvent]:
        """The turn for an already :meth:`prepare`-d question, serialised per client."""
        lock = self._lock(client_id)
        self.active += 1
        try:
            async with lock:
                async for event in self._turn(question, client_id):
                    yield event
        finally:
            self.active -= 1

    async def _turn(self, question: str, client_id: str) -> AsyncIterator[ChatEvent]:
        started = time.perf_counter()
        lang = detect_language(question)
        history = self.conversations.get(client_id)
        window = history_window(
            [Turn(m.role, m.content) for m in history if not m.meta.get("incomplete")],
            self.history_budget_chars,
        )
        verdict = self.kb.analyse(question, k=max(self.grounding_passages, 3))
        hits = verdict.hits
        key = cache_key(
            self.engine.identity(),
            PROMPT_VERSION,
            self.kb.version,
            question,
            [(t.role, t.content) for t in window],
        )
        meta = AnswerMeta(
            message_id=new_message_id(),
            client_id=client_id,
            engine=self.engine.kind,
            model=self.engine.model,
            lang=lang,
            topic=hits[0].article.topic if hits else None,
        )
        user_message = Message("user", question)
        if verdict.redirect:  # off topic, abuse or an injection attempt: a short polite redirect
            meta.engine, meta.model, meta.topic = "guard", GUARD_MODEL, None
            text = redirect_message(verdict.kind, lang)
            meta.ttft_ms = (time.perf_counter() - started) * 1000
            yield Delta(text)
            yield self._finish(meta, user_message, text, started, question, outcome=f"redirect_{verdict.kind}")
            return
        corrections = verdict.corrections
        cached = self.cache.get(key)
        if cached is not None:
            meta.cached, meta.engine, meta.model, meta.sources = True, cached.engine, cached.model, cached.sources
            meta.topic = cached.topic
            meta.ttft_ms = (time.perf_counter() - started) * 1000
            yield Delta(cached.text)
            yield self._finish(meta, user_message, cached.text, started, question)
            return

        parts: list[str] = []
        note = ""
        outcome = "ok"
        stored = False
        try:
            try:
                async for chunk in self._generate(question, lang, hits, window, meta, corrections):
                    if not parts:
                        meta.ttft_ms = (time.perf_counter() - started) * 1000
                    parts.append(chunk)
                    yield Delta(chunk)
            except errors.EngineError as exc:
                outcome = exc.code
                meta.incomplete = True
                meta.error = {"code": exc.code, "message": exc.message(lang)}
                note = "\n\n> ⚠️ " + INTERRUPTED[lang].format(reason=exc.message(lang)) + "\n"
            answer = "".join(parts) + note
            if not meta.incomplete and meta.fallback_reason is None:  # a fallback is never cached
                self.cache.put(key, CachedAnswer(answer, meta.engine, meta.model, meta.sources, meta.topic))
            done = self._finish(meta, user_message, answer, started, question, outcome=outcome)
            stored = True
            if note:
                yield Delta(note)
            yield done
        finally:
            if not stored:  # the person stopped it, or something broke: keep what was produced
                meta.incomplete = True
                meta.error = {"code": "stopped", "message": "stopped"}
                self._finish(meta, user_message, "".join(parts), started, question, outcome="stopped")

    async def _generate(
        self,
        question: str,
        lang: str,
        hits: list[Hit],
        window: list[Turn],
        meta: AnswerMeta,
        corrections: list[Fact],
    ) -> AsyncIterator[str]:
        """The engine's chunks; the offline engine instead when the remote fails up front."""
        grounding = hits[: self.grounding_passages]
        messages = build_messages(question, lang, grounding, window, [f.label_for("en") for f in corrections])
        preface = correction_message(corrections, lang) or None
        request = EngineRequest(messages, question, lang, hits, preface=preface)
        if self.engine.kind == "offline":
            meta.sources = [s.__dict__ for s in answer_sources(hits)]
            async for chunk in self.engine.stream(request):
                yield chunk
            return
        meta.sources = [h.article.links[0].__dict__ for h in grounding if h.article.links]
        produced = False
        try:
            async for chunk in self.engine.stream(request):
                produced = True
                yield chunk
        except errors.EngineError as exc:
            if produced:
                raise
            log.warning("remote engine failed (%s); answering offline", exc.code)
            meta.engine, meta.model = self.offline.kind, self.offline.model
            meta.fallback_reason = exc.message(lang)
            meta.sources = [s.__dict__ for s in answer_sources(hits)]
            notice = FALLBACK_NOTICE[lang].format(reason=exc.message(lang))
            fallback = EngineRequest(request.messages, question, lang, hits, notice=notice, preface=preface)
            async for chunk in self.offline.stream(fallback):
                yield chunk

    def _finish(
        self,
        meta: AnswerMeta,
        user_message: Message,
        answer: str,
        started: float,
        question: str,
        *,
        outcome: str = "ok",
    ) -> Done:
        """Store the turn, record the request, and build the Done event."""
        meta.done = True
        meta.latency_ms = (time.perf_counter() - started) * 1000
        stored = {
            k: v
            for k, v in meta.public().items()
            if k in ("engine", "model", "cached", "sources", "incomplete", "lang", "topic", "error", "fallback_reason")
            and v not in (None, False, [])
        }
        assistant = Message("assistant", answer, message_id=meta.message_id, meta=stored)
        self.conversations.append(meta.client_id, [user_message, assistant])
        if self.recorder is not None:
            self.recorder(
                RequestRecord(
                    ts=time.time(),
                    client_id=meta.client_id,
                    engine=meta.engine,
                    model=meta.model,
                    cached=meta.cached,
                    latency_ms=meta.latency_ms,
                    ttft_ms=meta.ttft_ms,
                    question_chars=len(question),
                    answer_chars=len(answer),
                    outcome="incomplete" if meta.incomplete and outcome == "ok" else outcome,
                    lang=meta.lang,
                )
            )
        return Done(meta, answer)

    def history(self, client_id: object) -> list[Message]:
        return self.conversations.get(validate_client_id(client_id))

    def reset(self, client_id: object) -> bool:
        return self.conversations.clear(validate_client_id(client_id))
