"""The scores of the k best articles without every article's ``dense_item``.

``dense_item`` (:class:`~plumberforce.knowledge.ranking.DenseItems`) was the largest single cost
of :meth:`~plumberforce.knowledge.index.KnowledgeBase.analyse`: one einsum over 11,849 item
vectors, twice for a question with an asking sentence. Yet a verdict shows only the k best
articles and their scores, and every other feature is cheap. An article's ``dense_item`` lies
between 0 and :data:`~plumberforce.knowledge.ranking.DENSE_ITEM_MAX`, so before it is computed the
article's score has an upper bound: the score with that feature at its bound. Only the articles
whose bound reaches the k-th best exact score need it: on the dev set, 1,876 item rows per
question against 17,900 for every article (both vectors), at k = 3.

The order of work follows the score's own. The asking sentence ranked alone gives the
``ask_model`` column: its best score must be exact, and an article whose bound is far enough
below it is at ``ASK_FLOOR`` whatever its ``dense_item``. Then the question's own scores: the best
one (the memory's vote is in its units) and the k best. Each round computes ``dense_item`` for the
articles whose bound reaches the best exact score known so far, or the k-th (after the k articles
with the highest bounds, so that there is one), until none does. ``features()`` and ``scores()``
of the knowledge base still compute every article (``k`` None): the ranking is fitted on them.

The scores computed are those of the complete computation bit for bit: an article's features are
its own whatever the other rows hold, ``features @ weights`` computes each row alone, and the
score's other steps are element by element. A bound must clear the threshold by :data:`MARGIN`,
more than float32 rounding can move a score of this size (a sum of 19 products below 100: a few
1e-5), so rounding never hides an article that belongs in the k best.
"""

from __future__ import annotations

import numpy as np

from plumberforce.knowledge.ranking import ASK_FLOOR, DENSE_ITEM_MAX, FEATURES, DenseItems, ask_column

MARGIN = 1e-3  # how far below a threshold a bound must be for its article to be left uncomputed
DENSE_COLUMN = FEATURES.index("dense_item")
ASK_COLUMN = FEATURES.index("ask_model")


class Rows:
    """One text's feature rows and lexical evidence, with its ``dense_item`` computed on demand."""

    def __init__(self, features: np.ndarray, lexical: np.ndarray, dense: DenseItems):
        self.features = features
        self.lexical = lexical
        self.dense = dense

    def upper(self, weights: np.ndarray, ask: AskModel | None = None) -> np.ndarray:
        """The highest ``features @ weights`` can be, with ``dense_item`` (and ``ask_model`` from
        ``ask``) where not known at the bound that makes it highest: the exact score where known."""
        known = self.dense.known
        highest = DENSE_ITEM_MAX if weights[DENSE_COLUMN] >= 0 else 0.0
        self.features[:, DENSE_COLUMN] = np.where(known, self.dense.values, highest)
        if ask is not None:
            highest = ask.values if weights[ASK_COLUMN] >= 0 else ASK_FLOOR
            self.features[:, ASK_COLUMN] = np.where(ask.known, ask.values, highest)
        return self.features @ weights

    def highest(self, upper: np.ndarray, exact: np.ndarray, k: int) -> np.ndarray:
        """The mask of the ``k`` articles with lexical evidence, not ``exact``, with the highest ``upper``."""
        open_ = self.lexical & ~exact
        chosen = np.zeros(len(open_), dtype=bool)
        chosen[np.argsort(-np.where(open_, upper, -np.inf), kind="stable")[: min(k, int(open_.sum()))]] = True
        return chosen


class AskModel:
    """The ``ask_model`` column from the asking sentence's rows: exact where ``known``, an upper
    bound elsewhere (:func:`~plumberforce.knowledge.ranking.ask_column` of the exact scores)."""

    def __init__(self, rows: Rows, weights: np.ndarray):
        self._rows, self._weights = rows, weights
        lexical = rows.lexical
        if not lexical.any():
            self.values = np.full(len(lexical), ASK_FLOOR, dtype=np.float32)
            self.known = np.ones(len(lexical), dtype=bool)
            return
        while True:  # every article that may hold the asking sentence's best score, exact
            upper = rows.upper(weights)
            exact = lexical & rows.dense.known
            if not exact.any():  # a first exact score: the highest bound's
                todo = rows.highest(upper, exact, 1)
            else:
                self._best = float(upper[exact].max())
                todo = lexical & ~exact & (upper >= self._best - MARGIN)
            if not todo.any():
                break
            rows.dense.fill(todo)
        self._update(upper)

    def _update(self, upper: np.ndarray) -> None:
        lexical = self._rows.lexical
        self.values = ask_column(upper, lexical, self._best)
        # an article whose bound is far enough below the best is at the floor whatever it holds
        self.known = ~lexical | self._rows.dense.known | (upper - self._best <= ASK_FLOOR - MARGIN)

    def complete(self, articles: np.ndarray) -> None:
        """Make the column exact for the mask ``articles``."""
        todo = articles & ~self.known
        if todo.any():
            self._rows.dense.fill(todo)
            self._update(self._rows.upper(self._weights))


def top_scores(
    own: Rows, ask: AskModel, weights: np.ndarray, memory: float, vote: np.ndarray | None, k: int | None
) -> np.ndarray:
    """The question's final scores (0 for an article without lexical evidence): exact for the
    ``k`` best articles and wherever computed, ``-inf`` elsewhere (exact everywhere when ``k`` is
    None). ``own.features`` gets the ``ask_model`` column; ``vote`` is the memory's vote, added
    as ``memory`` times the best score (None: no vote)."""
    lexical = own.lexical
    while True:
        upper = own.upper(weights, ask)
        upper[~lexical] = 0.0
        exact = ~lexical | (own.dense.known & ask.known)
        # the best exact score so far, and the best any article may have: the same at the end
        best, highest = float(upper.max(where=exact, initial=-np.inf)), float(upper.max())
        scores = upper
        if vote is not None:  # exact where exact when best is, else below; above elsewhere
            scores = np.where(lexical, upper + memory * max(best, 1e-9) * vote, 0.0).astype(np.float32)
            upper = np.where(lexical, upper + memory * max(highest, 1e-9) * vote, 0.0).astype(np.float32)
        if k is None:
            todo = ~exact
        elif int((exact & lexical).sum()) < min(k, int(lexical.sum())):  # first, the k highest bounds
            todo = own.highest(upper, exact, k)
        else:  # every article that may be the best (the vote is in its units) or above the k-th and 0
            ranked = np.sort(scores[exact])
            floor = max(float(ranked[-k]) if 0 < k <= len(ranked) else -np.inf, 0.0) if k else np.inf
            todo = ~exact & ((upper >= best - MARGIN) | (upper >= floor - MARGIN))
        if not todo.any():
            scores[~exact] = -np.inf
            return scores
        own.dense.fill(todo)
        ask.complete(todo)
