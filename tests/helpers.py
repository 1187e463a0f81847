"""Small helpers shared by tests (parsing SSE, reading named-endpoint streams)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx


def sse_events(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    """(event, data) pairs of a text/event-stream response, as they arrive."""
    event, data = "message", []
    for line in response.iter_lines():
        if not line:
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    if data:
        yield event, json.loads("\n".join(data))


def stream_query(client: httpx.Client, body: dict) -> list[tuple[str, dict]]:
    with client.stream("POST", "/api/query/stream", json=body) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(response))
