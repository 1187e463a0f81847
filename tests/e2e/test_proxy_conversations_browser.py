"""The Render page's conversations, regenerate, sources and streaming Markdown in a real browser
(headless Debian chromium), against real proxy and Space processes: the LLM test server as the
model, or the offline engine for answers in Markdown with headings, code and listed sources."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from playwright.sync_api import expect

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess
from tests.e2e.page_helpers import ask
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RECORD_STREAMING_DOM = """
() => {
  window.__renders = [];
  const box = document.getElementById("messages");
  new MutationObserver(() => {
    const last = [...box.querySelectorAll(".msg-assistant")].pop();
    if (!last || last.dataset.state !== "streaming") return;
    const answer = last.querySelector(".answer");
    const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
    let prose = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("pre, code")) prose += node.textContent + "\\n";
    }
    window.__renders.push({
      headings: answer.querySelectorAll("h2, h3").length,
      code: answer.querySelectorAll("pre code, p code").length,
      raw: /(^|\\n)\\s*#{1,6}(\\s|$)|`|\\*\\*/.test(prose),
      prose: prose.slice(-120),
    });
  }).observe(box, { subtree: true, childList: true, characterData: true });
}
"""


def client_of(page: Any) -> str:
    return str(page.evaluate("JSON.parse(localStorage.getItem('pf.client_id'))"))


def row(page: Any, title: str) -> Any:
    return page.locator("#conversations li", has=page.locator(".conv-title", has_text=title))


def menu(page: Any, title: str, action: str) -> None:
    """Open a conversation's menu and choose an action (rename, download, delete)."""
    item = row(page, title)
    item.locator(".conv-menu").click()
    item.locator(f".conv-{action}").click()


def test_new_switch_rename_download_delete(open_page, page_proxy: ProxyProcess, e2e_space: SpaceProcess) -> None:  # type: ignore[no-untyped-def]
    page = open_page(page_proxy.url, viewport=DESKTOP)
    tag = uuid.uuid4().hex[:6]
    first, second = f"How do I bulkify a trigger? {tag}", f"What is a sharing rule? {tag}"
    ask(page, first)
    titles = page.locator("#conversations .conv-title")
    expect(titles).to_have_text([first])
    expect(page.locator("#conversations li.active .conv-title")).to_have_text(first)

    page.click("#new-chat")  # a new conversation; the first one stays in the list
    expect(titles).to_have_text(["New conversation", first])
    expect(page.locator(".msg")).to_have_count(0)
    ask(page, second)
    expect(titles).to_have_text([second, first])
    expect(page.locator("#conversations li.active .conv-title")).to_have_text(second)

    row(page, first).locator(".conv-open").click()  # switch: that conversation's history
    expect(page.locator(".msg-user .bubble")).to_have_text([first])
    expect(page.locator("#conversations li.active .conv-title")).to_have_text(first)
    assert page.locator(".msg-assistant").last.locator(".answer").inner_text().startswith("Echo:")

    syncs = page.locator("#conversations").get_attribute("data-syncs")
    menu(page, first, "rename")
    title_box = row(page, first).locator(".conv-title-input")
    expect(title_box).to_be_focused()
    title_box.fill("Bulk triggers")
    title_box.press("Enter")
    expect(page.locator("#conversations li.active .conv-title")).to_have_text("Bulk triggers")
    expect(page.locator("#conversations")).not_to_have_attribute("data-syncs", str(syncs))  # the Space answered
    space = Client(e2e_space.url, verbose=False)
    listed = space.predict(client_of(page), "list", api_name="/conversations")
    assert [c["title"] for c in listed["conversations"]] == [second, "Bulk triggers"]

    with page.expect_download() as download_info:
        menu(page, "Bulk triggers", "download")
    download = download_info.value
    assert re.fullmatch(r"plumberforce-\d{8}-[0-9a-f]{8}\.md", download.suggested_filename)
    exported = Path(download.path()).read_text(encoding="utf-8")
    assert exported.startswith("# Bulk triggers\n") and f"> {first}" in exported and "Echo:" in exported
    assert second not in exported

    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    menu(page, second, "delete")
    expect(titles).to_have_text(["Bulk triggers"])
    assert dialogs == [f"Delete the conversation “{second}”? This cannot be undone."]
    expect(page.locator(".msg-user .bubble")).to_have_text([first])  # the shown one stays
    listed = space.predict(client_of(page), "list", api_name="/conversations")
    assert [c["title"] for c in listed["conversations"]] == ["Bulk triggers"]

    page.reload()  # everything comes back from the Space
    page.wait_for_selector("body[data-ws=open]")
    expect(titles).to_have_text(["Bulk triggers"])
    expect(page.locator(".msg-user .bubble")).to_have_text([first])


def test_italian_phone_drawer(open_page, page_proxy: ProxyProcess) -> None:  # type: ignore[no-untyped-def]
    page = open_page(page_proxy.url, locale="it-IT", viewport=PHONE)
    question = f"Cos'è un trigger? {uuid.uuid4().hex[:6]}"
    ask(page, question)
    page.click("#new-chat-top")
    expect(page.locator(".msg")).to_have_count(0)
    drawer = page.locator("#sidebar")
    expect(drawer).to_be_hidden()
    page.click("#drawer-toggle")
    expect(drawer).to_be_visible()
    expect(drawer.locator(".offcanvas-header h2")).to_have_text("Conversazioni")
    titles = drawer.locator(".conv-title")
    expect(titles).to_have_text(["Nuova conversazione", question])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row(page, question).locator(".conv-open").click()  # switching closes the drawer
    expect(drawer).to_be_hidden()
    expect(page.locator(".msg-user .bubble")).to_have_text([question])


def source_urls(space: SpaceProcess, client_id: str) -> list[str]:
    """The sources the Space recorded for the last answer of the client's current conversation."""
    history = Client(space.url, verbose=False).predict(client_id, api_name="/history")
    return [s["url"] for s in history[-1]["meta"]["sources"]]


def links_in(bubble: Any) -> list[str]:
    return list(bubble.evaluate("b => [...b.querySelectorAll('a[href]')].map(a => a.href)"))


def test_regenerate_replaces_the_answer_and_each_source_shows_once(  # type: ignore[no-untyped-def]
    open_page, page_proxy: ProxyProcess, e2e_space: SpaceProcess, llm: RunningServer
) -> None:
    page = open_page(page_proxy.url, viewport=DESKTOP)
    bubble = ask(page, f"What is the difference between SOQL and SOSL? {uuid.uuid4().hex[:6]}")
    urls = source_urls(e2e_space, client_of(page))
    assert urls, urls
    # the model's answer cites none of them: all are listed under it
    assert [a for a in links_in(bubble.locator(".answer"))] == []
    expect(bubble.locator(".sources a")).to_have_count(len(urls))
    assert links_in(bubble.locator(".sources")) == urls
    old_id = bubble.get_attribute("data-message-id")

    llm.configure(text=f"Regenerated: read [the guide]({urls[0]}) first.", echo=False, tokens=None, ttft_ms=300)
    try:
        bubble.locator(".regenerate").click()
        streaming = page.locator(".msg-assistant[data-state=streaming]")
        expect(streaming).to_have_count(1)
        assert "Echo:" not in streaming.locator(".answer").inner_text()  # the old answer is gone
        done = page.locator(".msg-assistant[data-state=done]")
        expect(done.locator(".answer")).to_have_text("Regenerated: read the guide first.")
    finally:
        llm.reset()
    bubble = page.locator(".msg-assistant")
    expect(bubble).to_have_count(1)  # replaced, not added
    assert bubble.get_attribute("data-message-id") not in (None, old_id)
    assert bubble.locator(".meta").inner_text() == "regenerated"
    links = links_in(bubble)
    assert sorted(links) == sorted(urls) and all(links.count(url) == 1 for url in urls)  # each source once
    assert links_in(bubble.locator(".sources")) == urls[1:]
    history = Client(e2e_space.url, verbose=False).predict(client_of(page), api_name="/history")
    assert len(history) == 2 and history[1]["content"] == f"Regenerated: read [the guide]({urls[0]}) first."


def test_markdown_renders_while_streaming_and_listed_sources_show_once(  # type: ignore[no-untyped-def]
    open_page, offline_page_proxy: ProxyProcess, offline_space: SpaceProcess
) -> None:
    page = open_page(offline_page_proxy.url, viewport=DESKTOP)
    page.evaluate(RECORD_STREAMING_DOM)
    bubble = ask(page, f"How do I avoid too many SOQL queries in a trigger? {uuid.uuid4().hex[:6]}")
    renders = page.evaluate("window.__renders")
    assert renders and any(r["headings"] for r in renders), renders  # headings rendered before done
    assert not [r for r in renders if r["raw"]], [r for r in renders if r["raw"]]  # never raw ###, ``` or **
    answer = bubble.locator(".answer")
    assert answer.locator("h2").count() and answer.locator("pre code").count()
    # the answer ends with its numbered list of sources: no second list under it
    urls = source_urls(offline_space, client_of(page))
    assert urls and sorted(links_in(answer)) == sorted(set(links_in(answer))) and set(urls) <= set(links_in(answer))
    expect(bubble.locator(".sources-box")).to_be_hidden()
    assert all(links_in(bubble).count(url) == 1 for url in urls)
