"""The proxy's protocol check and its fallback to gradio_client's own ``Client.submit()``.

- Forced (``PLUMBERFORCE_PROXY_QUEUE_CLIENT=gradio_client``) in front of the LLM-backed Space:
  answers still stream to the page (several deltas, the first while the model is still
  generating) and end with the Space's own answer.
- A real Gradio app that advertises ``sse_v4`` (tests/proxy/future_gradio_space.py): the proxy
  does not speak it, says so in one log line and hands the calls to gradio_client; the installed
  gradio_client does not speak sse_v4 either, so the page gets a clear error (not a call in a
  protocol the proxy does not know).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client

from plumberforce.testing.llm_server import SpawnedServer
from plumberforce.testing.processes import ServerProcess, SpaceProcess
from tests.proxy.conftest import llm_in_flight
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run

FALLBACK_LINE = "Calls to the Space go through gradio_client"


class FutureGradioSpace(ServerProcess):
    name = "future-gradio"
    health = "/api/health"

    def command(self) -> list[str]:
        return [sys.executable, str(Path(__file__).with_name("future_gradio_space.py"))]


@pytest.fixture(scope="module")
def fallback_proxy(tmp_path_factory: pytest.TempPathFactory, proxy_space: SpaceProcess) -> Iterator[ProxyProcess]:
    env = {"PLUMBERFORCE_PROXY_QUEUE_CLIENT": "gradio_client"}
    with ProxyProcess(proxy_space.url, tmp_path_factory.mktemp("fallback-proxy"), env=env) as proxy:
        yield proxy


def test_forced_fallback_streams_the_spaces_answer(
    fallback_proxy: ProxyProcess, proxy_space: SpaceProcess, fresh_llm: SpawnedServer
) -> None:
    fresh_llm.configure(tokens=40, tokens_per_second=20)  # about 2 s of answer
    question = f"What is a Queueable job? (#{uuid.uuid4().int % 10**9})"

    async def scenario() -> tuple[list[dict], dict, int]:
        async with ProxySocket(f"{fallback_proxy.ws_url}/ws/f-{uuid.uuid4().hex[:12]}") as ws:
            await ws.send({"type": "query", "id": "q1", "text": question})
            first = (await ws.until(lambda m: m["type"] == "delta" and bool(m["text"])))[-1]
            generating = llm_in_flight(fresh_llm)  # the model is still writing this answer
            rest = await ws.until(lambda m: m.get("id") == "q1" and m["type"] in ("done", "error"), within=30)
            deltas = [first] + [m for m in rest if m["type"] == "delta"]
            return deltas, rest[-1], generating

    deltas, done, generating = run(scenario())
    assert done["type"] == "done", done
    assert generating == 1  # the first chunk reached the page while the answer was being generated
    assert len([d for d in deltas if d["text"]]) >= 3
    assert "".join(d["text"] for d in deltas) == done["text"]
    direct = Client(proxy_space.url, verbose=False, download_files=False, analytics_enabled=False)
    try:
        text, _meta = direct.predict(question, f"direct-{uuid.uuid4().hex[:8]}", api_name="/chat")
    finally:
        direct.close()
    assert done["text"] == text  # the echo model answers a question the same way every time
    assert FALLBACK_LINE in fallback_proxy.log() and "PLUMBERFORCE_PROXY_QUEUE_CLIENT" in fallback_proxy.log()


@pytest.fixture(scope="module")
def future_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FutureGradioSpace]:
    with FutureGradioSpace(tmp_path_factory.mktemp("future-gradio")) as space:
        yield space


def test_an_unknown_advertised_protocol_selects_gradio_client(future_space: FutureGradioSpace, tmp_path: Path) -> None:
    with ProxyProcess(future_space.url, tmp_path) as proxy:

        async def scenario() -> dict:
            async with ProxySocket(f"{proxy.ws_url}/ws/v4-{uuid.uuid4().hex[:12]}") as ws:
                _mine, end = await ws.ask("q1", "Does this reach the Space?")
                return end

        end = run(scenario())
        log = proxy.log()
    assert FALLBACK_LINE in log and "'sse_v4'" in log  # one line: which protocol, who speaks it now
    assert log.count(FALLBACK_LINE) == 1
    assert end["type"] == "error" and end["code"] == "backend_unavailable", end
    assert "sse_v4" in end["message"]
