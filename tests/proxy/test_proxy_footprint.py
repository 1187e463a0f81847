"""An idle WebSocket must cost the proxy at most 50 KB (issue 7): measured on the real process."""

from __future__ import annotations

import re
from pathlib import Path

import websockets

from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import run

IDLE = 500
BUDGET = 50 * 1024


def rss(pid: int) -> int:
    return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) * 1024  # type: ignore[union-attr]


def test_an_idle_websocket_costs_at_most_50_kb(offline_proxy: ProxyProcess) -> None:
    assert offline_proxy.process is not None
    pid = offline_proxy.process.pid

    async def scenario() -> float:
        async def open_one(name: str) -> websockets.ClientConnection:
            ws = await websockets.connect(f"{offline_proxy.ws_url}/ws/{name}", compression=None)
            await ws.send('{"type": "ping"}')
            assert await ws.recv() == '{"type":"pong"}'
            return ws

        warm = [await open_one(f"warm-{i}") for i in range(50)]  # allocator and code paths warmed up
        before = rss(pid)
        idle = [await open_one(f"idle-{i}") for i in range(IDLE)]
        after = rss(pid)
        for ws in warm + idle:
            await ws.close()
        return (after - before) / IDLE

    per_socket = run(scenario())
    assert per_socket <= BUDGET, f"{per_socket / 1024:.1f} KB per idle WebSocket"
