"""Calls through gradio_client's own ``Client.submit()``: the fallback when the Space speaks a
queue protocol that the proxy's driver (:mod:`render_proxy.queue_sse`) does not, or when
``PLUMBERFORCE_PROXY_QUEUE_CLIENT=gradio_client`` forces it.

gradio_client is upgraded together with Gradio, so it follows protocol changes the proxy's own
driver has not caught up with. It is the slower path: a job runs in gradio_client's worker threads
(a job thread, helpers, a stream reader) and its outputs are read here every ``POLL`` seconds.
Each job gets a Client of its own: ``Job.cancel()`` cancels every running task of the Client's
session, so jobs sharing a Client could not be cancelled one by one. A Client whose job ended
cleanly goes back to a pool for a later call (building one costs two requests to the Space).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from gradio_client.exceptions import AppError

from render_proxy.space_discovery import BackendUnavailable, Busy, Update, UpstreamError, client_for, describe

if TYPE_CHECKING:
    from gradio_client import Client

    from render_proxy.upstream import Upstream

log = logging.getLogger(__name__)
POLL = 0.03  # seconds between two looks at a running job's outputs
CLIENT_POOL = 256  # idle Clients kept for reuse


def as_outputs(value: Any) -> list[Any]:
    """gradio_client's value of one output message as a list of outputs (it unwraps singletons)."""
    return list(value) if isinstance(value, tuple) else [value]


class ClientCalls:
    """Calls to the Space through ``gradio_client.Client.submit`` (see the module docstring)."""

    def __init__(self, upstream: Upstream):
        self.upstream = upstream
        self._idle: list[Client] = []

    async def _client(self) -> Client:
        if self._idle:
            return self._idle.pop()
        try:
            return await asyncio.to_thread(client_for, self.upstream.settings)
        except Exception as exc:  # gradio_client raises many kinds: all mean "not there"
            self.upstream.forget(describe(exc))
            raise BackendUnavailable(f"The Space is not available ({describe(exc)}).") from None

    def clear(self) -> None:
        """Forget the pooled Clients (the Space restarted or moved); they close in a thread
        (``Client.close()`` joins the Client's heartbeat thread)."""
        idle, self._idle = self._idle, []
        if idle:
            self.upstream.spawn(asyncio.to_thread(_close_all, idle))

    async def events(self, api_name: str, data: list[Any], client_ip: str | None) -> AsyncIterator[Update]:
        """Submit the call; yield its outputs as they change, the last one ``final``."""
        client = await self._client()
        headers = {"X-Forwarded-For": client_ip} if client_ip else None
        try:
            job = client.submit(*data, api_name=api_name, headers=headers)
        except ValueError as exc:  # "Unknown protocol: sse_v4": this gradio_client is too old for the Space
            client.close()
            raise BackendUnavailable(
                f"The Space speaks Gradio queue protocol {client.protocol!r}, which neither the proxy nor the "
                f"installed gradio_client speaks ({describe(exc)}): upgrade gradio_client."
            ) from None
        ended = False
        seen = 0
        try:
            while True:
                done = job.done()
                outputs = job.outputs()
                if len(outputs) > seen:  # when done too: the tail reaches the page as text, as over sse_v3
                    seen = len(outputs)
                    yield Update(as_outputs(outputs[-1]), final=False)
                if done:
                    ended = True
                    yield Update(as_outputs(self._result(job)), final=True)
                    return
                await asyncio.sleep(POLL)  # gradio_client offers no thread-safe wake-up to await
        finally:
            if ended and len(self._idle) < CLIENT_POOL:
                self._idle.append(client)
            else:
                self.upstream.spawn(asyncio.to_thread(_cancel_and_close, job, client, ended))

    def _result(self, job: Any) -> Any:
        try:
            return job.result()
        except AppError as exc:
            raise UpstreamError(str(exc.message)) from None
        except Exception as exc:  # the Space went away, refused, or sent something unreadable
            text = describe(exc)
            if "503" in text or "queue is full" in text.lower():
                raise Busy("The Space is busy (its queue is full); try again in a moment.") from None
            self.upstream.forget(text)
            raise BackendUnavailable(f"The Space is not available ({text}).") from None


def _close_all(clients: list[Client]) -> None:
    for client in clients:
        client.close()


def _cancel_and_close(job: Any, client: Client, ended: bool) -> None:
    """Stop the job on the Space (``POST cancel`` for the Client's session), then the Client."""
    try:
        if not ended:
            job.cancel()
    except Exception as exc:  # best effort, as the SSE driver's cancel
        log.info("cancel through gradio_client failed: %s", describe(exc))
    finally:
        client.close()
