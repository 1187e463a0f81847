"""What the proxy knows about the Space and the errors of calls to it: discovery through
gradio_client (:func:`discover`), the outputs of one message (:class:`Update`), the reading of
the queue's event stream (:func:`sse_batches`) and the error kinds sent to the page."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from render_proxy.settings import ProxySettings


class UpstreamError(Exception):
    """A call to the Space failed; ``code`` goes to the page with ``message``."""

    code = "upstream_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BackendUnavailable(UpstreamError):
    """The Space cannot be reached, is asleep or starting, or dropped the stream."""

    code = "backend_unavailable"


class Unreachable(BackendUnavailable):
    """The call never reached the Space (discovery failed, or no connection could be opened):
    nothing was queued, so it may be made to another replica."""


class Busy(UpstreamError):
    """The Space's queue (or this proxy) is full."""

    code = "busy"


class Unauthorized(UpstreamError):
    """The Space refused the proxy's key."""

    code = "upstream_unauthorized"


@dataclass(frozen=True)
class SpaceInfo:
    """What discovery learnt about the Space."""

    src: str  # the Space's root URL, ending with "/"
    root: str  # the Gradio API root (src + "gradio_api/")
    headers: dict[str, str]
    cookies: dict[str, str]
    fn_index: dict[str, int]  # "/chat" -> 7
    protocol: str


@dataclass(frozen=True)
class Update:
    """The endpoint's outputs after one message; ``final`` on the last one."""

    outputs: list[Any]
    final: bool


def client_for(settings: ProxySettings) -> Any:
    """A ``gradio_client.Client`` for the Space (blocking: run it in a thread)."""
    from gradio_client import Client

    token = settings.hf_token.get_secret_value() if settings.hf_token else None
    return Client(
        settings.space,
        token=token,
        headers=settings.upstream_headers(),
        verbose=False,
        download_files=False,
        analytics_enabled=False,
        httpx_kwargs={"timeout": settings.call_timeout},
    )


def discover(settings: ProxySettings) -> SpaceInfo:
    """Load the Space through gradio_client (blocking: run it in a thread)."""
    client = client_for(settings)
    try:
        endpoints = {ep.api_name: ep.fn_index for ep in client.endpoints.values() if ep.api_name and ep.is_valid}
        return SpaceInfo(
            src=client.src,
            root=client.src_prefixed,
            headers=dict(client.headers),
            cookies=dict(client.cookies),
            fn_index=endpoints,
            protocol=client.protocol,
        )
    finally:
        client.close()  # its heartbeat thread; the proxy keeps no Client around


async def sse_batches(response: httpx.Response) -> AsyncIterator[list[dict[str, Any]]]:
    """The JSON ``data:`` payloads of a text/event-stream, a list per network read.

    Under load several messages arrive in one read; handing them over together lets the caller
    apply them all and send the page one delta (coalescing that costs no latency when idle).
    """
    buffer = b""
    async for chunk in response.aiter_raw():
        buffer += chunk
        if b"\n\n" not in buffer:
            continue
        *events, buffer = buffer.replace(b"\r\n", b"\n").split(b"\n\n")
        batch = []
        for event in events:
            data = b"\n".join(line[5:].strip() for line in event.split(b"\n") if line.startswith(b"data:"))
            if data:
                try:
                    batch.append(json.loads(data))
                except ValueError:
                    raise BackendUnavailable("The Space sent a message the proxy cannot read.") from None
        if batch:
            yield batch


def describe(exc: BaseException) -> str:
    if isinstance(exc, httpx.ConnectError | ConnectionError):
        return "the Space cannot be reached"
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return "the Space did not answer in time"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
