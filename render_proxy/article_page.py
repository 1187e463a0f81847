"""``GET /articles/{article_id}``: a knowledge-base article of the Space as a page of the proxy.

The offline answer links the whole article relatively to the Space (``articles/<id>?lang=..``);
:mod:`render_proxy.render` turns that link into this page. The proxy asks the Space's REST API
(``/api/articles/{id}``, JSON in both languages, with the Space's key when one is configured) on
a replica (:meth:`render_proxy.replicas.Replicas.rest_get`) and renders it with its own Markdown
rules and its local stylesheets (Bootstrap, the highlighting CSS, ``static/article.css``): no
script, nothing from another site, under the page's usual Content-Security-Policy.

Language: ``?lang=it|en``, else the first of Italian or English in ``Accept-Language`` by weight,
else English. An id the Space does not know gets a 404 page, a Space that cannot be reached or
refuses the proxy a 502 page, each in that language.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from render_proxy.render import clean_sources, render_markdown
from render_proxy.replicas import Replicas
from render_proxy.space_discovery import UpstreamError

log = logging.getLogger(__name__)
ARTICLE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")
SECTIONS = ("approach", "best_practices", "alternatives")
WORDS = {
    "en": {
        "back": "← Back to the chat",
        "approach": "Approach",
        "best_practices": "Best practices",
        "alternatives": "Alternatives",
        "facts": "Key facts",
        "sources": "Official sources",
        "other": "Leggi in italiano",
        "footer": "Plumberforce offline knowledge base: written in our own words from Salesforce's official "
        "documentation, which the sources above link.",
        "not_found": "Article not found",
        "not_found_text": "The knowledge base has no article with the id “{id}”. It may have been renamed.",
        "unavailable": "The article cannot be shown right now",
        "unavailable_text": "The assistant's service is not reachable (it may be asleep or starting). "
        "Try again in a minute.",
    },
    "it": {
        "back": "← Torna alla chat",
        "approach": "Approccio",
        "best_practices": "Buone pratiche",
        "alternatives": "Alternative",
        "facts": "Dati chiave",
        "sources": "Fonti ufficiali",
        "other": "Read in English",
        "footer": "Knowledge base offline di Plumberforce: scritta con parole nostre a partire dalla documentazione "
        "ufficiale di Salesforce, collegata nelle fonti qui sopra.",
        "not_found": "Articolo non trovato",
        "not_found_text": "La knowledge base non ha un articolo con l'id “{id}”. Potrebbe essere stato rinominato.",
        "unavailable": "Al momento l'articolo non si può mostrare",
        "unavailable_text": "Il servizio dell'assistente non è raggiungibile (potrebbe essere in pausa o in "
        "avvio). Riprova tra un minuto.",
    },
}
E = html.escape


def preferred_language(asked: str | None, accept_language: str) -> str:
    """``asked`` when it is ``en`` or ``it``; else the one of them ``Accept-Language`` weighs
    most (the first listed on a tie); else ``en``."""
    if asked in ("en", "it"):
        return asked
    best, weight = "en", 0.0
    for entry in accept_language.split(",")[:20]:
        tag, *params = entry.strip().split(";")
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("en", "it") and q > weight:
            best, weight = primary, q
    return best


def _page(lang: str, title: str, body: str, switch: str = "") -> str:
    words = WORDS[lang]
    other = (
        f'<a class="link-secondary small" href="{E(switch)}" hreflang="{"en" if lang == "it" else "it"}">'
        f"{words['other']}</a>"
        if switch
        else ""
    )
    return f"""<!doctype html>
<html lang="{lang}" data-bs-theme="light">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{E(title)} · Plumberforce</title>
  <link rel="icon" href="/favicon.ico" sizes="48x48">
  <link rel="icon" href="/static/app/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">
  <link rel="stylesheet" href="/static/highlight.css">
  <link rel="stylesheet" href="/static/app/article.css">
</head>
<body>
  <nav class="navbar border-bottom bg-body-tertiary sticky-top">
    <div class="container article-width d-flex flex-nowrap gap-2">
      <a class="navbar-brand fw-semibold text-truncate" href="/">{words["back"]}</a>
      {other}
    </div>
  </nav>
  <main class="container article-width py-4">{body}</main>
  <footer class="container article-width pb-4 small text-body-secondary">{words["footer"] if switch else ""}</footer>
</body>
</html>
"""


def _text(value: Any, lang: str) -> str:
    """A localised field of the Space's JSON (``{"en": .., "it": ..}``), English when empty."""
    if not isinstance(value, dict):
        return ""
    return str(value.get(lang) or value.get("en") or "")


def _section(name: str, heading: str, body: str) -> str:
    return f'<section id="{name.replace("_", "-")}"><h2 class="h4">{heading}</h2>{body}</section>'


def approach(article: dict[str, Any], lang: str) -> str:
    """The approach in ``lang``, with the code of the English one when the text has none (the
    articles keep their code blocks in the English approach, shared by both languages)."""
    section = article.get("sections", {}).get("approach", {})
    text = _text(section, lang)
    if lang != "en" and "```" not in text:
        english = str(section.get("en") or "") if isinstance(section, dict) else ""
        text += "\n\n" + "\n\n".join(re.findall(r"^```[^\n]*\n.*?^```[ \t]*$", english, re.S | re.M))
    return text


def article_page(article: dict[str, Any], lang: str, switch: str) -> str:
    """The article (the Space's JSON) in ``lang``, every string escaped or rendered safely."""
    words = WORDS[lang]
    title = _text(article.get("title"), lang)
    parts = [
        f'<article><p class="text-body-secondary small text-uppercase mb-1">{E(str(article.get("topic", "")))}</p>',
        f'<h1 class="article-title mb-3">{E(title)}</h1>',
        f'<div class="summary lead-sm">{render_markdown(_text(article.get("summary"), lang))}</div>',
    ]
    for name in SECTIONS:
        text = approach(article, lang) if name == "approach" else _text(article.get("sections", {}).get(name), lang)
        if text.strip():
            parts.append(_section(name, words[name], render_markdown(text)))
    facts = [_text(f.get("label"), lang) for f in article.get("facts") or [] if isinstance(f, dict)]
    if any(facts):
        items = "".join(f"<li>{E(fact)}</li>" for fact in facts if fact)
        parts.append(_section("facts", words["facts"], f'<ul class="facts">{items}</ul>'))
    sources = clean_sources(article.get("links"))
    if sources:
        items = "".join(
            f'<li><a href="{E(s["url"])}" rel="noopener noreferrer nofollow" target="_blank">{E(s["title"])}</a></li>'
            for s in sources
        )
        parts.append(_section("sources", words["sources"], f"<ul>{items}</ul>"))
    parts.append("</article>")
    return _page(lang, title, "".join(parts), switch)


def error_page(lang: str, kind: str, article_id: str = "") -> str:
    """``not_found`` (an id the Space does not know) or ``unavailable`` (the Space is away)."""
    words = WORDS[lang]
    body = (
        f'<div class="py-4"><h1 class="h3">{words[kind]}</h1>'
        f'<p class="text-body-secondary">{E(words[kind + "_text"].format(id=article_id))}</p></div>'
    )
    return _page(lang, words[kind], body)


def build_router(upstream: Replicas) -> APIRouter:
    """The route, over the proxy's replicas of the Space."""
    router = APIRouter(include_in_schema=False)

    @router.api_route("/articles/{article_id}", methods=["GET", "HEAD"])
    async def article(request: Request, article_id: str, lang: str | None = None) -> HTMLResponse:
        chosen = preferred_language(lang, request.headers.get("accept-language", ""))
        if not ARTICLE_ID.fullmatch(article_id):
            return HTMLResponse(error_page(chosen, "not_found", article_id[:120]), status_code=404)
        try:
            response = await upstream.rest_get(f"api/articles/{article_id}")
        except UpstreamError as exc:  # no connection, a timeout, a failed discovery
            log.warning("article %s: %s", article_id, exc.message)
            return HTMLResponse(error_page(chosen, "unavailable"), status_code=502)
        if response.status_code == 404:
            return HTMLResponse(error_page(chosen, "not_found", article_id), status_code=404)
        try:
            body = response.json() if response.status_code == 200 else None
        except ValueError:
            body = None
        if not isinstance(body, dict):  # 401: the Space refused the proxy's key; 503: starting
            log.warning("article %s: the Space answered HTTP %s", article_id, response.status_code)
            return HTMLResponse(error_page(chosen, "unavailable"), status_code=502)
        switch = f"{article_id}?lang={'en' if chosen == 'it' else 'it'}"
        return HTMLResponse(article_page(body, chosen, switch), headers={"Cache-Control": "no-cache"})

    return router
