"""The plain POST /api/query/stream is served by the fast path (web/rest/fast_path.py); every
other request reaches the app as before, and both give the same responses.

Which path served a request is read from the ``plumberforce_rest_fast_path_total`` counter. The
app serves the same request when its ``Content-Type`` carries a charset (the fast path takes
only ``application/json``): the two are compared header by header and byte by byte.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from plumberforce.testing.processes import SpaceProcess
from tests.helpers import sse_events

KEY = "fast-path-key-0123456789"
PLAIN = {"content-type": "application/json", "x-api-key": KEY}
VIA_APP = {"content-type": "application/json; charset=utf-8", "x-api-key": KEY}


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    """Offline engine, an API key, a per-client limit of two chats, CORS for one origin."""
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0",
        "PLUMBERFORCE_API_KEY": KEY,
        "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "1",
        "PLUMBERFORCE_RATE_LIMIT_BURST": "2",
        "PLUMBERFORCE_CORS_ORIGINS": '["https://allowed.example"]',
    }
    with SpaceProcess(tmp_path_factory.mktemp("fast-path") / "data", env=env) as process:
        yield process


@pytest.fixture(scope="module")
def slow_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    """Offline answers of many chunks 50 ms apart; busy beyond two chats at once."""
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "50",
        "PLUMBERFORCE_CONCURRENCY_LIMIT": "1",
        "PLUMBERFORCE_QUEUE_MAX_SIZE": "1",
    }
    with SpaceProcess(tmp_path_factory.mktemp("fast-path-slow") / "data", env=env) as process:
        yield process


@pytest.fixture
def http(space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=space.url, timeout=30) as client:
        yield client


def served_fast(http: httpx.Client, headers: dict[str, str] | None = None) -> float:
    """The fast path's counter."""
    text = http.get("/metrics", headers=headers or {"x-api-key": KEY}).text
    match = re.search(r'^plumberforce_rest_fast_path_total\{[^}]*route="/api/query/stream"\} (\S+)$', text, re.M)
    assert match, "the fast path's counter is missing from /metrics"
    return float(match.group(1))


def post(http: httpx.Client, body: bytes | str, headers: dict[str, str]) -> httpx.Response:
    return http.post("/api/query/stream", content=body, headers=headers)


def headers_of(response: httpx.Response) -> list[tuple[bytes, bytes]]:
    return [(name.lower(), value) for name, value in response.headers.raw if name.lower() != b"date"]


def body(query: str, client_id: str, **more: str) -> str:
    extra = "".join(f', "{k}": "{v}"' for k, v in more.items())
    return f'{{"query": "{query}", "client_id": "{client_id}"{extra}}}'


def test_a_plain_stream_is_served_by_the_fast_path_with_the_routes_headers_and_events(http: httpx.Client) -> None:
    before = served_fast(http)
    fast = post(http, body("What is a governor limit?", "fp-1"), PLAIN)
    assert served_fast(http) == before + 1
    via_app = post(http, body("What is a governor limit?", "fp-2"), VIA_APP)
    assert served_fast(http) == before + 1
    assert fast.status_code == via_app.status_code == 200
    assert headers_of(fast) == headers_of(via_app)
    assert fast.headers["content-type"] == "text/event-stream; charset=utf-8"
    events, app_events = list(sse_events(fast)), list(sse_events(via_app))
    assert [e for e, _ in events][-1] == "done" and {e for e, _ in events} == {"delta", "done"}
    text = "".join(d["text"] for e, d in events if e == "delta")
    assert text == "".join(d["text"] for e, d in app_events if e == "delta")  # the second: from the cache
    assert events[-1][1].keys() == app_events[-1][1].keys()
    history = http.get("/api/history/fp-1", headers={"x-api-key": KEY}).json()["messages"]
    assert [m["content"] for m in history] == ["What is a governor limit?", text]
    assert history[1]["message_id"] == events[-1][1]["message_id"]


def without_seconds(response: httpx.Response) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """Body and headers with the seconds of a Retry-After (which may have ticked between two calls) hidden."""
    hide = lambda value: re.sub(rb"\\d+", b"N", value)  # noqa: E731
    return hide(response.content), [(n, hide(v) if n == b"retry-after" else v) for n, v in headers_of(response)]


def test_refusals_of_the_service_are_the_apps_responses(http: httpx.Client) -> None:
    """Decided after admission began (the fast path answers them with the app's handler)."""
    before = served_fast(http)
    cases = [
        (body("   ", "fp-3"), body("   ", "fp-4")),  # blank question: 400
        (body("x" * 5000, "fp-3"), body("x" * 5000, "fp-4")),  # too long: 400
    ]
    for fast_body, app_body in cases:
        fast, via_app = post(http, fast_body, PLAIN), post(http, app_body, VIA_APP)
        assert (fast.status_code, headers_of(fast), fast.content) == (
            via_app.status_code,
            headers_of(via_app),
            via_app.content,
        )
    for client_id in ("fp-5", "fp-6"):  # two chats each, then 429 with Retry-After
        for _ in range(2):
            assert post(http, body("What is SOQL?", client_id), PLAIN).status_code == 200
    fast, via_app = (
        post(http, body("Cos'è la SOQL?", "fp-5"), PLAIN),
        post(http, body("Cos'è la SOQL?", "fp-6"), VIA_APP),
    )
    assert fast.status_code == via_app.status_code == 429 and "attendi" in fast.json()["detail"]
    assert "retry-after" in fast.headers
    assert without_seconds(fast) == without_seconds(via_app)
    assert served_fast(http) == before + 4  # the four chats answered; no refusal counted


def test_an_unknown_conversation_ends_the_stream_with_the_same_error_event(http: httpx.Client) -> None:
    fast = post(http, body("What is SOQL?", "fp-7", conversation_id="nope"), PLAIN)
    via_app = post(http, body("What is SOQL?", "fp-8", conversation_id="nope"), VIA_APP)
    assert fast.status_code == via_app.status_code == 200
    assert list(sse_events(fast)) == list(sse_events(via_app))
    assert list(sse_events(fast))[-1][0] == "error"


FALLTHROUGH = [
    ("no key", body("What is SOQL?", "fp-9"), {"content-type": "application/json"}, 401),
    ("wrong key", body("What is SOQL?", "fp-9"), {**PLAIN, "x-api-key": "wrong"}, 401),
    ("not JSON", "query=What", PLAIN, 422),
    ("form content type", body("What is SOQL?", "fp-9"), {**PLAIN, "content-type": "text/plain"}, 422),
    ("no content type", body("What is SOQL?", "fp-9"), {"x-api-key": KEY}, 422),
    ("missing query", '{"client_id": "fp-9"}', PLAIN, 422),
    ("extra field", '{"query": "What is SOQL?", "extra": 1}', PLAIN, 422),
    ("bad client id", body("What is SOQL?", "no spaces"), PLAIN, 422),
    ("a list", '["What is SOQL?"]', PLAIN, 422),
    ("body too long for the fast path", body("x" * 70_000, "fp-9"), PLAIN, 400),
    ("allowed origin", body("What is SOQL?", "fp-10"), {**PLAIN, "origin": "https://allowed.example"}, 200),
    ("other origin", body("What is SOQL?", "fp-11"), {**PLAIN, "origin": "https://other.example"}, 200),
]


@pytest.mark.parametrize(("case", "content", "headers", "status"), FALLTHROUGH, ids=[c[0] for c in FALLTHROUGH])
def test_other_requests_reach_the_app(
    http: httpx.Client, case: str, content: str, headers: dict[str, str], status: int
) -> None:
    before = served_fast(http)
    response = post(http, content, headers)
    assert response.status_code == status, response.text
    assert served_fast(http) == before
    if status != 200:
        assert response.json()["code"] in ("unauthorized", "invalid_input") and response.json()["detail"]
    origin = headers.get("origin")
    allowed = response.headers.get("access-control-allow-origin")
    assert allowed == (origin if origin == "https://allowed.example" else None)


def test_the_route_is_still_documented(http: httpx.Client) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/api/query/stream"]["post"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("QueryRequest")


def running(http: httpx.Client) -> float:
    return float(re.search(r"^plumberforce_chats_running\{[^}]*\} (\S+)$", http.get("/metrics").text, re.M).group(1))


def test_busy_is_the_apps_response(slow_space: SpaceProcess) -> None:
    """Two chats hold the Space's two places; a third is refused (503, Retry-After) alike by both paths."""
    with httpx.Client(base_url=slow_space.url, timeout=30) as http:
        held = []
        for client_id in ("fp-busy-1", "fp-busy-2"):
            stream = http.stream("POST", "/api/query/stream", json={"query": "What is SOQL?", "client_id": client_id})
            events = sse_events(stream.__enter__())  # kept: dropping it would close the connection
            held.append((stream, events))
            assert next(events)[0] == "delta"  # admitted and answering
        try:
            fast = post(http, body("What is SOQL?", "fp-busy-3"), {"content-type": "application/json"})
            via_app = post(
                http, body("What is SOQL?", "fp-busy-3"), {"content-type": "application/json; charset=utf-8"}
            )
            assert fast.status_code == 503 and fast.headers["retry-after"] == "5"
            assert (headers_of(fast), fast.content) == (headers_of(via_app), via_app.content)
        finally:
            for stream, _ in held:
                stream.__exit__(None, None, None)
        deadline = time.monotonic() + 10  # the stopped turns are stored, then the places are free
        while running(http) and time.monotonic() < deadline:
            threading.Event().wait(0.05)
        assert running(http) == 0


def test_a_client_that_goes_away_stops_the_answer(slow_space: SpaceProcess) -> None:
    with httpx.Client(base_url=slow_space.url, timeout=30) as http:
        before = served_fast(http, {})
        question = {"query": "How do I bulkify an Apex trigger?", "client_id": "fp-gone"}
        with http.stream("POST", "/api/query/stream", json=question) as response:
            first = next(sse_events(response))
            assert first[0] == "delta"
        assert served_fast(http, {}) == before + 1
        # the client's next turn waits for the stopped one to be stored (one turn at a time)
        http.post("/api/query", json={"query": "And SOQL?", "client_id": "fp-gone"})
        stopped = http.get("/api/history/fp-gone").json()["messages"][1]
        assert stopped["meta"]["incomplete"] is True and stopped["meta"]["error"]["code"] == "stopped"
        assert stopped["content"].startswith(first[1]["text"]) and len(stopped["content"]) < 2000
