"""Embedded feedback records: one per (client, message), replaced by newer ratings, never duplicated.

SQLite file ``<data_dir>/feedback.sqlite3``. A record keeps the question and the answer it rates,
the engine, model and knowledge-base topic of the answer, the 1-5 rating and/or the thumb, an
optional comment and its timestamps. A newer rating replaces the rating, a newer thumb the thumb,
a newer comment the comment (``None`` leaves a field as it was). Every call runs on the store's
one thread (writes keep their order), never on the event loop.
"""

from __future__ import annotations

import time
from pathlib import Path

from plumberforce.stores.blocking import BlockingIO
from plumberforce.stores.records import FEEDBACK_COLUMNS, FeedbackRecord, Rating
from plumberforce.stores.sqlite import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    client_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    topic TEXT,
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    thumb TEXT CHECK (thumb IS NULL OR thumb IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    ts REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (client_id, message_id)
);
CREATE INDEX IF NOT EXISTS feedback_updated ON feedback (updated)
"""
# Columns added after the first version, added to an older file when it is opened.
ADDED_COLUMNS = {"article": "ALTER TABLE feedback ADD COLUMN article TEXT"}


# Built from constants only (no outside input reaches the SQL text).
SELECT_ALL = f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM feedback ORDER BY ts, message_id"  # noqa: S608
SELECT_CLIENT = f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM feedback WHERE client_id = ? ORDER BY ts, message_id"  # noqa: S608
SELECT_ONE = f"SELECT {', '.join(FEEDBACK_COLUMNS)} FROM feedback WHERE client_id = ? AND message_id = ?"  # noqa: S608


class EmbeddedFeedbackStore:
    """Feedback records in SQLite; see the module docstring and stores/contracts.py."""

    def __init__(self, path: Path):
        self._db = SQLiteFile(path, SCHEMA)
        self._io = BlockingIO("feedback", workers=1)
        present = {row[1] for row in self._db.query("PRAGMA table_info(feedback)")}
        with self._db.transaction() as conn:
            for column, statement in ADDED_COLUMNS.items():
                if column not in present:
                    conn.execute(statement)

    def _save(self, r: Rating) -> FeedbackRecord:
        now = time.time()
        with self._db.transaction() as conn:
            conn.execute(
                """
                INSERT INTO feedback (client_id, message_id, question, answer, engine, model, topic,
                                      rating, thumb, comment, ts, updated, article)
                VALUES (:client_id, :message_id, :question, :answer, :engine, :model, :topic,
                        :rating, :thumb, COALESCE(:comment, ''), :now, :now, :article)
                ON CONFLICT (client_id, message_id) DO UPDATE SET
                    rating = COALESCE(excluded.rating, feedback.rating),
                    thumb = COALESCE(excluded.thumb, feedback.thumb),
                    comment = CASE WHEN :comment IS NULL THEN feedback.comment ELSE excluded.comment END,
                    updated = excluded.updated
                """,
                {**r.__dict__, "now": now},
            )
            row = conn.execute(SELECT_ONE, (r.client_id, r.message_id)).fetchone()
        return FeedbackRecord(**dict(row))

    def _get(self, client_id: str, message_id: str) -> FeedbackRecord | None:
        rows = self._db.query(SELECT_ONE, (client_id, message_id))
        return FeedbackRecord(**dict(rows[0])) if rows else None

    def _records(self, client_id: str | None) -> list[FeedbackRecord]:
        rows = self._db.query(SELECT_ALL) if client_id is None else self._db.query(SELECT_CLIENT, (client_id,))
        return [FeedbackRecord(**dict(r)) for r in rows]

    async def save(self, rating: Rating) -> FeedbackRecord:
        """Insert or update the record of (client_id, message_id); return it as stored."""
        return await self._io.run(self._save, rating)

    async def get(self, client_id: str, message_id: str) -> FeedbackRecord | None:
        return await self._io.run(self._get, client_id, message_id)

    async def records(self, client_id: str | None = None) -> list[FeedbackRecord]:
        return await self._io.run(self._records, client_id)

    async def count(self) -> int:
        return int((await self._io.run(self._db.query, "SELECT COUNT(*) FROM feedback"))[0][0])

    async def aclose(self) -> None:
        self._io.shutdown()
        self._db.close()
