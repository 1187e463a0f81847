"""The answer cache and the ordering of turns, through REST against a real Space process."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx


def _ask(http: httpx.Client, question: str, client_id: str) -> dict:
    response = http.post("/api/query", json={"query": question, "client_id": client_id})
    assert response.status_code == 200, response.text
    return response.json()


def test_same_question_same_history_is_a_cache_hit(http: httpx.Client) -> None:
    question = f"How do platform events differ from change data capture? (#{uuid.uuid4().int % 10**9})"
    first = _ask(http, question, "cache-a-" + uuid.uuid4().hex[:8])
    second = _ask(http, question.upper() + "  ", "cache-b-" + uuid.uuid4().hex[:8])
    assert first["cached"] is False
    assert second["cached"] is True
    assert second["response"] == first["response"] and second["sources"] == first["sources"]
    assert second["message_id"] != first["message_id"]


def test_same_question_after_another_history_is_not_a_hit(http: httpx.Client) -> None:
    question = f"What does Database.Stateful do? (#{uuid.uuid4().int % 10**9})"
    _ask(http, question, "cache-c-" + uuid.uuid4().hex[:8])
    other = "cache-d-" + uuid.uuid4().hex[:8]
    _ask(http, "Tell me about batch Apex scope size", other)
    after = _ask(http, question, other)
    assert after["cached"] is False
    before_hits = http.get("/api/status").json()["cache"]["hits"]
    again = _ask(http, question, "cache-e-" + uuid.uuid4().hex[:8])
    assert again["cached"] is True
    assert http.get("/api/status").json()["cache"]["hits"] == before_hits + 1


def test_concurrent_questions_from_one_client_do_not_interleave(http: httpx.Client) -> None:
    client_id = "turns-" + uuid.uuid4().hex[:8]
    questions = [f"Question {i}: how do I write a test data factory? (#{uuid.uuid4().int % 10**9})" for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda q: _ask(http, q, client_id), questions))
    history = http.get(f"/api/history/{client_id}").json()["messages"]
    assert len(history) == 8
    by_id = {a["message_id"]: q for q, a in zip(questions, answers, strict=True)}
    for user, assistant in zip(history[::2], history[1::2], strict=True):
        assert user["role"] == "user" and assistant["role"] == "assistant"
        assert by_id[assistant["message_id"]] == user["content"]
    assert sorted(m["content"] for m in history[::2]) == sorted(questions)
