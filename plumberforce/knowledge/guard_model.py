"""A learned guard beside the rules: per-kind logistic regressions that may only add redirects.

The rules (:mod:`plumberforce.knowledge.topicality`) decide first; for a question they answer,
three linear models (off-topic, abuse, injection, each fitted against the dev set's legitimate
lines by ``bench/learn_guard.py``) read the question's dense vector and a few scalars the
knowledge base already has (:func:`scalars`). A model whose score is above its threshold
redirects the question as its kind (the highest margin wins). Each threshold is the highest
score a legitimate dev line got from a model fitted without that line's batch, plus a margin:
leave-batch-out, the models redirect no legitimate dev line. The weights live in
``guard_model.json``, written by the trainer (deterministic: Newton's method from zero).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plumberforce.knowledge.ranking import FEATURES
from plumberforce.knowledge.topicality import Kind

MODEL_PATH = Path(__file__).parent / "guard_model.json"
RANKING_COLUMNS = FEATURES.index("dense_item")  # the ranking features exact for every article (before dense_item)


def scalars(
    best_bm25: float,
    unknown_share: float,
    counts: tuple[int, int, int],
    words: int,
    error_coverage: float,
    best_score: float,
    features: np.ndarray,
) -> np.ndarray:
    """The guard's scalars of one question: its best BM25, unknown share, lexicon counts (at most 3), length in
    words, pasted-error coverage, best final score, and each ranking feature's best article (signed log)."""
    best = features[:, :RANKING_COLUMNS].max(axis=0)
    head = [
        np.log1p(best_bm25),
        unknown_share,
        *(min(c, 3) for c in counts),
        np.log1p(words),
        error_coverage,
        np.log1p(max(best_score, 0.0)),
    ]
    return np.concatenate([np.array(head, dtype=np.float64), np.sign(best) * np.log1p(np.abs(best))])


def design(vectors: np.ndarray, rows: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """The models' inputs: the unit vectors scaled to entries of about unit size, the scalars standardised."""
    return np.hstack([vectors * np.sqrt(vectors.shape[-1]), (rows - mean) / std])


@dataclass(frozen=True)
class GuardModel:
    """The fitted models: one weight row, bias and threshold per redirect kind, and the scalars' scaling."""

    kinds: tuple[Kind, ...]
    weights: np.ndarray  # (kinds, inputs)
    bias: np.ndarray
    thresholds: np.ndarray
    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> GuardModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        return cls(
            tuple(m["kind"] for m in models),
            np.array([m["weights"] for m in models]),
            np.array([m["bias"] for m in models]),
            np.array([m["threshold"] for m in models]),
            np.array(data["mean"]),
            np.array(data["std"]),
        )

    def kind(self, vector: np.ndarray, row: np.ndarray) -> Kind | None:
        """The redirect kind of a question the rules answer, or None to answer it."""
        if not self.kinds:
            return None
        x = design(vector[None, :].astype(np.float64), row[None, :], self.mean, self.std)[0]
        over = self.weights @ x + self.bias - self.thresholds
        best = int(np.argmax(over))
        return self.kinds[best] if over[best] > 0 else None
