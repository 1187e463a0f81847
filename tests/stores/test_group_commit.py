"""GroupCommitIO: calls that wait meanwhile share one commit; a failing call leaves nothing."""

from __future__ import annotations

import asyncio
import threading

import pytest

from plumberforce.stores.blocking import GroupCommitIO
from plumberforce.stores.sqlite import SQLiteFile

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"


def _insert(db: SQLiteFile, key: str, value: int) -> int:
    with db.transaction() as conn:
        conn.execute("INSERT INTO t (k, v) VALUES (?, ?)", (key, value))
        if value < 0:
            raise ValueError(key)
    return value


def test_a_group_commits_all_but_the_failing_call(tmp_path):
    asyncio.run(_group(tmp_path))


async def _group(tmp_path) -> None:
    db = SQLiteFile(tmp_path / "g.sqlite3", SCHEMA, synchronous="NORMAL")
    io = GroupCommitIO("test", db)
    hold, started = threading.Event(), threading.Event()

    def blocker() -> str:
        started.set()
        hold.wait(10)
        return "first"

    try:
        first = asyncio.ensure_future(io.run(blocker))
        await asyncio.to_thread(started.wait, 10)
        calls = [asyncio.ensure_future(io.run(_insert, db, f"k{i}", -1 if i == 3 else i)) for i in range(6)]
        await asyncio.sleep(0)  # one loop pass: each call is queued while the thread is held (one group)
        waiting = asyncio.gather(*calls, return_exceptions=True)
        hold.set()
        assert await first == "first"
        results = await waiting
        assert results[:3] == [0, 1, 2] and results[4:] == [4, 5]
        assert isinstance(results[3], ValueError)
        rows = db.query("SELECT k FROM t ORDER BY v")
        assert [r["k"] for r in rows] == ["k0", "k1", "k2", "k4", "k5"]
    finally:
        io.shutdown()
        db.close()


def test_nested_transactions_roll_back_only_their_own_writes(tmp_path):
    db = SQLiteFile(tmp_path / "n.sqlite3", SCHEMA)
    with db.transaction() as conn:
        conn.execute("INSERT INTO t VALUES ('outer', 1)")
        with pytest.raises(ValueError):
            _insert(db, "inner", -1)
        _insert(db, "kept", 2)
    assert [r["k"] for r in db.query("SELECT k FROM t ORDER BY v")] == ["outer", "kept"]
    db.close()
