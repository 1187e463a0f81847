"""A discriminative question model: softmax regression over the articles on the question's tokens.

The lexical features of :mod:`plumberforce.knowledge.ranking` say how much an article shares with
a question; this model learns which tokens *tell articles apart*: a token every Flow article uses
weighs little for any of them, a pair like ``call+apex`` weighs for the one article that answers
it. It is a multinomial logistic regression (one weight per token and article, no bias, L2),
trained on pseudo-queries written from the articles themselves: each title, tag, keyword phrase,
summary, passage and fact label, in both languages, labelled with its article. Its
log-probability of an article is one more ranking feature (``model``).

numpy only (the Space installs no scipy): the token matrix is kept as sorted (row, token) pairs,
products with it are gathers and ``reduceat`` sums, and the fit is a small L-BFGS. Deterministic:
no randomness, fixed iteration count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from plumberforce.knowledge.articles import Article
from plumberforce.knowledge.passages import Passage

L2 = 1e-4  # the best of 1e-3, 1e-4, 1e-5 by cross-validation on the dev set (bench/README.md, "Seventh round")
ITERATIONS = 60
MEMORY = 6  # L-BFGS history
NEIGHBOURS = 24  # articles each example is told apart from (itself included)
FLOOR = -12.0  # log-probabilities are clipped here: below it an article is simply not meant


def pseudo_queries(article: Article, passages: Sequence[Passage]) -> list[str]:
    """The texts that stand for questions about ``article``: its titles, tags, keyword phrases,
    summaries, passages and fact labels, in both languages."""
    texts = [article.title, article.title_it, *article.tags, *article.tags_it, *article.keywords]
    texts += [*article.keywords_it, article.summary, article.summary_it]
    texts += [p.text for p in passages]
    texts += [t for fact in article.facts for t in (fact.label, fact.label_it)]
    return [t for t in texts if t.strip()]


@dataclass
class Examples:
    """Labelled token lists as sparse rows: ``rows[i]`` holds the token ids of example ``i``."""

    rows: list[np.ndarray]
    labels: list[int]
    weights: list[float]

    def __len__(self) -> int:
        return len(self.labels)

    def extended(self, other: Examples) -> Examples:
        return Examples(self.rows + other.rows, self.labels + other.labels, self.weights + other.weights)


class Vocabulary:
    """Token -> id, grown while examples are added (tokens met later at query time are ignored)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def encode(self, tokens: Iterable[str], grow: bool = True) -> np.ndarray:
        out = []
        for token in dict.fromkeys(tokens):
            index = self.ids.get(token)
            if index is None and grow:
                index = self.ids[token] = len(self.ids)
            if index is not None:
                out.append(index)
        return np.array(sorted(out), dtype=np.int64)

    def examples(self, labelled: Iterable[tuple[Sequence[str], int]], weight: float = 1.0) -> Examples:
        rows, labels = [], []
        for tokens, label in labelled:
            row = self.encode(tokens)
            if len(row):
                rows.append(row)
                labels.append(label)
        return Examples(rows, labels, [weight] * len(rows))


class _Design:
    """The examples' (token, article) pairs: each example is scored against its label's
    neighbourhood (``candidates[label]``, the label first), so a fit costs tokens x K, not
    tokens x articles. Values are 1/sqrt(tokens in the row)."""

    def __init__(self, examples: Examples, candidates: np.ndarray):
        lengths = np.array([len(r) for r in examples.rows], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        cols = np.concatenate(examples.rows)
        self.vals = np.repeat(1.0 / np.sqrt(lengths), lengths).astype(np.float32)[:, None]
        self.row_of = np.repeat(np.arange(len(lengths)), lengths)
        classes = candidates.shape[0]
        pairs = cols[:, None] * classes + candidates[np.array(examples.labels)][self.row_of]
        self.keys, self.index = np.unique(pairs, return_inverse=True)
        self.index = self.index.reshape(pairs.shape)

    def times(self, w: np.ndarray) -> np.ndarray:
        return np.add.reduceat(w[self.index] * self.vals, self.starts, axis=0)

    def transposed_times(self, g: np.ndarray) -> np.ndarray:
        contrib = g[self.row_of] * self.vals
        return np.bincount(self.index.ravel(), contrib.ravel(), minlength=len(self.keys)).astype(np.float32)


def _loss(design: _Design, weights: np.ndarray, l2: float, w: np.ndarray) -> tuple[float, np.ndarray]:
    scores = design.times(w)
    scores -= scores.max(axis=1, keepdims=True)
    p = np.exp(scores)
    total = p.sum(axis=1)
    p /= total[:, None]
    nll = np.log(total) - scores[:, 0]
    loss = float((weights * nll).sum()) + 0.5 * l2 * float((w * w).sum())
    p[:, 0] -= 1.0
    grad = design.transposed_times(p * weights[:, None]) + l2 * w
    return loss, grad


def _lbfgs(f: Callable[[np.ndarray], tuple[float, np.ndarray]], x: np.ndarray, iterations: int) -> np.ndarray:
    """Minimise ``f`` (loss and gradient) from ``x``: L-BFGS with a backtracking line search."""
    loss, grad = f(x)
    history: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(iterations):
        q = grad.copy()
        alphas = []
        for s, y, rho in reversed(history):
            a = rho * float((s * q).sum())
            alphas.append(a)
            q -= a * y
        if history:
            s, y, _ = history[-1]
            q *= float((s * y).sum()) / float((y * y).sum())
        else:
            q /= max(float(np.abs(grad).max()), 1e-12)
        for (s, y, rho), a in zip(history, reversed(alphas), strict=True):
            q += s * (a - rho * float((y * q).sum()))
        direction, step, slope = -q, 1.0, -float((grad * q).sum())
        if slope >= 0:
            direction, slope, history = -grad, -float((grad * grad).sum()), []
        while True:
            candidate = x + step * direction
            new_loss, new_grad = f(candidate)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-6:
                break
            step *= 0.5
        s, y = candidate - x, new_grad - grad
        sy = float((s * y).sum())
        if sy > 1e-10:
            history = [*history[-(MEMORY - 1) :], (s, y, 1.0 / sy)]
        x, loss, grad = candidate, new_loss, new_grad
    return x


def neighbours(vectors: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Per article, itself then the ``k - 1`` articles whose dense vectors are closest: the
    articles a question about it is confused with, which the model learns to tell apart."""
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, np.inf)
    return np.argsort(-similarity, axis=1, kind="stable")[:, : min(k, len(vectors))]


class QuestionModel:
    """The fitted (token, article) weights, stored by token: ``log_probs(tokens)`` is the
    log-probability of every article."""

    def __init__(self, vocabulary: Vocabulary, keys: np.ndarray, weights: np.ndarray, classes: int):
        self.vocabulary = vocabulary
        self.classes = classes
        keep = weights != 0
        keys, weights = keys[keep], weights[keep]
        tokens = keys // classes
        self._starts = np.searchsorted(tokens, np.arange(len(vocabulary.ids) + 1)).astype(np.int64)
        self._classes = (keys % classes).astype(np.int16)
        self._weights = weights.astype(np.float32)

    @classmethod
    def fit(cls, vocabulary: Vocabulary, examples: Examples, candidates: np.ndarray, l2: float = L2) -> QuestionModel:
        """Weights minimising the weighted mean log-loss of ``examples`` (each against its label's
        ``candidates`` row) plus ``l2`` |W|^2 / 2."""
        design = _Design(examples, candidates)
        weights = np.array(examples.weights, dtype=np.float32)
        weights /= weights.sum()
        start = np.zeros(len(design.keys), dtype=np.float32)
        fitted = _lbfgs(lambda w: _loss(design, weights, l2, w), start, ITERATIONS)
        return cls(vocabulary, design.keys, fitted, candidates.shape[0])

    def log_probs(self, tokens: Iterable[str]) -> np.ndarray:
        ids = self.vocabulary.encode(tokens, grow=False)
        ids = ids[ids < len(self._starts) - 1]  # tokens the vocabulary learnt after this fit
        scores = np.zeros(self.classes, dtype=np.float64)
        if len(ids):
            spans = [np.arange(self._starts[i], self._starts[i + 1]) for i in ids]
            at = np.concatenate(spans)
            scores = np.bincount(self._classes[at], self._weights[at], minlength=self.classes) / np.sqrt(len(ids))
        scores -= scores.max()
        return np.maximum(scores - np.log(np.exp(scores).sum()), FLOOR).astype(np.float32)
