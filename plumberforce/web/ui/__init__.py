"""The Gradio Blocks app: tabs Chat, Feedback, Diagnostics, and the named endpoints."""

from __future__ import annotations

import gradio as gr

from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import build_chat_tab
from plumberforce.web.ui.conversation_endpoints import build_conversation_endpoints
from plumberforce.web.ui.conversations_panel import build_panel
from plumberforce.web.ui.diagnostics_tab import build_diagnostics_tab
from plumberforce.web.ui.endpoints import build_endpoints
from plumberforce.web.ui.feedback_tab import build_feedback_tab
from plumberforce.web.ui.gradio_compat import (
    analytics_on_the_loop,
    cheap_disconnect_polls,
    faster_timestamps,
    pace_queue_polling,
    queue_length_reader,
)
from plumberforce.web.ui.texts import DETECT_JS, LANGUAGES, Translator, text

CSS = """
#pf-header { flex-wrap: wrap; }
#pf-header .form { background: none !important; border: none !important; }
#pf-lang { flex-grow: 1 !important; }
@media (max-width: 640px) { #pf-header > * { flex: 1 1 100% !important; min-width: 100% !important; } }
#pf-meta code { font-size: 0.8em; }
#pf-fb-summary th *, #pf-fb-lowest th *, #pf-fb-articles th *, #pf-dg-latency th * {
  white-space: nowrap !important; word-break: keep-all !important; overflow-wrap: normal !important;
}
#pf-fb-lowest td *, #pf-fb-articles td * { word-break: normal !important; overflow-wrap: anywhere; }
#pf-fb-lowest table { min-width: 720px; }
#pf-counter { font-size: 0.8em; color: var(--body-text-color-subdued); text-align: right; padding-right: 0.5rem; }
#pf-counter.pf-over { color: var(--error-text-color, #b91c1c); font-weight: 600; }
#pf-notice { border-left: 3px solid #d97706; padding-left: 0.6rem; }
#pf-download a.pf-download { display: inline-block; margin-top: 0.4rem; }
#pf-dg-figures table, #pf-dg-errors table { width: 100%; }
#pf-conversations .wrap { flex-direction: column; align-items: stretch; }
#pf-conversations label { width: 100%; }
"""
PRIVATE = {"api_visibility": "private"}
# On a phone the conversations sidebar starts closed (it would cover the chat); its toggle opens it.
SIDEBAR_JS = """() => {
  if (window.innerWidth < 768) {
    const open = document.querySelector('#pf-sidebar.open .toggle-button');
    if (open) open.click();
  }
}"""


def heading(lang: str) -> str:
    return f"### {text('title', lang)}\n{text('intro', lang)}"


def build_blocks(runtime: Runtime) -> gr.Blocks:
    """The whole UI. The queue is set for an I/O-bound app (see README, "Serving").

    Handlers take the language from the selector (set in the browser from localStorage or
    ``navigator.language`` as the page loads), so what they build is in the UI's language even
    for a question asked in the first second; ``lang`` only remembers the choice.
    """
    settings = runtime.settings
    tr = Translator()
    with gr.Blocks(title="Plumberforce", analytics_enabled=settings.gradio_analytics) as demo:
        lang = gr.BrowserState("", storage_key="plumberforce.lang")
        with gr.Row(equal_height=True, elem_id="pf-header"):
            title = gr.Markdown(heading("en"), elem_id="pf-title", min_width=320)
            selector = gr.Radio(
                LANGUAGES, value="en", label=text("language"), elem_id="pf-lang", scale=0, min_width=220
            )
        with gr.Sidebar(label="Plumberforce", open=True, elem_id="pf-sidebar"):
            panel = build_panel(tr)
        with gr.Tabs():
            with gr.Tab(text("tab_chat"), id="chat", elem_id="pf-tab-chat") as chat_tab:
                chat = build_chat_tab(runtime, demo, tr, selector, panel)
            with gr.Tab(text("tab_feedback"), id="feedback", elem_id="pf-tab-feedback") as feedback_tab:
                build_feedback_tab(runtime, chat, feedback_tab, tr, selector)
            with gr.Tab(text("tab_diagnostics"), id="diagnostics", elem_id="pf-tab-diagnostics") as diagnostics_tab:
                build_diagnostics_tab(runtime, diagnostics_tab, [chat_tab, feedback_tab], tr, selector)
        tr(chat_tab, label="tab_chat")
        tr(feedback_tab, label="tab_feedback")
        tr(diagnostics_tab, label="tab_diagnostics")
        build_endpoints(runtime)
        build_conversation_endpoints(runtime)

        def apply_language(choice: str):
            choice = choice if choice in ("en", "it") else "en"
            return [
                choice,
                gr.update(value=heading(choice)),
                gr.update(value=choice, label=text("language", choice)),
                *tr.updates(choice),
            ]

        demo.load(lambda stored: stored, [lang], [selector], js=DETECT_JS, api_name="ui_language", **PRIVATE)
        demo.load(None, None, None, js=SIDEBAR_JS)
        selector.change(
            apply_language, [selector], [lang, title, selector, *tr.components], api_name="ui_language_apply", **PRIVATE
        ).then(chat.rebadge, [chat.badge, selector], [chat.meta], api_name="ui_language_badges", **PRIVATE).then(
            chat.repanel,
            [chat.client_id, selector],
            [panel.listing, panel.title, panel.download],
            api_name="ui_language_panel",
            **PRIVATE,
        )
    # Gradio runs at most `max_threads` events at once whatever the concurrency limits say (its
    # queue has that many worker slots, 40 by default): raise it to the concurrency limit, or the
    # 41st chat waits for a free slot although it would only wait on the model.
    demo.max_threads = settings.concurrency_limit
    # status_update_rate: queue positions are sent every 5 s instead of after every started job
    # ("auto"), which costs a pass over the whole queue per event under load.
    demo.queue(
        default_concurrency_limit=settings.concurrency_limit,
        max_size=settings.queue_max_size,
        status_update_rate=5,
    )
    pace_queue_polling(demo)  # Gradio polls its queue every millisecond when idle
    cheap_disconnect_polls()  # and its event stream asks whether the client left before each message
    faster_timestamps()  # and timestamps every update
    analytics_on_the_loop(demo)  # and summarises its (unused) analytics in a thread after each event
    runtime.set_queue_length(queue_length_reader(demo))
    return demo
