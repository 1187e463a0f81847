"""Conversations: client_id -> ordered messages, bounded per client, expired when idle.

Stored with diskcache (SQLite in WAL mode) under ``<data_dir>/conversations``: a turn is
written in one transaction before the person is told it is done, so a crash or restart never
loses an acknowledged turn, and several processes of one machine may share the directory.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import diskcache

# SQLite's page cache and memory map count in the process's RSS: keep them small, the data
# lives on disk (diskcache's defaults are 32 MB of cache and a 64 MB map per store).
MEMORY = {"sqlite_cache_size": 1024, "sqlite_mmap_size": 0}


def new_message_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Message:
    """One message of a conversation. ``meta`` holds engine, model, sources, incomplete..."""

    role: str
    content: str
    message_id: str = field(default_factory=new_message_id)
    ts: float = field(default_factory=time.time)
    meta: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """The shape of the public API: role, content, message_id, ts (+ meta for answers)."""
        out: dict[str, Any] = {
            "role": self.role,
            "content": self.content,
            "message_id": self.message_id,
            "ts": self.ts,
        }
        if self.meta:
            out["meta"] = dict(self.meta)
        return out


class ConversationStore:
    """Per-client message lists in ``directory``; see the module docstring."""

    def __init__(self, directory: Path, max_messages: int = 200, idle_seconds: float = 30 * 86400):
        self._cache = diskcache.Cache(str(directory), timeout=30, size_limit=2**40, **MEMORY)
        self.max_messages = max_messages
        self.idle_seconds = idle_seconds

    def get(self, client_id: str) -> list[Message]:
        raw = self._cache.get(client_id, default=None, retry=True)
        return [Message(**m) for m in raw] if raw else []

    def append(self, client_id: str, messages: list[Message]) -> None:
        """Add ``messages`` at the end, atomically; the oldest fall off past the bound."""
        with self._cache.transact(retry=True):
            current = self._cache.get(client_id, default=None, retry=True) or []
            current.extend(asdict(m) for m in messages)
            current = current[-self.max_messages :]
            self._cache.set(client_id, current, expire=self.idle_seconds, retry=True)

    def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        """The message ``message_id`` of ``client_id`` and the message before it (or Nones)."""
        messages = self.get(client_id)
        for i, message in enumerate(messages):
            if message.message_id == message_id:
                return message, messages[i - 1] if i else None
        return None, None

    def clear(self, client_id: str) -> bool:
        """Forget a conversation; True when there was one."""
        return bool(self._cache.delete(client_id, retry=True))

    def count(self) -> int:
        """Number of stored (not yet expired) conversations."""
        return len(self._cache)

    def expire(self) -> int:
        """Drop idle conversations now; returns how many."""
        return self._cache.expire(retry=True)

    def close(self) -> None:
        self._cache.close()
