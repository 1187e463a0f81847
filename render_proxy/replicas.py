"""The Space's replicas, as the proxy sees them (``PLUMBERFORCE_SPACE=a,b,...``).

Each replica has its own :class:`~render_proxy.upstream.Upstream` (discovery, calls, sessions).
A client's calls go to one replica chosen by **rendezvous hashing** of its client id
(:func:`rendezvous`): every (client, replica) pair gets a score, the client goes to the replica
with the highest one. The choice needs no shared table, is the same in every proxy instance and
after restarts, spreads clients evenly, and when a replica leaves, only its own clients move
(each to its next replica in its own order) and they come back when it returns.

With several replicas a background task asks each one's ``/api/health`` every
``health_interval`` seconds (``status_timeout`` each): ``up`` (it answers 200), ``asleep`` (its
host answers but the app does not: a Space sleeping, starting or building), ``down`` (no answer:
at once when the connection is refused, after ``FAILURES_TO_DOWN`` checks in a row otherwise, so a
replica slow under load keeps its clients).
A client's calls go to the first replica of its order that is not asleep or down (the Spaces share
one Redis, so no context is lost). A call that could not even reach its replica (no connection:
nothing was queued) marks the replica down and goes to the next one at once, without waiting for
the next check. A call in flight on a replica that dies ends with ``backend_unavailable``.

One replica: no background checks, every call goes to it (the proxy's behaviour before replicas).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import httpx

from render_proxy.settings import ProxySettings
from render_proxy.space_discovery import Unreachable, Update, UpstreamError, describe
from render_proxy.upstream import Upstream

T = TypeVar("T")

log = logging.getLogger(__name__)
State = Literal["unknown", "up", "asleep", "down"]
USABLE: tuple[State, ...] = ("unknown", "up")
FAILURES_TO_DOWN = 3  # failed checks in a row (other than a refused connection) before a replica is out


def score(client_id: str, replica: str) -> int:
    """The rendezvous weight of a (client, replica) pair: 64 bits of a keyed hash."""
    digest = hashlib.blake2b(client_id.encode(), key=replica.encode()[:64], digest_size=8).digest()
    return int.from_bytes(digest, "big")


def rendezvous(client_id: str, replicas: Sequence[str]) -> list[int]:
    """Indexes of ``replicas`` in the client's order of preference (highest score first).

    Depends only on the client id and the names (not on the list's order): the same in every
    proxy instance, and removing a replica moves only the clients it had.
    """
    return sorted(range(len(replicas)), key=lambda i: (score(client_id, replicas[i]), replicas[i]), reverse=True)


@dataclass
class Replica:
    """One replica: its Upstream and what the last health check said."""

    space: str
    upstream: Upstream
    state: State = "unknown"
    checked_at: float | None = None  # epoch seconds of the last check (or of a failed call)
    error: str | None = None
    latency_ms: float | None = None
    changes: int = 0  # state changes seen (for /status readers that wait for one)
    failures: int = 0  # failed checks in a row

    def failed(self, state: State, error: str) -> None:
        """A check failed in a way that may be passing (a timeout of a replica under load, an
        HTTP error): the replica is out only after ``FAILURES_TO_DOWN`` in a row, so that a busy
        replica's clients do not all move at once onto the others and back."""
        self.failures += 1
        if self.failures >= FAILURES_TO_DOWN or self.state not in USABLE:
            self.mark(state, error)
        else:
            self.error, self.checked_at = error, time.time()

    def mark(self, state: State, error: str | None = None, latency_ms: float | None = None) -> None:
        if state != self.state:
            self.changes += 1
            if state == "up" and self.state != "unknown":
                # a new process: sessions and discovery of the old one are worthless
                self.upstream.forget("the replica came back")
                self.upstream.last_error = None
            log.info("replica %s: %s -> %s%s", self.space, self.state, state, f" ({error})" if error else "")
        self.state, self.error, self.latency_ms, self.checked_at = state, error, latency_ms, time.time()
        if state == "up":
            self.failures = 0

    def public(self) -> dict[str, Any]:
        return {
            "space": self.space,
            "state": self.state,
            "checked_at": self.checked_at,
            "error": self.error,
            "latency_ms": self.latency_ms,
            "active_calls": self.upstream.active,
        }


@dataclass
class Replicas:
    """Every replica, the choice of one per client, the health checks; the calls of
    :class:`Upstream` (``events``, ``call``) with a ``client_id`` that picks the replica."""

    settings: ProxySettings
    replicas: list[Replica] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.replicas:
            self.replicas = [
                Replica(space, Upstream(self.settings.model_copy(update={"space": space})))
                for space in self.settings.spaces
            ]
        self._names = [r.space for r in self.replicas]
        self._checker: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    @property
    def several(self) -> bool:
        return len(self.replicas) > 1

    # --- life -----------------------------------------------------------------------------
    async def start(self) -> None:
        for replica in self.replicas:
            await replica.upstream.start()
        if self.several:
            self._wake = asyncio.Event()  # bound to the running loop
            self._checker = asyncio.get_running_loop().create_task(self._check_forever())

    async def aclose(self) -> None:
        if self._checker is not None:
            self._checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checker
        for replica in self.replicas:
            await replica.upstream.aclose()

    # --- the choice -----------------------------------------------------------------------
    def order(self, client_id: str | None) -> list[Replica]:
        """Where this client's calls may go, best first: the usable replicas in the client's
        rendezvous order; when none is usable, its first one (whose error the page gets)."""
        if not self.several:
            return self.replicas
        ranked = [self.replicas[i] for i in rendezvous(client_id or "", self._names)]
        if client_id is None:  # calls of no one in particular (the Space's limits): listed order
            ranked = list(self.replicas)
        usable = [r for r in ranked if r.state in USABLE]
        return usable or ranked[:1]

    def choose(self, client_id: str | None) -> Replica:
        return self.order(client_id)[0]

    # --- calls ----------------------------------------------------------------------------
    async def events(
        self, api_name: str, *data: Any, client_ip: str | None = None, client_id: str | None = None
    ) -> AsyncIterator[Update]:
        """:meth:`Upstream.events` on the client's replica; a replica the call cannot reach is
        marked down and the next one is tried (nothing was queued on it)."""
        candidates = self.order(client_id)
        for n, replica in enumerate(candidates):
            try:
                async with contextlib.aclosing(replica.upstream.events(api_name, *data, client_ip=client_ip)) as stream:
                    async for update in stream:
                        yield update
                return
            except Unreachable as exc:
                if not self.several or n == len(candidates) - 1:
                    raise
                replica.mark("down", exc.message)
                self._wake.set()
                log.info("replica %s unreachable: %s's %s goes to the next", replica.space, client_id, api_name)

    async def call(self, api_name: str, *data: Any, client_ip: str | None = None, client_id: str | None = None) -> Any:
        """:meth:`Upstream.call` on the client's replica (the next one when it cannot be reached)."""
        return await self._failover(client_id, lambda up: up.call(api_name, *data, client_ip=client_ip))

    async def rest_get(self, path: str) -> httpx.Response:
        """:meth:`Upstream.rest_get` on the first usable replica in the listed order (a read of
        no one's conversation: any replica has the same knowledge base), the next one when a
        replica cannot be reached."""
        return await self._failover(None, lambda up: up.rest_get(path))

    async def _failover(self, client_id: str | None, request: Callable[[Upstream], Awaitable[T]]) -> T:
        """``request`` on the replicas in :meth:`order` until one can be reached (each one that
        cannot is marked down); the last one's :class:`Unreachable` is raised."""
        candidates = self.order(client_id)
        for n, replica in enumerate(candidates):
            try:
                return await request(replica.upstream)
            except Unreachable as exc:
                if not self.several or n == len(candidates) - 1:
                    raise
                replica.mark("down", exc.message)
                self._wake.set()
        raise AssertionError("order() is never empty")

    # --- health ---------------------------------------------------------------------------
    async def check(self, replica: Replica) -> None:
        """One health check of one replica: its ``/api/health`` within ``status_timeout``. A
        refused connection (nothing listens) puts it down at once; a timeout or an HTTP error
        counts towards ``FAILURES_TO_DOWN``; a 200 puts it up."""
        upstream, timeout = replica.upstream, self.settings.status_timeout
        started = time.perf_counter()
        try:
            root = upstream.space_root() or (await asyncio.wait_for(upstream.info(), timeout)).src
            response = await upstream.http.get(
                root + "api/health", headers=self.settings.upstream_headers(), timeout=timeout
            )
        except httpx.ConnectError:
            replica.mark("down", "the Space cannot be reached")
            return
        except (httpx.HTTPError, UpstreamError, TimeoutError) as exc:
            replica.failed("down", exc.message if isinstance(exc, UpstreamError) else describe(exc))
            return
        if response.status_code != 200:  # the host answered, the app did not
            replica.failed("asleep", f"HTTP {response.status_code} on /api/health")
            return
        replica.mark("up", None, round((time.perf_counter() - started) * 1000, 1))

    async def check_all(self) -> None:
        await asyncio.gather(*(self.check(r) for r in self.replicas))

    async def _check_forever(self) -> None:
        while True:
            try:
                await self.check_all()
            except Exception:  # a bug in a check must not stop the checks
                log.exception("health check failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.health_interval)

    # --- what /status shows ---------------------------------------------------------------
    @property
    def last_error(self) -> str | None:
        errors = [r.upstream.last_error for r in self.replicas if r.upstream.last_error]
        return "; ".join(errors) if errors else None

    async def health(self) -> dict[str, Any]:
        """One replica: its health, asked now (as before replicas). Several: what the checks
        found; ``ready`` when every replica is up, ``degraded`` when some are, else ``down``."""
        if not self.several:
            return await self.replicas[0].upstream.health()
        up = sum(r.state == "up" for r in self.replicas)
        status = "ready" if up == len(self.replicas) else "degraded" if up else "down"
        return {"status": status, "replicas_up": up, "replicas": len(self.replicas)}

    @property
    def driver(self) -> str | None:
        """How the replicas are called: ``proxy`` or ``gradio_client`` (both, comma-separated, if
        they differ; None before any replica was found)."""
        return ",".join(sorted({d for r in self.replicas if (d := r.upstream.driver)})) or None

    @property
    def warm_sessions(self) -> int:
        return sum(r.upstream.queue.sessions.warm for r in self.replicas)

    def public(self) -> list[dict[str, Any]]:
        return [r.public() for r in self.replicas]
