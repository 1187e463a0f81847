"""The remote engine against the project's LLM test server, through the real huggingface_hub
client by base URL: streaming, retries, Retry-After, and the mapping of every fault."""

from __future__ import annotations

import asyncio
import time

import pytest

from plumberforce import errors
from plumberforce.engines.base import ChatMessage, EngineRequest
from plumberforce.engines.remote import RemoteEngine
from plumberforce.settings import Settings
from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import refused_url


def _engine(base_url: str, **overrides: object) -> RemoteEngine:
    values = dict(base_url=base_url, model="test-model", request_timeout=3.0, retries=2, retry_backoff=0.01)
    values.update(overrides)
    return RemoteEngine(Settings(**values))  # type: ignore[arg-type]


def _request(text: str = "What is a trigger?", lang: str = "en") -> EngineRequest:
    return EngineRequest([ChatMessage("system", "be brief"), ChatMessage("user", text)], text, lang)


async def _collect(engine: RemoteEngine, request: EngineRequest) -> tuple[list[str], BaseException | None]:
    chunks: list[str] = []
    try:
        async for chunk in engine.stream(request):
            chunks.append(chunk)
    except errors.EngineError as exc:
        return chunks, exc
    finally:
        await engine.aclose()
    return chunks, None


@pytest.fixture(autouse=True)
def fresh(llm: RunningServer):
    llm.reset()
    yield
    llm.reset()


def test_streams_tokens_as_they_arrive(llm: RunningServer) -> None:
    chunks, error = asyncio.run(_collect(_engine(llm.base_url), _request("ping 42")))
    assert error is None
    assert 1 < len(chunks) <= 30  # streamed: a piece per network read, at most one per token
    assert "".join(chunks).startswith("Echo: ping 42 ")
    sent = llm.requests()[-1]
    assert sent["stream"] is True and sent["model"] == "test-model"
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]


def test_recovers_from_one_503(llm: RunningServer) -> None:
    llm.script(["503", "ok"])
    chunks, error = asyncio.run(_collect(_engine(llm.base_url), _request()))
    assert error is None and chunks
    assert [r["fault"] for r in llm.requests()] == ["503", None]


def test_honours_retry_after(llm: RunningServer) -> None:
    llm.configure(retry_after=1)
    llm.script(["429", "ok"])
    started = time.monotonic()
    chunks, error = asyncio.run(_collect(_engine(llm.base_url, retry_backoff=0.0), _request()))
    assert error is None and chunks
    assert time.monotonic() - started >= 1.0


@pytest.mark.parametrize(
    ("fault", "kind", "words", "attempts"),
    [
        ("401", errors.EngineAuth, "HF_TOKEN", 1),
        ("403", errors.EngineAuth, "credentials", 1),
        ("404", errors.ModelNotServed, "PLUMBERFORCE_MODEL", 1),
        ("503", errors.EngineOverloaded, "loading", 3),
        ("429", errors.EngineRateLimited, "rate", 3),
    ],
)
def test_errors_are_mapped_and_retried_only_when_useful(
    llm: RunningServer, fault: str, kind: type, words: str, attempts: int
) -> None:
    llm.configure(retry_after=0)
    llm.script([fault] * 5)
    chunks, error = asyncio.run(_collect(_engine(llm.base_url), _request()))
    assert chunks == [] and type(error) is kind
    assert words.lower() in error.message("en").lower()
    assert error.message("it") != error.message("en")
    assert len(llm.requests()) == attempts
    if fault == "404":
        assert "test-model" in error.message("en")


def test_hang_times_out_within_the_configured_timeout(llm: RunningServer) -> None:
    llm.script(["hang"] * 3)
    started = time.monotonic()
    chunks, error = asyncio.run(_collect(_engine(llm.base_url, request_timeout=0.6), _request()))
    elapsed = time.monotonic() - started
    assert isinstance(error, errors.EngineTimeout) and chunks == []
    assert elapsed < 0.6 + 1.0  # the deadline covers the retries too


def test_hang_mid_stream_ends_with_a_timeout_after_the_first_chunks(llm: RunningServer) -> None:
    llm.script(["hang-mid"])
    chunks, error = asyncio.run(_collect(_engine(llm.base_url, request_timeout=0.6), _request()))
    assert isinstance(error, errors.EngineTimeout)
    assert 0 < len(chunks) < 30
    assert len(llm.requests()) == 1  # never retried once text was produced


@pytest.mark.parametrize("fault", ["drop", "malformed"])
def test_broken_stream_is_a_bad_response_after_partial_text(llm: RunningServer, fault: str) -> None:
    llm.script([fault])
    chunks, error = asyncio.run(_collect(_engine(llm.base_url), _request()))
    assert isinstance(error, errors.BadResponse)
    assert 0 < len(chunks) < 30
    assert len(llm.requests()) == 1


def test_connection_refused_is_unavailable() -> None:
    with refused_url() as base:
        chunks, error = asyncio.run(_collect(_engine(base + "/v1", retries=1), _request()))
    assert isinstance(error, errors.EngineUnavailable) and chunks == []
    assert "cannot be reached" in error.message("en")


def test_concurrent_streams_share_the_pool_without_mixing(llm: RunningServer) -> None:
    engine = _engine(llm.base_url)

    async def one(i: int) -> str:
        return "".join([c async for c in engine.stream(_request(f"question-{i}"))])

    async def main() -> list[str]:
        try:
            return await asyncio.gather(*(one(i) for i in range(20)))
        finally:
            await engine.aclose()

    answers = asyncio.run(main())
    assert all(a.startswith(f"Echo: question-{i} ") for i, a in enumerate(answers))
