"""Conversations written by the first version: one diskcache directory
(``<data_dir>/conversations``) holding one message list per client id. :func:`import_v1` turns
each list into one conversation of its client (titled from its first question, current) in the
SQLite store, in one transaction, then keeps the old directory as ``conversations.v1-imported``.
"""

from __future__ import annotations

import json
from pathlib import Path

import diskcache

from plumberforce.stores.records import Message, new_conversation_id, title_from
from plumberforce.stores.sqlite import SQLiteFile


def import_v1(db: SQLiteFile, directory: Path) -> int:
    """Import ``directory`` into ``db`` (the conversations schema); how many clients."""
    imported = 0
    with diskcache.Cache(str(directory)) as legacy, db.transaction() as conn:
        for client_id in list(legacy.iterkeys()):
            raw = legacy.get(client_id, default=None)
            if not isinstance(client_id, str) or not raw:
                continue
            messages = [Message(**m) for m in raw]
            first = next((m.content for m in messages if m.role == "user"), "")
            conversation_id = new_conversation_id()
            conn.execute(
                "INSERT INTO conversations (client_id, conversation_id, title, created, updated, "
                "message_count, next_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    client_id,
                    conversation_id,
                    title_from(first),
                    messages[0].ts,
                    max(m.ts for m in messages),
                    len(messages),
                    len(messages),
                ),
            )
            conn.executemany(
                "INSERT INTO messages (client_id, conversation_id, seq, message_id, role, content, ts, meta) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (client_id, conversation_id, i, m.message_id, m.role, m.content, m.ts, json.dumps(m.meta))
                    for i, m in enumerate(messages)
                ],
            )
            conn.execute(
                "INSERT INTO clients (client_id, current) VALUES (?, ?) "
                "ON CONFLICT (client_id) DO UPDATE SET current = excluded.current",
                (client_id, conversation_id),
            )
            imported += 1
    directory.rename(directory.with_name(directory.name + ".v1-imported"))
    return imported
