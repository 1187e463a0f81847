"""What an operator reads: process figures, stores, queue, latency percentiles, errors, engine.

Bounded work: percentiles come from the in-memory ring of the last N request records (N =
``PLUMBERFORCE_DIAGNOSTICS_RING_SIZE``), totals from the in-memory running totals, counts from
O(1) store counters; nothing scans a store, so reading diagnostics never slows a chat.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import psutil

from plumberforce.errors import StoreUnavailable
from plumberforce.ops import analytics

if TYPE_CHECKING:
    from plumberforce.web.runtime import Runtime

PROBE_TTL = 30.0  # seconds a reachability answer is reused
_process = psutil.Process()
_process.cpu_percent(None)  # the first call only starts the measurement


class ReachabilityProbe:
    """Is the remote engine's server reachable? Any HTTP answer counts; cached ``PROBE_TTL`` s."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self._checked = 0.0
        self._result: dict[str, Any] | None = None

    def url(self) -> str | None:
        s = self.runtime.settings
        if s.engine_kind != "remote":
            return None
        return (s.base_url + "/models") if s.base_url else "https://router.huggingface.co/v1/models"

    async def check(self) -> dict[str, Any]:
        url = self.url()
        if url is None:
            return {"reachable": None, "detail": "offline engine: no remote server"}
        if self._result is not None and time.monotonic() - self._checked < PROBE_TTL:
            return self._result
        started = time.perf_counter()
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                response = await client.get(url)
            result = {
                "reachable": True,
                "detail": f"HTTP {response.status_code}",
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
        except httpx.HTTPError as exc:
            result = {"reachable": False, "detail": type(exc).__name__}
        self._result, self._checked = result, time.monotonic()
        return result


def process_figures() -> dict[str, Any]:
    with _process.oneshot():
        return {
            "rss_mb": round(_process.memory_info().rss / 2**20, 1),
            "cpu_percent": _process.cpu_percent(None),
            "threads": _process.num_threads(),
        }


async def _or_dash(figure) -> int | str:
    try:
        return await figure
    except StoreUnavailable:
        return "—"


async def snapshot(runtime: Runtime, probe: ReachabilityProbe) -> dict[str, Any]:
    """Everything the Diagnostics tab shows, as one dict."""
    service = runtime.service
    stores = runtime.stores
    frame = analytics.requests_frame(stores.requests.recent())
    return {
        "uptime_s": round(time.time() - runtime.started_at, 1),
        "process": process_figures(),
        "engine": runtime.engine_info(),
        "storage": stores.storage.public() | {"mount": stores.storage.mount},
        "remote": await probe.check(),
        "conversations": await _or_dash(stores.conversations.count()),
        "problems": await stores.problems(),
        "replica": runtime.settings.replica_id,
        "chats_running": service.active,
        "queue_length": runtime.queue_length(),
        "cache": await runtime.cache_figures(),
        "window": analytics.request_summary(frame),
        "totals": runtime.request_totals(),
        "frame": frame,
    }
