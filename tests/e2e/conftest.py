"""Fixtures of the browser tests of the Render page: real processes on loopback, shared by the
modules of this folder (each module has its own headless chromium: the ``browser`` fixture).

- ``e2e_space``: a Space whose model is the session's LLM test server (``llm``), answer cache off,
  questions limited to ``E2E_QUESTION_LIMIT`` characters (not the default, so the page's counter
  shows a number it can only have learnt from the Space);
- ``page_proxy``: the proxy in front of ``e2e_space``;
- ``offline_page_proxy``: the proxy in front of the session's ``offline_space`` (offline engine:
  answers in Markdown with headings, code and a numbered list of sources, streamed in about a
  second);
- ``open_page(url, locale=..., frames=[...], **context_options)``: a connected page in a fresh
  context (so a fresh client id), closed after the test, which fails if a page had a script
  error; ``frames`` collects what the page sends over its WebSocket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess, remote_env
from tests.proxy.proxy_processes import ProxyProcess

E2E_QUESTION_LIMIT = 3000


@pytest.fixture(scope="session")
def e2e_space(tmp_path_factory: pytest.TempPathFactory, llm: RunningServer) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("e2e-proxy-space")
    env = remote_env(llm.base_url, retries=0, cache_ttl_seconds=0, max_question_chars=E2E_QUESTION_LIMIT)
    with SpaceProcess(root / "data", env=env) as space:
        yield space


@pytest.fixture(scope="session")
def page_proxy(tmp_path_factory: pytest.TempPathFactory, e2e_space: SpaceProcess) -> Iterator[ProxyProcess]:
    with ProxyProcess(e2e_space.url, tmp_path_factory.mktemp("e2e-proxy")) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def offline_page_proxy(tmp_path_factory: pytest.TempPathFactory, offline_space: SpaceProcess) -> Iterator[ProxyProcess]:
    with ProxyProcess(offline_space.url, tmp_path_factory.mktemp("e2e-offline-proxy")) as proxy:
        yield proxy


@pytest.fixture
def slow_llm(llm: RunningServer) -> Iterator[RunningServer]:
    """The session's LLM test server paced so an answer takes about a second; restored after."""
    llm.configure(ttft_ms=100, tokens_per_second=40, tokens=40, echo=True)
    try:
        yield llm
    finally:
        llm.reset()


@pytest.fixture
def open_page(browser):  # type: ignore[no-untyped-def]
    """``open_page(url, locale=..., frames=None, **context_options)`` (see the module docstring);
    every context is closed after the test (so no socket keeps the proxy's shutdown waiting)."""
    contexts = []
    errors: list[str] = []

    def open_one(url: str, locale: str = "en-US", frames: list[str] | None = None, **options: Any):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale=locale, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if frames is not None:
            page.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(str(payload))))
        page.goto(url)
        page.wait_for_selector("body[data-ws=open]", timeout=15_000)
        return page

    yield open_one
    for context in contexts:
        context.close()
    assert errors == [], errors  # no script error in any page the test opened
