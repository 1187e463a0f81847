"""BlockingIO: calls run off the event loop, in order with one worker, each caller gets its own
result or exception, and under load a thread at work takes the waiting calls (no hop each)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from plumberforce.stores.blocking import BlockingIO


def test_calls_run_in_order_off_the_loop_and_share_thread_hops() -> None:
    async def main() -> None:
        io = BlockingIO("test", workers=1)
        started = 0
        submit = io._pool.submit

        def counting_submit(*args):
            nonlocal started
            started += 1
            return submit(*args)

        io._pool.submit = counting_submit  # type: ignore[method-assign]
        order: list[int] = []
        threads: set[int] = set()

        def work(i: int) -> int:
            threads.add(threading.get_ident())
            time.sleep(0.001)  # a small disk write
            order.append(i)
            if i % 7 == 3:
                raise ValueError(i)
            return i * i

        results = await asyncio.gather(*(io.run(work, i) for i in range(50)), return_exceptions=True)
        for i, result in enumerate(results):
            assert (isinstance(result, ValueError) and result.args == (i,)) if i % 7 == 3 else result == i * i
        assert order == list(range(50)) and threading.get_ident() not in threads
        assert started < 10  # the thread at work took the calls that waited: not one hop per call
        assert await io.run(work, 1) == 1  # alone again: a call starts a thread at once
        io.shutdown()
        with pytest.raises(RuntimeError):
            await io.run(work, 2)

    asyncio.run(main())


def test_a_cancelled_call_that_has_not_started_never_runs() -> None:
    async def main() -> None:
        io = BlockingIO("test", workers=1)
        gate = threading.Event()
        ran: list[str] = []
        first = asyncio.ensure_future(io.run(lambda: gate.wait(5) and ran.append("first")))
        second = asyncio.ensure_future(io.run(lambda: ran.append("second")))
        await asyncio.sleep(0.05)
        second.cancel()
        gate.set()
        await first
        with pytest.raises(asyncio.CancelledError):
            await second
        assert await io.run(lambda: "after") == "after" and ran == ["first"]
        io.shutdown()

    asyncio.run(main())
