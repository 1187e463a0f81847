"""Time to first chunk and total time of one chat, hop by hop (issue 7, benchmark 1).

Starts on loopback the LLM test server (own process; 300 ms to first token, 50 tokens/s, 100
tokens), a Space pointed at it and the proxy; then asks ``--runs`` questions one after the other
(a) straight to the LLM test server with huggingface_hub, (b) through the Space's REST
``/api/query/stream`` (SSE), (c) through gradio_client ``/chat`` and (d) through the proxy's
WebSocket, and prints p50 time to first chunk and total, what each hop adds to (a) and the ratio.

    python bench/hops.py [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from gradio_client import Client  # noqa: E402
from huggingface_hub import AsyncInferenceClient  # noqa: E402

from bench._machine import machine  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, remote_env  # noqa: E402
from tests.proxy.proxy_processes import ProxyProcess  # noqa: E402

PRODUCTION = {"PLUMBERFORCE_PROXY_WARM_STREAMS": "256"}  # the default (the test processes use fewer)


async def direct(base_url: str, question: str) -> tuple[float, float]:
    client = AsyncInferenceClient(base_url=base_url, api_key="test")
    start = time.perf_counter()
    first = None
    async for _chunk in await client.chat_completion(
        [{"role": "user", "content": question}], stream=True, model="test-model", max_tokens=1024
    ):
        first = first or time.perf_counter() - start
    return first or 0.0, time.perf_counter() - start


def via_rest_sse(http: httpx.Client, question: str) -> tuple[float, float]:
    start = time.perf_counter()
    first = None
    body = {"query": question, "client_id": "hops-rest-" + uuid.uuid4().hex[:8]}
    with http.stream("POST", "/api/query/stream", json=body) as response:
        for line in response.iter_lines():
            if line == "event: delta" and first is None:
                first = time.perf_counter() - start
            if line == "event: done":
                break
    return first or 0.0, time.perf_counter() - start


def via_gradio_client(client: Client, question: str) -> tuple[float, float]:
    start = time.perf_counter()
    first = None
    job = client.submit(question, "hops-gc-" + uuid.uuid4().hex[:8], api_name="/chat")
    for _text, meta in job:
        if first is None and not meta.get("done"):
            first = time.perf_counter() - start
    return first or 0.0, time.perf_counter() - start


async def via_proxy(ws_url: str, question: str) -> tuple[float, float]:
    async with websockets.connect(f"{ws_url}/ws/hops-{uuid.uuid4().hex[:8]}", compression=None) as ws:
        start = time.perf_counter()
        first = None
        await ws.send(json.dumps({"type": "query", "id": "q", "text": question}))
        async for raw in ws:
            msg = json.loads(raw)
            if msg["type"] == "delta" and first is None:
                first = time.perf_counter() - start
            if msg["type"] in ("done", "error"):
                assert msg["type"] == "done", msg
                return first or 0.0, time.perf_counter() - start
    raise RuntimeError("closed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="proxy-hops-"))
    llm = spawn(LLMServerConfig(ttft_ms=300, tokens_per_second=50, tokens=100, log_level="warning"))
    env = remote_env(llm.base_url, cache_ttl_seconds=0)
    try:
        with SpaceProcess(tmp / "data", env=env) as space, ProxyProcess(space.url, tmp, env=PRODUCTION) as proxy:
            gc = Client(space.url, verbose=False)
            http = httpx.Client(base_url=space.url, timeout=60)
            results: dict[str, list[tuple[float, float]]] = {
                "(a) model direct (huggingface_hub)": [],
                "(b) REST /api/query/stream": [],
                "(c) gradio_client /chat": [],
                "(d) proxy WebSocket": [],
            }
            warm = "How do I bulkify an Apex trigger? (warm-up)"
            asyncio.run(via_proxy(proxy.ws_url, warm))  # discovery, connections
            via_gradio_client(gc, warm)
            via_rest_sse(http, warm)
            for i in range(args.runs):
                q = f"How do I bulkify an Apex trigger? (hop {i} {uuid.uuid4().hex[:6]})"  # on topic: reaches the model
                results["(a) model direct (huggingface_hub)"].append(asyncio.run(direct(llm.base_url, q)))
                results["(b) REST /api/query/stream"].append(via_rest_sse(http, q + " rest"))
                results["(c) gradio_client /chat"].append(via_gradio_client(gc, q + " gc"))
                results["(d) proxy WebSocket"].append(asyncio.run(via_proxy(proxy.ws_url, q + " proxy")))
            base = results["(a) model direct (huggingface_hub)"]
            base_first = statistics.median(f for f, _ in base)
            base_total = statistics.median(t for _, t in base)
            print(f"\nmachine: {machine()}")
            print(f"{args.runs} sequential chats, LLM test server 300 ms TTFT, 50 tokens/s, 100 tokens\n")
            print("| hop | TTFT p50 (ms) | added TTFT (ms) | TTFT / (a) | total p50 (s) | total / (a) |")
            print("|---|---:|---:|---:|---:|---:|")
            for name, rows in results.items():
                first = statistics.median(f for f, _ in rows)
                total = statistics.median(t for _, t in rows)
                print(
                    f"| {name} | {first * 1000:.0f} | {(first - base_first) * 1000:+.0f} | {first / base_first:.2f} "
                    f"| {total:.2f} | {total / base_total:.2f} |"
                )
    finally:
        llm.stop()


if __name__ == "__main__":
    main()
