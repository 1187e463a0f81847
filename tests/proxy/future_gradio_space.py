"""A tiny real Gradio app that advertises a queue protocol nobody here speaks yet (``sse_v4``, as
Gradio pre-releases announce), for the proxy's protocol check: ``python
tests/proxy/future_gradio_space.py`` on ``$PORT``.

A real Blocks app (a streaming ``/chat`` and a ``/status``) served by uvicorn; an ASGI wrapper
rewrites the ``protocol`` of the config it serves (``GET /config``), which is what a newer Gradio
would send. ``/api/health`` answers when it is up.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402

ADVERTISED = b'"protocol":"sse_v4"'


async def chat(message: str, client_id: str):
    text = ""
    for word in f"Echo: {message}".split():
        text += word + " "
        yield text, {"done": False}
    yield text, {"done": True, "message_id": "m1"}


def status() -> dict:
    return {"status": "ready"}


def advertise_future_protocol(app):  # type: ignore[no-untyped-def]
    """Wrap ``app``: the body of ``GET /config`` says ``sse_v4`` where Gradio 6 says ``sse_v3``."""

    async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or scope["path"].rstrip("/") != "/config":
            return await app(scope, receive, send)
        start: dict = {}
        body = b""

        async def capture(message):  # type: ignore[no-untyped-def]
            nonlocal body
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            body = body.replace(b'"protocol":"sse_v3"', ADVERTISED)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


def main() -> None:
    app = FastAPI()

    @app.get("/api/health")
    async def health() -> dict:
        return {"status": "ok"}

    with gr.Blocks() as demo:
        message, client_id = gr.Textbox(), gr.Textbox()
        answer, meta = gr.Markdown(), gr.JSON()
        gr.Button().click(chat, [message, client_id], [answer, meta], api_name="chat")
        gr.Button().click(status, None, gr.JSON(), api_name="status")
    app = gr.mount_gradio_app(app, demo, path="")
    uvicorn.run(advertise_future_protocol(app), host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
