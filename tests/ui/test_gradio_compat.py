"""The private part of Gradio we read (the queue's length) is still there; if a release moves it,
this fails with the adapter to update (plumberforce/web/ui/gradio_compat.py)."""

from __future__ import annotations

import sys

import gradio as gr
import pytest

from plumberforce.web.ui.gradio_compat import (
    ANALYTICS_ENVIRONMENT,
    PROGRESS_POLL_SECONDS,
    QUEUE_POLL_SECONDS,
    check_compatible,
    pace_queue_polling,
    queue_length_reader,
    quiet_event_analytics,
    skip_missing_matplotlib,
)


def test_the_queue_length_can_be_read() -> None:
    with gr.Blocks() as demo:
        gr.Markdown("x")
    read = queue_length_reader(demo)
    assert read() == 0  # before the queue exists
    demo.queue()
    check_compatible(demo)
    assert read() == 0


def test_the_queue_polls_at_our_pace() -> None:
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    check_compatible(demo)  # names the attributes this relies on
    pace_queue_polling(demo)
    assert demo._queue.sleep_when_free == QUEUE_POLL_SECONDS
    assert demo._queue.progress_update_sleep_when_free == PROGRESS_POLL_SECONDS


class _ImportSpy:
    """A meta-path finder that records what the import system looks for on disk."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.names.append(name)
        return None


def test_streamed_updates_no_longer_search_the_disk_for_matplotlib() -> None:
    from gradio import utils

    assert hasattr(utils, "MatplotlibBackendMananger"), (
        f"gradio {gr.__version__} no longer has utils.MatplotlibBackendMananger: check whether it still imports "
        "matplotlib per update, and drop skip_missing_matplotlib (plumberforce/web/ui/gradio_compat.py) if not"
    )
    if not skip_missing_matplotlib():
        pytest.skip("matplotlib is installed here: Gradio's imports of it find it, nothing to work around")
    spy = _ImportSpy()
    sys.meta_path.insert(0, spy)
    try:
        with utils.MatplotlibBackendMananger():
            pass
    finally:
        sys.meta_path.remove(spy)
    assert "matplotlib" not in spy.names


def test_the_queue_reads_the_analytics_variables_we_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ANALYTICS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    quiet_event_analytics()
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    queue = demo._queue
    assert (queue.ANALYTICS_MAX_EVENTS, queue.ANAYLTICS_CACHE_FREQUENCY) == (100, 1_000_000_000), (
        f"gradio {gr.__version__} no longer reads GRADIO_ANALYTICS_MAX_EVENTS / GRADIO_ANALYTICS_CACHE_FREQUENCY "
        "into its queue: update quiet_event_analytics in plumberforce/web/ui/gradio_compat.py"
    )
