"""The parts of Gradio's queue that the ``/chat`` fast path works with, in one adapter.

:mod:`plumberforce.web.ui.chat_fast_path` answers ``POST queue/join`` for ``/chat`` itself and
runs the chat as its own task, but the messages still travel through Gradio's own event stream
(``GET queue/data``): each is put in the session's message queue, exactly where
``Queue.send_message`` would put it. What this module relies on (gradio 6.31, ``sse_v3``):

- ``Queue.pending_messages_per_session[session]``: the session's message queue, which
  ``queue/data`` drains (404 for a session without one); ``Queue.pending_event_ids_session
  [session]``: the events the stream waits for (it closes after the last one's
  ``process_completed``); ``Queue.pending_message_lock`` guards their creation (``Queue.push``);
- ``Queue.event_queue_per_concurrency_id[...]`` (``queue``, ``current_concurrency``,
  ``concurrency_limit``) and ``Queue.create_event_queue_for_fn``: a chat served here takes one of
  the ``chat`` slots, so Gradio's own chats and ours share the concurrency limit;
- ``Queue.max_size``, ``Queue.stopped``, ``Queue.process_time_per_fn`` (the ``eta`` it announces);
  ``BlockFunction.total_runtime`` / ``total_runs`` (``average_duration``);
- ``Queue.clean_events(session_hash=...)``: what ``queue/data`` calls when its client goes away
  (wrapped here so that the session's chats stop); ``Queue._asyncio_tasks``: what the queue
  cancels when it stops; ``utils.set_task_name``: the name by which ``POST /cancel`` finds a
  running event (``cancel_tasks({f"{session_hash}_{fn_index}"})``);
- ``utils.diff`` and ``utils.error_payload``: the update diffs and error shapes of ``process_api``
  and ``process_events``; ``server_messages``: the message models the event stream serialises.

:func:`missing` names what a Gradio release no longer has (the fast path then stays off, with one
log line); ``tests/ui/test_chat_fast_path.py`` fails on it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import gradio as gr

QUEUE_ATTRIBUTES = (
    "pending_messages_per_session",
    "pending_event_ids_session",
    "pending_message_lock",
    "event_queue_per_concurrency_id",
    "create_event_queue_for_fn",
    "max_size",
    "stopped",
    "process_time_per_fn",
    "clean_events",
    "_asyncio_tasks",
)
FN_ATTRIBUTES = ("_id", "concurrency_id", "total_runtime", "total_runs", "validator", "fn")
EVENT_QUEUE_ATTRIBUTES = ("queue", "current_concurrency", "concurrency_limit")
UTILS = ("diff", "error_payload", "set_task_name", "cancel_tasks")
MESSAGES = ("EstimationMessage", "ProcessStartsMessage", "ProcessGeneratingMessage", "ProcessCompletedMessage")
# what the routes must still do for the fast path's events to behave like Gradio's own
ROUTE_SOURCE = (
    "clean_events(session_hash=session_hash)",  # queue/data: its client went away
    'cancel_tasks({f"{body.session_hash}_{body.fn_index}"})',  # /cancel: the running task
    "pending_event_ids_session",  # queue/data closes after the session's last event
)
PROTOCOL = "sse_v3"


def missing(blocks: gr.Blocks, api_name: str) -> list[str]:
    """What this adapter needs and ``blocks`` (queued, built) or this Gradio lacks; [] when complete."""
    from gradio import routes, server_messages, utils

    gaps: list[str] = []
    queue = getattr(blocks, "_queue", None)
    gaps += [f"Queue.{name}" for name in QUEUE_ATTRIBUTES if not hasattr(queue, name)]
    fn = chat_fn(blocks, api_name)
    if fn is None:
        gaps.append(f"a function with api_name={api_name!r}")
    else:
        gaps += [f"BlockFunction.{n}" for n in FN_ATTRIBUTES if not hasattr(fn, n)]
        if getattr(fn, "validator", None) is not None or hasattr(getattr(fn, "fn", None), "cache"):
            gaps.append(f"{api_name!r} without a validator or cache (Queue.push runs those)")
        if queue is not None and hasattr(queue, "create_event_queue_for_fn"):
            queue.create_event_queue_for_fn(fn)
            event_queue = queue.event_queue_per_concurrency_id.get(fn.concurrency_id)
            gaps += [f"EventQueue.{n}" for n in EVENT_QUEUE_ATTRIBUTES if not hasattr(event_queue, n)]
    gaps += [f"gradio.utils.{name}" for name in UTILS if not hasattr(utils, name)]
    gaps += [f"gradio.server_messages.{name}" for name in MESSAGES if not hasattr(server_messages, name)]
    source = inspect.getsource(routes)
    gaps += [f"gradio.routes: {snippet}" for snippet in ROUTE_SOURCE if snippet not in source]
    if blocks.config is not None and blocks.config.get("protocol") != PROTOCOL:
        gaps.append(f"protocol {PROTOCOL}")
    return gaps


def chat_fn(blocks: gr.Blocks, api_name: str) -> Any | None:
    """The ``BlockFunction`` named ``api_name``, or None."""
    return next((fn for fn in blocks.fns.values() if getattr(fn, "api_name", None) == api_name), None)


def on_clean_events(blocks: gr.Blocks, callback: Callable[[str | None, str | None], None]) -> None:
    """After each ``Queue.clean_events(session_hash=..., event_id=...)``: ``callback(session_hash,
    event_id)`` (the queue's own method runs first, unchanged)."""
    queue = blocks._queue
    original = queue.clean_events

    async def clean_events(*, session_hash: str | None = None, event_id: str | None = None) -> None:
        await original(session_hash=session_hash, event_id=event_id)
        callback(session_hash, event_id)

    queue.clean_events = clean_events  # type: ignore[method-assign]


def name_task(task: asyncio.Task[Any], session_hash: str, fn_index: int, event_id: str) -> None:
    """Give ``task`` the name by which Gradio's ``POST /cancel`` finds (and cancels) a running event."""
    from gradio import utils

    utils.set_task_name(task, session_hash, fn_index, event_id, False)
