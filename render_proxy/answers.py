"""Answers streamed from the Space to the page: ``query`` (the Space's ``/chat``) and
``regenerate`` (``/regenerate``: a fresh last answer replacing the old one).

Each answer runs in its own task (the read loop stays free for cancel, ping and rating). While it
streams, the page gets ``delta`` messages with the text appended, and rendered HTML at most every
``render_interval_ms`` (:class:`StreamRenderer`), then ``done`` with the final HTML. Answers to a
page that went away are still read to the end (within the request timeout) so that the
conversation the Space stores, and the history the page re-syncs on reconnect, hold the whole
answer; ``cancel`` is the way to stop one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from render_proxy import protocol
from render_proxy.hub import PageSocket
from render_proxy.render import clean_sources, render_markdown, render_streaming
from render_proxy.space_limits import too_long
from render_proxy.upstream import UpstreamError

RENDER_LOAD_STEP = 25  # beyond this many answers in flight, streaming renders slow down in proportion


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b`` (slice comparisons run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class StreamRenderer:
    """Rendered HTML of an answer while it streams, at most once per interval, and never left
    behind the text for longer than one interval (a timer renders the tail of a pause).

    A render goes to the page as what changed since the previous one: ``html_keep`` (UTF-16 code
    units of the previous HTML kept, as JavaScript counts) and ``html_tail`` (what follows them);
    the first one as ``html``.
    Each render reaches the page right after the text it was made of: none starts while the
    previous one's message is being sent, and no delta is sent while the timer's render is.

    The interval grows with the answers in flight (``interval()``): rendering costs the proxy
    about 1-3 ms for an answer of a few KB, which must not crowd out streaming under load.
    """

    def __init__(self, page: PageSocket, qid: str, interval: Callable[[], float]):
        self.page, self.qid, self.interval = page, qid, interval
        self.text = ""
        self.rendered: str | None = None  # the text of the last render
        self.sent_html = ""
        self.last = 0.0
        self.timer: asyncio.TimerHandle | None = None
        self.flush: asyncio.Task[bool] | None = None

    def html(self, text: str) -> dict[str, Any]:
        """The rendered fields to add to this delta (empty: a timer renders it later)."""
        self.text = text
        interval = self.interval()
        if not interval:
            return {}
        wait = self.last + interval - time.monotonic()
        if wait <= 0 and not self._flushing():
            self.stop()
            return self._render()
        if self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(max(wait, 0.01), self._on_timer)
        return {}

    def _flushing(self) -> bool:
        return self.flush is not None and not self.flush.done()

    def _render(self) -> dict[str, Any]:
        self.last, self.rendered = time.monotonic(), self.text
        html, previous = render_streaming(self.text), self.sent_html
        self.sent_html = html
        if not previous:
            return {"html": html}
        keep = common_prefix(previous, html)
        kept_units = len(html[:keep].encode("utf-16-le")) // 2  # JavaScript counts UTF-16 units
        return {"html_keep": kept_units, "html_tail": html[keep:]}

    def _on_timer(self) -> None:
        self.timer = None
        if self.text == self.rendered or not self.interval():
            return
        if self._flushing():
            self.timer = asyncio.get_running_loop().call_later(self.interval() or 0.05, self._on_timer)
            return
        message = {"type": "delta", "id": self.qid, "text": "", **self._render()}
        self.flush = asyncio.get_running_loop().create_task(self.page.send(message))

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    async def settle(self) -> None:
        """Wait for a render the timer is sending: it goes before the next message, so each
        render reaches the page right after the text it was made of."""
        flush = self.flush
        if flush is not None and not flush.done():
            await asyncio.shield(flush)

    async def aclose(self) -> None:
        """No more renders; a render being sent is sent first (so it precedes done or error)."""
        self.stop()
        await self.settle()


class AnswerStreams(PageSocket):
    """The answers of one connection (a mixin of :class:`render_proxy.ws.Connection`)."""

    async def start_answer(self, message: protocol.Query | protocol.Regenerate) -> None:
        """Check the page's and the proxy's limits, then stream the answer in its own task."""
        qid = message.id
        if qid in self.queries:
            await self.send(protocol.error("invalid", "A question with this id is already running.", qid))
            return
        if len(self.queries) >= self.settings.max_inflight_per_connection:
            await self.send(
                protocol.error("busy", "Too many questions at once from this page; wait for an answer.", qid)
            )
            return
        if self.hub.chats >= self.settings.max_chats:
            await self.send(protocol.error("busy", "The service is busy; try again in a moment.", qid))
            return
        self.hub.chats += 1
        task = asyncio.get_running_loop().create_task(self.answer(message))
        self.queries[qid] = task
        task.add_done_callback(lambda done: self._answered(qid, done))
        await self.send({"type": "ack", "id": qid, "of": message.type})

    def _answered(self, qid: str, task: asyncio.Task[None]) -> None:
        """Bookkeeping that must happen however the answer ended (even cancelled before it started)."""
        self.hub.chats -= 1
        self.queries.pop(qid, None)
        if qid in self.cancelled and task.cancelled():  # stopped before it could say so itself
            self.spawn(self.send(protocol.error("cancelled", "Stopped.", qid)))
        self.cancelled.discard(qid)

    def render_interval(self) -> float:
        """Seconds between renders of a streaming answer (0: none, e.g. for a page gone away)."""
        if self.closed:
            return 0.0
        base = self.settings.render_interval_ms / 1000
        return base * max(1.0, self.hub.chats / RENDER_LOAD_STEP)

    async def answer(self, message: protocol.Query | protocol.Regenerate) -> None:
        """Stream one answer from the Space to the page."""
        qid, text = message.id, ""
        renderer = StreamRenderer(self, qid, self.render_interval)
        failure: dict[str, Any] | None = None
        try:
            async with asyncio.timeout(self.settings.request_timeout):
                if isinstance(message, protocol.Query):
                    limit = (await self.hub.limits.get()).max_question_chars
                    refusal = too_long(message.text, limit)
                    if refusal:
                        length = len(message.text.strip())
                        failure = protocol.error("too_long", refusal, qid, limit=limit, length=length)
                        return
                    call: tuple[Any, ...] = ("/chat", message.text, self.client_id)
                else:
                    call = ("/regenerate", self.client_id, message.conversation_id or "")
                async with self.changing:  # a switch of conversation in progress ends first
                    pass
                async for update in self.hub.upstream.events(*call, client_ip=self.ip, client_id=self.client_id):
                    answer = str(update.outputs[0] or "") if update.outputs else ""
                    meta = update.outputs[1] if len(update.outputs) > 1 and isinstance(update.outputs[1], dict) else {}
                    if update.final:
                        await renderer.aclose()
                        await self.finish(message, answer, meta)
                        return
                    if answer.startswith(text):
                        delta: dict[str, Any] = {"type": "delta", "id": qid, "text": answer[len(text) :]}
                    else:
                        delta = {"type": "delta", "id": qid, "text": answer, "replace": True}
                    text = answer
                    if delta["text"] or delta.get("replace"):
                        await renderer.settle()
                        await self.send(delta | renderer.html(answer))
        except TimeoutError:
            failure = protocol.error("timeout", f"No complete answer within {self.settings.request_timeout:g} s.", qid)
        except asyncio.CancelledError:
            if qid not in self.cancelled:
                renderer.stop()
                raise
            self.cancelled.discard(qid)  # the page asked; events() cancels the Space's job
            failure = protocol.error("cancelled", "Stopped.", qid)
        except UpstreamError as exc:
            failure = protocol.error(exc.code, exc.message, qid)
        finally:
            if failure is not None:
                await renderer.aclose()
                await self.send(failure)

    async def finish(self, message: protocol.Query | protocol.Regenerate, answer: str, meta: dict[str, Any]) -> None:
        html = render_markdown(answer)
        sources = clean_sources(meta.get("sources"))
        conversation_id = meta.get("conversation_id") if isinstance(meta.get("conversation_id"), str) else None
        done = {
            "type": "done",
            "id": message.id,
            "message_id": meta.get("message_id"),
            "conversation_id": conversation_id,
            "text": answer,
            "html": html,
            "sources": sources,
        }
        for key in ("cached", "engine", "model", "incomplete", "lang", "fallback_reason", "error", "regenerated"):
            done[key] = meta.get(key)
        now = time.time()
        reply = {
            "role": "assistant",
            "content": answer,
            "message_id": meta.get("message_id"),
            "ts": now,
            "html": html,
            "meta": {"sources": sources, "engine": meta.get("engine"), "cached": meta.get("cached")},
        }
        history = self.hub.history
        if isinstance(message, protocol.Query):
            question = {"role": "user", "content": message.text.strip(), "message_id": None, "ts": now}
            history.append(self.client_id, question, reply, conversation_id=conversation_id)
        else:
            history.replace_last(self.client_id, reply, conversation_id=conversation_id)
        await self.send(done)
