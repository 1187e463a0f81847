"""The proxy in front of two Space replicas sharing one redis-server (real processes on
loopback): /status lists both; 100 concurrent WebSocket chats from 100 clients are spread over
both, each client on its rendezvous replica (counted through each replica's /metrics); SIGKILL of
replica A during a burst: A's chats in flight end with ``backend_unavailable``, chats started after
the kill all succeed on B, every acknowledged turn is in Redis (read through B), nothing
half-written; A restarted takes its clients back once the proxy's health check sees it.

The model is the LLM test server: fast for the 100 chats, slow (answers of about 3 s) while chats
must be in flight. Waits are on conditions (the proxy's /status, messages), never sleeps."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from plumberforce.testing.llm_server import LLMServerConfig, SpawnedServer, spawn
from plumberforce.testing.processes import SpaceProcess, refused_url, remote_env
from plumberforce.testing.redis_server import RedisServer
from render_proxy.replicas import FAILURES_TO_DOWN, Replicas, rendezvous
from render_proxy.settings import ProxySettings
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run

FAST = {"ttft_ms": 0, "tokens_per_second": 2000, "tokens": 8}
SLOW = {"ttft_ms": 50, "tokens_per_second": 20, "tokens": 60}  # about 3 s per answer


@pytest.fixture(scope="module")
def model() -> Iterator[SpawnedServer]:
    server = spawn(LLMServerConfig(**FAST, echo=True, log_level="warning"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer, model: SpawnedServer
) -> Iterator[tuple[SpaceProcess, SpaceProcess]]:
    root = tmp_path_factory.mktemp("proxy-replicas")
    shared = {
        **remote_env(model.base_url, request_timeout=30, retries=0, cache_ttl_seconds=0),
        "PLUMBERFORCE_REDIS_URL": redis_server.url,
        "PLUMBERFORCE_REDIS_PREFIX": f"prx{uuid.uuid4().hex[:6]}:",
        "PLUMBERFORCE_REDIS_LEASE_SECONDS": "3",  # a dead replica's turn lock lapses quickly
    }
    a = SpaceProcess(root / "a" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "replica-a"})
    b = SpaceProcess(root / "b" / "data", env={**shared, "PLUMBERFORCE_REPLICA_ID": "replica-b"})
    with ThreadPoolExecutor(2) as pool:  # both start at once
        list(pool.map(lambda space: space.start(), (a, b)))
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, replicas) -> Iterator[ProxyProcess]:  # type: ignore[no-untyped-def]
    a, b = replicas
    env = {"PLUMBERFORCE_PROXY_HEALTH_INTERVAL": "0.3", "PLUMBERFORCE_PROXY_STATUS_TIMEOUT": "1"}
    with ProxyProcess(f"{a.url},{b.url}", tmp_path_factory.mktemp("replicas-proxy"), env=env) as started:
        wait_status(started, lambda states: states == ["up", "up"])
        yield started


def wait_status(proxy: ProxyProcess, condition: Callable[[list[str]], bool], within: float = 60) -> dict[str, Any]:
    """Poll the proxy's /status until the replicas' states satisfy ``condition``."""
    deadline = time.monotonic() + within
    while True:
        status = httpx.get(proxy.url + "/status", timeout=10).json()
        if condition([r["state"] for r in status["replicas"]]):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


def served(space: SpaceProcess) -> int:
    """Chats this replica answered since it started (its /metrics)."""
    total = 0.0
    for line in httpx.get(space.url + "/metrics", timeout=10).text.splitlines():
        if line.startswith("plumberforce_chat_requests_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def clients_of(replicas: tuple[SpaceProcess, SpaceProcess], count: int, tag: str) -> tuple[list[str], list[str]]:
    """``count`` new client ids preferring A, and ``count`` preferring B (by the proxy's rule)."""
    names = ProxySettings(space=f"{replicas[0].url},{replicas[1].url}").spaces
    mine: tuple[list[str], list[str]] = ([], [])
    n = 0
    while min(len(mine[0]), len(mine[1])) < count:
        client = f"{tag}-{uuid.uuid4().hex[:10]}-{n}"
        n += 1
        side = mine[rendezvous(client, names)[0]]
        if len(side) < count:
            side.append(client)
    return mine


async def chat(ws: ProxySocket, qid: str, text: str, streaming: asyncio.Event | None = None) -> dict:
    """Ask on one socket; the final message (done or error). ``streaming`` is set at the first chunk."""
    await ws.send({"type": "query", "id": qid, "text": text})
    while True:
        message = await ws.recv(60)
        if message.get("id") != qid:
            continue
        if message["type"] == "delta" and streaming is not None:
            streaming.set()
        if message["type"] in ("done", "error"):
            return message


def question(qid: str, client: str) -> str:
    return f"{qid}: what is Batch Apex? ({client})"


async def ask_all(sockets: dict[str, ProxySocket], qid: str, streaming: dict[str, asyncio.Event] | None = None):
    """One question per socket at once; each client's final message (done or error)."""
    events = streaming or {}
    results = await asyncio.gather(*(chat(ws, qid, question(qid, c), events.get(c)) for c, ws in sockets.items()))
    return dict(zip(sockets, results, strict=True))


async def connected(clients: list[str], proxy: ProxyProcess) -> dict[str, ProxySocket]:
    sockets = {c: ProxySocket(f"{proxy.ws_url}/ws/{c}") for c in clients}
    await asyncio.gather(*(ws.__aenter__() for ws in sockets.values()))  # connect first, then ask
    return sockets


async def close(sockets: dict[str, ProxySocket]) -> None:
    await asyncio.gather(*(ws.__aexit__() for ws in sockets.values()))


def test_status_lists_every_replica(proxy: ProxyProcess, replicas) -> None:  # type: ignore[no-untyped-def]
    status = httpx.get(proxy.url + "/status", timeout=10).json()
    assert status["status"] == "ready" and status["space"]["replicas_up"] == 2
    assert [r["space"] for r in status["replicas"]] == [f"{replicas[0].url}/", f"{replicas[1].url}/"]
    for replica in status["replicas"]:
        assert replica["state"] == "up" and replica["error"] is None
        assert replica["checked_at"] > time.time() - 60 and replica["latency_ms"] >= 0


def test_a_check_tells_up_asleep_and_down(replicas, model: SpawnedServer) -> None:  # type: ignore[no-untyped-def]
    """A Space (up), a host whose app does not serve /api/health (the LLM test server: asleep),
    a port where nothing listens (down); a client of the asleep one goes to its next."""
    with refused_url() as nowhere:
        settings = ProxySettings(space=f"{replicas[1].url},{model.url},{nowhere}", status_timeout=2)
        first, states, chosen = _check(settings)
    assert first == ["up", "unknown", "down"]  # refused: down at once; an HTTP error: not yet
    assert states == ["up", "asleep", "down"]
    assert chosen == settings.spaces[0]  # the only usable one


def _check(settings: ProxySettings) -> tuple[list[str], list[str], str]:
    """Two health-check rounds of ``settings``' replicas: the states after one and after enough to
    call a replica down, and the replica a client of the second one is sent to."""

    async def check() -> tuple[list[str], str]:
        pool = Replicas(settings)
        for replica in pool.replicas:
            await replica.upstream.start()
        try:
            await pool.check_all()
            first = [r.state for r in pool.replicas]
            for _ in range(FAILURES_TO_DOWN - 1):
                await pool.check_all()
            client = next(c for c in (f"c{n}" for n in range(1000)) if rendezvous(c, settings.spaces)[0] == 1)
            return first, [r.state for r in pool.replicas], pool.choose(client).space
        finally:
            for replica in pool.replicas:
                await replica.upstream.aclose()

    return run(check())


def test_100_chats_from_100_clients_spread_over_both(proxy: ProxyProcess, replicas, model: SpawnedServer) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas
    model.configure(**FAST)
    names = ProxySettings(space=f"{a.url},{b.url}").spaces
    clients = [f"spread-{uuid.uuid4().hex[:8]}-{n}" for n in range(100)]
    expected = [sum(rendezvous(c, names)[0] == side for c in clients) for side in (0, 1)]
    before = (served(a), served(b))

    async def burst() -> dict[str, dict]:
        sockets = await connected(clients, proxy)
        try:
            return await ask_all(sockets, "q1")
        finally:
            await close(sockets)

    results = run(burst())
    assert all(r["type"] == "done" for r in results.values()), [r for r in results.values() if r["type"] != "done"]
    assert all(f"({client})" in r["text"] for client, r in results.items())  # each its own answer
    assert min(expected) > 0
    assert (served(a) - before[0], served(b) - before[1]) == tuple(expected)  # each client on its replica


def test_sigkill_of_a_replica_during_a_burst(proxy: ProxyProcess, replicas, model: SpawnedServer) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas
    on_a, on_b = clients_of(replicas, 6, "kill")
    acknowledged: list[tuple[str, str, str]] = []  # (client, message_id, question) of every done
    lost: list[tuple[str, str]] = []  # (client, question) that ended with backend_unavailable

    def note(results: dict[str, dict], qid: str) -> None:
        for client, r in results.items():
            if r["type"] == "done":
                acknowledged.append((client, r["message_id"], question(qid, client)))
            elif r.get("code") == "backend_unavailable":
                lost.append((client, question(qid, client)))

    async def burst() -> tuple[dict[str, dict], dict[str, dict]]:
        sockets = await connected(on_a + on_b, proxy)
        try:
            model.configure(**SLOW)
            streaming = {c: asyncio.Event() for c in on_a}
            first_round = asyncio.create_task(ask_all(sockets, "q1", streaming))
            # in flight on A: every A client has its first chunk (the answers take ~3 s more)
            await asyncio.wait_for(asyncio.gather(*(e.wait() for e in streaming.values())), 30)
            a.kill()
            first = await first_round
            model.configure(**FAST)
            second = await ask_all(sockets, "q2")  # started after the kill (no wait for a health check)
            return first, second
        finally:
            await close(sockets)

    b_before = served(b)
    first, second = run(burst())
    note(first, "q1")
    note(second, "q2")
    assert all(first[c]["type"] == "error" and first[c]["code"] == "backend_unavailable" for c in on_a), first
    assert all(first[c]["type"] == "done" for c in on_b), first
    assert all(r["type"] == "done" for r in second.values()), second  # every chat after the kill succeeded...
    assert served(b) - b_before == len(on_b) + len(second)  # ...on B (and B's own first round finished)
    status = wait_status(proxy, lambda states: states == ["down", "up"])
    assert status["status"] == "degraded" and status["replicas"][0]["error"]

    # every acknowledged turn is in Redis (read through B); nothing of the lost chats was written
    for client in on_a + on_b:
        history = httpx.get(f"{b.url}/api/history/{client}", timeout=10).json()["messages"]
        assert [m["role"] for m in history] == ["user", "assistant"] * (len(history) // 2)
        pairs = {m["message_id"]: q["content"] for q, m in zip(history[::2], history[1::2], strict=True)}
        for owner, message_id, asked in acknowledged:
            if owner == client:
                assert pairs.get(message_id) == asked, (client, history)
        for owner, asked in lost:
            if owner == client:
                assert asked not in pairs.values()
    assert len(lost) == len(on_a) and len(acknowledged) == len(on_b) + len(second)

    # A comes back: once the proxy's check sees it, its clients go back to it
    a.start()
    wait_status(proxy, lambda states: states == ["up", "up"])
    b_before = served(b)

    async def back() -> dict[str, dict]:
        sockets = await connected(on_a, proxy)
        try:
            return await ask_all(sockets, "q3")
        finally:
            await close(sockets)

    third = run(back())
    assert all(r["type"] == "done" for r in third.values()), third
    assert served(a) == len(on_a) and served(b) == b_before  # a fresh process: exactly its clients' chats
    history = httpx.get(f"{a.url}/api/history/{on_a[0]}", timeout=10).json()["messages"]
    assert [m["content"].split(":")[0] for m in history[::2]] == ["q2", "q3"]  # the context followed them
