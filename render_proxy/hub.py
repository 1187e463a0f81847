"""What every connection shares (:class:`Hub`), and what the parts of one connection share
(:class:`PageSocket`: the read loop in :mod:`render_proxy.ws`, the answers in
:mod:`render_proxy.answers`, the short calls in :mod:`render_proxy.page_calls`)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from render_proxy.history import HistoryCache
from render_proxy.replicas import Replicas
from render_proxy.settings import ProxySettings
from render_proxy.space_limits import SpaceLimits


@dataclass
class Hub:
    """Settings, the Space (its replicas), its limits, the history cache, counters."""

    settings: ProxySettings
    upstream: Replicas
    history: HistoryCache
    limits: SpaceLimits
    connections: int = 0
    chats: int = 0
    started: float = field(default_factory=time.time)
    detached: set[asyncio.Task[Any]] = field(default_factory=set)


class PageSocket:
    """The state of one page's socket, as its parts see it (set by ``Connection.__init__``).

    ``changing`` is held while the current conversation changes (switch, new, delete, reset);
    an answer waits for it before it asks the Space, and no change starts while answers run, so
    a question always goes to the conversation the page shows.
    """

    hub: Hub
    settings: ProxySettings
    client_id: str
    ip: str | None
    queries: dict[str, asyncio.Task[None]]
    cancelled: set[str]
    changing: asyncio.Lock
    closed: bool

    async def send(self, message: dict[str, Any]) -> bool:
        raise NotImplementedError

    def spawn(self, coroutine: Any) -> None:
        raise NotImplementedError
