"""A corpus of XSS and prompt-injection inputs through REST, gradio_client and the Gradio page:
nothing executes, nothing 5xx, the system prompt never comes back, user text stays data."""

from __future__ import annotations

import re
import uuid

import httpx
from gradio_client import Client
from playwright.sync_api import Browser

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess
from tests.security.corpus import INJECTIONS, SYSTEM_PROMPT_MARKERS, XSS

ALL = XSS + INJECTIONS


def test_corpus_is_big_enough() -> None:
    assert len(XSS) >= 20 and len(INJECTIONS) >= 20


def test_rest_and_gradio_client_offline(offline_space: SpaceProcess) -> None:
    gc = Client(offline_space.url, verbose=False)
    with httpx.Client(base_url=offline_space.url, timeout=60) as http:
        for i, text in enumerate(ALL):
            client_id = f"hostile-{i}-{uuid.uuid4().hex[:6]}"
            response = http.post("/api/query", json={"query": text, "client_id": client_id})
            assert response.status_code == 200, (text, response.text)
            answer = response.json()["response"]
            assert not any(marker in answer for marker in SYSTEM_PROMPT_MARKERS), text
            assert "window.__pwned" not in answer  # the offline answer never echoes the payload
            history = http.get(f"/api/history/{client_id}").json()["messages"]
            assert history[0]["content"] == text.strip()  # stored as data, unchanged
        for text in INJECTIONS[:5] + XSS[:5]:
            answer, meta = gc.predict(text, "hostile-gc", api_name="/chat")
            assert meta["done"] is True
            assert not any(marker in answer for marker in SYSTEM_PROMPT_MARKERS)


def test_remote_injections_never_reach_the_model_and_markup_stays_data(
    remote_space: SpaceProcess, llm: RunningServer
) -> None:
    llm.reset()
    with httpx.Client(base_url=remote_space.url, timeout=60) as http:
        for text in INJECTIONS:
            answer = http.post("/api/query", json={"query": text, "client_id": "inj-" + uuid.uuid4().hex[:6]}).json()
            assert answer["engine"] == "guard", text
            assert not any(marker in answer["response"] for marker in SYSTEM_PROMPT_MARKERS)
        assert llm.requests() == []  # no injection attempt was ever sent to the model
        for text in XSS:
            question = f"{text} How do I escape this in a Lightning Web Component?"
            answer = http.post("/api/query", json={"query": question, "client_id": "xss-" + uuid.uuid4().hex[:6]})
            assert answer.status_code == 200
    requests = llm.requests()
    assert len(requests) >= len(XSS) - 2
    for request in requests:
        system, *rest = request["messages"]
        assert system["role"] == "system" and all(m["role"] != "system" for m in rest)
        user = rest[-1]["content"]
        assert user.startswith("<question>\n") and user.endswith("\n</question>")
        assert user.count("</question>") == 1 and user.count("<question>") == 1
    llm.reset()


def test_page_renders_hostile_text_inert(browser: Browser, offline_space: SpaceProcess) -> None:
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(offline_space.url)
    page.wait_for_selector("#pf-question textarea", timeout=60_000)
    for i, text in enumerate(XSS[:8]):
        page.fill("#pf-question textarea", text)
        page.click("#pf-send")
        page.wait_for_function(
            """n => document.querySelectorAll('#pf-chatbot [data-testid="bot"]').length === n
                  && /engine: (offline|guard)/.test(document.querySelector('#pf-meta').innerText)""",
            arg=i + 1,
            timeout=60_000,
        )
    chat = page.locator("#pf-chatbot")
    for link in chat.locator("a").all():
        href = link.get_attribute("href") or ""
        assert not href.lower().startswith(("javascript:", "data:")), href
        if re.fullmatch(r"articles/[a-z0-9-]+\?lang=(en|it)", href):
            continue  # the offline answer's own links to an article's page (same origin, a plain GET)
        if href and not href.startswith("http"):
            link.click(no_wait_after=True, timeout=2000)
    assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
    assert chat.locator("script, iframe, object, embed, [onerror], [onload], [onfocus], [ontoggle]").count() == 0
    page.context.close()
