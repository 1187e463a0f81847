"""The fast reader's own HTTP client (engines/http_stream.py, engines/http_pool.py) against the
LLM test server: connections are kept between chats, a stopped answer closes its connection, and
with a proxy configured the requests go through httpx2 (which honours it)."""

from __future__ import annotations

import asyncio

import pytest

from plumberforce.engines.base import ChatMessage, EngineRequest
from plumberforce.engines.remote import RemoteEngine
from plumberforce.settings import Settings
from plumberforce.testing.llm_server import RunningServer


def _engine(llm: RunningServer) -> RemoteEngine:
    return RemoteEngine(Settings(base_url=llm.base_url, model="test-model", request_timeout=3.0, retries=0))


def _request(text: str = "ping 7") -> EngineRequest:
    return EngineRequest([ChatMessage("user", text)], text, "en")


async def _answer(engine: RemoteEngine, text: str = "ping 7") -> str:
    return "".join([t async for t in engine.stream(_request(text))])


def _idle(engine: RemoteEngine) -> list:
    return [c for idle in engine._streams._idle.values() for c in idle] if engine._streams else []


def test_connections_are_kept_between_chats_and_closed_when_an_answer_is_stopped(llm: RunningServer) -> None:
    async def main() -> None:
        engine = _engine(llm)
        try:
            texts = [await _answer(engine, "ping 0"), await _answer(engine, "ping 1")]
            kept = _idle(engine)
            assert texts[0].startswith("Echo: ping 0") and texts[1].startswith("Echo: ping 1")
            assert len(kept) == 1  # the second chat reused the first one's connection
            three = await asyncio.gather(*(_answer(engine) for _ in range(3)))
            assert all(t.startswith("Echo: ping 7") for t in three) and kept[0] in _idle(engine)
            assert len(_idle(engine)) == 3
            stream = engine.stream(_request())
            assert await anext(stream)  # the first piece, then the person stops the answer
            await stream.aclose()
            assert len(_idle(engine)) == 2  # its connection closed (the server stops generating)
        finally:
            await engine.aclose()

    asyncio.run(main())


def test_with_a_proxy_configured_httpx2_sends_the_requests(llm: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # not for loopback: the chat still works

    async def main() -> None:
        engine = _engine(llm)
        try:
            text = await _answer(engine)
            assert text.startswith("Echo: ping 7") and engine._streams is None
        finally:
            await engine.aclose()

    asyncio.run(main())
