"""The proxy in front of a Space whose model is the LLM test server (echo on): streaming, cancel,
timeout, and 100 concurrent chats that must all complete without being mixed up."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from plumberforce.testing.llm_server import SpawnedServer
from plumberforce.testing.processes import SpaceProcess
from tests.proxy.conftest import SPACE_QUESTION_LIMIT, llm_in_flight
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run


def wait_until(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` (a condition on real state) until true, within ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def timeout_proxy(tmp_path_factory: pytest.TempPathFactory, proxy_space: SpaceProcess) -> Iterator[ProxyProcess]:
    # 3 s: long enough for the first chunk to arrive on a loaded 2-core machine (the test asserts the
    # answer was streaming when the deadline struck), short against the 40 s the answer would take
    env = {"PLUMBERFORCE_PROXY_REQUEST_TIMEOUT": "3"}
    with ProxyProcess(proxy_space.url, tmp_path_factory.mktemp("timeout-proxy"), env=env) as proxy:
        yield proxy


def test_answer_streams_from_the_model(llm_proxy: ProxyProcess, fresh_llm: SpawnedServer) -> None:
    question = f"What is a Queueable job? (#{uuid.uuid4().int % 10**9})"

    async def scenario() -> None:
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/r-{uuid.uuid4().hex[:12]}") as ws:
            mine, done = await ws.ask("q1", question)
            deltas = [m for m in mine if m["type"] == "delta"]
            assert done["type"] == "done", done
            assert done["text"].startswith("Echo: ") and question in done["text"]
            assert len(deltas) >= 5  # 40 tokens at 50/s: streamed, not delivered at the end
            assert "".join(d["text"] for d in deltas) == done["text"]
            assert done["engine"] == "remote" and done["model"] == "test-model" and done["incomplete"] is False

    run(scenario())


def test_cancel_stops_the_upstream_job(llm_proxy: ProxyProcess, fresh_llm: SpawnedServer) -> None:
    fresh_llm.configure(tokens=2000, tokens_per_second=50)  # 40 s of answer unless stopped

    async def scenario() -> None:
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/r-{uuid.uuid4().hex[:12]}") as ws:
            await ws.send(
                {
                    "type": "query",
                    "id": "q1",
                    "text": f"Explain Apex governor limits in depth (#{uuid.uuid4().int % 10**9})",
                }
            )
            await ws.until(lambda m: m["type"] == "delta")
            assert llm_in_flight(fresh_llm) == 1
            await ws.send({"type": "cancel", "id": "q1"})
            end = (await ws.until(lambda m: m.get("id") == "q1" and m["type"] in ("done", "error"), within=5))[-1]
            assert end == {"type": "error", "code": "cancelled", "message": "Stopped.", "id": "q1"}
            await ws.send({"type": "ping"})
            assert (await ws.until(lambda m: m["type"] == "pong"))[-1] == {"type": "pong"}

    started = time.monotonic()
    run(scenario())
    wait_until(lambda: llm_in_flight(fresh_llm) == 0, 5, "the model stops generating after cancel")
    assert time.monotonic() - started < 15


def test_timeout_ends_in_an_error_and_cancels_upstream(timeout_proxy: ProxyProcess, fresh_llm: SpawnedServer) -> None:
    fresh_llm.configure(ttft_ms=0, tokens=2000, tokens_per_second=50)

    async def scenario() -> list[dict]:
        async with ProxySocket(f"{timeout_proxy.ws_url}/ws/r-{uuid.uuid4().hex[:12]}") as ws:
            started = time.monotonic()
            mine, end = await ws.ask("q1", f"How do Salesforce Flows work? (#{uuid.uuid4().int % 10**9})", within=15)
            assert end["type"] == "error" and end["code"] == "timeout", end
            assert "3 s" in end["message"]
            assert 2.9 < time.monotonic() - started < 8
            return mine

    mine = run(scenario())
    assert any(m["type"] == "delta" for m in mine)  # it was streaming when the deadline struck
    wait_until(lambda: llm_in_flight(fresh_llm) == 0, 5, "the model stops generating after the timeout")


def test_hundred_concurrent_chats_all_complete_none_mixed_up(llm_proxy: ProxyProcess, fresh_llm: SpawnedServer) -> None:
    n = 100
    tag = uuid.uuid4().hex[:6]

    async def one(i: int) -> tuple[str, list[dict], dict]:
        question = f"How do I bulkify an Apex trigger, question {i} of run {tag}?"
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/c-{tag}-{i}", open_timeout=30) as ws:
            mine, end = await ws.ask(f"q{i}", question, within=50)
            return question, mine, end

    async def scenario() -> list[tuple[str, list[dict], dict]]:
        return await asyncio.gather(*(one(i) for i in range(n)))

    started = time.monotonic()
    results = run(scenario())
    elapsed = time.monotonic() - started
    assert [end["type"] for _, _, end in results] == ["done"] * n, [
        end for _, _, end in results if end["type"] != "done"
    ][:3]
    for question, mine, end in results:
        echoed = re.findall(rf"question \d+ of run {tag}", end["text"])
        assert echoed == [question.split(", ")[1].rstrip("?")], (question, end["text"][:120])  # its own, only it
        deltas = [m["text"] for m in mine if m["type"] == "delta"]
        assert deltas and "".join(deltas) == end["text"]
    assert len({end["message_id"] for _, _, end in results}) == n
    assert elapsed < 60
    status = httpx.get(llm_proxy.url + "/status", timeout=5).json()
    assert status["proxy"]["active_chats"] == 0


def test_a_page_that_leaves_mid_answer_finds_the_whole_answer_when_it_returns(
    llm_proxy: ProxyProcess, fresh_llm: SpawnedServer
) -> None:
    fresh_llm.configure(tokens=60, tokens_per_second=50)  # about 1.2 s of answer
    client_id = f"r-{uuid.uuid4().hex[:12]}"
    question = f"How do I test an Apex callout? (#{uuid.uuid4().int % 10**9})"

    async def scenario() -> dict:
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/{client_id}") as ws:
            await ws.send({"type": "query", "id": "q1", "text": question})
            await ws.until(lambda m: m["type"] == "delta")
        # the page is gone mid-answer; it comes back and asks for its history until the turn is there
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 15
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/{client_id}") as ws:
            while True:
                await asyncio.sleep(0.2)  # poll interval (the turn lands when the Space finishes it)
                await ws.send({"type": "history"})
                history = (await ws.until(lambda m: m["type"] == "history" and m["source"] == "space"))[-1]
                if len(history["messages"]) == 2 or loop.time() > deadline:
                    return history

    history = run(scenario())
    user, assistant = history["messages"]
    assert user["content"] == question
    assert assistant["content"].startswith("Echo: ") and question in assistant["content"]
    assert len(assistant["content"].split()) == 60  # the whole answer, not the part streamed before leaving
    assert assistant.get("incomplete") in (None, False)


def test_the_question_limit_is_the_spaces(llm_proxy: ProxyProcess, fresh_llm: SpawnedServer) -> None:
    """The Space allows 3,000 characters (not the default 4,000): the proxy learns it, tells the
    page and refuses a longer question itself; the model never sees it."""
    client_id = f"r-{uuid.uuid4().hex[:12]}"

    async def scenario() -> None:
        async with ProxySocket(f"{llm_proxy.ws_url}/ws/{client_id}") as ws:
            await ws.send({"type": "limits"})
            limits = (await ws.until(lambda m: m["type"] == "limits"))[-1]
            assert limits["max_question_chars"] == SPACE_QUESTION_LIMIT and limits["source"] == "space"
            _, refused = await ws.ask("q1", "x" * (SPACE_QUESTION_LIMIT + 1))
            assert refused["code"] == "too_long" and refused["limit"] == SPACE_QUESTION_LIMIT
            assert refused["message"] == "The question is too long: 3001 characters, the limit is 3000."
            _, done = await ws.ask("q2", "y" * (SPACE_QUESTION_LIMIT - 20) + " SOQL?")
            assert done["type"] == "done", done

    run(scenario())
    questions = [str(r["messages"][-1]["content"]) for r in fresh_llm.requests()]  # reset when the test began
    assert not any("x" * (SPACE_QUESTION_LIMIT + 1) in q for q in questions)
    assert sum("y" * (SPACE_QUESTION_LIMIT - 20) in q for q in questions) == 1
