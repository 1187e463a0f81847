"""Our own reader of a streamed chat completion: server-sent events split from the raw bytes.

huggingface_hub's reader decodes every line to text, parses it into its dataclasses
(``parse_obj_as_instance``) and back (``dataclasses.asdict``): about half of the Space's CPU per
chat under load (bench/README.md, "Space CPU per chat"). This one splits ``data:`` lines from the
bytes of each network read, ``json.loads`` each and keeps ``choices[0].delta.content``; the text of
every event that arrived in one read leaves as one piece (orjson parses the events: json where orjson
refuses what json reads) (one chat alone: one piece per token;
under load: fewer, larger pieces, never later than they arrived).

It reads what huggingface_hub's reader reads, and fails where it fails
(``tests/engines/test_stream_conformance.py`` runs both against the LLM test server):

- lines other than ``data:`` lines are ignored; ``data: [DONE]`` ends the stream;
- a payload that is not JSON, or an ``{"error": ...}`` payload, is a :class:`~plumberforce.errors.BadResponse`;
- a chunk without choices, or with no content, carries no text; a choice without a delta is a
  :class:`~plumberforce.errors.BadResponse`;
- no event for ``idle_timeout`` seconds is an :class:`~plumberforce.errors.EngineTimeout` (a silent
  connection is caught by the HTTP client's read timeout, bytes without events here).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx2
import orjson

from plumberforce import errors


def _text(payload: bytes) -> str:
    """The content of one ``data:`` payload."""
    try:
        chunk = orjson.loads(payload)
    except ValueError:
        try:  # what orjson refuses and json reads (NaN, lone surrogates...): read as huggingface_hub reads it
            chunk = json.loads(payload)
        except ValueError as exc:
            raise errors.BadResponse(f"unreadable chunk: {exc}") from None
    if not isinstance(chunk, dict):
        raise errors.BadResponse("unreadable chunk: not a JSON object")
    if chunk.get("error") is not None:
        raise errors.BadResponse(f"the model reported an error: {chunk['error']!r}")
    choices = chunk.get("choices")
    if not choices:
        return ""
    try:
        return choices[0]["delta"].get("content") or ""
    except (AttributeError, KeyError, IndexError, TypeError) as exc:
        raise errors.BadResponse(f"unreadable chunk: {exc!r}") from None


def _texts(lines: list[bytes]) -> tuple[str, bool]:
    """The text of complete lines, and whether ``[DONE]`` was among them."""
    parts = []
    for line in lines:
        line = line.strip()
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if payload == b"[DONE]":
            return "".join(parts), True
        parts.append(_text(payload))
    return "".join(parts), False


def _text_before_broken(lines: list[bytes]) -> str:
    """The text of the lines before the first one that cannot be read."""
    parts = []
    for line in lines:
        try:
            parts.append(_texts([line])[0])
        except errors.BadResponse:
            break
    return "".join(parts)


async def read_texts(
    response: httpx2.Response, idle_timeout: float, between: Callable[[], Awaitable[None]] | None = None
) -> AsyncIterator[str]:
    """The text of a ``text/event-stream`` chat completion, one piece per network read;
    ``between()`` is awaited after each piece when more is to come."""
    buffer = b""
    last_event = time.monotonic()
    async for raw in response.aiter_bytes():
        buffer += raw
        if b"\n" not in raw:
            continue
        lines = buffer.split(b"\n")
        buffer = lines.pop()
        try:
            text, done = _texts(lines)
        except errors.BadResponse:
            # the text of the events before the broken one leaves first, as when they came apart
            good = _text_before_broken(lines)
            if good:
                yield good
            raise
        now = time.monotonic()
        if b"data:" in raw:
            last_event = now
        elif now - last_event > idle_timeout:
            raise errors.EngineTimeout("no event within the timeout")
        if text:
            yield text
        if done:
            return
        if text and between is not None:
            await between()
    text, _ = _texts([buffer])
    if text:
        yield text
