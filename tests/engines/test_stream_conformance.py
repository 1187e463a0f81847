"""The two stream readers of the remote engine (``PLUMBERFORCE_STREAM_READER``) behave the same
against the LLM test server: the same request sent, the same text, the same error (kind, code,
messages, Retry-After) and the same retries, for every fault the server can play.

``hub`` is huggingface_hub's own ``chat_completion(stream=True)``; ``fast`` is ours
(engines/stream_reader.py, with the request built by huggingface_hub's provider helper)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from plumberforce import errors
from plumberforce.engines.base import ChatMessage, EngineRequest
from plumberforce.engines.remote import RemoteEngine
from plumberforce.engines.stream_reader import _texts
from plumberforce.settings import Settings
from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import refused_url

READERS = ("hub", "fast")


def _outcome(reader: str, base_url: str, **overrides: Any) -> dict[str, Any]:
    """Run one chat with ``reader``: its text and the error it ended with."""
    values: dict[str, Any] = dict(
        base_url=base_url, model="test-model", request_timeout=3.0, retries=2, retry_backoff=0.01
    )
    values.update(overrides, stream_reader=reader)
    engine = RemoteEngine(Settings(**values))
    request = EngineRequest([ChatMessage("system", "be brief"), ChatMessage("user", "ping 7")], "ping 7", "en")

    async def main() -> dict[str, Any]:
        parts: list[str] = []
        error: errors.EngineError | None = None
        try:
            async for text in engine.stream(request):
                parts.append(text)
        except errors.EngineError as exc:
            error = exc
        finally:
            await engine.aclose()
        described = None
        if error is not None:
            described = (type(error), error.code, error.message("en"), error.message("it"), error.retry_after)
        return {"text": "".join(parts), "error": described, "pieces": len(parts)}

    return asyncio.run(main())


def _sent(llm: RunningServer) -> list[dict[str, Any]]:
    """What the server received, per request, without the fields that differ by time."""
    return [{k: v for k, v in r.items() if k != "time"} for r in llm.requests()]


def _both(llm: RunningServer, script: list[str], **overrides: Any) -> dict[str, dict[str, Any]]:
    results = {}
    for reader in READERS:
        llm.reset()
        llm.configure(retry_after=0)
        llm.script(script)
        results[reader] = {**_outcome(reader, llm.base_url, **overrides), "sent": _sent(llm)}
    llm.reset()
    return results


@pytest.mark.parametrize(
    ("script", "kind", "attempts"),
    [
        (["ok"], None, 1),
        (["slow"], None, 1),
        (["503", "ok"], None, 2),
        (["429", "503", "ok"], None, 3),
        (["503"] * 5, errors.EngineOverloaded, 3),
        (["429"] * 5, errors.EngineRateLimited, 3),
        (["401"], errors.EngineAuth, 1),
        (["403"], errors.EngineAuth, 1),
        (["404"], errors.ModelNotServed, 1),
        (["500"], errors.BadResponse, 1),
        (["drop"], errors.BadResponse, 1),
        (["malformed"], errors.BadResponse, 1),
    ],
)
def test_same_text_errors_and_retries(llm: RunningServer, script: list[str], kind: type | None, attempts: int) -> None:
    results = _both(llm, script)
    hub, fast = results["hub"], results["fast"]
    assert fast["text"] == hub["text"]
    assert fast["error"] == hub["error"]
    assert fast["sent"] == hub["sent"]  # same requests: path, model, messages, parameters, headers
    assert len(hub["sent"]) == attempts
    assert (hub["error"][0] if hub["error"] else None) is kind
    if kind is None:
        assert hub["text"].startswith("Echo: ping 7 ") and len(hub["text"].split()) == 30
    elif script[0] in ("drop", "malformed"):
        assert len(hub["text"].split()) == 3  # the text before the fault, then the error
    else:
        assert hub["text"] == ""
    assert fast["pieces"] >= 1 if fast["text"] else fast["pieces"] == 0


@pytest.mark.parametrize("fault", ["hang", "hang-mid"])
def test_same_timeouts(llm: RunningServer, fault: str) -> None:
    results = _both(llm, [fault] * 3, request_timeout=0.6)
    hub, fast = results["hub"], results["fast"]
    assert hub["error"][0] is errors.EngineTimeout
    assert fast["error"] == hub["error"] and fast["text"] == hub["text"]
    assert len(fast["sent"]) == len(hub["sent"])  # hang: retried until the deadline; hang-mid: never


def test_same_error_when_nothing_listens() -> None:
    with refused_url() as base:
        hub, fast = (_outcome(reader, base + "/v1", retries=1) for reader in READERS)
    assert hub["error"][0] is errors.EngineUnavailable
    assert fast == hub


def test_fast_reader_reads_what_the_hub_reader_reads() -> None:
    """Cases the test server does not play: comments, an error payload, a chunk without choices."""
    lines = [b": keep-alive", b"", b'data: {"choices": []}', b'data: {"choices": [{"delta": {"content": "a"}}]}']
    assert _texts(lines) == ("a", False)
    assert _texts([b'data:{"choices":[{"delta":{"content":"b"}}]}\r', b"data: [DONE]", b"data: junk"]) == ("b", True)
    nan = b'data: {"choices": [{"delta": {"content": "c"}}], "usage": NaN}'  # json reads it, orjson does not
    assert _texts([nan]) == ("c", False)
    with pytest.raises(errors.BadResponse):
        _texts([b'data: {"error": "overloaded", "error_type": "overloaded"}'])
    with pytest.raises(errors.BadResponse):
        _texts([b'data: {"choices": [{"index": 0}]}'])
