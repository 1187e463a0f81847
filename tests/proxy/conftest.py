"""Fixtures of the proxy tests: real processes on loopback.

- ``proxy_llm``: the LLM test server in its own process (echo on: answers start with
  "Echo: <question>"), 200 ms to first token, 50 tokens/s, 40 tokens;
- ``proxy_space``: a Space whose remote engine is ``proxy_llm``, rate limits and answer cache off
  (the concurrency test sends 100 chats from one address; tests ask unique questions anyway),
  questions limited to ``SPACE_QUESTION_LIMIT`` characters (not the default: the proxy must
  learn it from the Space);
- ``llm_proxy``: the proxy (``python -m render_proxy``) in front of ``proxy_space``;
- ``offline_proxy``: the proxy in front of the session's ``offline_space``, with tight flood
  limits and one allowed CORS origin;
- ``dead_proxy``: the proxy in front of a port where nothing listens.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from plumberforce.testing.llm_server import LLMServerConfig, SpawnedServer, spawn
from plumberforce.testing.processes import SpaceProcess, refused_url, remote_env
from tests.proxy.proxy_processes import ProxyProcess

LLM_CONFIG = LLMServerConfig(ttft_ms=200, tokens_per_second=50, tokens=40, echo=True, log_level="warning")
ALLOWED_ORIGIN = "https://allowed.example"
SPACE_QUESTION_LIMIT = 3000


@pytest.fixture(scope="session")
def proxy_llm() -> Iterator[SpawnedServer]:
    server = spawn(LLM_CONFIG)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_llm(proxy_llm: SpawnedServer) -> Iterator[SpawnedServer]:
    """``proxy_llm`` with its start-up config restored after the test (tests reconfigure it)."""
    proxy_llm.reset()
    try:
        yield proxy_llm
    finally:
        proxy_llm.reset()


@pytest.fixture(scope="session")
def proxy_space(tmp_path_factory: pytest.TempPathFactory, proxy_llm: SpawnedServer) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("proxy-space")
    env = remote_env(
        proxy_llm.base_url,
        request_timeout=20,
        retries=0,
        cache_ttl_seconds=0,
        max_question_chars=SPACE_QUESTION_LIMIT,
    )
    with SpaceProcess(root / "data", env=env) as space:
        yield space


@pytest.fixture(scope="session")
def llm_proxy(tmp_path_factory: pytest.TempPathFactory, proxy_space: SpaceProcess) -> Iterator[ProxyProcess]:
    with ProxyProcess(proxy_space.url, tmp_path_factory.mktemp("llm-proxy")) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def offline_proxy(tmp_path_factory: pytest.TempPathFactory, offline_space: SpaceProcess) -> Iterator[ProxyProcess]:
    env = {
        "PLUMBERFORCE_PROXY_RATE_PER_SECOND": "5",
        "PLUMBERFORCE_PROXY_RATE_BURST": "20",
        "PLUMBERFORCE_PROXY_FLOOD_CLOSE_AFTER": "50",
        "PLUMBERFORCE_PROXY_CORS_ORIGINS": ALLOWED_ORIGIN,
    }
    with ProxyProcess(offline_space.url, tmp_path_factory.mktemp("offline-proxy"), env=env) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def dead_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with (
        refused_url() as nowhere,
        ProxyProcess(
            nowhere, tmp_path_factory.mktemp("dead-proxy"), env={"PLUMBERFORCE_PROXY_STATUS_TIMEOUT": "1"}
        ) as proxy,
    ):
        yield proxy


def llm_in_flight(llm: SpawnedServer) -> int:
    """Answers the LLM test server is producing right now."""
    return int(httpx.get(llm.url + "/health", timeout=5).json()["in_flight"])
