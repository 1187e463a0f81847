"""Load generators shared by bench/concurrency.py and bench/sustained.py: chats driven through
the proxy's WebSocket or through Gradio's queue protocol, connected first, asked later.

- :class:`ProxyChats`: one WebSocket per chat (``/ws/<client id>``), opened before the clock
  starts; a chat sends ``query`` and reads ``delta`` messages until ``done``.
- :class:`QueueChats`: Gradio's queue protocol as gradio_client speaks it (``sse_v3``:
  ``POST queue/join``, then ``GET queue/data`` streamed), each chat in a new session as each
  gradio_client ``Client`` (a person) has its own. One asyncio process can drive hundreds of
  chats this way; gradio_client itself needs threads per job and, at 200 chats, more CPU in the
  load generator than the server spends (docs/architecture.md). Its connection pool is opened
  before the clock starts (two sockets per chat: the join and the stream).

A chat's figures: ``ttft`` (question sent to first chunk), ``span`` (first to last chunk),
``total``, ``chunks``, ``ok``, ``mixed`` (the answer is not to this chat's question).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import websockets

from plumberforce.testing.processes import ROOT, ServerProcess


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process (this one when pid is None), from /proc."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


class TemplateProcess(ServerProcess):
    """bench/_chat_template.py (the Spaces chatbot template) pointed at an LLM server."""

    name = "template"
    health = "/api/health"

    def __init__(self, log_dir: Path, llm_base_url: str):
        super().__init__(log_dir, env={"LLM_BASE_URL": llm_base_url})

    def command(self) -> list[str]:
        return [sys.executable, str(ROOT / "bench" / "_chat_template.py")]


def _result(sent: float, first: float | None, last: float | None, chunks: int, text: str, question: str) -> dict:
    return {
        "ok": True,
        "ttft": None if first is None else first - sent,
        "span": None if first is None or last is None else last - first,
        "total": time.perf_counter() - sent,
        "chunks": chunks,
        "mixed": question not in text,
    }


class ProxyChats:
    """Chats through the proxy's WebSocket (see the module docstring)."""

    def __init__(self, proxy_url: str):
        self.url = proxy_url
        self.ws_base = proxy_url.replace("http", "ws", 1)

    def wait_warm(self, wanted: int, timeout: float = 120) -> int:
        """Wait until the proxy holds ``wanted`` warm Space sessions (it makes them after discovery,
        while idle): a measurement must not share the Space with that. The count reached."""
        deadline = time.monotonic() + timeout
        warm = 0
        while time.monotonic() < deadline:
            warm = httpx.get(self.url + "/status", timeout=10).json()["proxy"]["warm_sessions"]
            if warm >= wanted:
                break
            time.sleep(0.5)
        return warm

    async def connect(self, tag: str) -> Any:
        return await websockets.connect(f"{self.ws_base}/ws/b-{tag}", max_size=2**22, compression=None)

    async def chat(self, ws: Any, question: str) -> dict:
        first = last = None
        chunks = 0
        try:
            sent = time.perf_counter()
            await ws.send(json.dumps({"type": "query", "id": "q1", "text": question}))
            async for raw in ws:
                msg = json.loads(raw)
                if msg["type"] == "delta" and msg.get("text"):
                    last = time.perf_counter()
                    first = first or last
                    chunks += 1
                elif msg["type"] == "done":
                    return _result(sent, first, last, chunks, msg["text"], question)
                elif msg["type"] == "error":
                    return {"ok": False, "error": msg}
            return {"ok": False, "error": "closed"}
        finally:
            await ws.close()


class QueueChats:
    """Chats over Gradio's queue protocol, a new session each (see the module docstring).

    ``api_name`` and ``args`` are what one would pass to ``Client.submit``; the raw payload is
    built the way gradio_client builds it (defaults filled in, state inputs as None)."""

    def __init__(self, url: str, api_name: str, args: tuple[Any, ...], question_at: int = 0):
        from gradio_client import Client, utils

        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        try:
            endpoint = next(ep for ep in client.endpoints.values() if ep.api_name == api_name)
            self.fn = endpoint.fn_index
            self.data = list(endpoint.insert_empty_state(*utils.construct_args(endpoint.parameters_info, args, {})))
            self.root = client.src_prefixed
        finally:
            client.close()
        self.question_at = question_at
        self.http: httpx.AsyncClient | None = None

    async def connect(self, n: int) -> None:
        """Open the pool: 2n sockets, kept alive (two per chat)."""
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=2 * n + 8, keepalive_expiry=120)
        self.http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(120, read=None))
        health = self.root.rsplit("gradio_api/", 1)[0] + "api/health"
        await asyncio.gather(*(self.http.get(health) for _ in range(2 * n)))

    async def aclose(self) -> None:
        if self.http is not None:
            await self.http.aclose()

    async def chat(self, question: str, *extra: Any) -> dict:
        assert self.http is not None
        data = list(self.data)
        data[self.question_at] = question
        for i, value in enumerate(extra, start=self.question_at + 1):
            data[i] = value
        session = uuid.uuid4().hex
        body = {"data": data, "fn_index": self.fn, "session_hash": session, "event_data": None, "trigger_id": None}
        first = last = None
        chunks = 0
        sent = time.perf_counter()
        joined = await self.http.post(self.root + "queue/join", json=body, headers={"x-gradio-user": "api"})
        if joined.status_code != 200:
            return {"ok": False, "error": f"join: HTTP {joined.status_code}"}
        async with self.http.stream("GET", self.root + "queue/data", params={"session_hash": session}) as stream:
            buffer = b""
            async for raw in stream.aiter_raw():
                buffer += raw
                *events, buffer = buffer.split(b"\n\n")
                for event in events:
                    if not event.startswith(b"data:"):
                        continue
                    message = json.loads(event[5:])
                    kind = message.get("msg")
                    if kind == "process_generating":
                        last = time.perf_counter()
                        first = first or last
                        chunks += 1
                    elif kind == "process_completed":
                        if not message.get("success", True):
                            return {"ok": False, "error": message.get("output")}
                        text = json.dumps(message["output"]["data"])
                        return _result(sent, first, last, chunks, text, question)
                    elif kind in ("unexpected_error", "server_stopped"):
                        return {"ok": False, "error": message}
        return {"ok": False, "error": "stream closed"}
