"""What only the embedded stores promise: several handles on one directory share the data, the
data survives reopening, and no call blocks the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from plumberforce.stores.conversations import EmbeddedConversationStore
from plumberforce.stores.records import Message, RequestRecord
from plumberforce.stores.request_log import EmbeddedRequestLog


def test_two_handles_on_one_directory_see_each_other(tmp_path: Path) -> None:
    async def main() -> None:
        path = tmp_path / "conversations.sqlite3"
        first, second = EmbeddedConversationStore(path), EmbeddedConversationStore(path)
        await first.append("shared", [Message("user", "q")])
        await second.append("shared", [Message("assistant", "a")])
        assert [m.content for m in await first.get("shared")] == ["q", "a"]
        await first.aclose()
        await second.aclose()

    asyncio.run(main())


def test_request_records_survive_reopening(tmp_path: Path) -> None:
    async def main() -> None:
        log = EmbeddedRequestLog(tmp_path / "r.sqlite3", ring_size=5)
        for i in range(7):
            await log.add(RequestRecord(float(i), "c", "offline", "m", False, 1.0, None, 1, 1, "ok", "it"))
        await log.aclose()
        again = EmbeddedRequestLog(tmp_path / "r.sqlite3", ring_size=5)
        assert [r.ts for r in again.recent()] == [2.0, 3.0, 4.0, 5.0, 6.0] and again.totals()["requests"] == 7
        await again.aclose()

    asyncio.run(main())


def test_store_calls_run_off_the_event_loop(tmp_path: Path) -> None:
    """The event loop keeps ticking while the store works: the file I/O runs in the store's threads."""

    async def main() -> None:
        store = EmbeddedConversationStore(tmp_path / "c.sqlite3")
        loop_thread = threading.get_ident()
        seen: list[int] = []
        original = store._tables.append  # the blocking part

        def spy(*args):
            seen.append(threading.get_ident())
            time.sleep(0.05)  # a slow disk
            return original(*args)

        store._tables.append = spy  # type: ignore[method-assign]
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        task = asyncio.create_task(ticker())
        await asyncio.gather(*(store.append(f"c{i}", [Message("user", "q")]) for i in range(4)))
        task.cancel()
        assert seen and loop_thread not in seen
        assert ticks >= 5  # the loop ran while four 50 ms writes were under way (one after another)
        await store.aclose()

    asyncio.run(main())
