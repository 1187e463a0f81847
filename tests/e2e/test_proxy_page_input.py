"""The Render page's question box, icon and address in a real browser: the Space's limit shown
while typing and enforced before sending (nothing sent), Enter and Shift+Enter, the favicon,
``HEAD /`` and a brand that needs no emoji font; English and Italian."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_QUESTION_LIMIT
from tests.e2e.page_helpers import ask
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser


def sent_types(frames: list[str]) -> list[str]:
    return [json.loads(frame).get("type") for frame in frames]


def test_the_limit_is_shown_while_typing_and_an_over_long_question_is_not_sent(
    open_page,  # type: ignore[no-untyped-def]
    page_proxy: ProxyProcess,
) -> None:
    frames: list[str] = []
    page = open_page(page_proxy.url, frames=frames)
    counter = page.locator("#counter")
    expect(counter).to_have_text(f"0 / {E2E_QUESTION_LIMIT}")  # the Space's limit, not the page's default
    page.locator("#question").press_sequentially("Apex?")
    expect(counter).to_have_text(f"5 / {E2E_QUESTION_LIMIT}")

    pasted = "x" * 10_000  # pasted, not typed: nothing may cut it silently
    page.locator("#question").fill("")
    page.locator("#question").focus()
    page.keyboard.insert_text(pasted)
    assert page.locator("#question").input_value() == pasted
    expect(counter).to_have_text(f"10000 / {E2E_QUESTION_LIMIT}")
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    page.press("#question", "Enter")
    error = page.locator("#question-error")
    expect(error).to_have_text(f"The question is too long: 10000 characters, the limit is {E2E_QUESTION_LIMIT}.")
    page.click("#send")
    assert "query" not in sent_types(frames)  # nothing was sent
    assert page.locator(".msg").count() == 0 and page.locator("#question").input_value() == pasted

    page.select_option("#lang", "it")
    page.press("#question", "Enter")
    expect(error).to_have_text(f"La domanda è troppo lunga: 10000 caratteri, il limite è {E2E_QUESTION_LIMIT}.")
    assert "query" not in sent_types(frames)

    page.locator("#question").fill("   ")
    page.press("#question", "Enter")
    expect(error).to_have_text("Scrivi prima una domanda.")
    question = f"Che cos'è SOQL? {uuid.uuid4().hex[:6]}"
    ask(page, question)  # a question within the limit goes, and the message goes away
    assert sent_types(frames).count("query") == 1
    expect(error).to_be_hidden()
    expect(counter).to_have_text(f"0 / {E2E_QUESTION_LIMIT}")


def test_enter_sends_and_shift_enter_makes_a_new_line(open_page, page_proxy: ProxyProcess) -> None:  # type: ignore[no-untyped-def]
    frames: list[str] = []
    page = open_page(page_proxy.url, frames=frames)
    box = page.locator("#question")
    box.press_sequentially("First line")
    box.press("Shift+Enter")
    box.press_sequentially(f"second line {uuid.uuid4().hex[:6]}")
    typed = box.input_value()
    assert typed.startswith("First line\nsecond line") and "query" not in sent_types(frames)
    box.press("Enter")
    page.locator(".msg-assistant[data-state=done]").wait_for()
    assert page.locator(".msg-user .bubble").inner_text() == typed
    assert box.input_value() == "" and sent_types(frames).count("query") == 1


def test_favicon_head_and_a_brand_without_emoji(open_page, page_proxy: ProxyProcess) -> None:  # type: ignore[no-untyped-def]
    assert httpx.head(page_proxy.url + "/", timeout=10).status_code == 200
    assert httpx.head(page_proxy.url + "/health", timeout=10).status_code == 200
    icon = httpx.get(page_proxy.url + "/favicon.ico", timeout=10)
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert (
        httpx.get(page_proxy.url + "/static/app/favicon.svg", timeout=10)
        .headers["content-type"]
        .startswith("image/svg+xml")
    )
    for locale in ("en-US", "it-IT"):
        page = open_page(page_proxy.url, locale=locale)
        brand = page.locator(".navbar-brand")
        assert brand.inner_text().strip() == "Plumberforce"  # no emoji left to show as a box
        assert brand.locator("svg").is_visible() and brand.locator("svg").bounding_box()["width"] > 10  # type: ignore[index]
        text = page.evaluate("document.body.innerText")
        assert not any(0x1F300 <= ord(c) <= 0x1FAFF for c in text)  # no pictographs anywhere
