"""Footprint (issue 7, benchmark 4): memory of stored conversations, memory of idle proxy
WebSockets, cold start against a bare Gradio app, and retrieval latency.

- Conversations: 10,000 conversations of 10 turns (question ~80 characters, answer ~2,000) are
  written into a data directory through ``ConversationStore``, the class the chat path uses
  (creating 100,000 turns through HTTP would take many minutes and measure the engine, not the
  store). Then the Space starts on that directory and every conversation is read once through
  ``GET /api/history``; its RSS is compared with a Space on an empty directory, same reads.
- Idle WebSockets: RSS of the proxy before and after opening ``--sockets`` idle WebSockets.
- Cold start: seconds from spawning the process to ``/api/health`` answering, ``space_app.py``
  against ``bench/_bare_gradio.py`` (a bare Blocks chat mounted in FastAPI), 3 runs each.
- Retrieval: ``KnowledgeBase.search`` and ``analyse`` latency over the evaluation set.

    python bench/footprint.py [--conversations 10000] [--sockets 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._machine import machine  # noqa: E402
from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.stores.conversations import EmbeddedConversationStore  # noqa: E402
from plumberforce.stores.records import Message  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, free_port, wait_http  # noqa: E402
from tests.proxy.proxy_processes import ProxyProcess  # noqa: E402

ENV = {
    "PLUMBERFORCE_ENGINE": "offline",
    "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "0",
    "PLUMBERFORCE_IP_RATE_LIMIT_PER_MINUTE": "0",
    "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0",
}
ANSWER = ("Move every query out of the loop and collect the ids in a set first. " * 30)[:2000]


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def populate(directory: Path, conversations: int) -> float:
    async def write() -> None:
        store = EmbeddedConversationStore(directory / "conversations", max_messages=200)
        for c in range(conversations):
            turns = []
            for t in range(10):
                turns += [
                    Message("user", f"Question {t} of conversation {c}: how do I bulkify this trigger?"),
                    Message("assistant", f"{ANSWER} ({c}.{t})"),
                ]  # distinct strings: pickle would share one
            await store.append(f"conv-{c}", turns)
        await store.aclose()

    started = time.perf_counter()
    asyncio.run(write())
    return time.perf_counter() - started


async def read_all(url: str, conversations: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        sem = asyncio.Semaphore(16)

        async def one(c: int) -> None:
            async with sem:
                response = await client.get(f"/api/history/conv-{c}")
                response.raise_for_status()

        await asyncio.gather(*(one(c) for c in range(conversations)))


def space_rss(data: Path, conversations: int) -> tuple[float, float]:
    """RSS (MB) after start + 20 chats, and after reading every conversation once."""
    with SpaceProcess(data, env=ENV) as space, httpx.Client(base_url=space.url, timeout=60) as http:
        for i in range(20):
            http.post("/api/query", json={"query": f"What is Batch Apex? ({i})", "client_id": f"warm-{i}"})
        warm = rss_mb(space.process.pid)
        asyncio.run(read_all(space.url, conversations))
        return warm, rss_mb(space.process.pid)


async def open_idle(ws_url: str, n: int) -> list:
    sockets = []
    for i in range(n):
        sockets.append(await websockets.connect(f"{ws_url}/ws/idle-{i}", compression=None))
    return sockets


def proxy_per_socket(tmp: Path, sockets: int) -> tuple[float, float]:
    with SpaceProcess(tmp / "proxy-space", env=ENV) as space, ProxyProcess(space.url, tmp) as proxy:
        pid = proxy.process.pid

        async def measure() -> tuple[float, float]:
            warm = await open_idle(proxy.ws_url, 20)  # the first connections load code paths
            before = rss_mb(pid)
            opened = await open_idle(proxy.ws_url, sockets)
            await asyncio.sleep(1)  # let the server settle its per-connection state
            after = rss_mb(pid)
            for ws in opened + warm:
                await ws.close()
            return before, after

        before, after = asyncio.run(measure())
        return before, (after - before) * 1024 / sockets


def cold_start(command: list[str], env: dict[str, str]) -> float:
    port = free_port()
    full_env = {**os.environ, **env, "PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.mkdtemp()
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/health", 120, process)
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(15)


def retrieval() -> list[tuple[str, float, float]]:
    kb = KnowledgeBase.load()
    questions = [json.loads(line)["q"] for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line]
    rows = []
    for name, fn in (("search", kb.search), ("analyse", kb.analyse)):
        for q in questions:  # warm-up
            fn(q)
        times = []
        for _ in range(3):
            for q in questions:
                start = time.perf_counter()
                fn(q)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        rows.append((name, statistics.median(times), times[int(0.99 * len(times))]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--sockets", type=int, default=500)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="footprint-"))

    empty_warm, empty_read = space_rss(tmp / "empty" / "data", args.conversations)
    seconds = populate(tmp / "full" / "data", args.conversations)
    full_warm, full_read = space_rss(tmp / "full" / "data", args.conversations)
    disk = sum(f.stat().st_size for f in (tmp / "full" / "data").rglob("*") if f.is_file()) / 2**20

    proxy_before, per_socket_kb = proxy_per_socket(tmp, args.sockets)

    space_cmd = [sys.executable, str(ROOT / "space_app.py")]
    bare_cmd = [sys.executable, str(ROOT / "bench" / "_bare_gradio.py")]
    starts: dict[str, list[float]] = {"space_app.py": [], "bare Gradio Blocks in FastAPI": []}
    for _ in range(3):
        starts["bare Gradio Blocks in FastAPI"].append(cold_start(bare_cmd, {}))
        starts["space_app.py"].append(cold_start(space_cmd, {**ENV, "PLUMBERFORCE_DATA_DIR": str(tmp / "cold")}))

    print(f"\nmachine: {machine()}\n")
    print(f"Conversations ({args.conversations} x 10 turns, {disk:.0f} MB on disk, written in {seconds:.0f} s)\n")
    print("| Space data directory | RSS after start + 20 chats (MB) | RSS after reading every conversation (MB) |")
    print("|---|---:|---:|")
    print(f"| empty | {empty_warm:.1f} | {empty_read:.1f} |")
    print(f"| {args.conversations} conversations | {full_warm:.1f} | {full_read:.1f} |")
    print(f"| added by the conversations | {full_warm - empty_warm:+.1f} | {full_read - empty_read:+.1f} |")
    print(
        f"\nProxy: RSS {proxy_before:.1f} MB with 20 sockets; each further idle WebSocket: "
        f"{per_socket_kb:.1f} KB ({args.sockets} opened)\n"
    )
    bare = statistics.median(starts["bare Gradio Blocks in FastAPI"])
    print("| cold start (process spawn to /api/health) | median (s) | runs | ratio |")
    print("|---|---:|---|---:|")
    for name, runs in starts.items():
        median = statistics.median(runs)
        print(f"| {name} | {median:.2f} | {' '.join(f'{r:.2f}' for r in runs)} | {median / bare:.2f} |")
    print("\n| retrieval over the evaluation set | p50 (ms) | p99 (ms) |")
    print("|---|---:|---:|")
    for name, p50, p99 in retrieval():
        print(f"| KnowledgeBase.{name} | {p50:.3f} | {p99:.3f} |")


if __name__ == "__main__":
    main()
