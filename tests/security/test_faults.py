"""The fault matrix, end to end: the Space's remote engine talks to the LLM test server through
the real huggingface_hub client; each fault gives a clear message or the marked offline fallback
within the configured timeout, keeps the conversation consistent, and spares other people's chats."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess, refused_url
from tests.helpers import sse_events

TIMEOUT = 3.0  # PLUMBERFORCE_REQUEST_TIMEOUT of the remote_space fixture


@pytest.fixture(autouse=True)
def fresh(llm: RunningServer) -> Iterator[None]:
    llm.reset()
    llm.configure(retry_after=0)
    yield
    llm.reset()


@pytest.fixture
def rhttp(remote_space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=remote_space.url, timeout=60) as client:
        yield client


def _ask_stream(http: httpx.Client, question: str, client_id: str) -> tuple[float, str, dict]:
    """(seconds to the first delta, whole text, done meta)."""
    started = time.monotonic()
    first = None
    text = ""
    with http.stream("POST", "/api/query/stream", json={"query": question, "client_id": client_id}) as response:
        assert response.status_code == 200
        for event, data in sse_events(response):
            if event == "delta":
                first = first if first is not None else time.monotonic() - started
                text += data["text"]
            elif event == "done":
                return first or 0.0, text, data
    raise AssertionError("no done event")


FALLBACK_CASES = [
    ("503", "loading"),
    ("429", "rate"),
    ("401", "HF_TOKEN"),
    ("403", "HF_TOKEN"),
    ("404", "PLUMBERFORCE_MODEL"),
    ("500", "broken"),
    ("hang", "in time"),
]


@pytest.mark.parametrize(("fault", "words"), FALLBACK_CASES)
def test_failure_before_the_first_chunk_falls_back_to_offline(
    rhttp: httpx.Client, llm: RunningServer, fault: str, words: str
) -> None:
    client_id = f"fault-{fault}-{uuid.uuid4().hex[:6]}"
    question = f"How do I write a bulk-safe trigger? ({fault})"
    llm.script([fault] * 5)
    first, text, meta = _ask_stream(rhttp, question, client_id)
    assert first <= TIMEOUT + 1.0  # the person sees something within the configured timeout
    assert meta["engine"] == "offline" and meta["incomplete"] is False
    assert words in meta["fallback_reason"]
    if fault == "404":
        assert "test-model" in meta["fallback_reason"]
    assert meta["fallback_reason"] in text and "### Answer" in text
    if fault in ("401", "403", "404", "500"):
        assert len(llm.requests()) == 1  # not retried: retrying cannot help
    history = rhttp.get(f"/api/history/{client_id}").json()["messages"]
    assert [m["content"] for m in history] == [question, text]
    llm.reset()
    again = rhttp.post("/api/query", json={"query": question, "client_id": "other-" + client_id}).json()
    assert again["engine"] == "remote" and again["cached"] is False  # the fallback was not cached
    assert again["response"].startswith("Echo:")


@pytest.mark.parametrize(
    ("fault", "code"), [("drop", "bad_response"), ("malformed", "bad_response"), ("hang-mid", "timeout")]
)
def test_failure_mid_stream_keeps_the_partial_answer_marked(
    rhttp: httpx.Client, llm: RunningServer, fault: str, code: str
) -> None:
    client_id = f"mid-{fault}-{uuid.uuid4().hex[:6]}"
    question = f"Explain Queueable chaining ({fault})"
    llm.script([fault])
    first, text, meta = _ask_stream(rhttp, question, client_id)
    assert first <= TIMEOUT
    assert meta["incomplete"] is True and meta["error"]["code"] == code and meta["engine"] == "remote"
    assert text.startswith("Echo:") and "interrupted" in text
    history = rhttp.get(f"/api/history/{client_id}").json()["messages"]
    assert history[-2]["content"] == question
    assert history[-1]["content"] == text and history[-1]["meta"]["incomplete"] is True
    second = rhttp.post("/api/query", json={"query": question, "client_id": client_id}).json()
    assert second["cached"] is False and second["incomplete"] is False and second["engine"] == "remote"
    assert len(rhttp.get(f"/api/history/{client_id}").json()["messages"]) == 4


def test_other_people_carry_on_while_one_request_hangs(rhttp: httpx.Client, llm: RunningServer) -> None:
    llm.script(["hang", "ok", "ok", "ok"])
    finished: dict[str, float] = {}

    def ask(name: str) -> None:
        rhttp.post("/api/query", json={"query": f"How do I write a trigger handler class? ({name})", "client_id": name})
        finished[name] = time.monotonic()

    stuck = threading.Thread(target=ask, args=("stuck",))
    stuck.start()
    deadline = time.monotonic() + 10
    while not llm.requests() and time.monotonic() < deadline:  # wait until the hanging request is in
        time.sleep(0.02)
    others = [threading.Thread(target=ask, args=(f"other-{i}",)) for i in range(3)]
    for thread in others:
        thread.start()
    for thread in [*others, stuck]:
        thread.join(30)
    assert all(finished[f"other-{i}"] < finished["stuck"] for i in range(3))


def test_connection_refused_falls_back_within_the_timeout(tmp_path: Path) -> None:
    with refused_url() as nowhere:
        _refused_falls_back(tmp_path, nowhere)


def _refused_falls_back(tmp_path: Path, nowhere: str) -> None:
    env = {
        "PLUMBERFORCE_BASE_URL": f"{nowhere}/v1",
        "PLUMBERFORCE_REQUEST_TIMEOUT": "3",
        "PLUMBERFORCE_RETRIES": "1",
        "PLUMBERFORCE_RETRY_BACKOFF": "0.1",
    }
    with SpaceProcess(tmp_path / "data", env=env) as space, httpx.Client(base_url=space.url, timeout=30) as http:
        first, text, meta = _ask_stream(http, "Come funziona il record locking?", "refused-1")
        assert first <= TIMEOUT + 1.0
        assert meta["engine"] == "offline" and "non è raggiungibile" in meta["fallback_reason"]
        assert "### Risposta" in text
