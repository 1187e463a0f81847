"""The baseline people would pick instead: the Hugging Face Spaces chatbot template.

What "Create new Space -> Gradio -> Chatbot" gives: a ``gr.ChatInterface`` whose function streams
``InferenceClient.chat_completion(stream=True)`` (sync client, a sync generator: Gradio runs it in
its worker threads). Two changes, both needed to measure it here: the client goes to
``$LLM_BASE_URL`` (the LLM test server) instead of a Hub model, and the queue lets every chat run
at once (``default_concurrency_limit=None``; as generated, the template runs one chat at a time,
which no load test survives). Served like our Space: mounted in FastAPI under uvicorn, with
``/api/health`` for readiness.

    LLM_BASE_URL=http://127.0.0.1:PORT/v1 PORT=7861 python bench/_chat_template.py
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from huggingface_hub import InferenceClient  # noqa: E402

client = InferenceClient(base_url=os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8080/v1"), api_key="test")


def respond(message, history: list[dict[str, str]], system_message, max_tokens, temperature, top_p):
    messages = [{"role": "system", "content": system_message}]
    messages.extend(history)
    messages.append({"role": "user", "content": message})
    response = ""
    for chunk in client.chat_completion(
        messages, max_tokens=max_tokens, stream=True, temperature=temperature, top_p=top_p, model="test-model"
    ):
        choices = chunk.choices
        token = ""
        if len(choices) and choices[0].delta.content:
            token = choices[0].delta.content
        response += token
        yield response


chatbot = gr.ChatInterface(
    respond,
    additional_inputs=[
        gr.Textbox(value="You are a friendly Chatbot.", label="System message"),
        gr.Slider(minimum=1, maximum=2048, value=512, step=1, label="Max new tokens"),
        gr.Slider(minimum=0.1, maximum=4.0, value=0.7, step=0.1, label="Temperature"),
        gr.Slider(minimum=0.1, maximum=1.0, value=0.95, step=0.05, label="Top-p (nucleus sampling)"),
    ],
)

with gr.Blocks() as demo:
    chatbot.render()


def main() -> None:
    app = FastAPI()

    @app.get("/api/health")
    async def health() -> dict:
        return {"status": "ok"}

    demo.queue(default_concurrency_limit=None)
    app = gr.mount_gradio_app(app, demo, path="")
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
