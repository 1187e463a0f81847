"""What the answer cache serves and keeps.

The key is a SHA-256 of a canonical JSON of the engine identity (kind, model, provider or base
URL, generation parameters), the prompt version, the knowledge-base version, the normalised
question and the history window. So a hit is never an answer produced under another model,
prompt or conversation: a cached answer never crosses histories. Only complete answers of the
configured engine are kept (never a fallback, never an answer cut short). When the cache store
cannot be reached, chats go on without it (a miss, and nothing stored).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any

from plumberforce.chat.events import AnswerMeta
from plumberforce.errors import StoreUnavailable
from plumberforce.stores.contracts import AnswerCache
from plumberforce.stores.records import CachedAnswer

log = logging.getLogger(__name__)


def normalise_question(question: str) -> str:
    """Case, spacing and trailing punctuation do not change the question."""
    return re.sub(r"\s+", " ", question.casefold()).strip().rstrip("?!.;: ")


def cache_key(
    identity: dict[str, Any],
    prompt_version: str,
    kb_version: str,
    question: str,
    window: list[tuple[str, str]],
) -> str:
    payload = {
        "engine": identity,
        "prompt": prompt_version,
        "kb": kb_version,
        "question": normalise_question(question),
        "window": [[role, content] for role, content in window],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AnswerPolicy:
    """The cache key of a question in its context, and when to read and write the cache."""

    def __init__(self, cache: AnswerCache, identity: dict[str, Any], prompt_version: str, kb_version: str):
        self.cache = cache
        self.identity = identity
        self.prompt_version = prompt_version
        self.kb_version = kb_version

    def key(self, question: str, window: list[tuple[str, str]]) -> str:
        return cache_key(self.identity, self.prompt_version, self.kb_version, question, window)

    async def lookup(self, key: str) -> CachedAnswer | None:
        try:
            return await self.cache.get(key)
        except StoreUnavailable as exc:
            log.warning("answer cache unavailable, answering without it: %s", exc)
            return None

    async def remember(self, key: str, text: str, meta: AnswerMeta) -> bool:
        """Keep a complete answer of the configured engine; True when it was kept."""
        if meta.incomplete or meta.fallback_reason is not None or meta.cached:
            return False
        try:
            await self.cache.put(key, CachedAnswer(text, meta.engine, meta.model, meta.sources, meta.topic))
        except StoreUnavailable as exc:
            log.warning("answer cache unavailable, answer not cached: %s", exc)
            return False
        return self.cache.enabled

    async def forget(self, key: str) -> bool:
        try:
            return await self.cache.delete(key)
        except StoreUnavailable as exc:
            log.warning("answer cache unavailable, entry not evicted: %s", exc)
            return False
