"""Request records for diagnostics: a ring of the last N requests plus running totals.

SQLite file ``<data_dir>/requests.sqlite3``; every record and its totals are written in one
transaction, on the store's one thread (never on the event loop), so both survive restarts and
crashes of the process (no fsync per record: the WAL guarantees survival of a process crash,
which is what diagnostics need). Request records stay per replica, whatever the other stores
are: ``/metrics`` and Diagnostics describe this process. An in-memory mirror of the ring and of the
totals (loaded at open) serves every read: reading diagnostics never scans the table and never
waits on the disk, whatever the number of requests served.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, fields
from pathlib import Path

from plumberforce.stores.blocking import BlockingIO
from plumberforce.stores.records import RequestRecord
from plumberforce.stores.sqlite import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    client_id TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    cached INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    ttft_ms REAL,
    question_chars INTEGER NOT NULL,
    answer_chars INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS totals (key TEXT PRIMARY KEY, value REAL NOT NULL)
"""
FIELDS = [f.name for f in fields(RequestRecord)]
TRIM_EVERY = 200
# Built from constants only (no outside input reaches the SQL text).
SELECT_RECENT = f"SELECT {', '.join(FIELDS)} FROM requests ORDER BY id DESC LIMIT ?"  # noqa: S608
INSERT = f"INSERT INTO requests ({', '.join(FIELDS)}) VALUES ({', '.join(':' + f for f in FIELDS)})"  # noqa: S608


def total_keys(record: RequestRecord) -> list[tuple[str, float]]:
    """The running totals a record adds to."""
    return [
        ("requests", 1),
        (f"requests|engine={record.engine}", 1),
        (f"outcome|{record.outcome}", 1),
        ("cache_hits" if record.cached else "cache_misses", 1),
        ("latency_ms_sum", record.latency_ms),
        ("answer_chars_sum", record.answer_chars),
    ]


class EmbeddedRequestLog:
    """The last ``ring_size`` request records and the totals since the store was created."""

    def __init__(self, path: Path, ring_size: int = 2000):
        self.ring_size = ring_size
        self._io = BlockingIO("requests", workers=1)
        self._db = SQLiteFile(path, SCHEMA, synchronous="NORMAL")
        self._lock = threading.Lock()
        rows = self._db.query(SELECT_RECENT, (ring_size,))
        self._ring: deque[RequestRecord] = deque(
            (RequestRecord(**{**dict(r), "cached": bool(r["cached"])}) for r in reversed(rows)),
            maxlen=ring_size,
        )
        self._totals = {r["key"]: r["value"] for r in self._db.query("SELECT key, value FROM totals")}
        self._since_trim = 0

    async def add(self, record: RequestRecord) -> None:
        await self._io.run(self._write, record)
        with self._lock:
            self._ring.append(record)
            for key, value in total_keys(record):
                self._totals[key] = self._totals.get(key, 0) + value

    def _write(self, record: RequestRecord) -> None:
        row = asdict(record)
        row["cached"] = int(record.cached)
        with self._db.transaction() as conn:
            conn.execute(INSERT, row)
            conn.executemany(
                "INSERT INTO totals (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                total_keys(record),
            )
            self._since_trim += 1
            if self._since_trim >= TRIM_EVERY:
                conn.execute("DELETE FROM requests WHERE id <= (SELECT MAX(id) FROM requests) - ?", (self.ring_size,))
                self._since_trim = 0

    def recent(self) -> list[RequestRecord]:
        """The ring, oldest first (a copy)."""
        with self._lock:
            return list(self._ring)

    def totals(self) -> dict[str, float]:
        with self._lock:
            return dict(self._totals)

    async def aclose(self) -> None:
        self._io.shutdown()
        self._db.close()
