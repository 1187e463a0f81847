"""Conversations survive a restart of the Space process (clean stop, and a SIGKILL)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from plumberforce.testing.processes import SpaceProcess


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_history_survives_a_restart(tmp_path: Path, how: str) -> None:
    data = tmp_path / "data"
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    space = SpaceProcess(data, env=env).start()
    try:
        with httpx.Client(base_url=space.url, timeout=30) as http:
            ids = []
            for question in ("What is Batch Apex?", "Come si schedula un batch?"):
                answer = http.post("/api/query", json={"query": question, "client_id": "restart-1"}).json()
                ids.append(answer["message_id"])
            before = http.get("/api/history/restart-1").json()["messages"]
    finally:
        space.kill() if how == "kill" else space.stop()
    assert len(before) == 4

    with SpaceProcess(data, env=env, port=space.port) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        after = http.get("/api/history/restart-1").json()["messages"]
        assert after == before
        assert [m["message_id"] for m in after[1::2]] == ids
        status = http.get("/api/status").json()
        assert status["conversations"] >= 1
        assert status["cache"]["entries"] >= 2
