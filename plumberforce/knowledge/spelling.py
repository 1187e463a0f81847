"""Typo tolerance: a question word that no article contains is replaced by a word of the
articles' titles, tags, keywords or errors one edit away ("trigegr" -> "trigger", "queuable" ->
"queueable", "recrod" -> "record").

A symmetric-delete index (every word with one letter removed) finds candidates without
comparing against the whole vocabulary; among several, the most frequent word wins. Only longer
alphabetic words are corrected, and only towards the technical vocabulary of titles and tags, so
an ordinary word the articles happen not to use ("indirizzo") is left alone; a correction keeps
the first letter (typos rarely change it, and "blows" is not "flows"), and stop words are never
corrected (the tokenizer skips them: "voglio" is not "foglio").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MIN_LENGTH = 5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Corrects words unknown to ``known`` towards ``targets`` (word -> frequency)."""

    def __init__(self, known: Iterable[str], targets: Mapping[str, int]):
        self._known = set(known) | set(targets)
        self._targets = targets
        self._index: dict[str, list[str]] = {}
        for word in targets:
            if len(word) >= MIN_LENGTH and word.isalpha():
                for key in _deletes(word) | {word}:
                    self._index.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        """The indexed word one edit away from an unknown ``word``, or None."""
        if word in self._known or len(word) < MIN_LENGTH or not word.isalpha():
            return None
        candidates: set[str] = set()
        for key in _deletes(word) | {word}:
            candidates.update(self._index.get(key, ()))
        candidates = {c for c in candidates if c[0] == word[0]}
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda c: self._targets[c])
