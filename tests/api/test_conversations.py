"""Conversations per person over REST: list, new, switch, rename, delete, export; queries into a
chosen conversation; regenerate; poor ratings evict cached answers; one error shape."""

from __future__ import annotations

import json

import httpx

from plumberforce.testing.processes import SpaceProcess


def ask(http: httpx.Client, query: str, client_id: str, conversation_id: str | None = None) -> dict:
    body = {"query": query, "client_id": client_id}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = http.post("/api/query", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_conversations_list_new_switch_rename_delete(http: httpx.Client, client_id: str) -> None:
    assert http.get(f"/api/conversations/{client_id}").json() == {"current": None, "conversations": []}
    first = ask(http, "What is Batch Apex?", client_id)
    listing = http.get(f"/api/conversations/{client_id}").json()
    assert listing["current"] == first["conversation_id"]
    assert listing["conversations"][0]["title"] == "What is Batch Apex?"
    assert listing["conversations"][0]["message_count"] == 2

    created = http.post(f"/api/conversations/{client_id}")
    assert created.status_code == 201
    second = created.json()["conversation_id"]
    assert http.get(f"/api/history/{client_id}").json()["messages"] == []  # the new one is current
    ask(http, "Come schedulo un batch?", client_id)
    assert (
        len(
            http.get(f"/api/history/{client_id}", params={"conversation_id": first["conversation_id"]}).json()[
                "messages"
            ]
        )
        == 2
    )

    # a question into a chosen conversation goes there and makes it current
    again = ask(http, "And its limits?", client_id, first["conversation_id"])
    assert again["conversation_id"] == first["conversation_id"]
    listing = http.get(f"/api/conversations/{client_id}").json()
    assert listing["current"] == first["conversation_id"]
    assert [c["message_count"] for c in listing["conversations"]] == [4, 2]  # newest first

    renamed = http.patch(f"/api/conversations/{client_id}/{second}", json={"title": "Scheduling", "current": True})
    assert renamed.json()["title"] == "Scheduling"
    assert http.get(f"/api/conversations/{client_id}").json()["current"] == second

    assert http.delete(f"/api/conversations/{client_id}/{second}").json() == {"ok": True, "deleted": True}
    listing = http.get(f"/api/conversations/{client_id}").json()
    assert [c["conversation_id"] for c in listing["conversations"]] == [first["conversation_id"]]
    assert listing["current"] == first["conversation_id"]


def test_unknown_conversations_and_bad_input_change_nothing(http: httpx.Client, client_id: str) -> None:
    ask(http, "What is a Queueable?", client_id)
    before = http.get(f"/api/conversations/{client_id}").json()
    for method, path, body in (
        ("PATCH", f"/api/conversations/{client_id}/nope", {"title": "x"}),
        ("DELETE", f"/api/conversations/{client_id}/nope", None),
        ("GET", f"/api/conversations/{client_id}/nope/export", None),
        ("POST", "/api/query", {"query": "hi there, what is SOQL?", "client_id": client_id, "conversation_id": "nope"}),
    ):
        response = http.request(method, path, json=body)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["code"] == "not_found"
    empty = http.patch(f"/api/conversations/{client_id}/{before['current']}", json={})
    assert empty.status_code == 400 and empty.json()["code"] == "invalid_input"
    blank = http.patch(f"/api/conversations/{client_id}/{before['current']}", json={"title": "   "})
    assert blank.status_code == 400
    assert http.get(f"/api/conversations/{client_id}").json() == before


def test_export_markdown_and_json(http: httpx.Client, client_id: str) -> None:
    answer = ask(http, "How do I avoid MIXED_DML_OPERATION?", client_id)
    http.post(
        "/api/feedback",
        json={"client_id": client_id, "message_id": answer["message_id"], "rating": 4, "comment": "clear"},
    )
    conv = answer["conversation_id"]
    markdown = http.get(f"/api/conversations/{client_id}/{conv}/export")
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"] and ".md" in markdown.headers["content-disposition"]
    text = markdown.text
    assert text.startswith("# How do I avoid MIXED_DML_OPERATION?")
    assert "> How do I avoid MIXED_DML_OPERATION?" in text and answer["response"].strip()[:200] in text
    assert "★★★★☆ (4/5)" in text and '"clear"' in text
    record = http.get(f"/api/conversations/{client_id}/{conv}/export", params={"format": "json"})
    assert record.headers["content-type"].startswith("application/json")
    data = json.loads(record.text)
    assert data["conversation_id"] == conv and len(data["messages"]) == 2
    assert data["messages"][1]["rating"]["rating"] == 4 and data["messages"][1]["meta"]["engine"] == "offline"
    assert "_cache_key" not in record.text
    bad = http.get(f"/api/conversations/{client_id}/{conv}/export", params={"format": "pdf"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"


def test_regenerate_replaces_the_last_answer_and_skips_the_cache(http: httpx.Client, client_id: str) -> None:
    first = ask(http, "Explain the order of execution of a save", client_id)
    cached = ask(http, "Explain the order of execution of a save", client_id + "-b")
    assert cached["cached"]
    fresh = http.post("/api/regenerate", json={"client_id": client_id})
    assert fresh.status_code == 200, fresh.text
    body = fresh.json()
    assert (
        not body["cached"]
        and body["message_id"] != first["message_id"]
        and body["conversation_id"] == first["conversation_id"]
    )
    messages = http.get(f"/api/history/{client_id}").json()["messages"]
    assert len(messages) == 2 and messages[1]["message_id"] == body["message_id"]
    assert messages[1]["meta"].get("regenerated") is True
    nothing = http.post("/api/regenerate", json={"client_id": "never-asked-" + client_id})
    assert nothing.status_code == 404 and nothing.json()["code"] == "not_found"


def test_a_poor_rating_of_a_cached_answer_evicts_it(http: httpx.Client, client_id: str) -> None:
    question = "How do Platform Events differ from Change Data Capture?"
    ask(http, question, client_id + "-1")
    served = ask(http, question, client_id + "-2")
    assert served["cached"]
    ok = http.post(
        "/api/feedback", json={"client_id": client_id + "-2", "message_id": served["message_id"], "thumb": "down"}
    )
    assert ok.status_code == 200
    assert not ask(http, question, client_id + "-3")["cached"]  # evicted: answered afresh
    assert ask(http, question, client_id + "-4")["cached"]  # and cached again
    good = ask(http, question, client_id + "-5")
    http.post("/api/feedback", json={"client_id": client_id + "-5", "message_id": good["message_id"], "rating": 5})
    assert ask(http, question, client_id + "-6")["cached"]  # a good rating evicts nothing


def test_every_rest_error_has_one_shape(http: httpx.Client) -> None:
    wrong_type = http.post("/api/query", json={"query": 5})
    assert wrong_type.status_code == 422
    body = wrong_type.json()
    assert body["code"] == "invalid_input" and isinstance(body["detail"], str) and "query" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "query"]
    no_type = http.post("/api/query", content=b'{"query": "hi"}', headers={"content-type": "text/plain"})
    assert no_type.status_code == 422 and "Content-Type: application/json" in no_type.json()["detail"]
    italian = http.post("/api/query", content=b"x", headers={"content-type": "text/plain", "accept-language": "it"})
    assert "Content-Type: application/json" in italian.json()["detail"] and "Invia" in italian.json()["detail"]
    schema = http.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    doc = schema["paths"]["/api/query"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert doc == {"$ref": "#/components/schemas/ErrorResponse"}


def test_status_tells_the_limits(offline_space: SpaceProcess) -> None:
    status = httpx.get(offline_space.url + "/api/status", timeout=10).json()
    assert status["limits"]["max_question_chars"] == 4000
