"""``create_app(settings) -> FastAPI``: the page, its assets, /health, /status, /articles/{id} and /ws/{client_id}."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from render_proxy import __version__
from render_proxy.article_page import build_router
from render_proxy.history import HistoryCache
from render_proxy.render import pygments_css
from render_proxy.replicas import Replicas
from render_proxy.security import SecurityHeaders, origin_allowed
from render_proxy.settings import ProxySettings
from render_proxy.space_limits import SpaceLimits
from render_proxy.ws import CLOSE_POLICY, Connection, Hub

STATIC = Path(__file__).parent / "static"
ASSET_CACHE = {"Cache-Control": "max-age=86400"}


def bootstrap_dir() -> Path:
    """Bootstrap's dist files, from the ``bootstrap-wrapper`` package (top-level ``bootstrap``)."""
    import bootstrap  # a namespace package: its __path__ lists the directory

    for entry in getattr(bootstrap, "__path__", []):
        if (Path(entry) / "css" / "bootstrap.min.css").is_file():
            return Path(entry)
    raise RuntimeError("bootstrap-wrapper is not installed (pip install -r render_proxy/requirements.txt)")


def create_app(settings: ProxySettings) -> FastAPI:
    """Build the proxy. The Space is not contacted until a page or /status needs it."""
    upstream = Replicas(settings)
    hub = Hub(
        settings=settings,
        upstream=upstream,
        history=HistoryCache(settings.history_clients, settings.history_messages),
        limits=SpaceLimits(upstream),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await upstream.start()
        try:
            yield
        finally:
            await upstream.aclose()

    app = FastAPI(title="Plumberforce proxy", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.hub = hub
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET"],
        allow_headers=[],
        allow_credentials=False,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static/bootstrap", StaticFiles(directory=bootstrap_dir()), name="bootstrap")
    app.mount("/static/app", StaticFiles(directory=STATIC), name="app")
    highlight_css = pygments_css()

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers=ASSET_CACHE)

    @app.get("/static/highlight.css", include_in_schema=False)
    async def highlight() -> PlainTextResponse:
        return PlainTextResponse(highlight_css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.api_route("/health", methods=["GET", "HEAD"])
    async def health() -> dict[str, str]:
        """Liveness: the proxy answers (it does not ask the Space)."""
        return {"status": "ok"}

    @app.get("/status")
    async def status() -> dict[str, Any]:
        """The proxy's state and the Space's health (short timeout): ready / degraded / down;
        with several replicas, each one's state (up / asleep / down / unknown)."""
        space = await upstream.health()
        body: dict[str, Any] = {
            "status": space["status"],
            "proxy": {
                "status": "ok",
                "version": __version__,
                "uptime_s": round(time.time() - hub.started, 1),
                "connections": hub.connections,
                "active_chats": hub.chats,
                "cached_conversations": len(hub.history),
                "space": settings.space,
                "last_upstream_error": upstream.last_error,
                "queue_client": upstream.driver,
                "warm_sessions": upstream.warm_sessions,
            },
            "space": space,
        }
        if upstream.several:  # each replica, as the background checks last found it
            body["replicas"] = upstream.public()
        return body

    app.include_router(build_router(upstream))  # /articles/{id}: the Space's article as a page

    @app.websocket("/ws/{client_id}")
    async def chat_socket(websocket: WebSocket, client_id: str) -> None:
        origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
        if not origin_allowed(origin, host, settings.cors_origins):
            await websocket.close(CLOSE_POLICY)  # before accept: the handshake gets 403
            return
        await Connection(hub, websocket, client_id).run()

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("Not found", status_code=404)

    return app
