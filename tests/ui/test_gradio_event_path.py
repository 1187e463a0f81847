"""The workarounds on Gradio's per-message and per-update path (plumberforce/web/ui/gradio_compat.py,
issue 11): each gives what Gradio's own code gave, and each test fails with the adapter to update
when a release no longer calls what it replaces."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import Iterator

import gradio as gr
import httpx
import pytest
import uvicorn
from gradio import history, queueing, route_utils, routes
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from plumberforce.web.ui.gradio_compat import (
    ANALYTICS_ENVIRONMENT,
    QUEUE_DATA_ROUTE,
    analytics_on_the_loop,
    cheap_disconnect_polls,
    fast_now_utc_iso,
    faster_timestamps,
    login_check_on_the_loop,
    quiet_event_analytics,
)

ADAPTER = "plumberforce/web/ui/gradio_compat.py"


def test_gradio_still_asks_before_every_message_of_its_event_stream() -> None:
    source = inspect.getsource(routes.App.create_app)
    assert f'"{QUEUE_DATA_ROUTE}"' in source and "await request.is_disconnected()" in source, (
        f"gradio {gr.__version__}: the queue/data stream no longer polls Request.is_disconnected() or moved: "
        f"drop or update cheap_disconnect_polls in {ADAPTER}"
    )
    assert hasattr(Request({"type": "http"}), "_is_disconnected"), (
        f"Starlette's Request has no _is_disconnected any more: update cheap_disconnect_polls in {ADAPTER}"
    )


def _request(path: str, receive) -> Request:  # type: ignore[no-untyped-def]
    return Request({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive)


@pytest.mark.parametrize("path", [f"/gradio_api{QUEUE_DATA_ROUTE}", "/api/query/stream"])
def test_the_poll_answers_as_starlette_does(path: str) -> None:
    cheap_disconnect_polls()
    polled = Request.is_disconnected
    original = polled.original  # type: ignore[attr-defined]

    async def scenario(ask) -> list[object]:  # type: ignore[no-untyped-def]
        arrived = asyncio.Event()
        messages = [{"type": "http.request", "body": b"x", "more_body": False}, {"type": "http.disconnect"}]

        async def receive() -> dict:
            if not messages:
                await arrived.wait()  # a server with nothing to say: the poll must not wait
            return messages.pop(0)

        request = _request(path, receive)
        body_taken = await ask(request)  # a message already there is taken: not a disconnect
        left = await ask(request)  # the client left
        after = await ask(request)  # stays left
        waiting = _request(path, receive)
        nothing = await ask(waiting)  # nothing to read: answered at once, nobody left waiting
        return [body_taken, left, after, nothing, len(messages), len(arrived._waiters or [])]

    assert asyncio.run(scenario(polled)) == asyncio.run(scenario(original)) == [False, True, True, False, 0, 0]


@contextlib.contextmanager
def _served(app: object) -> Iterator[str]:
    """``app`` on uvicorn in a thread, on a free loopback port."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True, name="served")
    thread.start()
    while not server.started:
        thread.join(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def stream_server() -> Iterator[str]:
    """A Starlette app on uvicorn whose event stream at Gradio's path polls like Gradio's."""
    cheap_disconnect_polls()
    seen: dict[str, asyncio.Event] = {}

    async def data(request: Request) -> StreamingResponse:
        left = seen.setdefault(request.query_params["id"], asyncio.Event())

        async def events():  # type: ignore[no-untyped-def]
            polls = 0
            try:
                while not await request.is_disconnected():
                    polls += 1
                    yield f"data: {polls}\n\n".encode()
                    await asyncio.sleep(0.005)  # the stream's own pace (Gradio waits for a message)
            finally:  # a poll saw the client leave, or Starlette's own watcher did and cancelled
                left.set()

        return StreamingResponse(events(), media_type="text/event-stream")

    async def left(request: Request) -> JSONResponse:
        event = seen.setdefault(request.query_params["id"], asyncio.Event())
        await asyncio.wait_for(event.wait(), timeout=10)
        return JSONResponse({"left": True})

    app = Starlette(routes=[Route(f"/gradio_api{QUEUE_DATA_ROUTE}", data), Route("/left", left)])
    with _served(app) as url:
        yield url


def test_a_stream_goes_on_while_its_client_reads_and_ends_when_it_leaves(stream_server: str) -> None:
    with httpx.Client(base_url=stream_server, timeout=10) as reader:
        with reader.stream("GET", f"/gradio_api{QUEUE_DATA_ROUTE}", params={"id": "a"}) as response:
            got: list[int] = []
            for line in response.iter_lines():
                if line.startswith("data:"):
                    got.append(int(line[5:]))
                    if len(got) == 5:
                        break
        assert got == [1, 2, 3, 4, 5]  # each poll while connected said "still here"
    with httpx.Client(base_url=stream_server, timeout=15) as checker:
        assert checker.get("/left", params={"id": "a"}).json() == {"left": True}  # and the leaving was seen


def test_timestamps_are_gradios() -> None:
    for fn in (route_utils.call_process_api, queueing.Queue.process_events):
        assert "history.now_utc_iso()" in inspect.getsource(fn), (
            f"gradio {gr.__version__}: {fn.__qualname__} no longer calls history.now_utc_iso(): "
            f"drop or update faster_timestamps in {ADAPTER}"
        )
    faster_timestamps()
    assert history.now_utc_iso is fast_now_utc_iso
    original = history.datetime  # what Gradio's own now_utc_iso reads
    for _ in range(200):
        before = original.now(history.timezone.utc)
        ours = fast_now_utc_iso()
        after = original.now(history.timezone.utc)
        low = f"{before:%Y-%m-%dT%H:%M:%S}.{before.microsecond // 1000:03d}Z"
        high = f"{after:%Y-%m-%dT%H:%M:%S}.{after.microsecond // 1000:03d}Z"
        assert len(ours) == len(low) == 24 and low <= ours <= high


def test_updates_enter_the_matplotlib_manager_through_gradio_utils() -> None:
    source = inspect.getsource(route_utils.call_process_api)
    assert "utils.MatplotlibBackendMananger()" in source and not hasattr(route_utils, "MatplotlibBackendMananger"), (
        f"gradio {gr.__version__}: call_process_api no longer reads utils.MatplotlibBackendMananger at each "
        f"update: update skip_missing_matplotlib in {ADAPTER}"
    )


def test_the_login_check_of_the_queue_routes_runs_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi import FastAPI
    from fastapi.dependencies import utils as dependency_utils

    with gr.Blocks() as demo:
        gr.Textbox().submit(lambda text: text, gr.Textbox(), gr.Textbox(), api_name="echo")
    app = gr.mount_gradio_app(FastAPI(), demo, path="", auth_dependency=lambda r: r.headers.get("x-user"))
    assert login_check_on_the_loop(app) > 0, (
        f"gradio {gr.__version__}: no plain-def login_check dependency on its routes any more: "
        f"drop or update login_check_on_the_loop in {ADAPTER}"
    )
    in_threads: list[str] = []
    run_in_threadpool = dependency_utils.run_in_threadpool

    async def watched(call, *args, **kwargs):  # type: ignore[no-untyped-def]
        in_threads.append(getattr(call, "__name__", repr(call)))
        return await run_in_threadpool(call, *args, **kwargs)

    monkeypatch.setattr(dependency_utils, "run_in_threadpool", watched)  # FastAPI's hop for plain-def deps
    join = {"data": ["x"], "fn_index": 0, "session_hash": "s1", "event_data": None, "trigger_id": None}
    with _served(app) as url, httpx.Client(base_url=url, timeout=10) as http:
        assert http.post("/gradio_api/queue/join", json=join).status_code == 401  # no user: refused
        assert http.post("/gradio_api/queue/join", json=join, headers={"x-user": "u"}).status_code == 200
        stream = http.get("/gradio_api/queue/data", params={"session_hash": "s1"}, headers={"x-user": "u"})
        assert stream.status_code == 200 and "process_completed" in stream.text
    assert in_threads == [], f"dependencies still run in FastAPI's thread pool: {in_threads}"
    # tests/security/test_auth.py: in the Space, with the API key set, every queue route refuses an anonymous caller


def test_the_queue_hands_only_its_analytics_summary_to_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    source = inspect.getsource(queueing)
    calls = source.count("await run_sync(")
    assert calls == source.count(
        "await run_sync(\n                        self.compute_analytics_summary,"
    ) + source.count("await run_sync(\n                    self.compute_analytics_summary,"), (
        f"gradio {gr.__version__}: its queue uses anyio's run_sync for more than the analytics summary: "
        f"update analytics_on_the_loop in {ADAPTER}"
    )
    monkeypatch.setattr(queueing, "run_sync", queueing.run_sync)  # restored after the test
    for name in ANALYTICS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    assert not analytics_on_the_loop(demo)  # Gradio's own frequency (every event): the thread stays
    quiet_event_analytics()
    with gr.Blocks() as quiet:
        gr.Markdown("x")
    quiet.queue()
    assert analytics_on_the_loop(quiet)
    assert asyncio.run(queueing.run_sync(quiet._queue.compute_analytics_summary, [])) == {"functions": {}}
