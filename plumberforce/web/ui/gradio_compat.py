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

Per streamed message and per update (bench/README.md, "Space CPU per chat", issue 11's round on
Gradio's side), each tested in ``tests/ui/test_gradio_event_path.py``:

- Gradio's event stream (``queue/data``) asks ``Request.is_disconnected()`` before every message;
  Starlette answers with an anyio cancel scope cancelled at once, whose ``cancel()`` formats the
  current task's repr into its reason: about 55 µs a call, 1 ms per chat.
  :func:`cheap_disconnect_polls` makes the same poll (take a message if the server already has
  one, never wait) by stepping the ``receive`` coroutine once, for that route only.
- Each update enters and leaves ``utils.MatplotlibBackendMananger``; without matplotlib both
  fail an import (7 µs). :func:`skip_missing_matplotlib` also puts a no-op manager in its place.
- Gradio timestamps every update for its run history (``history.now_utc_iso``: a timezone-aware
  ``datetime`` formatted with ``strftime``, 8 µs); :func:`faster_timestamps` gives the same string
  from a clock read and a cached second.
- Two thread hops per chat for no blocking work: Gradio's ``login_check`` dependency of
  ``queue/join`` and ``queue/data`` is a plain ``def`` (FastAPI runs it in its thread pool; it
  only reads the user its async dependency found), and the queue hands its analytics summary
  (a cached dict here, see :func:`quiet_event_analytics`) to a worker thread after every event.
  :func:`login_check_on_the_loop` puts an async function calling the same check in the routes'
  dependency entries (not FastAPI's ``dependency_overrides``, which would rebuild every
  dependency of every request); :func:`analytics_on_the_loop` runs the summary on the loop.

``tests/ui/test_gradio_compat.py`` (polling) and ``tests/ui/test_gradio_event_path.py`` (the rest)
fail with a clear message when a release changes any of them.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import gradio as gr
from starlette.requests import Request


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
    from gradio import utils

    utils.MatplotlibBackendMananger = NoMatplotlibBackend  # read at each update: route_utils uses utils.<name>
    return True


class NoMatplotlibBackend:
    """Gradio's ``MatplotlibBackendMananger`` where matplotlib is not installed: nothing to switch."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


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


QUEUE_DATA_ROUTE = "/queue/data"  # Gradio's event stream (sse_v3), under its API prefix


def cheap_disconnect_polls() -> None:
    """Starlette's ``Request.is_disconnected`` without the anyio cancel scope, for Gradio's event
    stream only (other routes keep Starlette's own): the same question, asked by running the
    ``receive`` coroutine up to its first suspension; a message the server already holds is
    taken (``http.disconnect`` marks the request), otherwise the coroutine is closed where it
    would have waited, as the cancelled scope would have stopped it there."""
    original = Request.is_disconnected
    if getattr(original, "plumberforce_cheap", False):
        return

    async def is_disconnected(self: Request) -> bool:
        if (
            self._is_disconnected
            or not self.scope.get("path", "").endswith(QUEUE_DATA_ROUTE)
            or not inspect.iscoroutinefunction(self._receive)  # not an ``async def`` receive
        ):
            return await original(self)
        message = _poll(self._receive())
        if message is not None and message.get("type") == "http.disconnect":
            self._is_disconnected = True
        return self._is_disconnected

    is_disconnected.plumberforce_cheap = True  # type: ignore[attr-defined]
    is_disconnected.original = original  # type: ignore[attr-defined]
    Request.is_disconnected = is_disconnected  # type: ignore[method-assign]


def _poll(receive: Any) -> dict[str, Any] | None:
    """The message a ``receive()`` coroutine returns without waiting, else None (and closed)."""
    try:
        receive.send(None)
    except StopIteration as done:
        return done.value
    receive.close()
    return None


def faster_timestamps() -> None:
    """``gradio.history.now_utc_iso`` (read at each call by the queue and ``call_process_api``)
    from ``time.time_ns()`` and the formatted second, cached: the same string."""
    from gradio import history

    if getattr(history.now_utc_iso, "plumberforce_fast", False):
        return
    history.now_utc_iso = fast_now_utc_iso


_second: tuple[int, str] = (-1, "")  # the last second formatted, and its text (replaced whole)


def fast_now_utc_iso() -> str:
    """UTC now as ``2026-12-02T12:34:56.789Z`` (millisecond precision, like ``Date.toISOString()``)."""
    global _second
    second, rest = divmod(time.time_ns(), 1_000_000_000)
    cached = _second
    if cached[0] != second:
        cached = _second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return f"{cached[1]}.{rest // 1_000_000:03d}Z"


fast_now_utc_iso.plumberforce_fast = True  # type: ignore[attr-defined]


def login_check_on_the_loop(app: Any) -> int:
    """In the Gradio app mounted in ``app``: its plain-``def`` ``login_check`` dependency (every
    ``queue/join`` and ``queue/data``) called on the event loop instead of in a worker thread: the
    same function, with the user its async ``get_current_user`` dependency found. The routes'
    dependency entries are given the async function in its place (FastAPI's own
    ``dependency_overrides`` would rebuild every dependency of every request: dearer than the
    thread). Returns the number of entries changed."""
    from gradio.routes import App

    changed = 0
    for mount in app.routes:
        gradio_app = getattr(mount, "app", None)
        if isinstance(gradio_app, App):
            changed += _replace_login_check(gradio_app.router.routes, {})
    return changed


def _replace_login_check(routes: list[Any], replaced: dict[Any, Callable[..., Any]]) -> int:
    changed = 0
    for route in routes:
        # FastAPI's included routers: the routes as declared, and as served (built on first use)
        for nested in ("effective_candidates", "effective_low_priority_routes"):
            found = getattr(route, nested, ())
            changed += _replace_login_check(list(found() if callable(found) else found), replaced)
        included = getattr(route, "original_router", None)
        if included is not None:
            changed += _replace_login_check(included.routes, replaced)
        pending = list(getattr(getattr(route, "dependant", None), "dependencies", ()))
        while pending:
            dependant = pending.pop()
            pending.extend(dependant.dependencies)
            check = dependant.call
            if getattr(check, "__name__", "") == "login_check" and not inspect.iscoroutinefunction(check):
                if check not in replaced:
                    replaced[check] = _on_the_loop(check)
                dependant.call = replaced[check]
                changed += 1
    return changed


def _on_the_loop(check: Callable[..., Any]) -> Callable[..., Any]:
    user = inspect.signature(check).parameters["user"].default  # Depends(get_current_user)

    async def login_check(user: str | None = user) -> None:
        return check(user)

    return login_check


async def _inline(fn: Callable[..., Any], *args: Any, **_: Any) -> Any:
    return fn(*args)


def analytics_on_the_loop(demo: gr.Blocks) -> bool:
    """After ``demo.queue()``: ``gradio.queueing.run_sync`` (anyio's, which Gradio's queue uses
    only to summarise its event analytics after each event) run inline, when the summary is
    nearly never computed (:func:`quiet_event_analytics`; an operator's own frequency keeps the
    thread). True when applied."""
    from gradio import queueing

    if demo._queue.ANAYLTICS_CACHE_FREQUENCY < INLINE_ANALYTICS_FROM:
        return False
    queueing.run_sync = _inline  # type: ignore[assignment]
    return True


INLINE_ANALYTICS_FROM = 1_000_000  # events between two summaries from which the summary runs inline
