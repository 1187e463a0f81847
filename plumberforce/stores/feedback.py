"""Feedback records: one per (client, message), replaced by newer ratings, never duplicated.

SQLite file ``<data_dir>/feedback.sqlite3``. A record keeps the question and the answer it rates,
the engine, model and knowledge-base topic of the answer, the 1-5 rating and/or the thumb, an
optional comment and its timestamps. A newer rating replaces the rating, a newer thumb the thumb,
a newer comment the comment (``None`` leaves a field as it was).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

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
COLUMNS = [
    "message_id",
    "client_id",
    "question",
    "answer",
    "engine",
    "model",
    "topic",
    "rating",
    "thumb",
    "comment",
    "ts",
    "updated",
]

# Built from constants only (no outside input reaches the SQL text).
SELECT_ALL = f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY ts, message_id"  # noqa: S608
SELECT_ONE = f"SELECT {', '.join(COLUMNS)} FROM feedback WHERE client_id = ? AND message_id = ?"  # noqa: S608


@dataclass(frozen=True)
class FeedbackRecord:
    """What one person thought of one answer."""

    message_id: str
    client_id: str
    question: str
    answer: str
    engine: str
    model: str
    topic: str | None
    rating: int | None
    thumb: str | None
    comment: str
    ts: float
    updated: float

    def public(self) -> dict:
        return asdict(self)


class FeedbackStore:
    """Feedback records in SQLite; :meth:`frame` gives them to pandas."""

    def __init__(self, path: Path):
        self._db = SQLiteFile(path, SCHEMA)
        self.version = 0  # bumped on every write, so readers can cache summaries

    def save(
        self,
        *,
        client_id: str,
        message_id: str,
        question: str,
        answer: str,
        engine: str,
        model: str,
        topic: str | None,
        rating: int | None = None,
        thumb: str | None = None,
        comment: str | None = None,
    ) -> FeedbackRecord:
        """Insert or update the record of (client_id, message_id); return it as stored."""
        now = time.time()
        with self._db.transaction() as conn:
            conn.execute(
                """
                INSERT INTO feedback (client_id, message_id, question, answer, engine, model, topic,
                                      rating, thumb, comment, ts, updated)
                VALUES (:client_id, :message_id, :question, :answer, :engine, :model, :topic,
                        :rating, :thumb, COALESCE(:comment, ''), :now, :now)
                ON CONFLICT (client_id, message_id) DO UPDATE SET
                    rating = COALESCE(excluded.rating, feedback.rating),
                    thumb = COALESCE(excluded.thumb, feedback.thumb),
                    comment = CASE WHEN :comment IS NULL THEN feedback.comment ELSE excluded.comment END,
                    updated = excluded.updated
                """,
                {
                    "client_id": client_id,
                    "message_id": message_id,
                    "question": question,
                    "answer": answer,
                    "engine": engine,
                    "model": model,
                    "topic": topic,
                    "rating": rating,
                    "thumb": thumb,
                    "comment": comment,
                    "now": now,
                },
            )
            row = conn.execute(
                SELECT_ONE,
                (client_id, message_id),
            ).fetchone()
        self.version += 1
        return FeedbackRecord(**dict(row))

    def get(self, client_id: str, message_id: str) -> FeedbackRecord | None:
        rows = self._db.query(
            SELECT_ONE,
            (client_id, message_id),
        )
        return FeedbackRecord(**dict(rows[0])) if rows else None

    def count(self) -> int:
        return int(self._db.query("SELECT COUNT(*) FROM feedback")[0][0])

    def frame(self) -> pd.DataFrame:
        """Every record, oldest first, as a DataFrame with the columns of :data:`COLUMNS`."""
        rows = self._db.query(SELECT_ALL)
        frame = pd.DataFrame([dict(r) for r in rows], columns=COLUMNS)
        frame["rating"] = frame["rating"].astype("Int64")
        return frame

    def close(self) -> None:
        self._db.close()
