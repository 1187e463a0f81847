"""Matching pasted Salesforce error messages against the ``errors`` each article lists.

People paste errors with their own record Ids, numbers, field names and stack frames around
them. Both the listed errors and the question are normalised the same way (stack frames
dropped, Ids, numbers and quoted names replaced by placeholders, punctuation removed), and a
listed error matches when enough of its word trigrams occur in the question, so a pasted error
that differs in a name or a count still finds its article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from plumberforce.knowledge.text import fold

_FRAME = re.compile(r"\b(?:class|trigger|anonymousblock|external entry point)[\w.$]*:?\s*line \d+,\s*column \d+", re.I)
_CONTRACTION = re.compile(r"(?<=[a-z])'(?=[a-z])", re.I)
_QUOTED = re.compile(r"'[^'\s]{1,80}'|\"[^\"\s]{1,80}\"|‘[^’\s]{1,80}’|“[^”\s]{1,80}”")
_ID = re.compile(r"\b(?=[0-9a-z]*[0-9])(?=[0-9a-z]*[a-z])[0-9a-z]{15}(?:[0-9a-z]{3})?\b", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")
_WORD = re.compile(r"[a-z0-9_#]+")
_CODE = re.compile(r"[a-z]+(?:_[a-z]+){2,}")
GRAM = 3
MIN_COVERAGE = 0.5
TITLED = 0.6
_GENERIC = frozenset({"system", "exception", "limitexception", "dmlexception", "queryexception", "#", "q", "id"})


def normalise(text: str) -> list[str]:
    """The comparable words of an error message or question."""
    text = fold(text).lower()
    text = _FRAME.sub(" ", text)
    text = _CONTRACTION.sub("", text)
    text = _QUOTED.sub(" q ", text)
    text = _ID.sub(" id ", text)
    text = _NUMBER.sub(" # ", text)
    return _WORD.findall(text)


def _grams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@dataclass(frozen=True)
class ErrorMatch:
    """A listed error found in a question: its article, the error text, how much of it matched,
    and whether the article is about that very error (its title names it)."""

    article: int
    error: str
    coverage: float
    titled: bool = False


def _titled(tokens: Sequence[str], title: str) -> bool:
    """Whether most distinctive words of an error appear in an article title."""
    words = [t for t in tokens if t not in _GENERIC]
    title_words = set(normalise(title))
    return bool(words) and sum(w in title_words for w in words) >= TITLED * len(words)


class ErrorIndex:
    """Trigram index of every article's listed errors (``errors`` lists, in article order)."""

    def __init__(self, errors: Sequence[Sequence[str]], titles: Sequence[str] = ()):
        self._entries: list[tuple[int, str, int, int, bool]] = []  # article, text, n, grams, titled
        self._grams: dict[tuple[str, ...], list[int]] = {}
        self._titles = list(titles)
        for article, listed in enumerate(errors):
            seen: set[tuple[str, ...]] = set()
            for error in listed:
                tokens = normalise(error)
                # An error code inside a longer message ("UNABLE_TO_LOCK_ROW, unable to ...")
                # is also matched on its own: people often paste just the code.
                codes = [[t] for t in tokens if _CODE.fullmatch(t)] if len(tokens) > 1 else []
                # ... and so is the message without its exception type ("Too many query rows:
                # 50001" for "System.LimitException: Too many query rows: 50001").
                start = next((i for i, t in enumerate(tokens) if t not in _GENERIC), 0)
                bare = [tokens[start:]] if 0 < start and len(tokens) - start >= GRAM else []
                for words in [tokens, *codes, *bare]:
                    if words and tuple(words) not in seen:
                        seen.add(tuple(words))
                        self._add(article, error, words)
        self._sizes = sorted({e[2] for e in self._entries})

    def _add(self, article: int, error: str, tokens: list[str]) -> None:
        n = min(GRAM, len(tokens))
        grams = _grams(tokens, n)
        entry = len(self._entries)
        titled = article < len(self._titles) and _titled(tokens, self._titles[article])
        self._entries.append((article, error, n, len(grams), titled))
        for gram in grams:
            self._grams.setdefault(gram, []).append(entry)

    def matches(self, question: str) -> list[ErrorMatch]:
        """Listed errors found in ``question``, best coverage first (one per article)."""
        tokens = normalise(question)
        found: dict[int, int] = {}
        for n in self._sizes:
            for gram in _grams(tokens, n):
                for entry in self._grams.get(gram, ()):
                    if self._entries[entry][2] == n:
                        found[entry] = found.get(entry, 0) + 1
        best: dict[int, ErrorMatch] = {}
        for entry, count in found.items():
            article, error, _, total, titled = self._entries[entry]
            coverage = count / total
            if coverage >= MIN_COVERAGE and (article not in best or coverage > best[article].coverage):
                best[article] = ErrorMatch(article, error, coverage, titled)
        return sorted(best.values(), key=lambda m: -m.coverage)
