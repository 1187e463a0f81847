"""Data written by the first version opens after the upgrade: the conversation of each client
(one diskcache directory, one message list per client) becomes one conversation of that client,
and a question goes on in it."""

from __future__ import annotations

import time
from pathlib import Path

import diskcache
import httpx

from plumberforce.testing.processes import SpaceProcess

NOW = time.time() - 3600  # an hour ago: within the idle limit, as any unexpired entry of the old store
OLD = [
    {"role": "user", "content": "How do I bulkify a trigger?", "message_id": "m1", "ts": NOW + 0, "meta": {}},
    {
        "role": "assistant",
        "content": "Collect the Ids first...",
        "message_id": "m2",
        "ts": NOW + 1,
        "meta": {"engine": "offline", "sources": [{"title": "Triggers", "url": "https://developer.salesforce.com/x"}]},
    },
    {"role": "user", "content": "E con i batch?", "message_id": "m3", "ts": NOW + 2, "meta": {}},
    {"role": "assistant", "content": "Con Batch Apex...", "message_id": "m4", "ts": NOW + 3, "meta": {}},
]


def test_the_first_version_layout_opens_as_one_conversation_per_client(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with diskcache.Cache(str(data / "conversations")) as old:  # exactly what the first version wrote
        old.set("old-client", OLD, expire=30 * 86400)
        old.set("other-client", OLD[:2], expire=30 * 86400)
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    with SpaceProcess(data, env=env) as space, httpx.Client(base_url=space.url, timeout=30) as http:
        listing = http.get("/api/conversations/old-client").json()
        assert len(listing["conversations"]) == 1
        conversation = listing["conversations"][0]
        assert listing["current"] == conversation["conversation_id"]
        assert conversation["title"] == "How do I bulkify a trigger?" and conversation["message_count"] == 4
        messages = http.get("/api/history/old-client").json()["messages"]
        assert [(m["message_id"], m["content"]) for m in messages] == [(m["message_id"], m["content"]) for m in OLD]
        assert messages[1]["meta"]["sources"][0]["title"] == "Triggers"
        assert len(http.get("/api/history/other-client").json()["messages"]) == 2
        http.post("/api/query", json={"query": "E per i Queueable?", "client_id": "old-client"})
        after = http.get("/api/conversations/old-client").json()["conversations"]
        assert len(after) == 1 and after[0]["message_count"] == 6  # it went on in the imported conversation
        rated = http.post("/api/feedback", json={"client_id": "old-client", "message_id": "m4", "rating": 4})
        assert rated.status_code == 200  # old answers can still be rated
    assert not (data / "conversations").exists() and (data / "conversations.v1-imported").is_dir()
