"""Feedback through REST and gradio_client, its summaries and export, durability, and /metrics.

A Space process of this module's own (so the figures are only this module's), on the offline
engine. Summaries are checked against a pandas frame computed here from what the test sent.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from prometheus_client.parser import text_string_to_metric_families

from plumberforce.testing.processes import SpaceProcess

QUESTIONS = [
    ("How do I avoid too many SOQL queries in a trigger?", "fb-a"),
    ("Come funziona with sharing in Apex?", "fb-a"),
    ("How do I write a Queueable job that chains another?", "fb-b"),
    ("Come si usa il wire service in LWC?", "fb-b"),
    ("What is a scratch org?", "fb-c"),
]


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("feedback-space")
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    with SpaceProcess(root / "data", env=env) as process:
        yield process


@pytest.fixture(scope="module")
def http(space: SpaceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=space.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def answers(http: httpx.Client) -> list[dict]:
    return [http.post("/api/query", json={"query": q, "client_id": c}).json() for q, c in QUESTIONS]


def _metric(metrics_text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_rest_and_gradio_client_round_trip_and_summary(
    http: httpx.Client, space: SpaceProcess, answers: list[dict]
) -> None:
    sent = [(0, 5, None, "clear"), (1, 2, "down", "too generic"), (2, 4, "up", ""), (3, None, "down", None)]
    for i, rating, thumb, comment in sent:
        body = {
            "client_id": answers[i]["client_id"],
            "message_id": answers[i]["message_id"],
            "rating": rating,
            "thumb": thumb,
            "comment": comment,
        }
        response = http.post("/api/feedback", json={k: v for k, v in body.items() if v is not None})
        assert response.status_code == 200, response.text
        record = response.json()["record"]
        assert record["rating"] == rating and record["thumb"] == thumb
        assert record["question"] == QUESTIONS[i][0] and record["answer"] == answers[i]["response"]
    gc = Client(space.url, verbose=False)
    result = gc.predict(answers[4]["client_id"], answers[4]["message_id"], 1, "wrong article", api_name="/feedback")
    assert result["ok"] is True and result["record"]["rating"] == 1 and result["record"]["comment"] == "wrong article"
    sent.append((4, 1, None, "wrong article"))

    expected = pd.DataFrame(
        [{"rating": r, "thumb": t, "engine": answers[i]["engine"], "lang": answers[i]["lang"]} for i, r, t, _ in sent]
    )
    summary = http.get("/api/feedback/summary").json()
    ratings = expected["rating"].dropna()
    assert summary["count"] == len(expected) and summary["ratings"] == len(ratings)
    assert summary["mean"] == pytest.approx(ratings.mean(), abs=1e-3)
    assert summary["distribution"] == {str(k): int((ratings == k).sum()) for k in range(1, 6)}
    assert summary["thumbs"] == {
        "up": int((expected["thumb"] == "up").sum()),
        "down": int((expected["thumb"] == "down").sum()),
    }
    assert [g["engine"] for g in summary["by_engine"]] == ["offline"]
    assert summary["by_engine"][0]["mean"] == pytest.approx(ratings.mean(), abs=1e-3)
    assert sum(g["count"] for g in summary["by_topic"]) == len(expected) and len(summary["by_topic"]) >= 3
    assert sum(d["count"] for d in summary["per_day"]) == len(expected)


def test_export_parses_back_to_the_records(http: httpx.Client, answers: list[dict]) -> None:
    response = http.get("/api/feedback/export")
    assert response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text), keep_default_na=False)
    summary = http.get("/api/feedback/summary").json()
    assert len(frame) == summary["count"]
    by_message = frame.set_index("message_id")
    first = by_message.loc[answers[0]["message_id"]]
    assert first["client_id"] == "fb-a" and int(first["rating"]) == 5 and first["comment"] == "clear"
    assert first["answer"] == answers[0]["response"]  # multi-line markdown survives the CSV round trip
    assert set(frame.columns) >= {
        "message_id",
        "client_id",
        "question",
        "answer",
        "engine",
        "model",
        "topic",
        "rating",
        "thumb",
        "comment",
        "ts",
        "updated",
    }


def test_a_new_rating_replaces_the_old(http: httpx.Client, answers: list[dict]) -> None:
    target = {"client_id": answers[2]["client_id"], "message_id": answers[2]["message_id"]}
    before = http.get("/api/feedback/summary").json()["count"]
    http.post("/api/feedback", json={**target, "rating": 3, "comment": "changed my mind"})
    http.post("/api/feedback", json={**target, "thumb": "down"})
    assert http.get("/api/feedback/summary").json()["count"] == before
    frame = pd.read_csv(io.StringIO(http.get("/api/feedback/export").text), keep_default_na=False)
    rows = frame[frame["message_id"] == target["message_id"]]
    assert len(rows) == 1
    assert int(rows.iloc[0]["rating"]) == 3 and rows.iloc[0]["thumb"] == "down"
    assert rows.iloc[0]["comment"] == "changed my mind"


def test_bad_feedback_is_refused_and_stores_nothing(
    http: httpx.Client, space: SpaceProcess, answers: list[dict]
) -> None:
    own = {"client_id": answers[0]["client_id"], "message_id": answers[0]["message_id"]}
    other_clients_message = {"client_id": "fb-c", "message_id": answers[0]["message_id"]}
    user_message_id = http.get(f"/api/history/{own['client_id']}").json()["messages"][0]["message_id"]
    before = http.get("/api/feedback/export").text
    cases = [
        ({**own, "rating": 0}, 400, "1 to 5"),
        ({**own, "rating": 6}, 400, "1 to 5"),
        ({**own, "rating": "five"}, 422, "rating"),
        ({**own, "rating": 4.5}, 422, "rating"),
        ({**own, "thumb": "sideways"}, 422, "thumb"),
        ({**own}, 400, "rating"),
        ({**own, "rating": 3, "comment": "x" * 1001}, 400, "too long"),
        ({"client_id": "fb-a", "message_id": "0" * 32, "rating": 3}, 404, "unknown message"),
        ({**other_clients_message, "rating": 3}, 404, "unknown message"),
        ({"client_id": "fb-a", "message_id": user_message_id, "rating": 3}, 404, "unknown message"),
        ({"client_id": "bad id", "message_id": "x", "rating": 3}, 422, "client_id"),
    ]
    for body, status, words in cases:
        response = http.post("/api/feedback", json=body)
        assert response.status_code == status, (body, response.text)
        assert words in response.text.lower() or words in str(response.json()["detail"]).lower(), response.text
    gc = Client(space.url, verbose=False)
    for args, words in [
        ((own["client_id"], own["message_id"], 9, ""), "1 to 5"),
        (("fb-c", own["message_id"], 3, ""), "(?i)unknown message_id"),
    ]:
        with pytest.raises(AppError, match=words):
            gc.predict(*args, api_name="/feedback")
    assert http.get("/api/feedback/export").text == before


def test_metrics_count_what_the_test_did(http: httpx.Client) -> None:
    before = http.get("/metrics").text
    for i in range(3):
        http.post("/api/query", json={"query": f"What is a trigger handler? {i}", "client_id": "fb-metrics"})
    cached = http.post("/api/query", json={"query": "What is a trigger handler? 0", "client_id": "fb-metrics-2"}).json()
    assert cached["cached"] is True
    after = http.get("/metrics").text
    requests = "plumberforce_chat_requests_total"
    assert (
        _metric(after, requests, engine="offline", outcome="ok")
        - _metric(before, requests, engine="offline", outcome="ok")
        == 4
    )
    count = "plumberforce_chat_latency_seconds_count"
    assert (
        _metric(after, count, engine="offline", outcome="ok") - _metric(before, count, engine="offline", outcome="ok")
        == 4
    )
    assert _metric(after, "plumberforce_cache_hits_total") - _metric(before, "plumberforce_cache_hits_total") == 1
    assert _metric(after, "plumberforce_cache_misses_total") - _metric(before, "plumberforce_cache_misses_total") == 3
    assert _metric(after, "plumberforce_active_conversations") >= 5
    assert _metric(after, "plumberforce_feedback_total", kind="rating") >= 4
    status = http.get("/api/status").json()
    assert status["requests"]["total"] >= 9 and status["feedback"]["count"] >= 5
    assert status["requests"]["window"]["latency_ms"]["p50"] > 0


def test_feedback_and_request_records_survive_a_restart(tmp_path: Path) -> None:
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    space = SpaceProcess(tmp_path / "data", env=env).start()
    try:
        with httpx.Client(base_url=space.url, timeout=30) as http:
            answer = http.post("/api/query", json={"query": "What is Bulk API 2.0?", "client_id": "keep"}).json()
            http.post("/api/feedback", json={"client_id": "keep", "message_id": answer["message_id"], "rating": 4})
            export = http.get("/api/feedback/export").text
    finally:
        space.kill()
    with SpaceProcess(tmp_path / "data", env=env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        assert http.get("/api/feedback/export").text == export
        status = http.get("/api/status").json()
        assert status["requests"]["total"] == 1 and status["requests"]["window"]["requests"] == 1
