"""The REST doors against a real Space process on the offline engine."""

from __future__ import annotations

import httpx

from tests.helpers import stream_query


def test_health_and_status(http: httpx.Client) -> None:
    assert http.get("/api/health").json() == {"status": "ok"}
    status = http.get("/api/status").json()
    assert status["status"] == "ready"
    assert status["engine"]["kind"] == "offline"
    assert status["knowledge_base"]["articles"] >= 15


def test_query_english_cites_the_right_article(http: httpx.Client, client_id: str) -> None:
    body = {
        "query": "How do I fix System.LimitException: Too many SOQL queries: 101 in my trigger?",
        "client_id": client_id,
    }
    answer = http.post("/api/query", json=body).json()
    assert answer["client_id"] == client_id
    assert answer["engine"] == "offline" and answer["cached"] is False
    assert answer["lang"] == "en"
    assert "### Answer" in answer["response"] and "### Best practices" in answer["response"]
    assert "](articles/" in answer["response"] and "?lang=en)" in answer["response"]  # the article page
    assert "```apex" in answer["response"]
    urls = [s["url"] for s in answer["sources"]]
    assert any("apex_gov_limits" in u or "trigger" in u.lower() for u in urls), urls
    assert "Offline knowledge base" in answer["response"]


def test_query_italian_gets_italian_headings(http: httpx.Client, client_id: str) -> None:
    body = {
        "query": "Qual è la differenza tra with sharing e without sharing in una classe Apex?",
        "client_id": client_id,
    }
    answer = http.post("/api/query", json=body).json()
    assert answer["lang"] == "it"
    assert "### Risposta" in answer["response"] and "### Buone pratiche" in answer["response"]
    assert "### Fonti" in answer["response"]
    assert any("sharing" in s["url"].lower() or "sharing" in s["title"].lower() for s in answer["sources"])


def test_query_without_client_id_starts_a_conversation(http: httpx.Client) -> None:
    answer = http.post("/api/query", json={"query": "What is a Queueable job?"}).json()
    history = http.get(f"/api/history/{answer['client_id']}").json()["messages"]
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[1]["message_id"] == answer["message_id"]


def test_stream_sends_deltas_then_done(http: httpx.Client, client_id: str) -> None:
    events = stream_query(http, {"query": "Explain the order of execution on save", "client_id": client_id})
    kinds = [e for e, _ in events]
    assert kinds.count("delta") >= 3
    assert kinds[-1] == "done" and "error" not in kinds
    text = "".join(d["text"] for e, d in events if e == "delta")
    done = events[-1][1]
    history = http.get(f"/api/history/{client_id}").json()["messages"]
    assert history[-1]["content"] == text
    assert history[-1]["message_id"] == done["message_id"]
    assert done["done"] is True and done["engine"] == "offline"


def test_history_get_and_delete(http: httpx.Client, client_id: str) -> None:
    assert http.get(f"/api/history/{client_id}").json() == {"client_id": client_id, "messages": []}
    http.post("/api/query", json={"query": "What is SOSL?", "client_id": client_id})
    http.post("/api/query", json={"query": "And SOQL?", "client_id": client_id})
    messages = http.get(f"/api/history/{client_id}").json()["messages"]
    assert [m["content"] for m in messages[::2]] == ["What is SOSL?", "And SOQL?"]
    assert all(m["ts"] > 0 and len(m["message_id"]) == 32 for m in messages)
    assert http.delete(f"/api/history/{client_id}").json() == {"ok": True, "deleted": True}
    assert http.get(f"/api/history/{client_id}").json()["messages"] == []


def _assert_refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    text = (
        detail if isinstance(detail, str) else " ".join(d["msg"] + " " + ".".join(map(str, d["loc"])) for d in detail)
    )
    assert words.lower() in text.lower(), text


def test_bad_input_is_refused_and_stores_nothing(http: httpx.Client, client_id: str) -> None:
    cases = [
        ({"query": "", "client_id": client_id}, 400, "empty"),
        ({"query": "   \n\t ", "client_id": client_id}, 400, "empty"),
        ({"query": "x" * 4001, "client_id": client_id}, 400, "too long"),
        ({"query": "ok?", "client_id": "bad id!"}, 422, "client_id"),
        ({"query": "ok?", "client_id": "a" * 65}, 422, "client_id"),
        ({"query": 42, "client_id": client_id}, 422, "query"),
        ({"client_id": client_id}, 422, "query"),
        ({"query": "ok?", "client_id": client_id, "extra": 1}, 422, "extra"),
    ]
    for body, status, words in cases:
        _assert_refused(http.post("/api/query", json=body), status, words)
        _assert_refused(http.post("/api/query/stream", json=body), status, words)
    bad_json = http.post("/api/query", content=b'{"query": "x",', headers={"content-type": "application/json"})
    _assert_refused(bad_json, 422, "json")
    assert http.get(f"/api/history/{client_id}").json()["messages"] == []
    _assert_refused(http.get("/api/history/bad%20id"), 422, "client_id")


def test_italian_question_too_long_gets_an_italian_message(http: httpx.Client, client_id: str) -> None:
    response = http.post("/api/query", json={"query": "perché il trigger " + "è lento " * 800, "client_id": client_id})
    assert response.status_code == 400
    assert response.json() == {"detail": response.json()["detail"], "code": "invalid_input"}
    assert "troppo lunga" in response.json()["detail"]


def test_openapi_documents_the_models(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    assert {"/api/query", "/api/query/stream", "/api/history/{client_id}", "/api/health", "/api/status"} <= set(
        schema["paths"]
    )
    components = schema["components"]["schemas"]
    assert {"QueryRequest", "QueryResponse", "HistoryResponse", "ErrorResponse"} <= set(components)
    assert http.get("/docs").status_code == 200


def test_an_article_is_served_whole_in_both_languages(http: httpx.Client) -> None:
    body = http.get("/api/articles/queueable-apex").json()
    assert body["id"] == "queueable-apex" and body["topic"] == "async"
    assert body["title"]["en"] and body["title"]["it"] and body["summary"]["it"]
    assert "```apex" in body["sections"]["approach"]["en"] and body["sections"]["best_practices"]["it"]
    assert body["links"] and all(link["url"].startswith("https://") for link in body["links"])
    assert any(fact["value"] == "50" for fact in body["facts"])
    missing = http.get("/api/articles/no-such-article", headers={"Accept-Language": "it"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found" and "no-such-article" in missing.json()["detail"]
    assert "/api/articles/{article_id}" in http.get("/openapi.json").json()["paths"]


def test_errors_speak_the_language_the_browser_weighs_most(http: httpx.Client, client_id: str) -> None:
    # A French browser that also reads Italian, and an Italian one listing English first at a lower
    # weight: the header's first two letters (a naive reading) would say French and English. (Errors
    # about a question are in the question's own language; these two have no question.)
    for header in ("fr-FR,fr;q=0.9,it;q=0.8,en;q=0.5", "en;q=0.4,it-IT"):
        missing = http.get("/api/articles/no-such-article", headers={"Accept-Language": header})
        assert missing.status_code == 404 and missing.json()["detail"].startswith("Nessun articolo"), header
        invalid = http.post(
            "/api/query", json={"query": 42, "client_id": client_id}, headers={"Accept-Language": header}
        )
        assert invalid.status_code == 422 and invalid.json()["detail"].startswith("Dati non validi"), header
    english = http.get("/api/articles/no-such-article", headers={"Accept-Language": "de-DE,en;q=0.7,it;q=0.6"})
    assert english.json()["detail"].startswith("No knowledge-base article")
    assert http.get(f"/api/history/{client_id}").json()["messages"] == []
