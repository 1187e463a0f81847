"""Whether any of a list of regular expressions occurs in a text, in fewer passes over it.

The guard (:mod:`plumberforce.knowledge.topicality`, :mod:`plumberforce.knowledge.abuse`) asks
this of every question for dozens of patterns. Searching each in turn walks the text once per
pattern; :class:`AnyOf` splits the patterns into their top-level alternatives and searches those
that open on a word boundary (``\\b``) as one alternation behind a single ``\\b``, which Python's
engine walks once and tests for a boundary once per position, and the others one by one (joined
into the alternation they would make every position a candidate and slow it down). The answer is
the same: a search for an alternation finds a match wherever one of its branches would match,
and ``\\b(?:A|B)`` matches where ``\\bA|\\bB`` does. (Each alternative wrapped in its own group
behind its own ``\\b``, the same alternation took three times as long on the dev set.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BOUNDARY = r"\b"


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``"a|(b|c)"`` -> ``["a", "(b|c)"]``): the ``|``
    outside any group and any character class, escapes skipped."""
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 2 if pattern.startswith("^]", i + 1) else 1 if pattern.startswith(("^", "]"), i + 1) else 0
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _split(pattern: str) -> list[str]:
    """``pattern``'s alternatives when each stands on its own, else ``pattern`` whole."""
    parts = alternatives(pattern)
    try:
        for part in parts:
            re.compile(part)
    except re.error:
        return [pattern]
    return parts


class AnyOf:
    """``any(re.search(p, text) for p in patterns)``, in fewer passes."""

    def __init__(self, patterns: Iterable[str]):
        patterns = list(patterns)
        for pattern in patterns:
            re.compile(pattern)  # each must stand on its own (no inline flags or cross references)
        parts = [part for pattern in patterns for part in _split(pattern)]
        bounded = [p[len(_BOUNDARY) :] for p in parts if p.startswith(_BOUNDARY)]
        self._searches = [re.compile(rf"\b(?:{'|'.join(bounded)})").search] if bounded else []
        self._searches += [re.compile(p).search for p in parts if not p.startswith(_BOUNDARY)]

    def search(self, text: str) -> bool:
        return any(search(text) for search in self._searches)
