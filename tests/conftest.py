"""Shared fixtures: real servers on loopback.

- ``offline_space``: one Space process on the offline engine for the whole session (tests use
  their own client ids, so they do not see each other's conversations);
- ``llm``: the project's OpenAI-compatible test server, in a thread of the test process;
- ``remote_space``: a Space process whose remote engine points at ``llm`` by base URL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import settings
from playwright.sync_api import Browser, expect, sync_playwright

from plumberforce.testing import zygote
from plumberforce.testing.llm_server import LLMServerConfig, RunningServer, run_in_thread
from plumberforce.testing.processes import SpaceProcess, remote_env
from plumberforce.testing.redis_server import RedisServer

# Property-based and fuzz tests are derandomized: the same examples on every run, so a red run is
# reproducible and a green one stays green. For fresh randomness locally:
#   HYPOTHESIS_PROFILE=explore python -m pytest tests/security tests/proxy/test_proxy_units.py
settings.register_profile("derandomized", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))
if os.environ.get("PLUMBERFORCE_TEST_FORK", "1") != "0":  # Spaces and proxies forked, not exec'd (zygote.py)
    zygote.enable()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium")


# The longest files (20-45 s each on 2 cores), handed to the two xdist workers first so that no
# worker is left alone with one of them at the end. A scheduling hint only: a file missing here
# runs in its usual place; the order of tests inside a file never changes.
LONGEST_FIRST = (
    "tests/ui/test_chat_fast_path.py",
    "tests/ui/test_space_ui_finish.py",
    "tests/security/test_fuzz_openapi.py",
    "tests/deploy/test_deploy_targets.py",
    "tests/ui/test_space_browser.py",
    "tests/knowledge/test_adding_an_article.py",
    "tests/security/test_faults.py",
    "tests/api/test_named_endpoints.py",
    "tests/security/test_hostile_inputs.py",
    "tests/deploy/test_space_storage.py",
    "tests/replicas/test_proxy_replicas.py",
    "tests/knowledge/test_index_cache.py",
    "tests/e2e/test_proxy_browser.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: files stay whole


@pytest.fixture
def client_id() -> str:
    return "t-" + uuid.uuid4().hex[:16]


@pytest.fixture(scope="session")
def offline_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("offline-space")
    with SpaceProcess(root / "data", env={"PLUMBERFORCE_ENGINE": "offline"}) as space:
        yield space


@pytest.fixture(scope="session")
def llm() -> Iterator[RunningServer]:
    with run_in_thread(LLMServerConfig(ttft_ms=20, tokens_per_second=400, tokens=30, echo=True)) as server:
        yield server


@pytest.fixture(scope="session")
def remote_space(tmp_path_factory: pytest.TempPathFactory, llm: RunningServer) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("remote-space")
    env = remote_env(llm.base_url, request_timeout=3, retries=2, retry_backoff=0.05)
    with SpaceProcess(root / "data", env=env) as space:
        yield space


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Debian's redis-server on a free loopback port with its own directory, for the session
    (tests keep apart by key prefix or by client id)."""
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def http(offline_space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=offline_space.url, timeout=30) as client:
        yield client


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install -y chromium")
    return path


PLAYWRIGHT_EXPECT_TIMEOUT = 5_000  # Playwright's default, restored after each test


@pytest.fixture(autouse=True)
def generous_expect() -> Iterator[None]:
    """Waits are for states, never sleeps; their bounds are generous because the machine may be
    shared (a loaded 2-core box, two test workers on it, answers in seconds what an idle one
    answers in milliseconds)."""
    expect.set_options(timeout=20_000)
    try:
        yield
    finally:
        expect.set_options(timeout=PLAYWRIGHT_EXPECT_TIMEOUT)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright (executable_path: no browser download).

    Module-scoped on purpose: Playwright's sync API keeps an event loop running in the main
    thread while it is started, which would break ``asyncio.run`` in later test modules.
    """
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()
