"""One error decorator for every Gradio handler: our errors become ``gr.Error`` with the
person's message (in the request's language when known), nothing else is caught."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from plumberforce.errors import PlumberforceError

F = TypeVar("F", bound=Callable[..., Any])


def as_gradio_error(exc: PlumberforceError) -> gr.Error:
    return gr.Error(exc.message())


def gradio_errors(fn: F) -> F:
    """Wrap a Gradio handler (function, coroutine or async generator) so that a
    :class:`PlumberforceError` reaches the browser or gradio_client as ``gr.Error``."""
    return _resolved(_wrapped(fn))


def _resolved(fn: F) -> F:
    """``fn`` with its annotations evaluated once. Gradio reads a handler's type hints at every
    event (to find a ``gr.Request`` parameter); with ``from __future__ import annotations`` they
    are strings, which ``typing.get_type_hints`` evaluated again each time (0.1-0.2 ms a chat)."""
    try:
        fn.__annotations__ = typing.get_type_hints(fn)
    except (NameError, TypeError):
        pass  # a name only the enclosing function knows: Gradio evaluates (or ignores) it as before
    return fn


def _wrapped(fn: F) -> F:
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def agen(*args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
            try:
                async for item in fn(*args, **kwargs):
                    yield item
            except PlumberforceError as exc:
                raise as_gradio_error(exc) from None

        return agen  # type: ignore[return-value]
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def coro(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except PlumberforceError as exc:
                raise as_gradio_error(exc) from None

        return coro  # type: ignore[return-value]

    @functools.wraps(fn)
    def plain(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PlumberforceError as exc:
            raise as_gradio_error(exc) from None

    return plain  # type: ignore[return-value]
