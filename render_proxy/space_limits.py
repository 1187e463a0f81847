"""The Space's input limits (its ``/status`` named endpoint: ``limits.max_question_chars`` and
``limits.max_comment_chars``), so the proxy refuses what the Space would refuse, in the Space's
words, before it travels, and the page shows the same limit while people type.

Fetched lazily (the first page or question that needs them), kept for ``FRESH_FOR`` seconds,
one fetch at a time. Until the Space has answered, or when it does not say, the defaults below
(the Space's own defaults) apply; a failed fetch is retried after ``RETRY_AFTER`` seconds.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

from render_proxy.upstream import UpstreamError

DEFAULT_QUESTION_CHARS = 4000
DEFAULT_COMMENT_CHARS = 1000
FRESH_FOR = 600.0
RETRY_AFTER = 30.0


@dataclass(frozen=True)
class Limits:
    """What the Space accepts; ``source`` says whether the Space said so or these are defaults."""

    max_question_chars: int = DEFAULT_QUESTION_CHARS
    max_comment_chars: int = DEFAULT_COMMENT_CHARS
    source: Literal["space", "default"] = "default"

    def public(self) -> dict[str, Any]:
        return asdict(self)


def too_long(text: str, limit: int) -> str | None:
    """The Space's refusal of a question over ``limit`` characters (counted as the Space counts:
    after stripping surrounding whitespace), or None."""
    length = len(text.strip())
    if length <= limit:
        return None
    return f"The question is too long: {length} characters, the limit is {limit}."


class Caller(Protocol):
    """What the limits need of the Space (an :class:`~render_proxy.replicas.Replicas`)."""

    async def call(self, api_name: str, *data: Any) -> Any: ...


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class SpaceLimits:
    """The limits, fetched from the Space when stale (see the module docstring)."""

    def __init__(self, upstream: Caller, fresh_for: float = FRESH_FOR, retry_after: float = RETRY_AFTER):
        self.upstream, self.fresh_for, self.retry_after = upstream, fresh_for, retry_after
        self.known = Limits()
        self._next_fetch = 0.0  # monotonic time after which the limits are fetched again
        self._lock = asyncio.Lock()

    async def get(self) -> Limits:
        """The current limits (fetching them first when they are stale)."""
        if time.monotonic() < self._next_fetch:
            return self.known
        async with self._lock:
            if time.monotonic() < self._next_fetch:  # fetched while this caller waited
                return self.known
            try:
                status = await self.upstream.call("/status")
            except UpstreamError:
                self._next_fetch = time.monotonic() + self.retry_after
                return self.known
            limits = status.get("limits") if isinstance(status, dict) else None
            if isinstance(limits, dict):
                question = _positive(limits.get("max_question_chars")) or self.known.max_question_chars
                comment = _positive(limits.get("max_comment_chars")) or self.known.max_comment_chars
                self.known = Limits(question, comment, "space")
            self._next_fetch = time.monotonic() + self.fresh_for
            return self.known
