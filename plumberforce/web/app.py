"""``create_app(settings) -> FastAPI``: the whole Space in one ASGI app.

The REST API lives under ``/api`` (documented at ``/docs``); the Gradio UI and its named
endpoints are mounted at ``/``. Stores and engines open in the lifespan and close after it.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from plumberforce import __version__
from plumberforce.errors import PlumberforceError
from plumberforce.settings import Settings
from plumberforce.web import article_page, rest
from plumberforce.web.auth import authorized, install_login
from plumberforce.web.middleware import SecurityHeaders
from plumberforce.web.rest.fast_path import QueryStreamFastPath
from plumberforce.web.runtime import Runtime

log = logging.getLogger(__name__)

DESCRIPTION = """\
Plumberforce answers Salesforce technical questions (Apex, SOQL/SOSL, governor limits,
triggers, Flows, LWC, sharing and security, integrations, testing, deployment) in Italian or
English. The same service answers the Gradio UI at `/`, its named endpoints (`/chat`,
`/history`, `/reset`, `/status`, for `gradio_client`) and this REST API.
"""


def create_app(settings: Settings) -> FastAPI:
    """Build the Space: FastAPI with /api, the Gradio Blocks mounted at /."""
    if not settings.gradio_analytics:
        os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import gradio as gr

    from plumberforce.web.ui import CSS, build_blocks
    from plumberforce.web.ui.chat_fast_path import ChatDoor, ChatJoinFastPath
    from plumberforce.web.ui.gradio_compat import (
        login_check_on_the_loop,
        quiet_event_analytics,
        skip_missing_matplotlib,
    )

    skip_missing_matplotlib()
    quiet_event_analytics()

    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.open()
        # Everything built so far (Gradio's app, the knowledge index, the stores) lives as long as
        # the process: out of the collector's sight, a full collection under load walks only what
        # the chats allocate (gc.freeze), and fewer young collections run (threshold 50k, not 700)
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        try:
            yield
        finally:
            await chat_door.close()  # the /chat events it runs: stopped (stored) before the stores close
            await runtime.close()

    app = FastAPI(
        title="Plumberforce API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    rest.install(app)
    app.include_router(article_page.router)  # /articles/{id}: an article as a page (before the UI's mount)
    rest.document_limits(app, settings.max_question_chars, settings.max_comment_chars)
    # Declaring CORS here also makes Gradio defer to it for its own routes: cross-origin
    # browsers are allowed only from the configured origins (none by default).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["authorization", "x-api-key", "content-type"],
    )

    app.add_middleware(SecurityHeaders)
    gradio_auth = None
    if settings.api_key is not None:
        key = settings.api_key.get_secret_value()
        install_login(app, key)

        def gradio_auth(request: Request) -> str | None:
            return authorized(request, key)

    # the plain POST /api/query/stream, served before everything above (the rest passes through)
    app.add_middleware(QueryStreamFastPath, runtime=runtime, error_handler=app.exception_handlers[PlumberforceError])
    blocks = build_blocks(runtime)
    # plain /chat joins, served past Gradio's queue (its event stream still delivers them)
    chat_door = ChatDoor(runtime, blocks, settings.chat_fast_path)
    app.add_middleware(ChatJoinFastPath, door=chat_door)
    app.state.chat_door = chat_door
    gr.mount_gradio_app(
        app, blocks, path="", footer_links=["api"], css=CSS, ssr_mode=False, auth_dependency=gradio_auth
    )
    login_check_on_the_loop(app)  # Gradio's queue routes: no thread hop for their login check
    return app
