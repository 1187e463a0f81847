"""The Gradio Blocks app: tabs Chat, Feedback, Diagnostics, and the named endpoints."""

from __future__ import annotations

import gradio as gr

from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import build_chat_tab
from plumberforce.web.ui.conversation_endpoints import build_conversation_endpoints
from plumberforce.web.ui.diagnostics_tab import build_diagnostics_tab
from plumberforce.web.ui.endpoints import build_endpoints
from plumberforce.web.ui.feedback_tab import build_feedback_tab
from plumberforce.web.ui.gradio_compat import queue_length_reader
from plumberforce.web.ui.texts import DETECT_JS, LANGUAGES, Translator, text

CSS = """
#pf-meta code { font-size: 0.8em; }
#pf-lang { max-width: 16rem; margin-left: auto; }
"""
PRIVATE = {"api_visibility": "private"}


def heading(lang: str) -> str:
    return f"### {text('title', lang)}\n{text('intro', lang)}"


def build_blocks(runtime: Runtime) -> gr.Blocks:
    """The whole UI. The queue is set for an I/O-bound app (see README, "Serving")."""
    settings = runtime.settings
    tr = Translator()
    with gr.Blocks(title="Plumberforce", analytics_enabled=settings.gradio_analytics) as demo:
        lang = gr.BrowserState("", storage_key="plumberforce.lang")
        with gr.Row(equal_height=True):
            title = gr.Markdown(heading("en"), elem_id="pf-title")
            selector = gr.Radio(LANGUAGES, value="en", label=text("language"), elem_id="pf-lang", min_width=160)
        with gr.Tabs():
            with gr.Tab(text("tab_chat"), id="chat", elem_id="pf-tab-chat") as chat_tab:
                chat = build_chat_tab(runtime, demo, tr, lang)
            with gr.Tab(text("tab_feedback"), id="feedback", elem_id="pf-tab-feedback") as feedback_tab:
                build_feedback_tab(runtime, chat, feedback_tab, tr, lang)
            with gr.Tab(text("tab_diagnostics"), id="diagnostics", elem_id="pf-tab-diagnostics") as diagnostics_tab:
                build_diagnostics_tab(runtime, diagnostics_tab, [chat_tab, feedback_tab], tr, lang)
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
        selector.change(
            apply_language, [selector], [lang, title, selector, *tr.components], api_name="ui_language_apply", **PRIVATE
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
    runtime.set_queue_length(queue_length_reader(demo))
    return demo
