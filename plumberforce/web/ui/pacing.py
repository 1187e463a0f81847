"""How often a Gradio stream sends an update: the UI's pacing, not the chat's.

Each update costs the Gradio queue a diff, a postprocess and a send for every open stream, so
fewer, larger messages let one process serve many more concurrent chats. The first text leaves
at once (time to first chunk is untouched); later text is held until the stream's interval has
passed, and flushed before the Done event. The interval grows with the number of running chats
so that all streams together stay within a budget of updates per second.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

from plumberforce.chat.events import ChatEvent, Delta


def update_interval(active: int, base: float, updates_per_second: float) -> float:
    """Seconds between two updates of one stream: ``base``, longer when ``active`` chats stream,
    so that all streams together send about ``updates_per_second`` updates."""
    if updates_per_second <= 0:
        return base
    return max(base, active / updates_per_second)


async def coalesce(events: AsyncIterator[ChatEvent], interval: Callable[[], float]) -> AsyncIterator[ChatEvent]:
    """Merge Deltas so that at most one leaves every ``interval()`` seconds (the first at once)."""
    pending: list[str] = []
    last_sent = float("-inf")
    async for event in events:
        if isinstance(event, Delta):
            pending.append(event.text)
            now = time.monotonic()
            if now - last_sent >= interval():
                yield Delta("".join(pending))
                pending.clear()
                last_sent = now
        else:
            if pending:
                yield Delta("".join(pending))
                pending.clear()
            yield event
