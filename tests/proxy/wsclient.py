"""A small asyncio WebSocket client for the proxy's protocol (tests and benchmarks)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

Message = dict[str, Any]


class ProxySocket:
    """``async with ProxySocket(url) as ws``: send JSON, wait for the messages you expect."""

    def __init__(self, url: str, **connect: Any):
        self.url = url
        self.connect_kwargs = {"compression": None, "max_size": 2**22, "open_timeout": 10, **connect}
        self.ws: ClientConnection | None = None
        self.received: list[Message] = []

    async def __aenter__(self) -> ProxySocket:
        self.ws = await websockets.connect(self.url, **self.connect_kwargs)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def send(self, message: Message | str | bytes) -> None:
        assert self.ws is not None
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def recv(self, within: float = 10) -> Message:
        assert self.ws is not None
        message = json.loads(await asyncio.wait_for(self.ws.recv(), within))
        self.received.append(message)
        return message

    async def until(self, predicate: Callable[[Message], bool], within: float = 20) -> list[Message]:
        """Every message up to and including the first that satisfies ``predicate``."""
        seen: list[Message] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            message = await self.recv(max(0.01, deadline - loop.time()))
            seen.append(message)
            if predicate(message):
                return seen

    async def ask(self, qid: str, text: str, within: float = 30) -> tuple[list[Message], Message]:
        """Send a query; return (every message for it, the final done/error)."""
        await self.send({"type": "query", "id": qid, "text": text})
        seen = await self.until(lambda m: m.get("id") == qid and m["type"] in ("done", "error"), within)
        mine = [m for m in seen if m.get("id") == qid]
        return mine, mine[-1]

    async def closed_with(self, within: float = 10) -> int | None:
        """Read until the server closes; the close code."""
        assert self.ws is not None
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), within)
        except websockets.ConnectionClosed as exc:
            return exc.rcvd.code if exc.rcvd else None


def run(coro: Any) -> Any:
    """Run a coroutine to completion from a sync test."""
    return asyncio.run(coro)
