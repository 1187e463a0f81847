"""``GET /articles/{article_id}``: one knowledge-base article as a page (HTML), for people.

The offline answer links here (``articles/<id>?lang=<lang>``, relative: the chat page is the
Space's root, so the link resolves under whatever prefix serves the Space; Gradio's chatbot opens
it in a new tab). Programs read the same article as JSON at ``/api/articles/{article_id}``.

- Language: ``?lang=it|en``, else the first of Italian or English in ``Accept-Language`` (by its
  weights), else English. The page links the other language and the chat (``../``).
- Protection: with ``PLUMBERFORCE_API_KEY`` set, the page asks what the UI asks: the key in a
  header or the browser session of the ``/login`` page. A browser without either goes to the
  login page (as the UI's root does); anything else gets 401.
- An unknown id gets a 404 page in the chosen language.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plumberforce.web.article_html import article_page, content_security_policy, error_page
from plumberforce.web.auth import authorized

router = APIRouter(include_in_schema=False)
ARTICLE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")
LANGUAGES = ("en", "it")


def preferred_language(asked: str | None, accept_language: str) -> str:
    """``asked`` when it is ``en`` or ``it``; else the one of them ``Accept-Language`` weighs
    most (the first listed on a tie); else ``en``."""
    if asked in LANGUAGES:
        return asked
    best, weight = "en", 0.0
    for entry in accept_language.split(",")[:20]:
        tag, *params = entry.strip().split(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary in LANGUAGES and q > weight:
            best, weight = primary, q
    return best


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status,
        headers={"Content-Security-Policy": content_security_policy(), "Cache-Control": "no-cache"},
    )


@router.api_route("/articles/{article_id}", methods=["GET", "HEAD"])
async def article(request: Request, article_id: str, lang: str | None = None) -> Response:
    """The article ``article_id`` in the reader's language (see the module docstring)."""
    runtime = request.app.state.runtime
    key = runtime.settings.api_key
    if key is not None and authorized(request, key.get_secret_value()) is None:
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("../login", status_code=303)
        return Response("Missing or wrong API key.", status_code=401, media_type="text/plain")
    chosen = preferred_language(lang, request.headers.get("accept-language", ""))
    back = "../"
    if runtime.kb is None:
        return _html(error_page(chosen, back, "not_ready"), 503)
    found = runtime.kb.by_id.get(article_id) if ARTICLE_ID.fullmatch(article_id) else None
    if found is None:
        return _html(error_page(chosen, back, "not_found", article_id[:120]), 404)
    switch = f"{article_id}?lang={'en' if chosen == 'it' else 'it'}"
    return _html(article_page(found, chosen, back, switch))
