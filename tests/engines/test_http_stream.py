"""The fast reader's own HTTP client (engines/http_stream.py, engines/http_pool.py) against the
LLM test server: connections are kept between chats, a stopped answer closes its connection, HTTPS
(as Inference Providers speak it) is read the same way, and with a proxy configured the requests
go through httpx2 (which honours it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import trustme

from plumberforce.engines.base import ChatMessage, EngineRequest
from plumberforce.engines.remote import RemoteEngine
from plumberforce.settings import Settings
from plumberforce.testing.llm_server import LLMServerConfig, RunningServer, run_in_thread


def _engine(llm: RunningServer) -> RemoteEngine:
    return RemoteEngine(Settings(base_url=llm.base_url, model="test-model", request_timeout=3.0, retries=0))


def _request(text: str = "ping 7") -> EngineRequest:
    return EngineRequest([ChatMessage("user", text)], text, "en")


async def _answer(engine: RemoteEngine, text: str = "ping 7") -> str:
    return "".join([t async for t in engine.stream(_request(text))])


def _idle(engine: RemoteEngine) -> list:
    return [c for idle in engine._streams._idle.values() for c in idle] if engine._streams else []


async def _settled(engine: RemoteEngine, count: int, within: float = 5.0) -> list:
    """The idle connections once there are ``count`` of them: a connection goes back to the pool when
    its response's last bytes arrive, which may be after the answer's text was handed over."""
    deadline = asyncio.get_running_loop().time() + within
    while len(_idle(engine)) != count:
        assert asyncio.get_running_loop().time() < deadline, f"{len(_idle(engine))} idle connections, not {count}"
        await asyncio.sleep(0.01)  # polling a state of the pool, with a deadline
    return _idle(engine)


def test_connections_are_kept_between_chats_and_closed_when_an_answer_is_stopped(llm: RunningServer) -> None:
    async def main() -> None:
        engine = _engine(llm)
        try:
            first = await _answer(engine, "ping 0")
            kept = await _settled(engine, 1)
            second = await _answer(engine, "ping 1")
            assert first.startswith("Echo: ping 0") and second.startswith("Echo: ping 1")
            assert await _settled(engine, 1) == kept  # the second chat reused the first one's connection
            three = await asyncio.gather(*(_answer(engine) for _ in range(3)))
            assert all(t.startswith("Echo: ping 7") for t in three)
            assert kept[0] in await _settled(engine, 3)
            stream = engine.stream(_request())
            assert await anext(stream)  # the first piece, then the person stops the answer
            await stream.aclose()
            assert len(_idle(engine)) == 2  # its connection closed (the server stops generating)
        finally:
            await engine.aclose()

    asyncio.run(main())


def test_https_is_read_by_the_same_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LLM test server behind TLS with a certificate of a test CA that the engine trusts through
    SSL_CERT_FILE (as httpx2 reads it): the answer streams over the engine's own kept connection."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    config = LLMServerConfig(ttft_ms=5, tokens_per_second=2000, tokens=20, echo=True)
    with run_in_thread(config, tls=(str(cert_file), str(key_file))) as server:
        assert server.base_url.startswith("https://")

        async def main() -> None:
            engine = _engine(server)
            try:
                first = await _answer(engine, "ping 0")
                kept = await _settled(engine, 1)  # our pool, over TLS
                second = await _answer(engine, "ping 1")
                assert first.startswith("Echo: ping 0") and second.startswith("Echo: ping 1")
                assert await _settled(engine, 1) == kept  # the second chat reused the connection
            finally:
                await engine.aclose()

        asyncio.run(main())


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    """Without the test CA, the same server is refused: the chat fails with the engine's own error."""
    cert = trustme.CA().issue_cert("127.0.0.1")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    with run_in_thread(LLMServerConfig(echo=True), tls=(str(cert_file), str(key_file))) as server:

        async def main() -> None:
            engine = _engine(server)
            try:
                with pytest.raises(Exception, match="cannot be reached"):
                    await _answer(engine)
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


def test_under_load_a_stream_is_read_in_fewer_larger_pieces() -> None:
    """A reads budget of 1 a second makes one stream alone wait 1 s between reads (as 200 streams at
    once do, more briefly, with the default 2000): the first piece at once, the rest gathered in the
    socket meanwhile; the same text, and the connection kept for the next chat. The server spaces its
    20 tokens 20 ms apart (0.4 s in all), so that unpaced reading sees them one by one even on a busy
    machine, and a paced reader finds them all waiting after its pause."""
    config = LLMServerConfig(ttft_ms=5, tokens_per_second=50, tokens=20, echo=True)

    async def pieces(server: RunningServer, reads_per_second: float) -> list[str]:
        settings = Settings(base_url=server.base_url, model="test-model", request_timeout=5.0, retries=0)
        engine = RemoteEngine(settings.model_copy(update={"model_reads_per_second": reads_per_second}))
        try:
            got = [t async for t in engine.stream(_request("ping 9"))]
            await _settled(engine, 1)
            return got
        finally:
            await engine.aclose()

    with run_in_thread(config) as server:
        every_read, gathered = asyncio.run(pieces(server, 0)), asyncio.run(pieces(server, 1))
    assert "".join(gathered) == "".join(every_read)
    assert len(every_read) > 5 and len(gathered) <= 3, (len(every_read), len(gathered))


def test_a_stream_given_up_while_paused_closes_its_connection_and_the_pool_serves_on(llm: RunningServer) -> None:
    """Stopped during a read pause (the socket left unread between two paced reads), as when the
    person goes away: the pause ends with the connection, which closes (the server stops
    generating), without waiting out the pause; the next chat is served."""

    async def main() -> None:
        settings = Settings(base_url=llm.base_url, model="test-model", request_timeout=5.0, retries=0)
        engine = RemoteEngine(settings.model_copy(update={"model_reads_per_second": 0.5}))  # 2 s between reads
        loop = asyncio.get_running_loop()
        try:
            stream = engine.stream(_request("ping 3"))
            assert await anext(stream)  # the first piece at once; asking for the next one starts the pause
            started = loop.time()
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(anext(stream), 0.3)  # given up 0.3 s into the 2 s pause
            await stream.aclose()
            assert loop.time() - started < 1.5  # the pause was not waited out
            assert _idle(engine) == [] and engine.streaming == 0  # its connection closed
            assert (await _answer(engine, "ping 4")).startswith("Echo: ping 4")
            await _settled(engine, 1)
        finally:
            await engine.aclose()

    asyncio.run(main())
