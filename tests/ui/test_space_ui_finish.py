"""The Space's Gradio UI as a person uses it, in headless Chromium: Enter sends and Shift+Enter
makes a new line; a refused question shows an inline message in the UI's language and leaves the
conversation usable; each source is shown once; no English left in the Italian UI; the
conversations sidebar (new, switch, rename, delete, download); regenerate; a poor rating of a
cached answer evicts it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from plumberforce.testing.processes import SpaceProcess

TEXTS = yaml.safe_load((Path(__file__).parents[2] / "plumberforce/web/ui/texts.yaml").read_text())


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("ui-finish")
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    with SpaceProcess(root / "data", env=env) as process:
        yield process


def open_page(browser: Browser, url: str, lang: str = "en", width: int = 1280) -> Page:
    locale = "it-IT" if lang == "it" else "en-US"
    page = browser.new_context(locale=locale, viewport={"width": width, "height": 900}).new_page()
    page.goto(url)
    page.wait_for_selector("#pf-question textarea", timeout=60_000)
    expect(page.locator("#pf-send")).to_have_text(TEXTS[lang]["send"], timeout=30_000)  # the language is applied
    return page


def client_of(page: Page) -> str:
    """The page's client id (Gradio keeps it encrypted in localStorage; the download link shows it)."""
    href = page.locator("#pf-download a").get_attribute("href", timeout=30_000)
    return href.split("/")[2]


def ask(page: Page, question: str) -> None:
    page.fill("#pf-question textarea", question)
    page.locator("#pf-question textarea").press("Enter")
    expect(page.locator("#pf-meta")).to_contain_text("offline", timeout=60_000)


def test_enter_sends_and_shift_enter_is_a_new_line(browser: Browser, space: SpaceProcess) -> None:
    page = open_page(browser, space.url)
    box = page.locator("#pf-question textarea")
    box.fill("What is SOQL")
    box.press("Shift+Enter")
    box.type("used for?")
    assert box.input_value() == "What is SOQL\nused for?"  # a new line, nothing sent
    expect(page.locator("#pf-chatbot")).not_to_contain_text("used for?")
    box.press("Enter")
    expect(page.locator("#pf-chatbot")).to_contain_text("used for?", timeout=60_000)
    expect(box).to_have_value("")
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "it"])
def test_a_refused_question_shows_an_inline_translated_message(
    browser: Browser, space: SpaceProcess, lang: str
) -> None:
    page = open_page(browser, space.url, lang)
    ask(page, "What is Batch Apex?" if lang == "en" else "Cos'è il Batch Apex?")
    page.fill("#pf-question textarea", "x" * 4100)
    expect(page.locator("#pf-counter")).to_have_text("4100 / 4000")
    expect(page.locator("#pf-counter")).to_have_class(re.compile("pf-over"))
    page.locator("#pf-question textarea").press("Enter")
    notice = page.locator("#pf-notice")
    expected = "The question is too long" if lang == "en" else "La domanda è troppo lunga"
    expect(notice).to_contain_text(expected, timeout=30_000)
    expect(page.locator(".toast-body, .toast-wrap .error")).to_have_count(0)  # no toast, no overlay
    assert page.locator("#pf-question textarea").input_value() == "x" * 4100  # the text stays to be shortened
    assert len(httpx.get(f"{space.url}/api/history/{client_of(page)}").json()["messages"]) == 2  # nothing stored
    follow_up = "And Queueable?" if lang == "en" else "E il Queueable?"
    ask(page, follow_up)  # the conversation is usable
    # #pf-meta still says "offline" from the first answer: wait for the follow-up's turn itself
    expect(page.locator("#pf-chatbot")).to_contain_text(follow_up, timeout=60_000)
    expect(notice).to_be_hidden(timeout=30_000)
    page.context.close()
    assert "Traceback" not in space.log()


def test_each_source_is_shown_once(browser: Browser, space: SpaceProcess) -> None:
    page = open_page(browser, space.url)
    ask(page, "How do I avoid MIXED_DML_OPERATION?")
    answer = page.locator("#pf-chatbot .message.bot, #pf-chatbot [data-testid='bot']").last
    expect(answer).to_contain_text("Sources")
    expect(page.locator("#pf-meta")).not_to_contain_text("Sources")  # not again under the chat
    page.context.close()


def visible_ui_text(page: Page) -> str:
    """The page's text without the conversation itself (answers may quote English terms)."""
    return page.evaluate(
        """() => { const c = document.querySelector('#pf-chatbot'); const saved = c.style.display;
                   c.style.display = 'none'; const t = document.body.innerText; c.style.display = saved; return t; }"""
    )


def test_no_english_is_left_in_the_italian_ui(browser: Browser, space: SpaceProcess) -> None:
    english = {v for k, v in TEXTS["en"].items() if isinstance(v, str) and v != TEXTS["it"][k] and "{" not in v}
    english |= {v for k, v in TEXTS["columns_en"].items() if v != TEXTS["columns_it"][k]}
    english |= set(TEXTS["examples_en"])
    words = {w for w in english if len(w) > 3}
    page = open_page(browser, space.url, "it")
    ask(page, "Come evito troppe query SOQL in un trigger?")
    page.locator("#pf-chatbot button[aria-label='Dislike'], #pf-chatbot button[title='Dislike']").last.click()
    for tab in ("Chat", "Feedback", "Diagnostica"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)  # let the tab's own load event start
        if tab == "Feedback":
            expect(page.locator("#pf-fb-summary")).to_contain_text("tutti", timeout=30_000)
        if tab == "Diagnostica":
            expect(page.locator("#pf-dg-figures")).to_contain_text("Valore", timeout=30_000)
        shown = visible_ui_text(page)
        left = sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", shown))
        assert not left, f"English left in the Italian {tab} tab: {left}"
    page.context.close()


def test_conversations_new_switch_rename_delete_download(browser: Browser, space: SpaceProcess) -> None:
    page = open_page(browser, space.url)
    listing = page.locator("#pf-conversations")
    ask(page, "What is Batch Apex?")
    expect(listing).to_contain_text("What is Batch Apex?")
    page.click("#pf-new")
    expect(listing.locator("label")).to_have_count(2, timeout=30_000)
    expect(page.locator("#pf-chatbot")).not_to_contain_text("What is Batch Apex?")
    ask(page, "How do I schedule a job?")
    expect(listing.locator("label").first).to_contain_text("How do I schedule a job?")
    listing.get_by_text("What is Batch Apex?").click()  # switch
    expect(page.locator("#pf-chatbot")).to_contain_text("What is Batch Apex?", timeout=30_000)
    page.fill("#pf-title-input input", "Batch notes")
    page.click("#pf-rename")
    expect(listing).to_contain_text("Batch notes", timeout=30_000)
    href = page.locator("#pf-download a").get_attribute("href")
    download = page.request.get(space.url + "/" + href)
    assert download.ok and download.text().startswith("# Batch notes") and "What is Batch Apex?" in download.text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#pf-delete")
    expect(listing.locator("label")).to_have_count(1, timeout=30_000)
    expect(listing).not_to_contain_text("Batch notes")
    expect(page.locator("#pf-chatbot")).to_contain_text("How do I schedule a job?", timeout=30_000)
    overview = httpx.get(f"{space.url}/api/conversations/{client_of(page)}").json()
    assert [c["title"] for c in overview["conversations"]] == ["How do I schedule a job?"]
    page.context.close()


def test_regenerate_replaces_the_last_answer(browser: Browser, space: SpaceProcess) -> None:
    page = open_page(browser, space.url)
    ask(page, "What is a trigger handler framework?")
    cid = client_of(page)
    before = httpx.get(f"{space.url}/api/history/{cid}").json()["messages"]
    page.locator("#pf-chatbot button[aria-label='Retry'], #pf-chatbot button[title='Retry']").last.click()
    expect(page.locator("#pf-meta")).to_contain_text("regenerated", timeout=60_000)
    after = httpx.get(f"{space.url}/api/history/{cid}").json()["messages"]
    assert len(after) == len(before) == 2 and after[1]["message_id"] != before[1]["message_id"]
    page.context.close()


def test_a_thumbs_down_on_a_cached_answer_evicts_it_and_lists_its_article(
    browser: Browser, space: SpaceProcess
) -> None:
    question = "How do I schedule an Apex class with System.schedule?"
    first = httpx.post(f"{space.url}/api/query", json={"query": question, "client_id": "warm-cache-1"}, timeout=60)
    export = httpx.get(
        f"{space.url}/api/conversations/warm-cache-1/{first.json()['conversation_id']}/export?format=json"
    )
    article = export.json()["messages"][1]["meta"]["article"]
    page = open_page(browser, space.url)
    ask(page, question)
    expect(page.locator("#pf-meta")).to_contain_text("cached")  # served from the cache filled above
    page.locator("#pf-chatbot button[aria-label='Dislike'], #pf-chatbot button[title='Dislike']").last.click()
    page.get_by_role("tab", name="Feedback").click()
    page.click("#pf-fb-refresh")
    expect(page.locator("#pf-fb-articles")).to_contain_text(article, timeout=30_000)
    # the cached entry is gone: the same question with the same (empty) history is answered afresh
    again = httpx.post(f"{space.url}/api/query", json={"query": question, "client_id": "warm-cache-2"}, timeout=60)
    assert again.json()["cached"] is False
    page.context.close()
