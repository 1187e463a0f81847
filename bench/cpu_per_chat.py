"""The Space's CPU per chat, with huggingface_hub's stream reader and with our own (issue 11).

Starts on loopback the LLM test server (its own process; 300 ms to first token, 50 tokens/s,
100 tokens, echo) and, for each reader (``--readers hub,fast``: ``PLUMBERFORCE_STREAM_READER``),
a Space on the remote engine pointed at it (rate limits and the answer cache off). For each door
it sends one chat alone, then ``--chats`` chats at once (connections opened first, then every
question sent in the same instant) and reads the Space's CPU time from ``/proc/PID/stat`` before
and after:

- ``rest``: ``POST /api/query/stream`` (server-sent events), one httpx connection per chat;
- ``chat``: the ``/chat`` named Gradio endpoint through Gradio's queue protocol (``queue/join``
  then ``queue/data``), spoken here directly (gradio_client's threads would make the load
  generator, not the Space, the bottleneck); one Gradio session per chat, reused from an
  unmeasured first burst as the proxy reuses its sessions (a session's first event costs Gradio
  a copy of the app's config, see bench/README.md).

Both Spaces run side by side and each round sends one burst to each, so both readers see the
same load from the rest of the machine. Prints a markdown table (medians of ``--rounds``): Space
CPU ms per chat, wall, first chunk p50/p95 (from the moment each question is sent), first→last
chunk span p50 (and one chat's alone), updates per chat, errors.

    flock /tmp/plumberforce-bench.lock python bench/cpu_per_chat.py [--chats 200] [--readers hub,fast]
        [--doors rest,chat] [--rounds 2] [--profile DIR]    # DIR: py-spy raw profiles of the Space per run

A reader may name another source tree (``fast:tree=DIR``): the same bench compares two commits
in one run, e.g. ``--readers fast:tree=/tmp/main-export,fast``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._machine import machine  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import SpaceProcess, remote_env  # noqa: E402


class TreeSpace(SpaceProcess):
    """A Space run from another source tree (``tree=DIR`` in a reader: e.g. an export of main's
    commit, to compare it with this checkout in the same run)."""

    def __init__(self, data_dir: Path, env: dict[str, str], tree: Path):
        super().__init__(data_dir, env=env)
        self.tree = tree

    def command(self) -> list[str]:
        return [sys.executable, str(self.tree / "space_app.py")]


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def _events(buffer: bytearray) -> list[bytes]:
    """Complete server-sent events taken off the front of ``buffer``."""
    *events, rest = bytes(buffer).replace(b"\r\n", b"\n").split(b"\n\n")
    buffer[:] = rest
    return events


async def rest_chat(http: httpx.AsyncClient, client_id: str, question: str) -> dict:
    """One chat over REST SSE: times of the first and last delta, the text, the outcome."""
    sent = time.perf_counter()
    first = last = None
    text, updates, buffer = [], 0, bytearray()
    body = {"query": question, "client_id": client_id}
    async with http.stream("POST", "/api/query/stream", json=body) as response:
        if response.status_code != 200:
            return {"ok": False, "error": f"HTTP {response.status_code}"}
        async for raw in response.aiter_raw():
            buffer += raw
            for event in _events(buffer):
                kind, _, data = event.partition(b"\ndata: ")
                if kind == b"event: delta":
                    last = time.perf_counter()
                    first = first or last
                    updates += 1
                    text.append(json.loads(data)["text"])
                elif kind == b"event: done":
                    meta = json.loads(data)
                    ok = not meta.get("incomplete") and question in "".join(text)
                    return _row(sent, first, last, updates, ok, meta.get("error"))
                elif kind == b"event: error":
                    return _row(sent, first, last, updates, False, data.decode())
    return _row(sent, first, last, updates, False, "stream closed before done")


async def gradio_chat(http: httpx.AsyncClient, fn: int, client_id: str, question: str, session: str) -> dict:
    """One chat through /chat with Gradio's queue protocol (sse_v3), alone in its session."""
    sent = time.perf_counter()
    first = last = None
    updates, buffer = 0, bytearray()
    body = {"data": [question, client_id], "fn_index": fn, "session_hash": session, "event_data": None}
    joined = await http.post("/gradio_api/queue/join", json={**body, "trigger_id": None})
    if joined.status_code != 200:
        return {"ok": False, "error": f"join: HTTP {joined.status_code}"}
    event_id = joined.json()["event_id"]
    async with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as response:
        async for raw in response.aiter_raw():
            buffer += raw
            for event in _events(buffer):
                if not event.startswith(b"data:"):
                    continue
                message = json.loads(event[5:])
                if message.get("event_id") not in (None, event_id):
                    continue  # a late message of the session's previous chat
                kind = message.get("msg")
                if kind == "process_generating":
                    last = time.perf_counter()
                    first = first or last
                    updates += 1
                elif kind == "process_completed":
                    output = message.get("output") or {}
                    data = output.get("data") or ["", {}]
                    ok = bool(message.get("success")) and question in str(data[0]) and bool(data[1].get("done"))
                    return _row(sent, first, last, updates, ok, None if ok else output.get("error") or data[1])
                elif kind in ("unexpected_error", "close_stream"):
                    return _row(sent, first, last, updates, False, kind)
    return _row(sent, first, last, updates, False, "stream closed before completion")


def _row(sent: float, first: float | None, last: float | None, updates: int, ok: bool, error: object) -> dict:
    return {
        "ok": ok,
        "error": error,
        "first": None if first is None else first - sent,
        "span": None if first is None or last is None else last - first,
        "updates": updates,
    }


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


async def burst(url: str, door: str, n: int, pid: int, sessions: list[str]) -> dict:
    """``n`` chats at once through ``door``; the Space's CPU seconds during the burst. /chat runs
    each chat in one of ``sessions`` (Gradio sessions already known to the Space, as the proxy
    reuses them), extended with new ones when there are fewer than ``n``."""
    limits = httpx.Limits(max_connections=2 * n + 10, max_keepalive_connections=2 * n + 10)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=httpx.Timeout(120)) as http:
        fn = None
        if door == "chat":
            config = (await http.get("/config")).json()
            fn = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")
        # connect first (as many sockets as the burst will use), then ask
        await asyncio.gather(*(http.get("/api/health") for _ in range(2 * n if door == "chat" else n)))
        tag = uuid.uuid4().hex[:8]
        ask = "How do I bulkify an Apex trigger? (question {} number {})"
        questions = [(f"b-{tag}-{i}", ask.format(tag, i)) for i in range(n)]
        if door == "rest":
            jobs = [rest_chat(http, cid, q) for cid, q in questions]
        else:
            sessions += [uuid.uuid4().hex for _ in range(n - len(sessions))]
            pairs = zip(questions, sessions, strict=False)
            jobs = [gradio_chat(http, fn, cid, q, s) for (cid, q), s in pairs]  # type: ignore[arg-type]
        before = cpu_seconds(pid)
        start = time.perf_counter()
        results = await asyncio.gather(*jobs, return_exceptions=True)
        wall = time.perf_counter() - start
        after = cpu_seconds(pid)
        cpu, system = sum(after) - sum(before), after[1] - before[1]
    rows = [r if isinstance(r, dict) else {"ok": False, "error": repr(r)} for r in results]
    ok = [r for r in rows if r["ok"]]
    firsts = [r["first"] for r in ok if r["first"] is not None]
    spans = [r["span"] for r in ok if r["span"] is not None]
    return {
        "n": n,
        "wall": wall,
        "cpu_ms": cpu * 1000 / n,
        "sys_ms": system * 1000 / n,
        "first_p50": _pct(firsts, 0.5),
        "first_p95": _pct(firsts, 0.95),
        "span_p50": _pct(spans, 0.5),
        "updates": sum(r["updates"] for r in ok) / max(1, len(ok)),
        "errors": n - len(ok),
        "sample_error": next((r["error"] for r in rows if not r["ok"]), None),
    }


def profile(pid: int, out: Path) -> subprocess.Popen:
    out.parent.mkdir(parents=True, exist_ok=True)
    command = ["py-spy", "record", "-p", str(pid), "-f", "raw", "-o", str(out), "-r", "250", "--gil"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _report(row: dict) -> None:
    print(
        f"{row['reader']} {row['door']} round {row['round']}: {row['cpu_ms']:.1f} ms CPU/chat "
        f"({row['sys_ms']:.1f} system), "
        f"wall {row['wall']:.2f}s, first p50 {row['first_p50'] * 1000:.0f} ms p95 {row['first_p95'] * 1000:.0f} ms, "
        f"span p50 {row['span_p50']:.2f}s (alone {row['alone_span']:.2f}s), errors {row['errors']}",
        flush=True,
    )
    if row["sample_error"]:
        print("   e.g.", row["sample_error"], flush=True)


def run(llm_url: str, args: argparse.Namespace, tmp: Path) -> list[dict]:
    """One Space per reader, all up at once; each round sends a burst to each (alternating which
    goes first), so that both readers see the same machine load."""
    readers = args.readers.split(",")
    rows = []
    with contextlib.ExitStack() as stack:
        spaces = {}
        for reader in readers:
            env = remote_env(llm_url, cache_ttl_seconds=0, stream_reader=reader.split(":")[0], request_timeout=60)
            env.update(setting.split("=", 1) for setting in reader.split(":")[1:])  # type: ignore[misc]
            tree = env.pop("tree", None)
            data = tmp / f"data-{len(spaces)}"
            space = TreeSpace(data, env=env, tree=Path(tree)) if tree else SpaceProcess(data, env=env)
            spaces[reader] = stack.enter_context(space)
        for door in args.doors.split(","):
            sessions: dict[str, list[str]] = {reader: [] for reader in readers}
            alone = {}
            for reader, space in spaces.items():
                pid = space.process.pid
                alone[reader] = asyncio.run(burst(space.url, door, 1, pid, sessions[reader]))  # and warm-up
                if door == "chat":  # the sessions of a first burst, as the proxy keeps them
                    asyncio.run(burst(space.url, door, args.chats, pid, sessions[reader]))
            for round_ in range(1, args.rounds + 1):
                for reader in readers if round_ % 2 else readers[::-1]:
                    space = spaces[reader]
                    label = re.sub(r"[^A-Za-z0-9_.=-]+", "_", reader)
                    out = Path(args.profile or ".") / f"space-{label}-{door}-{round_}.txt"
                    spy = profile(space.process.pid, out) if args.profile else None
                    row = asyncio.run(burst(space.url, door, args.chats, space.process.pid, sessions[reader]))
                    if spy is not None:
                        spy.send_signal(signal.SIGINT)
                        spy.wait(30)
                    row.update(reader=reader, door=door, round=round_, alone_span=alone[reader]["span_p50"])
                    rows.append(row)
                    _report(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument(
        "--readers",
        default="hub,fast",
        help="comma-separated: hub, fast; a reader may carry settings of its Space, e.g. "
        "fast:PLUMBERFORCE_SSE_UPDATES_PER_SECOND=0, or fast:tree=DIR to run the Space of another source "
        "tree (e.g. `git archive main | tar -x -C DIR`; the first reader is the table's baseline)",
    )
    parser.add_argument("--doors", default="rest,chat", help="comma-separated: rest, chat")
    parser.add_argument("--rounds", type=int, default=2, help="bursts per door and reader (the table: medians)")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--ttft-ms", type=float, default=300)
    parser.add_argument("--tps", type=float, default=50)
    parser.add_argument(
        "--keep-alive", type=float, default=5.0, help="the LLM test server's idle keep-alive in seconds (uvicorn's 5)"
    )
    parser.add_argument("--profile", help="py-spy record (raw) the Space during each burst into DIR")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cpu-bench-"))
    config = LLMServerConfig(
        ttft_ms=args.ttft_ms, tokens_per_second=args.tps, tokens=args.tokens, echo=True, keep_alive_s=args.keep_alive
    )
    llm = spawn(config)
    try:
        rows = run(llm.base_url, args, tmp)
    finally:
        llm.stop()
    table = []
    for door in args.doors.split(","):
        for reader in args.readers.split(","):
            mine = [r for r in rows if r["door"] == door and r["reader"] == reader]
            summary = {k: statistics.median(r[k] for r in mine) for k in MEDIANS}
            summary.update(door=door, reader=reader, n=args.chats, errors=sum(r["errors"] for r in mine))
            summary["alone_span"] = mine[0]["alone_span"]
            table.append(summary)
    first = args.readers.split(",")[0]
    base = {r["door"]: r["cpu_ms"] for r in table if r["reader"] == first}
    print(f"\nmachine (shared with other work): {machine()}")
    print(f"LLM test server: {args.ttft_ms:g} ms to first token, {args.tps:g} tokens/s, {args.tokens} tokens")
    print(f"medians of {args.rounds} bursts per row; errors: all bursts together")
    print(
        f"\n| door | reader | chats | Space CPU ms / chat (system) | vs {first} | wall (s) | first chunk p50 (ms) "
        "| p95 (ms) | first→last p50 (s) | alone (s) | updates / chat | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in table:
        ratio = f"{r['cpu_ms'] / base[r['door']]:.2f}" if r["door"] in base else "-"
        print(
            f"| {'REST SSE' if r['door'] == 'rest' else '/chat'} | {r['reader']} | {r['n']} "
            f"| {r['cpu_ms']:.1f} ({r['sys_ms']:.1f}) "
            f"| {ratio} | {r['wall']:.2f} | {r['first_p50'] * 1000:.0f} | {r['first_p95'] * 1000:.0f} "
            f"| {r['span_p50']:.2f} | {r['alone_span']:.2f} | {r['updates']:.0f} | {r['errors']} |"
        )


MEDIANS = ("cpu_ms", "sys_ms", "wall", "first_p50", "first_p95", "span_p50", "updates")

if __name__ == "__main__":
    main()
