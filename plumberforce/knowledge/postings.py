"""BM25 scores of a question read straight from the postings of bm25s indexes, several at once.

``bm25s.BM25.get_scores`` looks each query token up, then adds its precomputed scores to the
documents with one ``np.add.at`` per token; over the seven indexes a question is scored on that
was a fifth of :meth:`~plumberforce.knowledge.index.KnowledgeBase.analyse`. :class:`Postings`
holds the postings of one or more indexes over the same documents in one table, token by token
(for a token, the first index's postings, then the second's...), so a question costs one
dictionary look-up and one vectorised addition per token for all of them.

The result is ``get_scores`` bit for bit: a document appears at most once in a token's postings,
so each document's float32 score is the sum of its tokens' scores in the question's order, as
bm25s adds them (a repeated token counts twice in both). Only indexes without a non-occurrence
term (bm25s' default "lucene" method) can be read this way; others are refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np


class Postings:
    """The postings of ``indexes`` (bm25s indexes over the same documents) as one table:
    ``scores(tokens)[k]`` equals ``indexes[k].get_scores(tokens)``."""

    def __init__(self, indexes: Sequence[bm25s.BM25]):
        counts = {int(index.scores["num_docs"]) for index in indexes}
        if len(counts) != 1 or any(index.nonoccurrence_array is not None for index in indexes):
            raise ValueError("postings are read from lucene-style indexes over the same documents")
        self.count = counts.pop()
        self.rows = len(indexes)
        vocabulary: dict[str, int] = {}
        keys, docs, values = [], [], []
        for k, index in enumerate(indexes):
            scores = index.scores
            indptr = np.asarray(scores["indptr"], dtype=np.int64)
            # bm25s lists the empty token past the end of its postings (it has none)
            local = {t: i for t, i in index.vocab_dict.items() if i < len(indptr) - 1}
            owner = np.zeros(len(indptr) - 1, dtype=np.int64)
            for token, i in local.items():
                owner[i] = vocabulary.setdefault(token, len(vocabulary))
            token_of = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
            keys.append(owner[token_of] * len(indexes) + k)
            docs.append(np.asarray(scores["indices"], dtype=np.intp)[: indptr[-1]] + k * self.count)
            values.append(np.asarray(scores["data"], dtype=np.float32)[: indptr[-1]])
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        self._docs = np.concatenate(docs)[order]
        self._values = np.concatenate(values)[order]
        bounds = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=len(vocabulary) * self.rows))])
        # token -> its number; its postings are [starts[u], ends[u]), the first index's to firsts[u]
        # (plain ints and lists: no tuple per token for the garbage collector to scan at load)
        self._ids = vocabulary
        self._starts = bounds[: -1 : self.rows].tolist()
        self._firsts = bounds[1 :: self.rows].tolist()
        self._ends = bounds[self.rows :: self.rows].tolist()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_docs": self._docs.astype(np.int32)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._docs = self._docs.astype(np.intp)  # fancy indexing converts int32 indices each time

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """A (rows, documents) float32 array: each index's BM25 of every document for ``tokens``."""
        out = np.zeros(self.rows * self.count, dtype=np.float32)
        docs, values, ids, starts, ends = self._docs, self._values, self._ids, self._starts, self._ends
        for token in tokens:
            u = ids.get(token)
            if u is not None:
                out[docs[starts[u] : ends[u]]] += values[starts[u] : ends[u]]
        return out.reshape(self.rows, self.count)

    def first(self, tokens: Sequence[str]) -> np.ndarray:
        """The first index's scores alone (``scores(tokens)[0]``, without the others' work)."""
        out = np.zeros(self.count, dtype=np.float32)
        docs, values, ids, starts, ends = self._docs, self._values, self._ids, self._starts, self._firsts
        for token in tokens:
            u = ids.get(token)
            if u is not None:
                out[docs[starts[u] : ends[u]]] += values[starts[u] : ends[u]]
        return out
