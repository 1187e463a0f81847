"""A bounded per-client cache of the current conversation, so a reconnecting page gets its
history at once even while the Space is slow to wake (the Space stays the source of truth).

An entry exists only once the conversation was read from the Space (or reset, started or
switched through it), so the cache never shows a partial conversation as if it were whole;
finished answers are appended to the entry of their conversation (an answer to another
conversation than the cached one is not). Least recently used clients fall out past
``max_clients``; each keeps its last ``max_messages`` messages.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

Message = dict[str, Any]


@dataclass
class _Entry:
    messages: list[Message]
    conversation_id: str | None  # None: the Space's current one, id not known


class HistoryCache:
    """client_id -> recent messages ({role, content, message_id, ts, html?, sources?}) of the
    client's current conversation."""

    def __init__(self, max_clients: int, max_messages: int):
        self.max_clients, self.max_messages = max_clients, max_messages
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, client_id: str) -> list[Message] | None:
        """The cached messages (a copy), or None when the conversation was never loaded."""
        entry = self._entries.get(client_id)
        if entry is None:
            return None
        self._entries.move_to_end(client_id)
        return list(entry.messages)

    def conversation(self, client_id: str) -> str | None:
        """The id of the cached conversation, when known."""
        entry = self._entries.get(client_id)
        return entry.conversation_id if entry else None

    def put(self, client_id: str, messages: list[Message], conversation_id: str | None = None) -> None:
        """Replace the conversation with what the Space says."""
        if self.max_clients == 0:
            return
        self._entries[client_id] = _Entry(list(messages[-self.max_messages :]), conversation_id)
        self._entries.move_to_end(client_id)
        while len(self._entries) > self.max_clients:
            self._entries.popitem(last=False)

    def forget(self, client_id: str) -> None:
        self._entries.pop(client_id, None)

    def _entry_for(self, client_id: str, conversation_id: str | None) -> _Entry | None:
        entry = self._entries.get(client_id)
        if entry is None:
            return None
        if conversation_id is not None and entry.conversation_id not in (None, conversation_id):
            return None  # the answer belongs to another conversation than the cached one
        if conversation_id is not None:
            entry.conversation_id = conversation_id
        self._entries.move_to_end(client_id)
        return entry

    def append(self, client_id: str, *messages: Message, conversation_id: str | None = None) -> None:
        """Add finished turns to a conversation already cached (else nothing: it would be partial)."""
        entry = self._entry_for(client_id, conversation_id)
        if entry is None:
            return
        entry.messages.extend(messages)
        del entry.messages[: -self.max_messages]

    def replace_last(self, client_id: str, message: Message, conversation_id: str | None = None) -> None:
        """A regenerated answer replaces the cached last answer (when the cache has it)."""
        entry = self._entry_for(client_id, conversation_id)
        if entry is None or not entry.messages or entry.messages[-1].get("role") != "assistant":
            return
        entry.messages[-1] = message
