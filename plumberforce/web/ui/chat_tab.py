"""The Chat tab: streaming chatbot, examples, stop, new conversation, sources and badges.

The conversation shown is rebuilt from the server's store (the client id lives in the
browser's localStorage through ``gr.BrowserState``), so a reload shows the same conversation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import gradio as gr

from plumberforce.chat.events import Delta
from plumberforce.chat.validation import new_client_id, validate_client_id
from plumberforce.errors import PlumberforceError
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.formatting import badges, chat_messages
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.pacing import coalesce, update_interval
from plumberforce.web.ui.texts import EXAMPLES, Translator, text


@dataclass
class ChatTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    meta: gr.Markdown
    client_id: gr.BrowserState
    message_ids: gr.State


def stream_interval(runtime: Runtime):
    """The current interval between two updates of one stream (see pacing.py)."""
    s = runtime.settings
    service = runtime.service
    return lambda: update_interval(service.active, s.stream_interval_ms / 1000, s.stream_updates_per_second)


def build_chat_tab(runtime: Runtime, demo: gr.Blocks, tr: Translator, lang: gr.BrowserState) -> ChatTab:
    """Lay out the Chat tab (inside a ``gr.Tab``) and wire its events."""
    client_id = gr.BrowserState(None, storage_key="plumberforce.client_id")
    message_ids = gr.State([])
    chatbot = tr(
        gr.Chatbot(
            label=text("chatbot"),
            height=540,
            buttons=["copy", "copy_all"],
            placeholder=text("empty_chat"),
            elem_id="pf-chatbot",
        ),
        label="chatbot",
        placeholder="empty_chat",
    )
    meta = gr.Markdown(elem_id="pf-meta")
    with gr.Row(equal_height=True):
        question = tr(
            gr.Textbox(
                show_label=False,
                placeholder=text("placeholder"),
                lines=2,
                max_lines=10,
                scale=8,
                elem_id="pf-question",
            ),
            placeholder="placeholder",
        )
        with gr.Column(scale=1, min_width=120):
            send = tr(gr.Button(text("send"), variant="primary", elem_id="pf-send"), value="send")
            stop = tr(gr.Button(text("stop"), variant="stop", elem_id="pf-stop"), value="stop")
    new = tr(gr.Button(text("new_conversation"), size="sm", elem_id="pf-new"), value="new_conversation")
    gr.Examples(EXAMPLES, inputs=[question], label=text("examples"))

    async def restore(cid: str | None):
        try:
            cid = validate_client_id(cid)
        except PlumberforceError:
            cid = new_client_id()
        try:
            history = await runtime.service.history(cid)
        except PlumberforceError:  # not ready yet: an empty conversation
            history = []
        return cid, chat_messages(history), [m.message_id for m in history]

    @gradio_errors
    async def respond(text: str, cid: str | None, ids: list, request: gr.Request) -> AsyncIterator[tuple]:
        service = runtime.service
        host = request.client.host if request and request.client else None
        ip = runtime.limited_ip(request.headers if request else {}, host)
        question_text, cid = await service.prepare(text, cid, ip)
        history = await service.history(cid)
        shown = chat_messages(history) + [
            {"role": "user", "content": question_text},
            {"role": "assistant", "content": ""},
        ]
        yield shown, "", "…", cid, ids
        answer = ""
        async for event in coalesce(service.answer(question_text, cid), stream_interval(runtime)):
            if isinstance(event, Delta):
                answer += event.text
                shown[-1] = {"role": "assistant", "content": answer}
                yield shown, "", "…", cid, ids
            else:
                shown[-1] = {"role": "assistant", "content": event.text}
                ids = [m.message_id for m in history] + ["", event.meta.message_id]
                yield shown, "", badges(event.meta.public()), cid, ids

    @gradio_errors
    async def like(cid: str | None, ids: list, choice: str, data: gr.LikeData):
        index = data.index if isinstance(data.index, int) else data.index[0]
        message_id = ids[index] if 0 <= index < len(ids) else ""
        if data.liked not in (True, False) or not message_id:
            return
        await runtime.ratings.submit(cid, message_id, thumb="up" if data.liked else "down")
        runtime.metrics.observe_feedback(None, "up" if data.liked else "down")
        gr.Info(text("like_thanks", choice))

    @gradio_errors
    async def reset(cid: str | None):
        if cid:
            await runtime.service.reset(cid)
        return [], "", [], ""

    outputs = [chatbot, question, meta, client_id, message_ids]
    private = dict(api_visibility="private")
    submitted = question.submit(
        respond,
        [question, client_id, message_ids],
        outputs,
        api_name="ui_submit",
        concurrency_id="chat",
        **private,
    )
    clicked = send.click(
        respond,
        [question, client_id, message_ids],
        outputs,
        api_name="ui_send",
        concurrency_id="chat",
        **private,
    )
    stop.click(None, None, None, cancels=[submitted, clicked], api_name="ui_stop", **private)
    chatbot.like(like, [client_id, message_ids, lang], None, api_name="ui_like", **private)
    new.click(reset, [client_id], [chatbot, meta, message_ids, question], api_name="ui_new", **private)
    demo.load(restore, [client_id], [client_id, chatbot, message_ids], api_name="ui_restore", **private)
    return ChatTab(chatbot, question, meta, client_id, message_ids)
