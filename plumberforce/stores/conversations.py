"""Embedded conversations: a client's conversations and their messages in one SQLite file.

``<data_dir>/conversations.sqlite3`` (WAL; the schema and its operations are in
stores/conversation_tables.py): a turn is written in one transaction before the person is told
it is done, so a crash or restart never loses an acknowledged turn; several processes of one
machine may share the file (their turn locks are per process: for several replicas use a shared
store). Every call runs on the store's one thread, never on the event loop. Data written by the
first version is imported on first open (stores/conversations_v1.py).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from plumberforce.stores.blocking import BlockingIO
from plumberforce.stores.conversation_tables import ConversationTables, clean_title
from plumberforce.stores.conversations_v1 import import_v1
from plumberforce.stores.records import ConversationInfo, Message, Overview


class EmbeddedConversationStore:
    """See the module docstring and stores/contracts.py ``ConversationStore``."""

    def __init__(
        self, path: Path, max_messages: int = 200, idle_seconds: float = 30 * 86400, max_conversations: int = 50
    ):
        self._tables = ConversationTables(path, max_messages, idle_seconds, max_conversations)
        self._io = BlockingIO("conversations", workers=1)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.max_messages = max_messages

    # --- the async interface ------------------------------------------------------------------
    async def import_v1(self, directory: Path) -> int:
        """Import ``directory`` (the first version's layout) when it exists; how many clients."""
        if not (directory / "cache.db").is_file():
            return 0
        return await self._io.run(import_v1, self._tables.db, directory)

    async def overview(self, client_id: str) -> Overview:
        return await self._io.run(self._tables.overview, client_id)

    async def create(self, client_id: str, title: str = "") -> ConversationInfo:
        return await self._io.run(self._tables.create, client_id, clean_title(title) if title else "")

    async def select(self, client_id: str, conversation_id: str) -> ConversationInfo:
        return await self._io.run(self._tables.select, client_id, conversation_id)

    async def rename(self, client_id: str, conversation_id: str, title: str) -> ConversationInfo:
        return await self._io.run(self._tables.rename, client_id, conversation_id, clean_title(title))

    async def delete(self, client_id: str, conversation_id: str | None = None) -> bool:
        return await self._io.run(self._tables.delete, client_id, conversation_id)

    async def get(self, client_id: str, conversation_id: str | None = None) -> list[Message]:
        return await self._io.run(self._tables.get, client_id, conversation_id)

    async def turn_history(
        self, client_id: str, conversation_id: str | None = None
    ) -> tuple[str | None, list[Message]]:
        return await self._io.run(self._tables.turn_history, client_id, conversation_id)

    async def append(
        self,
        client_id: str,
        messages: Sequence[Message],
        conversation_id: str | None = None,
        replace_last: int = 0,
    ) -> str:
        return await self._io.run(self._tables.append, client_id, list(messages), conversation_id, replace_last)

    async def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        return await self._io.run(self._tables.find, client_id, message_id)

    async def count(self) -> int:
        return await self._io.run(self._tables.count)

    async def expire(self) -> int:
        """Purge idle conversations now; returns how many."""

        def purge() -> int:
            with self._tables.db.transaction() as conn:
                return self._tables.purge(conn)

        return await self._io.run(purge)

    @asynccontextmanager
    async def lock(self, client_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(client_id)
        if lock is None:
            lock = self._locks[client_id] = asyncio.Lock()
        async with lock:
            yield

    async def aclose(self) -> None:
        self._io.shutdown()
        self._tables.close()
