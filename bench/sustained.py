"""Sustained load (issue 11): chats arriving at a steady Poisson rate; the highest rate at which
first-chunk p95 stays under a bound (1 s by default), for Plumberforce over Gradio's queue
protocol (``gradio``), through the proxy (``proxy``) and for the Spaces chatbot template
(``template``), all in one run against the same LLM test server (bench/concurrency.py starts the
same processes; bench/_chat_drivers.py drives them, connected before the clock starts).

A rate passes when every chat of the run completes and the p95 time to first chunk is within the
bound. The search doubles the rate from ``--start`` until a run fails, then bisects twice between
the last pass and the first failure. Arrivals come from ``random.Random(seed)``: every target and
rate sees the same pattern, scaled.

    python bench/sustained.py [--via gradio,proxy,template] [--seconds 15] [--bound-ms 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._chat_drivers import ProxyChats, QueueChats, TemplateProcess, cpu_seconds, pct  # noqa: E402
from bench._machine import machine  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, remote_env  # noqa: E402
from tests.proxy.proxy_processes import ProxyProcess  # noqa: E402

PRODUCTION = {"PLUMBERFORCE_PROXY_WARM_STREAMS": "256"}  # the default (the test processes use fewer)


def arrivals(rate: float, seconds: float, seed: int) -> list[float]:
    """Poisson arrival times (s) over ``seconds``: exponential gaps of mean 1/rate."""
    rng, at, times = random.Random(seed), 0.0, []
    while True:
        at += rng.expovariate(1.0)  # unit-rate gaps, scaled: the same pattern at every rate
        if at / rate >= seconds:
            return times
        times.append(at / rate)


async def run(via: str, driver: ProxyChats | QueueChats, rate: float, seconds: float, seed: int) -> dict:
    tag = uuid.uuid4().hex[:8]
    plan = arrivals(rate, seconds, seed)
    sockets: list = []
    if isinstance(driver, ProxyChats):
        sockets = list(await asyncio.gather(*(driver.connect(f"{tag}-{i}") for i in range(len(plan)))))
    else:
        await driver.connect(min(len(plan), int(rate * 5) + 10))

    async def one(i: int, at: float, start: float) -> dict:
        await asyncio.sleep(max(0.0, start + at - time.perf_counter()))  # the arrival schedule itself
        question = f"How do I bulkify an Apex trigger? (sustained {tag} {i})"
        if isinstance(driver, ProxyChats):
            return await driver.chat(sockets[i], question)
        if via == "gradio":
            return await driver.chat(question, f"s-{tag}-{i}")
        return await driver.chat(question)

    start = time.perf_counter()
    results = await asyncio.gather(*(one(i, at, start) for i, at in enumerate(plan)), return_exceptions=True)
    if isinstance(driver, QueueChats):
        await driver.aclose()
    ok = [r for r in results if isinstance(r, dict) and r.get("ok")]
    ttfts = [r["ttft"] for r in ok if r["ttft"] is not None]
    return {"chats": len(plan), "errors": len(plan) - len(ok), "p50": pct(ttfts, 0.5), "p95": pct(ttfts, 0.95)}


def search(via: str, driver, args: argparse.Namespace, pid: int) -> tuple[float, list[dict]]:  # type: ignore[no-untyped-def]
    bound = args.bound_ms / 1000
    tried: list[dict] = []

    def attempt(rate: float) -> bool:
        before = cpu_seconds(pid)
        row = asyncio.run(run(via, driver, rate, args.seconds, args.seed))
        row.update(via=via, rate=rate, cpu=(cpu_seconds(pid) - before) / max(1, row["chats"]))
        row["pass"] = row["errors"] == 0 and row["p95"] <= bound
        tried.append(row)
        print(
            f"{via:>9} {rate:6.1f}/s: {row['chats']} chats, first chunk p50 {row['p50'] * 1000:.0f} ms "
            f"p95 {row['p95'] * 1000:.0f} ms, errors {row['errors']}, CPU {row['cpu'] * 1000:.1f} ms/chat "
            f"-> {'pass' if row['pass'] else 'fail'}",
            flush=True,
        )
        return row["pass"]

    good, bad, rate = 0.0, None, args.start
    while bad is None and rate <= args.max_rate:
        if attempt(rate):
            good, rate = rate, rate * 2
        else:
            bad = rate
    for _ in range(2 if bad is not None and good > 0 else 0):
        middle = round((good + bad) / 2, 1)
        if attempt(middle):
            good = middle
        else:
            bad = middle
    return good, tried


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--via", default="gradio,proxy,template")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--bound-ms", type=float, default=1000)
    parser.add_argument("--start", type=float, default=2)
    parser.add_argument("--max-rate", type=float, default=640)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sustained-"))
    llm = spawn(LLMServerConfig(ttft_ms=300, tokens_per_second=50, tokens=100, echo=True, log_level="warning"))
    try:
        env = remote_env(llm.base_url, cache_ttl_seconds=0)
        with (
            SpaceProcess(tmp / "data", env=env) as space,
            ProxyProcess(space.url, tmp, env=PRODUCTION) as proxy,
            TemplateProcess(tmp, llm.base_url) as template,
        ):
            drivers = {
                "proxy": (ProxyChats(proxy.url), space),
                "gradio": (QueueChats(space.url, "/chat", ("warm-up", "c")), space),
                "template": (QueueChats(template.url, "/respond", ("warm-up",)), template),
            }
            found = {}
            for via in args.via.split(","):
                driver, server = drivers[via]
                asyncio.run(run(via, driver, 2, 1, args.seed))  # warm-up
                if isinstance(driver, ProxyChats):
                    warm = driver.wait_warm(int(PRODUCTION["PLUMBERFORCE_PROXY_WARM_STREAMS"]))
                    print(f"proxy: {warm} warm sessions", flush=True)
                found[via] = search(via, driver, args, server.process.pid)
            print(f"\nmachine: {machine()} (shared with other sessions' work)")
            print(f"Poisson arrivals for {args.seconds:g} s per rate (seed {args.seed}); LLM test server 300 ms")
            print(f"TTFT, 50 tokens/s, 100 tokens. Highest rate, first chunk p95 <= {args.bound_ms:g} ms, no errors:\n")
            base = found.get("template", (0.0, []))[0]
            print("| via | highest rate (chats/s) | x template | tried (rate: p95 ms) |")
            print("|---|---:|---:|---|")
            for via, (rate, tried) in found.items():
                ratio = f"{rate / base:.1f}x" if base else "-"
                steps = ", ".join(f"{t['rate']:g}: {t['p95'] * 1000:.0f}{'' if t['pass'] else ' ✗'}" for t in tried)
                print(f"| {via} | {rate:g} | {ratio} | {steps} |")
    finally:
        llm.stop()


if __name__ == "__main__":
    main()
