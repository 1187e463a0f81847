"""The conversation store on a real diskcache directory: order, bounds, idle expiry, sharing."""

from __future__ import annotations

import time
from pathlib import Path

from plumberforce.stores.conversations import ConversationStore, Message


def test_order_bound_and_lookup(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path, max_messages=6)
    for i in range(5):
        store.append("c1", [Message("user", f"q{i}"), Message("assistant", f"a{i}")])
    messages = store.get("c1")
    assert [m.content for m in messages] == ["q2", "a2", "q3", "a3", "q4", "a4"]  # oldest fell off
    answer, question = store.find("c1", messages[-1].message_id)
    assert answer.content == "a4" and question.content == "q4"
    assert store.find("c2", messages[-1].message_id) == (None, None)
    assert store.count() == 1 and store.clear("c1") and store.get("c1") == []


def test_idle_conversations_expire(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path, idle_seconds=0.3)
    store.append("idle", [Message("user", "q"), Message("assistant", "a")])
    assert len(store.get("idle")) == 2
    deadline = time.monotonic() + 5
    while store.get("idle") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.get("idle") == []
    assert store.expire() >= 0 and store.count() == 0


def test_two_handles_on_one_directory_see_each_other(tmp_path: Path) -> None:
    first, second = ConversationStore(tmp_path), ConversationStore(tmp_path)
    first.append("shared", [Message("user", "q")])
    second.append("shared", [Message("assistant", "a")])
    assert [m.content for m in first.get("shared")] == ["q", "a"]
