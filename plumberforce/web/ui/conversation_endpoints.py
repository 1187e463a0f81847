"""Named Gradio endpoints for conversations (gradio_client and the Render proxy):

- ``/conversations`` (client_id, action="list", conversation_id="", title="") -> {"current",
  "conversations": [...]}: ``list``; ``new`` (a new current conversation); ``select``
  (make ``conversation_id`` current); ``rename`` (to ``title``); ``delete``. Every action
  answers the client's conversations after it.
- ``/export`` (client_id, conversation_id="", format="markdown") -> {"filename", "content",
  "media_type"}: the conversation (default: the current one) as Markdown or JSON.
- ``/regenerate`` (client_id, conversation_id="") -> streams (answer_so_far, meta) like ``/chat``:
  a fresh last answer that replaces the old one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from plumberforce.chat.events import Delta
from plumberforce.errors import InputError
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import stream_interval
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.pacing import coalesce

ACTIONS = ("list", "new", "select", "rename", "delete")
MEDIA = {"markdown": "text/markdown", "json": "application/json"}


def build_conversation_endpoints(runtime: Runtime) -> None:
    """Register /conversations, /export and /regenerate in the current Blocks."""

    @gradio_errors
    async def conversations(
        client_id: str, action: str = "list", conversation_id: str = "", title: str = ""
    ) -> dict[str, Any]:
        """A client's conversations after ``action`` (list, new, select, rename, delete)."""
        service = runtime.conversations
        if action not in ACTIONS:
            raise InputError(
                f"action must be one of {', '.join(ACTIONS)}.", f"action deve essere {', '.join(ACTIONS)}."
            )
        if action == "new":
            await service.create(client_id)
        elif action == "select":
            await service.update(client_id, conversation_id, current=True)
        elif action == "rename":
            await service.update(client_id, conversation_id, title=title)
        elif action == "delete":
            await service.delete(client_id, conversation_id)
        return (await service.overview(client_id)).public()

    @gradio_errors
    async def export(client_id: str, conversation_id: str = "", format: str = "markdown") -> dict[str, str]:
        """A conversation as a file: {filename, content, media_type}."""
        filename, content = await runtime.conversations.export(client_id, conversation_id or None, format)
        return {"filename": filename, "content": content, "media_type": MEDIA[format]}

    gr.api(conversations, api_name="conversations", queue=False)
    gr.api(export, api_name="export", queue=False)

    with gr.Column(visible=False):
        client = gr.Textbox(label="client_id")
        conversation = gr.Textbox(label="conversation_id")
        answer = gr.Markdown(label="answer")
        meta = gr.JSON(label="meta")
        trigger = gr.Button(visible=False)

    @gradio_errors
    async def regenerate(
        client_id: str, conversation_id: str, request: gr.Request
    ) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """A fresh last answer, streaming (answer_so_far, meta) like /chat."""
        host = request.client.host if request and request.client else None
        ip = runtime.limited_ip(request.headers if request else {}, host)
        events = runtime.service.regenerate(client_id, conversation_id or None, ip)
        text = ""
        async for event in coalesce(events, stream_interval(runtime)):
            if isinstance(event, Delta):
                text += event.text
                yield text, {"done": False}
            else:
                yield event.text, event.meta.public()

    trigger.click(
        regenerate,
        [client, conversation],
        [answer, meta],
        api_name="regenerate",
        concurrency_id="chat",
        preprocess=False,
        postprocess=False,
    )
