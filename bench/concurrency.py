"""Chats at once through the proxy, over Gradio's queue protocol, and to the chatbot template
(issue 7, benchmark 2; issue 11).

Starts on loopback: the LLM test server (its own process; 300 ms to first token, 50 tokens/s,
100 tokens, echo), a Space pointed at it, the proxy (``python -m render_proxy``) and the Hugging
Face Spaces chatbot template (bench/_chat_template.py) pointed at the same LLM server. For each
level and each way in (``--via``), it connects that many chats first, then asks all questions at
the same instant (bench/_chat_drivers.py), and prints per level: first chunk p50/p95 (from the
moment each question is sent), the first->last chunk span p50 next to one chat's (an answer that
arrives in one lump has a span near 0), wall time / one chat's, errors, and CPU seconds per chat
of the serving process (the Space, or the template) from /proc/PID/stat.

- ``proxy``: Plumberforce through the proxy's WebSocket;
- ``proxy-before``: the same through a second proxy configured as before issue 11 (no warm event
  streams; not in the default ``--via``);
- ``gradio``: Plumberforce's ``/chat`` over Gradio's queue protocol, a new session per chat;
- ``template``: the template's ``/respond``, the same way.

    python bench/concurrency.py [--levels 1,10,50,100,200] [--via proxy,gradio,template]
                                [--tokens 100] [--ttft-ms 300] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
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

# The proxy as it was before issue 11: no warm event streams.
BEFORE = {"PLUMBERFORCE_PROXY_WARM_STREAMS": "0"}
QUESTION = "How do I bulkify an Apex trigger? (question {tag} number {i})"


async def level(via: str, driver: ProxyChats | QueueChats, n: int) -> dict:
    """n chats, connected first, then asked at the same instant."""
    tag = uuid.uuid4().hex[:8]
    questions = [QUESTION.format(tag=tag, i=i) for i in range(n)]
    if isinstance(driver, ProxyChats):
        sockets = await asyncio.gather(*(driver.connect(f"{tag}-{i}") for i in range(n)))
        jobs = [driver.chat(ws, q) for ws, q in zip(sockets, questions, strict=True)]
    else:
        await driver.connect(n)
        if via == "gradio":
            jobs = [driver.chat(q, f"g-{tag}-{i}") for i, q in enumerate(questions)]
        else:
            jobs = [driver.chat(q) for q in questions]
    start = time.perf_counter()
    results = await asyncio.gather(*jobs, return_exceptions=True)
    wall = time.perf_counter() - start
    if isinstance(driver, QueueChats):
        await driver.aclose()
    ok = [r for r in results if isinstance(r, dict) and r.get("ok")]
    ttfts = [r["ttft"] for r in ok if r["ttft"] is not None]
    spans = [r["span"] for r in ok if r["span"] is not None]
    return {
        "via": via,
        "n": n,
        "wall": wall,
        "errors": n - len(ok),
        "mixed": sum(r["mixed"] for r in ok) if via != "template" else 0,
        "ttft_p50": pct(ttfts, 0.5),
        "ttft_p95": pct(ttfts, 0.95),
        "span_p50": pct(spans, 0.5),
        "chunks_p50": pct([r["chunks"] for r in ok], 0.5),
        "sample_error": next((r for r in results if not (isinstance(r, dict) and r.get("ok"))), None),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="1,10,50,100,200")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--ttft-ms", type=float, default=300)
    parser.add_argument("--tps", type=float, default=50)
    parser.add_argument("--via", default="proxy,gradio,template", help="comma-separated: proxy, gradio, template")
    parser.add_argument("--profile", help="py-spy record the Space and the proxy during the last proxy level, into DIR")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    vias = args.via.split(",")
    tmp = Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    llm = spawn(
        LLMServerConfig(
            ttft_ms=args.ttft_ms, tokens_per_second=args.tps, tokens=args.tokens, echo=True, log_level="warning"
        )
    )
    try:
        env = remote_env(llm.base_url, cache_ttl_seconds=0)
        with (
            SpaceProcess(tmp / "data", env=env) as space,
            ProxyProcess(space.url, tmp, env=PRODUCTION) as proxy,
            ProxyProcess(space.url, tmp / "before", env=BEFORE) as old_proxy,
            TemplateProcess(tmp, llm.base_url) as template,
        ):
            drivers = {
                "proxy": ProxyChats(proxy.url),
                "proxy-before": ProxyChats(old_proxy.url),
                "gradio": QueueChats(space.url, "/chat", ("warm-up", "c")),
                "template": QueueChats(template.url, "/respond", ("warm-up",)),
            }
            serving = {"proxy": space, "proxy-before": space, "gradio": space, "template": template}
            for via in vias:  # warm-up: discovery, first sessions, imports on the first call
                asyncio.run(level(via, drivers[via], 1))
            if "proxy" in vias:  # the proxy makes its warm sessions after discovery: not during a level
                warm = drivers["proxy"].wait_warm(int(PRODUCTION["PLUMBERFORCE_PROXY_WARM_STREAMS"]))
                print(f"proxy: {warm} warm sessions", flush=True)
            rows = []
            for n in levels:
                for via in vias:
                    pid = serving[via].process.pid
                    front = old_proxy if via == "proxy-before" else proxy
                    others = {"proxy": front.process.pid, "llm": llm.process.pid}
                    before = cpu_seconds(pid), {k: cpu_seconds(p) for k, p in others.items()}, cpu_seconds()
                    spies = []
                    if args.profile and n == levels[-1] and via == "proxy":
                        for name, spied in (("space", pid), ("proxy", proxy.process.pid)):
                            out = Path(args.profile) / f"{name}-{n}.txt"
                            command = ["py-spy", "record", "-p", str(spied), "-f", "raw", "-o", str(out), "-r", "50"]
                            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
                            spies.append(subprocess.Popen(command, **quiet))
                    row = asyncio.run(level(via, drivers[via], n))
                    row["cpu"] = cpu_seconds(pid) - before[0]
                    row["cpu_other"] = {k: cpu_seconds(p) - before[1][k] for k, p in others.items()}
                    row["cpu_load"] = cpu_seconds() - before[2]
                    for spy in spies:
                        spy.send_signal(signal.SIGINT)
                        spy.wait(30)
                    rows.append(row)
                    print(
                        f"{via:>9} {n:>4}: wall {row['wall']:.2f}s ttft p50 {row['ttft_p50'] * 1000:.0f} "
                        f"p95 {row['ttft_p95'] * 1000:.0f} ms span p50 {row['span_p50']:.2f}s "
                        f"chunks {row['chunks_p50']} errors {row['errors']} cpu/chat {row['cpu'] / n * 1000:.1f} ms",
                        flush=True,
                    )
                    if row["sample_error"]:
                        print("   e.g.", row["sample_error"], flush=True)
            print_table(rows, args)
    finally:
        llm.stop()


def print_table(rows: list[dict], args: argparse.Namespace) -> None:
    ones = {r["via"]: r for r in rows if r["n"] == 1}
    print(f"\nmachine: {machine()} (shared with other sessions' work: absolute times vary, ratios less)")
    print(f"LLM test server: {args.ttft_ms:g} ms to first token, {args.tps:g} tokens/s, {args.tokens} tokens")
    print(
        "\n| via | chats | wall / one chat | first chunk p50 (ms) | p95 (ms) | first→last p50 (s) | one chat's (s) "
        "| errors | mixed up | CPU ms per chat (server) | CPU s: proxy / LLM / load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        one = ones.get(r["via"])
        ratio = f"{r['wall'] / one['wall']:.2f}x" if one else "-"
        one_span = f"{one['span_p50']:.2f}" if one else "-"
        other = r["cpu_other"]
        print(
            f"| {r['via']} | {r['n']} | {ratio} | {r['ttft_p50'] * 1000:.0f} | {r['ttft_p95'] * 1000:.0f} "
            f"| {r['span_p50']:.2f} | {one_span} | {r['errors']} | {r['mixed']} | {r['cpu'] / r['n'] * 1000:.1f} "
            f"| {other['proxy']:.1f} / {other['llm']:.1f} / {r['cpu_load']:.1f} |"
        )


if __name__ == "__main__":
    main()
