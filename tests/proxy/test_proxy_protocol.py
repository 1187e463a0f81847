"""The WebSocket protocol, end to end: a real proxy process (uvicorn), a real Space process, a
real WebSocket client. Offline engine here; the LLM test server in test_proxy_remote.py."""

from __future__ import annotations

import csv
import io
import json
import uuid

import httpx
import pytest
import websockets
from gradio_client import Client

from plumberforce.testing.processes import SpaceProcess
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run


def cid() -> str:
    return "p-" + uuid.uuid4().hex[:16]


def test_query_streams_deltas_then_done(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            mine, done = await ws.ask("q1", "How do I avoid too many SOQL queries in a trigger?")
            assert mine[0] == {"type": "ack", "id": "q1", "of": "query"}
            deltas = [m for m in mine if m["type"] == "delta"]
            assert len(deltas) >= 2, "the answer must stream in several deltas"
            assert done["type"] == "done", done
            assert "".join(d["text"] for d in deltas) == done["text"]  # deltas are what was appended
            assert len(done["message_id"]) == 32 and done["engine"] == "offline" and done["cached"] is False
            assert done["sources"] and all(s["url"].startswith("https://") for s in done["sources"])
            assert "<h2>" in done["html"] and "<script" not in done["html"]

    run(scenario())


def test_history_comes_from_the_space_then_from_the_cache(offline_proxy: ProxyProcess) -> None:
    client_id = cid()

    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            await ws.send({"type": "history"})
            first = await ws.until(lambda m: m["type"] == "history")
            assert first[-1] == {"type": "history", "source": "space", "messages": []}
            _, done = await ws.ask("q1", "What is a governor limit?")
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:  # a reconnecting page
            await ws.send({"type": "history"})
            cached = (await ws.until(lambda m: m["type"] == "history"))[-1]
            fresh = (await ws.until(lambda m: m["type"] == "history"))[-1]
        assert cached["source"] == "cache" and fresh["source"] == "space"
        for history in (cached, fresh):
            assert [m["role"] for m in history["messages"]] == ["user", "assistant"]
            assert history["messages"][0]["content"] == "What is a governor limit?"
            assert history["messages"][1]["message_id"] == done["message_id"]
            assert history["messages"][1]["html"] == done["html"]

    run(scenario())


def test_reset_forgets_the_conversation_on_the_space(offline_proxy: ProxyProcess, offline_space: SpaceProcess) -> None:
    client_id = cid()

    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            await ws.ask("q1", "What is a sharing rule?")
            await ws.send({"type": "reset", "id": "r1"})
            seen = await ws.until(lambda m: m["type"] == "history")
            assert {"type": "ack", "id": "r1", "of": "reset"} in seen and seen[-1]["messages"] == []

    run(scenario())
    assert Client(offline_space.url, verbose=False).predict(client_id, api_name="/history") == []


def test_feedback_reaches_the_space(offline_proxy: ProxyProcess, offline_space: SpaceProcess) -> None:
    client_id = cid()

    async def scenario() -> str:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            _, done = await ws.ask("q1", "How do I test a callout?")
            await ws.send(
                {
                    "type": "feedback",
                    "id": "f1",
                    "message_id": done["message_id"],
                    "rating": 4,
                    "comment": "clear, thanks",
                }
            )
            ack = (await ws.until(lambda m: m.get("id") == "f1"))[-1]
            assert ack == {"type": "ack", "id": "f1", "of": "feedback", "message_id": done["message_id"]}
            await ws.send({"type": "feedback", "id": "f2", "message_id": "0" * 32, "rating": 5})
            refused = (await ws.until(lambda m: m.get("id") == "f2"))[-1]
            assert refused["type"] == "error" and refused["code"] == "upstream_error" and refused["message"]
            return str(done["message_id"])

    message_id = run(scenario())
    export = httpx.get(offline_space.url + "/api/feedback/export", timeout=10)
    assert export.status_code == 200
    rows = [r for r in csv.DictReader(io.StringIO(export.text)) if r["message_id"] == message_id]
    assert len(rows) == 1
    assert (
        rows[0]["client_id"] == client_id
        and int(float(rows[0]["rating"])) == 4
        and rows[0]["comment"] == "clear, thanks"
    )


def test_ping(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            await ws.send({"type": "ping"})
            assert await ws.recv() == {"type": "pong"}

    run(scenario())


@pytest.mark.parametrize(
    ("frame", "code", "words"),
    [
        ("{not json", "bad_json", "not valid JSON"),
        ("[1, 2]", "bad_json", "JSON object"),
        (b"\xff\xfe binary", "bad_json", "not valid JSON"),
        ('{"type": "launch_missiles"}', "unknown_type", "Unknown message type"),
        ('{"id": "x"}', "unknown_type", "Unknown message type"),
        ('{"type": "query", "id": "q1"}', "invalid", "text: missing"),
        ('{"type": "query", "text": "hi"}', "invalid", "id: missing"),
        ('{"type": "query", "id": "q1", "text": ""}', "invalid", "text"),
        ('{"type": "query", "id": "bad id!", "text": "hi"}', "invalid", "id"),
        ('{"type": "cancel"}', "invalid", "id: missing"),
        ('{"type": "feedback", "message_id": "m1", "rating": 9}', "invalid", "rating"),
        ('{"type": "feedback", "message_id": "m1", "rating": "5"}', "invalid", "rating"),
        ('{"type": "feedback", "rating": 5}', "invalid", "message_id: missing"),
        (
            '{"type": "feedback", "message_id": "m1", "rating": 3, "comment": "' + "x" * 1001 + '"}',
            "invalid",
            "comment",
        ),
        ('{"type": "cancel", "id": "nothing-running"}', "not_found", "No question"),
    ],
)
def test_bad_input_gets_a_clear_error_and_the_socket_stays_usable(
    offline_proxy: ProxyProcess, frame: str | bytes, code: str, words: str
) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            await ws.send(frame)
            error = await ws.recv()
            assert error["type"] == "error" and error["code"] == code, error
            assert words in error["message"], error
            await ws.send({"type": "ping"})
            assert await ws.recv() == {"type": "pong"}

    run(scenario())


def test_oversize_frames(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            await ws.send(json.dumps({"type": "query", "id": "q1", "text": "x" * 16_400}))  # over 16 KB
            error = await ws.recv()
            assert error == {"type": "error", "code": "too_large", "message": "Message too large: at most 16384 bytes."}
            await ws.send({"type": "ping"})
            assert await ws.recv() == {"type": "pong"}
            await ws.send("x" * 200_000)  # far over: the protocol layer closes with 1009 (message too big)
            assert await ws.closed_with() == 1009

    run(scenario())
    assert httpx.get(offline_proxy.url + "/health", timeout=5).status_code == 200


def test_a_flood_is_refused_then_closed_and_the_proxy_keeps_serving(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            for _ in range(200):  # burst 20, 5/s, closed after 50 refused
                try:
                    await ws.send({"type": "ping"})
                except websockets.ConnectionClosed:
                    break
            replies = []
            code = None
            try:
                while True:
                    replies.append(await ws.recv())
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
            assert code == 1008
            pongs = [m for m in replies if m["type"] == "pong"]
            limited = [m for m in replies if m.get("code") == "rate_limited"]
            assert 20 <= len(pongs) < 40
            assert (
                limited and limited[0]["message"] == "Too many messages; slow down." and limited[0]["retry_after"] > 0
            )
            assert limited[-1]["message"] == "Too many messages: closing the connection."
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:  # others are not affected
            await ws.send({"type": "ping"})
            assert await ws.recv() == {"type": "pong"}

    run(scenario())


def test_a_bad_client_id_is_refused(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{'x' * 65}") as ws:
            error = await ws.recv()
            assert error["code"] == "invalid" and "client id" in error["message"]
            assert await ws.closed_with() == 1008

    run(scenario())


def test_space_unreachable_gives_backend_unavailable_and_the_proxy_keeps_serving(dead_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{dead_proxy.ws_url}/ws/{cid()}") as ws:
            for attempt in ("q1", "q2"):
                _, error = await ws.ask(attempt, "What is SOQL?")
                assert error["type"] == "error" and error["code"] == "backend_unavailable", error
                assert "not available" in error["message"]
            await ws.send({"type": "history"})
            history_error = (await ws.until(lambda m: m["type"] == "error"))[-1]
            assert history_error["code"] == "backend_unavailable" and history_error["of"] == "history"
            await ws.send({"type": "ping"})
            assert await ws.recv() == {"type": "pong"}

    run(scenario())
    assert httpx.get(dead_proxy.url + "/health", timeout=5).json() == {"status": "ok"}
    status = httpx.get(dead_proxy.url + "/status", timeout=5).json()
    assert status["status"] == "down" and status["space"]["status"] == "down"
    assert status["proxy"]["status"] == "ok"
    assert httpx.get(dead_proxy.url + "/", timeout=5).status_code == 200
