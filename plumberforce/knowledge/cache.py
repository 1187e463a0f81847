"""The built knowledge index, pickled in the data directory and reused while nothing changed."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
_CODE_DIR = Path(__file__).parent
T = TypeVar("T")
# What this process already loaded, by cache file and that file's (mtime, size): a second call
# (or a process forked after the first, such as the test suite's Spaces) skips the unpickling.
_loaded: dict[Path, tuple[tuple[int, int], object]] = {}


def _fingerprint(directory: Path) -> str:
    """A hash of every article file, of the knowledge code and vocabularies, and of the embedding
    package's version (its table gives the stored vectors their meaning)."""
    digest = hashlib.sha256()
    # (*.jsonl: the memory of answered questions, plumberforce.knowledge.memory; *.json: the learned guard)
    code = [path for pattern in ("*.py", "*.yaml", "*.jsonl", "*.json") for path in sorted(_CODE_DIR.glob(pattern))]
    for path in sorted(directory.glob("*.md")) + code:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    try:
        digest.update(version("wordllama").encode())
    except PackageNotFoundError:
        pass
    return digest.hexdigest()[:20]


def forget_loaded() -> None:
    """Forget what this process loaded: the next :func:`load_or_build` reads its file again (the
    retrieval benchmark times that, as a new process would)."""
    _loaded.clear()


def load_or_build(cls: type[T], build: Callable[[], T], cache_dir: Path, directory: Path) -> T:
    """The pickled ``cls`` instance for ``directory`` from ``cache_dir``, or ``build()`` and store it.

    The cache file is named after :func:`_fingerprint`, so adding or editing an article (or
    upgrading Plumberforce) rebuilds the index at the next start and nothing else is needed. The
    file is written atomically and only ever read from our own data directory.
    """
    cache = (cache_dir / f"knowledge-{_fingerprint(directory)}.pickle").absolute()
    try:
        stat = cache.stat()
        seen = _loaded.get(cache)
        if seen is not None and seen[0] == (stat.st_mtime_ns, stat.st_size) and isinstance(seen[1], cls):
            return seen[1]
        with cache.open("rb") as handle:
            loaded = pickle.load(handle)  # noqa: S301 (our own file, named by the content's hash)
        if isinstance(loaded, cls):
            _loaded[cache] = ((stat.st_mtime_ns, stat.st_size), loaded)
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = build()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("knowledge-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
        stat = cache.stat()
        _loaded[cache] = ((stat.st_mtime_ns, stat.st_size), built)
    except OSError as exc:
        log.warning("could not cache the knowledge index in %s: %s", cache_dir, exc)
    return built
