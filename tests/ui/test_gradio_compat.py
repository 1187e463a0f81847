"""The private part of Gradio we read (the queue's length) is still there; if a release moves it,
this fails with the adapter to update (plumberforce/web/ui/gradio_compat.py)."""

from __future__ import annotations

import sys

import gradio as gr
import pytest
from fastapi import HTTPException

from plumberforce.web.ui.gradio_compat import (
    ANALYTICS_ENVIRONMENT,
    PROGRESS_POLL_SECONDS,
    QUEUE_POLL_SECONDS,
    check_compatible,
    inline_login_check,
    pace_queue_polling,
    queue_length_reader,
    quiet_event_analytics,
    skip_missing_matplotlib,
    summarise_analytics_inline,
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


def test_login_check_runs_on_the_event_loop() -> None:
    import asyncio
    import inspect

    from fastapi import FastAPI

    with gr.Blocks() as demo:
        gr.Markdown("x")
    app = gr.mount_gradio_app(FastAPI(), demo, path="", auth_dependency=lambda request: None)
    assert inline_login_check(app) >= 2  # at least queue/join and queue/data
    checks, pending = {}, list(app.routes)
    while pending:
        route = pending.pop()
        pending.extend(getattr(getattr(route, "app", None), "routes", []))
        pending.extend(getattr(getattr(route, "original_router", None), "routes", []))
        if getattr(route, "path", "").endswith(("/queue/join", "/queue/data")):
            checks[route.path] = [d.dependency for d in route.dependencies]
    assert len(checks) == 2 and all(inspect.iscoroutinefunction(c) for calls in checks.values() for c in calls)
    check = next(calls[0] for path, calls in checks.items() if path.endswith("/queue/join"))
    assert list(inspect.signature(check).parameters) == ["user"]  # FastAPI still resolves the user for it
    with pytest.raises(HTTPException) as refused:  # auth configured, no user: Gradio's own 401
        asyncio.run(check(user=None))
    assert refused.value.status_code == 401
    assert asyncio.run(check(user="someone")) is None


def test_analytics_summaries_that_would_do_nothing_skip_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio
    import threading

    import gradio.queueing as queueing

    monkeypatch.setattr(queueing, "run_sync", queueing.run_sync)  # restored after the test
    summarise_analytics_inline()
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    queue = demo._queue
    seen: list[int] = []
    original = queue.compute_analytics_summary.__func__

    def compute_analytics_summary(self, records):  # the same method, telling where it ran
        seen.append(threading.get_ident())
        return original(self, records)

    monkeypatch.setattr(queueing.Queue, "compute_analytics_summary", compute_analytics_summary)

    async def main() -> int:
        await queueing.run_sync(queue.compute_analytics_summary, [])  # nothing to summarise
        queue.events_recorded = queue.event_count_at_last_cache + queue.ANAYLTICS_CACHE_FREQUENCY
        records = [{"function": "f", "status": "success", "process_time": 0.1}]
        await queueing.run_sync(queue.compute_analytics_summary, records)
        return threading.get_ident()

    loop_thread = asyncio.run(main())
    assert seen[0] == loop_thread and seen[1] != loop_thread  # inline when it would do nothing, else a thread
