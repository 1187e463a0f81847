"""From an offline answer on the Render page to the whole article: the answer's "Full article"
link opens the proxy's article page in a new tab, in the answer's language."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import expect

from plumberforce.testing.processes import SpaceProcess
from tests.e2e.page_helpers import ask
from tests.proxy.proxy_processes import ProxyProcess

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("question", "lang", "label"),
    [
        ("How many child jobs can a running Queueable enqueue?", "en", "Full article"),
        ("Quanti job figli può accodare un Queueable in esecuzione?", "it", "Articolo completo"),
    ],
)
def test_the_full_article_link_opens_the_article_page(
    open_page,  # type: ignore[no-untyped-def]
    offline_page_proxy: ProxyProcess,
    offline_space: SpaceProcess,
    question: str,
    lang: str,
    label: str,
) -> None:
    page = open_page(offline_page_proxy.url)
    answer = ask(page, f"{question} {uuid.uuid4().hex[:4]}")
    link = answer.locator(".answer p", has_text=label).locator("a")
    href = link.get_attribute("href") or ""
    assert href.startswith("/articles/") and href.endswith(f"?lang={lang}"), href
    assert link.get_attribute("target") == "_blank"
    with page.context.expect_page() as opened:
        link.click()
    article = opened.value
    article.wait_for_load_state("load")
    article_id = href.split("/")[2].split("?")[0]
    title = httpx.get(f"{offline_space.url}/api/articles/{article_id}", timeout=10).json()["title"][lang]
    expect(article.locator("h1")).to_have_text(title)
    assert article.url == offline_page_proxy.url + href
    assert article.locator("html").get_attribute("lang") == lang
    expect(article.locator("a.navbar-brand")).to_have_attribute("href", "/")
