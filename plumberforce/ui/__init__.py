"""The Gradio Blocks app: tabs Chat, Feedback, Diagnostics, and the named endpoints."""

from __future__ import annotations

import gradio as gr

from plumberforce.runtime import Runtime
from plumberforce.ui.chat import build_chat_tab
from plumberforce.ui.endpoints import build_endpoints
from plumberforce.ui.texts import I18N, t

CSS = """
#pf-meta code { font-size: 0.8em; }
footer { display: none !important; }
"""


def build_blocks(runtime: Runtime) -> gr.Blocks:
    """The whole UI. The queue is set for an I/O-bound app (see README, "Serving")."""
    settings = runtime.settings
    with gr.Blocks(title="Plumberforce", analytics_enabled=settings.gradio_analytics) as demo:
        gr.Markdown(t("title"), elem_id="pf-title")
        with gr.Tabs():
            with gr.Tab(t("tab_chat"), id="chat"):
                build_chat_tab(runtime, demo)
            with gr.Tab(t("tab_feedback"), id="feedback"):
                gr.Markdown(t("feedback_soon"))
            with gr.Tab(t("tab_diagnostics"), id="diagnostics"):
                gr.Markdown(t("diagnostics_soon"))
        build_endpoints(runtime)
    demo.queue(
        default_concurrency_limit=settings.concurrency_limit,
        max_size=settings.queue_max_size,
    )
    return demo
