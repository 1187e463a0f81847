"""With PLUMBERFORCE_API_KEY set, every REST route but /api/health and every Gradio endpoint
(named or not) refuses without the key and accepts with it; the key never leaks."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client

from plumberforce.testing.processes import SpaceProcess

KEY = "k3y-" + "0123456789abcdef" * 2
WRONG = "k3y-" + "fedcba9876543210" * 2


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("auth-space")
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_API_KEY": KEY,
        "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0",
        # a tight per-IP limit (4 chats): callers with the key are exempt (they speak for many people)
        "PLUMBERFORCE_IP_RATE_LIMIT_PER_MINUTE": "1",
        "PLUMBERFORCE_RATE_LIMIT_BURST": "1",
    }
    with SpaceProcess(root / "data", env=env) as process:
        yield process


@pytest.fixture(scope="module")
def keyed(space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=space.url, timeout=30, headers={"X-API-Key": KEY}) as client:
        yield client


@pytest.fixture(scope="module")
def anonymous(space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=space.url, timeout=30) as client:
        yield client


def _rest_calls(openapi: dict) -> list[tuple[str, str, dict | None]]:
    bodies = {
        "/api/query": {"query": "What is SOQL?", "client_id": "auth-1"},
        "/api/query/stream": {"query": "What is SOSL?", "client_id": "auth-1"},
        "/api/feedback": {"client_id": "auth-1", "message_id": "0" * 32, "rating": 4},
    }
    calls = []
    for path, operations in openapi["paths"].items():
        for method in operations:
            concrete = path.replace("{client_id}", "auth-1")
            calls.append((method.upper(), concrete, bodies.get(path) if method == "post" else None))
    return calls


def test_every_rest_route_but_health_needs_the_key(keyed: httpx.Client, anonymous: httpx.Client) -> None:
    calls = _rest_calls(anonymous.get("/openapi.json").json())
    assert len(calls) >= 10
    for method, path, body in calls:
        open_route = path == "/api/health"
        for headers in ({}, {"X-API-Key": WRONG}, {"Authorization": f"Bearer {WRONG}"}):
            response = anonymous.request(method, path, json=body, headers=headers)
            assert (response.status_code == 401) != open_route, (method, path, headers, response.status_code)
            if not open_route:
                assert response.json()["code"] == "unauthorized" and KEY not in response.text
        for headers in ({"X-API-Key": KEY}, {"Authorization": f"Bearer {KEY}"}):
            response = anonymous.request(method, path, json=body, headers=headers)
            assert response.status_code != 401 and response.status_code < 500, (method, path, response.text)


def test_every_gradio_endpoint_needs_the_key(space: SpaceProcess, keyed: httpx.Client, anonymous: httpx.Client) -> None:
    for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json"):
        assert anonymous.get(path).status_code == 401, path
    info = keyed.get("/gradio_api/info").json()
    named = list(info["named_endpoints"])
    assert {"/chat", "/history", "/reset", "/status", "/feedback"} <= set(named)
    config = keyed.get("/config").json()
    dependencies = config["dependencies"]
    assert len(dependencies) > len(named)  # the UI's private events too
    for name in named:
        body = {"data": ["What is SOQL?", "auth-2"] if name == "/chat" else ["auth-2"]}
        assert anonymous.post(f"/gradio_api/call{name}", json=body).status_code == 401, name
    for index, dependency in enumerate(dependencies):
        fn_index = dependency.get("id", index)
        join = {"data": [], "fn_index": fn_index, "session_hash": "authprobe"}
        assert anonymous.post("/gradio_api/queue/join", json=join).status_code == 401, dependency.get("api_name")
        assert anonymous.post("/gradio_api/run/predict", json=join).status_code in (401, 404, 405)
    accepted = keyed.post(
        "/gradio_api/queue/join",
        json={"data": ["auth-2"], "fn_index": dependencies[0].get("id", 0), "session_hash": "authprobe"},
    )
    assert accepted.status_code != 401

    with pytest.raises(Exception, match="(?i)credentials|login|401"):
        Client(space.url, verbose=False)
    client = Client(space.url, verbose=False, headers={"Authorization": f"Bearer {KEY}"})
    text, meta = client.predict("How do I test a callout?", "auth-3", api_name="/chat")
    assert meta["done"] is True and text
    assert client.predict("auth-3", api_name="/history")[1]["message_id"] == meta["message_id"]


def test_browser_login_page_unlocks_the_ui(space: SpaceProcess) -> None:
    with httpx.Client(base_url=space.url, timeout=30, headers={"accept": "text/html"}) as browser:
        first = browser.get("/", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].endswith("login")
        assert browser.post("/login", data={"key": WRONG}).status_code == 401
        signed_in = browser.post("/login", data={"key": KEY}, follow_redirects=False)
        assert signed_in.status_code == 303
        cookie = signed_in.cookies.get("plumberforce_session")
        assert cookie and KEY not in cookie
        assert browser.get("/").status_code == 200
        assert browser.get("/gradio_api/info").status_code == 200
        browser.get("/logout")
        assert browser.get("/gradio_api/info").status_code == 401


def test_the_article_page_asks_what_the_ui_asks(space: SpaceProcess, keyed: httpx.Client) -> None:
    """A browser without a session goes to the login page (``../login``: next to the chat),
    a program without the key gets 401; the key or the session cookie opens the page."""
    with httpx.Client(base_url=space.url, timeout=30, headers={"accept": "text/html"}) as browser:
        first = browser.get("/articles/queueable-apex", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "../login"
        assert httpx.get(space.url + "/articles/queueable-apex", timeout=30).status_code == 401
        assert browser.get("/articles/no-such-article").status_code == 303  # an unknown id is no way around it
        browser.post("/login", data={"key": KEY})
        page = browser.get("/articles/queueable-apex")
        assert page.status_code == 200 and "<h1>Queueable Apex" in page.text
    assert keyed.get("/articles/queueable-apex?lang=it").status_code == 200


def test_key_holders_are_not_limited_per_ip(keyed: httpx.Client) -> None:
    for i in range(8):
        answer = keyed.post("/api/query", json={"query": "What is a Queueable?", "client_id": f"ipx-{i}"})
        assert answer.status_code == 200, answer.text


def test_the_key_never_leaks(space: SpaceProcess, keyed: httpx.Client) -> None:
    keyed.post("/api/query", json={"query": f"is {WRONG} the key?", "client_id": "auth-4"})
    for path in ("/api/status", "/metrics", "/api/feedback/export", "/api/history/auth-4"):
        assert KEY not in keyed.get(path).text
    assert KEY not in space.log()
