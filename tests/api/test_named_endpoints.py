"""The named Gradio endpoints through gradio_client, against a real Space process."""

from __future__ import annotations

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import QueueError

from plumberforce.testing.processes import SpaceProcess


@pytest.fixture(scope="module")
def gc(offline_space: SpaceProcess) -> Client:
    return Client(offline_space.url, verbose=False)


def test_named_endpoints_are_published(gc: Client) -> None:
    info = gc.view_api(return_format="dict", print_info=False)
    assert {"/chat", "/history", "/reset", "/status"} <= set(info["named_endpoints"])
    assert not any(name.startswith("/ui_") for name in info["named_endpoints"])


def test_chat_streams_several_chunks_then_meta(gc: Client, client_id: str) -> None:
    job = gc.submit("How do I chain Queueable jobs?", client_id, api_name="/chat")
    updates = list(job)
    assert len(updates) >= 3
    partial = [text for text, meta in updates if not meta.get("done")]
    assert len(partial) >= 2 and len(partial[0]) < len(partial[-1])
    text, meta = job.outputs()[-1]
    assert meta["done"] is True and meta["engine"] == "offline"
    assert meta["client_id"] == client_id and len(meta["message_id"]) == 32
    assert meta["cached"] is False
    assert all({"title", "url"} <= set(s) for s in meta["sources"]) and meta["sources"]
    assert text.startswith(partial[0][:20])


def test_italian_and_english_questions_cite_the_right_article(gc: Client, client_id: str) -> None:
    cases = [
        ("Come faccio a testare un callout HTTP in una classe di test?", "it", "callout"),
        ("How do I deploy with the Salesforce CLI?", "en", "cli"),
    ]
    for question, lang, word in cases:
        text, meta = gc.predict(question, client_id, api_name="/chat")
        assert meta["lang"] == lang
        assert ("### Risposta" in text) if lang == "it" else ("### Answer" in text)
        assert any(word in (s["title"] + s["url"]).lower() for s in meta["sources"]), meta["sources"]


def test_history_reset_status(gc: Client, client_id: str) -> None:
    _, meta = gc.predict("What is a skinny table?", client_id, api_name="/chat")
    history = gc.predict(client_id, api_name="/history")
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert {"role", "content", "message_id", "ts"} <= set(history[0])
    assert history[1]["message_id"] == meta["message_id"]
    assert gc.predict(client_id, api_name="/reset")["ok"] is True
    assert gc.predict(client_id, api_name="/history") == []
    status = gc.predict(api_name="/status")
    assert status["status"] == "ready" and status["engine"]["kind"] == "offline"


@pytest.mark.parametrize(
    ("message", "cid", "words"),
    [
        ("", "ok-id", "empty"),
        ("   ", "ok-id", "empty"),
        ("x" * 4001, "ok-id", "too long"),
        ("What is SOQL?", "bad id!", "client_id"),
    ],
)
def test_bad_input_raises_a_clear_error(gc: Client, message: str, cid: str, words: str) -> None:
    with pytest.raises(AppError, match=f"(?i){words}"):
        gc.predict(message, cid, api_name="/chat")
    if cid == "ok-id":
        assert gc.predict(cid, api_name="/history") == []
    with pytest.raises(AppError, match="(?i)client_id"):
        gc.predict("bad id!", api_name="/history")


def test_a_full_queue_answers_busy(tmp_path) -> None:
    env = {
        "PLUMBERFORCE_ENGINE": "offline",
        "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "40",
        "PLUMBERFORCE_CONCURRENCY_LIMIT": "1",
        "PLUMBERFORCE_QUEUE_MAX_SIZE": "1",
    }
    with SpaceProcess(tmp_path / "data", env=env) as space:
        client = Client(space.url, verbose=False)
        jobs = [client.submit("What is Batch Apex?", f"busy-{i}", api_name="/chat") for i in range(5)]
        outcomes = []
        for job in jobs:
            try:
                outcomes.append("done" if job.result(timeout=60)[1]["done"] else "?")
            except QueueError as exc:
                assert "try again" in str(exc)
                outcomes.append("busy")
        assert "busy" in outcomes and "done" in outcomes
        assert set(outcomes) == {"busy", "done"}
        for i, outcome in enumerate(outcomes):  # a refused question changed nothing
            assert len(client.predict(f"busy-{i}", api_name="/history")) == (2 if outcome == "done" else 0)
