"""The proxy's page in a real browser (Debian's chromium driven by Playwright, headless: the
session's ``browser`` fixture), against a real proxy process and a real Space whose model is the
LLM test server."""

from __future__ import annotations

import csv
import io
import time
import uuid

import httpx
import pytest
from gradio_client import Client
from playwright.sync_api import expect

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess
from tests.e2e.page_helpers import wait_js
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser
RECORD_ANSWER_TEXTS = """
() => {
  window.__texts = [];
  const box = document.getElementById("messages");
  new MutationObserver(() => {
    const last = box.querySelector(".msg-assistant:last-of-type");
    if (!last || last.dataset.state !== "streaming") return;
    const text = last.querySelector(".answer").textContent;
    if (window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
  }).observe(box, { subtree: true, childList: true, characterData: true });
}
"""


def test_ask_stream_rate_restart_and_resync(
    open_page,
    page_proxy: ProxyProcess,
    e2e_space: SpaceProcess,  # type: ignore[no-untyped-def]
    slow_llm: RunningServer,
) -> None:
    page = open_page(page_proxy.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.evaluate(RECORD_ANSWER_TEXTS)
    question = f"How do I bulkify a trigger? {uuid.uuid4().hex[:6]}"
    page.fill("#question", question)
    page.press("#question", "Enter")
    assert page.locator("#send").is_disabled()  # locked while the answer streams
    page.wait_for_selector(".msg-assistant[data-state=done]", timeout=20_000)

    streamed = [t.strip() for t in page.evaluate("window.__texts") if t.startswith("Echo")]
    assert len(streamed) >= 2, streamed  # the answer grew in several DOM updates before done
    assert all(b.startswith(a) and len(b) > len(a) for a, b in zip(streamed, streamed[1:], strict=False))
    answer = page.locator(".msg-assistant .answer").last
    assert question in answer.inner_text()
    assert page.locator(".msg-user .bubble").last.inner_text() == question
    assert not page.locator("#send").is_disabled()

    # rate it: 4 stars and a comment, and find it in the Space's feedback store
    bubble = page.locator(".msg-assistant").last
    message_id = bubble.get_attribute("data-message-id")
    bubble.locator(".star[data-value='4']").click()
    bubble.locator(".comment").fill("useful")
    bubble.locator(".rate-send").click()
    page.wait_for_selector(".msg-assistant:last-of-type .rate-result:has-text('Thanks')", timeout=10_000)
    export = httpx.get(e2e_space.url + "/api/feedback/export", timeout=10)
    rows = [r for r in csv.DictReader(io.StringIO(export.text)) if r["message_id"] == message_id]
    assert len(rows) == 1 and int(float(rows[0]["rating"])) == 4 and rows[0]["comment"] == "useful"

    # the proxy restarts; meanwhile the conversation grows on the Space through another door
    client_id = page.evaluate("JSON.parse(localStorage.getItem('pf.client_id'))")
    syncs = int(page.locator("#messages").get_attribute("data-syncs") or 0)
    page_proxy.stop()
    page.wait_for_selector("body[data-ws=reconnecting]", timeout=10_000)
    assert page.locator("#status-text").inner_text() == "Reconnecting…"
    added = f"What is a Salesforce sharing rule? (asked from a notebook meanwhile {uuid.uuid4().hex[:6]})"
    notebook = Client(e2e_space.url, verbose=False)
    notebook.predict(added, client_id, api_name="/chat")
    current = notebook.predict(client_id, "list", api_name="/conversations")["current"]
    notebook.predict(client_id, "rename", current, "Renamed from a notebook", api_name="/conversations")
    page_proxy.start()
    page.wait_for_selector("body[data-ws=open]", timeout=30_000)
    wait_js(page, f"() => Number(document.getElementById('messages').dataset.syncs) > {syncs}", timeout=10)
    users = page.locator(".msg-user .bubble").all_inner_texts()
    assert users == [question, added]  # re-synced from the Space, not only from localStorage
    assert page.locator(".msg-assistant[data-state=done]").count() == 2
    assert page.locator(".msg-assistant").first.locator(".rate-result").inner_text().startswith("Thanks")
    expect(page.locator("#conversations .conv-title")).to_have_text(["Renamed from a notebook"])  # the list too
    assert errors == []


XSS_ANSWER = (
    'Here it is: <script>window.__xss = 1</script> <img src=x onerror="window.__xss=2"> '
    '[click me](javascript:window.__xss=3) <a href="javascript:window.__xss=4">link</a> '
    '<iframe src="javascript:window.__xss=5"></iframe> [safe](https://developer.salesforce.com/docs)'
)


def test_an_answer_with_script_renders_inert(open_page, page_proxy: ProxyProcess, llm: RunningServer) -> None:  # type: ignore[no-untyped-def]
    llm.configure(text=XSS_ANSWER, echo=False, tokens=None, ttft_ms=50, tokens_per_second=200)
    try:
        page = open_page(page_proxy.url)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        question = (
            'In a Visualforce page, what does <img src=x onerror="window.__xss=6"> do? <script>window.__xss=7</script>'
        )
        page.fill("#question", question)
        page.press("#question", "Enter")
        page.wait_for_selector(".msg-assistant[data-state=done]", timeout=20_000)
        check_inert(page, question)
        page.reload()  # the same conversation, now from localStorage and the history re-sync
        page.wait_for_selector("body[data-ws=open]")
        page.wait_for_selector(".msg-assistant[data-state=done]")
        check_inert(page, question)
        assert dialogs == []
    finally:
        llm.reset()


def check_inert(page, question: str) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("window.__xss") is None
    assert page.locator("#messages script, #messages img, #messages iframe").count() == 0
    hrefs = page.evaluate("[...document.querySelectorAll('#messages a')].map(a => a.protocol)")
    assert hrefs and set(hrefs) <= {"https:", "http:", "mailto:"}
    answer = page.locator(".msg-assistant .answer").last.inner_text()
    assert "<script>window.__xss = 1</script>" in answer and "[click me](javascript:window.__xss=3)" in answer
    assert page.locator(".msg-user .bubble").last.inner_text() == question


def test_italian_phone_layout(open_page, page_proxy: ProxyProcess) -> None:  # type: ignore[no-untyped-def]
    page = open_page(page_proxy.url, locale="it-IT", viewport={"width": 360, "height": 740})
    assert page.locator("#send").inner_text() == "Invia"
    assert page.locator("#new-chat-top").get_attribute("aria-label") == "Nuova conversazione"
    assert page.locator("#sidebar").is_hidden()  # a drawer on phones
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing overflows a phone
    page.select_option("#lang", "en")
    assert page.locator("#send").inner_text() == "Send"
    page.reload()
    page.wait_for_selector("body[data-ws=open]")
    assert page.locator("#send").inner_text() == "Send"  # the choice is remembered


def test_stop_button_stops_the_answer(open_page, page_proxy: ProxyProcess, llm: RunningServer) -> None:  # type: ignore[no-untyped-def]
    llm.configure(ttft_ms=50, tokens_per_second=20, tokens=400, echo=True)  # 20 s unless stopped
    try:
        page = open_page(page_proxy.url)
        page.fill("#question", f"Explain Apex triggers at length (#{uuid.uuid4().int % 10**9})")
        page.press("#question", "Enter")
        page.wait_for_selector(".msg-assistant[data-state=streaming] .answer:has-text('Echo')", timeout=10_000)
        page.click("#stop")
        page.wait_for_selector(".msg-assistant[data-state=stopped]", timeout=5_000)
        assert page.locator(".msg-assistant .answer-state").last.inner_text() == "Stopped."
        assert not page.locator("#send").is_disabled() and page.locator("#stop").is_hidden()
        deadline = time.monotonic() + 5
        while httpx.get(llm.url + "/health", timeout=5).json()["in_flight"]:  # the model stopped too
            assert time.monotonic() < deadline, "the model kept generating after Stop"
            page.wait_for_timeout(50)
    finally:
        llm.reset()
