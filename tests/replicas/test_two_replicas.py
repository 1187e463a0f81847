"""Two Space processes on one redis-server (the scale-out setup): the invariants hold across
replicas. A conversation started on A continues on B with its context in the prompt (seen
through the LLM test server's echo); a rating sent to A is in B's summary and export; a client
limited on A is limited on B; an answer cached by A is a hit on B; two questions of one client
sent to A and B at once neither interleave nor lose a turn."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pandas as pd
import pytest

from plumberforce.testing.llm_server import LLMServerConfig, RunningServer, run_in_thread
from plumberforce.testing.processes import SpaceProcess, remote_env
from plumberforce.testing.redis_server import RedisServer


@pytest.fixture(scope="module")
def slow_llm() -> Iterator[RunningServer]:
    """Slow enough to first token that two questions sent at once overlap."""
    with run_in_thread(LLMServerConfig(ttft_ms=300, tokens_per_second=400, tokens=12, echo=True)) as server:
        yield server


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer, slow_llm: RunningServer
) -> Iterator[tuple[SpaceProcess, SpaceProcess]]:
    root = tmp_path_factory.mktemp("replicas")
    shared = {
        **remote_env(slow_llm.base_url, request_timeout=10, retries=0),
        "PLUMBERFORCE_REDIS_URL": redis_server.url,
        "PLUMBERFORCE_REDIS_PREFIX": f"rep{uuid.uuid4().hex[:6]}:",
        "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "2",  # per client: a burst of 2, then one every 30 s
        "PLUMBERFORCE_RATE_LIMIT_BURST": "2",
    }
    a = SpaceProcess(root / "a" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "replica-a"})
    b = SpaceProcess(root / "b" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "replica-b"})
    with a, b:
        yield a, b


def ask(space: SpaceProcess, query: str, client_id: str) -> httpx.Response:
    return httpx.post(space.url + "/api/query", json={"query": query, "client_id": client_id}, timeout=30)


def test_both_replicas_say_they_share_redis(replicas) -> None:
    a, b = replicas
    for space, name in ((a, "replica-a"), (b, "replica-b")):
        status = httpx.get(space.url + "/api/status", timeout=10).json()
        assert status["status"] == "ready" and status["replica"] == name
        assert status["storage"]["kind"] == "redis" and status["storage"]["persistent"] is True
        metrics = httpx.get(space.url + "/metrics", timeout=10).text
        assert f'replica="{name}"' in metrics


def test_a_conversation_started_on_a_continues_on_b(replicas, slow_llm: RunningServer) -> None:
    a, b = replicas
    client = "cross-" + uuid.uuid4().hex[:8]
    first = ask(a, "Our trigger on Zephyr__c objects hits Too many SOQL queries: 101. Why?", client)
    assert first.status_code == 200
    second = ask(b, "And how do I bulkify it?", client)
    assert second.status_code == 200 and second.json()["conversation_id"] == first.json()["conversation_id"]
    prompt = slow_llm.requests()[-1]["messages"]
    assert any("Zephyr__c" in m["content"] for m in prompt[1:-1])  # A's turn is in B's prompt
    history = httpx.get(f"{b.url}/api/history/{client}", timeout=10).json()["messages"]
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]


def test_a_rating_sent_to_a_is_in_b_summary_and_export(replicas) -> None:
    a, b = replicas
    client = "rate-" + uuid.uuid4().hex[:8]
    answer = ask(a, "What is a Queueable job?", client).json()
    rated = httpx.post(
        a.url + "/api/feedback",
        json={"client_id": client, "message_id": answer["message_id"], "rating": 2, "comment": "from A"},
        timeout=10,
    )
    assert rated.status_code == 200
    again = httpx.post(
        b.url + "/api/feedback",
        json={"client_id": client, "message_id": answer["message_id"], "thumb": "down"},
        timeout=10,
    )
    assert again.status_code == 200 and again.json()["record"]["rating"] == 2  # one record, merged
    export = pd.read_csv(io.StringIO(httpx.get(b.url + "/api/feedback/export", timeout=10).text), keep_default_na=False)
    mine = export[export["client_id"] == client]
    assert len(mine) == 1 and mine.iloc[0]["comment"] == "from A" and mine.iloc[0]["thumb"] == "down"
    assert httpx.get(b.url + "/api/feedback/summary", timeout=10).json()["count"] >= 1


def test_a_client_limited_on_a_is_limited_on_b(replicas) -> None:
    a, b = replicas
    client = "limit-" + uuid.uuid4().hex[:8]
    assert ask(a, "What is SOQL?", client).status_code == 200
    assert ask(a, "What is SOSL?", client).status_code == 200
    limited = ask(b, "What is DML?", client)
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1


def test_an_answer_cached_by_a_is_a_hit_on_b(replicas) -> None:
    a, b = replicas
    question = f"How do I test a callout? (#{uuid.uuid4().int % 10**9})"
    assert not ask(a, question, "cache-" + uuid.uuid4().hex[:8]).json()["cached"]
    assert ask(b, question, "cache-" + uuid.uuid4().hex[:8]).json()["cached"]


def test_two_questions_of_one_client_on_two_replicas_at_once(replicas, slow_llm: RunningServer) -> None:
    a, b = replicas
    client = "both-" + uuid.uuid4().hex[:8]
    slow_llm.reset()
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(ask, a, "First: what is Batch Apex?", client),
            pool.submit(ask, b, "Second: what is Queueable Apex?", client),
        ]
        answers = [f.result() for f in futures]
    assert all(r.status_code == 200 for r in answers)
    history = httpx.get(f"{a.url}/api/history/{client}", timeout=10).json()["messages"]
    assert len(history) == 4  # no turn lost
    for question, answer in zip(history[::2], history[1::2], strict=True):  # no turn interleaved
        assert question["role"] == "user" and answer["role"] == "assistant"
        assert question["content"].split(":")[0] in answer["content"]  # the echo answers its own question
    # one after the other: the second question reached the model with the first turn as context
    prompts = [r["messages"] for r in slow_llm.requests()]
    assert sorted(len(p) for p in prompts) == [2, 4]
