"""The article page of the Space (``GET /articles/{id}``): the whole article as HTML in the
reader's language, reached from the offline answer's relative link, escaped, with nothing to run."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from urllib.parse import urljoin

import httpx
import pytest

from plumberforce.web.article_page import preferred_language


def test_the_offline_answer_links_the_article_page_in_its_language(http: httpx.Client) -> None:
    for question, lang, heading in (
        ("How many child jobs can a running Queueable enqueue?", "en", "Approach"),
        ("Quanti job figli può accodare un Queueable in esecuzione?", "it", "Approccio"),
    ):
        body = {"query": f"{question} {uuid.uuid4().hex[:4]}", "client_id": "t-" + uuid.uuid4().hex[:12]}
        answer = http.post("/api/query", json=body).json()["response"]
        links = re.findall(r"\]\((articles/[a-z0-9-]+\?lang=(?:en|it))\)", answer)
        assert links and all(link.endswith(f"lang={lang}") for link in links), answer
        assert "](api/articles/" not in answer
        # relative to the chat page (the Space's root), as the browser resolves it
        page = http.get(urljoin(str(http.base_url) + "/", links[0]))
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}">' in page.text and f"<h2>{heading}</h2>" in page.text


def test_the_page_holds_the_whole_article(http: httpx.Client) -> None:
    article = http.get("/api/articles/queueable-apex").json()  # the JSON API stays
    page = http.get("/articles/queueable-apex?lang=en")
    text = page.text
    assert f"<h1>{article['title']['en']}</h1>" in text
    assert "A Queueable is a class implementing Queueable" in text  # the summary
    assert '<pre class="highlight"><code><span class="kd">public</span>' in text  # the code, highlighted
    for heading in ("Approach", "Best practices", "Alternatives", "Key facts", "Official sources"):
        assert f"<h2>{heading}</h2>" in text
    assert "Child jobs a running Queueable (or other async job) can enqueue: 1" in text
    for link in article["links"]:
        assert f'<a href="{link["url"]}" rel="noopener noreferrer" target="_blank">' in text
    assert '<a href="../">← Back to the chat</a>' in text
    assert '<a class="lang" href="queueable-apex?lang=it" hreflang="it">Leggi in italiano</a>' in text


def test_italian_by_parameter_or_browser_with_the_code_of_the_english_approach(http: httpx.Client) -> None:
    by_parameter = http.get("/articles/queueable-apex?lang=it").text
    by_browser = http.get("/articles/queueable-apex", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.8"}).text
    assert by_parameter == by_browser
    assert "<h2>Approccio</h2>" in by_parameter and "<h2>Dati chiave</h2>" in by_parameter
    assert "Queueable in esecuzione" in by_parameter and "ContactCleanupJob" in by_parameter
    assert "<h2>Approach</h2>" in http.get("/articles/queueable-apex?lang=xx").text  # no Accept-Language: English


def test_nothing_runs_and_the_style_is_allowed_by_its_hash(http: httpx.Client) -> None:
    page = http.get("/articles/queueable-apex")
    assert "<script" not in page.text.lower() and not re.search(r"<[^>]+\son[a-z]+\s*=", page.text)
    style = re.search(r"<style>(.*?)</style>", page.text, re.S)
    assert style and "http" not in style.group(1)  # nothing fetched: no CDN, no font
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"style-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy and "script-src" not in policy


@pytest.mark.parametrize("lang", ["en", "it"])
def test_an_unknown_article_is_a_404_page_in_the_readers_language(http: httpx.Client, lang: str) -> None:
    page = http.get(f"/articles/no-such-article?lang={lang}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert ("Article not found" if lang == "en" else "Articolo non trovato") in page.text
    assert "no-such-article" in page.text and '<a href="../">' in page.text
    hostile = http.get("/articles/%3Cscript%3Ealert(1)%3C%5Cscript%3E", headers={"Accept-Language": lang})
    assert hostile.status_code == 404 and "<script>" not in hostile.text and "&lt;script&gt;" in hostile.text
    assert http.head("/articles/queueable-apex").status_code == 200


@pytest.mark.parametrize(
    ("asked", "header", "chosen"),
    [
        ("it", "en-US", "it"),
        (None, "it-IT,it;q=0.9,en-US;q=0.8", "it"),
        (None, "en-GB,it;q=0.9", "en"),
        (None, "fr-FR,it;q=0.5,en;q=0.7", "en"),
        (None, "fr-FR,de;q=0.9", "en"),
        ("de", "it;q=0.2", "it"),
        (None, "it;q=oops,en;q=0.1", "en"),
        (None, "", "en"),
    ],
)
def test_preferred_language(asked: str | None, header: str, chosen: str) -> None:
    assert preferred_language(asked, header) == chosen
