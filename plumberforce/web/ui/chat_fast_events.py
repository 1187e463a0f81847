"""One ``/chat`` event served past Gradio's queue: the messages Gradio would send, in its queue.

Gradio's queue runs a ``/chat`` event as ``process_events``: ``process_starts``, then one
``call_process_api`` pass per update (``process_api``: the outputs, diffed against the previous
update by ``utils.diff``, timed, ``BlockFunction.total_runtime`` counted), one
``process_generating`` message each, and ``process_completed`` with the last full outputs (or
``utils.error_payload`` of the error, shaped differently for an error before the first update
and after it). :class:`FastChat` sends the same messages, built from the same models and functions,
into the session's message queue; Gradio's own ``queue/data`` delivers them.

What cannot be identical: event ids (fresh uuid4 hex, as Gradio's) and the timings (``duration``,
``average_duration``, ``eta``: measured the same way, on a path that takes less time). Not done
for these events: Gradio's analytics record (we do not enable its dashboard), the run history
(recorded only to a configured Hub bucket, none here), ``event_ids_to_events`` (read by the
``/call/{api_name}/{event_id}`` route only, which ``queue/join`` callers do not use).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from gradio import utils
from gradio.server_messages import (
    EstimationMessage,
    ProcessCompletedMessage,
    ProcessGeneratingMessage,
    ProcessStartsMessage,
)

from plumberforce.errors import PlumberforceError
from plumberforce.web.ui.handler_errors import as_gradio_error

log = logging.getLogger(__name__)


@dataclass(eq=False)
class FastChat:
    """One event: its ids, its updates (``chat_updates``), and where its messages go."""

    event_id: str
    session_hash: str
    updates: AsyncIterator[tuple[str, dict[str, Any]]]
    queue: Any  # gradio.queueing.Queue
    fn: Any  # gradio.block_function.BlockFunction
    show_error: bool
    alive: bool = field(default=True)

    def send(self, message: Any) -> None:
        """``Queue.send_message``: into the session's queue (gone: the client left, stop)."""
        if not self.alive:
            return
        message.event_id = self.event_id
        try:
            self.queue.pending_messages_per_session[self.session_hash].put_nowait(message)
        except KeyError:  # queue/data deleted it (its client went away) or the LRU evicted it
            self.alive = False

    def eta(self) -> float | None:
        times = self.queue.process_time_per_fn
        return times[self.fn].avg_time if self.fn in times else None

    def estimate(self) -> None:
        """What ``Queue.push`` sends a new event (``broadcast_estimations``), first in an empty queue."""
        self.send(EstimationMessage(rank=0, queue_size=1, rank_eta=self.eta()))

    def output(self, data: list[Any], duration: float, generating: bool) -> dict[str, Any]:
        """``process_api``'s result for one update, with the function's run time counted."""
        fn = self.fn
        fn.total_runtime += duration
        fn.total_runs += 1
        return {
            "data": data,
            "is_generating": generating,
            "duration": duration,
            "average_duration": fn.total_runtime / fn.total_runs,
            "render_config": None,
            "changed_state_ids": [],
            "used_cache": None,
        }

    async def run(self) -> None:
        """``process_events`` for this event; cancelled by ``/cancel``, a lost client or shutdown
        (the chat's turn is then stored stopped, and nothing more is sent: ``/cancel`` sends
        its own ``process_completed``)."""
        begin = time.time()
        self.send(ProcessStartsMessage(eta=self.eta()))
        last: list[Any] | None = None
        async with aclosing(self.updates):  # type: ignore[type-var]
            while self.alive:
                start = time.time()
                try:
                    text, meta = await anext(self.updates)
                except StopAsyncIteration:
                    output = self.output(last if last is not None else [None, None], time.time() - start, False)
                    self.send(
                        ProcessCompletedMessage(
                            output=output,
                            success=True,
                            cache_duration=output["duration"],
                            avg_time=output["average_duration"],
                        )
                    )
                    self.queue.process_time_per_fn[self.fn].add(time.time() - begin)
                    return
                except Exception as exc:  # noqa: BLE001 - Gradio sends every error to the client
                    self.fail(exc, first=last is None)
                    return
                data = [text, meta]
                sent = data if last is None else [utils.diff(last[0], text), utils.diff(last[1], meta)]
                last = data
                output = self.output(sent, time.time() - start, True)
                self.send(ProcessGeneratingMessage(output=output, success=True))

    def fail(self, exc: Exception, first: bool) -> None:
        """``process_completed`` for an error, as ``process_events`` shapes it."""
        error = as_gradio_error(exc) if isinstance(exc, PlumberforceError) else exc
        if not isinstance(exc, PlumberforceError):
            log.exception("/chat failed", exc_info=exc)
        payload = utils.error_payload(error, self.show_error)
        if first:  # the first call_process_api raised
            message = ProcessCompletedMessage(output=payload, title=payload.get("title", "Error"), success=False)
        else:  # the generating loop ended on an error
            message = ProcessCompletedMessage(
                output=payload,
                success=False,
                cache_duration=payload.get("duration"),
                avg_time=payload.get("average_duration"),
            )
        self.send(message)


async def cancel_all(tasks: set[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until each has stored its turn."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
