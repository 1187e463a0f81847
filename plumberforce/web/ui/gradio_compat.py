"""The one place that touches a private part of Gradio: the length of the Blocks' event queue.

Gradio has no public way to read how many events wait in its queue; the Diagnostics tab shows
it, so this adapter reads ``demo._queue``. ``tests/ui/test_gradio_compat.py`` fails with a clear
message when a release moves it.
"""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr


def queue_length_reader(demo: gr.Blocks) -> Callable[[], int]:
    """A function returning the number of events waiting in ``demo``'s queue (0 before it exists)."""

    def read() -> int:
        queue = getattr(demo, "_queue", None)
        return len(queue) if queue is not None else 0

    return read


def check_compatible(demo: gr.Blocks) -> None:
    """Raise with a clear message when this Gradio no longer has the queue we read."""
    queue = getattr(demo, "_queue", None)
    if queue is None or not hasattr(queue, "__len__"):
        raise RuntimeError(
            f"gradio {gr.__version__}: Blocks._queue is gone or has no length; "
            "update plumberforce/web/ui/gradio_compat.py"
        )
