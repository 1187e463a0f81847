"""A bounded per-client cache of recent conversations, so a reconnecting page gets its history
at once even while the Space is slow to wake (the Space stays the source of truth).

An entry exists only once the conversation was read from the Space (or reset through it), so
the cache never shows a partial conversation as if it were whole; finished answers are appended
to existing entries. Least recently used clients fall out past ``max_clients``; each keeps its
last ``max_messages`` messages.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

Message = dict[str, Any]


class HistoryCache:
    """client_id -> recent messages ({role, content, message_id, ts, html?, sources?})."""

    def __init__(self, max_clients: int, max_messages: int):
        self.max_clients, self.max_messages = max_clients, max_messages
        self._entries: OrderedDict[str, list[Message]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, client_id: str) -> list[Message] | None:
        """The cached messages (a copy), or None when the conversation was never loaded."""
        messages = self._entries.get(client_id)
        if messages is None:
            return None
        self._entries.move_to_end(client_id)
        return list(messages)

    def put(self, client_id: str, messages: list[Message]) -> None:
        """Replace the conversation with what the Space says."""
        if self.max_clients == 0:
            return
        self._entries[client_id] = list(messages[-self.max_messages :])
        self._entries.move_to_end(client_id)
        while len(self._entries) > self.max_clients:
            self._entries.popitem(last=False)

    def append(self, client_id: str, *messages: Message) -> None:
        """Add finished turns to a conversation already cached (else nothing: it would be partial)."""
        entry = self._entries.get(client_id)
        if entry is None:
            return
        entry.extend(messages)
        del entry[: -self.max_messages]
        self._entries.move_to_end(client_id)
