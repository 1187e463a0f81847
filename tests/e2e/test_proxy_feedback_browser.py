"""Feedback that changes something, on the Render page: a poor rating (1-2 stars) of an answer
that came from the Space's cache evicts that cache entry, so the next person asking the same
question gets a fresh answer."""

from __future__ import annotations

import uuid

import httpx
import pytest

from plumberforce.testing.processes import SpaceProcess
from tests.e2e.page_helpers import ask
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser


def test_a_poor_rating_of_a_cached_answer_evicts_it(  # type: ignore[no-untyped-def]
    open_page, offline_page_proxy: ProxyProcess, offline_space: SpaceProcess
) -> None:
    question = f"How do I use Database.Stateful in a batch? (#{uuid.uuid4().int % 10**9})"
    warm = {"query": question, "client_id": f"warm-{uuid.uuid4().hex[:8]}"}
    assert httpx.post(offline_space.url + "/api/query", json=warm, timeout=60).json()["cached"] is False
    page = open_page(offline_page_proxy.url)
    bubble = ask(page, question)
    assert "cached" in bubble.inner_text()  # the page's answer came from the cache filled above
    bubble.locator(".star[data-value='2']").click()
    bubble.locator(".rate-send").click()
    page.wait_for_selector(".msg-assistant:last-of-type .rate-result:has-text('Thanks')", timeout=10_000)
    fresh = {"query": question, "client_id": f"fresh-{uuid.uuid4().hex[:8]}"}
    assert httpx.post(offline_space.url + "/api/query", json=fresh, timeout=60).json()["cached"] is False
