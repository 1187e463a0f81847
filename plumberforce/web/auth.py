"""The API key: who may reach the model or read a conversation when ``PLUMBERFORCE_API_KEY`` is set.

- REST routes (all but ``/api/health``) and ``/metrics`` check it with a FastAPI dependency
  (:func:`plumberforce.web.rest.deps.require_key`).
- Gradio routes (the UI's own calls, the named endpoints, ``/gradio_api/info``, the config...)
  check it through Gradio's ``auth_dependency`` hook (:func:`gradio_user`): a request passes with
  the key in ``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` (gradio_client:
  ``Client(url, headers={"X-API-Key": key})``), or with the browser session cookie that the
  ``/login`` page sets after the person typed the key.
- Comparisons are constant-time (hmac.compare_digest); the key is never logged, echoed in an
  error or shown in diagnostics; the cookie holds an HMAC of the key, not the key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plumberforce.web.middleware import LoginRedirect

SESSION_COOKIE = "plumberforce_session"


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request presents: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``."""
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return headers.get("x-api-key")


def key_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def session_token(key: str) -> str:
    """The browser session cookie value: an HMAC of the key (the key itself never leaves)."""
    return hmac.new(key.encode(), b"plumberforce-ui-session-v1", hashlib.sha256).hexdigest()


def authorized(request: Request, key: str) -> str | None:
    """ "api" for a valid key header, "ui" for a valid session cookie, else None."""
    if key_matches(key, presented_key(request.headers)):
        return "api"
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is not None and hmac.compare_digest(cookie.encode(), session_token(key).encode()):
        return "ui"
    return None


def limited_ip(headers: Mapping[str, str], host: str | None, key: str | None) -> str | None:
    """The address the per-IP rate limit counts, or None for callers holding the API key.

    A trusted caller with the key (the Render proxy, a script) speaks for many people from one
    address; those are still limited per client id, not per IP.
    """
    if key is not None and key_matches(key, presented_key(headers)):
        return None
    return host


LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plumberforce: sign in</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:12vh auto;padding:0 1rem}}
input,button{{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.4rem 0}}
.error{{color:#b00020}}</style></head>
<body><h1>Plumberforce</h1>
<p>This assistant is protected. Enter the access key.<br>
Questo assistente è protetto: inserisci la chiave di accesso.</p>
<p class="error">{error}</p>
<form method="post" action="login"><label for="key">Key / Chiave</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in / Accedi</button></form></body></html>"""


def install_login(app: FastAPI, key: str) -> None:
    """``GET/POST /login``, ``GET /logout``, and a redirect from the protected UI to the login."""
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    async def login_form() -> HTMLResponse:
        return HTMLResponse(LOGIN_PAGE.format(error=""))

    @router.post("/login")
    async def login(request: Request, key_field: str = Form("", alias="key")) -> Response:
        if not key_matches(key, key_field):
            return HTMLResponse(LOGIN_PAGE.format(error="Wrong key. / Chiave errata."), status_code=401)
        response = RedirectResponse("./", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            session_token(key),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=30 * 86400,
        )
        return response

    @router.get("/logout")
    async def logout() -> Response:
        response = RedirectResponse("login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    app.include_router(router)

    app.add_middleware(LoginRedirect, is_authorized=lambda scope: authorized(Request(scope), key) is not None)
