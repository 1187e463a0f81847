"""The answer cache: finished answers keyed by everything that changes an answer.

The key is a SHA-256 of a canonical JSON of the engine identity (kind, model, provider or base
URL, generation parameters), the prompt version, the knowledge-base version, the normalised
question and the history window. So a hit is never an answer produced under another model,
prompt or conversation. Entries expire after a TTL; the directory is bounded in size (least
recently stored go first). Only complete answers are stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache

# SQLite's page cache and memory map count in the process's RSS: keep them small, the data
# lives on disk (diskcache's defaults are 32 MB of cache and a 64 MB map per store).
MEMORY = {"sqlite_cache_size": 1024, "sqlite_mmap_size": 0}


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


@dataclass(frozen=True)
class CachedAnswer:
    text: str
    engine: str
    model: str
    sources: list[dict[str, str]]
    topic: str | None = None


class AnswerCache:
    """diskcache-backed; ``ttl_seconds=0`` disables it. Counts hits and misses."""

    def __init__(self, directory: Path, ttl_seconds: int, size_mb: int):
        self.enabled = ttl_seconds > 0
        self.ttl = ttl_seconds
        self._cache = diskcache.Cache(str(directory), timeout=30, size_limit=size_mb * 2**20, **MEMORY)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedAnswer | None:
        if not self.enabled:
            return None
        raw = self._cache.get(key, default=None, retry=True)
        with self._lock:
            if raw is None:
                self.misses += 1
            else:
                self.hits += 1
        return CachedAnswer(**raw) if raw else None

    def put(self, key: str, answer: CachedAnswer) -> None:
        if self.enabled:
            self._cache.set(key, answer.__dict__, expire=self.ttl, retry=True)

    def count(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        self._cache.clear(retry=True)

    def close(self) -> None:
        self._cache.close()
