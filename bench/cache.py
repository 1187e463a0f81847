"""Answer-cache hits through REST (issue 7, benchmark 3): latency p50/p99 and hits per second.

Starts a Space on loopback (offline engine, so the only work on a miss is the knowledge base),
asks one question once to fill the cache, then sends the same question from ``--workers``
concurrent asyncio clients, each request under a new client id (an empty history, so every one
is a hit), for ``--requests`` requests; first from one client at a time (the latency a person
sees), then from the concurrent workers (the throughput). A hit still validates, stores the turn (the person's
conversation) and records diagnostics: that is included, as it is what a person waits for.

    python bench/cache.py [--requests 2000] [--workers 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._machine import machine  # noqa: E402
from plumberforce.testing.processes import SpaceProcess  # noqa: E402

QUESTION = "How do I avoid 'Too many SOQL queries: 101' in a trigger?"


async def run(url: str, requests: int, workers: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    misses = 0
    counter = iter(range(requests))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal misses
        for _ in counter:
            body = {"query": QUESTION, "client_id": "cache-" + uuid.uuid4().hex[:12]}
            start = time.perf_counter()
            response = await client.post("/api/query", json=body)
            latencies.append(time.perf_counter() - start)
            if not response.json().get("cached"):
                misses += 1

    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await client.post("/api/query", json={"query": QUESTION, "client_id": "cache-warm"})  # the miss
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        wall = time.perf_counter() - start
    return latencies, wall, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cache-bench-"))
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "0",
        "PLUMBERFORCE_IP_RATE_LIMIT_PER_MINUTE": "0",
    }
    rows = []
    with SpaceProcess(tmp / "data", env=env) as space:
        for workers in (1, args.workers):
            rows.append((workers, *asyncio.run(run(space.url, args.requests, workers))))
    print(f"\nmachine: {machine()}")
    print(f"{args.requests} requests per row, the same question under new client ids (every one a hit)\n")
    print("| concurrent clients | hits | misses | p50 (ms) | p99 (ms) | mean (ms) | hits/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for workers, latencies, wall, misses in rows:
        latencies.sort()
        q = lambda p, values=latencies: values[min(len(values) - 1, int(p * len(values)))] * 1000  # noqa: E731
        print(
            f"| {workers} | {len(latencies) - misses} | {misses} | {q(0.5):.1f} | {q(0.99):.1f} "
            f"| {statistics.mean(latencies) * 1000:.1f} | {len(latencies) / wall:.0f} |"
        )


if __name__ == "__main__":
    main()
