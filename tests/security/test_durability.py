"""SIGKILL the Space in the middle of a burst of chats and ratings from concurrent clients,
restart it, and find every acknowledged turn and rating, with every store opening cleanly."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import httpx
import pandas as pd

from plumberforce.testing.processes import SpaceProcess

CLIENTS = 6
KILL_AFTER_ACKS = 36


def test_sigkill_during_a_burst_loses_nothing_acknowledged(tmp_path: Path) -> None:
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "2"}
    space = SpaceProcess(tmp_path / "data", env=env).start()
    acked_turns: list[tuple[str, str, str]] = []  # (client, message_id, question)
    acked_ratings: list[tuple[str, str, int]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def client(n: int) -> None:
        name = f"burst-{n}"
        with httpx.Client(base_url=space.url, timeout=30) as http:
            for i in range(1000):
                question = f"Client {n} question {i}: how do I avoid mixed DML?"
                try:
                    answer = http.post("/api/query", json={"query": question, "client_id": name})
                    if answer.status_code != 200:
                        return
                    with lock:
                        acked_turns.append((name, answer.json()["message_id"], question))
                        if len(acked_turns) >= KILL_AFTER_ACKS:
                            enough.set()
                    rating = 1 + (i % 5)
                    feedback = http.post(
                        "/api/feedback",
                        json={"client_id": name, "message_id": answer.json()["message_id"], "rating": rating},
                    )
                    if feedback.status_code != 200:
                        return
                    with lock:
                        acked_ratings.append((name, answer.json()["message_id"], rating))
                except httpx.HTTPError:
                    return  # the server died under us: this request was not acknowledged

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert enough.wait(120), "the burst did not get going"
    space.kill()  # while requests are in flight
    for thread in threads:
        thread.join(60)
    turns, ratings = list(acked_turns), list(acked_ratings)
    assert len(turns) >= KILL_AFTER_ACKS

    with SpaceProcess(tmp_path / "data", env=env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        assert http.get("/api/status").json()["status"] == "ready"
        for n in range(CLIENTS):
            history = http.get(f"/api/history/burst-{n}").json()["messages"]
            assert len(history) % 2 == 0  # never half a turn
            assert [m["role"] for m in history] == ["user", "assistant"] * (len(history) // 2)
            by_id = {m["message_id"]: i for i, m in enumerate(history)}
            for name, message_id, question in turns:
                if name == f"burst-{n}":
                    assert message_id in by_id, (name, message_id)
                    assert history[by_id[message_id] - 1]["content"] == question
        export = pd.read_csv(io.StringIO(http.get("/api/feedback/export").text), keep_default_na=False)
        stored = {(r.client_id, r.message_id): int(r.rating) for r in export.itertuples()}
        for name, message_id, rating in ratings:
            assert stored[(name, message_id)] == rating
        assert http.get("/api/feedback/summary").json()["count"] == len(export)
        # the stores still take writes after the crash
        answer = http.post("/api/query", json={"query": "still there?", "client_id": "burst-0"}).json()
        assert (
            http.post(
                "/api/feedback", json={"client_id": "burst-0", "message_id": answer["message_id"], "rating": 5}
            ).status_code
            == 200
        )
