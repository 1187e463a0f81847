"""The Space's CPU per REST chat, main thread (the event loop) apart from the others (retrieval and
the stores' threads), for several variants side by side (issue 11).

Like ``bench/cpu_per_chat.py --doors rest`` (whose bursts it reuses: the same LLM test server,
chats sent at once over ``/api/query/stream``), but each variant is a label, a source tree and
settings, and the CPU is read per thread from ``/proc/PID/task/*/stat``: the main thread's share
moves less with the machine's load than retrieval's. One burst per variant and round, the order
alternating; medians.

    flock /tmp/plumberforce-bench.lock nice -n -15 python bench/cpu_by_thread.py [--chats 200]
        [--tokens 100] [--rounds 4] main=/tmp/main-export head=. paced=.:PLUMBERFORCE_MODEL_READS_PER_SECOND=0
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cpu_per_chat import TreeSpace, burst  # noqa: E402
from plumberforce.testing.llm_server import LLMServerConfig, spawn  # noqa: E402
from plumberforce.testing.processes import remote_env  # noqa: E402


def cpu_by_name(pid: int, names: dict[str, str]) -> dict[str, float]:
    """CPU seconds per thread name (``names``: thread id -> name, digits dropped so that a pool's
    threads count together); threads not named there count as ``other``."""
    tick = os.sysconf("SC_CLK_TCK")
    by_name: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = names.get(task.name, "other").rstrip("0123456789_-")
        by_name[name] = by_name.get(name, 0.0) + (int(stat[11]) + int(stat[12])) / tick
    return by_name


def thread_names(pid: int) -> dict[str, str]:
    """Thread id -> Python thread name, from ``py-spy dump`` (Python does not name OS threads)."""
    out = subprocess.run(["py-spy", "dump", "--pid", str(pid)], capture_output=True, text=True, check=False).stdout
    return dict(re.findall(r'^Thread (\d+) \([^)]*\): "([^"]*)"', out, re.MULTILINE))


def thread_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of the main thread and of the whole process."""
    tick = os.sysconf("SC_CLK_TCK")
    main = total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a thread that ended meanwhile
            continue
        seconds = (int(fields[11]) + int(fields[12])) / tick
        total += seconds
        main += seconds if task.name == str(pid) else 0.0
    return main, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+", help="label=TREE[:SETTING=VALUE...]; the first is the baseline")
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--by-name", action="store_true", help="also print CPU per thread name (py-spy)")
    args = parser.parse_args()
    llm = spawn(LLMServerConfig(ttft_ms=300, tokens_per_second=50, tokens=args.tokens, echo=True))
    tmp = Path(tempfile.mkdtemp(prefix="cpu-threads-"))
    rows: dict[str, list[tuple[float, float, float, int, float, float]]] = {}
    try:
        with contextlib.ExitStack() as stack:
            spaces = {}
            for i, variant in enumerate(args.variants):
                label, spec = variant.split("=", 1)
                tree, *settings = spec.split(":")
                env = remote_env(llm.base_url, cache_ttl_seconds=0, stream_reader="fast", request_timeout=60)
                env.update(setting.split("=", 1) for setting in settings)  # type: ignore[misc]
                spaces[label] = stack.enter_context(TreeSpace(tmp / f"data-{i}", env=env, tree=Path(tree).resolve()))
                rows[label] = []
            for space in spaces.values():
                asyncio.run(burst(space.url, "rest", 1, space.process.pid, []))  # warm-up
            for round_ in range(args.rounds):
                for label in list(spaces) if round_ % 2 == 0 else list(spaces)[::-1]:
                    pid = spaces[label].process.pid
                    names = thread_names(pid) if args.by_name else {}
                    before, named = thread_cpu(pid), cpu_by_name(pid, names)
                    row = asyncio.run(burst(spaces[label].url, "rest", args.chats, pid, []))
                    after = thread_cpu(pid)
                    main_ms, total_ms = ((a - b) * 1000 / args.chats for a, b in zip(after, before, strict=True))
                    rows[label].append(
                        (main_ms, total_ms, row["updates"], row["errors"], row["span_p50"], row["first_p50"])
                    )
                    line = f"{label} round {round_ + 1}: main thread {main_ms:.2f}, all {total_ms:.2f} ms/chat"
                    if args.by_name:
                        later = cpu_by_name(pid, names | thread_names(pid))
                        spent = {k: (v - named.get(k, 0.0)) * 1000 / args.chats for k, v in later.items()}
                        line += " (" + ", ".join(f"{k} {v:.2f}" for k, v in sorted(spent.items()) if v > 0) + ")"
                    print(line, flush=True)
    finally:
        llm.stop()
    print(f"\n{args.chats} chats at once, {args.tokens} tokens each; medians of {args.rounds} bursts")
    print(
        "| variant | main thread ms / chat | vs first | all threads ms / chat | vs first | updates / chat "
        "| first→last p50 (s) | first chunk p50 (ms) | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for label, mine in rows.items():
        main_ms, total_ms = (statistics.median(r[i] for r in mine) for i in (0, 1))
        base = base or (main_ms, total_ms)
        updates, errors = statistics.median(r[2] for r in mine), sum(r[3] for r in mine)
        span, first = (statistics.median(r[i] for r in mine) for i in (4, 5))
        print(
            f"| {label} | {main_ms:.2f} | {main_ms / base[0]:.2f} | {total_ms:.2f} | {total_ms / base[1]:.2f} "
            f"| {updates:.0f} | {span:.2f} | {first * 1000:.0f} | {errors} |"
        )


if __name__ == "__main__":
    main()
