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
import inspect
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


def inline_login_check(app: object) -> int:
    """Run Gradio's ``login_check`` dependency on the event loop: how many routes use it.

    It is a plain ``def`` (reads the user that the async ``get_current_user`` found, raises 401 or
    returns), so FastAPI runs it in its thread pool: a thread hop for every ``queue/join`` and
    every ``queue/data`` request, two per ``/chat`` call. The same function is called here from
    an ``async def``: same checks, same errors, no hop. ``app``: the FastAPI app with the Gradio
    app mounted in it (``gr.mount_gradio_app``'s result), before it serves a request (FastAPI
    builds the routes of included routers from their ``dependencies`` on first use)."""
    from fastapi import params

    wrappers: dict[Callable, Callable] = {}
    replaced = 0
    pending = list(getattr(app, "routes", []))
    while pending:
        route = pending.pop()
        pending.extend(getattr(getattr(route, "app", None), "routes", []))  # a mounted app
        pending.extend(getattr(getattr(route, "original_router", None), "routes", []))  # an included router
        declared = getattr(route, "dependencies", None)
        for i, depends in enumerate(declared or []):
            if _is_login_check(getattr(depends, "dependency", None)):
                wrapper = wrappers.setdefault(depends.dependency, _on_the_loop(depends.dependency))
                declared[i] = params.Depends(wrapper, use_cache=depends.use_cache)
                replaced += 1
        built = list(getattr(getattr(route, "dependant", None), "dependencies", []))
        while built:  # what a route already built from them
            dependant = built.pop()
            built.extend(dependant.dependencies)
            if _is_login_check(dependant.call):
                dependant.call = wrappers.setdefault(dependant.call, _on_the_loop(dependant.call))
    if not replaced:
        raise RuntimeError(
            f"gradio {gr.__version__}: no route depends on gradio.routes.login_check any more; "
            "update plumberforce/web/ui/gradio_compat.py"
        )
    return replaced


def _is_login_check(call: object) -> bool:
    return getattr(call, "__name__", "") == "login_check" and getattr(call, "__module__", "") == "gradio.routes"


def _on_the_loop(check: Callable) -> Callable:
    async def login_check(**values: object) -> object:
        return check(**values)

    login_check.__signature__ = inspect.signature(check)  # type: ignore[attr-defined]  # its parameters
    return login_check


def summarise_analytics_inline() -> None:
    """Gradio's queue hands ``compute_analytics_summary`` to a worker thread after every finished
    event (a thread hop per ``/chat`` call), although with :func:`quiet_event_analytics` it nearly
    always just returns the summary it has: those calls run at once on the event loop, the rare
    one that would summarise still goes to a thread."""
    import gradio.queueing as queueing

    threaded = getattr(queueing, "run_sync", None)
    summarise = getattr(queueing.Queue, "compute_analytics_summary", None)
    if threaded is None or summarise is None:
        raise RuntimeError(
            f"gradio {gr.__version__}: gradio.queueing no longer has run_sync or Queue.compute_analytics_summary; "
            "update plumberforce/web/ui/gradio_compat.py"
        )
    if getattr(threaded, "plumberforce", False):
        return

    async def run_sync(fn: Callable, *args: object, **kwargs: object) -> object:
        queue = getattr(fn, "__self__", None)
        if isinstance(queue, queueing.Queue) and fn.__name__ == summarise.__name__ and not _summary_due(queue, args):
            return fn(*args, **kwargs)
        return await threaded(fn, *args, **kwargs)

    run_sync.plumberforce = True  # type: ignore[attr-defined]
    queueing.run_sync = run_sync  # type: ignore[assignment]


def _summary_due(queue: object, args: tuple) -> bool:
    """Whether ``compute_analytics_summary(records)`` would build its DataFrame now."""
    try:
        if args and not args[0]:
            return False
        return queue.events_recorded - queue.event_count_at_last_cache >= queue.ANAYLTICS_CACHE_FREQUENCY  # type: ignore[union-attr]
    except AttributeError:
        return True  # a release that counts otherwise: keep Gradio's own way
