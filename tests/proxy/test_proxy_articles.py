"""The proxy's article page (``GET /articles/{id}``): the Space's article fetched over its REST
API and rendered with the proxy's own files, under the page's CSP; clear 404 and 502 pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from plumberforce.testing.processes import SpaceProcess, refused_url
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.test_proxy_security import _Tags


def test_the_article_in_english_and_italian(offline_proxy: ProxyProcess, offline_space: SpaceProcess) -> None:
    article = httpx.get(offline_space.url + "/api/articles/queueable-apex", timeout=10).json()
    english = httpx.get(offline_proxy.url + "/articles/queueable-apex?lang=en", timeout=10)
    assert english.status_code == 200 and english.headers["content-type"].startswith("text/html")
    assert f">{article['title']['en']}</h1>" in english.text and '<h2 class="h4">Key facts</h2>' in english.text
    assert '<pre class="highlight" data-lang="apex">' in english.text  # the code, highlighted
    for link in article["links"]:
        assert f'<a href="{link["url"]}" rel="noopener noreferrer nofollow" target="_blank">' in english.text
    assert '<a class="navbar-brand fw-semibold text-truncate" href="/">← Back to the chat</a>' in english.text
    italian = httpx.get(
        offline_proxy.url + "/articles/queueable-apex", headers={"Accept-Language": "it-IT,it"}, timeout=10
    )
    assert f">{article['title']['it']}</h1>" in italian.text and "Approccio</h2>" in italian.text
    assert "ContactCleanupJob" in italian.text  # the English approach's code, shared by both languages
    assert 'href="queueable-apex?lang=en" hreflang="en">Read in English</a>' in italian.text


def test_the_page_runs_nothing_and_loads_only_the_proxys_files(offline_proxy: ProxyProcess) -> None:
    page = httpx.get(offline_proxy.url + "/articles/queueable-apex", timeout=10)
    csp = dict(part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'" and csp["default-src"] == "'self'"
    parser = _Tags()
    parser.feed(page.text)
    assert not [tag for tag, _ in parser.tags if tag in ("script", "style", "iframe", "img")]
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on") or a == "style"]
    sheets = [attrs["href"] for tag, attrs in parser.tags if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert sheets == ["/static/bootstrap/css/bootstrap.min.css", "/static/highlight.css", "/static/app/article.css"]
    for sheet in sheets:
        assert httpx.get(offline_proxy.url + str(sheet), timeout=10).status_code == 200
    outside = {attrs["href"] for tag, attrs in parser.tags if tag == "a" and str(attrs["href"]).startswith("http")}
    assert outside and all(url.startswith("https://developer.salesforce.com/") for url in outside)  # the sources only


@pytest.mark.parametrize(("lang", "words"), [("en", "Article not found"), ("it", "Articolo non trovato")])
def test_an_unknown_article_is_a_404_page(offline_proxy: ProxyProcess, lang: str, words: str) -> None:
    for article_id in ("no-such-article", "Not%20An%20Id%3Cb%3E"):
        page = httpx.get(f"{offline_proxy.url}/articles/{article_id}?lang={lang}", timeout=10)
        assert page.status_code == 404 and words in page.text and "<b>" not in page.text
        assert page.headers["content-security-policy"]


@pytest.fixture(scope="module")
def dead_first(tmp_path_factory: pytest.TempPathFactory, offline_space: SpaceProcess) -> Iterator[ProxyProcess]:
    """Two replicas: the first listed with nothing listening, the second the offline Space."""
    with (
        refused_url() as nowhere,
        ProxyProcess(f"{nowhere},{offline_space.url}", tmp_path_factory.mktemp("dead-first")) as proxy,
    ):
        yield proxy


def test_a_replica_that_cannot_be_reached_is_passed_over(dead_first: ProxyProcess) -> None:
    page = httpx.get(dead_first.url + "/articles/queueable-apex", timeout=20)
    assert page.status_code == 200 and "Queueable Apex" in page.text


@pytest.mark.parametrize(("lang", "words"), [("en", "cannot be shown right now"), ("it", "Riprova tra un minuto")])
def test_a_space_that_is_down_is_a_502_page(dead_proxy: ProxyProcess, lang: str, words: str) -> None:
    page = httpx.get(dead_proxy.url + "/articles/queueable-apex", headers={"Accept-Language": lang}, timeout=20)
    assert page.status_code == 502 and words in page.text and f'<html lang="{lang}"' in page.text
    assert not re.search(r"Traceback|httpx|127\.0\.0\.1", page.text)
