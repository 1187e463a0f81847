"""The end of every turn: store it in the conversation, record the request, build the Done event.

The turn (question and answer together) is appended in one store call before the Done event
exists, so whatever a person saw finished is stored. The request record goes to this replica's
request log and to the metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from plumberforce.chat.events import AnswerMeta, Done
from plumberforce.stores.contracts import ConversationStore, RequestLog
from plumberforce.stores.records import Message, RequestRecord


class TurnRecorder:
    """Conversation + request log + metrics, for one finished (or cut short) turn."""

    def __init__(
        self,
        conversations: ConversationStore,
        requests: RequestLog | None = None,
        observe: Callable[[RequestRecord], None] | None = None,
    ):
        self.conversations = conversations
        self.requests = requests
        self.observe = observe

    async def record(
        self,
        meta: AnswerMeta,
        question: Message,
        answer: str,
        started: float,
        *,
        outcome: str = "ok",
        replace_last: int = 0,
    ) -> Done:
        """Store the turn (in ``meta.conversation_id``, default the current one; replacing the
        last ``replace_last`` messages), record the request; the Done event to emit."""
        meta.done = True
        meta.latency_ms = (time.perf_counter() - started) * 1000
        reply = Message("assistant", answer, message_id=meta.message_id, meta=meta.stored())
        meta.conversation_id = await self.conversations.append(
            meta.client_id, [question, reply], meta.conversation_id, replace_last
        )
        record = RequestRecord(
            ts=time.time(),
            client_id=meta.client_id,
            engine=meta.engine,
            model=meta.model,
            cached=meta.cached,
            latency_ms=meta.latency_ms,
            ttft_ms=meta.ttft_ms,
            question_chars=len(question.content),
            answer_chars=len(answer),
            outcome="incomplete" if meta.incomplete and outcome == "ok" else outcome,
            lang=meta.lang,
        )
        if self.requests is not None:
            await self.requests.add(record)
        if self.observe is not None:
            self.observe(record)
        return Done(meta, answer)
