"""Prometheus metrics (``GET /metrics``), on a registry of the app's own.

Counters and histograms are fed by every request record and feedback record; gauges (active
conversations, cache entries, chats running, uptime) are read from the runtime at scrape time
(the route gathers them, the stores being async, and passes them to :meth:`Metrics.render`).
Every series carries a ``replica`` label (``PLUMBERFORCE_REPLICA_ID``): each replica of a
scaled-out Space exposes its own figures, and Prometheus sums or compares them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from plumberforce.stores.records import RequestRecord

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)


class _RuntimeCollector(Collector):
    def __init__(self, replica: str) -> None:
        self.values: dict[str, float] = {}
        self.replica = replica

    def collect(self) -> Iterator[Metric]:
        values = self.values
        gauges = {
            "plumberforce_active_conversations": "Stored conversations (not expired).",
            "plumberforce_cache_entries": "Entries in the answer cache.",
            "plumberforce_chats_running": "Chats being answered now.",
            "plumberforce_uptime_seconds": "Seconds since the process started.",
        }
        for name, doc in gauges.items():
            if name in values:
                family = GaugeMetricFamily(name, doc, labels=["replica"])
                family.add_metric([self.replica], values[name])
                yield family
        for name, doc in {
            "plumberforce_cache_hits": "Answer cache hits of this replica since start.",
            "plumberforce_cache_misses": "Answer cache misses of this replica since start.",
        }.items():
            if name in values:
                counter = CounterMetricFamily(name, doc, labels=["replica"])
                counter.add_metric([self.replica], values[name])
                yield counter


class Metrics:
    """The app's Prometheus metrics."""

    def __init__(self, replica: str = "local") -> None:
        self.replica = replica
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "plumberforce_chat_requests",
            "Chat requests answered.",
            ["replica", "engine", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "plumberforce_chat_latency_seconds",
            "Total time of a chat request.",
            ["replica", "engine", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.ttft = Histogram(
            "plumberforce_chat_first_chunk_seconds",
            "Time to the first chunk of an answer.",
            ["replica", "engine"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.feedback = Counter(
            "plumberforce_feedback", "Feedback records submitted.", ["replica", "kind"], registry=self.registry
        )
        fast_path = Counter(
            "plumberforce_rest_fast_path",
            "REST chats served by the plain-ASGI fast path (the others: by FastAPI's routes).",
            ["replica", "route"],
            registry=self.registry,
        )
        self._fast_path = fast_path.labels(replica, "/api/query/stream")
        chat_fast_path = Counter(
            "plumberforce_chat_fast_path",
            "/chat events served past Gradio's queue by the plain-ASGI join (the others: by Gradio's queue).",
            ["replica"],
            registry=self.registry,
        )
        self._chat_fast_path = chat_fast_path.labels(replica)
        self._gauges = _RuntimeCollector(replica)
        self.registry.register(self._gauges)
        self.started = time.time()

    def observe(self, record: RequestRecord) -> None:
        self.requests.labels(self.replica, record.engine, record.outcome).inc()
        self.latency.labels(self.replica, record.engine, record.outcome).observe(record.latency_ms / 1000)
        if record.ttft_ms is not None:
            self.ttft.labels(self.replica, record.engine).observe(record.ttft_ms / 1000)

    def fast_path_served(self) -> None:
        self._fast_path.inc()

    def chat_fast_path_served(self) -> None:
        self._chat_fast_path.inc()

    def observe_feedback(self, rating: int | None, thumb: str | None) -> None:
        if rating is not None:
            self.feedback.labels(self.replica, "rating").inc()
        if thumb is not None:
            self.feedback.labels(self.replica, f"thumb_{thumb}").inc()

    def render(self, gauges: dict[str, float]) -> bytes:
        """The text format, with ``gauges`` read by the caller just before."""
        self._gauges.values = gauges
        return generate_latest(self.registry)
