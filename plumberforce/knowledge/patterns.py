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


def bounded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with each run of consecutive top-level alternatives that open on ``\\b``
    behind a single ``\\b`` (``\\bA|\\bB|C|\\bD`` -> ``\\b(?:A|B)|C|\\b(?:D)``). Python's engine tries a
    top-level alternative at every position of the text; behind one ``\\b`` a run is skipped at
    once inside a word. The matches are the same, spans and groups included: at each position the
    alternatives are still tried in their order, and a non-capturing group numbers nothing (a
    74-alternative pattern of :mod:`plumberforce.knowledge.abuse_signals` went from 215 to 19 us a
    question)."""
    runs: list[tuple[bool, list[str]]] = []  # (opens on \\b, its alternatives without it)
    for part in alternatives(pattern):
        opens = part.startswith(_BOUNDARY)
        body = part[len(_BOUNDARY) :] if opens else part
        if opens and runs and runs[-1][0]:
            runs[-1][1].append(body)
        else:
            runs.append((opens, [body]))
    joined = "|".join(rf"\b(?:{'|'.join(run)})" if opens else run[0] for opens, run in runs)
    try:
        return re.compile(joined, flags)
    except re.error:  # an inline flag or a reference that grouping breaks: as written
        return re.compile(pattern, flags)


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
