"""SIGKILL the proxy during a burst of chats and ratings over WebSockets, start it again, and
find that every page reconnects and every acknowledged turn and rating is there."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import httpx
import websockets

from plumberforce.testing.processes import SpaceProcess
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run

CLIENTS = 6
KILL_AFTER = 12


def test_sigkill_of_the_proxy_loses_nothing_acknowledged(tmp_path: Path, proxy_space: SpaceProcess) -> None:
    proxy = ProxyProcess(proxy_space.url, tmp_path).start()
    turns: list[tuple[str, str, str]] = []  # (client, message_id, question) acknowledged by "done"
    ratings: list[tuple[str, str, int]] = []  # acknowledged by "ack"

    async def client(n: int, enough: asyncio.Event) -> None:
        name = f"kill-{n}"
        try:
            async with ProxySocket(f"{proxy.ws_url}/ws/{name}") as ws:
                for i in range(100):
                    question = f"How do I bulkify an Apex trigger? (client {n}, question {i})"
                    _, done = await ws.ask(f"q{i}", question, within=30)
                    if done["type"] != "done":
                        return
                    turns.append((name, done["message_id"], question))
                    if len(turns) >= KILL_AFTER:
                        enough.set()
                    rating = 1 + i % 5
                    await ws.send(
                        {"type": "feedback", "id": f"f{i}", "message_id": done["message_id"], "rating": rating}
                    )
                    await ws.until(lambda m, i=i: m.get("id") == f"f{i}" and m["type"] in ("ack", "error"))
                    if ws.received[-1]["type"] == "ack":
                        ratings.append((name, done["message_id"], rating))
        except (websockets.ConnectionClosed, OSError, TimeoutError):
            return  # the proxy died under us: what was in flight was not acknowledged

    async def burst() -> None:
        enough = asyncio.Event()
        tasks = [asyncio.create_task(client(n, enough)) for n in range(CLIENTS)]
        await asyncio.wait_for(enough.wait(), 120)
        proxy.kill()  # SIGKILL, chats in flight
        await asyncio.gather(*tasks)

    try:
        run(burst())
        assert len(turns) >= KILL_AFTER
        proxy.start()  # the same port: pages reconnect to the same address
        assert httpx.get(proxy.url + "/health", timeout=5).status_code == 200

        async def resync(n: int) -> list[dict]:
            async with ProxySocket(f"{proxy.ws_url}/ws/kill-{n}") as ws:
                await ws.send({"type": "history"})
                seen = await ws.until(lambda m: m["type"] == "history" and m.get("source") == "space", within=30)
                return seen[-1]["messages"]

        for n in range(CLIENTS):
            messages = run(resync(n))
            by_id = {m["message_id"]: i for i, m in enumerate(messages)}
            for name, message_id, question in turns:
                if name == f"kill-{n}":
                    assert message_id in by_id, (name, message_id)
                    assert messages[by_id[message_id] - 1]["content"] == question
        export = httpx.get(proxy_space.url + "/api/feedback/export", timeout=10).text
        stored = {
            (r["client_id"], r["message_id"]): int(float(r["rating"])) for r in csv.DictReader(io.StringIO(export))
        }
        for name, message_id, rating in ratings:
            assert stored[(name, message_id)] == rating
    finally:
        proxy.stop()
