"""The one place that works around Gradio's internals.

- Gradio has no public way to read how many events wait in its queue; the Diagnostics tab shows
  it, so :func:`queue_length_reader` reads ``demo._queue``.
- Gradio runs every queued update inside ``utils.MatplotlibBackendMananger``, which imports
  matplotlib on entering and on leaving. Without matplotlib installed each of those imports
  fails after searching every ``sys.path`` entry on disk again (failed imports are not cached):
  about a seventh of the Space's main-thread CPU with 200 chats streaming through ``/chat``
  (bench/README.md, "Space CPU per chat"). :func:`skip_missing_matplotlib` records the absence
  once (``sys.modules["matplotlib"] = None``: an import then fails at once, as it would anyway).
- Gradio's queue keeps the last ``GRADIO_ANALYTICS_MAX_EVENTS`` (10,000) events for its monitoring
  dashboard and, after every finished event (``GRADIO_ANALYTICS_CACHE_FREQUENCY``: 1), copies them
  into a pandas DataFrame to summarise them in a worker thread: a cost that grows with the events
  served, paid by every chat. We do not enable the dashboard: :func:`quiet_event_analytics` keeps
  100 events and summarises them once in a billion (both variables stay the operator's to set).

- Gradio's queue looks for work every millisecond when it has none (``sleep_when_free``, 1 ms on
  Linux) and for progress updates every 10 ms, scanning every worker slot (one per allowed
  concurrent chat: 512 here): 41 ms of CPU per second in an idle Space (about 0.1 ms per look on
  a busy machine), charged to every chat it serves, REST ones included. :func:`pace_queue_polling`
  makes it 10 ms and 100 ms (we send no progress updates): about 11 ms of CPU per second, and a
  queued event starts at most 10 ms later (5 ms on average).

``tests/ui/test_gradio_compat.py`` fails with a clear message when a release changes either.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable

import gradio as gr


def queue_length_reader(demo: gr.Blocks) -> Callable[[], int]:
    """A function returning the number of events waiting in ``demo``'s queue (0 before it exists)."""

    def read() -> int:
        queue = getattr(demo, "_queue", None)
        return len(queue) if queue is not None else 0

    return read


def check_compatible(demo: gr.Blocks) -> None:
    """Raise with a clear message when this Gradio no longer has the queue we read and pace."""
    queue = getattr(demo, "_queue", None)
    polls = ("sleep_when_free", "progress_update_sleep_when_free")
    if queue is None or not hasattr(queue, "__len__") or not all(hasattr(queue, name) for name in polls):
        raise RuntimeError(
            f"gradio {gr.__version__}: Blocks._queue is gone, has no length or no longer polls with "
            "sleep_when_free / progress_update_sleep_when_free; "
            "update plumberforce/web/ui/gradio_compat.py"
        )


def skip_missing_matplotlib() -> bool:
    """When matplotlib is not installed, make ``import matplotlib`` fail without a disk search
    (Gradio tries it twice per streamed update); True when the absence was recorded."""
    if "matplotlib" in sys.modules:
        return sys.modules["matplotlib"] is None
    if importlib.util.find_spec("matplotlib") is not None:
        return False
    sys.modules["matplotlib"] = None  # type: ignore[assignment]
    return True


ANALYTICS_ENVIRONMENT = {"GRADIO_ANALYTICS_MAX_EVENTS": "100", "GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000000000"}


def quiet_event_analytics() -> None:
    """Before the Blocks' queue is created: Gradio's per-event analytics summary, nearly never."""
    for name, value in ANALYTICS_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


QUEUE_POLL_SECONDS = 0.01  # Gradio's queue, looking for events to start when it has none (1 ms)
PROGRESS_POLL_SECONDS = 0.1  # and for progress updates to send (10 ms); we send none


def pace_queue_polling(demo: gr.Blocks) -> None:
    """After ``demo.queue()``: the queue's idle polling at a pace that costs nearly nothing."""
    queue = demo._queue
    queue.sleep_when_free = QUEUE_POLL_SECONDS
    queue.progress_update_sleep_when_free = PROGRESS_POLL_SECONDS
