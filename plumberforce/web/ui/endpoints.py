"""The named Gradio endpoints of the public API (for gradio_client and the Render proxy).

- ``/chat`` (message, client_id) -> streams (answer_so_far, meta)
- ``/history`` (client_id) -> list of {role, content, message_id, ts} (the current conversation;
  keeps its one-input signature: callers such as the Render proxy send exactly one value)
- ``/reset`` (client_id) -> {"ok": true}
- ``/status`` () -> the same dict as GET /api/status
- ``/feedback`` (client_id, message_id, rating, comment) -> {"ok": true, "record": {...}}

``/chat`` uses hidden components so that it has exactly two outputs (a Markdown answer and a
JSON meta); the others are plain ``gr.api`` functions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import Any

import gradio as gr

from plumberforce.chat.events import Delta
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import stream_interval
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.pacing import coalesce


def chat_updates(
    runtime: Runtime, message: str, client_id: str, headers: Mapping[str, str], host: str | None
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """The updates of ``/chat`` (answer_so_far, meta) for a request from ``host`` with ``headers``:
    what Gradio's queue and the fast path (:mod:`plumberforce.web.ui.chat_fast_path`) both send.
    Raises :class:`~plumberforce.errors.PlumberforceError` (each door turns it into ``gr.Error``)."""
    ip = runtime.limited_ip(headers, host)
    return _updates(coalesce(runtime.service.chat(message, client_id, ip), stream_interval(runtime)))


async def _updates(events: AsyncIterator[Any]) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    text = ""
    async with aclosing(events):  # type: ignore[type-var]
        async for event in events:
            if isinstance(event, Delta):
                text += event.text
                yield text, {"done": False}
            else:
                yield event.text, event.meta.public()


def build_endpoints(runtime: Runtime) -> None:
    """Register the named endpoints in the current Blocks."""
    with gr.Column(visible=False):
        message = gr.Textbox(label="message")
        client_id = gr.Textbox(label="client_id")
        answer = gr.Markdown(label="answer")
        meta = gr.JSON(label="meta")
        trigger = gr.Button(visible=False)

    @gradio_errors
    async def chat(message: str, client_id: str, request: gr.Request) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Answer a question, streaming (answer_so_far, meta); meta["done"] is true at the end."""
        host = request.client.host if request and request.client else None
        async for update in chat_updates(runtime, message, client_id, request.headers if request else {}, host):
            yield update

    # preprocess/postprocess=False: inputs and outputs are already plain strings and a JSON-able
    # dict, and each processing step would cost Gradio a worker-thread hop per value per update.
    trigger.click(
        chat,
        [message, client_id],
        [answer, meta],
        api_name="chat",
        concurrency_id="chat",
        preprocess=False,
        postprocess=False,
    )

    @gradio_errors
    async def history(client_id: str) -> list[dict[str, Any]]:
        """The messages of the current conversation: list of {role, content, message_id, ts}."""
        return [m.public() for m in await runtime.service.history(client_id)]

    @gradio_errors
    async def reset(client_id: str) -> dict[str, Any]:
        """Forget a conversation."""
        return {"ok": True, "deleted": await runtime.service.reset(client_id)}

    async def status() -> dict[str, Any]:
        """Readiness and summary (as GET /api/status)."""
        return await runtime.status()

    @gradio_errors
    async def feedback(client_id: str, message_id: str, rating: int, comment: str = "") -> dict[str, Any]:
        """Rate an answer 1-5 (a newer rating replaces the older), with an optional comment."""
        record = await runtime.ratings.submit(client_id, message_id, rating=rating, comment=comment)
        runtime.metrics.observe_feedback(record.rating, None)
        return {"ok": True, "record": record.public()}

    gr.api(history, api_name="history", queue=False)
    gr.api(feedback, api_name="feedback", queue=False)
    gr.api(reset, api_name="reset", queue=False)
    gr.api(status, api_name="status", queue=False)
