"""The one chat path. REST, SSE, the Gradio chat tab and the named endpoints all call
:meth:`ChatService.chat` (or :meth:`ChatService.prepare` then :meth:`ChatService.answer`).

A turn, in order: validate and admit (:mod:`~plumberforce.chat.validation`,
:mod:`~plumberforce.chat.admission`); take the client's turn lock; load the conversation and its
history window; ask the knowledge base whether to redirect (off topic, abuse, injection) and
which passages ground the answer; look the answer up in the cache
(:class:`~plumberforce.chat.answer_policy.AnswerPolicy`); else stream the engine (a
:class:`~plumberforce.engines.fallback.FallbackEngine` when a model is configured); finally store
the turn and record the request (:class:`~plumberforce.chat.recorder.TurnRecorder`).

Rules kept here:
- bad input raises :class:`~plumberforce.errors.InputError` before anything is read or written;
- the turns of one client are serialised (the store's turn lock), so two concurrent questions
  neither interleave nor lose a turn;
- a turn is stored before its ``Done`` event is emitted: what a person saw finished is stored;
- an answer cut short (engine failure mid-stream, or the person stopped it) is stored marked
  ``incomplete`` and is never cached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from plumberforce import errors
from plumberforce.chat.admission import RateLimiter, check_capacity
from plumberforce.chat.answer_policy import AnswerPolicy
from plumberforce.chat.events import AnswerMeta, ChatEvent, Delta
from plumberforce.chat.prompts import Turn, build_messages, choose_passages, cited_sources, history_window
from plumberforce.chat.recorder import TurnRecorder
from plumberforce.chat.validation import validate_client_id, validate_conversation_id, validate_question
from plumberforce.engines.base import Engine, EngineRequest
from plumberforce.knowledge import KnowledgeBase, Verdict, redirect_message
from plumberforce.knowledge.language import detect_language
from plumberforce.stores.contracts import ConversationStore
from plumberforce.stores.records import Message, new_message_id

GUARD_MODEL = "plumberforce-guard"
INTERRUPTED = {
    "en": "The answer was interrupted: {reason}",
    "it": "La risposta è stata interrotta: {reason}",
}


@dataclass(frozen=True)
class ChatLimits:
    """The sizes a turn works within (from the settings)."""

    max_question_chars: int = 4000
    history_budget_chars: int = 6000
    grounding_passages: int = 3  # articles whose passages may ground the model
    grounding_chars: int = 4000  # character budget of those passages in the prompt
    max_active: int = 1_000_000  # chats running or waiting beyond which new ones are refused (busy)


class ChatService:
    """The chat path over one engine, the knowledge base and the stores."""

    def __init__(
        self,
        *,
        engine: Engine,
        kb: KnowledgeBase,
        conversations: ConversationStore,
        answers: AnswerPolicy,
        recorder: TurnRecorder,
        limiter: RateLimiter | None = None,
        limits: ChatLimits = ChatLimits(),
    ):
        self.engine = engine
        self.kb = kb
        self.conversations = conversations
        self.answers = answers
        self.recorder = recorder
        self.limiter = limiter
        self.limits = limits
        self.active = 0  # chats admitted and not finished (running or waiting for their turn lock)

    async def prepare(
        self, question: object, client_id: object, ip: str | None = None, conversation_id: object = None
    ) -> tuple[str, str, str | None]:
        """Validate, then admit (busy, rate limits): the (question, client_id, conversation_id)
        to :meth:`answer`. A missing client id gets a new one; a missing conversation id means
        the current conversation. Errors carry the question's language.
        """
        try:
            text = validate_question(question, self.limits.max_question_chars)
            cid = validate_client_id(client_id, allow_empty=True)
            conv = validate_conversation_id(conversation_id)
            await self._admit(cid, ip)
        except errors.PlumberforceError as exc:
            exc.lang = detect_language(question) if isinstance(question, str) else None
            raise
        return text, cid, conv

    async def _admit(self, client_id: str, ip: str | None) -> None:
        check_capacity(self.active, self.limits.max_active)
        if self.limiter is not None:
            await self.limiter.check(client_id, ip)

    async def chat(
        self, question: object, client_id: object, ip: str | None = None, conversation_id: object = None
    ) -> AsyncIterator[ChatEvent]:
        """Answer ``question`` for ``client_id``: Delta events, then one Done event."""
        text, cid, conv = await self.prepare(question, client_id, ip, conversation_id)
        async with aclosing(self.answer(text, cid, conv)) as events:
            async for event in events:
                yield event

    async def answer(
        self, question: str, client_id: str, conversation_id: str | None = None
    ) -> AsyncIterator[ChatEvent]:
        """The turn for an already :meth:`prepare`-d question, serialised per client. Errors
        (a store that cannot be reached, an unknown conversation) carry the question's language."""
        self.active += 1
        try:
            async with self.conversations.lock(client_id):
                # asking in a conversation makes it current; the conversation is fixed when the turn
                # starts, so switching meanwhile (from another door) does not move this answer
                conversation_id, history = await self.conversations.turn_history(client_id, conversation_id)
                async with aclosing(self._turn(question, client_id, conversation_id, history)) as events:
                    async for event in events:
                        yield event
        except errors.PlumberforceError as exc:
            exc.lang = exc.lang or detect_language(question)
            raise
        finally:
            self.active -= 1

    async def regenerate(
        self, client_id: object, conversation_id: object = None, ip: str | None = None
    ) -> AsyncIterator[ChatEvent]:
        """A fresh answer to the last question of a conversation (default: the current one),
        replacing the last answer: never served from the cache, and the cached entry evicted."""
        cid = validate_client_id(client_id)
        conv = validate_conversation_id(conversation_id)
        await self._admit(cid, ip)
        self.active += 1
        try:
            async with self.conversations.lock(cid):
                conv = conv or (await self.conversations.overview(cid)).current
                history = await self.conversations.get(cid, conv)
                if len(history) < 2 or (history[-2].role, history[-1].role) != ("user", "assistant"):
                    raise errors.NotFound(
                        "There is no answer to regenerate in this conversation.",
                        "In questa conversazione non c'è una risposta da rigenerare.",
                    )
                old = history[-1].meta.get("_cache_key")
                if old:
                    await self.answers.forget(old)
                turn = self._turn(history[-2].content, cid, conv, history[:-2], regenerate=True)
                async with aclosing(turn) as events:
                    async for event in events:
                        yield event
        finally:
            self.active -= 1

    async def _turn(
        self,
        question: str,
        client_id: str,
        conversation_id: str | None,
        history: list[Message],
        regenerate: bool = False,
    ) -> AsyncIterator[ChatEvent]:
        started = time.perf_counter()
        lang = detect_language(question)
        window = history_window(
            [Turn(m.role, m.content) for m in history if not m.meta.get("incomplete")],
            self.limits.history_budget_chars,
        )
        # retrieval costs 1-3 ms of CPU (hybrid ranking, passages): off the event loop, so it never
        # delays the chunks of the answers already streaming
        verdict = await asyncio.to_thread(self.kb.analyse, question, max(self.limits.grounding_passages, 3))
        hits = verdict.hits
        meta = AnswerMeta(
            message_id=new_message_id(),
            client_id=client_id,
            engine=self.engine.kind,
            model=self.engine.model,
            conversation_id=conversation_id,
            lang=lang,
            topic=hits[0].article.topic if hits else None,
            article=hits[0].article.id if hits else None,
            regenerated=regenerate,
        )
        asked = Message("user", question)
        replace = 2 if regenerate else 0
        if verdict.redirect:  # off topic, abuse or an injection attempt: a short polite redirect
            meta.engine, meta.model, meta.topic, meta.article = "guard", GUARD_MODEL, None, None
            text = redirect_message(verdict.kind, lang)
            meta.ttft_ms = (time.perf_counter() - started) * 1000
            yield Delta(text)
            yield await self.recorder.record(
                meta, asked, text, started, outcome=f"redirect_{verdict.kind}", replace_last=replace
            )
            return
        key = meta.cache_key = self.answers.key(question, [(t.role, t.content) for t in window])
        if regenerate:
            await self.answers.forget(key)
        cached = None if regenerate else await self.answers.lookup(key)
        if cached is not None:
            meta.cached, meta.engine, meta.model, meta.sources = True, cached.engine, cached.model, cached.sources
            meta.topic = cached.topic
            meta.ttft_ms = (time.perf_counter() - started) * 1000
            yield Delta(cached.text)
            yield await self.recorder.record(meta, asked, cached.text, started)
            return
        request = self._request(question, lang, verdict, window)
        async with aclosing(self._generate(request, meta, asked, key, started, replace)) as events:
            async for event in events:
                yield event

    def _request(self, question: str, lang: str, verdict: Verdict, window: list[Turn]) -> EngineRequest:
        articles = {h.article.id for h in verdict.hits[: self.limits.grounding_passages]}
        cited = choose_passages([p for p in verdict.passages if p.article.id in articles], self.limits.grounding_chars)
        corrections = verdict.corrections
        labels = [f.label_for("en") for f in corrections]
        messages = build_messages(question, lang, cited, window, labels, self.limits.grounding_chars, verdict.outside)
        preface = verdict.preface(lang)
        return EngineRequest(
            messages,
            question,
            lang,
            verdict.hits,
            preface=preface,
            grounding=self.limits.grounding_passages,
            passages=verdict.passages,
            cited=cited_sources(cited),
        )

    async def _generate(
        self, request: EngineRequest, meta: AnswerMeta, asked: Message, key: str, started: float, replace: int
    ) -> AsyncIterator[ChatEvent]:
        """Stream the engine; store the turn however it ends (finished, failed, or stopped)."""
        parts: list[str] = []
        note = ""
        outcome = "ok"
        stored = False
        try:
            try:
                async with aclosing(self.engine.stream(request)) as chunks:  # type: ignore[type-var]
                    async for chunk in chunks:
                        if not parts:
                            meta.ttft_ms = (time.perf_counter() - started) * 1000
                            self._describe(meta, request)
                        parts.append(chunk)
                        yield Delta(chunk)
            except errors.EngineError as exc:
                outcome = exc.code
                meta.incomplete = True
                meta.error = {"code": exc.code, "message": exc.message(meta.lang)}
                note = "\n\n> ⚠️ " + INTERRUPTED[meta.lang].format(reason=exc.message(meta.lang)) + "\n"
            self._describe(meta, request)
            answer = "".join(parts) + note
            await self.answers.remember(key, answer, meta)
            done = await self.recorder.record(meta, asked, answer, started, outcome=outcome, replace_last=replace)
            stored = True
            if note:
                yield Delta(note)
            yield done
        finally:
            if not stored:  # the person stopped it, or something broke: keep what was produced
                meta.incomplete = True
                meta.error = {"code": "stopped", "message": "stopped"}
                self._describe(meta, request)
                stopped = self.recorder.record(
                    meta, asked, "".join(parts), started, outcome="stopped", replace_last=replace
                )
                await asyncio.shield(stopped)

    @staticmethod
    def _describe(meta: AnswerMeta, request: EngineRequest) -> None:
        """Copy who answered (filled in by the engine) into the meta."""
        answered = request.answered
        if answered.engine:
            meta.engine, meta.model = answered.engine, answered.model
            meta.sources = [{"title": s.title, "url": s.url} for s in answered.sources]
        meta.fallback_reason = answered.fallback_reason

    async def history(self, client_id: object, conversation_id: object = None) -> list[Message]:
        return await self.conversations.get(validate_client_id(client_id), validate_conversation_id(conversation_id))

    async def reset(self, client_id: object, conversation_id: object = None) -> bool:
        """Forget a conversation (default: the current one)."""
        cid = validate_client_id(client_id)
        return await self.conversations.delete(cid, validate_conversation_id(conversation_id))
