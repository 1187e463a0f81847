"""Redis stopped mid-run and started again: /api/status says degraded and names Redis, a chat
gets a clear error in the person's language and nothing half-written, then everything recovers
without restarting the Space. A wrong Redis password stops start-up with a message naming the
variables."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from plumberforce.testing.processes import SpaceProcess
from plumberforce.testing.redis_server import RedisServer

OFFLINE = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}


def status(space: SpaceProcess) -> dict:
    return httpx.get(space.url + "/api/status", timeout=10).json()


def test_redis_down_then_back(tmp_path: Path) -> None:
    redis = RedisServer(tmp_path / "redis").start()
    env = {**OFFLINE, "PLUMBERFORCE_REDIS_URL": redis.url}
    try:
        with (
            SpaceProcess(tmp_path / "space" / "data", env=env) as space,
            httpx.Client(base_url=space.url, timeout=30) as http,
        ):
            before = http.post("/api/query", json={"query": "What is Batch Apex?", "client_id": "outage"}).json()
            redis.stop()
            degraded = status(space)
            assert degraded["status"] == "degraded"
            assert (
                degraded["problems"][0]["code"] == "redis_unreachable" and "Redis" in degraded["problems"][0]["detail"]
            )
            refused = http.post("/api/query", json={"query": "Cos'è un Queueable?", "client_id": "outage"})
            assert refused.status_code == 503 and refused.json()["code"] == "store_unavailable"
            assert "Redis" in refused.json()["detail"] and "riprova" in refused.json()["detail"]  # Italian
            assert "retry-after" in refused.headers
            redis.start()  # same port, same directory (append-only file): the data is back
            for _ in range(100):  # the pool reconnects by itself: wait for the status to say so
                if status(space)["status"] == "ready":
                    break
                time.sleep(0.1)
            assert status(space)["status"] == "ready"
            after = http.post("/api/query", json={"query": "And Queueable Apex?", "client_id": "outage"})
            assert after.status_code == 200
            history = http.get("/api/history/outage").json()["messages"]
            assert [m["content"] for m in history[::2]] == ["What is Batch Apex?", "And Queueable Apex?"]
            assert history[1]["message_id"] == before["message_id"]  # acknowledged before: kept
    finally:
        redis.stop()


def test_a_wrong_password_stops_start_up(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis", password="the-right-one") as redis:
        wrong = redis.url.replace("the-right-one", "a-wrong-one")
        space = SpaceProcess(tmp_path / "space" / "data", env={**OFFLINE, "PLUMBERFORCE_REDIS_URL": wrong})
        with pytest.raises(RuntimeError) as failed:
            space.start(timeout=60)
        assert "PLUMBERFORCE_REDIS_URL / PLUMBERFORCE_REDIS_PASSWORD" in str(failed.value)
        assert "a-wrong-one" not in str(failed.value)  # the password is never printed
