"""The private part of Gradio we read (the queue's length) is still there; if a release moves it,
this fails with the adapter to update (plumberforce/web/ui/gradio_compat.py)."""

from __future__ import annotations

import gradio as gr

from plumberforce.web.ui.gradio_compat import check_compatible, queue_length_reader


def test_the_queue_length_can_be_read() -> None:
    with gr.Blocks() as demo:
        gr.Markdown("x")
    read = queue_length_reader(demo)
    assert read() == 0  # before the queue exists
    demo.queue()
    check_compatible(demo)
    assert read() == 0
