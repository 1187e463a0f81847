"""The baseline of the cold-start benchmark: a bare Gradio Blocks chat mounted in FastAPI."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402


async def echo(message: str, history: list):
    yield f"You said: {message}"


def main() -> None:
    app = FastAPI()

    @app.get("/api/health")
    async def health() -> dict:
        return {"status": "ok"}

    with gr.Blocks() as demo:
        chatbot = gr.Chatbot()
        box = gr.Textbox()
        box.submit(lambda m, h: h + [{"role": "user", "content": m}], [box, chatbot], chatbot)
    app = gr.mount_gradio_app(app, demo, path="")
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
