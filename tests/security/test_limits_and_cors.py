"""Rate limits per client id and per IP (429 + Retry-After, through REST and gradio_client) and
CORS limited to the configured origins (REST and Gradio routes alike)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from plumberforce.testing.processes import SpaceProcess

ALLOWED = "https://plumberforce.example"


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("limits-space")
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0",
        "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "6",
        "PLUMBERFORCE_RATE_LIMIT_BURST": "2",
        "PLUMBERFORCE_IP_RATE_LIMIT_PER_MINUTE": "30",
        "PLUMBERFORCE_CORS_ORIGINS": f'["{ALLOWED}"]',
    }
    with SpaceProcess(root / "data", env=env) as process:
        yield process


def test_per_client_limit(space: SpaceProcess) -> None:
    with httpx.Client(base_url=space.url, timeout=30) as http:
        ask = lambda: http.post("/api/query", json={"query": "What is SOQL?", "client_id": "rl-1"})  # noqa: E731
        assert ask().status_code == 200 and ask().status_code == 200
        refused = ask()
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited" and "wait" in refused.json()["detail"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 10
        assert len(http.get("/api/history/rl-1").json()["messages"]) == 4  # the refused one stored nothing
        italian = http.post("/api/query/stream", json={"query": "Cos'è la SOQL?", "client_id": "rl-1"})
        assert italian.status_code == 429 and "attendi" in italian.json()["detail"]
        assert http.post("/api/query", json={"query": "What is SOQL?", "client_id": "rl-2"}).status_code == 200
    client = Client(space.url, verbose=False)
    client.predict("What is SOSL?", "rl-3", api_name="/chat")
    client.predict("What is SOSL?", "rl-3", api_name="/chat")
    with pytest.raises(AppError, match="Too many questions"):
        client.predict("What is SOSL?", "rl-3", api_name="/chat")


def test_per_ip_limit(space: SpaceProcess) -> None:
    with httpx.Client(base_url=space.url, timeout=30) as http:
        statuses = [
            http.post("/api/query", json={"query": "What is a flow?", "client_id": f"ip-{i}"}).status_code
            for i in range(12)
        ]
    assert 429 in statuses and statuses.count(200) <= 8 + 1  # burst of 8 per IP (plus refill)


def test_cors_only_for_configured_origins(space: SpaceProcess) -> None:
    with httpx.Client(base_url=space.url, timeout=30) as http:
        for path in ("/api/health", "/config"):
            good = http.get(path, headers={"Origin": ALLOWED})
            assert good.headers.get("access-control-allow-origin") == ALLOWED, path
            bad = http.get(path, headers={"Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in bad.headers, path
        preflight = http.options(
            "/api/query", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert preflight.headers.get("access-control-allow-origin") != "https://evil.example"
        ok = http.options("/api/query", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"})
        assert ok.headers.get("access-control-allow-origin") == ALLOWED
        assert http.get("/api/health").headers["x-content-type-options"] == "nosniff"
