"""A Space process whose remote engine is the LLM test server (by base URL): tokens stream
through every door, one 503 is recovered from, and persistent failures fall back to offline."""

from __future__ import annotations

import time

import httpx
import pytest
from gradio_client import Client

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess
from tests.helpers import stream_query


@pytest.fixture(autouse=True)
def fresh(llm: RunningServer):
    llm.reset()
    yield
    llm.reset()


@pytest.fixture
def rhttp(remote_space: SpaceProcess):
    with httpx.Client(base_url=remote_space.url, timeout=30) as client:
        yield client


def test_status_shows_the_remote_engine(rhttp: httpx.Client, llm: RunningServer) -> None:
    engine = rhttp.get("/api/status").json()["engine"]
    assert engine == {"kind": "remote", "model": "test-model", "provider": None, "base_url": llm.base_url}


def test_gradio_client_streams_the_model_tokens(remote_space: SpaceProcess, llm: RunningServer, client_id: str) -> None:
    job = Client(remote_space.url, verbose=False).submit("How do I bulkify a trigger?", client_id, api_name="/chat")
    updates = list(job)
    partial = [text for text, meta in updates if not meta.get("done")]
    assert len(partial) >= 2 and len(partial[0]) < len(partial[-1])  # coalesced, but streamed
    text, meta = job.outputs()[-1]
    assert meta["engine"] == "remote" and meta["model"] == "test-model" and meta["done"] is True
    assert "How do I bulkify a trigger?" in text  # the test server echoes the question
    assert meta["sources"] and all(s["url"].startswith("https://") for s in meta["sources"])


def test_prompt_carries_grounding_history_and_the_wrapped_question(
    rhttp: httpx.Client, llm: RunningServer, client_id: str
) -> None:
    rhttp.post("/api/query", json={"query": "What is Batch Apex?", "client_id": client_id})
    rhttp.post("/api/query", json={"query": "And how do I test a batch class?", "client_id": client_id})
    messages = llm.requests()[-1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    system = messages[0]["content"]
    assert "Reference passages" in system and '<passage id="1">' in system and "[1]" in system
    assert "What is Batch Apex?" in messages[1]["content"]
    last = messages[-1]["content"]
    assert last.startswith("<question>") and last.endswith("</question>")
    assert "And how do I test a batch class?" in last


def test_the_passage_that_answers_is_in_the_prompt_and_its_article_is_cited(
    rhttp: httpx.Client, llm: RunningServer, client_id: str
) -> None:
    question = "How many queueable jobs can I enqueue from a synchronous transaction?"
    answer = rhttp.post("/api/query", json={"query": question, "client_id": client_id}).json()
    assert answer["engine"] == "remote" and question in answer["response"]  # the test server echoes
    system = llm.requests()[-1]["messages"][0]["content"]
    assert "Queueable jobs enqueued per synchronous transaction: 50" in system  # the fact, as a passage
    passages = system.split("Reference passages from the Plumberforce knowledge base:")[1]
    assert len(passages) <= 4000 + 100  # the default budget of PLUMBERFORCE_GROUNDING_CHARS
    assert answer["sources"][0]["url"] in passages  # sources are the cited passages' articles


def test_sse_streams_model_deltas(rhttp: httpx.Client, client_id: str) -> None:
    events = stream_query(rhttp, {"query": "Explain Queueable chaining", "client_id": client_id})
    assert sum(1 for e, _ in events if e == "delta") >= 5
    assert events[-1][0] == "done" and events[-1][1]["engine"] == "remote"


def test_recovers_from_one_503(rhttp: httpx.Client, llm: RunningServer, client_id: str) -> None:
    llm.script(["503", "ok"])
    answer = rhttp.post("/api/query", json={"query": "What is a Named Credential?", "client_id": client_id}).json()
    assert answer["engine"] == "remote" and answer["fallback_reason"] is None
    assert "Echo:" in answer["response"]
    assert [r["fault"] for r in llm.requests()] == ["503", None]


def test_persistent_failure_falls_back_to_offline_and_says_why(
    rhttp: httpx.Client, llm: RunningServer, client_id: str
) -> None:
    llm.configure(retry_after=0)
    llm.script(["503"] * 10)
    answer = rhttp.post(
        "/api/query", json={"query": "Perché ricevo MIXED_DML_OPERATION?", "client_id": client_id}
    ).json()
    assert answer["engine"] == "offline" and answer["incomplete"] is False
    assert "caricamento" in answer["fallback_reason"]  # Italian question, Italian reason
    assert "non è disponibile" in answer["response"] and "### Risposta" in answer["response"]
    assert len(llm.requests()) == 3  # first try + 2 retries
    history = rhttp.get(f"/api/history/{client_id}").json()["messages"]
    assert history[-1]["meta"]["engine"] == "offline" and history[-1]["meta"]["fallback_reason"]


def test_mid_stream_failure_keeps_the_partial_answer_marked_and_uncached(
    rhttp: httpx.Client, llm: RunningServer, client_id: str
) -> None:
    question = "Explain record locking in Apex please"
    llm.script(["drop"])
    first = rhttp.post("/api/query", json={"query": question, "client_id": client_id}).json()
    assert first["incomplete"] is True and first["error"]["code"] == "bad_response"
    assert first["response"].startswith("Echo:") and "interrupted" in first["response"]
    history = rhttp.get(f"/api/history/{client_id}").json()["messages"]
    assert history[-2]["content"] == question and history[-1]["meta"]["incomplete"] is True
    again = rhttp.post("/api/query", json={"query": question, "client_id": "other-" + client_id}).json()
    assert again["cached"] is False and again["incomplete"] is False


def test_first_chunk_leaves_before_the_answer_is_finished(
    rhttp: httpx.Client, llm: RunningServer, client_id: str
) -> None:
    llm.configure(ttft_ms=20, tokens_per_second=20, tokens=30)  # about 1.5 s from first to last token
    arrivals: list[tuple[str, float]] = []
    with rhttp.stream(
        "POST", "/api/query/stream", json={"query": "How do I stream platform events?", "client_id": client_id}
    ) as response:
        for line in response.iter_lines():
            if line.startswith("event:"):
                arrivals.append((line[6:].strip(), time.monotonic()))
    first_delta = next(t for e, t in arrivals if e == "delta")
    done = next(t for e, t in arrivals if e == "done")
    assert done - first_delta >= 1.0  # the deltas were sent as produced, not buffered to the end
    assert sum(1 for e, _ in arrivals if e == "delta") >= 25
