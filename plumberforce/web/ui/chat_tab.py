"""The Chat tab: streaming chatbot (with regenerate), examples, stop, badges, an inline notice
for refused questions, and a live character counter; the conversations live in the sidebar.

The conversation shown is rebuilt from the server's store (the client id lives in the
browser's localStorage through ``gr.BrowserState``), so a reload shows the same conversation.
Enter sends, Shift+Enter starts a new line (a one-line Textbox that grows to ten lines). A refused
question (empty, too long, rate-limited...) leaves the conversation and the typed text as they
were and shows why under the conversation, in the UI's language: no error overlay, no traceback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import gradio as gr

from plumberforce.chat.events import ChatEvent, Delta
from plumberforce.chat.validation import new_client_id, validate_client_id
from plumberforce.errors import PlumberforceError
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.conversations_panel import ConversationsPanel, panel_state, wire_panel
from plumberforce.web.ui.formatting import badges, chat_messages, notice
from plumberforce.web.ui.pacing import coalesce, update_interval
from plumberforce.web.ui.texts import Translator, examples, lang_of, text

COUNTER_JS = """() => {
  const limit = %d;
  const paint = () => {
    const area = document.querySelector('#pf-question textarea');
    const out = document.querySelector('#pf-counter');
    if (!area || !out) return;
    const n = area.value.length;
    out.textContent = n + ' / ' + limit;
    out.classList.toggle('pf-over', n > limit);
  };
  document.addEventListener('input', (e) => { if (e.target.closest && e.target.closest('#pf-question')) paint(); });
  setInterval(paint, 500);  // also after a send clears the box, or an example fills it
}"""


@dataclass
class ChatTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    meta: gr.Markdown
    notice: gr.Markdown
    client_id: gr.BrowserState
    message_ids: gr.State
    badge: gr.State
    runtime: Runtime
    panel: ConversationsPanel

    def rebadge(self, last: tuple | None, choice: str | None) -> str | dict:
        """The badges of the last answer in the UI's (new) language."""
        return badges(*last, choice) if last else gr.update()

    async def repanel(self, client_id: str | None, choice: str | None) -> tuple:
        """The conversations panel in the UI's (new) language (untitled names, download link)."""
        if not client_id:
            return gr.update(), gr.update(), gr.update()
        try:
            listing, title, link = await panel_state(self.runtime, client_id, choice)
        except PlumberforceError:
            return gr.update(), gr.update(), gr.update()
        if not link:  # no conversation yet: nothing to translate, and a state read before the
            # first question's conversation existed must not blank what its answer has just shown
            return gr.update(), gr.update(), gr.update()
        return listing, title, link


def stream_interval(runtime: Runtime):
    """The current interval between two updates of one stream (see pacing.py)."""
    s = runtime.settings
    service = runtime.service
    return lambda: update_interval(service.active, s.stream_interval_ms / 1000, s.stream_updates_per_second)


def build_chat_tab(
    runtime: Runtime, demo: gr.Blocks, tr: Translator, lang: gr.Radio, panel: ConversationsPanel
) -> ChatTab:
    """Lay out the Chat tab (inside a ``gr.Tab``) and wire it with the conversations ``panel``."""
    limit = runtime.settings.max_question_chars
    client_id = gr.BrowserState(None, storage_key="plumberforce.client_id")
    message_ids = gr.State([])
    chatbot = tr(
        gr.Chatbot(
            label=text("chatbot"),
            height=520,
            buttons=["copy", "copy_all"],
            placeholder=text("empty_chat"),
            elem_id="pf-chatbot",
        ),
        label="chatbot",
        placeholder="empty_chat",
    )
    meta = gr.Markdown(elem_id="pf-meta")
    badge = gr.State(None)  # (meta, answer) of the last answer: its badges follow the UI's language
    warning = gr.Markdown(visible=False, elem_id="pf-notice")
    with gr.Row(equal_height=True):
        question = tr(
            gr.Textbox(
                show_label=False,
                placeholder=text("placeholder"),
                lines=1,
                max_lines=10,
                scale=8,
                elem_id="pf-question",
            ),
            placeholder="placeholder",
        )
        with gr.Column(scale=1, min_width=120):
            send = tr(gr.Button(text("send"), variant="primary", elem_id="pf-send"), value="send")
            stop = tr(gr.Button(text("stop"), variant="stop", elem_id="pf-stop"), value="stop")
    gr.HTML(f'<div id="pf-counter" aria-live="polite">0 / {limit}</div>', elem_id="pf-counter-box")
    shown_examples = gr.Examples([[q] for q in examples("en")], inputs=[question], label=text("examples"))
    tr(shown_examples.dataset, label="examples", samples=lambda choice: [[q] for q in examples(choice)])
    tab = ChatTab(chatbot, question, meta, warning, client_id, message_ids, badge, runtime, panel)

    async def restore(cid: str | None, choice: str | None):
        try:
            cid = validate_client_id(cid)
        except PlumberforceError:
            cid = new_client_id()
        try:
            history = await runtime.service.history(cid)
            listing, title, link = await panel_state(runtime, cid, choice)
        except PlumberforceError:  # not ready yet: an empty conversation
            history, listing, title, link = [], gr.update(), gr.update(), ""
        return cid, chat_messages(history), [m.message_id for m in history], listing, title, link

    async def stream(
        events: AsyncIterator[ChatEvent], shown: list[dict[str, str]], ids: list, cid: str, choice: str | None
    ) -> AsyncIterator[dict]:
        answer = ""
        async for event in coalesce(events, stream_interval(runtime)):
            if isinstance(event, Delta):
                answer += event.text
                shown[-1] = {"role": "assistant", "content": answer}
                yield {chatbot: shown}
            else:
                shown[-1] = {"role": "assistant", "content": event.text}
                ids = ids[: len(shown) - 2] + ["", event.meta.message_id]
                listing, title, link = await panel_state(runtime, cid, choice)
                last = (event.meta.public(), event.text)
                yield {
                    chatbot: shown,
                    meta: badges(*last, choice),
                    badge: last,
                    client_id: cid,
                    message_ids: ids,
                    panel.listing: listing,
                    panel.title: title,
                    panel.download: link,
                    # hidden again with the answer, not only with the question: on a loaded machine a
                    # notice was once seen still showing after the next answer (cause not pinned down)
                    warning: gr.update(visible=False),
                }

    def refused(exc: PlumberforceError, choice: str | None) -> dict:
        return {warning: gr.update(value=notice(exc.message(lang_of(choice))), visible=True)}

    async def respond(asked: str, cid: str | None, ids: list, choice: str | None, request: gr.Request):
        service = runtime.service
        host = request.client.host if request and request.client else None
        ip = runtime.limited_ip(request.headers if request else {}, host)
        try:
            question_text, cid, _ = await service.prepare(asked, cid, ip)
            history = await service.history(cid)
        except PlumberforceError as exc:
            yield refused(exc, choice)
            return
        shown = chat_messages(history) + [
            {"role": "user", "content": question_text},
            {"role": "assistant", "content": ""},
        ]
        ids = [m.message_id for m in history]
        yield {chatbot: shown, question: "", meta: "…", client_id: cid, warning: gr.update(visible=False)}
        async for update in stream(service.answer(question_text, cid), shown, ids, cid, choice):
            yield update

    async def regenerate(cid: str | None, ids: list, choice: str | None, request: gr.Request):
        host = request.client.host if request and request.client else None
        ip = runtime.limited_ip(request.headers if request else {}, host)
        try:
            history = await runtime.service.history(cid)
            events = runtime.service.regenerate(cid, None, ip)
            first = await anext(events)
        except PlumberforceError as exc:
            yield refused(exc, choice)
            return
        shown = chat_messages(history[:-1]) + [{"role": "assistant", "content": ""}]
        ids = [m.message_id for m in history[:-1]]
        yield {chatbot: shown, meta: "…", warning: gr.update(visible=False)}

        async def rest() -> AsyncIterator[ChatEvent]:
            yield first
            async for event in events:
                yield event

        async for update in stream(rest(), shown, ids, str(cid), choice):
            yield update

    async def like(cid: str | None, ids: list, choice: str | None, data: gr.LikeData):
        index = data.index if isinstance(data.index, int) else data.index[0]
        message_id = ids[index] if 0 <= index < len(ids) else ""
        if data.liked not in (True, False) or not message_id:
            return gr.update()
        try:
            await runtime.ratings.submit(cid, message_id, thumb="up" if data.liked else "down")
        except PlumberforceError as exc:
            return gr.update(value=notice(exc.message(lang_of(choice))), visible=True)
        runtime.metrics.observe_feedback(None, "up" if data.liked else "down")
        gr.Info(text("like_thanks", choice))
        return gr.update(visible=False)

    outputs = [
        chatbot,
        question,
        meta,
        badge,
        client_id,
        message_ids,
        warning,
        panel.listing,
        panel.title,
        panel.download,
    ]
    inputs = [question, client_id, message_ids, lang]
    private = dict(api_visibility="private")
    submitted = question.submit(respond, inputs, outputs, api_name="ui_submit", concurrency_id="chat", **private)
    clicked = send.click(respond, inputs, outputs, api_name="ui_send", concurrency_id="chat", **private)
    retried = chatbot.retry(
        regenerate, [client_id, message_ids, lang], outputs, api_name="ui_regenerate", concurrency_id="chat", **private
    )
    stop.click(None, None, None, cancels=[submitted, clicked, retried], api_name="ui_stop", **private)
    chatbot.like(like, [client_id, message_ids, lang], [warning], api_name="ui_like", **private)
    wire_panel(runtime, panel, tab, lang)
    demo.load(
        restore,
        [client_id, lang],
        [client_id, chatbot, message_ids, panel.listing, panel.title, panel.download],
        api_name="ui_restore",
        **private,
    )
    demo.load(None, None, None, js=COUNTER_JS % limit)
    return tab
