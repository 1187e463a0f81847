"""Plain ASGI middlewares (not Starlette's BaseHTTPMiddleware).

BaseHTTPMiddleware runs every response through an extra task group and a disconnect watcher,
which for the Gradio queue's long-lived event streams cost about a tenth of the Space's CPU
under load (measured with py-spy, see bench/README.md); these wrap ``send`` or answer early
and cost nothing per streamed message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` followed by the security headers it does not already have."""
    headers = list(headers)
    present = {name.lower() for name, _ in headers}
    return headers + [(name, value) for name, value in SECURITY_HEADERS if name not in present]


class SecurityHeaders:
    """Adds ``X-Content-Type-Options`` and ``Referrer-Policy`` to every HTTP response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = with_security_headers(message.get("headers", []))
            await send(message)

        await self.app(scope, receive, add_headers)


async def _json(send: Send, status: int, body: dict, headers: list[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class MethodNotAllowed:
    """405 (with ``Allow``) for a known API path called with another method.

    Without it such a request would fall through to the Gradio app mounted at the root and get
    a misleading 404. The table comes from the OpenAPI schema (``paths()``), built on first use.
    """

    def __init__(self, app: ASGIApp, paths: Callable[[], dict]):
        self.app = app
        self.paths = paths
        self.table: list[tuple[re.Pattern[str], set[str]]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith("/api/") or path == "/metrics"):
            if not self.table:
                for template, operations in self.paths().items():
                    pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
                    self.table.append((re.compile(f"^{pattern}$"), {m.upper() for m in operations}))
            allowed: set[str] = set()
            for pattern, methods in self.table:
                if pattern.match(path):
                    allowed |= methods
            method = scope["method"]
            if allowed and method not in allowed and not (method == "HEAD" and "GET" in allowed):
                await _json(
                    send,
                    405,
                    {"detail": "Method Not Allowed", "code": "method_not_allowed"},
                    [(b"allow", ", ".join(sorted(allowed)).encode())],
                )
                return
        await self.app(scope, receive, send)


class LoginRedirect:
    """With an API key: a browser asking for the UI without a session goes to the login page."""

    def __init__(self, app: ASGIApp, is_authorized: Callable[[Scope], bool]):
        self.app = app
        self.is_authorized = is_authorized

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope.get("path") in ("/", ""):
            accept = dict(scope.get("headers", [])).get(b"accept", b"")
            if b"text/html" in accept and not self.is_authorized(scope):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 303,
                        "headers": [(b"location", b"login"), (b"content-length", b"0")],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
