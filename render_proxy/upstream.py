"""The Space, as the proxy sees it: discovery, the driver of its calls, health.

gradio_client does the discovery: ``Client(space, token=HF_TOKEN, headers={X-API-Key})``
resolves a Space id to its URL, fetches the Gradio config and API info, picks the protocol and
builds the headers and cookies (HF's ``x-hf-authorization``, session-affinity cookies). That
runs once, in a worker thread, and again only after the Space stopped answering.

The calls go through one of two drivers, chosen at discovery from the queue protocol the Space
advertises (``config["protocol"]``) and ``PLUMBERFORCE_PROXY_QUEUE_CLIENT``:

- :class:`render_proxy.queue_sse.QueueCalls`, the proxy's own driver of the ``sse_v3`` protocol
  on the event loop (the default, and the fast path);
- :class:`render_proxy.queue_fallback.ClientCalls`, gradio_client's own ``Client.submit()``, for a
  protocol the proxy's driver does not speak (a newer Gradio: its pre-releases announce
  ``sse_v4``) or when the setting forces it (``gradio_client``). One warning line says so.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Coroutine
from importlib.metadata import version
from typing import Any

import httpx
from gradio_client.exceptions import AuthenticationError

from render_proxy.queue_fallback import ClientCalls
from render_proxy.queue_sse import PROTOCOLS, QueueCalls
from render_proxy.settings import ProxySettings
from render_proxy.space_discovery import (
    BackendUnavailable,
    Busy,
    SpaceInfo,
    Unauthorized,
    Unreachable,
    Update,
    UpstreamError,
    describe,
    discover,
)

__all__ = ["BackendUnavailable", "Busy", "SpaceInfo", "Unauthorized", "Update", "Upstream", "UpstreamError", "discover"]

log = logging.getLogger(__name__)
DISCOVERY_RETRY = 1.0  # seconds between discovery attempts while the Space is away


class Upstream:
    """The Space, as seen by the proxy: discovery, calls, cancellation, health."""

    def __init__(self, settings: ProxySettings):
        self.settings = settings
        self._info: SpaceInfo | None = None
        self._failure: UpstreamError | None = None
        self._failed_at = 0.0
        self._lock = asyncio.Lock()
        self._http: httpx.AsyncClient | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self.active = 0  # calls in flight
        self.idle = asyncio.Event()  # set while no call is in flight (session pre-warming waits for it)
        self.idle.set()
        self.last_error: str | None = None
        self.queue = QueueCalls(self)
        self.fallback = ClientCalls(self)
        self.driver: str | None = None  # "proxy" or "gradio_client", chosen at discovery

    async def start(self) -> None:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64, keepalive_expiry=30)
        self._http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(self.settings.call_timeout, connect=5))

    async def aclose(self) -> None:
        self.queue.clear()
        self.fallback.clear()
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("Upstream.start() was not awaited")
        return self._http

    # --- discovery ------------------------------------------------------------------------
    async def info(self) -> SpaceInfo:
        """The Space's description, discovered on first use and after failures.

        One discovery at a time; callers that waited while it failed get its error at once
        (a sleeping Space must not cost every queued question a full timeout), and a new
        attempt starts at most every ``DISCOVERY_RETRY`` seconds.
        """
        if self._info is not None:
            return self._info
        asked = time.monotonic()
        async with self._lock:
            if self._info is not None:
                return self._info
            failure = self._failure
            if failure is not None and (
                self._failed_at >= asked or time.monotonic() - self._failed_at < DISCOVERY_RETRY
            ):
                raise type(failure)(failure.message)  # a fresh one: no traceback piling up on a shared object
            try:
                info = await asyncio.wait_for(asyncio.to_thread(discover, self.settings), self.settings.call_timeout)
            except UpstreamError as exc:
                self._fail(exc, exc.message)
                raise
            except AuthenticationError:
                refused = Unauthorized("The Space refused the proxy's key (check PLUMBERFORCE_API_KEY).")
                self._fail(refused, "the Space refused the proxy's key")
                raise refused from None
            except Exception as exc:  # gradio_client raises many kinds: all mean "not there"
                away = Unreachable(f"The Space is not available ({describe(exc)}).")
                self._fail(away, describe(exc))
                raise away from None
            log.info("Space %s: protocol %s, endpoints %s", info.src, info.protocol, sorted(info.fn_index))
            self._choose_driver(info)
            self._info, self._failure, self.last_error = info, None, None
            if self.driver == "proxy" and self.settings.warm_streams:
                self.spawn(self.queue.prewarm(info))
            return info

    def _choose_driver(self, info: SpaceInfo) -> None:
        choice = self.settings.queue_client
        if choice == "proxy" or (choice == "auto" and info.protocol in PROTOCOLS):
            driver = "proxy"
        else:
            driver = "gradio_client"
        if driver != self.driver and driver == "gradio_client":
            why = (
                "PLUMBERFORCE_PROXY_QUEUE_CLIENT=gradio_client"
                if choice == "gradio_client"
                else f"the Space speaks Gradio queue protocol {info.protocol!r}, the proxy's driver only "
                + ", ".join(PROTOCOLS)
            )
            log.warning(
                "Calls to the Space go through gradio_client %s's Client.submit() (%s): "
                "threads per call, slower under load than the proxy's own driver",
                version("gradio_client"),
                why,
            )
        self.driver = driver

    def known(self) -> SpaceInfo | None:
        """The Space's description if discovered (None after a failure or before first use)."""
        return self._info

    def _fail(self, error: UpstreamError, reason: str) -> None:
        self._failure, self._failed_at, self.last_error = error, time.monotonic(), reason

    def forget(self, reason: str) -> None:
        """Rediscover on next use (the Space restarted, moved or fell asleep)."""
        self.last_error = reason
        self._info = None
        self.queue.clear()  # sessions belong to the Space process that created them
        self.fallback.clear()

    def space_root(self) -> str | None:
        """The Space's URL, when known without discovery."""
        if self._info is not None:
            return self._info.src
        return self.settings.space if self.settings.space.startswith("http") else None

    # --- calls ----------------------------------------------------------------------------
    async def events(self, api_name: str, *data: Any, client_ip: str | None = None) -> AsyncIterator[Update]:
        """Call a named endpoint; yield its outputs as they change, the last one ``final``.

        ``client_ip`` (the page's address) goes upstream as ``X-Forwarded-For``, so the Space's
        per-IP limits see people, not the proxy (the Space trusts it only from addresses it is
        configured to trust).

        Raises :class:`UpstreamError` (and subclasses). Leaving the iteration early (an
        ``aclose()``, a cancelled task, a timeout) cancels the call on the Space.
        """
        info = await self.info()
        fn = info.fn_index.get(api_name)
        if fn is None:
            raise UpstreamError(f"The Space has no {api_name} endpoint.")
        if self.driver == "gradio_client":
            updates = self.fallback.events(api_name, list(data), client_ip)
        else:
            updates = self.queue.events(info, fn, list(data), {"X-Forwarded-For": client_ip} if client_ip else {})
        self.active += 1
        self.idle.clear()
        try:
            async for update in updates:
                yield update
        finally:
            self.active -= 1
            if not self.active:
                self.idle.set()
            await updates.aclose()

    async def call(self, api_name: str, *data: Any, client_ip: str | None = None) -> Any:
        """Call a short endpoint (history, reset, feedback, status); its single output."""
        try:
            async with asyncio.timeout(self.settings.call_timeout):
                async for update in self.events(api_name, *data, client_ip=client_ip):
                    if update.final:
                        return update.outputs[0] if len(update.outputs) == 1 else update.outputs
        except TimeoutError:
            raise BackendUnavailable("The Space did not answer in time.") from None
        raise BackendUnavailable("The Space did not answer.")

    async def rest_get(self, path: str) -> httpx.Response:
        """GET a path of the Space's REST API (``api/articles/<id>``) with what every call sends:
        the headers and cookies discovery found (the key, a private Space's token) once it ran,
        else the key alone (a URL Space needs no discovery for this). Raises :class:`Unreachable`
        when no connection could be opened, :class:`BackendUnavailable` on a timeout."""
        info = self._info
        root = info.src if info else self.space_root()
        if root is None:  # a Space id: its URL comes from discovery
            info = await self.info()
            root = info.src
        headers = info.headers if info else self.settings.upstream_headers()
        try:
            return await self.http.get(root + path, headers=headers, cookies=info.cookies if info else None)
        except httpx.ConnectError:
            raise Unreachable("The Space cannot be reached.") from None
        except httpx.HTTPError as exc:
            raise BackendUnavailable(f"The Space did not answer ({describe(exc)}).") from None

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # --- health ---------------------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        """The Space's ``/api/health`` with a short timeout: ready / degraded / down."""
        root = self.space_root()
        if root is None:
            try:
                root = (await asyncio.wait_for(self.info(), self.settings.status_timeout)).src
            except (UpstreamError, TimeoutError) as exc:
                return {"status": "down", "error": getattr(exc, "message", "discovery timed out")}
        started = time.perf_counter()
        try:
            response = await self.http.get(
                root + "api/health", headers=self.settings.upstream_headers(), timeout=self.settings.status_timeout
            )
        except httpx.HTTPError as exc:
            return {"status": "down", "error": describe(exc)}
        latency = round((time.perf_counter() - started) * 1000, 1)
        if response.status_code != 200:
            return {"status": "degraded", "http_status": response.status_code, "latency_ms": latency}
        status = "ready" if latency < self.settings.status_timeout * 500 else "degraded"
        return {"status": status, "latency_ms": latency}
