"""A small SQLite helper for the record stores (feedback, request records).

One database file per store in the data directory, WAL journal, a busy timeout so several
processes of one machine can share the file. With ``synchronous="FULL"`` a committed write
survives a crash of the machine; with ``"NORMAL"`` (no fsync per commit, for high-rate records
such as request diagnostics) it survives a crash of the process, which is what WAL guarantees.
Each call opens its transaction and commits it
before returning: no half-written record is ever visible.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SQLiteFile:
    """A thread-safe connection to one SQLite file, with ``schema`` applied on open."""

    def __init__(self, path: Path, schema: str, synchronous: str = "FULL"):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        self._conn.execute(f"PRAGMA synchronous={synchronous}")
        self._conn.execute("PRAGMA busy_timeout=30000")
        integrity = self._conn.execute("PRAGMA quick_check").fetchone()[0]
        if integrity != "ok":
            raise sqlite3.DatabaseError(f"{path}: integrity check failed: {integrity}")
        with self.transaction() as conn:
            for statement in _statements(schema):
                conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error), serialised in-process."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _statements(schema: str) -> list[str]:
    return [s.strip() for s in schema.split(";") if s.strip()]
