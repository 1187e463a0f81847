"""BM25 scores of a question read straight from the postings of bm25s indexes, several at once.

``bm25s.BM25.get_scores`` looks each query token up, then adds its precomputed scores to the
documents with one ``np.add.at`` per token; over the seven indexes a question is scored on that
was a fifth of :meth:`~plumberforce.knowledge.index.KnowledgeBase.analyse`. :class:`Postings`
holds the postings of one or more indexes over the same documents in one table, token by token
(for a token, the first index's postings, then the second's...), so a question costs one
dictionary look-up per token and one vectorised addition for all of them.

The result is ``get_scores`` bit for bit: a document appears at most once in a token's postings,
so each document's float32 score is the sum of its tokens' scores in the question's order, as
bm25s adds them (a repeated token counts twice in both). Only indexes without a non-occurrence
term (bm25s' default "lucene" method) can be read this way; others are refused.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import bm25s
import numpy as np


class Postings:
    """The postings of ``indexes`` (bm25s indexes over the same documents) as one table:
    ``scores(tokens)[k]`` equals ``indexes[k].get_scores(tokens)``.

    ``ids`` maps a token to its number (the first index's own ``vocab_dict`` when it holds every
    token of the others, as the field-weighted index does its field groups'); a token's postings
    are ``docs``/``values`` from ``starts[u]`` to ``ends[u]``, the first index's up to ``firsts[u]``.
    """

    def __init__(self, indexes: Sequence[bm25s.BM25]):
        counts = {int(index.scores["num_docs"]) for index in indexes}
        if len(counts) != 1 or any(index.nonoccurrence_array is not None for index in indexes):
            raise ValueError("postings are read from lucene-style indexes over the same documents")
        self.count = counts.pop()
        self.rows = len(indexes)
        first = indexes[0].vocab_dict
        shared = all(t in first for index in indexes[1:] for t in index.vocab_dict)
        self.ids: dict[str, int] = first if shared else dict(first)
        keys, docs, values = [], [], []
        for k, index in enumerate(indexes):
            indptr = np.asarray(index.scores["indptr"], dtype=np.int64)
            # bm25s lists the empty token past the end of its postings (it has none)
            owner = np.zeros(len(indptr) - 1, dtype=np.int64)
            for token, i in index.vocab_dict.items():
                if i < len(owner):
                    owner[i] = self.ids.setdefault(token, len(self.ids))
            keys.append(owner[np.repeat(np.arange(len(owner)), np.diff(indptr))] * self.rows + k)
            docs.append(np.asarray(index.scores["indices"][: indptr[-1]], dtype=np.intp) + k * self.count)
            values.append(np.asarray(index.scores["data"][: indptr[-1]], dtype=np.float32))
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        self.docs = np.concatenate(docs)[order]
        self._values = np.concatenate(values)[order]
        size = max(self.ids.values(), default=-1) + 1
        bounds = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=size * self.rows))])
        # compact arrays of plain integers: indexing one gives a Python int, fast to slice with
        self.starts = array("q", bounds[: -1 : self.rows].tolist())
        self.firsts = array("q", bounds[1 :: self.rows].tolist())
        self.ends = array("q", bounds[self.rows :: self.rows].tolist())

    def __getstate__(self) -> dict:
        return {**self.__dict__, "docs": self.docs.astype(np.int32)}  # half the bytes in the cache

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.docs = self.docs.astype(np.intp)  # int32 indices are converted at every use

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """A (rows, documents) float32 array: each index's BM25 of every document for ``tokens``."""
        return self._add(tokens, self.ends, self.rows * self.count).reshape(self.rows, self.count)

    def first(self, tokens: Sequence[str]) -> np.ndarray:
        """The first index's scores alone (``scores(tokens)[0]``, without the others' work)."""
        return self._add(tokens, self.firsts, self.count)

    def _add(self, tokens: Sequence[str], ends: array, size: int) -> np.ndarray:
        """The tokens' postings added up, in the question's order: all of them gathered, then one
        unbuffered ``np.add.at``, which adds element by element in the order given (a document met
        by two tokens gets the first's score, then the second's, as bm25s adds them), instead of a
        gather, an addition and a scatter per token."""
        out = np.zeros(size, dtype=np.float32)
        ids, starts = self.ids, self.starts
        spans = [(starts[u], ends[u]) for u in map(ids.get, tokens) if u is not None]
        docs, values = self.docs, self._values
        if len(spans) == 1:
            ((a, b),) = spans
            out[docs[a:b]] += values[a:b]
        elif spans:
            np.add.at(
                out, np.concatenate([docs[a:b] for a, b in spans]), np.concatenate([values[a:b] for a, b in spans])
            )
        return out
