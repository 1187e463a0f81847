"""The page in front of two replicas, in a real browser: the replica answering dies mid-answer
(SIGKILL), the page says so in the person's language and offers to ask again; the button sends
the question once more and the other replica answers it.

Replica A is a Space of its own (offline engine, paced slowly so that an answer is in flight for
seconds); replica B is the session's ``offline_space``. The page's client id is one whose
rendezvous replica is A."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from plumberforce.testing.processes import SpaceProcess
from render_proxy.replicas import rendezvous
from render_proxy.settings import ProxySettings
from tests.e2e.page_helpers import wait_js
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser
IN_FLIGHT = "(() => { const a = document.querySelector('.msg-assistant:last-of-type');"
IN_FLIGHT += " return !!a && a.dataset.state === 'streaming' && a.querySelector('.answer').textContent.length > 0; })()"


@pytest.fixture
def doomed_space(tmp_path: Path) -> Iterator[SpaceProcess]:
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "40"}
    with SpaceProcess(tmp_path / "a" / "data", env=env) as space:
        yield space


def test_a_replica_dies_mid_answer_and_the_page_asks_again(
    open_page,  # type: ignore[no-untyped-def]
    doomed_space: SpaceProcess,
    offline_space: SpaceProcess,
    tmp_path: Path,
) -> None:
    spaces = f"{doomed_space.url},{offline_space.url}"
    names = ProxySettings(space=spaces).spaces
    client = next(c for c in (f"w-{uuid.uuid4().hex}" for _ in range(1000)) if rendezvous(c, names)[0] == 0)
    env = {"PLUMBERFORCE_PROXY_HEALTH_INTERVAL": "0.3"}
    with ProxyProcess(spaces, tmp_path / "proxy", env=env) as proxy:
        page = open_page(proxy.url, locale="it-IT")
        page.evaluate(f"localStorage.setItem('pf.client_id', JSON.stringify('{client}'))")
        page.reload()
        page.wait_for_selector("body[data-ws=open]", timeout=15_000)
        question = f"Come funziona Batch Apex? (#{uuid.uuid4().int % 10**9})"
        page.fill("#question", question)
        page.press("#question", "Enter")
        wait_js(page, IN_FLIGHT, 20)  # replica A is streaming the answer
        doomed_space.kill()

        failed = page.locator(".msg-assistant[data-state=error]")
        expect(failed).to_have_count(1)
        expect(failed.locator(".answer-state")).to_contain_text("si è interrotto a metà risposta")
        again = failed.locator(".ask-again")
        expect(again).to_be_visible()
        expect(again).to_have_text("Chiedi di nuovo")
        assert not page.locator("#send").is_disabled()
        again.click()

        answered = page.locator(".msg-assistant[data-state=done]")
        expect(answered).to_have_count(1)  # replica B answered the same question
        expect(page.locator(".msg-assistant")).to_have_count(1)  # the failed answer made way for it
        expect(page.locator(".msg-user .bubble")).to_have_text([question])
        status = httpx.get(proxy.url + "/status", timeout=10).json()
        assert [r["state"] for r in status["replicas"]] == ["down", "up"]
        history = httpx.get(f"{offline_space.url}/api/history/{client}", timeout=10).json()["messages"]
        assert [m["content"] for m in history[::2]] == [question]  # asked once, stored once
