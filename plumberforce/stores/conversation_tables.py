"""The conversations schema in SQLite and its operations (blocking: run them off the event loop).

Tables: ``clients`` (the current conversation of each client), ``conversations`` (title,
created, updated, message count) and ``messages`` (ordered by ``seq`` within a conversation).
Every operation is one transaction. A conversation idle longer than ``idle_seconds`` is
invisible at once and purged every few hundred writes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from plumberforce.errors import InputError, NotFound
from plumberforce.stores.records import ConversationInfo, Message, Overview, new_conversation_id, title_from
from plumberforce.stores.sqlite import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, current TEXT);
CREATE TABLE IF NOT EXISTS conversations (
    client_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    next_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, conversation_id)
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated);
CREATE TABLE IF NOT EXISTS messages (
    client_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    ts REAL NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (client_id, conversation_id, seq)
);
CREATE INDEX IF NOT EXISTS messages_id ON messages (client_id, message_id)
"""
INFO = "SELECT conversation_id, title, created, updated, message_count FROM conversations"
PURGE_EVERY = 500
UNKNOWN = ("Unknown conversation_id for this client_id.", "conversation_id sconosciuto per questo client_id.")


def clean_title(title: object) -> str:
    if not isinstance(title, str) or not title.strip():
        raise InputError("The title must be non-empty text.", "Il titolo deve essere un testo non vuoto.")
    title = " ".join(title.split())
    if len(title) > 120:
        raise InputError(
            f"The title is too long: {len(title)} characters, the limit is 120.",
            f"Il titolo è troppo lungo: {len(title)} caratteri, il limite è 120.",
        )
    return title


def _info(row: sqlite3.Row) -> ConversationInfo:
    return ConversationInfo(row[0], row[1], row[2], row[3], row[4])


def _message(row: sqlite3.Row) -> Message:
    return Message(row["role"], row["content"], row["message_id"], row["ts"], json.loads(row["meta"]))


class ConversationTables:
    """The blocking operations of the embedded conversation store on one SQLite file."""

    def __init__(
        self, path: Path, max_messages: int = 200, idle_seconds: float = 30 * 86400, max_conversations: int = 50
    ):
        self._db = SQLiteFile(path, SCHEMA, synchronous="NORMAL")
        self.max_messages = max_messages
        self.idle_seconds = idle_seconds
        self.max_conversations = max_conversations
        self._writes = 0

    def _cutoff(self) -> float:
        return time.time() - self.idle_seconds

    def _live(self, conn: sqlite3.Connection, client_id: str, conversation_id: str) -> bool:
        row = conn.execute(
            "SELECT 1 FROM conversations WHERE client_id = ? AND conversation_id = ? AND updated >= ?",
            (client_id, conversation_id, self._cutoff()),
        ).fetchone()
        return row is not None

    def _current(self, conn: sqlite3.Connection, client_id: str) -> str | None:
        row = conn.execute("SELECT current FROM clients WHERE client_id = ?", (client_id,)).fetchone()
        current = row[0] if row else None
        if current and self._live(conn, client_id, current):
            return current
        return None

    def _resolve(self, conn: sqlite3.Connection, client_id: str, conversation_id: str | None) -> str | None:
        if conversation_id is None:
            return self._current(conn, client_id)
        if not self._live(conn, client_id, conversation_id):
            raise NotFound(*UNKNOWN)
        return conversation_id

    def _set_current(self, conn: sqlite3.Connection, client_id: str, conversation_id: str | None) -> None:
        conn.execute(
            "INSERT INTO clients (client_id, current) VALUES (?, ?) "
            "ON CONFLICT (client_id) DO UPDATE SET current = excluded.current",
            (client_id, conversation_id),
        )

    def _one(self, conn: sqlite3.Connection, client_id: str, conversation_id: str) -> ConversationInfo:
        row = conn.execute(
            INFO + " WHERE client_id = ? AND conversation_id = ?", (client_id, conversation_id)
        ).fetchone()
        return _info(row)

    def _new(self, conn: sqlite3.Connection, client_id: str, title: str, now: float) -> str:
        conversation_id = new_conversation_id()
        conn.execute(
            "INSERT INTO conversations (client_id, conversation_id, title, created, updated) VALUES (?, ?, ?, ?, ?)",
            (client_id, conversation_id, title, now, now),
        )
        self._set_current(conn, client_id, conversation_id)
        extra = conn.execute(
            "SELECT conversation_id FROM conversations WHERE client_id = ? ORDER BY updated DESC LIMIT -1 OFFSET ?",
            (client_id, self.max_conversations),
        ).fetchall()
        for (old,) in extra:
            self._drop(conn, client_id, old)
        return conversation_id

    def _drop(self, conn: sqlite3.Connection, client_id: str, conversation_id: str) -> None:
        conn.execute("DELETE FROM messages WHERE client_id = ? AND conversation_id = ?", (client_id, conversation_id))
        conn.execute(
            "DELETE FROM conversations WHERE client_id = ? AND conversation_id = ?", (client_id, conversation_id)
        )

    def overview(self, client_id: str) -> Overview:
        with self._db.transaction() as conn:
            rows = conn.execute(
                INFO + " WHERE client_id = ? AND updated >= ? ORDER BY updated DESC, created DESC",
                (client_id, self._cutoff()),
            ).fetchall()
            return Overview(self._current(conn, client_id), [_info(r) for r in rows])

    def create(self, client_id: str, title: str) -> ConversationInfo:
        with self._db.transaction() as conn:
            return self._one(conn, client_id, self._new(conn, client_id, title, time.time()))

    def select(self, client_id: str, conversation_id: str) -> ConversationInfo:
        with self._db.transaction() as conn:
            self._resolve(conn, client_id, conversation_id)
            self._set_current(conn, client_id, conversation_id)
            return self._one(conn, client_id, conversation_id)

    def rename(self, client_id: str, conversation_id: str, title: str) -> ConversationInfo:
        with self._db.transaction() as conn:
            self._resolve(conn, client_id, conversation_id)
            conn.execute(
                "UPDATE conversations SET title = ? WHERE client_id = ? AND conversation_id = ?",
                (title, client_id, conversation_id),
            )
            return self._one(conn, client_id, conversation_id)

    def delete(self, client_id: str, conversation_id: str | None) -> bool:
        with self._db.transaction() as conn:
            current = self._current(conn, client_id)
            target = current if conversation_id is None else conversation_id
            if target is None or not self._live(conn, client_id, target):
                return False
            self._drop(conn, client_id, target)
            if target == current:
                row = conn.execute(
                    "SELECT conversation_id FROM conversations WHERE client_id = ? AND updated >= ? "
                    "ORDER BY updated DESC LIMIT 1",
                    (client_id, self._cutoff()),
                ).fetchone()
                self._set_current(conn, client_id, row[0] if row else None)
            return True

    def get(self, client_id: str, conversation_id: str | None) -> list[Message]:
        with self._db.transaction() as conn:
            target = self._resolve(conn, client_id, conversation_id)
            return self._messages(conn, client_id, target) if target is not None else []

    def turn_history(self, client_id: str, conversation_id: str | None) -> tuple[str | None, list[Message]]:
        with self._db.transaction() as conn:
            target = self._resolve(conn, client_id, conversation_id)
            if conversation_id is not None:
                self._set_current(conn, client_id, conversation_id)
            return target, self._messages(conn, client_id, target) if target is not None else []

    def _messages(self, conn: sqlite3.Connection, client_id: str, conversation_id: str) -> list[Message]:
        rows = conn.execute(
            "SELECT message_id, role, content, ts, meta FROM messages "
            "WHERE client_id = ? AND conversation_id = ? ORDER BY seq",
            (client_id, conversation_id),
        ).fetchall()
        return [_message(r) for r in rows]

    def append(self, client_id: str, messages: Sequence[Message], conversation_id: str | None, replace: int) -> str:
        now = time.time()
        with self._db.transaction() as conn:
            target = self._resolve(conn, client_id, conversation_id)
            if target is None:
                first = next((m.content for m in messages if m.role == "user"), "")
                target = self._new(conn, client_id, title_from(first), now)
            if replace:
                conn.execute(
                    "DELETE FROM messages WHERE client_id = ? AND conversation_id = ? AND seq IN "
                    "(SELECT seq FROM messages WHERE client_id = ? AND conversation_id = ? ORDER BY seq DESC LIMIT ?)",
                    (client_id, target, client_id, target, replace),
                )
            seq = conn.execute(
                "SELECT next_seq FROM conversations WHERE client_id = ? AND conversation_id = ?", (client_id, target)
            ).fetchone()[0]
            conn.executemany(
                "INSERT INTO messages (client_id, conversation_id, seq, message_id, role, content, ts, meta) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (client_id, target, seq + i, m.message_id, m.role, m.content, m.ts, json.dumps(m.meta))
                    for i, m in enumerate(messages)
                ],
            )
            seq += len(messages)
            conn.execute(
                "DELETE FROM messages WHERE client_id = ? AND conversation_id = ? AND seq < ?",
                (client_id, target, seq - self.max_messages),
            )
            count = conn.execute(
                "SELECT COUNT(*) FROM messages WHERE client_id = ? AND conversation_id = ?", (client_id, target)
            ).fetchone()[0]
            first = next((m.content for m in messages if m.role == "user"), "")
            conn.execute(
                "UPDATE conversations SET next_seq = ?, message_count = ?, updated = ?, "
                "title = CASE WHEN title = '' THEN ? ELSE title END WHERE client_id = ? AND conversation_id = ?",
                (seq, count, now, title_from(first), client_id, target),
            )
            self._writes += 1
            if self._writes % PURGE_EVERY == 0:
                self.purge(conn)
            return target

    def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT m.conversation_id, m.seq FROM messages m JOIN conversations c "
                "ON c.client_id = m.client_id AND c.conversation_id = m.conversation_id "
                "WHERE m.client_id = ? AND m.message_id = ? AND c.updated >= ?",
                (client_id, message_id, self._cutoff()),
            ).fetchone()
            if row is None:
                return None, None
            rows = conn.execute(
                "SELECT message_id, role, content, ts, meta, seq FROM messages "
                "WHERE client_id = ? AND conversation_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 2",
                (client_id, row[0], row[1]),
            ).fetchall()
            return _message(rows[0]), _message(rows[1]) if len(rows) > 1 else None

    def count(self) -> int:
        rows = self._db.query("SELECT COUNT(*) FROM conversations WHERE updated >= ?", (self._cutoff(),))
        return int(rows[0][0])

    def purge(self, conn: sqlite3.Connection) -> int:
        cutoff = self._cutoff()
        conn.execute(
            "DELETE FROM messages WHERE (client_id, conversation_id) IN "
            "(SELECT client_id, conversation_id FROM conversations WHERE updated < ?)",
            (cutoff,),
        )
        return conn.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,)).rowcount

    @property
    def db(self) -> SQLiteFile:
        return self._db

    def close(self) -> None:
        self._db.close()
