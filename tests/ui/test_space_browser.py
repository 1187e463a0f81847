"""The Space's Gradio UI in headless Chromium: chat (streaming, restore after reload, Italian),
then the Feedback and Diagnostics tabs showing figures this test just produced."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from plumberforce.testing.processes import SpaceProcess

QUESTION = "How do I avoid MIXED_DML_OPERATION when I insert a User and an Account?"


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("ui-space")
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "15"}
    with SpaceProcess(root / "data", env=env) as process:
        yield process


def _open(browser: Browser, url: str, locale: str = "en-US") -> Page:
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url)
    page.wait_for_selector("#pf-question textarea", timeout=60_000)
    return page


def _watch_bot_text(page: Page) -> None:
    """Record every distinct length of the last bot message, as the DOM changes. The observer
    watches the whole body and finds the chatbot on each change: Gradio may render (or re-render)
    the chatbot after the question box is there, on a loaded machine."""
    page.evaluate(
        """() => {
          window.__lengths = [];
          new MutationObserver(() => {
            const chat = document.querySelector('#pf-chatbot');
            if (!chat) return;
            const bots = chat.querySelectorAll('.message.bot, [data-testid="bot"]');
            const last = bots[bots.length - 1];
            const n = last ? last.innerText.length : 0;
            if (window.__lengths[window.__lengths.length - 1] !== n) window.__lengths.push(n);
          }).observe(document.body, {subtree: true, childList: true, characterData: true});
        }"""
    )


def _ask(page: Page, question: str) -> None:
    page.fill("#pf-question textarea", question)
    page.click("#pf-send")
    expect(page.locator("#pf-meta")).to_contain_text("offline", timeout=60_000)


def test_chat_streams_and_is_restored_after_reload(browser: Browser, space: SpaceProcess) -> None:
    page = _open(browser, space.url)
    _watch_bot_text(page)
    _ask(page, QUESTION)
    lengths = page.evaluate("window.__lengths")
    assert len([n for n in lengths if n > 0]) >= 3, lengths  # the answer grew in several DOM updates
    expect(page.locator("#pf-chatbot")).to_contain_text("Answer")
    expect(page.locator("#pf-chatbot")).to_contain_text("Sources")  # once: in the answer, not again below it
    # the whole article: a relative link (resolved against the chat page, the Space's root) that
    # Gradio's chatbot opens in a new tab, onto the article page in the answer's language
    link = page.locator('#pf-chatbot a[href^="articles/"]').first
    href = link.get_attribute("href") or ""
    assert href.endswith("?lang=en") and link.get_attribute("target") == "_blank", href
    with page.context.expect_page() as opened:
        link.click()
    article = opened.value
    article.wait_for_load_state("load")
    assert article.url == f"{space.url}/{href}"
    expect(article.locator("h1")).to_have_text(link.inner_text())
    expect(article.locator("h2").first).to_have_text("Approach")
    article.close()
    page.reload()
    page.wait_for_selector("#pf-question textarea")
    expect(page.locator("#pf-chatbot")).to_contain_text(QUESTION, timeout=30_000)
    expect(page.locator("#pf-chatbot")).to_contain_text("Answer")
    page.context.close()


def test_italian_browser_gets_the_italian_interface(browser: Browser, space: SpaceProcess) -> None:
    page = _open(browser, space.url, locale="it-IT")
    expect(page.locator("#pf-send")).to_have_text("Invia", timeout=30_000)
    expect(page.locator("#pf-tab-diagnostics-button, button[role=tab]").filter(has_text="Diagnostica")).to_have_count(1)
    page.get_by_label("English").check()
    expect(page.locator("#pf-send")).to_have_text("Send")
    page.context.close()


def test_feedback_and_diagnostics_tabs_show_fresh_figures(browser: Browser, space: SpaceProcess) -> None:
    page = _open(browser, space.url)
    _ask(page, "Come evito troppe query SOQL in un trigger?")
    page.locator("#pf-chatbot button[aria-label='Dislike'], #pf-chatbot button[title='Dislike']").last.click()

    page.get_by_role("tab", name="Feedback").click()
    expect(page.locator("#pf-fb-answer input")).to_have_value(
        "Come evito troppe query SOQL in un trigger?", timeout=30_000
    )
    page.locator("#pf-fb-rating").get_by_label("2").check()
    page.fill("#pf-fb-comment textarea", "the example could be shorter")
    page.click("#pf-fb-submit")
    expect(page.locator("#pf-fb-result")).to_contain_text("Thank you", timeout=30_000)
    expect(page.locator("#pf-fb-summary")).to_contain_text("engine: offline")
    expect(page.locator("#pf-fb-lowest")).to_contain_text("the example could be shorter")

    export = httpx.get(space.url + "/api/feedback/export", timeout=10).text
    rows = pd.read_csv(io.StringIO(export), keep_default_na=False)
    row = rows[rows["comment"] == "the example could be shorter"].iloc[0]
    assert int(row["rating"]) == 2 and row["thumb"] == "down"

    status = httpx.get(space.url + "/api/status", timeout=10).json()
    page.get_by_role("tab", name="Diagnostics").click()
    figures = page.locator("#pf-dg-figures")
    expect(figures).to_contain_text(f"{status['requests']['total']} / ", timeout=30_000)
    expect(figures).to_contain_text("offline")
    expect(page.locator("#pf-dg-latency")).to_contain_text("offline")
    # the tab refreshes itself on its timer: a request made elsewhere shows up without a click
    httpx.post(space.url + "/api/query", json={"query": "What is SOSL?", "client_id": "elsewhere"}, timeout=30)
    expect(figures).to_contain_text(f"{status['requests']['total'] + 1} / ", timeout=20_000)
    page.context.close()
