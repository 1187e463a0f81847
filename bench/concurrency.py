"""Concurrent chats through gradio_client and through the proxy's WebSocket (issue 7, benchmark 2).

Starts on loopback: the LLM test server (its own process; 300 ms to first token, 50 tokens/s,
100 tokens, echo), a Space pointed at it, and the proxy (``python -m render_proxy``); then, for
each concurrency level and each way in (``--via``), starts that many chats at once and prints wall
time, time to first chunk (p50/p95), errors, mixed-up answers, the ratio of wall time to one
chat's time, and the CPU seconds each process used:

- ``proxy``: asyncio WebSocket clients in this process, one socket per chat;
- ``gradio_client``: ``Client.submit(..., api_name="/chat")`` from threads of this process, on a
  pool of Clients with at most 10 running jobs each (one Client for all hangs past ~40 jobs, see
  docs/architecture.md);
- ``direct``: the proxy's own upstream driver in this process, straight to the Space.

    python bench/concurrency.py [--levels 1,10,50,100,200] [--via proxy,gradio_client] [--tokens 100]
                                [--ttft-ms 300] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websockets
from gradio_client import Client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._machine import machine  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, remote_env  # noqa: E402
from render_proxy.settings import ProxySettings  # noqa: E402
from render_proxy.upstream import Upstream  # noqa: E402
from tests.proxy.proxy_processes import ProxyProcess  # noqa: E402


async def one_chat(ws_url: str, question: str) -> dict:
    start = time.perf_counter()
    first = None
    text = ""
    async with websockets.connect(ws_url, max_size=2**22, compression=None) as ws:
        sent = time.perf_counter()
        await ws.send(json.dumps({"type": "query", "id": "q1", "text": question}))
        async for raw in ws:
            msg = json.loads(raw)
            if msg["type"] == "delta":
                if first is None:
                    first = time.perf_counter() - sent
                text += msg["text"]
            elif msg["type"] == "done":
                return {
                    "ttft": first,
                    "total": time.perf_counter() - start,
                    "text": msg["text"],
                    "ok": True,
                    "mixed": question not in msg["text"],
                }
            elif msg["type"] == "error":
                return {"ttft": first, "total": time.perf_counter() - start, "ok": False, "error": msg}
    return {"ok": False, "error": "closed"}


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process (this one when pid is None), from /proc."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_direct(upstream: Upstream, client_id: str, question: str) -> dict:
    """The same chat without the proxy: the proxy's own driver, in this process, straight to the Space."""
    start = time.perf_counter()
    first = None
    async for update in upstream.events("/chat", question, client_id):
        if update.final:
            text = str(update.outputs[0])
            return {
                "ttft": first,
                "total": time.perf_counter() - start,
                "text": text,
                "ok": True,
                "mixed": question not in text,
            }
        first = first or time.perf_counter() - start
    return {"ok": False, "error": "no final update"}


GC_JOBS_PER_CLIENT = 10
_gc_clients: list[Client] = []


def one_gradio_client(client: Client, client_id: str, question: str, deadline: float) -> dict:
    """One chat with ``Client.submit``; a job still running at ``deadline`` is cancelled and
    counted as an error (gradio_client can hang for good under load, see docs/architecture.md)."""
    start = time.perf_counter()
    first = None
    job = client.submit(question, client_id, api_name="/chat")
    while not job.done():
        if first is None and job.outputs():
            first = time.perf_counter() - start
        if time.monotonic() > deadline:
            job.cancel()
            return {"ok": False, "error": "hung: no result before the deadline"}
        time.sleep(0.02)
    if first is None and job.outputs():
        first = time.perf_counter() - start
    try:
        text, meta = job.result()
    except Exception as exc:  # the bench reports any failure of the library as an error row
        return {"ok": False, "error": repr(exc)}
    return {
        "ttft": first,
        "total": time.perf_counter() - start,
        "text": text,
        "ok": bool(meta.get("done")),
        "mixed": question not in text,
    }


async def level(target: str, n: int) -> dict:
    """n concurrent chats; ``target`` is the proxy's URL, "direct:<space url>" or "gc:<space url>"."""
    tag = uuid.uuid4().hex[:8]
    upstream = None
    if target.startswith("gc:"):
        while len(_gc_clients) * GC_JOBS_PER_CLIENT < n:  # set up before the clock starts
            _gc_clients.append(Client(target[3:], verbose=False))
        loop = asyncio.get_running_loop()
        pool = ThreadPoolExecutor(max_workers=n)
        deadline = time.monotonic() + 120
        jobs = [
            loop.run_in_executor(
                pool,
                one_gradio_client,
                _gc_clients[i % len(_gc_clients)],
                f"g-{tag}-{i}",
                f"How do I bulkify an Apex trigger? (question {tag} number {i})",
                deadline,
            )
            for i in range(n)
        ]
    elif target.startswith("direct:"):
        upstream = Upstream(ProxySettings(space=target[7:], max_chats=100_000))
        await upstream.start()
        await upstream.info()
        jobs = [
            one_direct(upstream, f"d-{tag}-{i}", f"How do I bulkify an Apex trigger? (question {tag} number {i})")
            for i in range(n)
        ]
    else:
        ws_base = target.replace("http", "ws", 1)
        jobs = [
            one_chat(f"{ws_base}/ws/b-{tag}-{i}", f"How do I bulkify an Apex trigger? (question {tag} number {i})")
            for i in range(n)
        ]
    start = time.perf_counter()
    results = await asyncio.gather(*jobs, return_exceptions=True)
    wall = time.perf_counter() - start
    if upstream is not None:
        await upstream.aclose()
    ok = [r for r in results if isinstance(r, dict) and r.get("ok")]
    ttfts = sorted(r["ttft"] for r in ok if r["ttft"] is not None)

    def pct(p: float) -> float:
        return ttfts[min(len(ttfts) - 1, int(p * len(ttfts)))] if ttfts else float("nan")

    return {
        "n": n,
        "wall": wall,
        "ok": len(ok),
        "errors": n - len(ok),
        "mixed": sum(r["mixed"] for r in ok),
        "ttft_p50": pct(0.5),
        "ttft_p95": pct(0.95),
        "sample_error": next((r for r in results if not (isinstance(r, dict) and r.get("ok"))), None),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="1,10,50,100,200")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--ttft-ms", type=float, default=300)
    parser.add_argument("--tps", type=float, default=50)
    parser.add_argument("--via", default="gradio_client,proxy", help="comma-separated: proxy, gradio_client, direct")
    parser.add_argument("--profile", help="py-spy record the proxy and the Space during the last level into DIR")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    llm = spawn(
        LLMServerConfig(
            ttft_ms=args.ttft_ms, tokens_per_second=args.tps, tokens=args.tokens, echo=True, log_level="warning"
        )
    )
    try:
        env = remote_env(llm.base_url, cache_ttl_seconds=0)
        with SpaceProcess(tmp / "data", env=env) as space, ProxyProcess(space.url, tmp) as proxy:
            rows = []
            pids = {"space": space.process.pid, "proxy": proxy.process.pid, "llm": llm.process.pid, "load": None}
            asyncio.run(level(proxy.url, 1))  # warm-up: the proxy discovers the Space on first use
            targets = {"proxy": proxy.url, "gradio_client": f"gc:{space.url}", "direct": f"direct:{space.url}"}
            plan = [(n, targets[v]) for n in levels for v in args.via.split(",")]
            for n, target in plan:
                before = {k: cpu_seconds(p) for k, p in pids.items()}
                spies = []
                if args.profile and n == levels[-1] and target == proxy.url:
                    for name in ("proxy", "space"):
                        out = Path(args.profile) / f"{name}-{n}.txt"
                        spies.append(
                            subprocess.Popen(
                                ["py-spy", "record", "-p", str(pids[name]), "-f", "raw", "-o", str(out), "-r", "50"],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                            )
                        )
                row = asyncio.run(level(target, n))
                row["via"] = (
                    "Space direct"
                    if target.startswith("direct:")
                    else "gradio_client"
                    if target.startswith("gc:")
                    else "proxy"
                )
                row["cpu"] = {k: cpu_seconds(p) - before[k] for k, p in pids.items()}
                for spy in spies:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(30)
                rows.append(row)
                print(
                    f"{row['via']:>12} {n:>5} chats: wall {row['wall']:.2f}s  "
                    f"ttft p50 {row['ttft_p50'] * 1000:.0f} ms  "
                    f"p95 {row['ttft_p95'] * 1000:.0f} ms  errors {row['errors']}  mixed {row['mixed']}  cpu "
                    + " ".join(f"{k} {v:.1f}s" for k, v in row["cpu"].items()),
                    flush=True,
                )
                if row["sample_error"]:
                    print("   e.g.", row["sample_error"])
            ones = {r["via"]: r["wall"] for r in rows if r["n"] == 1}
            print(f"\nmachine: {machine()}")
            print(f"LLM test server: {args.ttft_ms:g} ms to first token, {args.tps:g} tokens/s, {args.tokens} tokens")
            print(
                "\n| via | chats | wall (s) | x one chat | TTFT p50 (ms) | TTFT p95 (ms) | errors | mixed up "
                "| CPU s: Space / proxy / LLM / load |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
            for r in rows:
                ratio = f"{r['wall'] / ones[r['via']]:.2f}" if r["via"] in ones else "-"
                print(
                    f"| {r['via']} | {r['n']} | {r['wall']:.2f} | {ratio} "
                    f"| {r['ttft_p50'] * 1000:.0f} | {r['ttft_p95'] * 1000:.0f} "
                    f"| {r['errors']} | {r['mixed']} | " + " / ".join(f"{v:.1f}" for v in r["cpu"].values()) + " |"
                )
    finally:
        llm.stop()


if __name__ == "__main__":
    main()
