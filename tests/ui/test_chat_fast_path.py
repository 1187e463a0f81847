"""``/chat`` joins served past Gradio's queue (web/ui/chat_fast_path.py) give what Gradio's queue
gives: the same messages on Gradio's ``queue/data`` stream, the same answers and errors to
gradio_client and to the Render proxy, the same stopping on ``/cancel`` or a lost stream.

Two Spaces on the same LLM test server, alike but for ``PLUMBERFORCE_CHAT_FAST_PATH``; which path
served is read from the ``plumberforce_chat_fast_path_total`` counter.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr
import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import apply_diff

from plumberforce.settings import Settings
from plumberforce.testing.llm_server import LLMServerConfig, SpawnedServer, spawn
from plumberforce.testing.processes import SpaceProcess, remote_env
from plumberforce.web.app import create_app
from plumberforce.web.ui import queue_compat
from plumberforce.web.ui.chat_fast_path import ChatDoor
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket

KEY = "chat-fast-path-key-0123456789"
HEADERS = {"X-API-Key": KEY}
QUESTION_LIMIT = 300
# per update and per answer, what differs between any two runs (ids, timings)
VOLATILE = ("message_id", "conversation_id", "latency_ms", "ttft_ms", "ts")
TIMINGS = ("duration", "average_duration", "rank_eta", "eta", "cache_duration", "avg_time")


@pytest.fixture(scope="module")
def model() -> Iterator[SpawnedServer]:
    server = spawn(LLMServerConfig(ttft_ms=20, tokens_per_second=200, tokens=12, echo=True, log_level="warning"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def slow_model(model: SpawnedServer) -> Iterator[SpawnedServer]:
    """An answer of many seconds (stopped long before its end), the start-up config restored after."""
    model.configure(tokens_per_second=5, tokens=200)
    try:
        yield model
    finally:
        model.reset()


def _space(tmp_path_factory: pytest.TempPathFactory, model: SpawnedServer, fast: bool) -> Iterator[SpaceProcess]:
    env = remote_env(
        model.base_url,
        request_timeout=30,
        retries=0,
        cache_ttl_seconds=0,
        api_key=KEY,
        rate_limit_per_minute=1,
        rate_limit_burst=3,
        max_question_chars=QUESTION_LIMIT,
        chat_fast_path=str(fast).lower(),
    )
    with SpaceProcess(tmp_path_factory.mktemp(f"chat-fast-{fast}") / "data", env=env) as space:
        yield space


@pytest.fixture(scope="module")
def fast_space(tmp_path_factory: pytest.TempPathFactory, model: SpawnedServer) -> Iterator[SpaceProcess]:
    yield from _space(tmp_path_factory, model, True)


@pytest.fixture(scope="module")
def gradio_space(tmp_path_factory: pytest.TempPathFactory, model: SpawnedServer) -> Iterator[SpaceProcess]:
    yield from _space(tmp_path_factory, model, False)


def served_fast(space: SpaceProcess) -> float:
    text = httpx.get(space.url + "/metrics", headers=HEADERS, timeout=10).text
    match = re.search(r"^plumberforce_chat_fast_path_total\{[^}]*\} (\S+)$", text, re.M)
    assert match, "the /chat fast path's counter is missing from /metrics"
    return float(match.group(1))


def client_id() -> str:
    return "cf-" + uuid.uuid4().hex[:12]


def steady(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k not in VOLATILE}


def chat_fn(space: SpaceProcess) -> tuple[int, int]:
    """``/chat``'s fn_index and trigger id, from the Space's config."""
    config = httpx.get(space.url + "/config", headers=HEADERS, timeout=10).json()
    dep = next(d for d in config["dependencies"] if d.get("api_name") == "chat")
    return dep["id"], dep["targets"][0][0]


def join(space: SpaceProcess, session: str, data: list[Any], headers: dict[str, str] | None = None) -> httpx.Response:
    fn_index, trigger = chat_fn(space)
    body = {"data": data, "event_data": None, "fn_index": fn_index, "trigger_id": trigger, "session_hash": session}
    headers = HEADERS if headers is None else headers
    return httpx.post(space.url + "/gradio_api/queue/join", json=body, headers=headers, timeout=10)


def stream(space: SpaceProcess, question: str, cid: str) -> tuple[httpx.Response, list[dict[str, Any]]]:
    """Join ``/chat`` and read the session's event stream to its end: (join response, messages)."""
    session = uuid.uuid4().hex[:10]
    joined = join(space, session, [question, cid])
    messages = []
    with httpx.stream(
        "GET", space.url + "/gradio_api/queue/data", params={"session_hash": session}, headers=HEADERS, timeout=30
    ) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                messages.append(json.loads(line[6:]))
    return joined, messages


def normalised(message: dict[str, Any]) -> dict[str, Any]:
    """A message without what differs between two runs (event ids, timings, ids in the meta)."""
    out = {k: ("<id>" if k == "event_id" and v else v) for k, v in message.items() if k not in TIMINGS}
    output = out.get("output")
    if isinstance(output, dict):
        output = {k: v for k, v in output.items() if k not in TIMINGS}
        data = output.get("data")
        if isinstance(data, list) and len(data) == 2:
            meta = data[1]
            if isinstance(meta, dict):
                meta = steady(meta)
            elif isinstance(meta, list):  # a diff
                meta = [op for op in meta if not (len(op) == 3 and op[1] and op[1][0] in VOLATILE)]
            output["data"] = [data[0], meta]
        out["output"] = output
    return out


def collapsed(messages: list[dict[str, Any]]) -> list[str]:
    kinds = [m["msg"] for m in messages]
    return [k for i, k in enumerate(kinds) if not (k == "process_generating" and kinds[i - 1] == k)]


def replayed(messages: list[dict[str, Any]]) -> tuple[list[Any], set[tuple[str, ...]]]:
    """The outputs the updates build (diffs applied, as gradio_client does), checked against the
    final ``process_completed``; and the shapes (keys) of the update messages."""
    updates = [m for m in messages if m["msg"] == "process_generating"]
    shapes = {(*sorted(m), "|", *sorted(m["output"])) for m in updates}
    outputs: list[Any] = updates[0]["output"]["data"]
    for update in updates[1:]:
        outputs = [apply_diff(value, diff) for value, diff in zip(outputs, update["output"]["data"], strict=True)]
        assert all(m["success"] is True and m["output"]["is_generating"] is True for m in updates)
    assert outputs == messages[-2]["output"]["data"]  # then close_stream
    return [outputs[0], steady(outputs[1])], shapes


def test_the_event_stream_carries_the_same_messages(fast_space: SpaceProcess, gradio_space: SpaceProcess) -> None:
    question = f"What is a governor limit? (#{uuid.uuid4().int % 10**9})"
    before = served_fast(fast_space), served_fast(gradio_space)
    cid = client_id()  # one client on each Space
    fast_join, fast = stream(fast_space, question, cid)
    gradio_join, slow = stream(gradio_space, question, cid)
    assert (served_fast(fast_space), served_fast(gradio_space)) == (before[0] + 1, before[1])
    # how many updates an answer takes depends on timing (updates are coalesced): the stream is
    # compared with its run of process_generating as one, each update by its shape and content
    assert collapsed(fast) == collapsed(slow)
    assert [normalised(m) for m in fast if m["msg"] != "process_generating"] == [
        normalised(m) for m in slow if m["msg"] != "process_generating"
    ]
    assert replayed(fast) == replayed(slow)
    assert fast_join.status_code == gradio_join.status_code == 200
    assert set(fast_join.json()) == {"event_id"} and fast[0]["event_id"] == fast_join.json()["event_id"]
    skip = {b"date", b"content-length"}  # the event ids are fresh uuid4 hex: same length anyway
    assert [h for h in fast_join.headers.raw if h[0].lower() not in skip] == [
        h for h in gradio_join.headers.raw if h[0].lower() not in skip
    ]


def test_gradio_client_gets_the_same_answers(fast_space: SpaceProcess, gradio_space: SpaceProcess) -> None:
    question = f"How do I bulkify a trigger? (#{uuid.uuid4().int % 10**9})"
    cids = client_id(), client_id()  # the same two clients on each Space
    results = []
    for space in (fast_space, gradio_space):
        before = served_fast(space)
        client = Client(space.url, headers=HEADERS, verbose=False)
        text, meta = client.predict(question, cids[0], api_name="/chat")
        job = client.submit(question, cids[1], api_name="/chat")
        job.result(timeout=30)  # the job's end: outputs() holds every update by then
        outputs = job.outputs()
        client.close()
        results.append((text, steady(meta), [(t, steady(m)) for t, m in outputs], served_fast(space) - before))
    (fast_text, fast_meta, fast_outputs, fast_count), (text, meta, outputs, count) = results
    assert fast_text == text and fast_text.startswith("Echo: ")
    assert fast_meta == meta and meta["done"] is True
    assert fast_outputs[-1] == outputs[-1] and fast_outputs[-1][0] == text
    assert (fast_count, count) == (2, 0)


def error_of(space: SpaceProcess, question: str, cid: str) -> str:
    client = Client(space.url, headers=HEADERS, verbose=False)
    try:
        with pytest.raises(AppError) as caught:
            client.predict(question, cid, api_name="/chat")
        return str(caught.value)
    finally:
        client.close()


def test_errors_read_the_same(fast_space: SpaceProcess, gradio_space: SpaceProcess) -> None:
    for question in ("   ", "x" * (QUESTION_LIMIT + 1)):
        assert error_of(fast_space, question, client_id()) == error_of(gradio_space, question, client_id())
    limited = []
    for space in (fast_space, gradio_space):
        cid = client_id()
        client = Client(space.url, headers=HEADERS, verbose=False)
        for i in range(3):  # the burst
            client.predict(f"Limit {i} {cid}", cid, api_name="/chat")
        client.close()
        # Plain English words only: the refusal speaks the question's language, and a random hex id
        # alone could read as Italian ("da", "di") about one time in thirty.
        limited.append(error_of(space, "Please answer one more question", cid))
    waits = [re.sub(r"\d+ s\b", "N s", error) for error in limited]  # the seconds left: measured each time
    assert waits[0] == waits[1] and "Too many questions" in waits[0]


def test_the_proxy_gets_the_same_answers(
    tmp_path_factory: pytest.TempPathFactory, fast_space: SpaceProcess, gradio_space: SpaceProcess
) -> None:
    question = f"Explain SOQL injection (#{uuid.uuid4().int % 10**9})"

    async def ask(url: str) -> tuple[str, dict[str, Any]]:
        async with ProxySocket(f"{url}/ws/r-{uuid.uuid4().hex[:12]}") as ws:
            mine, done = await ws.ask("q1", question)
        assert done["type"] == "done", done
        return "".join(m["text"] for m in mine if m["type"] == "delta"), done

    answers = []
    for space in (fast_space, gradio_space):
        before = served_fast(space)
        with ProxyProcess(space.url, tmp_path_factory.mktemp("proxy"), env={"PLUMBERFORCE_API_KEY": KEY}) as proxy:
            answers.append((*asyncio.run(ask(proxy.ws_url)), served_fast(space) - before))
    (fast_text, fast_done, fast_count), (text, done, count) = answers
    assert fast_text == text and "Echo:" in text
    assert {k: v for k, v in fast_done.items() if k not in VOLATILE and k != "html"} == {
        k: v for k, v in done.items() if k not in VOLATILE and k != "html"
    }
    assert fast_count >= 1 and count == 0


def wait_for(predicate: Callable[[], Any], within: float, what: str) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)  # polling a state with a deadline, not standing in for one
    raise AssertionError(f"not within {within}s: {what}")


def stored_answer(space: SpaceProcess, cid: str) -> dict[str, Any] | None:
    history = httpx.get(f"{space.url}/api/history/{cid}", headers=HEADERS, timeout=10).json()
    messages = history["messages"] if isinstance(history, dict) else history
    answers = [m for m in messages if m["role"] == "assistant"]
    return answers[-1] if answers else None


def test_cancel_stops_the_answer_and_the_turn_says_stopped(fast_space: SpaceProcess, slow_model: SpawnedServer) -> None:
    cid, before = client_id(), served_fast(fast_space)
    client = Client(fast_space.url, headers=HEADERS, verbose=False)
    job = client.submit(f"Explain Apex governor limits in depth ({cid})", cid, api_name="/chat")
    wait_for(lambda: len(job.outputs()) >= 2, 20, "the answer streams")
    job.cancel()
    answer = wait_for(lambda: stored_answer(fast_space, cid), 20, "the stopped turn is stored")
    client.close()
    assert served_fast(fast_space) == before + 1
    assert answer["meta"]["incomplete"] is True and answer["meta"]["error"]["code"] == "stopped"
    assert len(answer["content"]) < 200 * 3  # far from the whole answer


def test_a_client_that_drops_the_stream_stops_the_answer(fast_space: SpaceProcess, slow_model: SpawnedServer) -> None:
    cid, session, before = client_id(), uuid.uuid4().hex[:10], served_fast(fast_space)
    assert join(fast_space, session, [f"Explain SOQL query limits in depth ({cid})", cid]).status_code == 200
    with httpx.stream(
        "GET", fast_space.url + "/gradio_api/queue/data", params={"session_hash": session}, headers=HEADERS, timeout=30
    ) as response:
        for line in response.iter_lines():
            if "process_generating" in line:
                break  # leaves mid-answer: the connection closes
    answer = wait_for(lambda: stored_answer(fast_space, cid), 20, "the stopped turn is stored")
    assert served_fast(fast_space) == before + 1
    assert answer["meta"]["incomplete"] is True and answer["meta"]["error"]["code"] == "stopped"


@pytest.fixture(scope="module")
def tight_space(tmp_path_factory: pytest.TempPathFactory, model: SpawnedServer) -> Iterator[SpaceProcess]:
    """One chat at once, one more waiting: beyond that, Gradio's "queue full"."""
    env = remote_env(model.base_url, request_timeout=60, retries=0, api_key=KEY, concurrency_limit=1, queue_max_size=1)
    with SpaceProcess(tmp_path_factory.mktemp("chat-fast-tight") / "data", env=env) as space:
        yield space


def cancel(space: SpaceProcess, session: str, event_id: str) -> None:
    fn_index, _ = chat_fn(space)
    body = {"session_hash": session, "fn_index": fn_index, "event_id": event_id}
    response = httpx.post(space.url + "/gradio_api/cancel", json=body, headers=HEADERS, timeout=30)
    assert response.json() == {"success": True}


def test_past_the_concurrency_limit_chats_queue_in_gradio(tight_space: SpaceProcess, slow_model: SpawnedServer) -> None:
    before = served_fast(tight_space)
    first, second = uuid.uuid4().hex[:10], uuid.uuid4().hex[:10]
    running = join(tight_space, first, [f"Explain Apex triggers ({first})", client_id()])
    assert running.status_code == 200 and served_fast(tight_space) == before + 1  # the one slot: served here
    waiting = join(tight_space, second, [f"Explain Apex classes ({second})", client_id()])
    assert waiting.status_code == 200 and served_fast(tight_space) == before + 1  # queued in Gradio
    full = join(tight_space, uuid.uuid4().hex[:10], ["Explain Flows", client_id()])
    assert (full.status_code, full.json()) == (503, {"detail": "Queue is full. Max size is 1 and size is 1."})
    with httpx.stream(
        "GET", tight_space.url + "/gradio_api/queue/data", params={"session_hash": second}, headers=HEADERS, timeout=30
    ) as response:
        kinds = (json.loads(line[6:])["msg"] for line in response.iter_lines() if line.startswith("data: "))
        assert next(kinds) == "estimation"
        cancel(tight_space, first, running.json()["event_id"])  # its slot freed: the waiting chat starts
        # (Gradio may send the waiting event its position again, or a heartbeat, meanwhile)
        assert next(k for k in kinds if k not in ("estimation", "heartbeat")) == "process_starts"
        cancel(tight_space, second, waiting.json()["event_id"])


def test_other_calls_fall_through(fast_space: SpaceProcess) -> None:
    before = served_fast(fast_space)
    client = Client(fast_space.url, headers=HEADERS, verbose=False)
    assert client.predict(api_name="/status")["status"] == "ready"  # another function
    client.close()
    session = uuid.uuid4().hex[:10]
    assert join(fast_space, session, ["three", "inputs", "here"]).status_code == 200  # Gradio's to refuse later
    assert join(fast_space, session, ["no key", client_id()], headers={}).status_code == 401  # Gradio's 401
    assert served_fast(fast_space) == before


def test_gradio_still_has_what_the_fast_path_uses(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = tmp_path_factory.mktemp("compat")
    app = create_app(Settings(engine="offline", data_dir=data))
    door: ChatDoor = app.state.chat_door
    assert queue_compat.missing(door.blocks, "chat") == [], (
        f"gradio {gr.__version__} changed what plumberforce/web/ui/queue_compat.py relies on"
    )
    assert door.enabled


def test_a_gradio_without_them_leaves_chat_to_its_queue(
    tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(engine="offline", data_dir=tmp_path_factory.mktemp("compat-gap")))
    door: ChatDoor = app.state.chat_door
    del door.blocks._queue.pending_event_ids_session  # as a release that renamed it
    with caplog.at_level("WARNING"):
        again = ChatDoor(door.runtime, door.blocks, enabled=True)
    assert not again.enabled
    assert "Queue.pending_event_ids_session" in caplog.text and "fast path off" in caplog.text
    assert not ChatDoor(door.runtime, door.blocks, enabled=False).enabled
