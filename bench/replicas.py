"""One Space replica or two behind the proxy (issue 12): same run, same machine, same Redis.

Starts on loopback: the LLM test server (its own process; 300 ms to first token, 50 tokens/s,
100 tokens, echo), a redis-server, two Spaces on it (A and B), and two proxies: one with
``PLUMBERFORCE_SPACE=A``, one with ``A,B``. For each level and each proxy, opens that many
WebSockets (one client each), then asks on all of them at once, and prints wall time, time to
first chunk (p50/p95), errors, the chats each replica served (its /metrics) and the CPU seconds
each process used, per chat for the replicas. Each level runs ``--repeat`` times, one replica and
two taking turns (the machine is shared: its load drifts); the table shows medians of the times,
sums of the chats and CPU.

    flock /tmp/plumberforce-bench.lock python bench/replicas.py [--levels 50,100,200] [--repeat 3]
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

from bench._chat_drivers import ProxyChats, cpu_seconds, pct  # noqa: E402
from bench._machine import machine  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, remote_env  # noqa: E402
from plumberforce.testing.redis_server import RedisServer  # noqa: E402
from tests.proxy.proxy_processes import ProxyProcess  # noqa: E402


def served(space: SpaceProcess) -> int:
    """Chats the replica answered since it started (its /metrics)."""
    lines = httpx.get(space.url + "/metrics", timeout=30).text.splitlines()
    return int(sum(float(x.rsplit(" ", 1)[1]) for x in lines if x.startswith("plumberforce_chat_requests_total{")))


async def level(proxy: ProxyProcess, n: int) -> dict:
    """n clients connected first, then n questions at once (the proxy driver of bench/concurrency.py)."""
    chats = ProxyChats(proxy.url)
    tag = uuid.uuid4().hex[:8]
    sockets = await asyncio.gather(*(chats.connect(f"r-{tag}-{i}") for i in range(n)))
    began = time.perf_counter()
    results = await asyncio.gather(
        *(chats.chat(ws, f"How do I bulkify an Apex trigger? ({tag} number {i})") for i, ws in enumerate(sockets)),
        return_exceptions=True,
    )
    wall = time.perf_counter() - began
    ok = [r for r in results if isinstance(r, dict) and r["ok"] and not r["mixed"]]
    ttfts = [r["ttft"] for r in ok if r["ttft"] is not None]
    return {
        "wall": wall,
        "errors": n - len(ok),
        "p50": pct(ttfts, 0.5),
        "p95": pct(ttfts, 0.95),
        "sample_error": next((r for r in results if not (isinstance(r, dict) and r["ok"])), None),
    }


def merged(rows: list[dict]) -> list[dict]:
    """One row per (level, replicas): medians of the times, sums of errors, chats and CPU."""
    out = []
    for key in dict.fromkeys((r["n"], r["replicas"]) for r in rows):
        runs = [r for r in rows if (r["n"], r["replicas"]) == key]
        out.append(
            {
                "n": key[0],
                "replicas": key[1],
                **{k: statistics.median(r[k] for r in runs) for k in ("wall", "p50", "p95")},
                "errors": sum(r["errors"] for r in runs),
                "chats": tuple(sum(r["chats"][i] for r in runs) for i in (0, 1)),
                "cpu": {k: sum(r["cpu"][k] for r in runs) for k in runs[0]["cpu"]},
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="50,100,200")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="replicas-bench-"))
    llm = spawn(LLMServerConfig(ttft_ms=300, tokens_per_second=50, tokens=args.tokens, echo=True, log_level="warning"))
    redis = RedisServer(tmp / "redis").start()
    try:
        shared = {
            **remote_env(llm.base_url, cache_ttl_seconds=0),
            "PLUMBERFORCE_REDIS_URL": redis.url,
            "PLUMBERFORCE_REDIS_PREFIX": f"bench{uuid.uuid4().hex[:6]}:",
        }
        a = SpaceProcess(tmp / "a" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "a"})
        b = SpaceProcess(tmp / "b" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "b"})
        with a, b, ProxyProcess(a.url, tmp / "p1") as one, ProxyProcess(f"{a.url},{b.url}", tmp / "p2") as two:
            for proxy in (one, two):  # warm-up: the proxies discover the Spaces on first use
                asyncio.run(level(proxy, 20))
            pids = {
                "A": a.process.pid,
                "B": b.process.pid,
                "proxy": None,
                "Redis": redis.process.pid,
                "LLM": llm.process.pid,
                "load": None,
            }
            rows = []
            for n in [n for n in levels for _ in range(args.repeat)]:
                for label, proxy in (("1", one), ("2", two)):
                    pids["proxy"] = proxy.process.pid
                    cpu0 = {k: cpu_seconds(p) for k, p in pids.items()}
                    chats0 = (served(a), served(b))
                    row = asyncio.run(level(proxy, n))
                    row["cpu"] = {k: cpu_seconds(p) - cpu0[k] for k, p in pids.items()}
                    row["chats"] = (served(a) - chats0[0], served(b) - chats0[1])
                    row["n"], row["replicas"] = n, label
                    rows.append(row)
                    print(label, n, {k: v for k, v in row.items() if k != "sample_error"}, flush=True)
                    if row["sample_error"]:
                        print("   e.g.", row["sample_error"], flush=True)
        print(f"\nmachine (shared with other engineers' work): {machine()}")
        print(f"LLM test server: 300 ms to first token, 50 tokens/s, {args.tokens} tokens; both Spaces on one Redis")
        print(f"times: medians of {args.repeat} runs; chats and CPU: sums over them")
        print(
            "\n| replicas | chats | wall (s) | wall / 1 replica | first chunk p50 (ms) | p95 (ms) | errors "
            "| chats A / B | CPU ms per chat A / B | CPU s: A / B / proxy / Redis / LLM / load |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|---|---|")
        rows = merged(rows)
        walls = {r["n"]: r["wall"] for r in rows if r["replicas"] == "1"}
        for r in rows:
            per = [f"{r['cpu'][k] / c * 1000:.0f}" if c else "-" for k, c in zip("AB", r["chats"], strict=True)]
            print(
                f"| {r['replicas']} | {r['n']} | {r['wall']:.2f} | {r['wall'] / walls[r['n']]:.2f} "
                f"| {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | {r['errors']} | {r['chats'][0]} / {r['chats'][1]} "
                f"| {' / '.join(per)} | " + " / ".join(f"{v:.1f}" for v in r["cpu"].values()) + " |"
            )
    finally:
        redis.stop()
        llm.stop()


if __name__ == "__main__":
    main()
