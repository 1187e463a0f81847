"""The LLM test server, exercised through the real huggingface_hub AsyncInferenceClient.

The fault tests double as the record of what huggingface_hub 2.4.0 raises for each failure, and
where: at the ``chat_completion`` await, or while iterating the stream.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
from huggingface_hub import AsyncInferenceClient
from huggingface_hub.errors import BadRequestError, HfHubHTTPError, InferenceTimeoutError

from plumberforce.testing.llm_server import (
    DEFAULT_TEXT,
    MID_STREAM_TOKENS,
    LLMServerConfig,
    RunningServer,
    run_in_thread,
    spawn,
)

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is a Flow?"}]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with run_in_thread(LLMServerConfig(ttft_ms=20, tokens_per_second=1000, tokens=8)) as running:
        yield running


@pytest.fixture
def llm(server: RunningServer) -> RunningServer:
    server.reset()
    return server


def words(count: int) -> str:
    """The first ``count`` words of the default answer, as the client should see them."""
    return " ".join(DEFAULT_TEXT.split()[:count])


def client(base_url: str, **kwargs: Any) -> AsyncInferenceClient:
    return AsyncInferenceClient(base_url=base_url, api_key="test-key", **kwargs)


async def stream(
    base_url: str, messages: list[dict[str, str]] = MESSAGES, headers: dict[str, str] | None = None, **params: Any
) -> tuple[list[Any], float]:
    """Stream one answer; return its chunks and the seconds to the first one."""
    chunks: list[Any] = []
    first = 0.0
    async with client(base_url, headers=headers) as hf:
        start = time.monotonic()
        async for chunk in await hf.chat_completion(messages, stream=True, **params):
            first = first or time.monotonic() - start
            chunks.append(chunk)
    return chunks, first


def contents(chunks: list[Any]) -> list[str]:
    return [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]


async def complete(base_url: str, **params: Any) -> Any:
    async with client(base_url) as hf:
        return await hf.chat_completion(MESSAGES, **params)


async def failure(
    base_url: str,
    fault: str | None,
    stream: bool,
    timeout: float | None = None,  # noqa: ASYNC109 (the client timeout under test)
) -> tuple[str, Exception, int]:
    """Send one request (with ``X-Fault: fault``); return where it failed, the exception, the chunks received."""
    async with client(base_url, headers={"X-Fault": fault} if fault else {}, timeout=timeout) as hf:
        try:
            result = await hf.chat_completion(MESSAGES, stream=stream)
        except Exception as exc:  # recording whatever the library raises is the point
            return "await", exc, 0
        received = 0
        try:
            async for _ in result:
                received += 1
        except Exception as exc:
            return "iterate", exc, received
    raise AssertionError(f"fault {fault!r} ended cleanly")


def test_stream_yields_the_tokens_in_order_after_the_ttft(llm: RunningServer) -> None:
    llm.configure(ttft_ms=150, tokens_per_second=100, tokens=12)
    start = time.monotonic()
    chunks, first = asyncio.run(stream(llm.base_url))
    assert first >= 0.150
    assert time.monotonic() - start >= 0.150 + 11 / 100
    assert contents(chunks) == [word + " " for word in words(11).split()] + [words(12).split()[-1]]
    assert "".join(contents(chunks)) == words(12)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("suffix", ["", "/v1"])
def test_both_base_url_forms_post_to_v1_chat_completions(llm: RunningServer, suffix: str) -> None:
    answer = asyncio.run(complete(llm.url + suffix))
    assert answer.choices[0].message.content == words(8)
    assert llm.requests()[-1]["path"] == "/v1/chat/completions"


def test_non_streaming_returns_the_whole_text_and_max_tokens_caps_it(llm: RunningServer) -> None:
    whole = asyncio.run(complete(llm.base_url))
    assert (whole.choices[0].message.content, whole.choices[0].finish_reason) == (words(8), "stop")
    assert whole.usage.completion_tokens == 8
    capped = asyncio.run(complete(llm.base_url, max_tokens=3))
    cut = words(3) + " "  # three whole tokens, each a word plus its following space
    assert (capped.choices[0].message.content, capped.choices[0].finish_reason) == (cut, "length")
    chunks, _ = asyncio.run(stream(llm.base_url, max_tokens=3))
    assert "".join(contents(chunks)) == cut
    assert chunks[-1].choices[0].finish_reason == "length"


def test_echo_keeps_concurrent_answers_apart(llm: RunningServer) -> None:
    llm.configure(echo=True, tokens=30, tokens_per_second=300)

    async def ask_all() -> list[tuple[list[Any], float]]:
        asks = [stream(llm.base_url, [{"role": "user", "content": f"question number {i}"}]) for i in range(8)]
        return await asyncio.gather(*asks)

    for i, (chunks, _) in enumerate(asyncio.run(ask_all())):
        assert "".join(contents(chunks)).startswith(f"Echo: question number {i} Salesforce is")
        assert len(contents(chunks)) == 30


@pytest.mark.parametrize("stream_mode", [True, False], ids=["stream", "complete"])
@pytest.mark.parametrize("fault", ["503", "429", "401", "403", "404", "500"])
def test_status_faults_raise_hf_hub_http_error_at_the_await(llm: RunningServer, fault: str, stream_mode: bool) -> None:
    where, exc, _ = asyncio.run(failure(llm.base_url, fault, stream_mode))
    assert where == "await"
    assert type(exc) is HfHubHTTPError
    assert isinstance(exc, HfHubHTTPError) and exc.response is not None
    assert exc.response.status_code == int(fault)
    assert exc.response.headers.get("Retry-After") == ("1" if fault in ("503", "429") else None)
    if fault == "503":
        assert exc.response.json() == {"error": "Model is currently loading", "estimated_time": 20.0}


def test_retry_after_is_configurable(llm: RunningServer) -> None:
    llm.configure(retry_after=7)
    _, exc, _ = asyncio.run(failure(llm.base_url, "429", stream=True))
    assert isinstance(exc, HfHubHTTPError) and exc.response.headers["Retry-After"] == "7"
    assert exc.response.json()["error"]["code"] == "rate_limit_exceeded"


def test_unknown_fault_is_a_bad_request(llm: RunningServer) -> None:
    where, exc, _ = asyncio.run(failure(llm.base_url, "no-such-fault", stream=True))
    assert (where, type(exc)) == ("await", BadRequestError)
    assert isinstance(exc, HfHubHTTPError) and exc.response.status_code == 400


def test_a_model_outside_models_gets_404_naming_it(llm: RunningServer) -> None:
    llm.configure(models=["served-model"])
    assert asyncio.run(complete(llm.base_url, model="served-model")).choices[0].message.content == words(8)
    with pytest.raises(HfHubHTTPError) as caught:
        asyncio.run(complete(llm.base_url, model="other-model"))
    assert caught.value.response.status_code == 404
    assert "other-model" in caught.value.response.json()["error"]["message"]
    assert [r["fault"] for r in llm.requests()] == [None, "404"]


@pytest.mark.parametrize(
    ("fault", "stream_mode", "where", "error"),
    [
        ("hang", True, "await", InferenceTimeoutError),
        ("hang", False, "await", InferenceTimeoutError),
        ("hang-mid", True, "iterate", httpx2.ReadTimeout),
        ("hang-mid", False, "await", InferenceTimeoutError),
        ("drop", True, "iterate", httpx2.RemoteProtocolError),
        ("drop", False, "await", httpx2.RemoteProtocolError),
        ("malformed", True, "iterate", json.JSONDecodeError),
        ("malformed", False, "await", json.JSONDecodeError),
    ],
)
def test_transport_faults(llm: RunningServer, fault: str, stream_mode: bool, where: str, error: type) -> None:
    got_where, exc, received = asyncio.run(failure(llm.base_url, fault, stream_mode, timeout=0.5))
    assert (got_where, type(exc)) == (where, error)
    assert received == (MID_STREAM_TOKENS if where == "iterate" else 0)
    if error is InferenceTimeoutError:
        assert isinstance(exc.__cause__, httpx2.ReadTimeout)


def test_a_hung_request_does_not_block_others(llm: RunningServer) -> None:
    async def both() -> None:
        hung = asyncio.create_task(failure(llm.base_url, "hang", stream=True, timeout=1.0))
        chunks, _ = await stream(llm.base_url)
        assert not hung.done()
        assert "".join(contents(chunks)) == words(8)
        assert type((await hung)[1]) is InferenceTimeoutError

    asyncio.run(both())


def test_slow_multiplies_the_ttft_by_ten(llm: RunningServer) -> None:
    llm.configure(ttft_ms=40)

    async def slow() -> float:
        async with client(llm.base_url, headers={"X-Fault": "slow"}) as hf:
            start = time.monotonic()
            async for _ in await hf.chat_completion(MESSAGES, stream=True):
                return time.monotonic() - start
        raise AssertionError("no chunk")

    assert asyncio.run(slow()) >= 0.400


def test_scripted_faults_are_consumed_in_order_and_requests_are_logged(llm: RunningServer) -> None:
    assert llm.script(["503", "ok", "429"]) == ["503", "ok", "429"]
    outcomes = []
    for _ in range(4):
        try:
            asyncio.run(complete(llm.base_url, temperature=0.3))
            outcomes.append(200)
        except HfHubHTTPError as exc:
            outcomes.append(exc.response.status_code)
    assert outcomes == [503, 200, 429, 200]
    log = llm.requests()
    assert [r["fault"] for r in log] == ["503", None, "429", None]
    assert all(r["messages"] == MESSAGES and r["params"]["temperature"] == 0.3 for r in log)
    assert all(r["authorized"] and "authorization" not in r["headers"] for r in log)
    counters = httpx.get(f"{llm.url}/_control/requests").json()["counters"]
    assert (counters["requests"], counters["completed"], counters["fault:503"]) == (4, 2, 1)


def test_a_configured_fault_hits_every_request_unless_the_header_says_ok(llm: RunningServer) -> None:
    llm.configure(fault="500")
    for stream_mode in (True, False):
        _, exc, _ = asyncio.run(failure(llm.base_url, None, stream_mode))
        assert isinstance(exc, HfHubHTTPError) and exc.response.status_code == 500
    chunks, _ = asyncio.run(stream(llm.base_url, headers={"X-Fault": "ok"}))
    assert "".join(contents(chunks)) == words(8)


def test_control_and_discovery_endpoints(llm: RunningServer) -> None:
    assert httpx.get(f"{llm.url}/health").json()["status"] == "ok"
    assert httpx.get(f"{llm.base_url}/models").json()["data"][0]["id"] == "plumberforce-test"
    assert httpx.post(f"{llm.url}/_control/script", json={"faults": ["boom"]}).status_code == 400
    assert httpx.post(f"{llm.url}/_control/config", json={"nope": 1}).status_code == 400


def test_connection_refused_raises_connect_error_at_the_await() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    where, exc, _ = asyncio.run(failure(f"http://127.0.0.1:{port}/v1", None, stream=True))
    assert (where, type(exc)) == ("await", httpx2.ConnectError)


@pytest.mark.parametrize(
    "config_or_args",
    [
        ["--ttft-ms", "10", "--tokens-per-second", "0", "--tokens", "7", "--echo", "--log-level", "warning"],
        LLMServerConfig(ttft_ms=10, tokens_per_second=0, tokens=7, echo=True),
    ],
    ids=["flags", "config"],
)
def test_the_command_line_server_in_a_subprocess(config_or_args: list[str] | LLMServerConfig) -> None:
    spawned = spawn(config_or_args)
    with spawned:
        assert spawned.url.startswith("http://127.0.0.1:") and not spawned.url.endswith(":0")
        chunks, _ = asyncio.run(stream(spawned.base_url))
        assert "".join(contents(chunks)) == "Echo: What is a Flow? Salesforce is"
    assert spawned.process.returncode is not None


@pytest.mark.parametrize("keep_alive_s, closes", [(0.3, True), (30.0, False)])
def test_keep_alive_s_is_how_long_an_idle_connection_is_kept(keep_alive_s: float, closes: bool) -> None:
    """The server closes a connection idle for ``keep_alive_s`` (the bench's reconnections), not before."""
    with run_in_thread(LLMServerConfig(keep_alive_s=keep_alive_s)) as running:
        connection = http.client.HTTPConnection(running.url.removeprefix("http://"))
        connection.request("GET", "/health")
        assert connection.getresponse().read().startswith(b'{"status":"ok"')  # the whole response read
        sock = connection.sock
        sock.settimeout(3.0)  # waits for the server's close (EOF), or for the bound to pass
        try:
            closed = sock.recv(1) == b""
        except TimeoutError:
            closed = False
        connection.close()
        assert closed is closes
        refused = httpx.post(f"{running.url}/_control/config", json={"keep_alive_s": 1})
        assert refused.status_code == 400 and "keep_alive_s" in refused.text
